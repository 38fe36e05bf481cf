/* lan-packet-export-pcap.h — the pcap format for lan-packet-export.c.
 *
 * Classic libpcap, little-endian, microsecond timestamps, LINKTYPE_RAW:
 * each datagram as an IPv4 packet with a UDP header, both checksums set; a
 * request packet of a TCP connection as one TCP segment.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "lan-types.h"

G_BEGIN_DECLS

/* The 24-byte file header, appended to @out. */
void lan_packet_export_pcap_append_header (GByteArray   *out);
/* One record, record header included, appended to @out.
 * Incoming: @remote → @local; outgoing: @local → @remote. @ip_id is the
 * IPv4 identification field (a counter, so tools can tell packets apart).
 * @tcp: the bytes are a request read or written on a TCP connection. */
void lan_packet_export_pcap_append_record (GByteArray   *out,
                                           guint16       ip_id,
                                           gint64        time_us,
                                           LanDirection  direction,
                                           LanEndpoint   local,
                                           LanEndpoint   remote,
                                           gboolean      tcp,
                                           const guint8 *data,
                                           gsize         len);

/* What the pcap and pcapng formats share: the IPv4 header and a UDP
 * header, or with @tcp a TCP one (a lone PSH|ACK segment, sequence and
 * acknowledgement numbers 1: the handshake is not logged), checksums set,
 * and the payload, cut to what one IPv4 packet holds, appended to @out;
 * lan_packet_export_pcap_captured_length (@len, @tcp) bytes. */
void    lan_packet_export_pcap_append_ipv4     (GByteArray   *out,
                                                guint16       ip_id,
                                                LanDirection  direction,
                                                LanEndpoint   local,
                                                LanEndpoint   remote,
                                                gboolean      tcp,
                                                const guint8 *data,
                                                gsize         len);
/* The bytes append_ipv4 writes for a payload of @len bytes. */
gsize   lan_packet_export_pcap_captured_length (gsize         len,
                                                gboolean      tcp);
/* The IPv4 packet's length on the wire, which may be more. */
guint32 lan_packet_export_pcap_wire_length     (gsize         len,
                                                gboolean      tcp);

G_END_DECLS
