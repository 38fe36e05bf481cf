/* lan-window-private.h — LanWindow's insides, shared by its source files,
 * and what tests may reach.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lan-log-pane.h"
#include "lan-scroll-follower.h"
#include "lan-window.h"

G_BEGIN_DECLS

struct _LanWindow
{
  AdwApplicationWindow  parent_instance;

  LanMessenger         *messenger;
  GSettings            *settings;
  /* Not a reference: the application owns its windows. */
  LanApplication       *application;

  GListStore           *everyone_store;
  GtkCustomFilter      *peer_filter;
  GtkSortListModel     *sorted_peers;
  GtkSingleSelection   *sidebar_selection;
  char                 *search_folded;

  LanPeer              *current_peer;
  LanConversation      *current_conversation;
  gboolean              current_is_everyone;
  GtkNoSelection       *message_selection;
  LanScrollFollower    *messages_follower;

  gboolean              log_visible;
  guint                 log_room_idle_id;
  /* The first selection shows Everyone without leaving a folded sidebar. */
  gboolean              setting_up;

  AdwWindowTitle       *window_title;
  GtkWidget            *back_button;
  GtkRevealer          *network_banner;
  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  GtkSearchEntry       *search_entry;
  GtkListView          *peer_list_view;
  GtkStack             *content_stack;
  AdwAvatar            *conversation_avatar;
  GtkLabel             *conversation_title;
  GtkLabel             *conversation_subtitle;
  GtkStack             *messages_stack;
  GtkScrolledWindow    *messages_scroller;
  GtkListView          *message_list_view;
  GtkLabel             *no_messages_label;
  GtkLabel             *composer_error_label;
  GtkTextView          *composer_view;
  GtkLabel             *composer_placeholder;
  AdwStatusPage        *port_page;
  GtkSpinButton        *port_spin;
  AdwStatusPage        *start_failed_page;
  GtkPaned             *log_paned;
  LanLogPane           *log_pane;
};

/* lan-window.c */
LanPeerList *_lan_window_get_peers           (LanWindow      *self);

/* lan-window-sidebar.c */
void         _lan_window_sidebar_set_up      (LanWindow      *self);
void         _lan_window_sidebar_select_peer (LanWindow      *self,
                                              LanPeer        *peer);

/* lan-window-composer.c */
void         _lan_window_composer_init       (LanWindow      *self);
void         _lan_window_composer_update     (LanWindow      *self);
void         _lan_window_composer_send       (LanWindow      *self);

/* lan-window-actions.c */
void         _lan_window_class_actions_init  (GtkWidgetClass *widget_class);

/* For tests. */
GtkTextView     *lan_window_get_composer        (LanWindow *self);
/* The composer's problem ("too long…") when one is shown, else NULL. */
const char      *lan_window_get_composer_error  (LanWindow *self);
LanLogPane      *lan_window_get_log_pane        (LanWindow *self);
GtkWidget       *lan_window_get_peer_list_view  (LanWindow *self);
GtkWidget       *lan_window_get_message_list_view (LanWindow *self);
/* "conversation", "empty", "no-network", "port-in-use" or "start-failed". */
const char      *lan_window_get_page            (LanWindow *self);
LanConversation *lan_window_get_conversation    (LanWindow *self);
GtkSpinButton   *lan_window_get_port_spin       (LanWindow *self);

G_END_DECLS
