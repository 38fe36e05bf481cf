/* lan-packet-filter.h — the packet log's search field, parsed into a matcher.
 *
 * A query is terms separated by spaces; a row must match every term:
 *
 *   peer:alice         the remote's nickname (from the peer list), user or
 *                      host contains "alice"; or peer:10.77.0.5[:2425], the
 *                      remote's address (and port)
 *   cmd:SENDMSG        the command, by name (any case, "IPMSG_" optional)
 *                      or number of its mode byte (32, 0x20)
 *   dir:in, dir:out
 *   proto:tcp          rows of TCP connections (file requests and transfer
 *   proto:udp          summaries), or datagrams
 *   from:10.77.0.0/24  the sender: an address, a CIDR block, either with
 *   to:10.77.0.5:2425  ":port"; "from" is the remote for incoming packets
 *                      and our own address for outgoing ones, "to" the other
 *   verdict:malformed  a verdict by its machine name (lan_verdict_to_string)
 *   hello              any other word: found, ignoring case, in the Info
 *                      text, the whole decoded message or the verdict detail
 *   "hello world"      a phrase; quotes also let a word hold a ':'
 *   -term              rows that do NOT match the term
 *   cmd:SENDMSG,RECVMSG  commas give alternatives (any one of them)
 *
 * Matching is cheap first: direction, verdict, addresses and the command
 * (read straight from the bytes) reject a row before anything is decoded.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lan-packet-log.h"
#include "lan-peer-list.h"

G_BEGIN_DECLS

#define LAN_PACKET_FILTER_ERROR (lan_packet_filter_error_quark ())

typedef enum {
  LAN_PACKET_FILTER_ERROR_UNKNOWN_KEY,         /* "prr:alice" */
  LAN_PACKET_FILTER_ERROR_EMPTY_VALUE,         /* "cmd:" or "cmd:SENDMSG," */
  LAN_PACKET_FILTER_ERROR_BAD_VALUE,           /* "dir:sideways", "from:10.0.0.0/33" */
  LAN_PACKET_FILTER_ERROR_UNTERMINATED_QUOTE,  /* "\"hello" */
} LanPacketFilterError;

/* How a new query relates to an old one, for re-filtering only what can
 * change (GtkFilterChange has the same three meanings). */
typedef enum {
  LAN_PACKET_FILTER_SAME,          /* the same terms: nothing to do */
  LAN_PACKET_FILTER_DIFFERENT,
  LAN_PACKET_FILTER_LESS_STRICT,   /* matches all the old one did, maybe more */
  LAN_PACKET_FILTER_MORE_STRICT,   /* matches only rows the old one did */
} LanPacketFilterChange;

#define LAN_TYPE_PACKET_FILTER (lan_packet_filter_get_type ())
G_DECLARE_FINAL_TYPE (LanPacketFilter, lan_packet_filter, LAN, PACKET_FILTER, GObject)

GQuark           lan_packet_filter_error_quark (void);

/* NULL or blank @query: a filter that matches everything. On a parse error
 * returns NULL, sets @error (its message names the place) and, when given,
 * @error_start/@error_end to the characters at fault, counted in Unicode
 * characters from 0 as gtk_editable_select_region() wants them.
 * Returns: (transfer full) (nullable): the filter. */
LanPacketFilter *lan_packet_filter_new         (const char       *query,
                                                int              *error_start,
                                                int              *error_end,
                                                GError          **error);
/* Returns: (transfer none): the query as given, made valid UTF-8. */
const char      *lan_packet_filter_get_query   (LanPacketFilter  *self);
/* TRUE when it has no terms: every row matches, no need to filter. */
gboolean         lan_packet_filter_is_empty    (LanPacketFilter  *self);
/* The list peer: looks up nicknames in (by the remote's address and port).
 * Without one, peer: sees the user and host names in each packet, and the
 * nickname of entry packets. When nicknames change, filter again. */
void             lan_packet_filter_set_peers   (LanPacketFilter  *self,
                                                LanPeerList      *peers);
gboolean         lan_packet_filter_match       (LanPacketFilter  *self,
                                                LanPacketLogEntry *entry);
/* Compare by terms: adding a term, or lengthening a plain word, is more strict. */
LanPacketFilterChange lan_packet_filter_compare (LanPacketFilter *old_filter,
                                                 LanPacketFilter *new_filter);

G_END_DECLS
