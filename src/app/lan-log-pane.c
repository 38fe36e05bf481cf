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
 * selection (see lan-log-pane-filter.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-log-pane"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "lan-log-pane-columns.h"
#include "lan-log-pane-export.h"
#include "lan-log-pane-files.h"
#include "lan-log-pane-private.h"
#include "lan-log-pane-rows.h"
#include "lan-packet-inspector.h"
#include "lan-packet-log-filter.h"
#include "lan-scroll-follower.h"

/* How soon a message's acknowledgement is looked for again as rows arrive. */
#define LINKS_REFRESH_MS 300

G_DEFINE_FINAL_TYPE (LanLogPane, lan_log_pane, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LOG,
  PROP_PAUSED,
  PROP_FOLLOWING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Entries are numbered consecutively and the ring only loses its oldest, so
 * a number maps to a position by subtraction. Should that ever not hold,
 * the slice is left as it was rather than showing the wrong rows. */
/* The rows before filtering: the log, or while paused its frozen part. */
GListModel *
_lan_log_pane_unfiltered_rows (LanLogPane *self)
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

  first = lan_log_pane_rows_number_at (log, 0);
  last = lan_log_pane_rows_number_at (log, n - 1);
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
  GListModel *slice = _lan_log_pane_unfiltered_rows (self);
  guint64 number = lan_packet_log_entry_get_number (entry);
  guint n = g_list_model_get_n_items (slice);
  guint64 first;

  if (n == 0)
    return FALSE;
  first = lan_log_pane_rows_number_at (slice, 0);
  if (number < first || number - first >= n)
    return FALSE;
  *position = (guint) (number - first);
  return lan_log_pane_rows_number_at (slice, *position) == number;
}

/* The inspector is made wide enough for a whole dump line as soon as the
 * pane has a width, as long as the table keeps a useful width; later the
 * split is the person's. Not at the first packet inspected: the table
 * would jump under the row just clicked. */
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

static gboolean
size_inspector_once_allocated (GtkWidget     *widget,
                               GdkFrameClock *clock,
                               gpointer       user_data)
{
  LanLogPane *self = LAN_LOG_PANE (widget);

  size_inspector (self);
  return self->inspector_sized ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
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
    lan_packet_inspector_set_entry (self->inspector, entry, _lan_log_pane_unfiltered_rows (self), position);
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
  _lan_log_pane_queue_update_status (self);

  /* The acknowledgement of the message being inspected may just have come. */
  if (self->links_timeout_id == 0 && lan_packet_inspector_get_awaiting_links (self->inspector))
    self->links_timeout_id = g_timeout_add_once (LINKS_REFRESH_MS, on_links_timeout, self);
}

static void
on_log_dropped_notify (LanLogPane *self)
{
  _lan_log_pane_queue_update_status (self);
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

void
lan_log_pane_show_toast (LanLogPane *self,
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

/* Following: the last row, as the list knows it now. */
static void
scroll_to_last_row (gpointer user_data)
{
  LanLogPane *self = user_data;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));

  if (n > 0)
    lan_log_pane_rows_scroll_to (self->column_view, n - 1);
}

/* ---- links ---------------------------------------------------------- */

static void
on_inspector_activate_link (LanLogPane *self,
                            guint64     number)
{
  guint position;

  if (!lan_log_pane_rows_find_number (G_LIST_MODEL (self->filtered), number, &position))
    {
      guint in_slice;

      if (!lan_log_pane_rows_find_number (_lan_log_pane_unfiltered_rows (self), number, &in_slice))
        {
          g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT, number);
          /* Translators: %s is the number of a row of the packet log */
          g_autofree char *message = g_strdup_printf (_("Packet No. %s is no longer in the log"), digits);
          lan_log_pane_show_toast (self, message);
          return;
        }

      /* Hidden by the search: show everything, then the row. */
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
      _lan_log_pane_apply_filter (self);
      if (!lan_log_pane_rows_find_number (G_LIST_MODEL (self->filtered), number, &position))
        return;
    }

  gtk_single_selection_set_selected (self->selection, position);
  lan_scroll_follower_set_following (self->follower,
                                     position + 1 == g_list_model_get_n_items (G_LIST_MODEL (self->selection)));
  lan_log_pane_rows_scroll_to (self->column_view, position);
}

static void
on_log_counters_changed (LanLogPane *self)
{
  lan_log_pane_counters_changed (self->counters);
  _lan_log_pane_queue_update_status (self);
}

