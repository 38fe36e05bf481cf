/* lan-window-parts.c — the window's widgets and state, handed to the UI
 * tests and the app benchmark (lan-window.h), kept apart from the window's
 * behaviour in lan-window.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-window-parts"

#include "config.h"

#include "lan-window-private.h"

GtkTextView *
lan_window_get_composer (LanWindow *self)
{
  return self->composer_view;
}

const char *
lan_window_get_composer_error (LanWindow *self)
{
  return lan_window_composer_get_error (self->composer);
}

GtkLabel *
lan_window_get_composer_placeholder (LanWindow *self)
{
  return self->view.composer_placeholder;
}

GtkSearchEntry *
lan_window_get_search_entry (LanWindow *self)
{
  return self->search_entry;
}

GtkRevealer *
lan_window_get_network_banner (LanWindow *self)
{
  return self->status.network_banner;
}

LanLogPane *
lan_window_get_log_pane (LanWindow *self)
{
  return self->log_pane;
}

GtkWidget *
lan_window_get_peer_list_view (LanWindow *self)
{
  return GTK_WIDGET (self->peer_list_view);
}

GtkWidget *
lan_window_get_message_list_view (LanWindow *self)
{
  return GTK_WIDGET (self->message_list_view);
}

const char *
lan_window_get_page (LanWindow *self)
{
  return gtk_stack_get_visible_child_name (self->status.content_stack);
}

LanConversation *
lan_window_get_conversation (LanWindow *self)
{
  return self->current_conversation;
}

GtkSpinButton *
lan_window_get_port_spin (LanWindow *self)
{
  return self->status.port_spin;
}
