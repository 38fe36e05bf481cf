/* lan-messenger.c — the engine's object: its settings, lifecycle, peers and
 * conversations.
 *
 * Datagrams in and out go through lan-messenger-wire.c, presence lives in
 * lan-messenger-presence.c, messages and their acknowledgements in
 * lan-messenger-send.c, history and the outbox in lan-messenger-history.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lan-conversation-private.h"
#include "lan-interfaces.h"
#include "lan-messenger-private.h"
#include "lan-peer-list-private.h"
#include "lan-peer-private.h"

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

static void
source_destroy_and_unref (gpointer source)
{
  g_source_destroy (source);
  g_source_unref (source);
}

static void
set_error (LanMessenger *self,
           const char   *error)
{
  if (g_strcmp0 (self->error, error) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
refresh_interfaces (LanMessenger *self)
{
  gboolean available;

  g_clear_pointer (&self->interfaces, g_ptr_array_unref);
  self->interfaces = lan_interfaces_list ();

  available = FALSE;
  for (guint i = 0; i < self->interfaces->len; i++)
    {
      LanInterface *iface = g_ptr_array_index (self->interfaces, i);

      if (!iface->loopback)
        available = TRUE;
    }
  if (available != self->network_available)
    {
      self->network_available = available;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NETWORK_AVAILABLE]);
    }
}

static gboolean
network_settled (gpointer user_data)
{
  LanMessenger *self = user_data;

  g_clear_pointer (&self->network_source, g_source_unref);
  refresh_interfaces (self);
  if (self->running)
    lan_messenger_announce (self);
  return G_SOURCE_REMOVE;
}

static void
on_network_changed (GNetworkMonitor *monitor,
                    gboolean         available,
                    LanMessenger    *self)
{
  /* Changes come in bursts (address, route, link): act once they settle. */
  if (self->network_source != NULL)
    {
      g_source_destroy (self->network_source);
      g_clear_pointer (&self->network_source, g_source_unref);
    }
  self->network_source = g_timeout_source_new (500);
  g_source_set_callback (self->network_source, network_settled, self, NULL);
  g_source_set_static_name (self->network_source, "[lanchat] network changed");
  g_source_attach (self->network_source, g_main_context_get_thread_default ());
}

static gboolean
announce_absence (gpointer user_data)
{
  LanMessenger *self = user_data;
  g_autoptr(GBytes) packet = NULL;

  g_clear_pointer (&self->absence_source, g_source_unref);
  if (!self->running)
    return G_SOURCE_REMOVE;
  packet = lan_messenger_build_entry (self, LAN_IPMSG_BR_ABSENCE);
  lan_messenger_broadcast_packet (self, packet);
  return G_SOURCE_REMOVE;
}

static void
schedule_absence (LanMessenger *self)
{
  if (!self->running || self->absence_source != NULL)
    return;
  /* Several settings often change together (away + text): one announcement. */
  self->absence_source = g_idle_source_new ();
  g_source_set_callback (self->absence_source, announce_absence, self, NULL);
  g_source_set_static_name (self->absence_source, "[lanchat] announce absence");
  g_source_attach (self->absence_source, g_main_context_get_thread_default ());
}

static void
rebind (LanMessenger *self)
{
  g_autoptr(GError) error = NULL;

  if (!self->running)
    return;
  lan_messenger_stop (self);
  if (!lan_messenger_start (self, &error))
    g_debug ("Rebinding failed: %s", error->message);
}

