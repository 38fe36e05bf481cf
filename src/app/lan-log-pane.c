/* lan-log-pane.c — the packet log as a table, with a details and bytes view.
 *
 * The table follows new packets while it is scrolled to the bottom and
 * stops following as soon as the person scrolls up (LanScrollFollower), so
 * a row being read does not run away. Pause freezes what the table shows without touching
 * the log itself: the model chain is log → slice → selection, and pausing
 * only pins the slice to the entries that were there, tracked by their
 * packet numbers so that the ring dropping its oldest entries does not
 * shift the frozen rows.
 *
 * The search field filters what the slice holds: log → slice → filter →
 * selection. The filter model works incrementally, a slice of rows per
 * frame, so a new query over a million rows never freezes the window, and
 * an empty query lets every row through without looking at one.
 *
 * Export writes all of the log, or the rows shown, in slices on the main
 * loop (lan_packet_export_async) to a file replaced only once complete.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "lan-ipmsg.h"
#include "lan-log-cell.h"
#include "lan-log-format.h"
#include "lan-log-pane.h"
#include "lan-packet-inspector.h"
#include "lan-packet-log-filter.h"
#include "lan-scroll-follower.h"
#include "lan-text.h"

/* How often the counters shown in their popover are brought up to date
 * while packets pour in. */
#define COUNTERS_REFRESH_MS 250
/* How often the status line follows arriving packets. */
#define STATUS_REFRESH_MS 200
/* How soon a message's acknowledgement is looked for again as rows arrive. */
#define LINKS_REFRESH_MS 300

typedef enum {
  COLUMN_NUMBER,
  COLUMN_TIME,
  COLUMN_DIRECTION,
  COLUMN_SOURCE,
  COLUMN_DESTINATION,
  COLUMN_LENGTH,
  COLUMN_COMMAND,
  COLUMN_INFO,
  N_COLUMNS
} LogColumn;

/* Widths in characters, so columns fit their content in any font and do
 * not jump as rows scroll by; only Info takes what is left. */
static const struct {
  const char *title;
  float       xalign;
  gboolean    expand;
  gboolean    numeric;
  int         width_chars;
} columns[N_COLUMNS] = {
  [COLUMN_NUMBER]      = { NC_("log column", "No."),         1.0, FALSE, TRUE,  5 },
  [COLUMN_TIME]        = { NC_("log column", "Time"),        0.0, FALSE, TRUE,  12 },
  [COLUMN_DIRECTION]   = { NC_("log column", "Dir"),         0.0, FALSE, FALSE, 3 },
  [COLUMN_SOURCE]      = { NC_("log column", "Source"),      0.0, FALSE, TRUE,  15 },
  [COLUMN_DESTINATION] = { NC_("log column", "Destination"), 0.0, FALSE, TRUE,  15 },
  [COLUMN_LENGTH]      = { NC_("log column", "Length"),      1.0, FALSE, TRUE,  5 },
  [COLUMN_COMMAND]     = { NC_("log column", "Command"),     0.0, FALSE, FALSE, 10 },
  [COLUMN_INFO]        = { NC_("log column", "Info"),        0.0, TRUE,  FALSE, 16 },
};

static const char * const verdict_classes[] = { "log-bad", "log-odd", "log-own" };

struct _LanLogPane
{
  GtkWidget           parent_instance;

  LanPacketLog       *log;
  GtkSliceListModel  *slice;
  LanPacketLogFilter *filter;
  GtkFilterListModel *filtered;
  GtkSingleSelection *selection;
  guint64             kernel_drops;
  gboolean            kernel_drops_known;
  guint               counters_timeout_id;
  guint               links_timeout_id;
  guint               follow_button_idle_id;
  guint               status_timeout_id;

  /* While paused, the packet numbers [paused_first, paused_end) stay shown. */
  guint64             paused_first;
  guint64             paused_end;
  gboolean            paused;

  LanScrollFollower  *follower;

  GtkSearchEntry     *search_entry;
  GtkLabel           *status_label;
  GtkWidget          *follow_button;
  GtkRevealer        *filter_error_revealer;
  GtkLabel           *filter_error_label;
  GtkPopover         *counters_popover;
  GtkGrid            *counters_grid;
  GtkPaned           *paned;
  GtkScrolledWindow  *list_scroller;
  GtkColumnView      *column_view;
  LanPacketInspector *inspector;
  gboolean            inspector_sized;
};

