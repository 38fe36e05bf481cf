/* test-file-offer.c — the table of our offers: lookups, who may fetch,
 * how offers end, and its bounds (lan-bounds.h).
 *
 * No socket, no engine.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "lan-bounds.h"
#include "lan-file-offer.h"
#include "lan-ipmsg.h"

#define BOB_ADDRESS   0x7f000003u   /* 127.0.0.3 */
#define EVE_ADDRESS   0x7f000004u
#define T0            ((gint64) 1700000000 * G_USEC_PER_SEC)

static guint64 next_packet_no = 1000;

static LanMessage *
new_offer_message (const char *peer_key)
{
  LanMessage *message = lan_message_new (LAN_DIRECTION_OUT, peer_key, "files", T0, next_packet_no++);
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) lan_ipmsg_file_free);
  LanIpmsgFile *record = g_new0 (LanIpmsgFile, 1);

  record->file_id = 0;
  record->name = g_strdup ("a.txt");
  record->size = 10;
  record->attr = LAN_IPMSG_FILE_REGULAR;
  record->extras = g_new0 (char *, 1);
  g_ptr_array_add (records, record);
  lan_message_set_files (message, records);
  return message;
}

static GPtrArray *
two_files (void)
{
  GPtrArray *files = g_ptr_array_new_with_free_func ((GDestroyNotify) lan_offered_file_free);
  g_autoptr(GFile) a = g_file_new_for_path ("/nonexistent/a.txt");
  g_autoptr(GFile) b = g_file_new_for_path ("/nonexistent/b");

  g_ptr_array_add (files, lan_offered_file_new (0, a, "a.txt", 10, 1, FALSE));
  g_ptr_array_add (files, lan_offered_file_new (1, b, "b", 0, 1, TRUE));
  return files;
}

static LanFileOffer *
add (LanFileOffers *offers,
     LanMessage    *message,
     const char    *peer_key,
     guint32        address,
     gint64         now)
{
  LanEndpoint to = { address, 2425 };

  return lan_file_offers_add (offers, message, peer_key, to, two_files (), now);
}

static void
test_lookup (void)
{
  /* A lifetime far beyond the real clock: nothing expires during the test. */
  g_autoptr(LanFileOffers) offers = lan_file_offers_new (LAN_MAX_OFFERS, LAN_MAX_OFFERS_PER_PEER, G_MAXINT32);
  g_autoptr(LanMessage) message = new_offer_message ("127.0.0.3:2425");
  guint64 packet_no = lan_message_get_packet_no (message);
  LanFileOffer *offer = add (offers, message, "127.0.0.3:2425", BOB_ADDRESS, g_get_real_time ());
  LanFileOffer *found_offer = NULL;
  LanOfferedFile *file;
  char *why = NULL;

  g_assert_nonnull (offer);
  g_assert_true (lan_file_offers_lookup (offers, packet_no) == offer);
  g_assert_true (offer->open);

  file = lan_file_offers_find (offers, packet_no, 1, BOB_ADDRESS, &found_offer, &why);
  g_assert_nonnull (file);
  g_assert_null (why);
  g_assert_true (found_offer == offer);
  g_assert_cmpstr (file->name, ==, "b");
  g_assert_true (file->is_dir);

  /* The right numbers from another address: refused, and why. */
  file = lan_file_offers_find (offers, packet_no, 1, EVE_ADDRESS, &found_offer, &why);
  g_assert_null (file);
  g_assert_null (found_offer);
  g_assert_nonnull (strstr (why, "was made to 127.0.0.3, not to 127.0.0.4"));
  g_clear_pointer (&why, g_free);

  file = lan_file_offers_find (offers, packet_no + 1, 0, BOB_ADDRESS, NULL, &why);
  g_assert_null (file);
  g_assert_nonnull (strstr (why, "no open offer"));
  g_clear_pointer (&why, g_free);

  file = lan_file_offers_find (offers, packet_no, 2, BOB_ADDRESS, NULL, &why);
  g_assert_null (file);
  g_assert_nonnull (strstr (why, "has no file 2"));
  g_clear_pointer (&why, g_free);

  /* A queued offer that went out to a new address is served there only. */
  lan_file_offers_move (offers, packet_no, (LanEndpoint) { EVE_ADDRESS, 2425 });
  g_assert_nonnull (lan_file_offers_find (offers, packet_no, 0, EVE_ADDRESS, NULL, &why));
  g_assert_null (lan_file_offers_find (offers, packet_no, 0, BOB_ADDRESS, NULL, &why));
  g_clear_pointer (&why, g_free);
}