static void
replace (char       **field,
         const char  *value,
         gboolean    *changed)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  *changed = TRUE;
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
      replace (&self->nickname, g_value_get_string (value), &changed);
      if (changed)
        schedule_absence (self);
      break;
    case PROP_GROUP:
      replace (&self->group, g_value_get_string (value), &changed);
      if (changed)
        schedule_absence (self);
      break;
    case PROP_USER_NAME:
      replace (&self->user_name, g_value_get_string (value), &changed);
      break;
    case PROP_HOST_NAME:
      replace (&self->host_name, g_value_get_string (value), &changed);
      break;
    case PROP_AWAY_TEXT:
      replace (&self->away_text, g_value_get_string (value), &changed);
      if (changed && self->away)
        schedule_absence (self);
      break;
    case PROP_BIND_ADDRESS:
      {
        const char *address = g_value_get_string (value);

        if (address != NULL && (*address == '\0' || g_str_equal (address, "0.0.0.0")))
          address = NULL;
        replace (&self->bind_address, address, &changed);
        if (changed)
          rebind (self);
      }
      break;
    case PROP_PORT:
      changed = self->port != g_value_get_uint (value);
      self->port = g_value_get_uint (value);
      if (changed)
        rebind (self);
      break;
    case PROP_LEGACY_ENCODING:
      changed = (int) self->legacy != g_value_get_int (value);
      self->legacy = (LanLegacyEncoding) g_value_get_int (value);
      lan_packet_log_set_legacy_encoding (self->log, self->legacy);
      break;
    case PROP_AWAY:
      changed = self->away != g_value_get_boolean (value);
      self->away = g_value_get_boolean (value);
      if (changed)
        schedule_absence (self);
      break;
    case PROP_RETRY_INITIAL_MS:
      changed = self->retry_initial_ms != g_value_get_uint (value);
      self->retry_initial_ms = g_value_get_uint (value);
      break;
    case PROP_RETRY_MAX_INTERVAL_MS:
      changed = self->retry_max_interval_ms != g_value_get_uint (value);
      self->retry_max_interval_ms = g_value_get_uint (value);
      break;
    case PROP_RETRY_BUDGET_MS:
      changed = self->retry_budget_ms != g_value_get_uint (value);
      self->retry_budget_ms = g_value_get_uint (value);
      break;
    case PROP_ANSWER_DELAY_MAX_MS:
      changed = self->answer_delay_max_ms != g_value_get_uint (value);
      self->answer_delay_max_ms = g_value_get_uint (value);
      break;
    case PROP_HISTORY_PATH:
      replace (&self->history_path, g_value_get_string (value), &changed);
      break;
    case PROP_HISTORY_DAYS:
      changed = self->history_days != g_value_get_uint (value);
      self->history_days = g_value_get_uint (value);
      break;
    case PROP_SIMULATED_LOSS:
      changed = self->simulated_loss != g_value_get_double (value);
      self->simulated_loss = g_value_get_double (value);
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

  switch (prop_id)
    {
    case PROP_NICKNAME: g_value_set_string (value, self->nickname); break;
    case PROP_GROUP: g_value_set_string (value, self->group); break;
    case PROP_USER_NAME: g_value_set_string (value, self->user_name); break;
    case PROP_HOST_NAME: g_value_set_string (value, self->host_name); break;
    case PROP_PORT: g_value_set_uint (value, self->port); break;
    case PROP_BIND_ADDRESS: g_value_set_string (value, self->bind_address); break;
    case PROP_LEGACY_ENCODING: g_value_set_int (value, self->legacy); break;
    case PROP_AWAY: g_value_set_boolean (value, self->away); break;
    case PROP_AWAY_TEXT: g_value_set_string (value, self->away_text); break;
    case PROP_RETRY_INITIAL_MS: g_value_set_uint (value, self->retry_initial_ms); break;
    case PROP_RETRY_MAX_INTERVAL_MS: g_value_set_uint (value, self->retry_max_interval_ms); break;
    case PROP_RETRY_BUDGET_MS: g_value_set_uint (value, self->retry_budget_ms); break;
    case PROP_ANSWER_DELAY_MAX_MS: g_value_set_uint (value, self->answer_delay_max_ms); break;
    case PROP_SIMULATED_LOSS: g_value_set_double (value, self->simulated_loss); break;
    case PROP_RUNNING: g_value_set_boolean (value, self->running); break;
    case PROP_NETWORK_AVAILABLE: g_value_set_boolean (value, self->network_available); break;
    case PROP_ERROR: g_value_set_string (value, self->error); break;
    case PROP_HISTORY_PATH: g_value_set_string (value, self->history_path); break;
    case PROP_HISTORY_DAYS: g_value_set_uint (value, self->history_days); break;
    case PROP_HISTORY_ERROR: g_value_set_string (value, self->history_error); break;
    case PROP_LISTEN_ADDRESS:
      g_value_take_string (value, g_strdup_printf ("%s:%u",
                                                   self->bind_address != NULL ? self->bind_address : "0.0.0.0",
                                                   self->port));
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lan_messenger_dispose (GObject *object)
{
  LanMessenger *self = LAN_MESSENGER (object);

  if (self->running)
    lan_messenger_stop (self);
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->monitor);
  if (self->network_source != NULL)
    {
      g_source_destroy (self->network_source);
      g_clear_pointer (&self->network_source, g_source_unref);
    }
  G_OBJECT_CLASS (lan_messenger_parent_class)->dispose (object);
}

