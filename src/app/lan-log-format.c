/* lan-log-format.c — how the packet log puts things into words.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-log-format"

#include "config.h"

#include <glib/gi18n.h>

#include "lan-log-format.h"

#define HEX_DUMP_BYTES_PER_LINE 16

/* Local wall-clock time with milliseconds: packets a few ms apart must be
 * told apart, and the date is the same for almost every row. */
char *
lan_log_format_time (gint64 time_us)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (time_us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *hms = NULL;

  if (utc == NULL)
    return g_strdup ("?");

  local = g_date_time_to_local (utc);
  hms = g_date_time_format (local, "%H:%M:%S");
  return g_strdup_printf ("%s.%03d", hms, (int) ((time_us % G_USEC_PER_SEC) / 1000));
}

/**
 * lan_log_format_hex_dump:
 *
 * The classic layout, 16 bytes a line in two groups of 8, then the bytes
 * that are printable ASCII, dots for the rest:
 *
 *     0000  31 3a 31 32 33 3a 61 6c  69 63 65 3a 62 6f 78 3a  1:123:alice:box:
 *
 * Returns: (transfer full): "" for no bytes
 */
char *
lan_log_format_hex_dump (const guint8 *data,
                         gsize         len)
{
  GString *out = g_string_sized_new ((len / HEX_DUMP_BYTES_PER_LINE + 1) * 76);

  for (gsize line = 0; line < len; line += HEX_DUMP_BYTES_PER_LINE)
    {
      gsize n = MIN (HEX_DUMP_BYTES_PER_LINE, len - line);

      g_string_append_printf (out, "%04zx  ", line);

      for (gsize i = 0; i < HEX_DUMP_BYTES_PER_LINE; i++)
        {
          if (i < n)
            g_string_append_printf (out, "%02x ", data[line + i]);
          else
            g_string_append (out, "   ");
          if (i == HEX_DUMP_BYTES_PER_LINE / 2 - 1)
            g_string_append_c (out, ' ');
        }

      g_string_append_c (out, ' ');
      for (gsize i = 0; i < n; i++)
        {
          guint8 b = data[line + i];
          g_string_append_c (out, (b >= 0x20 && b < 0x7f) ? (char) b : '.');
        }
      g_string_append_c (out, '\n');
    }

  return g_string_free (out, FALSE);
}

void
lan_log_hex_dump_position (gsize  index,
                           gsize *line,
                           guint *hex_column,
                           guint *ascii_column)
{
  guint column = (guint) (index % HEX_DUMP_BYTES_PER_LINE);
  /* "0000  " and 3 characters a byte, one more space after the 8th, then two. */
  guint offset_width = 6;

  if (line != NULL)
    *line = index / HEX_DUMP_BYTES_PER_LINE;
  if (hex_column != NULL)
    *hex_column = offset_width + column * 3 + (column >= HEX_DUMP_BYTES_PER_LINE / 2 ? 1 : 0);
  if (ascii_column != NULL)
    *ascii_column = offset_width + HEX_DUMP_BYTES_PER_LINE * 3 + 2 + column;
}

const char *
lan_log_verdict_label (LanVerdict verdict)
{
  switch (verdict)
    {
    case LAN_VERDICT_OK:              return _("OK");
    case LAN_VERDICT_MALFORMED:       return _("Malformed");
    case LAN_VERDICT_DUPLICATE:       return _("Duplicate");
    case LAN_VERDICT_UNMATCHED_REPLY: return _("Unmatched reply");
    case LAN_VERDICT_WRONG_ADDRESS:   return _("Reply from wrong address");
    case LAN_VERDICT_TRUNCATED:       return _("Truncated");
    case LAN_VERDICT_SEND_ERROR:      return _("Send error");
    case LAN_VERDICT_OWN:             return _("Own broadcast");
    case LAN_VERDICT_SPOOFED:         return _("Spoofed");
    case LAN_VERDICT_UNKNOWN_COMMAND: return _("Unknown command");
    case LAN_VERDICT_RESEND:          return _("Resend");
    case LAN_VERDICT_REJECTED:        return _("Rejected");
    case LAN_VERDICT_N:
    default:
      return _("Unknown");
    }
}

/* Three levels so the log can be scanned by colour: packets that were
 * wrong, packets that are normal protocol noise worth a glance, and our own
 * echoes that only clutter. The class names are in style.css. */
const char *
lan_log_verdict_css_class (LanVerdict verdict)
{
  switch (verdict)
    {
    case LAN_VERDICT_MALFORMED:
    case LAN_VERDICT_WRONG_ADDRESS:
    case LAN_VERDICT_TRUNCATED:
    case LAN_VERDICT_SEND_ERROR:
    case LAN_VERDICT_SPOOFED:
      return "log-bad";

    case LAN_VERDICT_DUPLICATE:
    case LAN_VERDICT_UNMATCHED_REPLY:
    case LAN_VERDICT_UNKNOWN_COMMAND:
    case LAN_VERDICT_RESEND:
    case LAN_VERDICT_REJECTED:
      return "log-odd";

    case LAN_VERDICT_OWN:
      return "log-own";

    case LAN_VERDICT_OK:
    case LAN_VERDICT_N:
    default:
      return NULL;
    }
}

const char *
lan_log_direction_label (LanDirection direction)
{
  /* Translators: packet direction in the log, keep it very short */
  return direction == LAN_DIRECTION_IN ? C_("direction", "In") : C_("direction", "Out");
}

char *
lan_log_format_source (LanPacketLogEntry *entry)
{
  if (lan_packet_log_entry_get_direction (entry) == LAN_DIRECTION_IN)
    return lan_endpoint_to_string (lan_packet_log_entry_get_remote (entry));
  return lan_endpoint_to_string (lan_packet_log_entry_get_local (entry));
}

char *
lan_log_format_destination (LanPacketLogEntry *entry)
{
  if (lan_packet_log_entry_get_direction (entry) == LAN_DIRECTION_IN)
    return lan_endpoint_to_string (lan_packet_log_entry_get_local (entry));
  return lan_endpoint_to_string (lan_packet_log_entry_get_remote (entry));
}
