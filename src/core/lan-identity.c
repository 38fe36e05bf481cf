/* lan-identity.c — who is who, and where queued messages may go.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-identity"

#include "config.h"

#include <string.h>

#include "lan-bounds.h"
#include "lan-identity.h"
#include "lan-peer-seen-pacer.h"
#include "lan-targets.h"

/* A person's queue confirmed at another address than the peer now claiming
 * their identity: the old address is asked, and only its silence makes the
 * question worth asking. */
typedef struct {
  LanIdentity *self;
  char        *identity;
  char        *new_key;
  char        *old_key;
  gint64       asked_us;    /* g_get_real_time () when the old address was asked */
  GSource     *timer;
} Move;

struct _LanIdentity
{
  GObject               parent_instance;

  LanWire              *wire;
  LanPresence          *presence;
  LanConversationStore *store;
  LanPeerSeenPacer     *seen_pacer;     /* history writes of names, a second apart */
  LanOutbox            *outbox;
  LanSender            *sender;
  LanPeerExpiry        *expiry;         /* announcements never answered */

  GHashTable           *moves;          /* identity → Move */
  GHashTable           *twins;          /* the newcomer's key → Move (its twin's key as old_key) */
  GSource              *silence_timer;  /* after a Refresh, or a check while watching */
  gint64                refreshed_us;
  GPtrArray            *asked;          /* LanPeer asked by the check; NULL: everyone (Refresh) */
  GSource              *watch_timer;
  guint                 watch_s;
  guint                 probe_ms;
  char                 *instance_id;
  gboolean              follow_moves;
  gboolean              watching;
};

enum {
  PROP_0,
  PROP_FOLLOW_MOVES,
  PROP_WATCHING,
  PROP_PROBE_MS,
  PROP_WATCH_S,
  N_PROPS
};

enum {
  MOVE_QUESTION,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (LanIdentity, lan_identity, G_TYPE_OBJECT)

static void
destroy_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static void
move_free (Move *move)
{
  destroy_source (&move->timer);
  g_free (move->identity);
  g_free (move->new_key);
  g_free (move->old_key);
  g_free (move);
}

/* Silent peers */

static gboolean
mark_silent (gpointer user_data)
{
  LanIdentity *self = user_data;
  LanPeerList *peers = lan_presence_get_peers (self->presence);
  g_autoptr(GPtrArray) asked = g_steal_pointer (&self->asked);
  guint n = asked != NULL ? asked->len : g_list_model_get_n_items (G_LIST_MODEL (peers));

  g_clear_pointer (&self->silence_timer, g_source_unref);
  /* Crashed, SIGTERM'd, unplugged: no BR_EXIT came, and no answer either. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LanPeer) peer = asked != NULL ? g_object_ref (g_ptr_array_index (asked, i))
                                              : g_list_model_get_item (G_LIST_MODEL (peers), i);

      if (lan_peer_get_last_seen (peer) < self->refreshed_us)
        lan_peer_set_online (peer, FALSE);
    }
  return G_SOURCE_REMOVE;
}

static void
wait_for_answers (LanIdentity *self)
{
  destroy_source (&self->silence_timer);
  self->silence_timer = g_timeout_source_new (self->probe_ms);
  g_source_set_callback (self->silence_timer, mark_silent, self, NULL);
  g_source_set_static_name (self->silence_timer, "[lanchat] who did not answer");
  g_source_attach (self->silence_timer, g_main_context_get_thread_default ());
}

void
lan_identity_refresh (LanIdentity *self)
{
  g_return_if_fail (LAN_IS_IDENTITY (self));

  lan_presence_announce (self->presence);
  if (!lan_wire_is_running (self->wire))
    return;
  /* A second Refresh restarts the wait: an answer to either counts. */
  if (self->silence_timer == NULL)
    self->refreshed_us = g_get_real_time ();
  g_clear_pointer (&self->asked, g_ptr_array_unref);
  wait_for_answers (self);
}

/* Quietly: only the peers heard from in none of the last watch_s seconds
 * are asked, each by unicast, a bounded number per check. */
static gboolean
watch_tick (gpointer user_data)
{
  LanIdentity *self = user_data;
  LanPeerList *peers = lan_presence_get_peers (self->presence);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (peers));
  gint64 now = g_get_real_time ();
  gint64 quiet_since = now - (gint64) self->watch_s * G_USEC_PER_SEC;
  g_autoptr(GPtrArray) asked = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GBytes) entry = NULL;

  /* A check (or a Refresh) under way answers the question already. */
  if (self->silence_timer != NULL || !lan_wire_is_running (self->wire))
    return G_SOURCE_CONTINUE;
  for (guint i = 0; i < n && asked->len < LAN_IDENTITY_WATCH_ASK; i++)
    {
      g_autoptr(LanPeer) peer = g_list_model_get_item (G_LIST_MODEL (peers), i);

      if (!lan_peer_get_online (peer) || lan_peer_get_last_seen (peer) >= quiet_since)
        continue;
      if (entry == NULL)
        entry = lan_presence_build_entry (self->presence, LAN_IPMSG_BR_ENTRY);
      lan_wire_send (self->wire, lan_peer_get_endpoint (peer), entry, LAN_VERDICT_OK);
      g_ptr_array_add (asked, g_steal_pointer (&peer));
    }
  if (asked->len == 0)
    return G_SOURCE_CONTINUE;
  self->refreshed_us = now;
  self->asked = g_steal_pointer (&asked);
  wait_for_answers (self);
  return G_SOURCE_CONTINUE;
}