static void
test_release (void)
{
  g_autoptr(LanFileOffers) offers = lan_file_offers_new (LAN_MAX_OFFERS, LAN_MAX_OFFERS_PER_PEER, G_MAXINT32);
  g_autoptr(LanMessage) fetched = new_offer_message ("bob");
  g_autoptr(LanMessage) half = new_offer_message ("bob");
  g_autoptr(LanMessage) untouched = new_offer_message ("bob");
  gint64 now = g_get_real_time ();
  LanFileOffer *offer = add (offers, fetched, "bob", BOB_ADDRESS, now);
  g_autoptr(LanFileOffer) held = lan_file_offer_ref (offer);
  LanFileOffer *half_offer = add (offers, half, "bob", BOB_ADDRESS, now);

  add (offers, untouched, "bob", BOB_ADDRESS, now);
  g_assert_cmpuint (lan_file_offers_get_n_open (offers), ==, 3);
  g_assert_cmpuint (lan_file_offers_count_for (offers, "bob"), ==, 3);

  lan_file_offer_get_file (offer, 0)->served = TRUE;
  lan_file_offer_get_file (offer, 1)->served = TRUE;
  lan_file_offer_get_file (half_offer, 0)->served = TRUE;

  /* From another address: nothing happens. */
  g_assert_false (lan_file_offers_release (offers, lan_message_get_packet_no (fetched), EVE_ADDRESS));
  g_assert_cmpint (lan_message_get_offer_state (fetched), ==, LAN_OFFER_OPEN);
  g_assert_cmpuint (lan_file_offers_get_n_open (offers), ==, 3);

  g_assert_true (lan_file_offers_release (offers, lan_message_get_packet_no (fetched), BOB_ADDRESS));
  g_assert_cmpint (lan_message_get_offer_state (fetched), ==, LAN_OFFER_DONE);
  /* A connection's reference outlives the table's. */
  g_assert_false (held->open);
  g_assert_null (lan_file_offers_lookup (offers, lan_message_get_packet_no (fetched)));
  /* Released twice: the second finds nothing. */
  g_assert_false (lan_file_offers_release (offers, lan_message_get_packet_no (fetched), BOB_ADDRESS));

  /* One of two files served: declined, not done. */
  g_assert_true (lan_file_offers_release (offers, lan_message_get_packet_no (half), BOB_ADDRESS));
  g_assert_cmpint (lan_message_get_offer_state (half), ==, LAN_OFFER_DECLINED);

  g_assert_true (lan_file_offers_withdraw (offers, untouched));
  g_assert_cmpint (lan_message_get_offer_state (untouched), ==, LAN_OFFER_WITHDRAWN);
  g_assert_false (lan_file_offers_withdraw (offers, untouched));
  g_assert_cmpuint (lan_file_offers_get_n_open (offers), ==, 0);
  g_assert_cmpuint (lan_file_offers_count_for (offers, "bob"), ==, 0);
}

static void
test_expiry (void)
{
  g_autoptr(LanFileOffers) offers = lan_file_offers_new (LAN_MAX_OFFERS, LAN_MAX_OFFERS_PER_PEER,
                                                         LAN_OFFER_LIFETIME_S);
  g_autoptr(LanMessage) first = new_offer_message ("bob");
  g_autoptr(LanMessage) second = new_offer_message ("bob");
  gint64 day = (gint64) LAN_OFFER_LIFETIME_S * G_USEC_PER_SEC;

  g_assert_cmpint (LAN_OFFER_LIFETIME_S, ==, 24 * 60 * 60);
  add (offers, first, "bob", BOB_ADDRESS, T0);
  add (offers, second, "bob", BOB_ADDRESS, T0 + G_USEC_PER_SEC);

  g_assert_cmpuint (lan_file_offers_expire (offers, T0 + day - 1), ==, 0);
  g_assert_cmpuint (lan_file_offers_expire (offers, T0 + day), ==, 1);
  g_assert_cmpint (lan_message_get_offer_state (first), ==, LAN_OFFER_EXPIRED);
  g_assert_cmpint (lan_message_get_offer_state (second), ==, LAN_OFFER_OPEN);
  g_assert_cmpuint (lan_file_offers_expire (offers, T0 + day + G_USEC_PER_SEC), ==, 1);
  g_assert_cmpint (lan_message_get_offer_state (second), ==, LAN_OFFER_EXPIRED);
  g_assert_cmpuint (lan_file_offers_get_n_open (offers), ==, 0);
}

/* Offers made with a date long past (T0) are over when looked up now:
 * a fetch never gets an expired offer even before the timer ran. */
static void
test_expired_on_lookup (void)
{
  g_autoptr(LanFileOffers) offers = lan_file_offers_new (LAN_MAX_OFFERS, LAN_MAX_OFFERS_PER_PEER,
                                                         LAN_OFFER_LIFETIME_S);
  g_autoptr(LanMessage) old = new_offer_message ("bob");
  char *why = NULL;

  add (offers, old, "bob", BOB_ADDRESS, T0);
  g_assert_null (lan_file_offers_find (offers, lan_message_get_packet_no (old), 0, BOB_ADDRESS, NULL, &why));
  g_assert_nonnull (why);
  g_free (why);
  g_assert_cmpint (lan_message_get_offer_state (old), ==, LAN_OFFER_EXPIRED);
}

/* The expiry timer runs by itself on the main loop. */
static gboolean
offer_ended (gpointer data)
{
  return lan_message_get_offer_state (data) != LAN_OFFER_OPEN;
}

