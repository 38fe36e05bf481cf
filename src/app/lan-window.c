/* lan-window.c — the main window: people, the conversation, the packet log.
 *
 * The window binds the messenger's models to widgets and calls its
 * methods; it decides nothing about the protocol. This file holds the
 * window's state and wiring; the people list is in lan-window-sidebar.c,
 * the conversation view's drawing in lan-window-conversation.c, writing and
 * sending in lan-window-composer.c, the header subtitle and status pages
 * in lan-window-status.c, the actions in lan-window-actions.c. Which
 * conversation is shown is the
 * window's own state, not the sidebar's selection, so filtering the
 * selected peer out of view does not switch conversations under the
 * person's hands.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-window"

#include "config.h"

#include <glib/gi18n.h>

#include "lan-window-private.h"
#include "lan-window-size.h"

G_DEFINE_FINAL_TYPE (LanWindow, lan_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_LOG_VISIBLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const shown_peer_properties[] = {
  "nickname", "user", "host", "group", "address", "away", "away-text",
};

static void show_conversation (LanWindow *self,
                               LanPerson *person,
                               gboolean   everyone);

static LanPeerList *
get_peers (LanWindow *self)
{
  return lan_messenger_get_peers (self->messenger);
}

static LanPeople *
get_people (LanWindow *self)
{
  return lan_application_get_people (self->application);
}

static guint
count_peers (LanWindow *self)
{
  return g_list_model_get_n_items (G_LIST_MODEL (get_peers (self)));
}

static void
update_title (LanWindow *self)
{
  lan_window_status_update_title (&self->status, self->messenger);
}

static void
update_content_page (LanWindow *self)
{
  /* Known people offline are something to show: their conversations. */
  gboolean nothing_to_show =
    count_peers (self) == 0 &&
    g_list_model_get_n_items (G_LIST_MODEL (get_people (self))) == 0 &&
    self->current_is_everyone &&
    self->current_conversation != NULL &&
    g_list_model_get_n_items (G_LIST_MODEL (self->current_conversation)) == 0;

  lan_window_status_update_page (&self->status, self->application, self->messenger,
                                 self->settings, nothing_to_show);
}

static gboolean
is_viewing_conversation (LanWindow *self)
{
  if (!gtk_window_is_active (GTK_WINDOW (self)))
    return FALSE;
  if (!g_str_equal (gtk_stack_get_visible_child_name (self->status.content_stack), "conversation"))
    return FALSE;
  if (adw_leaflet_get_folded (self->leaflet) &&
      adw_leaflet_get_visible_child (self->leaflet) != GTK_WIDGET (self->status.content_stack))
    return FALSE;
  return TRUE;
}

static void
maybe_mark_read (LanWindow *self)
{
  if (self->current_conversation != NULL &&
      lan_conversation_get_unread (self->current_conversation) > 0 &&
      is_viewing_conversation (self))
    lan_conversation_mark_read (self->current_conversation);
}

static void
update_conversation_header (LanWindow *self)
{
  g_clear_handle_id (&self->header_idle_id, g_source_remove);
  if (self->current_conversation == NULL)
    return;
  lan_window_conversation_update_header (&self->view, get_peers (self),
                                         self->current_is_everyone ? NULL : self->current_peer);
}

static gboolean
on_header_idle (gpointer user_data)
{
  LanWindow *self = user_data;

  self->header_idle_id = 0;
  update_conversation_header (self);
  return G_SOURCE_REMOVE;
}

/* A peer can change its names or away text with every packet, and the
 * peer list changes with every newcomer in a flood: the header follows
 * once for all the packets handled in a row, before the next frame. */
static void
queue_conversation_header (LanWindow *self)
{
  if (self->header_idle_id == 0)
    self->header_idle_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, on_header_idle, self, NULL);
}

static void
update_messages_page (LanWindow *self)
{
  if (self->current_conversation == NULL)
    return;
  lan_window_conversation_update_messages_page (&self->view, self->current_conversation);
}

static void
on_conversation_items_changed (LanWindow *self)
{
  update_messages_page (self);
  if (self->current_is_everyone)
    update_content_page (self);
}

static void
on_conversation_unread_notify (LanWindow *self)
{
  maybe_mark_read (self);
}

static void
on_current_peer_notify (LanWindow *self)
{
  queue_conversation_header (self);
  lan_window_composer_update (self->composer);
}

