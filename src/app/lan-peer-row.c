/* lan-peer-row.c — one entry of the sidebar: a person, or "Everyone".
 *
 * Rows are recycled by the list view, so a row is bound to a person (its
 * peer) and its conversation, and unbound again; it follows their notify
 * signals while bound so renames, away changes, leaving, the newest
 * message and unread counts show at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-peer-row"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "lan-ipmsg.h"
#include "lan-peer-row.h"
#include "lan-display-text.h"

struct _LanPeerRow
{
  GtkWidget        parent_instance;

  LanPerson       *person;
  LanPeer         *peer;
  LanConversation *conversation;

  AdwAvatar       *avatar;
  GtkLabel        *name_label;
  GtkLabel        *away_label;
  GtkLabel        *detail_label;
  GtkLabel        *unread_label;
  GtkWidget       *context_menu;
  GSimpleAction   *encoding_action;
  char            *tooltip;
  guint            update_id;
};

G_DEFINE_FINAL_TYPE (LanPeerRow, lan_peer_row, GTK_TYPE_WIDGET)

static const char * const shown_properties[] = {
  "nickname", "user", "host", "group", "address", "away", "away-text", "online", "addresses",
};

static void
set_label_text (GtkLabel   *label,
                const char *text)
{
  if (g_strcmp0 (gtk_label_get_text (label), text) != 0)
    gtk_label_set_text (label, text);
}

char *
lan_peer_row_format_last_seen (gint64 time_us)
{
  g_autoptr(GDateTime) seen = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *when = NULL;

  if (time_us <= 0)
    return g_strdup (_("Offline"));
  seen = g_date_time_new_from_unix_local (time_us / G_USEC_PER_SEC);
  if (seen == NULL)
    return g_strdup (_("Offline"));
  if (g_date_time_get_year (seen) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (seen) == g_date_time_get_day_of_year (now))
    when = g_date_time_format (seen, "%H:%M");
  else
    when = g_date_time_format (seen, "%x");
  /* Translators: %s is a time of day today, or a date */
  return g_strdup_printf (_("Last seen %s"), when);
}

/* The second line for @person, or NULL to keep the peer's details. */
static char *
describe_person (LanPerson *person,
                 gboolean   online)
{
  g_autofree char *last = NULL;
  g_autofree char *seen = NULL;

  if (person == NULL)
    return NULL;
  if (lan_person_get_last_message (person) != NULL)
    last = lan_display_text (lan_person_get_last_message (person), LAN_DISPLAY_TEXT_ONE_LINE, LAN_DISPLAY_TEXT_ALL);
  if (online)
    return g_steal_pointer (&last);
  seen = lan_peer_row_format_last_seen (lan_peer_get_last_seen (lan_person_get_peer (person)));
  if (last == NULL)
    return g_steal_pointer (&seen);
  /* Translators: sidebar subtitle of someone offline: "Last seen 10:05 · newest message" */
  return g_strdup_printf (_("%s · %s"), seen, last);
}

