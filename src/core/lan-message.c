/* lan-message.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-message"

#include "config.h"

#include "lan-enums.h"
#include "lan-message.h"

struct _LanMessage
{
  GObject          parent_instance;

  char            *peer_key;
  char            *text;
  char            *error;
  char            *notice_kind;
  GStrv            notice_args;
  GPtrArray       *files;
  LanOfferState    offer_state;
  gint64           time;
  guint64          packet_no;
  LanDirection     direction;
  LanMessageState  state;
  guint            attempts;
  gint64           round_trip;
  gint64           history_id;
  guint            notice : 1;
  guint            broadcast : 1;
  guint            auto_reply : 1;
  guint            sealed : 1;
  guint            encrypted : 1;
};

enum {
  PROP_0,
  PROP_DIRECTION,
  PROP_TEXT,
  PROP_TIME,
  PROP_PACKET_NO,
  PROP_STATE,
  PROP_PEER_KEY,
  PROP_ATTEMPTS,
  PROP_BROADCAST,
  PROP_AUTO_REPLY,
  PROP_SEALED,
  PROP_ENCRYPTED,
  PROP_ERROR,
  PROP_NOTICE,
  PROP_ROUND_TRIP,
  PROP_OFFER_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (LanMessage, lan_message, G_TYPE_OBJECT)

static void
lan_message_finalize (GObject *object)
{
  LanMessage *self = LAN_MESSAGE (object);

  g_free (self->peer_key);
  g_free (self->text);
  g_free (self->error);
  g_free (self->notice_kind);
  g_strfreev (self->notice_args);
  g_clear_pointer (&self->files, g_ptr_array_unref);
  G_OBJECT_CLASS (lan_message_parent_class)->finalize (object);
}

static void
lan_message_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  LanMessage *self = LAN_MESSAGE (object);

  switch (prop_id)
    {
    case PROP_DIRECTION: g_value_set_enum (value, self->direction); break;
    case PROP_TEXT: g_value_set_string (value, self->text); break;
    case PROP_TIME: g_value_set_int64 (value, self->time); break;
    case PROP_PACKET_NO: g_value_set_uint64 (value, self->packet_no); break;
    case PROP_STATE: g_value_set_enum (value, self->state); break;
    case PROP_PEER_KEY: g_value_set_string (value, self->peer_key); break;
    case PROP_ATTEMPTS: g_value_set_uint (value, self->attempts); break;
    case PROP_BROADCAST: g_value_set_boolean (value, self->broadcast); break;
    case PROP_AUTO_REPLY: g_value_set_boolean (value, self->auto_reply); break;
    case PROP_SEALED: g_value_set_boolean (value, self->sealed); break;
    case PROP_ENCRYPTED: g_value_set_boolean (value, self->encrypted); break;
    case PROP_ERROR: g_value_set_string (value, self->error); break;
    case PROP_NOTICE: g_value_set_boolean (value, self->notice); break;
    case PROP_ROUND_TRIP: g_value_set_int64 (value, self->round_trip); break;
    case PROP_OFFER_STATE: g_value_set_enum (value, self->offer_state); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lan_message_class_init (LanMessageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = lan_message_finalize;
  object_class->get_property = lan_message_get_property;

  properties[PROP_DIRECTION] = g_param_spec_enum ("direction", NULL, NULL, LAN_TYPE_DIRECTION,
                                                LAN_DIRECTION_IN, flags);
  properties[PROP_TEXT] = g_param_spec_string ("text", NULL, NULL, NULL, flags);
  properties[PROP_TIME] = g_param_spec_int64 ("time", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_PACKET_NO] = g_param_spec_uint64 ("packet-no", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, LAN_TYPE_MESSAGE_STATE,
                                            LAN_MESSAGE_RECEIVED, flags);
  properties[PROP_PEER_KEY] = g_param_spec_string ("peer-key", NULL, NULL, NULL, flags);
  properties[PROP_ATTEMPTS] = g_param_spec_uint ("attempts", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_BROADCAST] = g_param_spec_boolean ("broadcast", NULL, NULL, FALSE, flags);
  properties[PROP_AUTO_REPLY] = g_param_spec_boolean ("auto-reply", NULL, NULL, FALSE, flags);
  properties[PROP_SEALED] = g_param_spec_boolean ("sealed", NULL, NULL, FALSE, flags);
  properties[PROP_ENCRYPTED] = g_param_spec_boolean ("encrypted", NULL, NULL, FALSE, flags);
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, flags);
  properties[PROP_NOTICE] = g_param_spec_boolean ("notice", NULL, NULL, FALSE, flags);
  properties[PROP_ROUND_TRIP] = g_param_spec_int64 ("round-trip", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_OFFER_STATE] = g_param_spec_enum ("offer-state", NULL, NULL, LAN_TYPE_OFFER_STATE,
                                                    LAN_OFFER_NONE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lan_message_init (LanMessage *self)
{
  self->round_trip = -1;
}

LanMessage *
lan_message_new (LanDirection  direction,
                 const char   *peer_key,
                 const char   *text,
                 gint64        time_us,
                 guint64       packet_no)
{
  LanMessage *self = g_object_new (LAN_TYPE_MESSAGE, NULL);

  self->direction = direction;
  self->peer_key = g_strdup (peer_key);
  self->text = g_strdup (text != NULL ? text : "");
  self->time = time_us;
  self->packet_no = packet_no;
  self->state = direction == LAN_DIRECTION_IN ? LAN_MESSAGE_RECEIVED : LAN_MESSAGE_SENDING;
  return self;
}

#define SETTER(name, type, field, prop)                                     \
  void                                                                      \
  lan_message_set_##name (LanMessage *self,                                 \
                          type        value)                                \
  {                                                                         \
    if (self->field == value)                                               \
      return;                                                               \
    self->field = value;                                                    \
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);          \
  }

SETTER (state, LanMessageState, state, PROP_STATE)
SETTER (packet_no, guint64, packet_no, PROP_PACKET_NO)
SETTER (attempts, guint, attempts, PROP_ATTEMPTS)
SETTER (round_trip, gint64, round_trip, PROP_ROUND_TRIP)

#undef SETTER

void
lan_message_set_broadcast (LanMessage *self,
                           gboolean    broadcast)
{
  if (self->broadcast == !!broadcast)
    return;
  self->broadcast = !!broadcast;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BROADCAST]);
}

void
lan_message_set_auto_reply (LanMessage *self,
                            gboolean    auto_reply)
{
  if (self->auto_reply == !!auto_reply)
    return;
  self->auto_reply = !!auto_reply;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTO_REPLY]);
}

void
lan_message_set_error (LanMessage *self,
                       const char *error)
{
  if (g_strcmp0 (self->error, error) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

LanMessage *
lan_message_new_notice (const char *text,
                        gint64      time_us)
{
  LanMessage *self = lan_message_new (LAN_DIRECTION_IN, NULL, text, time_us, 0);

  self->notice = TRUE;
  self->state = LAN_MESSAGE_SENT;
  return self;
}

gboolean lan_message_get_notice (LanMessage *self) { return self->notice; }
const char *lan_message_get_notice_kind (LanMessage *self) { return self->notice_kind; }
const char * const *lan_message_get_notice_args (LanMessage *self) { return (const char * const *) self->notice_args; }

void
lan_message_set_notice_kind (LanMessage         *self,
                             const char         *kind,
                             const char * const *args)
{
  g_return_if_fail (self->notice);

  g_free (self->notice_kind);
  self->notice_kind = g_strdup (kind);
  g_strfreev (self->notice_args);
  self->notice_args = g_strdupv ((char **) args);
}
gint64 lan_message_get_history_id (LanMessage *self) { return self->history_id; }
void lan_message_set_history_id (LanMessage *self, gint64 id) { self->history_id = id; }

LanDirection lan_message_get_direction (LanMessage *self) { return self->direction; }
const char *lan_message_get_text (LanMessage *self) { return self->text; }
gint64 lan_message_get_time (LanMessage *self) { return self->time; }
guint64 lan_message_get_packet_no (LanMessage *self) { return self->packet_no; }
LanMessageState lan_message_get_state (LanMessage *self) { return self->state; }
const char *lan_message_get_peer_key (LanMessage *self) { return self->peer_key; }
guint lan_message_get_attempts (LanMessage *self) { return self->attempts; }
gint64 lan_message_get_round_trip (LanMessage *self) { return self->round_trip; }
gboolean lan_message_get_broadcast (LanMessage *self) { return self->broadcast; }
gboolean lan_message_get_auto_reply (LanMessage *self) { return self->auto_reply; }
gboolean lan_message_get_sealed (LanMessage *self) { return self->sealed; }
gboolean lan_message_get_encrypted (LanMessage *self) { return self->encrypted; }

void
lan_message_set_sealed (LanMessage *self,
                        gboolean    sealed)
{
  if (self->sealed == !!sealed)
    return;
  self->sealed = !!sealed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEALED]);
}

void
lan_message_open (LanMessage *self)
{
  g_return_if_fail (LAN_IS_MESSAGE (self));

  lan_message_set_sealed (self, FALSE);
}

void
lan_message_set_encrypted (LanMessage *self,
                           gboolean    encrypted)
{
  if (self->encrypted == !!encrypted)
    return;
  self->encrypted = !!encrypted;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENCRYPTED]);
}
const char *lan_message_get_error (LanMessage *self) { return self->error; }

const char *
lan_message_state_to_string (LanMessageState state)
{
  static const char * const names[] = {
    [LAN_MESSAGE_RECEIVED] = "received",
    [LAN_MESSAGE_SENDING] = "sending",
    [LAN_MESSAGE_DELIVERED] = "delivered",
    [LAN_MESSAGE_READ] = "read",
    [LAN_MESSAGE_FAILED] = "failed",
    [LAN_MESSAGE_QUEUED] = "queued",
    [LAN_MESSAGE_SENT] = "sent",
  };

  if ((guint) state < G_N_ELEMENTS (names))
    return names[state];
  return "unknown";
}

GPtrArray *
lan_message_get_files (LanMessage *self)
{
  g_return_val_if_fail (LAN_IS_MESSAGE (self), NULL);

  return self->files;
}

LanOfferState
lan_message_get_offer_state (LanMessage *self)
{
  g_return_val_if_fail (LAN_IS_MESSAGE (self), LAN_OFFER_NONE);

  return self->offer_state;
}

void
lan_message_set_files (LanMessage *self,
                       GPtrArray  *files)
{
  g_return_if_fail (LAN_IS_MESSAGE (self));

  g_clear_pointer (&self->files, g_ptr_array_unref);
  if (files != NULL && files->len > 0)
    self->files = g_ptr_array_ref (files);
  lan_message_set_offer_state (self, self->files != NULL ? LAN_OFFER_OPEN : LAN_OFFER_NONE);
}

void
lan_message_set_offer_state (LanMessage    *self,
                             LanOfferState  state)
{
  g_return_if_fail (LAN_IS_MESSAGE (self));

  if (self->offer_state == state)
    return;
  self->offer_state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFER_STATE]);
}

const char *
lan_offer_state_to_string (LanOfferState state)
{
  switch (state)
    {
    case LAN_OFFER_NONE: return "none";
    case LAN_OFFER_OPEN: return "open";
    case LAN_OFFER_DONE: return "done";
    case LAN_OFFER_DECLINED: return "declined";
    case LAN_OFFER_EXPIRED: return "expired";
    case LAN_OFFER_WITHDRAWN: return "withdrawn";
    default: return "unknown";
    }
}