G_DEFINE_FINAL_TYPE (LanLogPane, lan_log_pane, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LOG,
  PROP_PAUSED,
  PROP_FOLLOWING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static guint64
entry_number_at (GListModel *model,
                 guint       position)
{
  g_autoptr(LanPacketLogEntry) entry = g_list_model_get_item (model, position);

  return entry != NULL ? lan_packet_log_entry_get_number (entry) : 0;
}

/* Entries are numbered consecutively and the ring only loses its oldest, so
 * a number maps to a position by subtraction. Should that ever not hold,
 * the slice is left as it was rather than showing the wrong rows. */
/* The rows before filtering: the log, or while paused its frozen part. */
static GListModel *
unfiltered_rows (LanLogPane *self)
{
  GListModel *rows = gtk_filter_list_model_get_model (self->filtered);

  return rows != NULL ? rows : G_LIST_MODEL (self->slice);
}

static void
update_slice (LanLogPane *self)
{
  GListModel *log = G_LIST_MODEL (self->log);
  GListModel *rows = self->paused ? G_LIST_MODEL (self->slice) : log;
  guint n;
  guint64 first, last, start, end;

  if (gtk_filter_list_model_get_model (self->filtered) != rows)
    gtk_filter_list_model_set_model (self->filtered, rows);

  if (!self->paused)
    return;

  n = log != NULL ? g_list_model_get_n_items (log) : 0;
  if (n == 0)
    {
      gtk_slice_list_model_set_size (self->slice, 0);
      return;
    }

  first = entry_number_at (log, 0);
  last = entry_number_at (log, n - 1);
  if (last - first + 1 != n)
    return;

  start = MAX (self->paused_first, first);
  end = MIN (self->paused_end, last + 1);
  if (end <= start)
    {
      gtk_slice_list_model_set_size (self->slice, 0);
      return;
    }

  gtk_slice_list_model_set_offset (self->slice, (guint) (start - first));
  gtk_slice_list_model_set_size (self->slice, (guint) (end - start));
}

#define PLURAL_N(count) ((gulong) MIN ((count), G_MAXULONG))

static const char *
format_number (char    buffer[24],
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

static void
update_status (LanLogPane *self)
{
  guint total = self->log ? g_list_model_get_n_items (G_LIST_MODEL (self->log)) : 0;
  guint in_view = g_list_model_get_n_items (unfiltered_rows (self));
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
                                 PLURAL_N (counters->malformed)),
                    format_number (number, counters->malformed));
      append_count (text, counters->duplicates,
                    /* Translators: %s is a number of packets */
                    g_dngettext (GETTEXT_PACKAGE, "%s duplicate", "%s duplicates",
                                 PLURAL_N (counters->duplicates)),
                    format_number (number, counters->duplicates));
      append_count (text, counters->resends,
                    /* Translators: %s is a number of packets */
                    g_dngettext (GETTEXT_PACKAGE, "%s resend", "%s resends",
                                 PLURAL_N (counters->resends)),
                    format_number (number, counters->resends));
    }

  append_count (text, dropped,
                /* Translators: %s is a number of packets */
                g_dngettext (GETTEXT_PACKAGE, "%s oldest dropped", "%s oldest dropped",
                             PLURAL_N (dropped)),
                format_number (number, dropped));
  if (self->kernel_drops_known)
    append_count (text, self->kernel_drops,
                  /* Translators: %s is a number of packets the operating system dropped */
                  g_dngettext (GETTEXT_PACKAGE, "%s dropped by the system", "%s dropped by the system",
                               PLURAL_N (self->kernel_drops)),
                  format_number (number, self->kernel_drops));

  gtk_label_set_text (self->status_label, text->str);
}

static void
on_status_timeout (gpointer user_data)
{
  LanLogPane *self = user_data;

  self->status_timeout_id = 0;
  update_status (self);
}

/* Packets arriving change the status line; each change lays out the
 * toolbar again, so under a flood it follows a few times a second. */
static void
queue_update_status (LanLogPane *self)
{
  if (self->status_timeout_id == 0)
    self->status_timeout_id = g_timeout_add_once (STATUS_REFRESH_MS, on_status_timeout, self);
}

static void
on_follow_button_idle (gpointer user_data)
{
  LanLogPane *self = user_data;

  self->follow_button_idle_id = 0;
  gtk_widget_set_visible (self->follow_button, !lan_log_pane_get_following (self));
}

/* Following stops when the table's adjustment moves, which it does while
 * the table is being laid out; showing a button then would change the
 * toolbar in the middle of a frame. */
static void
on_following_notify (LanLogPane *self)
{
  if (self->follow_button_idle_id == 0)
    self->follow_button_idle_id = g_idle_add_once (on_follow_button_idle, self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOWING]);
}

static gboolean
position_in_slice (LanLogPane        *self,
                   LanPacketLogEntry *entry,
                   guint             *position)
{
  GListModel *slice = unfiltered_rows (self);
  guint64 number = lan_packet_log_entry_get_number (entry);
  guint n = g_list_model_get_n_items (slice);
  guint64 first;

  if (n == 0)
    return FALSE;
  first = entry_number_at (slice, 0);
  if (number < first || number - first >= n)
    return FALSE;
  *position = (guint) (number - first);
  return entry_number_at (slice, *position) == number;
}

/* The first packet inspected gets an inspector wide enough for its whole
 * dump, as long as the table keeps a useful width; later the split is the
 * person's. */
static void
size_inspector (LanLogPane *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self->paned));
  int wanted = lan_packet_inspector_get_dump_width (self->inspector);
  int table_min = 0;

  if (self->inspector_sized || width <= 0)
    return;
  self->inspector_sized = TRUE;

  gtk_widget_measure (GTK_WIDGET (self->list_scroller), GTK_ORIENTATION_HORIZONTAL, -1,
                      &table_min, NULL, NULL, NULL);
  if (gtk_widget_get_width (GTK_WIDGET (self->inspector)) < wanted)
    gtk_paned_set_position (self->paned, MAX (table_min, width - wanted));
}

static void
show_details (LanLogPane        *self,
              LanPacketLogEntry *entry)
{
  guint position = 0;

  if (entry != NULL)
    size_inspector (self);

  g_clear_handle_id (&self->links_timeout_id, g_source_remove);

  /* Links are looked for among the rows before filtering: an
   * acknowledgement does not stop being one because the search hides it. */
  if (entry != NULL && position_in_slice (self, entry, &position))
    lan_packet_inspector_set_entry (self->inspector, entry, unfiltered_rows (self), position);
  else
    lan_packet_inspector_set_entry (self->inspector, entry, NULL, 0);
}

