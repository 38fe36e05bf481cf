/* test-cli-sha256.c — the CLI's SHA-256 (the SHA instructions where the
 * processor has them) against GChecksum, for every length around the block
 * and padding edges, fed in pieces of every size.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>

#include "lan-cli-sha256.h"

static GBytes *
random_bytes (gsize size)
{
  guint8 *data = g_malloc (size);
  GRand *rand = g_rand_new_with_seed (12);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) g_rand_int_range (rand, 0, 256);
  g_rand_free (rand);
  return g_bytes_new_take (data, size);
}

static char *
digest (const guint8 *data,
        gsize         len,
        gsize         piece,
        gboolean      portable)
{
  LanCliSha256 sum;

  lan_cli_sha256_init (&sum, portable);
  for (gsize at = 0; at < len; at += piece)
    lan_cli_sha256_update (&sum, data + at, MIN (piece, len - at));
  return lan_cli_sha256_finish (&sum);
}

static void
test_known (void)
{
  g_autofree char *abc = digest ((const guint8 *) "abc", 3, 3, FALSE);
  g_autofree char *empty = digest (NULL, 0, 1, FALSE);

  g_test_message ("SHA instructions: %s", lan_cli_sha256_accelerated () ? "yes" : "no");
  g_assert_cmpstr (abc, ==, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  g_assert_cmpstr (empty, ==, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void
test_lengths (gconstpointer data)
{
  gboolean portable = GPOINTER_TO_INT (data);
  g_autoptr(GBytes) bytes = random_bytes (300);
  const guint8 *raw = g_bytes_get_data (bytes, NULL);
  const gsize pieces[] = { 1, 3, 55, 56, 63, 64, 65, 128, 300 };

  for (gsize len = 0; len <= 300; len++)
    {
      g_autofree char *want = g_compute_checksum_for_data (G_CHECKSUM_SHA256, raw, len);

      for (guint i = 0; i < G_N_ELEMENTS (pieces); i++)
        {
          g_autofree char *got = digest (raw, len, pieces[i], portable);

          if (g_strcmp0 (got, want) != 0)
            g_error ("%zu bytes in pieces of %zu: %s, not %s", len, pieces[i], got, want);
        }
    }
}

static void
test_large (void)
{
  g_autoptr(GBytes) bytes = random_bytes (3 * 1024 * 1024 + 7);
  g_autofree char *want = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  g_autofree char *got = digest (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), 1024 * 1024, FALSE);

  g_assert_cmpstr (got, ==, want);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli-sha256/known", test_known);
  g_test_add_data_func ("/cli-sha256/lengths", GINT_TO_POINTER (FALSE), test_lengths);
  g_test_add_data_func ("/cli-sha256/lengths-portable", GINT_TO_POINTER (TRUE), test_lengths);
  g_test_add_func ("/cli-sha256/large", test_large);
  return g_test_run ();
}
