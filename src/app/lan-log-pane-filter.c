/* lan-log-pane-filter.c — LanLogPane's search field, the filter it drives
 * and the status line that tells how many rows it lets through.
 *
 * The search field filters what the slice holds: log → slice → filter →
 * selection. The filter model works incrementally, a slice of rows per
 * frame, so a new query over a million rows never freezes the window, and
 * an empty query lets every row through without looking at one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-log-pane-filter"

#include "config.h"

#include <glib/gi18n.h>

#include "lan-log-pane-private.h"

/* How often the status line follows arriving packets. */
#define STATUS_REFRESH_MS 200

const char *
lan_log_pane_format_number (char    buffer[24],
                            guint64 number)
{
  g_snprintf (buffer, 24, "%" G_GUINT64_FORMAT, number);
  return buffer;
}

/* " · " and the formatted text, when @count is not 0. */
static void G_GNUC_PRINTF (3, 4)
append_count (GString    *text,
              guint64     count,
              const char *format,
              ...)
{
  va_list args;

  if (count == 0)
    return;

  g_string_append (text, " · ");
  va_start (args, format);
  g_string_append_vprintf (text, format, args);
  va_end (args);
}

void
_lan_log_pane_update_status (LanLogPane *self)
{
  guint total = self->log ? g_list_model_get_n_items (G_LIST_MODEL (self->log)) : 0;
  guint in_view = g_list_model_get_n_items (_lan_log_pane_unfiltered_rows (self));
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  gboolean filtering = !lan_packet_log_filter_is_empty (self->filter);
  guint pending = filtering ? gtk_filter_list_model_get_pending (self->filtered) : 0;
  guint64 dropped = self->log ? lan_packet_log_get_dropped (self->log) : 0;
  g_autoptr(GString) text = g_string_new (NULL);
  char number[24];

  g_clear_handle_id (&self->status_timeout_id, g_source_remove);

  if (filtering && pending > 0)
    g_string_append_printf (text,
                            /* Translators: status of the packet log while a filter runs */
                            g_dngettext (GETTEXT_PACKAGE,
                                         "Filtering… %u of %u packet so far",
                                         "Filtering… %u of %u packets so far", in_view),
                            shown, in_view);
  else if (filtering)
    g_string_append_printf (text,
                            /* Translators: status of the filtered packet log: shown of all */
                            g_dngettext (GETTEXT_PACKAGE,
                                         "%u of %u packet match",
                                         "%u of %u packets match", in_view),
                            shown, in_view);
  else if (self->paused)
    g_string_append_printf (text,
                            /* Translators: status of the paused packet log */
                            g_dngettext (GETTEXT_PACKAGE,
                                         "Paused — showing %u of %u packet",
                                         "Paused — showing %u of %u packets", total),
                            in_view, total);
  else
    g_string_append_printf (text,
                            g_dngettext (GETTEXT_PACKAGE, "%u packet", "%u packets", total),
                            total);

  if (filtering && self->paused)
    g_string_append_printf (text, " · %s", _("paused"));

  if (self->log != NULL)
    {
      const LanPacketCounters *counters = lan_packet_log_get_counters (self->log);

      /* Problems at a glance, as counted since the last Clear. */
      append_count (text, counters->malformed,
                    /* Translators: %s is a number of packets */
                    g_dngettext (GETTEXT_PACKAGE, "%s malformed", "%s malformed",
                                 LAN_LOG_PANE_PLURAL_N (counters->malformed)),
                    lan_log_pane_format_number (number, counters->malformed));
      append_count (text, counters->duplicates,
                    /* Translators: %s is a number of packets */
                    g_dngettext (GETTEXT_PACKAGE, "%s duplicate", "%s duplicates",
                                 LAN_LOG_PANE_PLURAL_N (counters->duplicates)),
                    lan_log_pane_format_number (number, counters->duplicates));
      append_count (text, counters->resends,
                    /* Translators: %s is a number of packets */
                    g_dngettext (GETTEXT_PACKAGE, "%s resend", "%s resends",
                                 LAN_LOG_PANE_PLURAL_N (counters->resends)),
                    lan_log_pane_format_number (number, counters->resends));
    }

  append_count (text, dropped,
                /* Translators: %s is a number of packets */
                g_dngettext (GETTEXT_PACKAGE, "%s oldest dropped", "%s oldest dropped",
                             LAN_LOG_PANE_PLURAL_N (dropped)),
                lan_log_pane_format_number (number, dropped));
  if (self->kernel_drops_known)
    append_count (text, self->kernel_drops,
                  /* Translators: %s is a number of packets the operating system dropped */
                  g_dngettext (GETTEXT_PACKAGE, "%s dropped by the system", "%s dropped by the system",
                               LAN_LOG_PANE_PLURAL_N (self->kernel_drops)),
                  lan_log_pane_format_number (number, self->kernel_drops));

  gtk_label_set_text (self->status_label, text->str);
}

static void
on_status_timeout (gpointer user_data)
{
  LanLogPane *self = user_data;

  self->status_timeout_id = 0;
  _lan_log_pane_update_status (self);
}

