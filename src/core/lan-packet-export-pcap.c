/* lan-packet-export-pcap.c — datagrams as a classic libpcap file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-packet-export-pcap"

#include "config.h"

#include "lan-packet-export-pcap.h"

#define PCAP_MAGIC_US      0xa1b2c3d4u
#define PCAP_LINKTYPE_RAW  101
#define PCAP_SNAPLEN       65535
#define IPV4_HEADER        20
#define UDP_HEADER         8
/* The most a UDP payload can be in an IPv4 packet of 65535 bytes. */
#define MAX_UDP_PAYLOAD    (65535 - IPV4_HEADER - UDP_HEADER)

static void
put16be (guint8  *p,
         guint16  value)
{
  p[0] = (guint8) (value >> 8);
  p[1] = (guint8) value;
}

static void
put32be (guint8  *p,
         guint32  value)
{
  p[0] = (guint8) (value >> 24);
  p[1] = (guint8) (value >> 16);
  p[2] = (guint8) (value >> 8);
  p[3] = (guint8) value;
}

static void
append32le (GByteArray *out,
            guint32     value)
{
  guint8 bytes[4] = { (guint8) value, (guint8) (value >> 8), (guint8) (value >> 16), (guint8) (value >> 24) };

  g_byte_array_append (out, bytes, 4);
}

static void
append16le (GByteArray *out,
            guint16     value)
{
  guint8 bytes[2] = { (guint8) value, (guint8) (value >> 8) };

  g_byte_array_append (out, bytes, 2);
}

/* RFC 1071 one's complement sum, in network byte order. */
static guint32
sum_words (guint32       sum,
           const guint8 *data,
           gsize         len)
{
  gsize i;

  for (i = 0; i + 1 < len; i += 2)
    sum += ((guint32) data[i] << 8) | data[i + 1];
  if (i < len)
    sum += (guint32) data[i] << 8;
  return sum;
}

static guint16
fold_sum (guint32 sum)
{
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  return (guint16) ~sum;
}

void
lan_packet_export_pcap_append_header (GByteArray *out)
{
  /* Little-endian throughout: readers tell the order by the magic. */
  append32le (out, PCAP_MAGIC_US);
  append16le (out, 2);
  append16le (out, 4);
  append32le (out, 0);  /* thiszone: timestamps are UTC */
  append32le (out, 0);  /* sigfigs */
  append32le (out, PCAP_SNAPLEN);
  append32le (out, PCAP_LINKTYPE_RAW);
}

gsize
lan_packet_export_pcap_captured_length (gsize len)
{
  return IPV4_HEADER + UDP_HEADER + MIN (len, (gsize) MAX_UDP_PAYLOAD);
}

guint32
lan_packet_export_pcap_wire_length (gsize len)
{
  /* More than captured only for a datagram no IPv4 packet could carry. */
  return (guint32) MIN ((gsize) G_MAXUINT32, IPV4_HEADER + UDP_HEADER + len);
}

void
lan_packet_export_pcap_append_ipv4_udp (GByteArray   *out,
                                        guint16       ip_id,
                                        LanDirection  direction,
                                        LanEndpoint   local,
                                        LanEndpoint   remote,
                                        const guint8 *data,
                                        gsize         len)
{
  LanEndpoint source = direction == LAN_DIRECTION_IN ? remote : local;
  LanEndpoint destination = direction == LAN_DIRECTION_IN ? local : remote;
  gsize payload = MIN (len, (gsize) MAX_UDP_PAYLOAD);
  guint8 headers[IPV4_HEADER + UDP_HEADER] = { 0 };
  guint8 *ip = headers;
  guint8 *udp = headers + IPV4_HEADER;
  guint32 sum;

  ip[0] = 0x45;                                  /* version 4, 5 words */
  put16be (ip + 2, (guint16) (IPV4_HEADER + UDP_HEADER + payload));
  put16be (ip + 4, ip_id);
  ip[8] = 64;                                    /* TTL */
  ip[9] = 17;                                    /* UDP */
  put32be (ip + 12, source.address);
  put32be (ip + 16, destination.address);
  put16be (ip + 10, fold_sum (sum_words (0, ip, IPV4_HEADER)));

  put16be (udp + 0, source.port);
  put16be (udp + 2, destination.port);
  put16be (udp + 4, (guint16) (UDP_HEADER + payload));
  /* Pseudo-header: addresses, protocol, UDP length. */
  sum = sum_words (0, ip + 12, 8);
  sum += 17 + UDP_HEADER + (guint32) payload;
  sum = sum_words (sum, udp, UDP_HEADER);
  /* Fold as we go so a 64 KiB payload can't overflow the sum. */
  sum = (sum & 0xffff) + (sum >> 16);
  sum = sum_words (sum, data, payload);
  {
    guint16 checksum = fold_sum (sum);

    /* 0 means "no checksum" in UDP; all ones is the same value in one's complement. */
    put16be (udp + 6, checksum == 0 ? 0xffff : checksum);
  }

  g_byte_array_append (out, headers, sizeof headers);
  if (payload > 0)
    g_byte_array_append (out, data, (guint) payload);
}

void
lan_packet_export_pcap_append_record (GByteArray   *out,
                                      guint16       ip_id,
                                      gint64        time_us,
                                      LanDirection  direction,
                                      LanEndpoint   local,
                                      LanEndpoint   remote,
                                      const guint8 *data,
                                      gsize         len)
{
  if (time_us < 0)
    time_us = 0;

  append32le (out, (guint32) (time_us / G_USEC_PER_SEC));
  append32le (out, (guint32) (time_us % G_USEC_PER_SEC));
  append32le (out, (guint32) lan_packet_export_pcap_captured_length (len));
  append32le (out, lan_packet_export_pcap_wire_length (len));
  lan_packet_export_pcap_append_ipv4_udp (out, ip_id, direction, local, remote, data, len);
}