static void
on_links_timeout (gpointer user_data)
{
  LanLogPane *self = user_data;

  self->links_timeout_id = 0;
  lan_packet_inspector_refresh_links (self->inspector);
}

static void
on_log_items_changed (LanLogPane *self)
{
  if (self->paused)
    update_slice (self);
  queue_update_status (self);

  /* The acknowledgement of the message being inspected may just have come. */
  if (self->links_timeout_id == 0 && lan_packet_inspector_get_awaiting_links (self->inspector))
    self->links_timeout_id = g_timeout_add_once (LINKS_REFRESH_MS, on_links_timeout, self);
}

static void
on_log_dropped_notify (LanLogPane *self)
{
  queue_update_status (self);
}

/* A person who picks an older row is reading it: keep it in view rather
 * than scrolling on with new packets ("Jump to Latest" resumes). */
static void
on_selected_item_notify (LanLogPane *self)
{
  guint position = gtk_single_selection_get_selected (self->selection);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  LanPacketLogEntry *entry = gtk_single_selection_get_selected_item (self->selection);

  if (position != GTK_INVALID_LIST_POSITION && position + 1 < n)
    lan_scroll_follower_set_following (self->follower, FALSE);

  /* The same row staying selected while rows come and go needs no new look. */
  if (entry != NULL && lan_packet_inspector_get_entry (self->inspector) != NULL &&
      lan_packet_log_entry_get_number (entry) ==
      lan_packet_log_entry_get_number (lan_packet_inspector_get_entry (self->inspector)) &&
      !lan_packet_log_entry_get_evicted (entry))
    return;

  show_details (self, entry);
}

/* ---- filter --------------------------------------------------------- */

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
      gtk_revealer_set_reveal_child (self->filter_error_revealer, FALSE);
      if (GTK_IS_TEXT (delegate))
        gtk_text_set_attributes (GTK_TEXT (delegate), NULL);
      gtk_accessible_reset_state (GTK_ACCESSIBLE (self->search_entry), GTK_ACCESSIBLE_STATE_INVALID);
      return;
    }

  gtk_widget_add_css_class (GTK_WIDGET (self->search_entry), "error");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->search_entry), error->message);
  gtk_label_set_text (self->filter_error_label, error->message);
  gtk_revealer_set_reveal_child (self->filter_error_revealer, TRUE);
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

static void
apply_filter (LanLogPane *self)
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
  update_status (self);
}

static void
on_search_changed (LanLogPane *self)
{
  apply_filter (self);
}

static void
on_stop_search (LanLogPane *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  apply_filter (self);
}

static void
on_filtered_notify (LanLogPane *self)
{
  queue_update_status (self);
}

/* The end of a filter run is news at once, not at the next refresh. */
static void
on_filtered_pending_notify (LanLogPane *self)
{
  if (gtk_filter_list_model_get_pending (self->filtered) == 0)
    update_status (self);
  else
    queue_update_status (self);
}

/* ---- counters ------------------------------------------------------- */

static void
add_counter_row (GtkGrid    *grid,
                 int         row,
                 const char *name,
                 const char *first,
                 const char *second)
{
  GtkWidget *label = gtk_label_new (name);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_grid_attach (grid, label, 0, row, 1, 1);

  for (int column = 0; column < 2; column++)
    {
      const char *value = column == 0 ? first : second;

      if (value == NULL)
        continue;
      label = gtk_label_new (value);
      gtk_label_set_xalign (GTK_LABEL (label), 1);
      gtk_widget_add_css_class (label, "numeric");
      gtk_grid_attach (grid, label, 1 + column, row, 1, 1);
    }
}

static void
add_counter_heading (GtkGrid    *grid,
                     int         row,
                     const char *name,
                     const char *first,
                     const char *second)
{
  add_counter_row (grid, row, name, first, second);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (grid));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int child_row;

      gtk_grid_query_child (grid, child, NULL, &child_row, NULL, NULL);
      if (child_row == row)
        gtk_widget_add_css_class (child, "heading");
    }
}

static void
update_counters (LanLogPane *self)
{
  const LanPacketCounters *counters;
  GtkGrid *grid = self->counters_grid;
  GtkWidget *child;
  int row = 0;
  char in[24], out[24];

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (grid))) != NULL)
    gtk_grid_remove (grid, child);

  if (self->log == NULL)
    return;
  counters = lan_packet_log_get_counters (self->log);

  add_counter_heading (grid, row++, "", C_("counters", "In"), C_("counters", "Out"));
  add_counter_row (grid, row++, _("Packets"),
                   format_number (in, counters->packets_in), format_number (out, counters->packets_out));
  add_counter_row (grid, row++, _("Bytes"),
                   format_number (in, counters->bytes_in), format_number (out, counters->bytes_out));
  add_counter_row (grid, row++, _("Malformed"), format_number (in, counters->malformed), NULL);
  add_counter_row (grid, row++, _("Duplicates"), format_number (in, counters->duplicates), NULL);
  add_counter_row (grid, row++, _("Resends"), NULL, format_number (out, counters->resends));
  add_counter_row (grid, row++, _("Dropped from the log"),
                   format_number (in, lan_packet_log_get_dropped (self->log)), NULL);
  add_counter_row (grid, row++, _("Dropped by the system"),
                   self->kernel_drops_known ? format_number (in, self->kernel_drops)
                                            : C_("counter", "not known"),
                   NULL);

  add_counter_heading (grid, row++, _("By command"), C_("counters", "In"), C_("counters", "Out"));
  for (guint mode = 0; mode < G_N_ELEMENTS (counters->commands_in); mode++)
    {
      const char *name;
      g_autofree char *unknown = NULL;

      if (counters->commands_in[mode] == 0 && counters->commands_out[mode] == 0)
        continue;
      name = lan_ipmsg_command_name (mode);
      if (name == NULL)
        name = unknown = g_strdup_printf ("0x%02x", mode);
      add_counter_row (grid, row++, name,
                       format_number (in, counters->commands_in[mode]),
                       format_number (out, counters->commands_out[mode]));
    }
}