static void
update_peer (LanPeerRow *self)
{
  g_autofree char *name = NULL;
  g_autofree char *user = NULL;
  g_autofree char *host = NULL;
  g_autofree char *group = NULL;
  g_autofree char *away_text = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *tooltip = NULL;
  g_autofree char *about = NULL;
  gboolean away;
  gboolean online;

  g_assert (self->peer != NULL);
  /* Gone (BR_EXIT, LanPeople) or silent when last asked (LanIdentity): offline both ways. */
  online = (self->person == NULL || lan_person_get_online (self->person)) && lan_peer_get_online (self->peer);

  name = lan_display_text (lan_peer_get_nickname (self->peer), LAN_DISPLAY_TEXT_ONE_LINE, LAN_DISPLAY_TEXT_ALL);
  user = lan_display_text (lan_peer_get_user (self->peer), LAN_DISPLAY_TEXT_ONE_LINE, LAN_DISPLAY_TEXT_ALL);
  host = lan_display_text (lan_peer_get_host (self->peer), LAN_DISPLAY_TEXT_ONE_LINE, LAN_DISPLAY_TEXT_ALL);
  group = lan_display_text (lan_peer_get_group (self->peer), LAN_DISPLAY_TEXT_ONE_LINE, LAN_DISPLAY_TEXT_ALL);
  away = online && lan_peer_get_away (self->peer);

  if (*group != '\0')
    /* Translators: sidebar subtitle: user@host · address · group */
    detail = g_strdup_printf (_("%s@%s · %s · %s"), user, host,
                              lan_peer_get_address (self->peer), group);
  else
    /* Translators: sidebar subtitle: user@host · address */
    detail = g_strdup_printf (_("%s@%s · %s"), user, host,
                              lan_peer_get_address (self->peer));

  if (away && lan_peer_get_away_text (self->peer) != NULL)
    away_text = lan_display_text (lan_peer_get_away_text (self->peer), LAN_DISPLAY_TEXT_ONE_LINE, LAN_DISPLAY_TEXT_ALL);

  /* What a list of chats shows: where each one stands, the address only
   * while nothing was said. The tooltip says only what the row doesn't:
   * the address when the row shows a message, the away text. */
  about = describe_person (self->person, online);
  if (about != NULL)
    {
      tooltip = away_text != NULL ? g_strdup_printf ("%s\n%s", detail, away_text) : g_strdup (detail);
      g_free (detail);
      detail = g_steal_pointer (&about);
    }
  else if (away_text != NULL)
    tooltip = g_strdup (away_text);
  if (lan_peer_get_addresses (self->peer)[0] != NULL)
    {
      g_autofree char *others = g_strjoinv (", ", (char **) lan_peer_get_addresses (self->peer));
      /* Translators: tooltip line: the other addresses of one machine on several networks */
      g_autofree char *also = g_strdup_printf (_("Also at %s"), others);
      char *with_addresses = tooltip != NULL ? g_strdup_printf ("%s\n%s", tooltip, also) : g_strdup (also);

      g_free (tooltip);
      tooltip = with_addresses;
    }

  /* A peer announces itself again and again with the same names; a label
   * or avatar told the same text would still be laid out again. */
  set_label_text (self->name_label, name);
  set_label_text (self->detail_label, detail);
  /* Given on query: setting a tooltip asks the display server where the
   * pointer is, and a busy peer's row changes many times a second. */
  g_free (self->tooltip);
  self->tooltip = g_steal_pointer (&tooltip);
  gtk_widget_set_visible (GTK_WIDGET (self->away_label), away);
  if (g_strcmp0 (adw_avatar_get_text (self->avatar), name) != 0)
    adw_avatar_set_text (self->avatar, name);

  if (away)
    gtk_widget_add_css_class (GTK_WIDGET (self), "away");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "away");
  if (online)
    gtk_widget_remove_css_class (GTK_WIDGET (self), "offline");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self), "offline");
}

static void
update_unread (LanPeerRow *self)
{
  guint unread = lan_conversation_get_unread (self->conversation);
  g_autofree char *text = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->unread_label), unread > 0);
  if (unread == 0)
    return;

  text = unread > 999 ? g_strdup ("999+") : g_strdup_printf ("%u", unread);
  gtk_label_set_text (self->unread_label, text);
}

static gboolean
on_update_idle (gpointer user_data)
{
  LanPeerRow *self = user_data;

  self->update_id = 0;
  if (self->peer != NULL)
    update_peer (self);
  return G_SOURCE_REMOVE;
}

/* A peer flooding the network with presence packets changes names and
 * away state hundreds of times a second; the row follows once per batch,
 * still before the next frame is laid out. */
static void
on_peer_notify (LanPeerRow *self)
{
  if (self->update_id == 0)
    self->update_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, on_update_idle, self, NULL);
}

static void
on_unread_notify (LanPeerRow *self)
{
  update_unread (self);
}

