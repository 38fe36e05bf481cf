/* lan-log-pane-columns.c — LanLogPane's table columns: their titles and
 * widths, and the cells that show a packet's fields with its verdict.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-log-pane-columns"

#include "config.h"

#include <glib/gi18n.h>

#include "lan-log-cell.h"
#include "lan-log-format.h"
#include "lan-log-pane-columns.h"
#include "lan-display-text.h"

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
  safe = lan_display_text (detail, LAN_DISPLAY_TEXT_ONE_LINE, LAN_DISPLAY_TEXT_ALL);
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
      return lan_display_text (lan_packet_log_entry_get_command_name (entry), LAN_DISPLAY_TEXT_ONE_LINE, LAN_DISPLAY_TEXT_ALL);
    case COLUMN_INFO:
      {
        LanVerdict verdict = lan_packet_log_entry_get_verdict (entry);
        g_autofree char *info = lan_display_text (lan_packet_log_entry_get_info (entry), LAN_DISPLAY_TEXT_ONE_LINE, LAN_DISPLAY_TEXT_ALL);

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

void
lan_log_pane_columns_add (GtkColumnView *column_view)
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
      gtk_column_view_append_column (column_view, column);
    }
}