static void
on_counters_timeout (gpointer user_data)
{
  LanLogPane *self = user_data;

  self->counters_timeout_id = 0;
  if (gtk_widget_get_visible (GTK_WIDGET (self->counters_popover)))
    update_counters (self);
}

/* Counted with every packet; shown at a pace a person can read. */
static void
on_counters_changed (LanLogPane *self)
{
  if (self->counters_timeout_id == 0 && gtk_widget_get_visible (GTK_WIDGET (self->counters_popover)))
    self->counters_timeout_id = g_timeout_add_once (COUNTERS_REFRESH_MS, on_counters_timeout, self);
  queue_update_status (self);
}

static void
on_counters_popover_visible (LanLogPane *self)
{
  if (gtk_widget_get_visible (GTK_WIDGET (self->counters_popover)))
    update_counters (self);
}

static void
reset_counters_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  LanLogPane *self = LAN_LOG_PANE (widget);

  if (self->log == NULL)
    return;
  lan_packet_log_reset_counters (self->log);
  lan_packet_log_flush (self->log);
  update_counters (self);
}

/* ---- links ---------------------------------------------------------- */

/* Entries are in number order in every model of the chain. */
static gboolean
find_number (GListModel *model,
             guint64     number,
             guint      *position)
{
  guint low = 0, high = g_list_model_get_n_items (model);

  while (low < high)
    {
      guint middle = low + (high - low) / 2;
      guint64 at = entry_number_at (model, middle);

      if (at == number)
        {
          *position = middle;
          return TRUE;
        }
      if (at < number)
        low = middle + 1;
      else
        high = middle;
    }
  return FALSE;
}