static void
lan_messenger_finalize (GObject *object)
{
  LanMessenger *self = LAN_MESSENGER (object);

  g_clear_object (&self->transport);
  g_clear_object (&self->peers);
  g_clear_object (&self->log);
  g_clear_object (&self->broadcast_conversation);
  g_clear_pointer (&self->conversations, g_hash_table_unref);
  g_clear_pointer (&self->interfaces, g_ptr_array_unref);
  g_clear_pointer (&self->targets, g_array_unref);
  g_clear_pointer (&self->pending, g_hash_table_unref);
  lan_messenger_seen_clear (self);
  g_clear_pointer (&self->seen, g_hash_table_unref);
  g_clear_pointer (&self->own_sent, g_hash_table_unref);
  g_clear_pointer (&self->answers, g_hash_table_unref);
  g_clear_pointer (&self->replies, g_ptr_array_unref);
  g_clear_pointer (&self->outbox, g_hash_table_unref);
  g_clear_pointer (&self->sessions, g_hash_table_unref);
  g_clear_pointer (&self->saved_peers, g_hash_table_unref);
  g_clear_object (&self->history);
  g_free (self->history_path);
  g_free (self->history_error);
  g_clear_object (&self->arrived_peer);
  g_clear_object (&self->arrived_message);
  g_free (self->nickname);
  g_free (self->group);
  g_free (self->user_name);
  g_free (self->host_name);
  g_free (self->bind_address);
  g_free (self->away_text);
  g_free (self->error);
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
  object_class->dispose = lan_messenger_dispose;
  object_class->finalize = lan_messenger_finalize;

  properties[PROP_NICKNAME] = g_param_spec_string ("nickname", NULL, NULL, NULL, rw);
  properties[PROP_GROUP] = g_param_spec_string ("group", NULL, NULL, NULL, rw);
  properties[PROP_USER_NAME] = g_param_spec_string ("user-name", NULL, NULL, NULL, rw);
  properties[PROP_HOST_NAME] = g_param_spec_string ("host-name", NULL, NULL, NULL, rw);
  properties[PROP_PORT] = g_param_spec_uint ("port", NULL, NULL, 1, G_MAXUINT16, LAN_IPMSG_DEFAULT_PORT, rw);
  properties[PROP_BIND_ADDRESS] = g_param_spec_string ("bind-address", NULL, NULL, NULL, rw);
  properties[PROP_LEGACY_ENCODING] = g_param_spec_int ("legacy-encoding", NULL, NULL,
                                                       LAN_LEGACY_GB18030, LAN_LEGACY_CP932,
                                                       LAN_LEGACY_GB18030, rw);
  properties[PROP_AWAY] = g_param_spec_boolean ("away", NULL, NULL, FALSE, rw);
  properties[PROP_AWAY_TEXT] = g_param_spec_string ("away-text", NULL, NULL, NULL, rw);
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
  self->transport = lan_transport_new ();
  lan_transport_set_handler (self->transport, lan_messenger_on_datagram, self);
  self->peers = lan_peer_list_new (LAN_PEER_LIST_DEFAULT_MAX);
  self->log = lan_packet_log_new (LAN_PACKET_LOG_DEFAULT_CAPACITY);
  self->conversations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->broadcast_conversation = lan_conversation_new ("*");
  self->targets = g_array_new (FALSE, FALSE, sizeof (LanEndpoint));
  self->pending = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                         (GDestroyNotify) lan_messenger_pending_free);
  self->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) g_hash_table_unref);
  g_queue_init (&self->seen_order);
  self->own_sent = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->answers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         source_destroy_and_unref);
  self->replies = g_ptr_array_new_with_free_func ((GDestroyNotify) lan_messenger_reply_free);
  self->outbox = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) g_ptr_array_unref);
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->saved_peers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  self->user_name = g_strdup (g_get_user_name ());
  self->host_name = g_strdup (g_get_host_name ());
  self->port = LAN_IPMSG_DEFAULT_PORT;
  self->legacy = LAN_LEGACY_GB18030;
  self->retry_initial_ms = 500;
  self->retry_max_interval_ms = 2000;
  self->retry_budget_ms = 30000;
  self->answer_delay_max_ms = 1000;
  /* Like Windows IPMsg: start from the clock, so numbers keep rising across
   * restarts and peers that drop "old" packet numbers don't drop ours. */
  self->next_packet_no = (guint64) (g_get_real_time () / G_USEC_PER_SEC);

  self->monitor = g_object_ref (g_network_monitor_get_default ());
  g_signal_connect (self->monitor, "network-changed", G_CALLBACK (on_network_changed), self);
  refresh_interfaces (self);
}