static void
set_current_peer (LanWindow *self,
                  LanPeer   *peer)
{
  if (self->current_peer != NULL)
    g_signal_handlers_disconnect_by_data (self->current_peer, self);
  g_set_object (&self->current_peer, peer);
  if (peer != NULL)
    for (guint i = 0; i < G_N_ELEMENTS (shown_peer_properties); i++)
      {
        g_autofree char *signal = g_strconcat ("notify::", shown_peer_properties[i], NULL);
        g_signal_connect_swapped (peer, signal, G_CALLBACK (on_current_peer_notify), self);
      }
}

/* The person left or came back (as a new peer): write to where they are. */
static void
on_current_person_notify (LanWindow *self)
{
  set_current_peer (self, lan_person_get_peer (self->current_person));
  lan_window_composer_set_target (self->composer, self->messenger, self->current_conversation,
                                  self->current_peer);
  update_conversation_header (self);
}

static void
disconnect_current (LanWindow *self)
{
  if (self->current_conversation != NULL)
    g_signal_handlers_disconnect_by_data (self->current_conversation, self);
  if (self->current_person != NULL)
    g_signal_handlers_disconnect_by_data (self->current_person, self);
  set_current_peer (self, NULL);

  g_clear_object (&self->current_conversation);
  g_clear_object (&self->current_person);
}

static void
show_conversation (LanWindow *self,
                   LanPerson *person,
                   gboolean   everyone)
{
  LanConversation *conversation;

  if (everyone)
    conversation = lan_messenger_get_broadcast_conversation (self->messenger);
  else
    conversation = lan_people_get_conversation (get_people (self), person);

  if (conversation == self->current_conversation && person == self->current_person)
    return;

  disconnect_current (self);

  self->current_is_everyone = everyone;
  self->current_conversation = g_object_ref (conversation);
  self->current_person = person ? g_object_ref (person) : NULL;
  set_current_peer (self, person ? lan_person_get_peer (person) : NULL);

  g_signal_connect_swapped (conversation, "items-changed",
                            G_CALLBACK (on_conversation_items_changed), self);
  g_signal_connect_swapped (conversation, "notify::unread",
                            G_CALLBACK (on_conversation_unread_notify), self);
  if (person != NULL)
    {
      g_signal_connect_swapped (person, "notify::peer", G_CALLBACK (on_current_person_notify), self);
      g_signal_connect_swapped (person, "notify::online", G_CALLBACK (on_current_person_notify), self);
    }

  gtk_no_selection_set_model (self->message_selection, G_LIST_MODEL (conversation));
  lan_scroll_follower_set_following (self->messages_follower, TRUE);

  update_conversation_header (self);
  update_messages_page (self);
  lan_window_composer_set_target (self->composer, self->messenger, conversation, self->current_peer);
  update_content_page (self);
  maybe_mark_read (self);
}

static void
on_sidebar_selected_item_notify (LanWindow *self)
{
  gpointer item = gtk_single_selection_get_selected_item (lan_window_sidebar_get_selection (self->sidebar));

  if (item == NULL)
    return;

  if (LAN_IS_PERSON (item))
    show_conversation (self, item, FALSE);
  else
    show_conversation (self, NULL, TRUE);

  if (!self->setting_up)
    adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->status.content_stack));
}

static void
on_peer_activated (LanWindow *self,
                   guint      position)
{
  /* Enter on a row that isn't selected (after Back) opens it too. */
  gtk_single_selection_set_selected (lan_window_sidebar_get_selection (self->sidebar), position);
  gtk_widget_grab_focus (GTK_WIDGET (self->composer_view));
}

static void
on_peers_items_changed (LanWindow *self)
{
  update_title (self);
  queue_conversation_header (self);
  update_content_page (self);
}

static void
on_messenger_state_notify (LanWindow *self)
{
  update_title (self);
  update_content_page (self);
}

static void
on_problem (LanWindow  *self,
            const char *message)
{
  lan_window_show_toast (self, message);
}

static void
on_is_active_notify (LanWindow *self)
{
  maybe_mark_read (self);
}

static void
update_back_button (LanWindow *self)
{
  gboolean folded = adw_leaflet_get_folded (self->leaflet);
  gboolean in_content = adw_leaflet_get_visible_child (self->leaflet) == GTK_WIDGET (self->status.content_stack);

  gtk_widget_set_visible (self->back_button, folded && in_content);
  /* Back in the folded list: nothing selected, so that picking the same one opens it again. */
  if (folded && !in_content && self->sidebar != NULL)
    gtk_single_selection_set_selected (lan_window_sidebar_get_selection (self->sidebar), GTK_INVALID_LIST_POSITION);
  maybe_mark_read (self);
}