static void
show_toast (LanLogPane *self,
            const char *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  g_autofree char *escaped = NULL;
  AdwToast *toast;

  if (overlay == NULL)
    {
      g_message ("%s", message);
      return;
    }

  /* Toast titles are markup; ours may quote a file name. */
  escaped = g_markup_escape_text (message, -1);
  toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

static GtkWidget *
find_list_view (GtkWidget *widget)
{
  if (GTK_IS_LIST_VIEW (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_list_view (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
scroll_to_row (LanLogPane *self,
               guint       position)
{
  /* GTK 4.8 has no gtk_column_view_scroll_to(); its list view has the action. */
  GtkWidget *list_view = find_list_view (GTK_WIDGET (self->column_view));

  if (list_view != NULL)
    gtk_widget_activate_action (list_view, "list.scroll-to-item", "u", position);
}

/* Following: the last row, as the list knows it now. */
static void
scroll_to_last_row (gpointer user_data)
{
  LanLogPane *self = user_data;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));

  if (n > 0)
    scroll_to_row (self, n - 1);
}

static void
on_inspector_activate_link (LanLogPane *self,
                            guint64     number)
{
  guint position;

  if (!find_number (G_LIST_MODEL (self->filtered), number, &position))
    {
      guint in_slice;

      if (!find_number (unfiltered_rows (self), number, &in_slice))
        {
          g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT, number);
          /* Translators: %s is the number of a row of the packet log */
          g_autofree char *message = g_strdup_printf (_("Packet No. %s is no longer in the log"), digits);
          show_toast (self, message);
          return;
        }

      /* Hidden by the search: show everything, then the row. */
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
      apply_filter (self);
      if (!find_number (G_LIST_MODEL (self->filtered), number, &position))
        return;
    }

  gtk_single_selection_set_selected (self->selection, position);
  lan_scroll_follower_set_following (self->follower,
                                     position + 1 == g_list_model_get_n_items (G_LIST_MODEL (self->selection)));
  scroll_to_row (self, position);
}

/* ---- export --------------------------------------------------------- */

typedef struct {
  GListModel            *rows;
  GFile                 *file;
  LanPacketExportFormat  format;
  GOutputStream         *stream;
  guint64                written;
  gulong                 pending_handler;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  if (job->pending_handler != 0)
    g_signal_handler_disconnect (job->rows, job->pending_handler);
  g_clear_object (&job->rows);
  g_clear_object (&job->file);
  g_clear_object (&job->stream);
  g_free (job);
}

static void
on_export_closed (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_close_finish (G_OUTPUT_STREAM (source), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
on_export_written (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ExportJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!lan_packet_export_finish (result, &job->written, &error))
    {
      /* Closing a replacing stream after a failure would put a partial file
       * in place of the old one: cancel the close, which discards it. */
      g_autoptr(GCancellable) abandon = g_cancellable_new ();

      g_cancellable_cancel (abandon);
      g_output_stream_close (job->stream, abandon, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_output_stream_close_async (job->stream, G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                               on_export_closed, g_object_ref (task));
}

static void
on_export_file_replaced (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ExportJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  job->stream = G_OUTPUT_STREAM (g_file_replace_finish (G_FILE (source), result, &error));
  if (job->stream == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  lan_packet_export_async (job->rows, job->format, job->stream, g_task_get_cancellable (task),
                           on_export_written, g_object_ref (task));
}

static void
export_start (GTask *task)
{
  ExportJob *job = g_task_get_task_data (task);

  g_file_replace_async (job->file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                        G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                        on_export_file_replaced, g_object_ref (task));
}

static void
on_export_pending_notify (GtkFilterListModel *filtered,
                          GParamSpec         *pspec,
                          gpointer            user_data)
{
  GTask *task = user_data;
  ExportJob *job = g_task_get_task_data (task);

  if (gtk_filter_list_model_get_pending (filtered) > 0)
    return;

  g_signal_handler_disconnect (filtered, job->pending_handler);
  job->pending_handler = 0;
  export_start (task);
  g_object_unref (task);
}

void
lan_log_pane_export_async (LanLogPane            *self,
                           gboolean               shown_only,
                           GFile                 *file,
                           LanPacketExportFormat  format,
                           GCancellable          *cancellable,
                           GAsyncReadyCallback    callback,
                           gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportJob *job;

  g_return_if_fail (LAN_IS_LOG_PANE (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lan_log_pane_export_async);

  if (self->log == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               _("There is no packet log to export"));
      return;
    }

  job = g_new0 (ExportJob, 1);
  job->rows = g_object_ref (shown_only ? G_LIST_MODEL (self->filtered) : G_LIST_MODEL (self->log));
  job->file = g_object_ref (file);
  job->format = format;
  g_task_set_task_data (task, job, (GDestroyNotify) export_job_free);

  /* The rows shown are only known once the filter has seen them all. */
  if (shown_only && gtk_filter_list_model_get_pending (self->filtered) > 0)
    {
      job->pending_handler = g_signal_connect (self->filtered, "notify::pending",
                                               G_CALLBACK (on_export_pending_notify),
                                               g_object_ref (task));
      return;
    }

  export_start (task);
}

gboolean
lan_log_pane_export_finish (LanLogPane    *self,
                            GAsyncResult  *result,
                            guint64       *n_written,
                            GError       **error)
{
  ExportJob *job;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  job = g_task_get_task_data (G_TASK (result));
  if (n_written != NULL)
    *n_written = job != NULL ? job->written : 0;
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_export_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  LanLogPane *self = LAN_LOG_PANE (source);
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *message = NULL;
  guint64 written = 0;

  if (!lan_log_pane_export_finish (self, result, &written, &error))
    {
      /* Translators: %s is a file name, then why the export failed */
      message = g_strdup_printf (_("Could not export to %s: %s"), name, error->message);
      show_toast (self, message);
      return;
    }

  {
    char number[24];

    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            /* Translators: a number of packets, then a file name */
                                            "Exported %s packet to %s",
                                            "Exported %s packets to %s", PLURAL_N (written)),
                               format_number (number, written), name);
  }
  show_toast (self, message);
}

static const char * const format_ids[] = { "pcap", "jsonl", "csv", NULL };

static void
on_export_response (GtkNativeDialog *dialog,
                    int              response,
                    gpointer         user_data)
{
  LanLogPane *self = user_data;
  gboolean shown_only = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "shown-only"));
  g_autoptr(GFile) file = NULL;
  g_autofree char *name = NULL;
  const char *choice;
  LanPacketExportFormat format = LAN_PACKET_EXPORT_PCAP;
  LanPacketExportFormat by_name;

  if (response != GTK_RESPONSE_ACCEPT)
    goto out;

  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  if (file == NULL)
    goto out;

  choice = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (dialog), "format");
  for (guint i = 0; choice != NULL && format_ids[i] != NULL; i++)
    if (g_str_equal (choice, format_ids[i]))
      format = (LanPacketExportFormat) i;

  /* A name typed with a known extension says the format; one without gets
   * the chosen format's. */
  name = g_file_get_basename (file);
  if (lan_packet_export_format_from_filename (name, &by_name))
    format = by_name;
  else
    {
      g_autoptr(GFile) parent = g_file_get_parent (file);
      g_autofree char *with_extension =
        g_strdup_printf ("%s.%s", name, lan_packet_export_format_extension (format));

      if (parent != NULL)
        g_set_object (&file, g_file_get_child (parent, with_extension));
    }

  lan_log_pane_export_async (self, shown_only, file, format, NULL,
                             on_export_done, g_object_ref (file));

out:
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
open_export_dialog (LanLogPane *self,
                    gboolean    shown_only)
{
  static const char *format_labels[G_N_ELEMENTS (format_ids)];
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *dialog;

  format_labels[0] = _("pcap (Wireshark, tcpdump)");
  format_labels[1] = _("JSON Lines");
  format_labels[2] = _("CSV (spreadsheets)");
  format_labels[3] = NULL;

  dialog = gtk_file_chooser_native_new (shown_only ? _("Export Shown Packets") : _("Export All Packets"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (dialog), "format", _("Format"),
                               (const char **) format_ids, format_labels);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (dialog), "format", "pcap");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), "lanchat-packets.pcap");
  g_object_set_data (G_OBJECT (dialog), "shown-only", GINT_TO_POINTER (shown_only));
  g_signal_connect (dialog, "response", G_CALLBACK (on_export_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
export_all_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  open_export_dialog (LAN_LOG_PANE (widget), FALSE);
}

static void
export_shown_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  open_export_dialog (LAN_LOG_PANE (widget), TRUE);
}

/* The verdict's detail, asked for on hover: setting a tooltip at every
 * bind would ask the display server where the pointer is for every row
 * that scrolls by. */
static gboolean
on_info_query_tooltip (GtkWidget   *label,
                       int          x,
                       int          y,
                       gboolean     keyboard,
                       GtkTooltip  *tooltip,
                       GtkListItem *item)
{
  LanPacketLogEntry *entry = gtk_list_item_get_item (item);
  const char *detail = entry != NULL ? lan_packet_log_entry_get_detail (entry) : NULL;
  g_autofree char *safe = NULL;

  if (detail == NULL)
    return FALSE;
  safe = lan_text_sanitize_for_display (detail, LAN_TEXT_SINGLE_LINE);
  gtk_tooltip_set_text (tooltip, safe);
  return TRUE;
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  LogColumn column = GPOINTER_TO_UINT (user_data);
  GtkWidget *cell = lan_log_cell_new (columns[column].width_chars, columns[column].xalign);

  if (column == COLUMN_INFO)
    {
      gtk_widget_set_has_tooltip (cell, TRUE);
      g_signal_connect (cell, "query-tooltip", G_CALLBACK (on_info_query_tooltip), item);
    }
  if (columns[column].numeric)
    gtk_widget_add_css_class (cell, "numeric");
  gtk_list_item_set_child (item, cell);
}

static char *
cell_text (LanPacketLogEntry *entry,
           LogColumn          column)
{
  switch (column)
    {
    case COLUMN_NUMBER:
      return g_strdup_printf ("%" G_GUINT64_FORMAT, lan_packet_log_entry_get_number (entry));
    case COLUMN_TIME:
      return lan_log_format_time (lan_packet_log_entry_get_time (entry));
    case COLUMN_DIRECTION:
      return g_strdup (lan_log_direction_label (lan_packet_log_entry_get_direction (entry)));
    case COLUMN_SOURCE:
      return lan_log_format_source (entry);
    case COLUMN_DESTINATION:
      return lan_log_format_destination (entry);
    case COLUMN_LENGTH:
      {
        GBytes *bytes = lan_packet_log_entry_get_bytes (entry);
        return g_strdup_printf ("%zu", bytes ? g_bytes_get_size (bytes) : 0);
      }
    case COLUMN_COMMAND:
      return lan_text_sanitize_for_display (lan_packet_log_entry_get_command_name (entry),
                                            LAN_TEXT_SINGLE_LINE);
    case COLUMN_INFO:
      {
        LanVerdict verdict = lan_packet_log_entry_get_verdict (entry);
        g_autofree char *info = lan_text_sanitize_for_display (lan_packet_log_entry_get_info (entry),
                                                               LAN_TEXT_SINGLE_LINE);

        /* The verdict in words, not only in colour. */
        if (verdict == LAN_VERDICT_OK)
          return g_steal_pointer (&info);
        /* Translators: Info column of a packet with a verdict: verdict, info */
        return g_strdup_printf (_("[%s] %s"), lan_log_verdict_label (verdict), info);
      }
    case N_COLUMNS:
    default:
      g_assert_not_reached ();
    }
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  LogColumn column = GPOINTER_TO_UINT (user_data);
  LanPacketLogEntry *entry = gtk_list_item_get_item (item);
  GtkWidget *cell = gtk_list_item_get_child (item);
  char *text;
  const char *verdict_class;

  /* A row dropped from the ring between two updates of the view: nothing
   * left to show but its number. */
  if (lan_packet_log_entry_get_evicted (entry))
    {
      text = column == COLUMN_NUMBER ? cell_text (entry, column)
           : column == COLUMN_INFO ? g_strdup (_("(dropped from the log)")) : g_strdup ("");
      verdict_class = "log-own";
    }
  else
    {
      text = cell_text (entry, column);
      verdict_class = lan_log_verdict_css_class (lan_packet_log_entry_get_verdict (entry));
    }

  lan_log_cell_take_text (LAN_LOG_CELL (cell), text);

  /* GTK 4.8 gives no handle on a column view row, so each cell carries the
   * verdict's class and the row reads as one coloured line. Classes are
   * only touched when they change: each change restyles the cell. */
  for (guint i = 0; i < G_N_ELEMENTS (verdict_classes); i++)
    {
      gboolean wanted = g_strcmp0 (verdict_class, verdict_classes[i]) == 0;

      if (wanted != gtk_widget_has_css_class (cell, verdict_classes[i]))
        {
          if (wanted)
            gtk_widget_add_css_class (cell, verdict_classes[i]);
          else
            gtk_widget_remove_css_class (cell, verdict_classes[i]);
        }
    }
}

static void
add_columns (LanLogPane *self)
{
  for (LogColumn c = 0; c < N_COLUMNS; c++)
    {
      g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), GUINT_TO_POINTER (c));
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), GUINT_TO_POINTER (c));

      column = gtk_column_view_column_new (g_dpgettext2 (GETTEXT_PACKAGE, "log column",
                                                         columns[c].title),
                                           g_object_ref (factory));
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_expand (column, columns[c].expand);
      gtk_column_view_append_column (self->column_view, column);
    }
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  LanLogPane *self = LAN_LOG_PANE (widget);

  if (self->log != NULL)
    lan_packet_log_clear (self->log);
}