LanMessenger *
lan_messenger_new (void)
{
  return g_object_new (LAN_TYPE_MESSENGER, NULL);
}

LanMessenger *
lan_messenger_new_with_transport (LanTransport *transport)
{
  LanMessenger *self;

  g_return_val_if_fail (LAN_IS_TRANSPORT (transport), NULL);

  self = g_object_new (LAN_TYPE_MESSENGER, NULL);
  /* The UDP transport made at init has no socket yet: nothing to close. */
  lan_transport_set_handler (self->transport, NULL, NULL);
  g_set_object (&self->transport, transport);
  lan_transport_set_handler (self->transport, lan_messenger_on_datagram, self);
  return self;
}

gboolean
lan_messenger_start (LanMessenger  *self,
                     GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (LAN_IS_MESSENGER (self), FALSE);

  if (self->running)
    return TRUE;

  refresh_interfaces (self);
  /* Before any packet: what was owed and said before comes back first. */
  lan_messenger_history_open (self);
  if (!lan_transport_bind (self->transport, self->bind_address, (guint16) self->port, &local_error))
    {
      set_error (self, local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  set_error (self, NULL);

  self->running = TRUE;
  lan_messenger_presence_start (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LISTEN_ADDRESS]);
  return TRUE;
}

void
lan_messenger_stop (LanMessenger *self)
{
  g_return_if_fail (LAN_IS_MESSENGER (self));

  if (!self->running)
    return;

  lan_messenger_presence_stop (self);
  /* With an outbox, what was still unacknowledged goes out again next time. */
  if (lan_messenger_outbox_enabled (self))
    lan_messenger_end_all_pending (self, _("Not acknowledged before Lanchat went offline; "
                                           "it goes out again when they are back"), TRUE);
  else
    lan_messenger_end_all_pending (self, _("Lanchat went offline before it was acknowledged"), FALSE);
  lan_transport_close (self->transport);
  if (self->absence_source != NULL)
    {
      g_source_destroy (self->absence_source);
      g_clear_pointer (&self->absence_source, g_source_unref);
    }
  self->running = FALSE;
  lan_packet_log_flush (self->log);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

gboolean
lan_messenger_get_running (LanMessenger *self)
{
  return self->running;
}

gboolean
lan_messenger_add_target (LanMessenger  *self,
                          const char    *target,
                          GError       **error)
{
  g_return_val_if_fail (LAN_IS_MESSENGER (self), FALSE);

  return lan_targets_parse (target, (guint16) self->port, self->targets,
                            LAN_MESSENGER_MAX_TARGETS, error);
}

gboolean
lan_messenger_check_target (const char  *target,
                            GError     **error)
{
  g_autoptr(GArray) endpoints = g_array_new (FALSE, FALSE, sizeof (LanEndpoint));

  return lan_targets_parse (target, LAN_IPMSG_DEFAULT_PORT, endpoints,
                            LAN_MESSENGER_MAX_TARGETS, error);
}

guint64
lan_messenger_get_kernel_drops (LanMessenger *self)
{
  g_return_val_if_fail (LAN_IS_MESSENGER (self), 0);

  return lan_transport_get_kernel_drops (self->transport);
}

void
lan_messenger_clear_targets (LanMessenger *self)
{
  g_array_set_size (self->targets, 0);
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
  g_autoptr(GArray) endpoints = g_array_new (FALSE, FALSE, sizeof (LanEndpoint));
  g_autoptr(LanPeer) peer = NULL;
  g_autoptr(GBytes) entry = NULL;
  LanEndpoint endpoint;
  LanPeer *listed;

  g_return_val_if_fail (LAN_IS_MESSENGER (self), NULL);

  if (!lan_targets_parse (address, (guint16) self->port, endpoints, 1, error))
    return NULL;
  endpoint = g_array_index (endpoints, LanEndpoint, 0);
  listed = lan_peer_list_lookup_endpoint (self->peers, endpoint);
  if (listed != NULL)
    return listed;

  peer = lan_peer_new (endpoint);
  lan_peer_set_last_seen (peer, g_get_real_time ());
  lan_messenger_add_peer (self, peer);
  if (self->running)
    {
      entry = lan_messenger_build_entry (self, LAN_IPMSG_BR_ENTRY);
      lan_messenger_send_raw (self, endpoint, entry, LAN_VERDICT_OK);
    }
  return peer;
}

LanPacketLog *
lan_messenger_get_packet_log (LanMessenger *self)
{
  return self->log;
}

LanConversation *
lan_messenger_conversation_for (LanMessenger *self,
                                const char   *identity)
{
  LanConversation *conversation = g_hash_table_lookup (self->conversations, identity);

  if (conversation == NULL)
    {
      conversation = lan_conversation_new (identity);
      g_hash_table_insert (self->conversations, g_strdup (identity), conversation);
    }
  return conversation;
}

LanConversation *
lan_messenger_get_conversation (LanMessenger *self,
                                const char   *peer_key)
{
  LanPeer *peer;

  g_return_val_if_fail (LAN_IS_MESSENGER (self), NULL);
  g_return_val_if_fail (peer_key != NULL, NULL);

  peer = lan_peer_list_lookup (self->peers, peer_key);
  return lan_messenger_conversation_for (self, peer != NULL ? lan_peer_get_identity (peer) : peer_key);
}

void
lan_messenger_adopt_conversation (LanMessenger *self,
                                  LanPeer      *peer,
                                  const char   *old_identity)
{
  const char *identity = lan_peer_get_identity (peer);
  gpointer key = NULL;
  gpointer old = NULL;

  if (g_strcmp0 (old_identity, identity) == 0 ||
      !g_hash_table_lookup_extended (self->conversations, old_identity, &key, &old))
    return;
  if (g_hash_table_contains (self->conversations, identity))
    {
      LanConversation *target = g_hash_table_lookup (self->conversations, identity);
      guint n = g_list_model_get_n_items (G_LIST_MODEL (old));

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(LanMessage) message = g_list_model_get_item (G_LIST_MODEL (old), i);

          lan_conversation_append (target, message, TRUE);
        }
      /* Whoever shows the old one sees it empty rather than stale. */
      lan_conversation_clear (old);
      return;
    }
  g_hash_table_steal (self->conversations, old_identity);
  g_free (key);
  g_hash_table_insert (self->conversations, g_strdup (identity), old);
}

void
lan_messenger_set_history_error (LanMessenger *self,
                                 const char   *error)
{
  if (g_strcmp0 (self->history_error, error) == 0)
    return;
  g_free (self->history_error);
  self->history_error = g_strdup (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HISTORY_ERROR]);
}

