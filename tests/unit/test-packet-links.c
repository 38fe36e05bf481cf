/* test-packet-links.c — a message, its resends and its acknowledgement.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib.h>

#include "lan-ipmsg.h"
#include "lan-packet-links.h"

static void
test_header_peek (void)
{
  static const char recvmsg[] = "1:9:a:b:33:123\0";
  static const char sendmsg[] = "1:77:a:b:288:text";
  static const char bad[] = "1:x:a:b:33:1";
  LanPacketHeader header;

  g_assert_true (lan_packet_header_peek ((const guint8 *) recvmsg, sizeof recvmsg - 1, &header));
  g_assert_cmpuint (header.packet_no, ==, 9);
  g_assert_cmpuint (header.command, ==, LAN_IPMSG_RECVMSG);
  g_assert_true (header.has_section_number);
  g_assert_cmpuint (header.section_number, ==, 123);

  g_assert_true (lan_packet_header_peek ((const guint8 *) sendmsg, sizeof sendmsg - 1, &header));
  g_assert_cmpuint (header.packet_no, ==, 77);
  g_assert_false (header.has_section_number);

  g_assert_false (lan_packet_header_peek ((const guint8 *) bad, sizeof bad - 1, &header));
}

static void
append_datagram (LanPacketLog *log,
                 LanDirection  direction,
                 guint32       remote,
                 gint64        time_us,
                 const char   *text,
                 LanVerdict    verdict)
{
  LanDatagram datagram = {
    .time_us = time_us,
    .direction = direction,
    .local = { 0x7f000002, 2425 },
    .remote = { remote, 2425 },
    .data = (const guint8 *) text,
    .len = strlen (text),
  };

  lan_packet_log_append (log, &datagram, verdict, NULL);
}

/* A message sent, resent, acknowledged; another peer's noise around it. */
static void
test_links (void)
{
  g_autoptr(LanPacketLog) log = lan_packet_log_new (100);
  g_autoptr(LanPacketLinks) from_send = NULL;
  g_autoptr(LanPacketLinks) from_ack = NULL;
  g_autoptr(LanPacketLinks) none = NULL;
  g_autoptr(LanPacketLinks) unanswered = NULL;
  const guint32 bob = 0x7f000003, carol = 0x7f000004;
  const LanPacketLink *link;

  append_datagram (log, LAN_DIRECTION_OUT, bob, 1000000, "1:500:a:h:288:hi", LAN_VERDICT_OK);          /* 0 */
  append_datagram (log, LAN_DIRECTION_IN, carol, 1100000, "1:500:c:h:33:500", LAN_VERDICT_WRONG_ADDRESS); /* 1 */
  append_datagram (log, LAN_DIRECTION_OUT, bob, 1500000, "1:500:a:h:288:hi", LAN_VERDICT_RESEND);      /* 2 */
  append_datagram (log, LAN_DIRECTION_OUT, carol, 1600000, "1:500:a:h:288:hi", LAN_VERDICT_OK);        /* 3 */
  append_datagram (log, LAN_DIRECTION_IN, bob, 1700000, "1:900:b:h:33:499", LAN_VERDICT_UNMATCHED_REPLY); /* 4 */
  append_datagram (log, LAN_DIRECTION_IN, bob, 1800000, "1:901:b:h:33:500\0", LAN_VERDICT_OK);         /* 5 */
  append_datagram (log, LAN_DIRECTION_IN, bob, 1900000, "1:902:b:h:3:bob", LAN_VERDICT_OK);            /* 6 */
  append_datagram (log, LAN_DIRECTION_OUT, bob, 2000000, "1:600:a:h:288:again", LAN_VERDICT_OK);       /* 7 */
  lan_packet_log_flush (log);

  from_send = lan_packet_links_find (G_LIST_MODEL (log), 0, 2000);
  g_assert_nonnull (from_send);
  g_assert_cmpuint (from_send->packet_no, ==, 500);
  g_assert_cmpuint (from_send->links->len, ==, 3);
  link = &g_array_index (from_send->links, LanPacketLink, 0);
  g_assert_cmpuint (link->number, ==, 1);
  g_assert_cmpint (link->kind, ==, LAN_PACKET_LINK_SEND);
  link = &g_array_index (from_send->links, LanPacketLink, 1);
  g_assert_cmpuint (link->number, ==, 3);
  g_assert_cmpint (link->verdict, ==, LAN_VERDICT_RESEND);
  link = &g_array_index (from_send->links, LanPacketLink, 2);
  g_assert_cmpuint (link->number, ==, 6);
  g_assert_cmpint (link->kind, ==, LAN_PACKET_LINK_ACK);
  g_assert_true (from_send->acknowledged);
  g_assert_cmpuint (from_send->sends, ==, 2);
  g_assert_cmpint (from_send->rtt_first_us, ==, 800000);
  g_assert_cmpint (from_send->rtt_last_us, ==, 300000);

  /* From the acknowledgement back: the same links. */
  from_ack = lan_packet_links_find (G_LIST_MODEL (log), 5, 2000);
  g_assert_nonnull (from_ack);
  g_assert_cmpuint (from_ack->links->len, ==, 3);
  g_assert_cmpint (from_ack->rtt_first_us, ==, 800000);

  /* The radius bounds the search: one row either side finds no partner. */
  none = lan_packet_links_find (G_LIST_MODEL (log), 0, 1);
  g_assert_null (none);
  /* Not a message, or a message alone. */
  g_assert_null (lan_packet_links_find (G_LIST_MODEL (log), 6, 2000));
  unanswered = lan_packet_links_find (G_LIST_MODEL (log), 7, 2000);
  g_assert_null (unanswered);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/packet/header-peek", test_header_peek);
  g_test_add_func ("/packet/links", test_links);

  return g_test_run ();
}