static void
start_watching (LanIdentity *self)
{
  destroy_source (&self->watch_timer);
  if (!self->watching)
    return;
  self->watch_timer = g_timeout_source_new_seconds (self->watch_s);
  g_source_set_callback (self->watch_timer, watch_tick, self, NULL);
  g_source_set_static_name (self->watch_timer, "[lanchat] who is still there");
  g_source_attach (self->watch_timer, g_main_context_get_thread_default ());
}

void
lan_identity_set_watch_s (LanIdentity *self,
                          guint        seconds)
{
  g_return_if_fail (LAN_IS_IDENTITY (self));

  if (self->watch_s == seconds)
    return;
  self->watch_s = seconds;
  start_watching (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WATCH_S]);
}

void
lan_identity_set_watching (LanIdentity *self,
                           gboolean     watching)
{
  g_return_if_fail (LAN_IS_IDENTITY (self));

  watching = !!watching;
  if (self->watching == watching)
    return;
  self->watching = watching;
  /* Only while someone looks: an idle machine is never woken for this. */
  start_watching (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WATCHING]);
}

void
lan_identity_set_follow_moves (LanIdentity *self,
                               gboolean     follow)
{
  g_return_if_fail (LAN_IS_IDENTITY (self));

  if (self->follow_moves == !!follow)
    return;
  self->follow_moves = !!follow;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOW_MOVES]);
}

void
lan_identity_set_probe_ms (LanIdentity *self,
                           guint        ms)
{
  g_return_if_fail (LAN_IS_IDENTITY (self));

  if (self->probe_ms == ms)
    return;
  self->probe_ms = ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBE_MS]);
}

/* Machines */

/* @text if it is 1 to 64 hex digits (for a MAC also ':' or '-'), lower-cased,
 * after @prefix into @out (at least 72 bytes); else FALSE. */
static gboolean
machine_name (const char *prefix,
              const char *text,
              gsize       length,
              gboolean    mac,
              char       *out)
{
  gsize prefix_len = strlen (prefix);

  if (text == NULL || length == 0 || length > 64)
    return FALSE;
  memcpy (out, prefix, prefix_len);
  for (gsize i = 0; i < length; i++)
    {
      if (!g_ascii_isxdigit (text[i]) && !(mac && (text[i] == ':' || text[i] == '-')))
        return FALSE;
      out[prefix_len + i] = g_ascii_tolower (text[i]);
    }
  out[prefix_len + length] = '\0';
  return TRUE;
}