static void
test_expiry_timer (void)
{
  g_autoptr(LanFileOffers) offers = lan_file_offers_new (LAN_MAX_OFFERS, LAN_MAX_OFFERS_PER_PEER, 1);
  g_autoptr(LanMessage) message = new_offer_message ("bob");
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  add (offers, message, "bob", BOB_ADDRESS, g_get_real_time ());
  while (!offer_ended (message) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (lan_message_get_offer_state (message), ==, LAN_OFFER_EXPIRED);
  g_assert_cmpuint (lan_file_offers_get_n_open (offers), ==, 0);
}

/* LAN_MAX_OFFERS_PER_PEER: one more to the same peer retires its oldest,
 * and leaves the offers to others alone. */
static void
test_bound_per_peer (void)
{
  g_autoptr(LanFileOffers) offers = lan_file_offers_new (LAN_MAX_OFFERS, LAN_MAX_OFFERS_PER_PEER, G_MAXINT32);
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(LanMessage) other = new_offer_message ("carol");
  g_autoptr(LanMessage) one_more = new_offer_message ("bob");
  gint64 now = g_get_real_time ();

  add (offers, other, "carol", EVE_ADDRESS, now);
  for (guint i = 0; i < LAN_MAX_OFFERS_PER_PEER; i++)
    {
      LanMessage *message = new_offer_message ("bob");

      g_ptr_array_add (messages, message);
      add (offers, message, "bob", BOB_ADDRESS, now + i);
    }
  g_assert_cmpuint (lan_file_offers_count_for (offers, "bob"), ==, LAN_MAX_OFFERS_PER_PEER);
  for (guint i = 0; i < messages->len; i++)
    g_assert_cmpint (lan_message_get_offer_state (g_ptr_array_index (messages, i)), ==, LAN_OFFER_OPEN);

  add (offers, one_more, "bob", BOB_ADDRESS, now + LAN_MAX_OFFERS_PER_PEER);
  g_assert_cmpuint (lan_file_offers_count_for (offers, "bob"), ==, LAN_MAX_OFFERS_PER_PEER);
  g_assert_cmpint (lan_message_get_offer_state (g_ptr_array_index (messages, 0)), ==, LAN_OFFER_EXPIRED);
  g_assert_cmpint (lan_message_get_offer_state (g_ptr_array_index (messages, 1)), ==, LAN_OFFER_OPEN);
  g_assert_cmpint (lan_message_get_offer_state (one_more), ==, LAN_OFFER_OPEN);
  g_assert_cmpint (lan_message_get_offer_state (other), ==, LAN_OFFER_OPEN);
  g_assert_cmpuint (lan_file_offers_get_n_open (offers), ==, LAN_MAX_OFFERS_PER_PEER + 1);
}

/* LAN_MAX_OFFERS: past it, the oldest offer of anyone goes. */
static void
test_bound_total (void)
{
  g_autoptr(LanFileOffers) offers = lan_file_offers_new (LAN_MAX_OFFERS, LAN_MAX_OFFERS_PER_PEER, G_MAXINT32);
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(LanMessage) one_more = new_offer_message ("last");
  gint64 now = g_get_real_time ();

  for (guint i = 0; i < LAN_MAX_OFFERS; i++)
    {
      g_autofree char *key = g_strdup_printf ("peer-%u", i / LAN_MAX_OFFERS_PER_PEER);
      LanMessage *message = new_offer_message (key);

      g_ptr_array_add (messages, message);
      add (offers, message, key, BOB_ADDRESS + i / LAN_MAX_OFFERS_PER_PEER, now + i);
    }
  g_assert_cmpuint (lan_file_offers_get_n_open (offers), ==, LAN_MAX_OFFERS);
  g_assert_cmpint (lan_message_get_offer_state (g_ptr_array_index (messages, 0)), ==, LAN_OFFER_OPEN);

  add (offers, one_more, "last", EVE_ADDRESS + 1000, now + LAN_MAX_OFFERS);
  g_assert_cmpuint (lan_file_offers_get_n_open (offers), ==, LAN_MAX_OFFERS);
  g_assert_cmpint (lan_message_get_offer_state (g_ptr_array_index (messages, 0)), ==, LAN_OFFER_EXPIRED);
  g_assert_cmpint (lan_message_get_offer_state (g_ptr_array_index (messages, 1)), ==, LAN_OFFER_OPEN);
  g_assert_cmpint (lan_message_get_offer_state (one_more), ==, LAN_OFFER_OPEN);
  g_assert_cmpuint (lan_file_offers_count_for (offers, "peer-0"), ==, LAN_MAX_OFFERS_PER_PEER - 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/file-offer/lookup", test_lookup);
  g_test_add_func ("/file-offer/release", test_release);
  g_test_add_func ("/file-offer/expiry", test_expiry);
  g_test_add_func ("/file-offer/expired-on-lookup", test_expired_on_lookup);
  g_test_add_func ("/file-offer/expiry-timer", test_expiry_timer);
  g_test_add_func ("/file-offer/bound-per-peer", test_bound_per_peer);
  g_test_add_func ("/file-offer/bound-total", test_bound_total);
  return g_test_run ();
}
