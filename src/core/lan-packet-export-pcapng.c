/* lan-packet-export-pcapng.c — datagrams as a pcapng file.
 *
 * Block layouts from the pcapng specification (draft-ietf-opsawg-pcapng):
 * every block is type, total length, body, total length again, padded to
 * 32 bits; little-endian throughout (readers tell by the byte-order magic).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-packet-export-pcapng"

#include "config.h"

#include <string.h>

#include "lan-packet-export-pcap.h"
#include "lan-packet-export-pcapng.h"

#define BLOCK_SHB          0x0a0d0d0au
#define BLOCK_IDB          0x00000001u
#define BLOCK_EPB          0x00000006u
#define BYTE_ORDER_MAGIC   0x1a2b3c4du
#define LINKTYPE_RAW       101

#define OPT_END            0
#define OPT_COMMENT        1
#define SHB_USERAPPL       4
#define IF_NAME            2
#define IF_DESCRIPTION     3
#define IF_IPV4ADDR        4
#define IF_TSRESOL         9
#define EPB_FLAGS          2

#define EPB_FLAG_INBOUND   1u
#define EPB_FLAG_OUTBOUND  2u

static void
append32 (GByteArray *out,
          guint32     value)
{
  guint8 bytes[4] = { (guint8) value, (guint8) (value >> 8), (guint8) (value >> 16), (guint8) (value >> 24) };

  g_byte_array_append (out, bytes, 4);
}

static void
append16 (GByteArray *out,
          guint16     value)
{
  guint8 bytes[2] = { (guint8) value, (guint8) (value >> 8) };

  g_byte_array_append (out, bytes, 2);
}

static void
pad32 (GByteArray *out)
{
  static const guint8 zeros[3] = { 0 };

  if (out->len % 4 != 0)
    g_byte_array_append (out, zeros, 4 - out->len % 4);
}

static void
set32 (GByteArray *out,
       guint       at,
       guint32     value)
{
  out->data[at] = (guint8) value;
  out->data[at + 1] = (guint8) (value >> 8);
  out->data[at + 2] = (guint8) (value >> 16);
  out->data[at + 3] = (guint8) (value >> 24);
}

/* Starts a block; returns where it starts, for end_block. */
static guint
begin_block (GByteArray *out,
             guint32     type)
{
  guint start = out->len;

  append32 (out, type);
  append32 (out, 0);    /* total length, set by end_block */
  return start;
}

static void
end_block (GByteArray *out,
           guint       start)
{
  guint32 total;

  pad32 (out);
  total = out->len - start + 4;
  set32 (out, start + 4, total);
  append32 (out, total);
}

static void
append_option (GByteArray   *out,
               guint16       code,
               const void   *value,
               gsize         len)
{
  /* An option's length is 16 bits; a longer comment is cut, at a
   * character boundary by the caller. */
  len = MIN (len, (gsize) G_MAXUINT16 - 3);
  append16 (out, code);
  append16 (out, (guint16) len);
  if (len > 0)
    g_byte_array_append (out, value, (guint) len);
  pad32 (out);
}

static void
append_string_option (GByteArray *out,
                      guint16     code,
                      const char *text)
{
  gsize len = strlen (text);

  if (len > G_MAXUINT16 - 3)
    len = (gsize) (g_utf8_find_prev_char (text, text + G_MAXUINT16 - 3) - text);
  append_option (out, code, text, len);
}

static void
end_options (GByteArray *out)
{
  append16 (out, OPT_END);
  append16 (out, 0);
}

void
lan_packet_export_pcapng_append_header (GByteArray *out)
{
  guint start = begin_block (out, BLOCK_SHB);

  append32 (out, BYTE_ORDER_MAGIC);
  append16 (out, 1);            /* major version */
  append16 (out, 0);            /* minor version */
  /* Section length unknown (-1): the file may be written as it grows. */
  append32 (out, 0xffffffffu);
  append32 (out, 0xffffffffu);
  append_string_option (out, SHB_USERAPPL, "Lanchat " PACKAGE_VERSION);
  end_options (out);
  end_block (out, start);
}

