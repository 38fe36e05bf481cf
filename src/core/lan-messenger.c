/* lan-messenger.c — the façade: properties, lifecycle, and the hooks that
 * tie the parts together: what one part tells the others (a peer is back,
 * renamed, gone) goes through the hooks set up here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-messenger"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lan-enums.h"
#include "lan-message.h"
#include "lan-messenger-private.h"
#include "lan-peer-list.h"

enum {
  PROP_0,
  PROP_NICKNAME,
  PROP_GROUP,
  PROP_USER_NAME,
  PROP_HOST_NAME,
  PROP_PORT,
  PROP_BIND_ADDRESS,
  PROP_LEGACY_ENCODING,
  PROP_AWAY,
  PROP_AWAY_TEXT,
  PROP_AWAY_IN_NICKNAME,
  PROP_RETRY_INITIAL_MS,
  PROP_RETRY_MAX_INTERVAL_MS,
  PROP_RETRY_BUDGET_MS,
  PROP_ANSWER_DELAY_MAX_MS,
  PROP_SIMULATED_LOSS,
  PROP_RUNNING,
  PROP_LISTEN_ADDRESS,
  PROP_NETWORK_AVAILABLE,
  PROP_ERROR,
  PROP_HISTORY_PATH,
  PROP_HISTORY_DAYS,
  PROP_HISTORY_ERROR,
  PROP_TRANSPORT,
  N_PROPS
};

enum {
  MESSAGE_RECEIVED,
  PEER_GONE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (LanMessenger, lan_messenger, G_TYPE_OBJECT)

/* Hooks */

static void
on_session_started (const char *key,
                    gpointer    self)
{
  lan_inbox_session_started (LAN_MESSENGER (self)->inbox, key);
}

static void
on_session_ended (const char *key,
                  gpointer    self)
{
  lan_inbox_session_ended (LAN_MESSENGER (self)->inbox, key);
}

static void
on_peer_named (LanPeer    *peer,
               const char *old_identity,
               gpointer    self)
{
  lan_identity_peer_named (LAN_MESSENGER (self)->identity, peer, old_identity);
}

static void
on_peer_back (LanPeer  *peer,
              gpointer  self)
{
  lan_identity_peer_back (LAN_MESSENGER (self)->identity, peer);
}

static void
on_peer_gone (LanPeer  *peer,
              gpointer  user_data)
{
  g_signal_emit (user_data, signals[PEER_GONE], 0, peer);
}

static void
on_peer_evicted (LanPeer  *peer,
                 gpointer  self)
{
  lan_identity_peer_evicted (LAN_MESSENGER (self)->identity, peer);
}

static void
on_network_changed (gboolean changed,
                    gpointer user_data)
{
  LanMessenger *self = user_data;

  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NETWORK_AVAILABLE]);
  /* New addresses have not heard of us. */
  if (self->running)
    lan_presence_announce (self->presence);
}

static void
on_arrival (LanPeer    *peer,
            LanMessage *message,
            gpointer    user_data)
{
  g_signal_emit (user_data, signals[MESSAGE_RECEIVED], 0, peer, message);
}

static void
on_store_error (LanMessenger *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HISTORY_ERROR]);
}

static const LanPresenceHooks presence_hooks = {
  .session_started = on_session_started,
  .session_ended = on_session_ended,
  .peer_named = on_peer_named,
  .peer_back = on_peer_back,
  .peer_gone = on_peer_gone,
  .peer_evicted = on_peer_evicted,
};

/* Properties */

static gboolean
replace_uint (guint        *field,
              const GValue *value)
{
  gboolean changed = *field != g_value_get_uint (value);

  *field = g_value_get_uint (value);
  return changed;
}

