/* lan-packet-links.h — the packets that belong with one: a message, its
 * resends and its acknowledgement.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lan-packet-log.h"

G_BEGIN_DECLS

typedef enum {
  LAN_PACKET_LINK_SEND,    /* a SENDMSG of the message: the first, or a resend */
  LAN_PACKET_LINK_ACK,     /* a RECVMSG naming the message's packet no. */
} LanPacketLinkKind;

typedef struct {
  LanPacketLinkKind kind;
  guint64           number;   /* the log entry's number */
  gint64            time_us;
  LanVerdict        verdict;
  LanDirection      direction;
} LanPacketLink;

typedef struct {
  /* The message the inspected row is about (its SENDMSG's packet no.). */
  guint64  packet_no;
  /* Every SENDMSG and RECVMSG of that message with the same peer, the
   * inspected row included, in log order (LanPacketLink). */
  GArray  *links;
  /* Whether the message was acknowledged within what was scanned, and how
   * long after its first and its last send before that. */
  gboolean acknowledged;
  gint64   rtt_first_us;
  gint64   rtt_last_us;
  guint    sends;     /* SENDMSGs before the acknowledgement, or all of them */
} LanPacketLinks;

void            lan_packet_links_free (LanPacketLinks *links);

/* What link finding needs from a datagram, without decoding any text: the
 * packet number and command of the header and, when the first section is
 * a decimal number (the packet a RECVMSG acknowledges), that number.
 * FALSE when the header can't be read. */
typedef struct {
  guint64  packet_no;
  guint32  command;
  gboolean has_section_number;
  guint64  section_number;
} LanPacketHeader;

gboolean        lan_packet_header_peek (const guint8    *data,
                                        gsize            len,
                                        LanPacketHeader *header);

/* The links of the row at @position of @entries (a model of
 * LanPacketLogEntry in log order), looked for in the @radius rows either
 * side — never the whole log, which may hold a million rows. NULL when the
 * row is neither a SENDMSG nor a RECVMSG, or has no partner in reach.
 * (transfer full) (nullable) */
LanPacketLinks *lan_packet_links_find (GListModel *entries,
                                       guint       position,
                                       guint       radius);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LanPacketLinks, lan_packet_links_free)

G_END_DECLS
