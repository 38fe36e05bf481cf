/* lan-person.c — someone you have a conversation with, online or not.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-person"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "lan-message.h"
#include "lan-person.h"

struct _LanPerson
{
  GObject          parent_instance;

  char            *identity;
  LanPeer         *peer;
  gboolean         online;
  guint            unread;
  char            *last_message;
  gint64           last_message_time;

  LanConversation *watched;   /* weak */
  LanConversation *held;      /* while it has unread messages: they are only in memory */
};

enum {
  PROP_0,
  PROP_IDENTITY,
  PROP_PEER,
  PROP_ONLINE,
  PROP_UNREAD,
  PROP_LAST_MESSAGE,
  PROP_LAST_MESSAGE_TIME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (LanPerson, lan_person, G_TYPE_OBJECT)

static void
set_identity (LanPerson  *self,
              const char *identity)
{
  if (g_strcmp0 (self->identity, identity) == 0)
    return;
  g_free (self->identity);
  self->identity = g_strdup (identity);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDENTITY]);
}

static void
on_peer_identity_notify (LanPerson *self)
{
  if (self->online)
    set_identity (self, lan_peer_get_identity (self->peer));
}

static void
set_summary (LanPerson  *self,
             const char *text,
             gint64      time_us)
{
  if (g_strcmp0 (self->last_message, text) != 0)
    {
      g_free (self->last_message);
      self->last_message = g_strdup (text);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_MESSAGE]);
    }
  if (self->last_message_time != time_us)
    {
      self->last_message_time = time_us;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_MESSAGE_TIME]);
    }
}

static void
on_items_changed (LanPerson *self)
{
  GListModel *model = G_LIST_MODEL (self->watched);
  guint n = g_list_model_get_n_items (model);
  g_autoptr(LanMessage) last = n > 0 ? g_list_model_get_item (model, n - 1) : NULL;

  /* A sealed message is not shown before it is opened, in the list neither. */
  if (last != NULL)
    set_summary (self, lan_message_get_sealed (last) ? _("Sealed message") : lan_message_get_text (last),
                 lan_message_get_time (last));
  else
    set_summary (self, NULL, 0);
}

static void
on_unread_notify (LanPerson *self)
{
  guint unread = lan_conversation_get_unread (self->watched);

  if (unread > 0 && self->held == NULL)
    self->held = g_object_ref (self->watched);
  if (self->unread != unread)
    {
      self->unread = unread;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNREAD]);
    }
  /* Last: it may drop the last reference to the conversation. */
  if (unread == 0)
    g_clear_object (&self->held);
}

static void
unwatch (LanPerson *self)
{
  if (self->watched == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->watched, self);
  g_clear_weak_pointer (&self->watched);
}

void
lan_person_watch (LanPerson       *self,
                  LanConversation *conversation)
{
  g_return_if_fail (LAN_IS_PERSON (self));
  g_return_if_fail (LAN_IS_CONVERSATION (conversation));

  if (self->watched == conversation)
    return;
  unwatch (self);
  g_clear_object (&self->held);
  g_set_weak_pointer (&self->watched, conversation);
  g_signal_connect_swapped (conversation, "items-changed", G_CALLBACK (on_items_changed), self);
  g_signal_connect_swapped (conversation, "notify::unread", G_CALLBACK (on_unread_notify), self);
  on_items_changed (self);
  on_unread_notify (self);
}

void
lan_person_set_summary (LanPerson  *self,
                        const char *text,
                        gint64      time_us)
{
  g_return_if_fail (LAN_IS_PERSON (self));

  if (self->watched == NULL)
    set_summary (self, text, time_us);
}

void
lan_person_set_peer (LanPerson *self,
                     LanPeer   *peer,
                     gboolean   online)
{
  g_return_if_fail (LAN_IS_PERSON (self));
  g_return_if_fail (LAN_IS_PEER (peer));

  g_object_freeze_notify (G_OBJECT (self));
  if (self->peer != peer)
    {
      if (self->peer != NULL)
        g_signal_handlers_disconnect_by_data (self->peer, self);
      g_set_object (&self->peer, peer);
      g_signal_connect_swapped (peer, "notify::identity", G_CALLBACK (on_peer_identity_notify), self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PEER]);
    }
  if (online)
    set_identity (self, lan_peer_get_identity (peer));
  if (self->online != !!online)
    {
      self->online = !!online;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ONLINE]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