static void
lan_messenger_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  LanMessenger *self = LAN_MESSENGER (object);
  gboolean changed = FALSE;

  switch (prop_id)
    {
    case PROP_NICKNAME:
    case PROP_GROUP:
      changed = lan_set_str (prop_id == PROP_NICKNAME ? &self->nickname : &self->group,
                         g_value_get_string (value));
      lan_presence_set_nickname (self->presence, self->nickname);
      lan_presence_set_group (self->presence, self->group);
      break;
    case PROP_USER_NAME:
    case PROP_HOST_NAME:
      changed = lan_set_str (prop_id == PROP_USER_NAME ? &self->user_name : &self->host_name,
                         g_value_get_string (value));
      lan_wire_set_identity (self->wire, self->user_name, self->host_name);
      break;
    case PROP_AWAY:
    case PROP_AWAY_TEXT:
      if (prop_id == PROP_AWAY_TEXT)
        changed = lan_set_str (&self->away_text, g_value_get_string (value));
      else if ((changed = self->away != g_value_get_boolean (value)))
        self->away = g_value_get_boolean (value);
      lan_presence_set_away (self->presence, self->away, self->away_text);
      break;
    case PROP_AWAY_IN_NICKNAME:
      if ((changed = self->away_in_nickname != g_value_get_boolean (value)))
        self->away_in_nickname = g_value_get_boolean (value);
      /* The presence announces it at once when away and running. */
      lan_presence_set_away_in_nickname (self->presence, self->away_in_nickname);
      break;
    case PROP_BIND_ADDRESS:
      {
        const char *address = g_value_get_string (value);

        if (address != NULL && (*address == '\0' || g_str_equal (address, "0.0.0.0")))
          address = NULL;
        changed = lan_set_str (&self->bind_address, address);
      }
      break;
    case PROP_PORT:
      changed = replace_uint (&self->port, value);
      break;
    case PROP_LEGACY_ENCODING:
      changed = self->legacy != (LanLegacyEncoding) g_value_get_enum (value);
      self->legacy = (LanLegacyEncoding) g_value_get_enum (value);
      lan_wire_set_legacy (self->wire, self->legacy);
      break;
    case PROP_RETRY_INITIAL_MS:
    case PROP_RETRY_MAX_INTERVAL_MS:
    case PROP_RETRY_BUDGET_MS:
      changed = replace_uint (prop_id == PROP_RETRY_INITIAL_MS ? &self->retry_initial_ms :
                              prop_id == PROP_RETRY_MAX_INTERVAL_MS ? &self->retry_max_interval_ms :
                              &self->retry_budget_ms, value);
      lan_sender_set_retry (self->sender, self->retry_initial_ms, self->retry_max_interval_ms,
                            self->retry_budget_ms);
      break;
    case PROP_ANSWER_DELAY_MAX_MS:
      changed = replace_uint (&self->answer_delay_max_ms, value);
      lan_presence_set_answer_delay_max (self->presence, self->answer_delay_max_ms);
      break;
    case PROP_HISTORY_PATH:
      changed = lan_set_str (&self->history_path, g_value_get_string (value));
      break;
    case PROP_HISTORY_DAYS:
      changed = replace_uint (&self->history_days, value);
      break;
    case PROP_TRANSPORT:
      self->transport = g_value_dup_object (value);
      return;
    case PROP_SIMULATED_LOSS:
      changed = self->simulated_loss != g_value_get_double (value);
      self->simulated_loss = g_value_get_double (value);
      lan_wire_set_simulated_loss (self->wire, self->simulated_loss);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }

  if (changed)
    g_object_notify_by_pspec (object, pspec);
}

