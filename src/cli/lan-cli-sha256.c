/* lan-cli-sha256.c — SHA-256 (FIPS 180-4) with the x86 SHA extensions, or
 * GChecksum where there are none.
 *
 * The block function is the usual SHA-NI sequence: the state held as ABEF
 * and CDGH, two rounds per sha256rnds2, the schedule by sha256msg1/msg2 four
 * words at a time. The padding and the length are done here, in C.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-cli-sha256"

#include "config.h"

#include <string.h>

#include "lan-cli-sha256.h"

#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#define HAVE_SHA_NI 1
#include <cpuid.h>
#include <immintrin.h>
#else
#define HAVE_SHA_NI 0
#endif

static const guint32 initial[8] = {
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

#if HAVE_SHA_NI
static const guint32 K[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

__attribute__ ((target ("sha,sse4.1")))
static void
blocks_ni (guint32       state[8],
           const guint8 *data,
           gsize         n_blocks)
{
  /* Each 32-bit word of the message is big-endian. */
  const __m128i swap = _mm_set_epi64x (0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  __m128i tmp = _mm_loadu_si128 ((const __m128i *) &state[0]);
  __m128i state1 = _mm_loadu_si128 ((const __m128i *) &state[4]);
  __m128i state0;

  tmp = _mm_shuffle_epi32 (tmp, 0xB1);            /* CDAB */
  state1 = _mm_shuffle_epi32 (state1, 0x1B);      /* EFGH */
  state0 = _mm_alignr_epi8 (tmp, state1, 8);      /* ABEF */
  state1 = _mm_blend_epi16 (state1, tmp, 0xF0);   /* CDGH */

  for (; n_blocks > 0; n_blocks--, data += 64)
    {
      __m128i abef = state0;
      __m128i cdgh = state1;
      __m128i w[4];

      /* Group g: rounds 4g to 4g+3 with the words in w[g % 4]. The schedule
       * makes the words of group g+1 (msg2, from group 3 on) and starts
       * those of group g+3 (msg1, groups 1 to 12). */
#pragma GCC unroll 16
      for (guint g = 0; g < 16; g++)
        {
          __m128i *cur = &w[g % 4];
          __m128i msg;

          if (g < 4)
            *cur = _mm_shuffle_epi8 (_mm_loadu_si128 ((const __m128i *) (data + 16 * g)), swap);
          msg = _mm_add_epi32 (*cur, _mm_loadu_si128 ((const __m128i *) &K[4 * g]));
          state1 = _mm_sha256rnds2_epu32 (state1, state0, msg);
          if (g >= 3 && g <= 14)
            {
              __m128i *next = &w[(g + 1) % 4];

              *next = _mm_add_epi32 (*next, _mm_alignr_epi8 (*cur, w[(g + 3) % 4], 4));
              *next = _mm_sha256msg2_epu32 (*next, *cur);
            }
          msg = _mm_shuffle_epi32 (msg, 0x0E);
          state0 = _mm_sha256rnds2_epu32 (state0, state1, msg);
          if (g >= 1 && g <= 12)
            w[(g + 3) % 4] = _mm_sha256msg1_epu32 (w[(g + 3) % 4], *cur);
        }
      state0 = _mm_add_epi32 (state0, abef);
      state1 = _mm_add_epi32 (state1, cdgh);
    }

  tmp = _mm_shuffle_epi32 (state0, 0x1B);         /* FEBA */
  state1 = _mm_shuffle_epi32 (state1, 0xB1);      /* DCHG */
  state0 = _mm_blend_epi16 (tmp, state1, 0xF0);   /* DCBA */
  state1 = _mm_alignr_epi8 (state1, tmp, 8);      /* HGFE */
  _mm_storeu_si128 ((__m128i *) &state[0], state0);
  _mm_storeu_si128 ((__m128i *) &state[4], state1);
}
#endif

gboolean
lan_cli_sha256_accelerated (void)
{
#if HAVE_SHA_NI
  static gsize checked = 0;
  static gboolean has = FALSE;

  if (g_once_init_enter (&checked))
    {
      unsigned int a, b, c, d;
      gboolean sse41 = __get_cpuid (1, &a, &b, &c, &d) && (c & bit_SSE4_1) && (c & bit_SSSE3);

      has = sse41 && __get_cpuid_count (7, 0, &a, &b, &c, &d) && (b & bit_SHA);
      g_once_init_leave (&checked, 1);
    }
  return has;
#else
  return FALSE;
#endif
}

void
lan_cli_sha256_init (LanCliSha256 *sum,
                     gboolean      portable)
{
  memset (sum, 0, sizeof *sum);
  memcpy (sum->state, initial, sizeof initial);
  if (portable || !lan_cli_sha256_accelerated ())
    sum->fallback = g_checksum_new (G_CHECKSUM_SHA256);
}

static void
blocks (LanCliSha256 *sum,
        const guint8 *data,
        gsize         n_blocks)
{
#if HAVE_SHA_NI
  blocks_ni (sum->state, data, n_blocks);
#else
  g_assert_not_reached ();
#endif
}

void
lan_cli_sha256_update (LanCliSha256 *sum,
                       const guint8 *data,
                       gsize         len)
{
  if (sum->fallback != NULL)
    {
      /* GChecksum takes a gssize. */
      for (gsize done = 0; done < len; done += MIN (len - done, (gsize) G_MAXSSIZE))
        g_checksum_update (sum->fallback, data + done, (gssize) MIN (len - done, (gsize) G_MAXSSIZE));
      return;
    }
  sum->length += len;
  if (sum->buffered > 0)
    {
      gsize take = MIN (len, sizeof sum->block - sum->buffered);

      memcpy (sum->block + sum->buffered, data, take);
      sum->buffered += take;
      data += take;
      len -= take;
      if (sum->buffered < sizeof sum->block)
        return;
      blocks (sum, sum->block, 1);
      sum->buffered = 0;
    }
  if (len >= 64)
    {
      blocks (sum, data, len / 64);
      data += len / 64 * 64;
      len %= 64;
    }
  memcpy (sum->block, data, len);
  sum->buffered = len;
}

char *
lan_cli_sha256_finish (LanCliSha256 *sum)
{
  guint64 bits = sum->length * 8;
  GString *hex;

  if (sum->fallback != NULL)
    {
      char *out = g_strdup (g_checksum_get_string (sum->fallback));

      g_clear_pointer (&sum->fallback, g_checksum_free);
      return out;
    }
  sum->block[sum->buffered++] = 0x80;
  if (sum->buffered > 56)
    {
      memset (sum->block + sum->buffered, 0, sizeof sum->block - sum->buffered);
      blocks (sum, sum->block, 1);
      sum->buffered = 0;
    }
  memset (sum->block + sum->buffered, 0, 56 - sum->buffered);
  for (guint i = 0; i < 8; i++)
    sum->block[56 + i] = (guint8) (bits >> (56 - 8 * i));
  blocks (sum, sum->block, 1);
  hex = g_string_sized_new (64);
  for (guint i = 0; i < 8; i++)
    g_string_append_printf (hex, "%08x", sum->state[i]);
  memset (sum, 0, sizeof *sum);
  return g_string_free (hex, FALSE);
}