static void
set_up_models (LanWindow *self)
{
  self->sidebar = lan_window_sidebar_new (self->messenger, get_people (self),
                                          self->search_entry, self->peer_list_view);
  g_signal_connect_swapped (lan_window_sidebar_get_selection (self->sidebar), "notify::selected-item",
                            G_CALLBACK (on_sidebar_selected_item_notify), self);

  self->message_selection = lan_window_conversation_set_up_list (self->message_list_view, self->messenger);
}

static void
on_log_counters_changed (LanWindow *self)
{
  lan_log_pane_set_kernel_drops (self->log_pane, lan_messenger_get_kernel_drops (self->messenger));
}

static void
on_legacy_encoding_notify (LanWindow *self)
{
  int legacy = LAN_LEGACY_GB18030;

  g_object_get (self->messenger, "legacy-encoding", &legacy, NULL);
  lan_log_pane_set_legacy_encoding (self->log_pane, (LanLegacyEncoding) legacy);
}

static void
set_up_with_application (LanWindow      *self,
                         LanApplication *application)
{
  self->application = application;
  self->messenger = g_object_ref (lan_application_get_messenger (application));
  self->settings = g_object_ref (lan_application_get_settings (application));

  set_up_models (self);
  lan_message_search_set_messenger (self->message_search, self->messenger);
  lan_log_pane_set_log (self->log_pane, lan_messenger_get_packet_log (self->messenger));
  lan_log_pane_set_peers (self->log_pane, get_peers (self));
  on_legacy_encoding_notify (self);
  /* The system's drops are learnt with the packets that follow them, so
   * they can move whenever the counters do. */
  g_signal_connect_swapped (lan_messenger_get_packet_log (self->messenger), "counters-changed",
                            G_CALLBACK (on_log_counters_changed), self);
  on_log_counters_changed (self);

  g_signal_connect_swapped (get_peers (self), "items-changed",
                            G_CALLBACK (on_peers_items_changed), self);
  g_signal_connect_swapped (get_people (self), "items-changed",
                            G_CALLBACK (on_peers_items_changed), self);
  g_signal_connect_swapped (self->messenger, "notify::nickname",
                            G_CALLBACK (on_messenger_state_notify), self);
  g_signal_connect_swapped (self->messenger, "notify::listen-address",
                            G_CALLBACK (on_messenger_state_notify), self);
  g_signal_connect_swapped (self->messenger, "notify::running",
                            G_CALLBACK (on_messenger_state_notify), self);
  g_signal_connect_swapped (self->messenger, "notify::network-available",
                            G_CALLBACK (on_messenger_state_notify), self);
  g_signal_connect_swapped (self->messenger, "notify::error",
                            G_CALLBACK (on_messenger_state_notify), self);
  g_signal_connect_swapped (self->messenger, "notify::legacy-encoding",
                            G_CALLBACK (on_legacy_encoding_notify), self);
  g_signal_connect_swapped (application, "notify::start-error",
                            G_CALLBACK (on_messenger_state_notify), self);
  g_signal_connect_swapped (application, "problem",
                            G_CALLBACK (on_problem), self);

  g_settings_bind (self->settings, "log-visible", self, "log-visible",
                   G_SETTINGS_BIND_DEFAULT | G_SETTINGS_BIND_NO_SENSITIVITY);
  lan_window_size_restore (GTK_WINDOW (self), self->settings);

  self->setting_up = TRUE;
  gtk_single_selection_set_selected (lan_window_sidebar_get_selection (self->sidebar), 0);
  self->setting_up = FALSE;
  update_title (self);
  update_content_page (self);
}

static void
on_application_notify (LanWindow *self)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));

  /* Set once, when the window joins the application; the later unset on
   * destruction needs nothing. */
  if (self->messenger == NULL && LAN_IS_APPLICATION (application))
    set_up_with_application (self, LAN_APPLICATION (application));
}

static gboolean
lan_window_close_request (GtkWindow *window)
{
  LanWindow *self = LAN_WINDOW (window);

  if (self->settings != NULL)
    lan_window_size_save (window, self->settings);

  return GTK_WINDOW_CLASS (lan_window_parent_class)->close_request (window);
}