/* Packets arriving change the status line; each change lays out the
 * toolbar again, so under a flood it follows a few times a second. */
void
_lan_log_pane_queue_update_status (LanLogPane *self)
{
  if (self->status_timeout_id == 0)
    self->status_timeout_id = g_timeout_add_once (STATUS_REFRESH_MS, on_status_timeout, self);
}

static void
set_filter_error (LanLogPane   *self,
                  const GError *error,
                  int           error_start,
                  int           error_end)
{
  GtkEditable *delegate = gtk_editable_get_delegate (GTK_EDITABLE (self->search_entry));
  g_autoptr(PangoAttrList) attributes = NULL;

  if (error == NULL)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->search_entry), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->search_entry), NULL);
      gtk_stack_set_visible_child_name (self->status_stack, "status");
      if (GTK_IS_TEXT (delegate))
        gtk_text_set_attributes (GTK_TEXT (delegate), NULL);
      gtk_accessible_reset_state (GTK_ACCESSIBLE (self->search_entry), GTK_ACCESSIBLE_STATE_INVALID);
      return;
    }

  gtk_widget_add_css_class (GTK_WIDGET (self->search_entry), "error");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->search_entry), error->message);
  gtk_label_set_text (self->filter_error_label, error->message);
  /* In the status's place, so nothing below moves; cut to one line there,
   * whole in the tooltips. */
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->filter_error_label), error->message);
  gtk_stack_set_visible_child_name (self->status_stack, "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->search_entry),
                               GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE, -1);

  /* Underline the characters at fault, without moving the cursor. */
  if (GTK_IS_TEXT (delegate) && error_end > error_start)
    {
      const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
      glong n_chars = g_utf8_strlen (text, -1);
      PangoAttribute *underline = pango_attr_underline_new (PANGO_UNDERLINE_ERROR);

      error_start = (int) MIN (error_start, n_chars);
      error_end = (int) MIN (error_end, n_chars);
      underline->start_index = (guint) (g_utf8_offset_to_pointer (text, error_start) - text);
      underline->end_index = (guint) (g_utf8_offset_to_pointer (text, error_end) - text);
      attributes = pango_attr_list_new ();
      pango_attr_list_insert (attributes, underline);
      gtk_text_set_attributes (GTK_TEXT (delegate), attributes);
    }
}

void
_lan_log_pane_apply_filter (LanLogPane *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autoptr(GError) error = NULL;
  int error_start = 0, error_end = 0;

  if (!lan_packet_log_filter_set_query (self->filter, text, &error_start, &error_end, &error))
    {
      /* The rows stay filtered by the last query that made sense. */
      set_filter_error (self, error, error_start, error_end);
      return;
    }

  set_filter_error (self, NULL, 0, 0);
  _lan_log_pane_update_status (self);
}

static void
on_search_changed (LanLogPane *self)
{
  _lan_log_pane_apply_filter (self);
}

static void
on_stop_search (LanLogPane *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  _lan_log_pane_apply_filter (self);
}

static void
on_filtered_notify (LanLogPane *self)
{
  _lan_log_pane_queue_update_status (self);
}

/* The end of a filter run is news at once, not at the next refresh. */
static void
on_filtered_pending_notify (LanLogPane *self)
{
  if (gtk_filter_list_model_get_pending (self->filtered) == 0)
    _lan_log_pane_update_status (self);
  else
    _lan_log_pane_queue_update_status (self);
}

void
_lan_log_pane_filter_init (LanLogPane *self)
{
  g_signal_connect_swapped (self->filtered, "notify::pending", G_CALLBACK (on_filtered_pending_notify), self);
  g_signal_connect_swapped (self->filtered, "items-changed", G_CALLBACK (on_filtered_notify), self);
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (on_search_changed), self);
  g_signal_connect_swapped (self->search_entry, "activate", G_CALLBACK (on_search_changed), self);
  g_signal_connect_swapped (self->search_entry, "stop-search", G_CALLBACK (on_stop_search), self);
}

void
lan_log_pane_set_filter_text (LanLogPane *self,
                              const char *text)
{
  g_return_if_fail (LAN_IS_LOG_PANE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
  /* At once, not after the search entry's typing delay. */
  _lan_log_pane_apply_filter (self);
}

const char *
lan_log_pane_get_filter_text (LanLogPane *self)
{
  g_return_val_if_fail (LAN_IS_LOG_PANE (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
}

GtkWidget *
lan_log_pane_get_search_entry (LanLogPane *self)
{
  g_return_val_if_fail (LAN_IS_LOG_PANE (self), NULL);

  return GTK_WIDGET (self->search_entry);
}

const char *
lan_log_pane_get_filter_error (LanLogPane *self)
{
  g_return_val_if_fail (LAN_IS_LOG_PANE (self), NULL);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->status_stack), "error") != 0)
    return NULL;
  return gtk_label_get_text (self->filter_error_label);
}

const char *
lan_log_pane_get_status (LanLogPane *self)
{
  g_return_val_if_fail (LAN_IS_LOG_PANE (self), NULL);

  return gtk_label_get_text (self->status_label);
}
