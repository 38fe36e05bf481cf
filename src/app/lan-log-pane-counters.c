/* lan-log-pane-counters.c — LanLogPane's counters popover: packets, bytes
 * and problems counted since the last reset, in and out, by command.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-log-pane-counters"

#include "config.h"

#include <glib/gi18n.h>

#include "lan-ipmsg.h"
#include "lan-log-pane-private.h"

/* How often the counters shown in their popover are brought up to date
 * while packets pour in. */
#define COUNTERS_REFRESH_MS 250

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
_lan_log_pane_update_counters (LanLogPane *self)
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
                   _lan_log_pane_format_number (in, counters->packets_in), _lan_log_pane_format_number (out, counters->packets_out));
  add_counter_row (grid, row++, _("Bytes"),
                   _lan_log_pane_format_number (in, counters->bytes_in), _lan_log_pane_format_number (out, counters->bytes_out));
  add_counter_row (grid, row++, _("Malformed"), _lan_log_pane_format_number (in, counters->malformed), NULL);
  add_counter_row (grid, row++, _("Duplicates"), _lan_log_pane_format_number (in, counters->duplicates), NULL);
  add_counter_row (grid, row++, _("Resends"), NULL, _lan_log_pane_format_number (out, counters->resends));
  add_counter_row (grid, row++, _("Dropped from the log"),
                   _lan_log_pane_format_number (in, lan_packet_log_get_dropped (self->log)), NULL);
  add_counter_row (grid, row++, _("Dropped by the system"),
                   self->kernel_drops_known ? _lan_log_pane_format_number (in, self->kernel_drops)
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
                       _lan_log_pane_format_number (in, counters->commands_in[mode]),
                       _lan_log_pane_format_number (out, counters->commands_out[mode]));
    }
}

static void
on_counters_timeout (gpointer user_data)
{
  LanLogPane *self = user_data;

  self->counters_timeout_id = 0;
  if (gtk_widget_get_visible (GTK_WIDGET (self->counters_popover)))
    _lan_log_pane_update_counters (self);
}

/* Counted with every packet; shown at a pace a person can read. */
void
_lan_log_pane_counters_changed (LanLogPane *self)
{
  if (self->counters_timeout_id == 0 && gtk_widget_get_visible (GTK_WIDGET (self->counters_popover)))
    self->counters_timeout_id = g_timeout_add_once (COUNTERS_REFRESH_MS, on_counters_timeout, self);
  _lan_log_pane_queue_update_status (self);
}

static void
on_counters_popover_visible (LanLogPane *self)
{
  if (gtk_widget_get_visible (GTK_WIDGET (self->counters_popover)))
    _lan_log_pane_update_counters (self);
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
  _lan_log_pane_update_counters (self);
}

void
_lan_log_pane_counters_init (LanLogPane *self)
{
  g_signal_connect_swapped (self->counters_popover, "notify::visible",
                            G_CALLBACK (on_counters_popover_visible), self);
}

void
_lan_log_pane_class_counters_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "log.reset-counters", NULL, reset_counters_action);
}

void
lan_log_pane_show_counters (LanLogPane *self)
{
  g_return_if_fail (LAN_IS_LOG_PANE (self));

  gtk_popover_popup (self->counters_popover);
  _lan_log_pane_update_counters (self);
}

GtkWidget *
lan_log_pane_get_counters_grid (LanLogPane *self)
{
  g_return_val_if_fail (LAN_IS_LOG_PANE (self), NULL);

  return GTK_WIDGET (self->counters_grid);
}