/* The log is read in its table and its inspector at once: when it opens,
 * it takes at least half of a window tall enough to share, rather than the
 * strip its minimum height would leave it. */
static void
give_log_room (gpointer user_data)
{
  LanWindow *self = user_data;
  int height = gtk_widget_get_height (GTK_WIDGET (self->log_paned));
  int position = gtk_paned_get_position (self->log_paned);

  self->log_room_idle_id = 0;
  if (!self->log_visible || height < 600)
    return;
  if (height - position < height / 2)
    gtk_paned_set_position (self->log_paned, height / 2);
}

static void
set_log_visible (LanWindow *self,
                 gboolean   visible)
{
  visible = !!visible;
  if (self->log_visible == visible)
    return;

  self->log_visible = visible;
  gtk_widget_set_visible (GTK_WIDGET (self->log_pane), visible);
  gtk_widget_set_visible (gtk_widget_get_ancestor (GTK_WIDGET (self->log_pane), GTK_TYPE_SCROLLED_WINDOW), visible);
  /* Once the pane is laid out, so that its share is known. */
  if (visible && self->log_room_idle_id == 0)
    self->log_room_idle_id = g_idle_add_once (give_log_room, self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOG_VISIBLE]);
}

static void
lan_window_dispose (GObject *object)
{
  LanWindow *self = LAN_WINDOW (object);

  disconnect_current (self);
  g_clear_handle_id (&self->log_room_idle_id, g_source_remove);
  g_clear_handle_id (&self->header_idle_id, g_source_remove);

  if (self->messenger != NULL)
    {
      g_signal_handlers_disconnect_by_data (lan_messenger_get_packet_log (self->messenger), self);
      g_signal_handlers_disconnect_by_data (get_peers (self), self);
      g_signal_handlers_disconnect_by_data (get_people (self), self);
      g_signal_handlers_disconnect_by_data (self->messenger, self);
    }
  if (self->application != NULL)
    g_signal_handlers_disconnect_by_data (self->application, self);
  if (self->sidebar != NULL)
    g_signal_handlers_disconnect_by_data (lan_window_sidebar_get_selection (self->sidebar), self);

  gtk_widget_dispose_template (GTK_WIDGET (self), LAN_TYPE_WINDOW);

  /* After the widgets: they called into these until now. */
  g_clear_pointer (&self->composer, lan_window_composer_free);
  g_clear_pointer (&self->sidebar, lan_window_sidebar_free);
  g_clear_object (&self->messages_follower);
  g_clear_object (&self->message_selection);
  g_clear_object (&self->settings);
  g_clear_object (&self->messenger);
  self->application = NULL;

  G_OBJECT_CLASS (lan_window_parent_class)->dispose (object);
}