static void
follow_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LanLogPane *self = LAN_LOG_PANE (widget);

  lan_log_pane_set_paused (self, FALSE);
  lan_scroll_follower_set_following (self->follower, TRUE);
}

LanPacketLog *
lan_log_pane_get_log (LanLogPane *self)
{
  g_return_val_if_fail (LAN_IS_LOG_PANE (self), NULL);

  return self->log;
}

void
lan_log_pane_set_log (LanLogPane   *self,
                      LanPacketLog *log)
{
  g_return_if_fail (LAN_IS_LOG_PANE (self));
  g_return_if_fail (log == NULL || LAN_IS_PACKET_LOG (log));

  if (self->log == log)
    return;

  if (self->log != NULL)
    g_signal_handlers_disconnect_by_data (self->log, self);

  g_set_object (&self->log, log);
  gtk_slice_list_model_set_model (self->slice, G_LIST_MODEL (log));

  if (log != NULL)
    {
      /* Connected after the slice's own handler, so it sees the slice's
       * new state when it re-pins a paused view. */
      g_signal_connect_swapped (log, "items-changed", G_CALLBACK (on_log_items_changed), self);
      g_signal_connect_swapped (log, "notify::dropped", G_CALLBACK (on_log_dropped_notify), self);
      g_signal_connect_swapped (log, "counters-changed", G_CALLBACK (on_counters_changed), self);
    }

  show_details (self, NULL);
  update_slice (self);
  update_status (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOG]);
}

