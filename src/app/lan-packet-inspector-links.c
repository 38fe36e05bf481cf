/* lan-packet-inspector-links.c — a message's sends and acknowledgement in words.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-packet-inspector-links"

#include "config.h"

#include <glib/gi18n.h>

#include "lan-log-format.h"
#include "lan-packet-inspector-links.h"

/**
 * lan_packet_inspector_format_row_number:
 *
 * Returns: (transfer full):
 */
char *
lan_packet_inspector_format_row_number (guint64 number)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT, number);

  /* Translators: a row of the packet log, by its number */
  return g_strdup_printf (_("No. %s"), digits);
}

static char *
format_duration (gint64 us)
{
  if (us < 0)
    us = 0;
  if (us < 10 * G_USEC_PER_SEC)
    /* Translators: a duration in milliseconds */
    return g_strdup_printf (_("%.1f ms"), us / 1000.0);
  /* Translators: a duration in seconds */
  return g_strdup_printf (_("%.1f s"), us / (double) G_USEC_PER_SEC);
}

static void
append_link (GString             *out,
             guint64              inspected_number,
             const LanPacketLink *link)
{
  g_autofree char *number = lan_packet_inspector_format_row_number (link->number);
  g_autofree char *escaped = g_markup_escape_text (number, -1);

  if (link->number == inspected_number)
    /* The row being inspected: no link to where we are. */
    g_string_append_printf (out, "<b>%s</b>", escaped);
  else
    g_string_append_printf (out, "<a href=\"packet:%" G_GUINT64_FORMAT "\">%s</a>",
                            link->number, escaped);

  if (link->verdict == LAN_VERDICT_RESEND || link->verdict == LAN_VERDICT_DUPLICATE)
    {
      g_autofree char *verdict = g_markup_escape_text (lan_log_verdict_label (link->verdict), -1);
      g_string_append_printf (out, " (%s)", verdict);
    }
}

static void
append_escaped (GString    *out,
                const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  g_string_append (out, escaped);
}

/* The message, its sends and its acknowledgement, as one paragraph of
 * markup with links: "Message 123 · Sent as No. 5, No. 7 (Resend) ·
 * Acknowledged by No. 9 · Round trip 3.1 ms from the first send, …". */
/**
 * lan_packet_inspector_format_links:
 *
 * Returns: (transfer full):
 */
char *
lan_packet_inspector_format_links (const LanPacketLinks *links,
                                   guint64               inspected_number)
{
  GString *out = g_string_new (NULL);
  const char *separator = " · ";
  gboolean ours = TRUE;
  gboolean first;

  for (guint i = 0; i < links->links->len; i++)
    {
      const LanPacketLink *link = &g_array_index (links->links, LanPacketLink, i);

      if (link->kind == LAN_PACKET_LINK_SEND)
        {
          ours = link->direction == LAN_DIRECTION_OUT;
          break;
        }
    }

  {
    g_autofree char *packet_no = g_strdup_printf ("%" G_GUINT64_FORMAT, links->packet_no);
    /* Translators: a message, by the packet number it was sent with */
    g_autofree char *heading = g_strdup_printf (C_("packet log", "Message %s"), packet_no);

    g_string_append (out, "<b>");
    append_escaped (out, heading);
    g_string_append (out, "</b>");
  }

  g_string_append (out, separator);
  /* Translators: followed by the log rows that carry a message */
  append_escaped (out, ours ? _("Sent as") : _("Received as"));
  g_string_append_c (out, ' ');
  first = TRUE;
  for (guint i = 0; i < links->links->len; i++)
    {
      const LanPacketLink *link = &g_array_index (links->links, LanPacketLink, i);

      if (link->kind != LAN_PACKET_LINK_SEND)
        continue;
      if (!first)
        g_string_append (out, ", ");
      append_link (out, inspected_number, link);
      first = FALSE;
    }
  if (first)
    g_string_append (out, "—");

  first = TRUE;
  for (guint i = 0; i < links->links->len; i++)
    {
      const LanPacketLink *link = &g_array_index (links->links, LanPacketLink, i);

      if (link->kind != LAN_PACKET_LINK_ACK)
        continue;
      if (first)
        {
          g_string_append (out, separator);
          /* Translators: followed by the log rows that acknowledge a message */
          append_escaped (out, _("Acknowledged by"));
          g_string_append_c (out, ' ');
        }
      else
        g_string_append (out, ", ");
      append_link (out, inspected_number, link);
      first = FALSE;
    }

  g_string_append (out, separator);
  if (!links->acknowledged)
    {
      append_escaped (out, ours ? _("No acknowledgement from them (yet)")
                                : _("We sent no acknowledgement (yet)"));
      return g_string_free (out, FALSE);
    }

  {
    g_autofree char *rtt_first = format_duration (links->rtt_first_us);
    g_autofree char *rtt_last = format_duration (links->rtt_last_us);
    g_autofree char *text = NULL;

    if (links->sends > 1)
      text = ours
        /* Translators: round-trip times from the first and from the last send to the acknowledgement */
        ? g_strdup_printf (_("Round trip %s from the first send, %s from the last"), rtt_first, rtt_last)
        /* Translators: how long after the first and the last copy of a message we acknowledged it */
        : g_strdup_printf (_("Acknowledged %s after the first copy, %s after the last"), rtt_first, rtt_last);
    else
      text = ours
        /* Translators: a round-trip time */
        ? g_strdup_printf (_("Round trip %s"), rtt_first)
        /* Translators: how long after a message arrived we acknowledged it */
        : g_strdup_printf (_("Acknowledged %s after it arrived"), rtt_first);
    append_escaped (out, text);
  }

  return g_string_free (out, FALSE);
}