static void
lan_window_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  LanWindow *self = LAN_WINDOW (object);

  switch (prop_id)
    {
    case PROP_LOG_VISIBLE:
      g_value_set_boolean (value, self->log_visible);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lan_window_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  LanWindow *self = LAN_WINDOW (object);

  switch (prop_id)
    {
    case PROP_LOG_VISIBLE:
      set_log_visible (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lan_window_class_init (LanWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = lan_window_dispose;
  object_class->get_property = lan_window_get_property;
  object_class->set_property = lan_window_set_property;
  window_class->close_request = lan_window_close_request;

  properties[PROP_LOG_VISIBLE] =
    g_param_spec_boolean ("log-visible", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (LAN_TYPE_LOG_PANE);
  g_type_ensure (LAN_TYPE_MESSAGE_SEARCH);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/lanchat/Lanchat/lan-window.ui");
  gtk_widget_class_bind_template_child_full (widget_class, "window_title", FALSE,
                                             G_STRUCT_OFFSET (LanWindow, status.window_title));
  gtk_widget_class_bind_template_child (widget_class, LanWindow, back_button);
  gtk_widget_class_bind_template_child_full (widget_class, "network_banner", FALSE,
                                             G_STRUCT_OFFSET (LanWindow, status.network_banner));
  gtk_widget_class_bind_template_child (widget_class, LanWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, LanWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, LanWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, LanWindow, peer_list_view);
  gtk_widget_class_bind_template_child_full (widget_class, "content_stack", FALSE,
                                             G_STRUCT_OFFSET (LanWindow, status.content_stack));
  gtk_widget_class_bind_template_child_full (widget_class, "conversation_avatar", FALSE,
                                             G_STRUCT_OFFSET (LanWindow, view.avatar));
  gtk_widget_class_bind_template_child_full (widget_class, "conversation_title", FALSE,
                                             G_STRUCT_OFFSET (LanWindow, view.title));
  gtk_widget_class_bind_template_child_full (widget_class, "conversation_subtitle", FALSE,
                                             G_STRUCT_OFFSET (LanWindow, view.subtitle));
  gtk_widget_class_bind_template_child_full (widget_class, "messages_stack", FALSE,
                                             G_STRUCT_OFFSET (LanWindow, view.messages_stack));
  gtk_widget_class_bind_template_child (widget_class, LanWindow, messages_scroller);
  gtk_widget_class_bind_template_child (widget_class, LanWindow, message_list_view);
  gtk_widget_class_bind_template_child (widget_class, LanWindow, message_search);
  gtk_widget_class_bind_template_child_full (widget_class, "no_messages_label", FALSE,
                                             G_STRUCT_OFFSET (LanWindow, view.no_messages_label));
  gtk_widget_class_bind_template_child (widget_class, LanWindow, composer_error_label);
  gtk_widget_class_bind_template_child (widget_class, LanWindow, composer_view);
  gtk_widget_class_bind_template_child_full (widget_class, "composer_placeholder", FALSE,
                                             G_STRUCT_OFFSET (LanWindow, view.composer_placeholder));
  gtk_widget_class_bind_template_child_full (widget_class, "port_page", FALSE,
                                             G_STRUCT_OFFSET (LanWindow, status.port_page));
  gtk_widget_class_bind_template_child_full (widget_class, "port_spin", FALSE,
                                             G_STRUCT_OFFSET (LanWindow, status.port_spin));
  gtk_widget_class_bind_template_child_full (widget_class, "start_failed_page", FALSE,
                                             G_STRUCT_OFFSET (LanWindow, status.start_failed_page));
  gtk_widget_class_bind_template_child (widget_class, LanWindow, log_paned);
  gtk_widget_class_bind_template_child (widget_class, LanWindow, log_pane);

  _lan_window_class_actions_init (widget_class);
}

static void
lan_window_init (LanWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->messages_follower =
    lan_scroll_follower_new (gtk_scrolled_window_get_vadjustment (self->messages_scroller));

  self->composer = lan_window_composer_new (GTK_WIDGET (self), self->composer_view,
                                            self->view.composer_placeholder,
                                            self->composer_error_label, self->messages_follower);

  g_signal_connect_swapped (self->peer_list_view, "activate",
                            G_CALLBACK (on_peer_activated), self);
  g_signal_connect_swapped (self->leaflet, "notify::folded",
                            G_CALLBACK (update_back_button), self);
  g_signal_connect_swapped (self->leaflet, "notify::visible-child",
                            G_CALLBACK (update_back_button), self);
  g_signal_connect_swapped (self, "notify::is-active",
                            G_CALLBACK (on_is_active_notify), self);
  g_signal_connect (self, "notify::application",
                    G_CALLBACK (on_application_notify), NULL);
}

LanWindow *
lan_window_new (LanApplication *application)
{
  g_return_val_if_fail (LAN_IS_APPLICATION (application), NULL);

  return g_object_new (LAN_TYPE_WINDOW, "application", application, NULL);
}

void
lan_window_open_conversation (LanWindow  *self,
                              const char *peer_key)
{
  LanPerson *person;

  g_return_if_fail (LAN_IS_WINDOW (self));
  g_return_if_fail (peer_key != NULL);

  if (*peer_key == '\0')
    {
      gtk_single_selection_set_selected (lan_window_sidebar_get_selection (self->sidebar), 0);
      show_conversation (self, NULL, TRUE);
      return;
    }

  /* Whoever wrote stays a person after leaving: their messages are here. */
  person = lan_people_lookup (get_people (self), peer_key);
  if (person == NULL)
    {
      lan_window_show_toast (self, _("That person is not known any more"));
      return;
    }

  lan_window_sidebar_select_person (self->sidebar, person);
  show_conversation (self, person, FALSE);
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->status.content_stack));
}

void
lan_window_show_toast (LanWindow  *self,
                       const char *message)
{
  g_autofree char *escaped = NULL;
  AdwToast *toast;

  g_return_if_fail (LAN_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  /* Toast titles are markup; ours are plain text that may quote the network. */
  escaped = g_markup_escape_text (message, -1);
  toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}