LanConversation *
lan_messenger_get_broadcast_conversation (LanMessenger *self)
{
  return self->broadcast_conversation;
}

const LanMessengerStats *
lan_messenger_get_stats (LanMessenger *self)
{
  return &self->stats;
}

LanPeer *
lan_messenger_make_peer (LanMessenger         *self,
                         LanEndpoint           from,
                         const LanIpmsgPacket *packet)
{
  LanPeer *peer = lan_peer_new (from);
  g_autofree char *user = lan_messenger_decode (self, NULL, packet, (const guint8 *) packet->user,
                                                strlen (packet->user));
  g_autofree char *host = lan_messenger_decode (self, NULL, packet, (const guint8 *) packet->host,
                                                strlen (packet->host));

  lan_peer_set_names (peer, NULL, user, host, NULL);
  lan_peer_set_last_seen (peer, g_get_real_time ());
  return peer;
}

void
lan_messenger_add_peer (LanMessenger *self,
                        LanPeer      *peer)
{
  g_autofree char *evicted = lan_peer_list_add (self->peers, peer);

  if (evicted != NULL)
    g_hash_table_remove (self->conversations, evicted);
}

LanPeer *
lan_messenger_ensure_peer (LanMessenger         *self,
                           LanEndpoint           from,
                           const LanIpmsgPacket *packet)
{
  LanPeer *peer = lan_peer_list_lookup_endpoint (self->peers, from);
  g_autoptr(LanPeer) created = NULL;

  if (peer != NULL)
    return peer;

  created = lan_messenger_make_peer (self, from, packet);
  lan_messenger_add_peer (self, created);
  /* The list holds it now. */
  return created;
}

void
lan_messenger_emit_message_received (LanMessenger *self,
                                     LanPeer      *peer,
                                     LanMessage   *message)
{
  g_signal_emit (self, signals[MESSAGE_RECEIVED], 0, peer, message);
}

void
lan_messenger_emit_peer_gone (LanMessenger *self,
                              LanPeer      *peer)
{
  g_signal_emit (self, signals[PEER_GONE], 0, peer);
}
