/* lan-window-private.h — LanWindow's insides, for lan-window.c,
 * lan-window-actions.c and lan-window-parts.c only. The window's other parts (the sidebar, the
 * conversation view, the composer, the status pages) have headers of
 * their own and are handed what they need.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lan-log-pane.h"
#include "lan-message-search.h"
#include "lan-scroll-follower.h"
#include "lan-window.h"
#include "lan-window-composer.h"
#include "lan-window-conversation.h"
#include "lan-window-sidebar.h"
#include "lan-window-status.h"

G_BEGIN_DECLS

struct _LanWindow
{
  AdwApplicationWindow       parent_instance;

  LanMessenger              *messenger;
  GSettings                 *settings;
  /* Not a reference: the application owns its windows. */
  LanApplication            *application;

  LanWindowSidebar          *sidebar;
  LanWindowComposer         *composer;

  LanPerson                 *current_person;
  LanPeer                   *current_peer;
  LanConversation           *current_conversation;
  gboolean                   current_is_everyone;
  guint                      header_idle_id;
  GtkNoSelection            *message_selection;
  LanScrollFollower         *messages_follower;

  gboolean                   log_visible;
  guint                      log_room_idle_id;
  /* The first selection shows Everyone without leaving a folded sidebar. */
  gboolean                   setting_up;

  /* Template children, some grouped for the parts that draw them. */
  LanWindowStatus            status;
  LanWindowConversationView  view;
  GtkWidget                 *back_button;
  AdwToastOverlay           *toast_overlay;
  AdwLeaflet                *leaflet;
  GtkSearchEntry            *search_entry;
  GtkListView               *peer_list_view;
  GtkScrolledWindow         *messages_scroller;
  GtkListView               *message_list_view;
  LanMessageSearch          *message_search;
  GtkLabel                  *composer_error_label;
  GtkTextView               *composer_view;
  GtkPaned                  *log_paned;
  LanLogPane                *log_pane;
};

/* lan-window-actions.c */
void _lan_window_class_actions_init (GtkWidgetClass *widget_class);

G_END_DECLS
