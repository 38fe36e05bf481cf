/* lan-log-pane-rows.c — rows of the packet log table by packet number.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-log-pane-rows"

#include "config.h"

#include "lan-log-pane-rows.h"
#include "lan-packet-log.h"

guint64
lan_log_pane_rows_number_at (GListModel *rows,
                             guint       position)
{
  g_autoptr(LanPacketLogEntry) entry = g_list_model_get_item (rows, position);

  return entry != NULL ? lan_packet_log_entry_get_number (entry) : 0;
}

gboolean
lan_log_pane_rows_find_number (GListModel *rows,
                               guint64     number,
                               guint      *position)
{
  guint low = 0, high = g_list_model_get_n_items (rows);

  while (low < high)
    {
      guint middle = low + (high - low) / 2;
      guint64 at = lan_log_pane_rows_number_at (rows, middle);

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

void
lan_log_pane_rows_scroll_to (GtkColumnView *column_view,
                             guint          position)
{
  /* GTK 4.8 has no gtk_column_view_scroll_to(); its list view has the action. */
  GtkWidget *list_view = find_list_view (GTK_WIDGET (column_view));

  if (list_view != NULL)
    gtk_widget_activate_action (list_view, "list.scroll-to-item", "u", position);
}