static void
lan_messenger_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  LanMessenger *self = LAN_MESSENGER (object);
  const GError *history_error;

  switch (prop_id)
    {
    case PROP_NICKNAME: g_value_set_string (value, self->nickname); break;
    case PROP_GROUP: g_value_set_string (value, self->group); break;
    case PROP_USER_NAME: g_value_set_string (value, self->user_name); break;
    case PROP_HOST_NAME: g_value_set_string (value, self->host_name); break;
    case PROP_PORT: g_value_set_uint (value, self->port); break;
    case PROP_BIND_ADDRESS: g_value_set_string (value, self->bind_address); break;
    case PROP_LEGACY_ENCODING: g_value_set_enum (value, self->legacy); break;
    case PROP_AWAY: g_value_set_boolean (value, self->away); break;
    case PROP_AWAY_TEXT: g_value_set_string (value, self->away_text); break;
    case PROP_AWAY_IN_NICKNAME: g_value_set_boolean (value, self->away_in_nickname); break;
    case PROP_RETRY_INITIAL_MS: g_value_set_uint (value, self->retry_initial_ms); break;
    case PROP_RETRY_MAX_INTERVAL_MS: g_value_set_uint (value, self->retry_max_interval_ms); break;
    case PROP_RETRY_BUDGET_MS: g_value_set_uint (value, self->retry_budget_ms); break;
    case PROP_ANSWER_DELAY_MAX_MS: g_value_set_uint (value, self->answer_delay_max_ms); break;
    case PROP_SIMULATED_LOSS: g_value_set_double (value, self->simulated_loss); break;
    case PROP_RUNNING: g_value_set_boolean (value, self->running); break;
    case PROP_NETWORK_AVAILABLE:
      g_value_set_boolean (value, lan_wire_get_network_available (self->wire));
      break;
    case PROP_ERROR: g_value_set_string (value, self->error != NULL ? self->error->message : NULL); break;
    case PROP_HISTORY_PATH: g_value_set_string (value, self->history_path); break;
    case PROP_HISTORY_DAYS: g_value_set_uint (value, self->history_days); break;
    case PROP_HISTORY_ERROR:
      history_error = lan_conversation_store_get_error (self->store);
      g_value_set_string (value, history_error != NULL ? history_error->message : NULL);
      break;
    case PROP_TRANSPORT: g_value_set_object (value, lan_wire_get_transport (self->wire)); break;
    case PROP_LISTEN_ADDRESS:
      g_value_take_string (value, g_strdup_printf ("%s:%u",
                                                   self->bind_address != NULL ? self->bind_address : "0.0.0.0",
                                                   self->port));
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Object */

static void
lan_messenger_constructed (GObject *object)
{
  LanMessenger *self = LAN_MESSENGER (object);
  g_autoptr(LanTransport) transport = self->transport != NULL ? g_steal_pointer (&self->transport)
                                                                : lan_transport_new ();

  G_OBJECT_CLASS (lan_messenger_parent_class)->constructed (object);

  self->peers = lan_peer_list_new (LAN_PEER_LIST_DEFAULT_MAX);
  self->wire = lan_wire_new (transport, self->peers);
  lan_wire_set_identity (self->wire, self->user_name, self->host_name);
  lan_wire_set_arrival_func (self->wire, on_arrival, self);
  lan_wire_set_network_func (self->wire, on_network_changed, self);
  self->store = lan_conversation_store_new (LAN_MESSENGER_MAX_CONVERSATIONS);
  g_signal_connect_swapped (self->store, "notify::error", G_CALLBACK (on_store_error), self);
  self->presence = lan_presence_new (self->wire, self->peers);
  lan_presence_set_hooks (self->presence, &presence_hooks, self);
  self->answers = lan_presence_get_answers (self->presence);
  self->outbox = lan_outbox_new (self->store);
  self->inbox = lan_inbox_new (self->wire, self->presence, self->store);
  self->sender = lan_sender_new (self->wire, self->presence, self->store, self->outbox);
  lan_conversation_store_set_find_live (self->store, lan_sender_find_live, self->sender);
  self->identity = lan_identity_new (self->wire, self->presence, self->store, self->outbox, self->sender);
  lan_messenger_offers_init (self);
}

static void
lan_messenger_dispose (GObject *object)
{
  LanMessenger *self = LAN_MESSENGER (object);

  if (self->running)
    lan_messenger_stop (self);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  G_OBJECT_CLASS (lan_messenger_parent_class)->dispose (object);
}

static void
lan_messenger_finalize (GObject *object)
{
  LanMessenger *self = LAN_MESSENGER (object);

  /* Users before what they use. */
  lan_messenger_offers_clear (self);
  g_clear_object (&self->identity);
  lan_messenger_fetch_free (self);
  g_clear_object (&self->transfers);
  g_clear_object (&self->sender);
  g_clear_object (&self->inbox);
  g_clear_object (&self->outbox);
  g_clear_object (&self->presence);
  g_clear_object (&self->store);
  g_clear_object (&self->wire);
  g_clear_object (&self->peers);
  g_free (self->nickname);
  g_free (self->group);
  g_free (self->user_name);
  g_free (self->host_name);
  g_free (self->bind_address);
  g_free (self->away_text);
  g_free (self->history_path);
  g_clear_error (&self->error);
  G_OBJECT_CLASS (lan_messenger_parent_class)->finalize (object);
}

static void
lan_messenger_class_init (LanMessengerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->set_property = lan_messenger_set_property;
  object_class->get_property = lan_messenger_get_property;
  object_class->constructed = lan_messenger_constructed;
  object_class->dispose = lan_messenger_dispose;
  object_class->finalize = lan_messenger_finalize;

  properties[PROP_NICKNAME] = g_param_spec_string ("nickname", NULL, NULL, NULL, rw);
  properties[PROP_GROUP] = g_param_spec_string ("group", NULL, NULL, NULL, rw);
  properties[PROP_USER_NAME] = g_param_spec_string ("user-name", NULL, NULL, NULL, rw);
  properties[PROP_HOST_NAME] = g_param_spec_string ("host-name", NULL, NULL, NULL, rw);
  properties[PROP_PORT] = g_param_spec_uint ("port", NULL, NULL, 1, G_MAXUINT16, LAN_IPMSG_DEFAULT_PORT, rw);
  properties[PROP_BIND_ADDRESS] = g_param_spec_string ("bind-address", NULL, NULL, NULL, rw);
  properties[PROP_LEGACY_ENCODING] = g_param_spec_enum ("legacy-encoding", NULL, NULL,
                                                        LAN_TYPE_LEGACY_ENCODING,
                                                        LAN_LEGACY_GB18030, rw);
  properties[PROP_AWAY] = g_param_spec_boolean ("away", NULL, NULL, FALSE, rw);
  properties[PROP_AWAY_TEXT] = g_param_spec_string ("away-text", NULL, NULL, NULL, rw);
  properties[PROP_AWAY_IN_NICKNAME] = g_param_spec_boolean ("away-in-nickname", NULL, NULL, FALSE, rw);
  properties[PROP_RETRY_INITIAL_MS] = g_param_spec_uint ("retry-initial-ms", NULL, NULL, 1, 60000, 500, rw);
  properties[PROP_RETRY_MAX_INTERVAL_MS] = g_param_spec_uint ("retry-max-interval-ms", NULL, NULL, 1, 600000, 2000, rw);
  properties[PROP_RETRY_BUDGET_MS] = g_param_spec_uint ("retry-budget-ms", NULL, NULL, 0, 3600000, 30000, rw);
  properties[PROP_ANSWER_DELAY_MAX_MS] = g_param_spec_uint ("answer-delay-max-ms", NULL, NULL, 0, 60000, 1000, rw);
  properties[PROP_SIMULATED_LOSS] = g_param_spec_double ("simulated-loss", NULL, NULL, 0.0, 1.0, 0.0, rw);
  properties[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE, ro);
  properties[PROP_LISTEN_ADDRESS] = g_param_spec_string ("listen-address", NULL, NULL, NULL, ro);
  properties[PROP_NETWORK_AVAILABLE] = g_param_spec_boolean ("network-available", NULL, NULL, FALSE, ro);
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, ro);
  properties[PROP_HISTORY_PATH] = g_param_spec_string ("history-path", NULL, NULL, NULL, rw);
  properties[PROP_HISTORY_DAYS] = g_param_spec_uint ("history-days", NULL, NULL, 0, 36500, 0, rw);
  properties[PROP_HISTORY_ERROR] = g_param_spec_string ("history-error", NULL, NULL, NULL, ro);
  /* NULL: a new UDP transport. */
  properties[PROP_TRANSPORT] = g_param_spec_object ("transport", NULL, NULL, LAN_TYPE_TRANSPORT,
                                                    G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                                                    G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[MESSAGE_RECEIVED] =
    g_signal_new ("message-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, LAN_TYPE_PEER, LAN_TYPE_MESSAGE);
  signals[PEER_GONE] =
    g_signal_new ("peer-gone", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, LAN_TYPE_PEER);
}

static void
lan_messenger_init (LanMessenger *self)
{
  self->user_name = g_strdup (g_get_user_name ());
  self->host_name = g_strdup (g_get_host_name ());
  self->port = LAN_IPMSG_DEFAULT_PORT;
  self->legacy = LAN_LEGACY_GB18030;
  self->retry_initial_ms = 500;
  self->retry_max_interval_ms = 2000;
  self->retry_budget_ms = 30000;
  self->answer_delay_max_ms = 1000;
}

LanMessenger *
lan_messenger_new_with_transport (LanTransport *transport)
{
  g_return_val_if_fail (LAN_IS_TRANSPORT (transport), NULL);

  return g_object_new (LAN_TYPE_MESSENGER, "transport", transport, NULL);
}

LanMessenger *
lan_messenger_new (void)
{
  return g_object_new (LAN_TYPE_MESSENGER, NULL);
}

static void
set_error (LanMessenger *self,
           GError       *error)   /* takes it */
{
  if (self->error == NULL && error == NULL)
    return;
  g_clear_error (&self->error);
  self->error = error;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

gboolean
lan_messenger_start (LanMessenger  *self,
                     GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (LAN_IS_MESSENGER (self), FALSE);

  if (self->running)
    return TRUE;

  if (lan_wire_refresh_interfaces (self->wire))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NETWORK_AVAILABLE]);
  /* Before any packet: what was owed and said before comes back first. */
  if (lan_outbox_open (self->outbox, self->history_path, self->history_days))
    lan_wire_skip_packet_no (self->wire, lan_conversation_store_max_sent_packet_no (self->store));
  if (!lan_wire_bind (self->wire, self->bind_address, (guint16) self->port, &local_error))
    {
      set_error (self, g_error_copy (local_error));
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  set_error (self, NULL);

  self->running = TRUE;
  lan_messenger_offers_start (self);
  lan_presence_start (self->presence);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LISTEN_ADDRESS]);
  return TRUE;
}