void
lan_peer_row_unbind (LanPeerRow *self)
{
  g_return_if_fail (LAN_IS_PEER_ROW (self));

  g_clear_handle_id (&self->update_id, g_source_remove);
  if (self->person != NULL)
    g_signal_handlers_disconnect_by_data (self->person, self);
  if (self->peer != NULL)
    g_signal_handlers_disconnect_by_data (self->peer, self);
  if (self->conversation != NULL)
    g_signal_handlers_disconnect_by_data (self->conversation, self);

  g_clear_object (&self->person);
  g_clear_object (&self->peer);
  g_clear_object (&self->conversation);
}

static void
bind_conversation (LanPeerRow      *self,
                   LanConversation *conversation)
{
  self->conversation = g_object_ref (conversation);
  g_signal_connect_swapped (conversation, "notify::unread",
                            G_CALLBACK (on_unread_notify), self);
  update_unread (self);
}

static void on_person_peer_notify (LanPeerRow *self);

void
lan_peer_row_bind_person (LanPeerRow      *self,
                          LanPerson       *person,
                          LanConversation *conversation)
{
  LanPeer *peer;

  g_return_if_fail (LAN_IS_PEER_ROW (self));
  g_return_if_fail (LAN_IS_PERSON (person));
  g_return_if_fail (LAN_IS_CONVERSATION (conversation));

  g_object_ref (person);
  g_object_ref (conversation);
  lan_peer_row_unbind (self);

  self->person = person;
  peer = lan_person_get_peer (person);
  g_signal_connect_swapped (person, "notify::online", G_CALLBACK (on_peer_notify), self);
  g_signal_connect_swapped (person, "notify::last-message", G_CALLBACK (on_peer_notify), self);
  g_signal_connect_swapped (person, "notify::peer", G_CALLBACK (on_person_peer_notify), self);
  self->peer = g_object_ref (peer);
  /* Not plain "notify": last-seen changes with every packet from the peer. */
  for (guint i = 0; i < G_N_ELEMENTS (shown_properties); i++)
    {
      g_autofree char *signal = g_strconcat ("notify::", shown_properties[i], NULL);
      g_signal_connect_swapped (peer, signal, G_CALLBACK (on_peer_notify), self);
    }
  adw_avatar_set_icon_name (self->avatar, NULL);
  adw_avatar_set_show_initials (self->avatar, TRUE);
  gtk_widget_remove_css_class (GTK_WIDGET (self), "everyone");
  update_peer (self);

  bind_conversation (self, conversation);
  g_object_unref (conversation);
}

/* Someone who comes back is a new peer for the same person. */
static void
on_person_peer_notify (LanPeerRow *self)
{
  g_autoptr(LanConversation) conversation = g_object_ref (self->conversation);

  lan_peer_row_bind_person (self, self->person, conversation);
}

void
lan_peer_row_bind_everyone (LanPeerRow      *self,
                            LanConversation *conversation)
{
  g_return_if_fail (LAN_IS_PEER_ROW (self));
  g_return_if_fail (LAN_IS_CONVERSATION (conversation));

  lan_peer_row_unbind (self);

  gtk_label_set_text (self->name_label, _("Everyone"));
  gtk_label_set_text (self->detail_label, _("All people at once"));
  g_free (self->tooltip);
  self->tooltip = g_strdup (_("A message here goes to everyone on the network at once"));
  gtk_widget_set_visible (GTK_WIDGET (self->away_label), FALSE);
  /* The colour comes from the text, random without one: the same key in
   * every run and language, and the icon instead of its initials. */
  adw_avatar_set_text (self->avatar, LAN_EVERYONE_AVATAR_KEY);
  adw_avatar_set_show_initials (self->avatar, FALSE);
  adw_avatar_set_icon_name (self->avatar, "system-users-symbolic");
  gtk_widget_remove_css_class (GTK_WIDGET (self), "away");
  gtk_widget_add_css_class (GTK_WIDGET (self), "everyone");

  bind_conversation (self, conversation);
}

/**
 * lan_peer_row_get_peer:
 *
 * Returns: (transfer none) (nullable): the bound peer; %NULL for "Everyone"
 */
LanPeer *
lan_peer_row_get_peer (LanPeerRow *self)
{
  g_return_val_if_fail (LAN_IS_PEER_ROW (self), NULL);

  return self->peer;
}

