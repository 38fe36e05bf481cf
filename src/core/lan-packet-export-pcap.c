/* lan-packet-export-pcap.c — datagrams as a classic libpcap file.
 *
 * A TCP request is one segment that carries the whole packet, as the
 * fetching side writes it; the transfer's data and the handshake are not in
 * the log, so they are not in the file either.
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
#define TCP_HEADER         20

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

static gsize
transport_header (gboolean tcp)
{
  return tcp ? TCP_HEADER : UDP_HEADER;
}

/* The most payload one IPv4 packet of 65535 bytes holds. */
static gsize
max_payload (gboolean tcp)
{
  return 65535 - IPV4_HEADER - transport_header (tcp);
}

gsize
lan_packet_export_pcap_captured_length (gsize    len,
                                        gboolean tcp)
{
  return IPV4_HEADER + transport_header (tcp) + MIN (len, max_payload (tcp));
}

guint32
lan_packet_export_pcap_wire_length (gsize    len,
                                    gboolean tcp)
{
  /* More than captured only for a payload no IPv4 packet could carry. */
  return (guint32) MIN ((gsize) G_MAXUINT32, IPV4_HEADER + transport_header (tcp) + len);
}

void
lan_packet_export_pcap_append_ipv4 (GByteArray   *out,
                                    guint16       ip_id,
                                    LanDirection  direction,
                                    LanEndpoint   local,
                                    LanEndpoint   remote,
                                    gboolean      tcp,
                                    const guint8 *data,
                                    gsize         len)
{
  LanEndpoint source = direction == LAN_DIRECTION_IN ? remote : local;
  LanEndpoint destination = direction == LAN_DIRECTION_IN ? local : remote;
  gsize header = transport_header (tcp);
  gsize payload = MIN (len, max_payload (tcp));
  guint8 headers[IPV4_HEADER + TCP_HEADER] = { 0 };
  guint8 *ip = headers;
  guint8 *th = headers + IPV4_HEADER;
  guint8 protocol = tcp ? 6 : 17;
  guint32 sum;
  guint16 checksum;

  ip[0] = 0x45;                                  /* version 4, 5 words */
  put16be (ip + 2, (guint16) (IPV4_HEADER + header + payload));
  put16be (ip + 4, ip_id);
  ip[8] = 64;                                    /* TTL */
  ip[9] = protocol;
  put32be (ip + 12, source.address);
  put32be (ip + 16, destination.address);
  put16be (ip + 10, fold_sum (sum_words (0, ip, IPV4_HEADER)));

  put16be (th + 0, source.port);
  put16be (th + 2, destination.port);
  if (tcp)
    {
      put32be (th + 4, 1);                       /* sequence number */
      put32be (th + 8, 1);                       /* acknowledgement number */
      th[12] = 5 << 4;                           /* 5 words, no options */
      th[13] = 0x18;                             /* PSH|ACK */
      put16be (th + 14, 65535);                  /* window */
    }
  else
    put16be (th + 4, (guint16) (UDP_HEADER + payload));
  /* Pseudo-header: addresses, protocol, transport length. */
  sum = sum_words (0, ip + 12, 8);
  sum += protocol + (guint32) header + (guint32) payload;
  sum = sum_words (sum, th, header);
  /* Fold as we go so a 64 KiB payload can't overflow the sum. */
  sum = (sum & 0xffff) + (sum >> 16);
  sum = sum_words (sum, data, payload);
  checksum = fold_sum (sum);
  if (tcp)
    put16be (th + 16, checksum);
  else
    /* 0 means "no checksum" in UDP; all ones is the same value in one's complement. */
    put16be (th + 6, checksum == 0 ? 0xffff : checksum);

  g_byte_array_append (out, headers, (guint) (IPV4_HEADER + header));
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
                                      gboolean      tcp,
                                      const guint8 *data,
                                      gsize         len)
{
  if (time_us < 0)
    time_us = 0;

  append32le (out, (guint32) (time_us / G_USEC_PER_SEC));
  append32le (out, (guint32) (time_us % G_USEC_PER_SEC));
  append32le (out, (guint32) lan_packet_export_pcap_captured_length (len, tcp));
  append32le (out, lan_packet_export_pcap_wire_length (len, tcp));
  lan_packet_export_pcap_append_ipv4 (out, ip_id, direction, local, remote, tcp, data, len);
}
