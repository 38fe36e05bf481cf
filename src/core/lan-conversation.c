/* lan-conversation.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-conversation"

#include "config.h"

#include <string.h>

#include "lan-bounds.h"
#include "lan-conversation.h"

struct _LanConversation
{
  GObject    parent_instance;

  char      *peer_key;
  GPtrArray *messages;
  gsize      text_bytes;    /* of the texts in messages, for LAN_CONVERSATION_MAX_BYTES */
  guint      unread;
};

enum {
  PROP_0,
  PROP_PEER_KEY,
  PROP_UNREAD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LanConversation, lan_conversation, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
get_item_type (GListModel *model)
{
  return LAN_TYPE_MESSAGE;
}

static guint
get_n_items (GListModel *model)
{
  return LAN_CONVERSATION (model)->messages->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  LanConversation *self = LAN_CONVERSATION (model);

  if (position >= self->messages->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->messages, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
lan_conversation_finalize (GObject *object)
{
  LanConversation *self = LAN_CONVERSATION (object);

  g_free (self->peer_key);
  g_clear_pointer (&self->messages, g_ptr_array_unref);
  G_OBJECT_CLASS (lan_conversation_parent_class)->finalize (object);
}

static void
lan_conversation_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  LanConversation *self = LAN_CONVERSATION (object);

  switch (prop_id)
    {
    case PROP_PEER_KEY: g_value_set_string (value, self->peer_key); break;
    case PROP_UNREAD: g_value_set_uint (value, self->unread); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lan_conversation_class_init (LanConversationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = lan_conversation_finalize;
  object_class->get_property = lan_conversation_get_property;

  properties[PROP_PEER_KEY] = g_param_spec_string ("peer-key", NULL, NULL, NULL, flags);
  properties[PROP_UNREAD] = g_param_spec_uint ("unread", NULL, NULL, 0, G_MAXUINT, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lan_conversation_init (LanConversation *self)
{
  self->messages = g_ptr_array_new_with_free_func (g_object_unref);
}

LanConversation *
lan_conversation_new (const char *peer_key)
{
  LanConversation *self = g_object_new (LAN_TYPE_CONVERSATION, NULL);

  self->peer_key = g_strdup (peer_key);
  return self;
}

void
lan_conversation_append (LanConversation *self,
                         LanMessage      *message,
                         gboolean         loaded)
{
  guint drop = 0;

  g_return_if_fail (LAN_IS_CONVERSATION (self));

  self->text_bytes += strlen (lan_message_get_text (message));
  /* The oldest go, by count and by bytes (one sender of 64 KB messages
   * can't pin 5000 of them); history keeps them. */
  while (drop < self->messages->len &&
         (self->messages->len - drop >= LAN_CONVERSATION_MAX_MESSAGES ||
          self->text_bytes > LAN_CONVERSATION_MAX_BYTES))
    {
      LanMessage *old = g_ptr_array_index (self->messages, drop++);

      self->text_bytes -= MIN (self->text_bytes, strlen (lan_message_get_text (old)));
    }
  if (drop > 0)
    {
      g_ptr_array_remove_range (self->messages, 0, drop);
      g_list_model_items_changed (G_LIST_MODEL (self), 0, drop, 0);
    }
  g_ptr_array_add (self->messages, g_object_ref (message));
  g_list_model_items_changed (G_LIST_MODEL (self), self->messages->len - 1, 0, 1);

  if (!loaded && lan_message_get_direction (message) == LAN_DIRECTION_IN &&
      !lan_message_get_notice (message))
    {
      self->unread++;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNREAD]);
    }
}

void
lan_conversation_clear (LanConversation *self)
{
  guint n = self->messages->len;

  g_ptr_array_set_size (self->messages, 0);
  self->text_bytes = 0;
  if (n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, n, 0);
  lan_conversation_mark_read (self);
}

const char *
lan_conversation_get_peer_key (LanConversation *self)
{
  return self->peer_key;
}

guint
lan_conversation_get_unread (LanConversation *self)
{
  return self->unread;
}

void
lan_conversation_mark_read (LanConversation *self)
{
  if (self->unread == 0)
    return;
  self->unread = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNREAD]);
}