void
lan_identity_set_machine (LanPeer              *peer,
                          const LanIpmsgPacket *packet,
                          const char           *instance,
                          gsize                 instance_len)
{
  const LanIpmsgScan *scan = &packet->scan;
  /* On the stack: an entry naming the machine it named before costs a comparison. */
  char machine[72];
  gboolean found = machine_name ("LI:", instance, instance_len, FALSE, machine);

  /* FeiQ: "1_lbt6_0#128#<MAC>#…"; the scan's span counts from the datagram,
   * where the version field starts the header. */
  if (!found && scan->version_mac.length > 0 && scan->n_header_fields > 0 &&
      scan->version_mac.offset >= scan->header[0].offset &&
      lan_ipmsg_span_end (scan->version_mac) - scan->header[0].offset <= strlen (packet->version))
    found = machine_name ("MAC:", packet->version + (scan->version_mac.offset - scan->header[0].offset),
                          scan->version_mac.length, TRUE, machine);
  lan_peer_set_machine (peer, found ? machine : NULL);
}

static void
on_history_opened (const char *path,
                   gpointer    user_data)
{
  LanIdentity *self = user_data;
  g_autofree char *file = g_strconcat (path, ".instance", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  /* Kept beside the history so that a restart is the same machine to others. */
  if (g_file_get_contents (file, &contents, NULL, NULL))
    {
      char kept[72];

      if (machine_name ("", g_strstrip (contents), strlen (contents), FALSE, kept))
        {
          g_free (self->instance_id);
          self->instance_id = g_strdup (kept);
          lan_presence_set_instance_id (self->presence, self->instance_id);
          return;
        }
    }
  if (!g_file_set_contents_full (file, self->instance_id, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_warning ("Cannot keep the instance id in %s: %s", file, error->message);
}

const char *
lan_identity_get_instance_id (LanIdentity *self)
{
  return self->instance_id;
}

LanPeerExpiry *
lan_identity_get_expiry (LanIdentity *self)
{
  return self->expiry;
}

LanPeer *
lan_identity_peer_for_address (LanIdentity  *self,
                               const char   *address,
                               guint16       default_port,
                               GError      **error)
{
  g_autoptr(GArray) endpoints = g_array_new (FALSE, FALSE, sizeof (LanEndpoint));

  if (!lan_targets_parse (address, default_port, endpoints, 1, error))
    return NULL;
  return lan_presence_peer_at (self->presence, g_array_index (endpoints, LanEndpoint, 0));
}

/* Persons */

gboolean
lan_identity_other_person (LanPeer    *listed,
                           const char *user,
                           const char *host)
{
  /* Still only an address: it is naming itself, not someone else. */
  if (g_strcmp0 (lan_peer_get_identity (listed), lan_peer_get_key (listed)) == 0)
    return FALSE;
  /* By user@host, not by identity: one told apart by its address is still itself. */
  return g_strcmp0 (lan_peer_get_user (listed), user) != 0 ||
         g_strcmp0 (lan_peer_get_host (listed), host) != 0;
}

static gboolean twin_decide (gpointer user_data);

static Move *
move_new (LanIdentity *self,
          LanPeer     *peer,
          const char  *old_key,
          GSourceFunc  decide)
{
  Move *move = g_new0 (Move, 1);

  move->self = self;
  move->identity = g_strdup (lan_peer_get_identity (peer));
  move->new_key = g_strdup (lan_peer_get_key (peer));
  move->old_key = g_strdup (old_key);
  move->asked_us = g_get_real_time ();
  move->timer = g_timeout_source_new (self->probe_ms);
  g_source_set_callback (move->timer, decide, move, NULL);
  g_source_set_static_name (move->timer, "[lanchat] who is there");
  g_source_attach (move->timer, g_main_context_get_thread_default ());
  return move;
}

static void
ask (LanIdentity *self,
     const char  *key)
{
  g_autoptr(GArray) endpoints = g_array_new (FALSE, FALSE, sizeof (LanEndpoint));
  g_autoptr(GBytes) entry = NULL;

  if (!lan_targets_parse (key, LAN_IPMSG_DEFAULT_PORT, endpoints, 1, NULL))
    return;
  entry = lan_presence_build_entry (self->presence, LAN_IPMSG_BR_ENTRY);
  lan_wire_send (self->wire, g_array_index (endpoints, LanEndpoint, 0), entry, LAN_VERDICT_OK);
}

/* When @twin_key was asked already (a flood of claims to one name), or 0. */
static gint64
asked_already (LanIdentity *self,
               const char  *twin_key)
{
  GHashTableIter iter;
  Move *move;

  g_hash_table_iter_init (&iter, self->twins);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &move))
    if (g_str_equal (move->old_key, twin_key))
      return move->asked_us;
  return 0;
}

void
lan_identity_peer_named (LanIdentity *self,
                         LanPeer     *peer,
                         const char  *old_identity)
{
  LanPeer *twin = NULL;

  /* A known user@host at a new address is the same person only if nothing
   * contradicts it: while the other address may still answer (cloned
   * images, pi@raspberrypi), the newcomer is a peer of its own, and asked. */
  if (g_strcmp0 (old_identity, lan_peer_get_key (peer)) == 0 &&
      !g_hash_table_contains (self->twins, lan_peer_get_key (peer)) &&
      /* Where the person was confirmed, it is the person (whoever else claims the name). */
      g_strcmp0 (lan_outbox_get_confirmed (self->outbox, lan_peer_get_identity (peer)),
                 lan_peer_get_key (peer)) != 0)
    twin = lan_peer_list_find_identity (lan_presence_get_peers (self->presence),
                                        lan_peer_get_identity (peer), peer);
  /* The same machine from another of its addresses (two network cards): one row. */
  if (twin != NULL && lan_peer_get_machine (peer) != NULL &&
      g_strcmp0 (lan_peer_get_machine (peer), lan_peer_get_machine (twin)) == 0)
    {
      LanPeerList *peers = lan_presence_get_peers (self->presence);
      g_autoptr(LanPeer) alias = g_object_ref (peer);

      lan_peer_list_remove (peers, alias);
      lan_peer_list_add_alias (peers, lan_peer_get_endpoint (alias), twin);
      return;
    }
  /* Another instance id proves nothing on its own (a Lanchat without
   * history has a new one each run): whether the twin answers decides. */
  if (twin != NULL)
    {
      gint64 asked = asked_already (self, lan_peer_get_key (twin));

      lan_peer_set_distinct (peer, TRUE);
      /* Bounded like the answers: past that, newcomers stay apart unasked. */
      if (g_hash_table_size (self->twins) < LAN_MESSENGER_MAX_ANSWERS)
        {
          Move *move = move_new (self, peer, lan_peer_get_key (twin), twin_decide);

          g_hash_table_insert (self->twins, move->new_key, move);
          /* One question to the twin however many claim its name. */
          if (asked != 0)
            move->asked_us = asked;
          else
            ask (self, lan_peer_get_key (twin));
        }
    }
  /* A conversation begun under its address (or old name) keeps what was said. */
  lan_conversation_store_adopt (self->store, peer, old_identity);
  lan_peer_seen_pacer_seen (self->seen_pacer, peer);
}

static gboolean
twin_decide (gpointer user_data)
{
  Move *move = user_data;
  LanIdentity *self = move->self;
  LanPeerList *peers = lan_presence_get_peers (self->presence);
  LanPeer *twin = lan_peer_list_lookup (peers, move->old_key);
  LanPeer *listed = lan_peer_list_lookup (peers, move->new_key);
  g_autoptr(LanPeer) peer = listed != NULL ? g_object_ref (listed) : NULL;
  g_autofree char *distinct_identity = g_strdup (move->identity);
  gboolean twin_answered = twin != NULL && lan_peer_get_last_seen (twin) >= move->asked_us;

  g_clear_pointer (&move->timer, g_source_unref);
  g_hash_table_remove (self->twins, move->new_key);
  /* Two live machines: two peers, two conversations, for as long as both answer. */
  if (twin_answered || peer == NULL || !lan_peer_get_distinct (peer))
    return G_SOURCE_REMOVE;
  /* The other one is gone: it was this person, moved. */
  if (twin != NULL)
    lan_peer_set_online (twin, FALSE);
  lan_peer_set_distinct (peer, FALSE);
  lan_identity_peer_named (self, peer, distinct_identity);
  lan_identity_peer_back (self, peer);
  return G_SOURCE_REMOVE;
}

void
lan_identity_peer_evicted (LanIdentity *self,
                           LanPeer     *peer)
{
  /* By identity, as conversations are kept: its conversation goes too (unless shown). */
  lan_peer_seen_pacer_forget (self->seen_pacer, lan_peer_get_identity (peer));
  lan_conversation_store_forget (self->store, lan_peer_get_identity (peer));
}

guint
lan_identity_follow_move (LanIdentity *self,
                          LanPeer     *peer)
{
  const char *identity;
  guint waiting;

  g_return_val_if_fail (LAN_IS_IDENTITY (self), 0);
  g_return_val_if_fail (LAN_IS_PEER (peer), 0);

  identity = lan_peer_get_identity (peer);
  waiting = lan_outbox_count (self->outbox, identity);
  g_hash_table_remove (self->moves, identity);
  if (waiting == 0)
    return 0;
  lan_outbox_confirm (self->outbox, identity, lan_peer_get_key (peer));
  lan_sender_send_owed (self->sender, peer);
  return waiting;
}

static gboolean
move_decide (gpointer user_data)
{
  Move *move = user_data;
  LanIdentity *self = move->self;
  LanPeerList *peers = lan_presence_get_peers (self->presence);
  LanPeer *old = lan_peer_list_lookup (peers, move->old_key);
  LanPeer *peer = lan_peer_list_lookup (peers, move->new_key);
  g_autoptr(LanPeer) held = peer != NULL ? g_object_ref (peer) : NULL;
  g_autofree char *old_key = g_strdup (move->old_key);
  guint waiting = lan_outbox_count (self->outbox, move->identity);
  gboolean old_answered = old != NULL && lan_peer_get_last_seen (old) >= move->asked_us;
  gboolean still_claims = held != NULL && g_strcmp0 (lan_peer_get_identity (held), move->identity) == 0;

  g_clear_pointer (&move->timer, g_source_unref);
  /* Done with it either way; the table frees it (and this source, already finished). */
  g_hash_table_remove (self->moves, move->identity);

  /* The old address still answers: two machines claim one name, and the
   * messages stay with the one they were meant for. */
  if (old_answered || !still_claims || waiting == 0)
    return G_SOURCE_REMOVE;
  if (old != NULL)
    lan_peer_set_online (old, FALSE);
  if (self->follow_moves)
    lan_identity_follow_move (self, held);
  else
    g_signal_emit (self, signals[MOVE_QUESTION], 0, held, old_key, waiting);
  return G_SOURCE_REMOVE;
}

static void
ask_old_address (LanIdentity *self,
                 LanPeer     *peer,
                 const char  *old_key)
{
  Move *move;

  /* One question per person at a time: a flood of claims asks once. */
  if (g_hash_table_contains (self->moves, lan_peer_get_identity (peer)))
    return;
  move = move_new (self, peer, old_key, move_decide);
  g_hash_table_insert (self->moves, move->identity, move);
  ask (self, old_key);
}

void
lan_identity_peer_back (LanIdentity *self,
                        LanPeer     *peer)
{
  const char *identity = lan_peer_get_identity (peer);
  const char *confirmed = lan_outbox_get_confirmed (self->outbox, identity);

  /* Not (or no longer) a row of its own: an address of another's machine. */
  if (confirmed == NULL ||
      lan_peer_list_lookup (lan_presence_get_peers (self->presence), lan_peer_get_key (peer)) != peer)
    return;
  if (g_str_equal (confirmed, lan_peer_get_key (peer)))
    {
      lan_sender_send_owed (self->sender, peer);
      return;
    }
  /* Someone claims the name from elsewhere: a move, or another machine (or
   * an impostor). Only the old address's silence can tell. */
  ask_old_address (self, peer, confirmed);
}

/* Object */

static void
lan_identity_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  LanIdentity *self = LAN_IDENTITY (object);

  switch (prop_id)
    {
    case PROP_FOLLOW_MOVES: lan_identity_set_follow_moves (self, g_value_get_boolean (value)); break;
    case PROP_WATCHING: lan_identity_set_watching (self, g_value_get_boolean (value)); break;
    case PROP_PROBE_MS: lan_identity_set_probe_ms (self, g_value_get_uint (value)); break;
    case PROP_WATCH_S: lan_identity_set_watch_s (self, g_value_get_uint (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lan_identity_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  LanIdentity *self = LAN_IDENTITY (object);

  switch (prop_id)
    {
    case PROP_FOLLOW_MOVES: g_value_set_boolean (value, self->follow_moves); break;
    case PROP_WATCHING: g_value_set_boolean (value, self->watching); break;
    case PROP_PROBE_MS: g_value_set_uint (value, self->probe_ms); break;
    case PROP_WATCH_S: g_value_set_uint (value, self->watch_s); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lan_identity_dispose (GObject *object)
{
  LanIdentity *self = LAN_IDENTITY (object);

  destroy_source (&self->silence_timer);
  destroy_source (&self->watch_timer);
  g_clear_pointer (&self->asked, g_ptr_array_unref);
  /* Made in init, freed in finalize: there in every dispose. */
  g_hash_table_remove_all (self->moves);
  g_hash_table_remove_all (self->twins);
  G_OBJECT_CLASS (lan_identity_parent_class)->dispose (object);
}

static void
lan_identity_finalize (GObject *object)
{
  LanIdentity *self = LAN_IDENTITY (object);

  g_clear_pointer (&self->moves, g_hash_table_unref);
  g_clear_pointer (&self->twins, g_hash_table_unref);
  g_free (self->instance_id);
  g_clear_pointer (&self->expiry, lan_peer_expiry_free);
  g_clear_object (&self->sender);
  g_clear_object (&self->outbox);
  g_clear_pointer (&self->seen_pacer, lan_peer_seen_pacer_free);
  g_clear_object (&self->store);
  g_clear_object (&self->presence);
  g_clear_object (&self->wire);
  G_OBJECT_CLASS (lan_identity_parent_class)->finalize (object);
}

static void
lan_identity_class_init (LanIdentityClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->set_property = lan_identity_set_property;
  object_class->get_property = lan_identity_get_property;
  object_class->dispose = lan_identity_dispose;
  object_class->finalize = lan_identity_finalize;

  properties[PROP_FOLLOW_MOVES] = g_param_spec_boolean ("follow-moves", NULL, NULL, FALSE, rw);
  properties[PROP_WATCHING] = g_param_spec_boolean ("watching", NULL, NULL, FALSE, rw);
  properties[PROP_PROBE_MS] = g_param_spec_uint ("probe-ms", NULL, NULL, 1, 600000, LAN_IDENTITY_PROBE_MS, rw);
  properties[PROP_WATCH_S] = g_param_spec_uint ("watch-s", NULL, NULL, 1, 3600, LAN_IDENTITY_WATCH_S, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[MOVE_QUESTION] =
    g_signal_new ("move-question", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, LAN_TYPE_PEER, G_TYPE_STRING, G_TYPE_UINT);
}

static void
lan_identity_init (LanIdentity *self)
{
  self->moves = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) move_free);
  self->twins = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) move_free);
  self->probe_ms = LAN_IDENTITY_PROBE_MS;
  self->watch_s = LAN_IDENTITY_WATCH_S;
}

LanIdentity *
lan_identity_new (LanWire              *wire,
                  LanPresence          *presence,
                  LanConversationStore *store,
                  LanOutbox            *outbox,
                  LanSender            *sender)
{
  LanIdentity *self = g_object_new (LAN_TYPE_IDENTITY, NULL);
  g_autofree char *uuid = g_uuid_string_random ();
  g_auto(GStrv) parts = g_strsplit (uuid, "-", -1);

  self->wire = g_object_ref (wire);
  self->presence = g_object_ref (presence);
  self->store = g_object_ref (store);
  self->seen_pacer = lan_peer_seen_pacer_new (store);
  self->outbox = g_object_ref (outbox);
  self->sender = g_object_ref (sender);
  self->expiry = lan_peer_expiry_new (wire, presence);
  /* Random, for this process, until a history gives a place to keep one. */
  self->instance_id = g_strjoinv ("", parts);
  lan_presence_set_instance_id (presence, self->instance_id);
  lan_outbox_set_opened_func (outbox, on_history_opened, self);
  return self;
}