const char *
lan_person_get_identity (LanPerson *self)
{
  g_return_val_if_fail (LAN_IS_PERSON (self), NULL);
  return self->identity;
}

LanPeer *
lan_person_get_peer (LanPerson *self)
{
  g_return_val_if_fail (LAN_IS_PERSON (self), NULL);
  return self->peer;
}

gboolean
lan_person_get_online (LanPerson *self)
{
  g_return_val_if_fail (LAN_IS_PERSON (self), FALSE);
  return self->online;
}

guint
lan_person_get_unread (LanPerson *self)
{
  g_return_val_if_fail (LAN_IS_PERSON (self), 0);
  return self->unread;
}

const char *
lan_person_get_last_message (LanPerson *self)
{
  g_return_val_if_fail (LAN_IS_PERSON (self), NULL);
  return self->last_message;
}

gint64
lan_person_get_last_message_time (LanPerson *self)
{
  g_return_val_if_fail (LAN_IS_PERSON (self), 0);
  return self->last_message_time;
}

LanConversation *
lan_person_get_conversation (LanPerson *self)
{
  g_return_val_if_fail (LAN_IS_PERSON (self), NULL);
  return self->watched;
}

static void
lan_person_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  LanPerson *self = LAN_PERSON (object);

  switch (prop_id)
    {
    case PROP_IDENTITY: g_value_set_string (value, lan_person_get_identity (self)); break;
    case PROP_PEER: g_value_set_object (value, self->peer); break;
    case PROP_ONLINE: g_value_set_boolean (value, self->online); break;
    case PROP_UNREAD: g_value_set_uint (value, self->unread); break;
    case PROP_LAST_MESSAGE: g_value_set_string (value, self->last_message); break;
    case PROP_LAST_MESSAGE_TIME: g_value_set_int64 (value, self->last_message_time); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lan_person_dispose (GObject *object)
{
  LanPerson *self = LAN_PERSON (object);

  unwatch (self);
  g_clear_object (&self->held);
  if (self->peer != NULL)
    g_signal_handlers_disconnect_by_data (self->peer, self);
  g_clear_object (&self->peer);
  G_OBJECT_CLASS (lan_person_parent_class)->dispose (object);
}

static void
lan_person_finalize (GObject *object)
{
  LanPerson *self = LAN_PERSON (object);

  g_free (self->identity);
  g_free (self->last_message);
  G_OBJECT_CLASS (lan_person_parent_class)->finalize (object);
}

static void
lan_person_class_init (LanPersonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->get_property = lan_person_get_property;
  object_class->dispose = lan_person_dispose;
  object_class->finalize = lan_person_finalize;

  properties[PROP_IDENTITY] = g_param_spec_string ("identity", NULL, NULL, NULL, flags);
  properties[PROP_PEER] = g_param_spec_object ("peer", NULL, NULL, LAN_TYPE_PEER, flags);
  properties[PROP_ONLINE] = g_param_spec_boolean ("online", NULL, NULL, FALSE, flags);
  properties[PROP_UNREAD] = g_param_spec_uint ("unread", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_LAST_MESSAGE] = g_param_spec_string ("last-message", NULL, NULL, NULL, flags);
  properties[PROP_LAST_MESSAGE_TIME] = g_param_spec_int64 ("last-message-time", NULL, NULL,
                                                           0, G_MAXINT64, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lan_person_init (LanPerson *self)
{
}

LanPerson *
lan_person_new (const char *identity,
                LanPeer    *peer,
                gboolean    online)
{
  LanPerson *self = g_object_new (LAN_TYPE_PERSON, NULL);

  self->identity = g_strdup (identity != NULL ? identity : lan_peer_get_identity (peer));
  lan_person_set_peer (self, peer, online);
  return self;
}
