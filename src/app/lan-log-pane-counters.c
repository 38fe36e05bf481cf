/* lan-log-pane-counters.c — LanLogPane's counters popover: packets, bytes
 * and problems counted since the last reset, in and out, by command.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-log-pane-counters"

#include "config.h"

#include <glib/gi18n.h>

#include "lan-ipmsg.h"
#include "lan-log-pane.h"
#include "lan-log-pane-counters.h"

/* How often the counters shown in their popover are brought up to date
 * while packets pour in. */
#define COUNTERS_REFRESH_MS 250

struct _LanLogPaneCounters
{
  /* Not references: the pane owns them and this. */
  GtkPopover   *popover;
  GtkGrid      *grid;

  LanPacketLog *log;
  guint64       kernel_drops;
  gboolean      kernel_drops_known;
  guint         timeout_id;
};

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

void
lan_log_pane_counters_update (LanLogPaneCounters *self)
{
  const LanPacketCounters *counters;
  GtkGrid *grid = self->grid;
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
                   lan_log_pane_format_number (in, counters->packets_in), lan_log_pane_format_number (out, counters->packets_out));
  add_counter_row (grid, row++, _("Bytes"),
                   lan_log_pane_format_number (in, counters->bytes_in), lan_log_pane_format_number (out, counters->bytes_out));
  add_counter_row (grid, row++, _("Malformed"), lan_log_pane_format_number (in, counters->malformed), NULL);
  add_counter_row (grid, row++, _("Duplicates"), lan_log_pane_format_number (in, counters->duplicates), NULL);
  add_counter_row (grid, row++, _("Resends"), NULL, lan_log_pane_format_number (out, counters->resends));
  add_counter_row (grid, row++, _("Dropped from the log"),
                   lan_log_pane_format_number (in, lan_packet_log_get_dropped (self->log)), NULL);
  add_counter_row (grid, row++, _("Dropped by the system"),
                   self->kernel_drops_known ? lan_log_pane_format_number (in, self->kernel_drops)
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
                       lan_log_pane_format_number (in, counters->commands_in[mode]),
                       lan_log_pane_format_number (out, counters->commands_out[mode]));
    }
}

static void
on_counters_timeout (gpointer user_data)
{
  LanLogPaneCounters *self = user_data;

  self->timeout_id = 0;
  if (gtk_widget_get_visible (GTK_WIDGET (self->popover)))
    lan_log_pane_counters_update (self);
}

/* Counted with every packet; shown at a pace a person can read. */
void
lan_log_pane_counters_changed (LanLogPaneCounters *self)
{
  if (self->timeout_id == 0 && gtk_widget_get_visible (GTK_WIDGET (self->popover)))
    self->timeout_id = g_timeout_add_once (COUNTERS_REFRESH_MS, on_counters_timeout, self);
}

static void
on_counters_popover_visible (LanLogPaneCounters *self)
{
  if (gtk_widget_get_visible (GTK_WIDGET (self->popover)))
    lan_log_pane_counters_update (self);
}

void
lan_log_pane_counters_reset (LanLogPaneCounters *self)
{
  if (self->log == NULL)
    return;
  lan_packet_log_reset_counters (self->log);
  lan_packet_log_flush (self->log);
  lan_log_pane_counters_update (self);
}

LanLogPaneCounters *
lan_log_pane_counters_new (GtkPopover *popover,
                           GtkGrid    *grid)
{
  LanLogPaneCounters *self;

  g_return_val_if_fail (GTK_IS_POPOVER (popover), NULL);
  g_return_val_if_fail (GTK_IS_GRID (grid), NULL);

  self = g_new0 (LanLogPaneCounters, 1);
  self->popover = popover;
  self->grid = grid;
  g_signal_connect_swapped (popover, "notify::visible",
                            G_CALLBACK (on_counters_popover_visible), self);
  return self;
}

/* Call before the popover is disposed. */
void
lan_log_pane_counters_free (LanLogPaneCounters *self)
{
  if (self == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->popover, self);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_object (&self->log);
  g_free (self);
}

void
lan_log_pane_counters_set_log (LanLogPaneCounters *self,
                               LanPacketLog       *log)
{
  g_set_object (&self->log, log);
}

void
lan_log_pane_counters_set_kernel_drops (LanLogPaneCounters *self,
                                        guint64             drops)
{
  self->kernel_drops = drops;
  self->kernel_drops_known = TRUE;
}
