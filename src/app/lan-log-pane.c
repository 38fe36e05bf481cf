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
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "lan-log-format.h"
#include "lan-log-pane.h"
#include "lan-scroll-follower.h"
#include "lan-text.h"

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
  GtkSingleSelection *selection;

  /* While paused, the packet numbers [paused_first, paused_end) stay shown. */
  guint64             paused_first;
  guint64             paused_end;
  gboolean            paused;

  LanScrollFollower  *follower;

  GtkLabel           *status_label;
  GtkWidget          *follow_button;
  GtkScrolledWindow  *list_scroller;
  GtkColumnView      *column_view;
  GtkStack           *details_stack;
  GtkTextView        *details_view;
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
static void
update_slice (LanLogPane *self)
{
  GListModel *log = G_LIST_MODEL (self->log);
  guint n;
  guint64 first, last, start, end;

  if (!self->paused)
    {
      gtk_slice_list_model_set_offset (self->slice, 0);
      gtk_slice_list_model_set_size (self->slice, G_MAXUINT);
      return;
    }

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

static void
update_status (LanLogPane *self)
{
  guint total = self->log ? g_list_model_get_n_items (G_LIST_MODEL (self->log)) : 0;
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->slice));
  guint64 dropped = self->log ? lan_packet_log_get_dropped (self->log) : 0;
  g_autoptr(GString) text = g_string_new (NULL);

  if (self->paused)
    g_string_append_printf (text,
                            /* Translators: status of the paused packet log */
                            g_dngettext (GETTEXT_PACKAGE,
                                         "Paused — showing %u of %u packet",
                                         "Paused — showing %u of %u packets", total),
                            shown, total);
  else
    g_string_append_printf (text,
                            g_dngettext (GETTEXT_PACKAGE, "%u packet", "%u packets", total),
                            total);

  if (self->log != NULL)
    {
      const LanPacketCounters *counters = lan_packet_log_get_counters (self->log);

      /* Problems at a glance, as counted since the last Clear. */
      if (counters->malformed > 0)
        {
          g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, counters->malformed);
          g_string_append (text, " · ");
          g_string_append_printf (text,
                                  /* Translators: %s is a number of packets */
                                  g_dngettext (GETTEXT_PACKAGE, "%s malformed", "%s malformed",
                                               (gulong) MIN (counters->malformed, G_MAXULONG)),
                                  count);
        }
      if (counters->duplicates > 0)
        {
          g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, counters->duplicates);
          g_string_append (text, " · ");
          g_string_append_printf (text,
                                  /* Translators: %s is a number of packets */
                                  g_dngettext (GETTEXT_PACKAGE, "%s duplicate", "%s duplicates",
                                               (gulong) MIN (counters->duplicates, G_MAXULONG)),
                                  count);
        }
      if (counters->resends > 0)
        {
          g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, counters->resends);
          g_string_append (text, " · ");
          g_string_append_printf (text,
                                  /* Translators: %s is a number of packets */
                                  g_dngettext (GETTEXT_PACKAGE, "%s resend", "%s resends",
                                               (gulong) MIN (counters->resends, G_MAXULONG)),
                                  count);
        }
    }

  if (dropped > 0)
    {
      g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, dropped);

      g_string_append (text, " · ");
      g_string_append_printf (text,
                              /* Translators: %s is a number of packets */
                              g_dngettext (GETTEXT_PACKAGE,
                                           "%s oldest dropped", "%s oldest dropped",
                                           (gulong) MIN (dropped, G_MAXULONG)),
                              count);
    }

  gtk_label_set_text (self->status_label, text->str);
}

static void
on_following_notify (LanLogPane *self)
{
  gtk_widget_set_visible (self->follow_button, !lan_log_pane_get_following (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOWING]);
}

static void
on_log_items_changed (LanLogPane *self)
{
  if (self->paused)
    update_slice (self);
  update_status (self);
}

static void
on_log_dropped_notify (LanLogPane *self)
{
  update_status (self);
}