/* What "win.show-peer-packets" filters by: the address, and the port when
 * it is not the usual one. */
static char *
dup_packets_target (LanPeer *peer)
{
  if (lan_peer_get_port (peer) == LAN_IPMSG_DEFAULT_PORT)
    return g_strdup (lan_peer_get_address (peer));
  return g_strdup_printf ("%s:%u", lan_peer_get_address (peer), lan_peer_get_port (peer));
}

/* The peer's menu: which charset it reads and writes, when what Lanchat
 * learned from its packets is wrong. Stored with the peer (history). */
static GMenuModel *
encoding_menu (LanPeerRow *self)
{
  GMenu *menu = g_menu_new ();
  LanDialectOverride effective = lan_dialect_get_effective (lan_peer_get_dialect (self->peer));
  const char *learned = effective == LAN_DIALECT_FORCE_CP932 ? "CP932" :
                        effective == LAN_DIALECT_FORCE_GB18030 ? "GB18030" : "UTF-8";
  g_autofree char *automatic = NULL;
  static const struct { LanDialectOverride override; const char *label; } choices[] = {
    { LAN_DIALECT_FORCE_UTF8, N_("UTF-8") },
    { LAN_DIALECT_FORCE_GB18030, N_("GB18030 (Chinese)") },
    { LAN_DIALECT_FORCE_CP932, N_("CP932 (Japanese)") },
  };

  if (lan_peer_get_dialect_override (self->peer) == LAN_DIALECT_AUTOMATIC)
    /* Translators: encoding menu; %s is what Lanchat found out, e.g. "GB18030" */
    automatic = g_strdup_printf (_("_Automatic (%s)"), learned);
  else
    automatic = g_strdup (_("_Automatic"));
  g_menu_append (menu, automatic, "row.encoding::automatic");
  for (guint i = 0; i < G_N_ELEMENTS (choices); i++)
    {
      g_autofree char *action = g_strdup_printf ("row.encoding::%s",
                                                 lan_dialect_override_to_string (choices[i].override));

      g_menu_append (menu, _(choices[i].label), action);
    }
  g_simple_action_set_state (self->encoding_action,
                             g_variant_new_string (lan_dialect_override_to_string (
                               lan_peer_get_dialect_override (self->peer))));
  return G_MENU_MODEL (menu);
}

static void
on_encoding_change (GSimpleAction *action,
                    GVariant      *value,
                    LanPeerRow    *self)
{
  LanDialectOverride override;

  if (self->peer == NULL ||
      !lan_dialect_override_from_string (g_variant_get_string (value, NULL), &override))
    return;
  lan_peer_set_dialect_override (self->peer, override);
  g_simple_action_set_state (action, value);
}

static void
popup_context_menu (LanPeerRow *self,
                    double      x,
                    double      y)
{
  g_autoptr(GMenuModel) encodings = NULL;
  g_autoptr(GMenu) menu = NULL;
  g_autoptr(GMenuItem) item = NULL;
  g_autofree char *target = NULL;

  /* "Everyone" is no one's packets. */
  if (self->peer == NULL)
    return;

  target = dup_packets_target (self->peer);
  menu = g_menu_new ();
  item = g_menu_item_new (_("Show _Packets"), NULL);
  g_menu_item_set_action_and_target_value (item, "win.show-peer-packets",
                                           g_variant_new_string (target));
  g_menu_append_item (menu, item);
  g_clear_object (&item);
  item = g_menu_item_new (_("_Delete Conversation…"), NULL);
  g_menu_item_set_action_and_target_value (item, "win.delete-conversation",
                                           g_variant_new_string (lan_peer_get_key (self->peer)));
  g_menu_append_item (menu, item);
  g_clear_object (&item);
  item = g_menu_item_new (_("_Why Can’t I See Them?"), NULL);
  g_menu_item_set_action_and_target_value (item, "win.doctor-peer", g_variant_new_string (target));
  g_menu_append_item (menu, item);
  encodings = encoding_menu (self);
  g_menu_append_submenu (menu, _("_Encoding"), encodings);

  if (self->context_menu == NULL)
    {
      self->context_menu = gtk_popover_menu_new_from_model (NULL);
      gtk_widget_set_parent (self->context_menu, GTK_WIDGET (self));
      gtk_popover_set_has_arrow (GTK_POPOVER (self->context_menu), FALSE);
      gtk_widget_set_halign (self->context_menu, GTK_ALIGN_START);
    }
  gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (self->context_menu), G_MENU_MODEL (menu));
  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu),
                               &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
}