gboolean
lan_messenger_restart (LanMessenger  *self,
                       GError       **error)
{
  g_return_val_if_fail (LAN_IS_MESSENGER (self), FALSE);

  lan_messenger_stop (self);
  return lan_messenger_start (self, error);
}

const GError *
lan_messenger_get_error (LanMessenger *self)
{
  g_return_val_if_fail (LAN_IS_MESSENGER (self), NULL);

  return self->error;
}

void
lan_messenger_stop (LanMessenger *self)
{
  g_return_if_fail (LAN_IS_MESSENGER (self));

  if (!self->running)
    return;

  lan_presence_stop (self->presence);
  lan_messenger_offers_stop (self);
  /* With an outbox, what was still unacknowledged goes out again next time. */
  if (lan_outbox_get_enabled (self->outbox))
    lan_sender_end_all (self->sender, _("Not acknowledged before Lanchat went offline; "
                                        "it goes out again when they are back"), TRUE);
  else
    lan_sender_end_all (self->sender, _("Lanchat went offline before it was acknowledged"), FALSE);
  lan_messenger_fetch_stop (self);
  lan_wire_close (self->wire);
  self->running = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

gboolean
lan_messenger_get_running (LanMessenger *self)
{
  return self->running;
}

void
lan_messenger_announce (LanMessenger *self)
{
  lan_identity_refresh (self->identity);
}

LanIdentity *
lan_messenger_get_identity (LanMessenger *self)
{
  return self->identity;
}

gboolean
lan_messenger_add_target (LanMessenger  *self,
                          const char    *target,
                          GError       **error)
{
  g_return_val_if_fail (LAN_IS_MESSENGER (self), FALSE);

  return lan_presence_add_target (self->presence, target, (guint16) self->port, error);
}

void
lan_messenger_clear_targets (LanMessenger *self)
{
  lan_presence_clear_targets (self->presence);
}

LanPeerList *
lan_messenger_get_peers (LanMessenger *self)
{
  return self->peers;
}

LanPeer *
lan_messenger_get_peer_for_address (LanMessenger  *self,
                                    const char    *address,
                                    GError       **error)
{
  g_return_val_if_fail (LAN_IS_MESSENGER (self), NULL);

  return lan_identity_peer_for_address (self->identity, address, (guint16) self->port, error);
}

LanPacketLog *
lan_messenger_get_packet_log (LanMessenger *self)
{
  return lan_wire_get_log (self->wire);
}

LanConversation *
lan_messenger_get_conversation (LanMessenger *self,
                                const char   *peer_key)
{
  LanPeer *peer;

  g_return_val_if_fail (LAN_IS_MESSENGER (self), NULL);
  g_return_val_if_fail (peer_key != NULL, NULL);

  peer = lan_peer_list_lookup (self->peers, peer_key);
  return lan_conversation_store_get (self->store, peer != NULL ? lan_peer_get_identity (peer) : peer_key);
}

LanConversation *
lan_messenger_get_broadcast_conversation (LanMessenger *self)
{
  return lan_conversation_store_get_broadcast (self->store);
}

const LanMessengerStats *
lan_messenger_get_stats (LanMessenger *self)
{
  return lan_wire_get_stats (self->wire);
}

LanMessage *
lan_messenger_send (LanMessenger  *self,
                    LanPeer       *peer,
                    const char    *text,
                    GError       **error)
{
  g_return_val_if_fail (LAN_IS_MESSENGER (self), NULL);
  g_return_val_if_fail (LAN_IS_PEER (peer), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  return lan_sender_send (self->sender, peer, text, 0, error);
}

GPtrArray *
lan_messenger_send_multicast (LanMessenger  *self,
                              LanPeer      **peers,
                              guint          n_peers,
                              const char    *text,
                              GError       **error)
{
  g_return_val_if_fail (LAN_IS_MESSENGER (self), NULL);

  return lan_sender_send_multicast (self->sender, peers, n_peers, text, error);
}

LanMessage *
lan_messenger_send_broadcast (LanMessenger  *self,
                              const char    *text,
                              GError       **error)
{
  g_return_val_if_fail (LAN_IS_MESSENGER (self), NULL);

  return lan_sender_send_broadcast (self->sender, text, error);
}

void
lan_messenger_retry (LanMessenger *self,
                     LanMessage   *message)
{
  g_return_if_fail (LAN_IS_MESSENGER (self));
  g_return_if_fail (LAN_IS_MESSAGE (message));

  lan_sender_retry (self->sender, message);
}

void
lan_messenger_cancel (LanMessenger *self,
                      LanMessage   *message)
{
  g_return_if_fail (LAN_IS_MESSENGER (self));
  g_return_if_fail (LAN_IS_MESSAGE (message));

  lan_sender_cancel (self->sender, message);
}

gboolean
lan_messenger_delete_conversation (LanMessenger  *self,
                                   const char    *key,
                                   GError       **error)
{
  LanPeer *peer = lan_peer_list_lookup (self->peers, key);

  return lan_outbox_delete (self->outbox, peer != NULL ? lan_peer_get_identity (peer) : key, error);
}

gboolean
lan_messenger_clear_history (LanMessenger  *self,
                             GError       **error)
{
  return lan_outbox_clear_history (self->outbox, error);
}

gboolean
lan_messenger_measure_text (LanMessenger *self,
                            LanPeer      *peer,
                            const char   *text,
                            gsize        *out_bytes,
                            gsize        *out_max,
                            gboolean     *out_lossy)
{
  g_return_val_if_fail (LAN_IS_MESSENGER (self), FALSE);

  return lan_sender_measure_text (self->sender, peer, text, out_bytes, out_max, out_lossy);
}

gsize
lan_messenger_max_text_bytes (LanMessenger *self,
                              LanPeer      *peer)
{
  return lan_sender_max_text_bytes (self->sender, peer);
}
