/* lan-packet-export-text.c — log rows as text: CSV and JSON Lines.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-packet-export-text"

#include "config.h"

#include <string.h>

#include "lan-json-text.h"
#include "lan-packet-export-text.h"

static const char * const csv_columns[] = {
  "no", "time", "direction", "local", "remote", "length", "command", "command_value",
  "flags", "packet_no", "user", "host", "text", "verdict", "detail", "proto", "transfer",
  "data_base64",
};

/* CSV */

static gboolean
needs_formula_guard (const char *text)
{
  return text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' ||
         text[0] == '\t' || text[0] == '\r';
}

/* RFC 4180: quoted when it holds a comma, quote or line break; quotes doubled.
 * @guard: untrusted text, kept from being read as a formula. */
static void
append_csv_field (GString    *out,
                  const char *text,
                  gboolean    guard,
                  gboolean    last)
{
  gboolean quote;

  if (text == NULL)
    text = "";
  quote = strpbrk (text, ",\"\r\n") != NULL;
  if (quote)
    g_string_append_c (out, '"');
  if (guard && needs_formula_guard (text))
    g_string_append_c (out, '\'');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  if (quote)
    g_string_append_c (out, '"');
  g_string_append (out, last ? "\r\n" : ",");
}

static char *
format_time (gint64 time_us)
{
  g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_utc (time_us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) time = seconds != NULL ? g_date_time_add (seconds, time_us % G_USEC_PER_SEC) : NULL;

  /* The same text as the JSON "time". */
  return time != NULL ? g_date_time_format_iso8601 (time) : g_strdup ("");
}

void
lan_packet_export_csv_append_header (GByteArray *out)
{
  g_autoptr(GString) line = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (csv_columns); i++)
    append_csv_field (line, csv_columns[i], FALSE, i + 1 == G_N_ELEMENTS (csv_columns));
  g_byte_array_append (out, (const guint8 *) line->str, (guint) line->len);
}

void
lan_packet_export_csv_append_row (GByteArray        *out,
                                  LanPacketLogEntry *entry)
{
  g_autoptr(GString) line = g_string_new (NULL);
  gboolean parsed = lan_packet_log_entry_get_parsed (entry);
  GBytes *bytes = lan_packet_log_entry_get_bytes (entry);
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  g_autofree char *number = g_strdup_printf ("%" G_GUINT64_FORMAT, lan_packet_log_entry_get_number (entry));
  g_autofree char *time = format_time (lan_packet_log_entry_get_time (entry));
  g_autofree char *local = lan_endpoint_to_string (lan_packet_log_entry_get_local (entry));
  g_autofree char *remote = lan_endpoint_to_string (lan_packet_log_entry_get_remote (entry));
  g_autofree char *length = g_strdup_printf ("%" G_GSIZE_FORMAT, len);
  g_autofree char *command_value = parsed ? g_strdup_printf ("%u", lan_packet_log_entry_get_command (entry)) : NULL;
  g_autofree char *packet_no = parsed ? g_strdup_printf ("%" G_GUINT64_FORMAT, lan_packet_log_entry_get_packet_no (entry)) : NULL;
  g_autofree char *base64 = g_base64_encode (data, len);
  const char *detail = lan_packet_log_entry_get_detail (entry);
  LanDatagramFlags flags = lan_packet_log_entry_get_flags (entry);

  /* Like the JSON: without a detail of our own, a parse error says why. */
  if (detail == NULL && !parsed)
    detail = lan_packet_log_entry_get_info (entry);

  append_csv_field (line, number, FALSE, FALSE);
  append_csv_field (line, time, FALSE, FALSE);
  append_csv_field (line, lan_packet_log_entry_get_direction (entry) == LAN_DIRECTION_IN ? "in" : "out", FALSE, FALSE);
  append_csv_field (line, local, FALSE, FALSE);
  append_csv_field (line, remote, FALSE, FALSE);
  append_csv_field (line, length, FALSE, FALSE);
  append_csv_field (line, parsed ? lan_packet_log_entry_get_command_name (entry) : NULL, FALSE, FALSE);
  append_csv_field (line, command_value, FALSE, FALSE);
  append_csv_field (line, lan_packet_log_entry_get_flags_text (entry), FALSE, FALSE);
  append_csv_field (line, packet_no, FALSE, FALSE);
  append_csv_field (line, lan_packet_log_entry_get_user (entry), TRUE, FALSE);
  append_csv_field (line, lan_packet_log_entry_get_host (entry), TRUE, FALSE);
  append_csv_field (line, lan_packet_log_entry_get_text (entry), TRUE, FALSE);
  append_csv_field (line, lan_verdict_to_string (lan_packet_log_entry_get_verdict (entry)), FALSE, FALSE);
  append_csv_field (line, detail, TRUE, FALSE);
  append_csv_field (line, (flags & LAN_DATAGRAM_TCP) ? "tcp" : "udp", FALSE, FALSE);
  append_csv_field (line, (flags & LAN_DATAGRAM_TRANSFER) ? "true" : "", FALSE, FALSE);
  append_csv_field (line, base64, FALSE, TRUE);
  g_byte_array_append (out, (const guint8 *) line->str, (guint) line->len);
}

/* JSON Lines */

void
lan_packet_export_json_append_line (GByteArray        *out,
                                    LanPacketLogEntry *entry)
{
  g_autoptr(JsonNode) node = lan_packet_log_entry_to_json (entry);
  /* As lanchat-cli prints it: packet numbers unsigned, hidden characters escaped. */
  g_autofree char *text = lan_json_to_display_string (node);

  g_byte_array_append (out, (const guint8 *) text, (guint) strlen (text));
  g_byte_array_append (out, (const guint8 *) "\n", 1);
}
