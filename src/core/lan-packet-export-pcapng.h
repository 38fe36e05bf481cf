/* lan-packet-export-pcapng.h — the pcapng format for lan-packet-export.c.
 *
 * One section (a Section Header Block naming Lanchat), then for each entry
 * an Enhanced Packet Block: the datagram as an IPv4 packet with a UDP
 * header (as in the pcap format; a TCP request as one TCP segment), its direction in epb_flags and a comment
 * (opt_comment) with its verdict and the verdict's detail ("duplicate:
 * resend of 1234").
 *
 * Interfaces: one Interface Description Block per local address seen,
 * written just before the first packet on it, so a stream can be written
 * as entries come (Wireshark reads IDBs anywhere in a section). Link type
 * RAW (IPv4 with no link layer): the same frames as the pcap export, and no
 * invented MAC addresses in tshark's columns, which an Ethernet header
 * would need.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "lan-packet-log.h"

G_BEGIN_DECLS

/* The Section Header Block, appended to @out. */
void lan_packet_export_pcapng_append_header (GByteArray        *out);
/* @entry's Enhanced Packet Block appended to @out, preceded by an
 * Interface Description Block when its local address is not in
 * @interfaces (host-order guint32 addresses; the index is the interface
 * id), which it is then added to. @ip_id as in the pcap format. */
void lan_packet_export_pcapng_append_entry  (GByteArray        *out,
                                             GArray            *interfaces,
                                             guint16            ip_id,
                                             LanPacketLogEntry *entry);

G_END_DECLS