static void
reset_counters_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  lan_log_pane_counters_reset (LAN_LOG_PANE (widget)->counters);
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
  lan_log_pane_counters_set_log (self->counters, log);
  gtk_slice_list_model_set_model (self->slice, G_LIST_MODEL (log));

  if (log != NULL)
    {
      /* Connected after the slice's own handler, so it sees the slice's
       * new state when it re-pins a paused view. */
      g_signal_connect_swapped (log, "items-changed", G_CALLBACK (on_log_items_changed), self);
      g_signal_connect_swapped (log, "notify::dropped", G_CALLBACK (on_log_dropped_notify), self);
      g_signal_connect_swapped (log, "counters-changed", G_CALLBACK (on_log_counters_changed), self);
    }

  show_details (self, NULL);
  update_slice (self);
  _lan_log_pane_update_status (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOG]);
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
          self->paused_first = lan_log_pane_rows_number_at (log, 0);
          self->paused_end = lan_log_pane_rows_number_at (log, n - 1) + 1;
        }
    }

  update_slice (self);
  _lan_log_pane_update_status (self);

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
  lan_log_pane_counters_set_kernel_drops (self->counters, drops);
  _lan_log_pane_update_status (self);
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
  g_clear_pointer (&self->counters, lan_log_pane_counters_free);
  g_clear_pointer (&self->files, lan_log_pane_files_free);
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
  gtk_widget_class_bind_template_child (widget_class, LanLogPane, status_stack);
  gtk_widget_class_bind_template_child (widget_class, LanLogPane, filter_error_label);
  gtk_widget_class_bind_template_child (widget_class, LanLogPane, counters_popover);
  gtk_widget_class_bind_template_child (widget_class, LanLogPane, counters_grid);
  gtk_widget_class_bind_template_child (widget_class, LanLogPane, paned);
  gtk_widget_class_bind_template_child (widget_class, LanLogPane, list_scroller);
  gtk_widget_class_bind_template_child (widget_class, LanLogPane, column_view);
  gtk_widget_class_bind_template_child (widget_class, LanLogPane, inspector);
  gtk_widget_class_bind_template_child (widget_class, LanLogPane, record_button);
  gtk_widget_class_bind_template_child (widget_class, LanLogPane, record_label);

  gtk_widget_class_install_property_action (widget_class, "log.paused", "paused");
  gtk_widget_class_install_action (widget_class, "log.follow", NULL, follow_action);
  gtk_widget_class_install_action (widget_class, "log.reset-counters", NULL, reset_counters_action);
  lan_log_pane_export_install_actions (widget_class);
  lan_log_pane_files_install_actions (widget_class);

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
  /* Before the selection, so the status hears of filtered rows first. */
  _lan_log_pane_filter_init (self);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected-item",
                            G_CALLBACK (on_selected_item_notify), self);

  lan_log_pane_columns_add (self->column_view);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  /* While paused the slice does not grow, so following moves nothing. */
  self->follower = lan_scroll_follower_new (gtk_scrolled_window_get_vadjustment (self->list_scroller));
  lan_scroll_follower_set_scroll_func (self->follower, scroll_to_last_row, self);
  g_signal_connect_swapped (self->follower, "notify::following",
                            G_CALLBACK (on_following_notify), self);

  self->counters = lan_log_pane_counters_new (self->counters_popover, self->counters_grid);
  self->files = lan_log_pane_files_new (self, self->record_button, self->record_label);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "log.record-stop", FALSE);
  gtk_widget_add_tick_callback (GTK_WIDGET (self), size_inspector_once_allocated, NULL, NULL);
  g_signal_connect_swapped (self->inspector, "activate-link",
                            G_CALLBACK (on_inspector_activate_link), self);

  _lan_log_pane_update_status (self);
}

GtkWidget *
lan_log_pane_new (void)
{
  return g_object_new (LAN_TYPE_LOG_PANE, NULL);
}

void
lan_log_pane_show_counters (LanLogPane *self)
{
  g_return_if_fail (LAN_IS_LOG_PANE (self));

  gtk_popover_popup (self->counters_popover);
  lan_log_pane_counters_update (self->counters);
}

LanLogPaneFiles *
_lan_log_pane_get_files (LanLogPane *self)
{
  return self->files;
}

GtkWidget *
lan_log_pane_get_counters_grid (LanLogPane *self)
{
  g_return_val_if_fail (LAN_IS_LOG_PANE (self), NULL);

  return GTK_WIDGET (self->counters_grid);
}