gboolean
lan_log_pane_get_paused (LanLogPane *self)
{
  g_return_val_if_fail (LAN_IS_LOG_PANE (self), FALSE);

  return self->paused;
}

void
lan_log_pane_set_paused (LanLogPane *self,
                         gboolean    paused)
{
  g_return_if_fail (LAN_IS_LOG_PANE (self));

  paused = !!paused;
  if (self->paused == paused)
    return;

  self->paused = paused;
  self->paused_first = self->paused_end = 0;

  if (paused && self->log != NULL)
    {
      GListModel *log = G_LIST_MODEL (self->log);
      guint n = g_list_model_get_n_items (log);

      if (n > 0)
        {
          self->paused_first = entry_number_at (log, 0);
          self->paused_end = entry_number_at (log, n - 1) + 1;
        }
    }

  update_slice (self);
  update_status (self);

  if (!paused && lan_scroll_follower_get_following (self->follower))
    lan_scroll_follower_set_following (self->follower, TRUE);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

gboolean
lan_log_pane_get_following (LanLogPane *self)
{
  g_return_val_if_fail (LAN_IS_LOG_PANE (self), FALSE);

  return lan_scroll_follower_get_following (self->follower);
}

/**
 * lan_log_pane_get_model:
 *
 * Returns: (transfer none): a model of #LanPacketLogEntry
 */
GListModel *
lan_log_pane_get_model (LanLogPane *self)
{
  g_return_val_if_fail (LAN_IS_LOG_PANE (self), NULL);

  return G_LIST_MODEL (self->filtered);
}

void
lan_log_pane_select (LanLogPane *self,
                     guint       position)
{
  g_return_if_fail (LAN_IS_LOG_PANE (self));

  gtk_single_selection_set_selected (self->selection, position);
}

char *
lan_log_pane_dup_details (LanLogPane *self)
{
  g_return_val_if_fail (LAN_IS_LOG_PANE (self), NULL);

  return lan_packet_inspector_dup_text (self->inspector);
}

LanPacketInspector *
lan_log_pane_get_inspector (LanLogPane *self)
{
  g_return_val_if_fail (LAN_IS_LOG_PANE (self), NULL);

  return self->inspector;
}

void
lan_log_pane_set_peers (LanLogPane  *self,
                        LanPeerList *peers)
{
  g_return_if_fail (LAN_IS_LOG_PANE (self));

  lan_packet_log_filter_set_peers (self->filter, peers);
}

void
lan_log_pane_set_legacy_encoding (LanLogPane        *self,
                                  LanLegacyEncoding  legacy)
{
  g_return_if_fail (LAN_IS_LOG_PANE (self));

  lan_packet_inspector_set_legacy_encoding (self->inspector, legacy);
}

void
lan_log_pane_set_kernel_drops (LanLogPane *self,
                               guint64     drops)
{
  g_return_if_fail (LAN_IS_LOG_PANE (self));

  if (self->kernel_drops_known && self->kernel_drops == drops)
    return;
  self->kernel_drops = drops;
  self->kernel_drops_known = TRUE;
  update_status (self);
}

void
lan_log_pane_set_filter_text (LanLogPane *self,
                              const char *text)
{
  g_return_if_fail (LAN_IS_LOG_PANE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
  /* At once, not after the search entry's typing delay. */
  apply_filter (self);
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

  if (!gtk_revealer_get_reveal_child (self->filter_error_revealer))
    return NULL;
  return gtk_label_get_text (self->filter_error_label);
}

const char *
lan_log_pane_get_status (LanLogPane *self)
{
  g_return_val_if_fail (LAN_IS_LOG_PANE (self), NULL);

  return gtk_label_get_text (self->status_label);
}

void
lan_log_pane_show_counters (LanLogPane *self)
{
  g_return_if_fail (LAN_IS_LOG_PANE (self));

  gtk_popover_popup (self->counters_popover);
  update_counters (self);
}

GtkWidget *
lan_log_pane_get_counters_grid (LanLogPane *self)
{
  g_return_val_if_fail (LAN_IS_LOG_PANE (self), NULL);

  return GTK_WIDGET (self->counters_grid);
}

static void
lan_log_pane_dispose (GObject *object)
{
  LanLogPane *self = LAN_LOG_PANE (object);
  GtkWidget *child;

  if (self->log != NULL)
    g_signal_handlers_disconnect_by_data (self->log, self);
  if (self->filtered != NULL)
    g_signal_handlers_disconnect_by_data (self->filtered, self);
  g_clear_handle_id (&self->counters_timeout_id, g_source_remove);
  g_clear_handle_id (&self->links_timeout_id, g_source_remove);
  g_clear_handle_id (&self->follow_button_idle_id, g_source_remove);
  g_clear_handle_id (&self->status_timeout_id, g_source_remove);

  gtk_widget_dispose_template (GTK_WIDGET (self), LAN_TYPE_LOG_PANE);
  /* dispose_template() only clears children bound by id; the unnamed
   * root box is ours to unparent. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->follower);
  g_clear_object (&self->selection);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->slice);
  g_clear_object (&self->log);

  G_OBJECT_CLASS (lan_log_pane_parent_class)->dispose (object);
}

static void
lan_log_pane_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  LanLogPane *self = LAN_LOG_PANE (object);

  switch (prop_id)
    {
    case PROP_LOG:
      g_value_set_object (value, self->log);
      break;
    case PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;
    case PROP_FOLLOWING:
      g_value_set_boolean (value, lan_log_pane_get_following (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lan_log_pane_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  LanLogPane *self = LAN_LOG_PANE (object);

  switch (prop_id)
    {
    case PROP_LOG:
      lan_log_pane_set_log (self, g_value_get_object (value));
      break;
    case PROP_PAUSED:
      lan_log_pane_set_paused (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lan_log_pane_class_init (LanLogPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lan_log_pane_dispose;
  object_class->get_property = lan_log_pane_get_property;
  object_class->set_property = lan_log_pane_set_property;

  properties[PROP_LOG] =
    g_param_spec_object ("log", NULL, NULL,
                         LAN_TYPE_PACKET_LOG,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FOLLOWING] =
    g_param_spec_boolean ("following", NULL, NULL,
                          TRUE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/lanchat/Lanchat/lan-log-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, LanLogPane, search_entry);
  gtk_widget_class_bind_template_child (widget_class, LanLogPane, status_label);
  gtk_widget_class_bind_template_child (widget_class, LanLogPane, follow_button);
  gtk_widget_class_bind_template_child (widget_class, LanLogPane, filter_error_revealer);
  gtk_widget_class_bind_template_child (widget_class, LanLogPane, filter_error_label);
  gtk_widget_class_bind_template_child (widget_class, LanLogPane, counters_popover);
  gtk_widget_class_bind_template_child (widget_class, LanLogPane, counters_grid);
  gtk_widget_class_bind_template_child (widget_class, LanLogPane, paned);
  gtk_widget_class_bind_template_child (widget_class, LanLogPane, list_scroller);
  gtk_widget_class_bind_template_child (widget_class, LanLogPane, column_view);
  gtk_widget_class_bind_template_child (widget_class, LanLogPane, inspector);

  gtk_widget_class_install_property_action (widget_class, "log.paused", "paused");
  gtk_widget_class_install_action (widget_class, "log.clear", NULL, clear_action);
  gtk_widget_class_install_action (widget_class, "log.follow", NULL, follow_action);
  gtk_widget_class_install_action (widget_class, "log.export-all", NULL, export_all_action);
  gtk_widget_class_install_action (widget_class, "log.export-shown", NULL, export_shown_action);
  gtk_widget_class_install_action (widget_class, "log.reset-counters", NULL, reset_counters_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "logpane");
}

static void
lan_log_pane_init (LanLogPane *self)
{
  g_type_ensure (LAN_TYPE_PACKET_INSPECTOR);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->slice = gtk_slice_list_model_new (NULL, 0, G_MAXUINT);
  self->filter = lan_packet_log_filter_new ();
  self->filtered = gtk_filter_list_model_new (NULL, g_object_ref (GTK_FILTER (self->filter)));
  gtk_filter_list_model_set_incremental (self->filtered, TRUE);
  g_signal_connect_swapped (self->filtered, "notify::pending", G_CALLBACK (on_filtered_pending_notify), self);
  g_signal_connect_swapped (self->filtered, "items-changed", G_CALLBACK (on_filtered_notify), self);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected-item",
                            G_CALLBACK (on_selected_item_notify), self);

  add_columns (self);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  /* While paused the slice does not grow, so following moves nothing. */
  self->follower = lan_scroll_follower_new (gtk_scrolled_window_get_vadjustment (self->list_scroller));
  lan_scroll_follower_set_scroll_func (self->follower, scroll_to_last_row, self);
  g_signal_connect_swapped (self->follower, "notify::following",
                            G_CALLBACK (on_following_notify), self);

  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (on_search_changed), self);
  g_signal_connect_swapped (self->search_entry, "activate", G_CALLBACK (on_search_changed), self);
  g_signal_connect_swapped (self->search_entry, "stop-search", G_CALLBACK (on_stop_search), self);
  g_signal_connect_swapped (self->counters_popover, "notify::visible",
                            G_CALLBACK (on_counters_popover_visible), self);
  g_signal_connect_swapped (self->inspector, "activate-link",
                            G_CALLBACK (on_inspector_activate_link), self);

  update_status (self);
}

GtkWidget *
lan_log_pane_new (void)
{
  return g_object_new (LAN_TYPE_LOG_PANE, NULL);
}