static void
show_details (LanLogPane        *self,
              LanPacketLogEntry *entry)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->details_view);
  g_autofree char *details = NULL;

  if (entry == NULL)
    {
      gtk_text_buffer_set_text (buffer, "", 0);
      gtk_stack_set_visible_child_name (self->details_stack, "none");
      return;
    }

  if (lan_packet_log_entry_get_evicted (entry))
    details = g_strdup (_("This packet was dropped from the log to make room for newer ones."));
  else
    details = lan_log_format_details (entry);
  gtk_text_buffer_set_text (buffer, details, -1);
  gtk_stack_set_visible_child_name (self->details_stack, "details");
}

/* A person who picks an older row is reading it: keep it in view rather
 * than scrolling on with new packets ("Jump to Latest" resumes). */
static void
on_selected_item_notify (LanLogPane *self)
{
  guint position = gtk_single_selection_get_selected (self->selection);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));

  if (position != GTK_INVALID_LIST_POSITION && position + 1 < n)
    lan_scroll_follower_set_following (self->follower, FALSE);

  show_details (self, gtk_single_selection_get_selected_item (self->selection));
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  LogColumn column = GPOINTER_TO_UINT (user_data);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), columns[column].xalign);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  gtk_label_set_width_chars (GTK_LABEL (label), columns[column].width_chars);
  if (column == COLUMN_INFO)
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (columns[column].numeric)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
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
  GtkWidget *label = gtk_list_item_get_child (item);
  gboolean evicted = lan_packet_log_entry_get_evicted (entry);
  g_autofree char *text = NULL;
  const char *verdict_class;

  /* A row dropped from the ring between two updates of the view: nothing
   * left to show but its number. */
  if (evicted)
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

  gtk_label_set_text (GTK_LABEL (label), text);

  /* GTK 4.8 gives no handle on a column view row, so each cell carries the
   * verdict's class and the row reads as one coloured line. */
  for (guint i = 0; i < G_N_ELEMENTS (verdict_classes); i++)
    gtk_widget_remove_css_class (label, verdict_classes[i]);
  if (verdict_class != NULL)
    gtk_widget_add_css_class (label, verdict_class);

  if (column == COLUMN_INFO)
    {
      const char *detail = lan_packet_log_entry_get_detail (entry);
      g_autofree char *safe = detail ? lan_text_sanitize_for_display (detail, LAN_TEXT_SINGLE_LINE) : NULL;
      gtk_widget_set_tooltip_text (label, safe);
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
    }

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

  return G_LIST_MODEL (self->slice);
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
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (LAN_IS_LOG_PANE (self), NULL);

  buffer = gtk_text_view_get_buffer (self->details_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
lan_log_pane_dispose (GObject *object)
{
  LanLogPane *self = LAN_LOG_PANE (object);
  GtkWidget *child;

  if (self->log != NULL)
    g_signal_handlers_disconnect_by_data (self->log, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), LAN_TYPE_LOG_PANE);
  /* dispose_template() only clears children bound by id; the unnamed
   * root box is ours to unparent. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->follower);
  g_clear_object (&self->selection);
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
  gtk_widget_class_bind_template_child (widget_class, LanLogPane, status_label);
  gtk_widget_class_bind_template_child (widget_class, LanLogPane, follow_button);
  gtk_widget_class_bind_template_child (widget_class, LanLogPane, list_scroller);
  gtk_widget_class_bind_template_child (widget_class, LanLogPane, column_view);
  gtk_widget_class_bind_template_child (widget_class, LanLogPane, details_stack);
  gtk_widget_class_bind_template_child (widget_class, LanLogPane, details_view);

  gtk_widget_class_install_property_action (widget_class, "log.paused", "paused");
  gtk_widget_class_install_action (widget_class, "log.clear", NULL, clear_action);
  gtk_widget_class_install_action (widget_class, "log.follow", NULL, follow_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "logpane");
}

static void
lan_log_pane_init (LanLogPane *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->slice = gtk_slice_list_model_new (NULL, 0, G_MAXUINT);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->slice)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected-item",
                            G_CALLBACK (on_selected_item_notify), self);

  add_columns (self);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  /* While paused the slice does not grow, so following moves nothing. */
  self->follower = lan_scroll_follower_new (gtk_scrolled_window_get_vadjustment (self->list_scroller));
  g_signal_connect_swapped (self->follower, "notify::following",
                            G_CALLBACK (on_following_notify), self);

  update_status (self);
}

GtkWidget *
lan_log_pane_new (void)
{
  return g_object_new (LAN_TYPE_LOG_PANE, NULL);
}