static void
on_secondary_click (GtkGestureClick *gesture,
                    int              n_press,
                    double           x,
                    double           y,
                    LanPeerRow      *self)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  popup_context_menu (self, x, y);
}

static void
on_long_press (GtkGestureLongPress *gesture,
               double               x,
               double               y,
               LanPeerRow          *self)
{
  popup_context_menu (self, x, y);
}

/**
 * lan_peer_row_get_context_menu:
 *
 * Returns: (transfer none) (nullable): the context menu, once it was shown
 */
GtkWidget *
lan_peer_row_get_context_menu (LanPeerRow *self)
{
  g_return_val_if_fail (LAN_IS_PEER_ROW (self), NULL);

  return self->context_menu;
}

void
lan_peer_row_popup_context_menu (LanPeerRow *self)
{
  g_return_if_fail (LAN_IS_PEER_ROW (self));

  popup_context_menu (self, 0, 0);
}

static gboolean
on_query_tooltip (LanPeerRow *self,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip)
{
  if (self->tooltip == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, self->tooltip);
  return TRUE;
}

static void
lan_peer_row_dispose (GObject *object)
{
  LanPeerRow *self = LAN_PEER_ROW (object);
  GtkWidget *child;

  lan_peer_row_unbind (self);
  g_clear_pointer (&self->tooltip, g_free);
  g_clear_pointer (&self->context_menu, gtk_widget_unparent);
  g_clear_object (&self->encoding_action);
  gtk_widget_dispose_template (GTK_WIDGET (self), LAN_TYPE_PEER_ROW);
  /* dispose_template() only clears children bound by id; the unnamed
   * root box is ours to unparent. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (lan_peer_row_parent_class)->dispose (object);
}

static void
lan_peer_row_class_init (LanPeerRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lan_peer_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/lanchat/Lanchat/lan-peer-row.ui");
  gtk_widget_class_bind_template_child (widget_class, LanPeerRow, avatar);
  gtk_widget_class_bind_template_child (widget_class, LanPeerRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, LanPeerRow, away_label);
  gtk_widget_class_bind_template_child (widget_class, LanPeerRow, detail_label);
  gtk_widget_class_bind_template_child (widget_class, LanPeerRow, unread_label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "peerrow");
}

static void
lan_peer_row_init (LanPeerRow *self)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkGesture *long_press = gtk_gesture_long_press_new ();
  g_autoptr(GSimpleActionGroup) actions = g_simple_action_group_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->encoding_action = g_simple_action_new_stateful ("encoding", G_VARIANT_TYPE_STRING,
                                                        g_variant_new_string ("automatic"));
  g_signal_connect (self->encoding_action, "change-state", G_CALLBACK (on_encoding_change), self);
  g_action_map_add_action (G_ACTION_MAP (actions), G_ACTION (self->encoding_action));
  gtk_widget_insert_action_group (GTK_WIDGET (self), "row", G_ACTION_GROUP (actions));

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_secondary_click), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (long_press), TRUE);
  g_signal_connect (long_press, "pressed", G_CALLBACK (on_long_press), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (long_press));
}

GtkWidget *
lan_peer_row_new (void)
{
  return g_object_new (LAN_TYPE_PEER_ROW, NULL);
}

LanPerson *
lan_peer_row_get_person (LanPeerRow *self)
{
  g_return_val_if_fail (LAN_IS_PEER_ROW (self), NULL);

  return self->person;
}

const char *
lan_peer_row_get_tooltip (LanPeerRow *self)
{
  g_return_val_if_fail (LAN_IS_PEER_ROW (self), NULL);

  return self->tooltip;
}