static void
append_interface (GByteArray *out,
                  guint32     address)
{
  guint start = begin_block (out, BLOCK_IDB);
  g_autofree char *text = g_strdup_printf ("%u.%u.%u.%u", address >> 24, (address >> 16) & 0xff,
                                           (address >> 8) & 0xff, address & 0xff);
  g_autofree char *name = g_strdup_printf ("lanchat:%s", text);
  g_autofree char *description = g_strdup_printf ("Lanchat's datagrams on %s", text);
  /* The address and, unknown here, an all-ones mask: a host. */
  guint8 ipv4[8] = { (guint8) (address >> 24), (guint8) (address >> 16), (guint8) (address >> 8),
                     (guint8) address, 0xff, 0xff, 0xff, 0xff };
  guint8 tsresol = 6;           /* microseconds, as the log keeps time */

  append16 (out, LINKTYPE_RAW);
  append16 (out, 0);            /* reserved */
  append32 (out, 0);            /* snaplen: no limit */
  append_string_option (out, IF_NAME, name);
  append_string_option (out, IF_DESCRIPTION, description);
  append_option (out, IF_IPV4ADDR, ipv4, sizeof ipv4);
  append_option (out, IF_TSRESOL, &tsresol, 1);
  end_options (out);
  end_block (out, start);
}

static guint32
interface_for (GByteArray *out,
               GArray     *interfaces,
               guint32     address)
{
  for (guint i = 0; i < interfaces->len; i++)
    if (g_array_index (interfaces, guint32, i) == address)
      return i;

  append_interface (out, address);
  g_array_append_val (interfaces, address);
  return interfaces->len - 1;
}

/* "verdict" or "verdict: detail", valid UTF-8. Returns: (transfer full) */
static char *
make_comment (LanPacketLogEntry *entry)
{
  const char *verdict = lan_verdict_to_string (lan_packet_log_entry_get_verdict (entry));
  const char *detail = lan_packet_log_entry_get_detail (entry);
  g_autofree char *valid = NULL;

  if (detail == NULL || *detail == '\0')
    return g_strdup (verdict);
  valid = g_utf8_make_valid (detail, -1);
  return g_strdup_printf ("%s: %s", verdict, valid);
}

void
lan_packet_export_pcapng_append_entry (GByteArray        *out,
                                       GArray            *interfaces,
                                       guint16            ip_id,
                                       LanPacketLogEntry *entry)
{
  LanEndpoint local = lan_packet_log_entry_get_local (entry);
  LanDirection direction = lan_packet_log_entry_get_direction (entry);
  GBytes *bytes = lan_packet_log_entry_get_bytes (entry);
  gsize len = 0;
  const guint8 *data = bytes != NULL ? g_bytes_get_data (bytes, &len) : NULL;
  gint64 time_us = MAX (lan_packet_log_entry_get_time (entry), 0);
  gboolean tcp = (lan_packet_log_entry_get_flags (entry) & LAN_DATAGRAM_TCP) != 0;
  guint32 interface_id = interface_for (out, interfaces, local.address);
  g_autofree char *comment = make_comment (entry);
  guint32 flags = direction == LAN_DIRECTION_IN ? EPB_FLAG_INBOUND : EPB_FLAG_OUTBOUND;
  guint8 flag_bytes[4] = { (guint8) flags, (guint8) (flags >> 8), (guint8) (flags >> 16), (guint8) (flags >> 24) };
  guint start = begin_block (out, BLOCK_EPB);

  append32 (out, interface_id);
  append32 (out, (guint32) ((guint64) time_us >> 32));
  append32 (out, (guint32) (guint64) time_us);
  append32 (out, (guint32) lan_packet_export_pcap_captured_length (len, tcp));
  append32 (out, lan_packet_export_pcap_wire_length (len, tcp));
  lan_packet_export_pcap_append_ipv4 (out, ip_id, direction, local,
                                      lan_packet_log_entry_get_remote (entry), tcp, data, len);
  pad32 (out);
  append_option (out, EPB_FLAGS, flag_bytes, sizeof flag_bytes);
  append_string_option (out, OPT_COMMENT, comment);
  end_options (out);
  end_block (out, start);
}
