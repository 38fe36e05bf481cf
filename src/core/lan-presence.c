/* lan-presence.c — entry, answer, absence, exit, info.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-presence"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lan-bounds.h"
#include "lan-entry.h"
#include "lan-identity.h"
#include "lan-interfaces.h"
#include "lan-peer-expiry.h"
#include "lan-peer-list.h"
#include "lan-peer.h"
#include "lan-presence.h"
#include "lan-targets.h"
#include "lan-text-cap.h"

struct _LanPresence
{
  GObject           parent_instance;

  LanWire          *wire;
  LanPeerList      *peers;
  LanPresenceHooks  hooks;
  gpointer          hooks_data;

  char             *nickname;
  char             *group;
  char             *away_text;
  char             *instance_id;     /* "LI:" in our UTF-8 block: which machine we are */
  gboolean          away;
  gboolean          away_in_nickname;
  guint             answer_delay_max_ms;
  gint64            announced_us;    /* our last BR_ENTRY to everyone (monotonic) */

  LanTargets       *targets;         /* the user's extra targets */
  GHashTable       *answers;         /* "ip:port" → GSource (delayed ANSENTRY) */
  GSource          *absence_source;
};

G_DEFINE_FINAL_TYPE (LanPresence, lan_presence, G_TYPE_OBJECT)

static void
source_destroy_and_unref (gpointer source)
{
  g_source_destroy (source);
  g_source_unref (source);
}

/* Entry packets */

static const char *
shown_nickname (LanPresence *self)
{
  const char *user = lan_wire_get_user_name (self->wire);

  if (self->nickname != NULL && *self->nickname != '\0')
    return self->nickname;
  return user != NULL ? user : "";
}

static LanEntryInfo
entry_info (LanPresence *self)
{
  LanEntryInfo info = {
    shown_nickname (self), self->group != NULL ? self->group : "",
    self->away, self->away_text, self->away_in_nickname, self->instance_id,
  };

  return info;
}

GBytes *
lan_presence_build_entry (LanPresence *self,
                          guint32      mode)
{
  LanEntryInfo info = entry_info (self);

  return lan_entry_build (self->wire, &info, mode, NULL);
}

static GBytes *
build_entry_for (LanPresence *self,
                 guint32      mode,
                 LanPeer     *peer)
{
  LanEntryInfo info = entry_info (self);
  LanDialect dialect = lan_wire_peer_dialect (self->wire, peer);

  return lan_entry_build (self->wire, &info, mode, peer != NULL ? &dialect : NULL);
}

/* Sending to everyone */

static void
send_everywhere (LanPresence *self,
                 GBytes      *datagram,
                 gboolean     paced)
{
  g_autoptr(GArray) broadcasts = lan_interfaces_broadcast_targets (lan_wire_get_interfaces (self->wire),
                                                                    lan_wire_get_local (self->wire));
  guint n_peers = g_list_model_get_n_items (G_LIST_MODEL (self->peers));

  for (guint i = 0; i < broadcasts->len; i++)
    lan_wire_send (self->wire, g_array_index (broadcasts, LanEndpoint, i), datagram, LAN_VERDICT_OK);

  /* Broadcasts don't reach DIALUPOPT peers: they asked for unicast. */
  for (guint i = 0; i < n_peers; i++)
    {
      g_autoptr(LanPeer) peer = g_list_model_get_item (G_LIST_MODEL (self->peers), i);

      if (lan_peer_get_dialup (peer))
        lan_wire_send (self->wire, lan_peer_get_endpoint (peer), datagram, LAN_VERDICT_OK);
    }

  lan_targets_send (self->targets, datagram, paced);
}

void
lan_presence_broadcast (LanPresence *self,
                        GBytes      *datagram)
{
  send_everywhere (self, datagram, TRUE);
}

/* The broadcast form is UTF-8: peers known to read another charset get
 * their own copy after it (lan-entry.h). */
static void
send_copies (LanPresence *self,
             guint32      mode)
{
  LanEntryInfo info = entry_info (self);

  lan_entry_send_copies (self->wire, self->peers, &info, mode);
}

void
lan_presence_announce (LanPresence *self)
{
  g_autoptr(GBytes) noop = NULL;
  g_autoptr(GBytes) entry = NULL;

  if (!lan_wire_is_running (self->wire))
    return;

  /* NOOPERATION first, as Windows does: it wakes up ARP and switches before the entry. */
  noop = lan_wire_build (self->wire, lan_wire_next_packet_no (self->wire),
                         LAN_IPMSG_NOOPERATION, NULL, 0);
  send_everywhere (self, noop, FALSE);
  entry = lan_presence_build_entry (self, LAN_IPMSG_BR_ENTRY);
  self->announced_us = g_get_monotonic_time ();
  send_everywhere (self, entry, TRUE);
  send_copies (self, LAN_IPMSG_BR_ENTRY);
}

void
lan_presence_start (LanPresence *self)
{
  lan_presence_announce (self);
}

void
lan_presence_stop (LanPresence *self)
{
  g_autoptr(GBytes) exit_packet = lan_presence_build_entry (self, LAN_IPMSG_BR_EXIT);

  lan_targets_stop (self->targets);
  g_clear_pointer (&self->absence_source, source_destroy_and_unref);
  g_hash_table_remove_all (self->answers);
  /* On quit there is no time to pace: everyone hears it at once. */
  send_everywhere (self, exit_packet, FALSE);
  send_copies (self, LAN_IPMSG_BR_EXIT);
}

/* What we announce */

static gboolean
announce_absence (gpointer user_data)
{
  LanPresence *self = user_data;
  g_autoptr(GBytes) packet = NULL;

  g_clear_pointer (&self->absence_source, g_source_unref);
  if (!lan_wire_is_running (self->wire))
    return G_SOURCE_REMOVE;
  packet = lan_presence_build_entry (self, LAN_IPMSG_BR_ABSENCE);
  lan_presence_broadcast (self, packet);
  send_copies (self, LAN_IPMSG_BR_ABSENCE);
  return G_SOURCE_REMOVE;
}

static void
schedule_absence (LanPresence *self)
{
  if (!lan_wire_is_running (self->wire) || self->absence_source != NULL)
    return;
  /* Several settings often change together (away + text): one announcement. */
  self->absence_source = g_idle_source_new ();
  g_source_set_callback (self->absence_source, announce_absence, self, NULL);
  g_source_set_static_name (self->absence_source, "[lanchat] announce absence");
  g_source_attach (self->absence_source, g_main_context_get_thread_default ());
}

void
lan_presence_set_nickname (LanPresence *self,
                           const char  *nickname)
{
  if (lan_set_str (&self->nickname, nickname))
    schedule_absence (self);
}

void
lan_presence_set_group (LanPresence *self,
                        const char  *group)
{
  if (lan_set_str (&self->group, group))
    schedule_absence (self);
}

void
lan_presence_set_instance_id (LanPresence *self,
                              const char  *instance_id)
{
  /* Others learn it with our next entry; it only tells machines apart. */
  lan_set_str (&self->instance_id, instance_id);
}

void
lan_presence_set_away (LanPresence *self,
                       gboolean     away,
                       const char  *away_text)
{
  gboolean away_changed = self->away != away;
  gboolean text_changed = lan_set_str (&self->away_text, away_text);

  self->away = away;
  if (away_changed || (text_changed && away))
    schedule_absence (self);
}

void
lan_presence_set_away_in_nickname (LanPresence *self,
                                   gboolean     away_in_nickname)
{
  if (self->away_in_nickname == !!away_in_nickname)
    return;
  self->away_in_nickname = !!away_in_nickname;
  if (self->away)
    schedule_absence (self);
}

gboolean
lan_presence_get_away (LanPresence *self)
{
  return self->away;
}

const char *
lan_presence_get_away_text (LanPresence *self)
{
  return self->away_text;
}

void
lan_presence_set_answer_delay_max (LanPresence *self,
                                   guint        ms)
{
  self->answer_delay_max_ms = ms;
}

gboolean
lan_presence_add_target (LanPresence  *self,
                         const char   *spec,
                         guint16       default_port,
                         GError      **error)
{
  return lan_targets_add (self->targets, spec, default_port, error);
}

void
lan_presence_clear_targets (LanPresence *self)
{
  lan_targets_clear (self->targets);
}

LanPeerList *
lan_presence_get_peers (LanPresence *self)
{
  return self->peers;
}

GHashTable *
lan_presence_get_answers (LanPresence *self)
{
  return self->answers;
}

/* Peers */

LanPeer *
lan_presence_make_peer (LanPresence          *self,
                        LanEndpoint           from,
                        const LanIpmsgPacket *packet)
{
  return lan_entry_new_peer (self->wire, from, packet);
}

static void
add_peer (LanPresence *self,
          LanPeer     *peer)
{
  /* Made-up peers make room first (lan-peer-expiry.h), then the list's oldest. */
  LanPeer *room = lan_peer_expiry_pick_room (self->peers);
  g_autoptr(LanPeer) evicted = NULL;

  if (room != NULL)
    lan_presence_remove (self, room, TRUE);
  evicted = lan_peer_list_insert (self->peers, peer);
  if (evicted != NULL && self->hooks.peer_evicted != NULL)
    self->hooks.peer_evicted (evicted, self->hooks_data);
}

LanPeer *
lan_presence_add_sender (LanPresence      *self,
                         LanPacketContext *context)
{
  g_autoptr(LanPeer) created = lan_presence_make_peer (self, context->from, context->packet);
  g_autoptr(GBytes) entry = lan_presence_build_entry (self, LAN_IPMSG_BR_ENTRY);

  add_peer (self, created);
  /* It will answer with its nickname and group. */
  lan_packet_context_reply (context, context->from, entry);
  /* The list holds it now. */
  context->peer = created;
  return created;
}

LanPeer *
lan_presence_peer_at (LanPresence *self,
                      LanEndpoint  endpoint)
{
  LanPeer *listed = lan_peer_list_lookup_endpoint (self->peers, endpoint);
  g_autoptr(LanPeer) peer = NULL;

  if (listed != NULL)
    return listed;

  peer = lan_peer_new (endpoint);
  lan_peer_set_last_seen (peer, g_get_real_time ());
  add_peer (self, peer);
  if (lan_wire_is_running (self->wire))
    {
      g_autoptr(GBytes) entry = lan_presence_build_entry (self, LAN_IPMSG_BR_ENTRY);

      lan_wire_send (self->wire, endpoint, entry, LAN_VERDICT_OK);
    }
  return peer;
}

/* Answers */

typedef struct {
  LanPresence *self;
  LanEndpoint  to;
  char        *key;
} Answer;

static void
answer_free (Answer *answer)
{
  g_free (answer->key);
  g_free (answer);
}

static gboolean
send_answer (gpointer user_data)
{
  Answer *answer = user_data;
  LanPresence *self = answer->self;
  /* In the form this peer reads: iptux decides its charset from it. */
  g_autoptr(GBytes) packet = build_entry_for (self, LAN_IPMSG_ANSENTRY,
                                              lan_peer_list_lookup_endpoint (self->peers, answer->to));
  gpointer key = NULL;
  gpointer source = NULL;

  lan_wire_send_reply (self->wire, answer->to, packet);
  /* Removing the entry would destroy this very source: take it out instead,
   * and drop the table's reference; returning REMOVE drops the rest. */
  if (g_hash_table_steal_extended (self->answers, answer->key, &key, &source))
    {
      g_free (key);
      g_source_unref (source);
    }
  return G_SOURCE_REMOVE;
}

static gboolean
schedule_answer (LanPresence *self,
                 LanEndpoint  to,
                 const char  *key)
{
  /* Only peers that answered: 4 000 spoofed one-shot entries are no large LAN. */
  guint n_peers = lan_peer_list_count_answered (self->peers, g_get_monotonic_time ());
  guint max_delay;
  Answer *answer;
  GSource *source;

  if (g_hash_table_contains (self->answers, key))
    return TRUE;
  if (g_hash_table_size (self->answers) >= LAN_MESSENGER_MAX_ANSWERS)
    return FALSE;

  /* Spread the answers of a large LAN over up to 4 s so they don't all land at once. */
  max_delay = MIN ((guint64) self->answer_delay_max_ms * MAX (1u, n_peers / 50u), 4000u);
  answer = g_new0 (Answer, 1);
  answer->self = self;
  answer->to = to;
  answer->key = g_strdup (key);
  source = g_timeout_source_new (max_delay > 0 ? (guint) g_random_int_range (0, (gint32) max_delay + 1) : 0);
  g_source_set_callback (source, send_answer, answer, (GDestroyNotify) answer_free);
  g_source_set_static_name (source, "[lanchat] answer entry");
  g_source_attach (source, g_main_context_get_thread_default ());
  g_hash_table_insert (self->answers, g_strdup (key), source);
  return TRUE;
}

/* Handlers */

/* Its session (by "ip:port") is over: what it was owed is dropped. */
static void
end_session (LanPresence *self,
             LanEndpoint  from)
{
  g_autofree char *key = lan_endpoint_to_string (from);

  g_hash_table_remove (self->answers, key);
  if (self->hooks.session_ended != NULL)
    self->hooks.session_ended (key, self->hooks_data);
}

void
lan_presence_remove (LanPresence *self,
                     LanPeer     *peer,
                     gboolean     forget)
{
  g_autoptr(LanPeer) gone = g_object_ref (peer);

  if (forget)
    end_session (self, lan_peer_get_endpoint (gone));
  if (self->hooks.peer_gone != NULL)
    self->hooks.peer_gone (gone, self->hooks_data);
  lan_peer_list_remove (self->peers, gone);
  /* Never real, most likely: its conversation goes too, as an evicted one's. */
  if (forget && self->hooks.peer_evicted != NULL)
    self->hooks.peer_evicted (gone, self->hooks_data);
}

static void
drop_peer (LanPresence      *self,
           LanPacketContext *context)
{
  if (context->peer != NULL)
    lan_presence_remove (self, context->peer, FALSE);
  context->peer = NULL;
}

/* BR_ENTRY, ANSENTRY, BR_ABSENCE */
static void
handle_entry (LanPacketContext *context,
              gpointer          user_data)
{
  LanPresence *self = user_data;
  const LanIpmsgPacket *packet = context->packet;
  guint32 mode = LAN_IPMSG_MODE (packet->command);
  LanPeer *peer = context->peer;
  /* Most packets are presence repeats: build the "ip:port" key only when it's needed. */
  g_autofree char *key = NULL;
  g_autofree char *old_identity = NULL;
  LanEntryInfo info = entry_info (self);
  gboolean had_copy = FALSE;
  gboolean changed;

  if (mode == LAN_IPMSG_BR_ENTRY)
    {
      key = lan_endpoint_to_string (context->from);
      if (self->hooks.session_started != NULL)
        self->hooks.session_started (key, self->hooks_data);
    }
  /* What the peer keeps to tell a repeat: the announcement, or 32 bytes of a long one. */
  changed = peer == NULL || !lan_peer_entry_unchanged (peer, packet->command, packet->extra);
  if (changed)
    {
      LanEntryBlock block;
      g_autofree char *user = NULL;
      g_autofree char *host = NULL;

      /* Read once, for every question below. */
      lan_entry_block_read (packet, &block);
      /* Only news can change what a peer reads: a repeat costs none of this. */
      if (peer != NULL)
        {
          had_copy = lan_entry_needs_copy (self->wire, &info, lan_peer_get_dialect (peer));
          lan_entry_claimed_names (self->wire, packet, &block, &user, &host);
        }
      /* Someone else on a known address (Bob crashed, Alice came): a new peer; his talk stays his. */
      if (peer != NULL && lan_identity_other_person (peer, user, host))
        drop_peer (self, context);
      if ((peer = context->peer) == NULL)
        {
          g_autoptr(LanPeer) fresh = lan_presence_make_peer (self, context->from, packet);

          /* Named before it is listed, so whoever sees it appear sees its nickname. */
          lan_peer_entry_unchanged (fresh, packet->command, packet->extra);
          lan_entry_learn (self->wire, fresh, packet, &block);
          add_peer (self, fresh);
          context->peer = peer = fresh;
        }
      else
        {
          old_identity = g_strdup (lan_peer_get_identity (peer));
          lan_entry_learn (self->wire, peer, packet, &block);
        }
      /* A conversation begun under its address (or old name) keeps what was said. */
      if (self->hooks.peer_named != NULL)
        self->hooks.peer_named (peer, old_identity != NULL ? old_identity : lan_peer_get_key (peer),
                                self->hooks_data);
      /* Naming may have found it to be another address of a listed machine (two network cards). */
      context->peer = peer = lan_peer_list_lookup_endpoint (self->peers, context->from);
    }
  /* An answer to an entry of ours; else an announcement, to ask (lan-peer-expiry.h). */
  if (mode == LAN_IPMSG_ANSENTRY && peer != NULL &&
      lan_peer_expiry_answers_entry (self->wire, self->targets, context->from, self->announced_us))
    lan_peer_expiry_confirm (peer);
  /* It answered our broadcast, which it reads wrong: our entry in its form. */
  if (changed && mode == LAN_IPMSG_ANSENTRY && peer != NULL && !had_copy &&
      lan_entry_needs_copy (self->wire, &info, lan_peer_get_dialect (peer)))
    {
      g_autoptr(GBytes) copy = build_entry_for (self, LAN_IPMSG_BR_ABSENCE, peer);

      lan_packet_context_reply (context, context->from, copy);
    }
  /* Back (a new session) or news: what we owe it goes out now; a repeat releases nothing. */
  if ((changed || mode == LAN_IPMSG_BR_ENTRY) && peer != NULL && self->hooks.peer_back != NULL)
    self->hooks.peer_back (peer, self->hooks_data);
  if (mode == LAN_IPMSG_BR_ENTRY && !schedule_answer (self, context->from, key))
    {
      lan_wire_get_stats (self->wire)->rejected++;
      lan_packet_context_verdict (context, LAN_VERDICT_OK,
                                  "%s", _("not answered: too many answers already waiting"));
    }
}

static void
handle_exit (LanPacketContext *context,
             gpointer          user_data)
{
  end_session (user_data, context->from);
  drop_peer (user_data, context);
}

static void
handle_getinfo (LanPacketContext *context,
                gpointer          user_data)
{
  lan_entry_reply_text (LAN_PRESENCE (user_data)->wire, context, LAN_IPMSG_SENDINFO, "Lanchat " PACKAGE_VERSION);
}

static void
handle_getabsenceinfo (LanPacketContext *context,
                       gpointer          user_data)
{
  LanPresence *self = user_data;

  /* "Not absence mode" is what IP Messenger answers when present. */
  lan_entry_reply_text (self->wire, context, LAN_IPMSG_SENDABSENCEINFO,
              self->away ? (self->away_text != NULL ? self->away_text : "") : "Not absence mode");
}

/* SENDINFO, SENDABSENCEINFO */
static void
handle_info (LanPacketContext *context,
             gpointer          user_data)
{
  LanPresence *self = user_data;
  g_autofree char *text = NULL;

  if (context->peer == NULL)
    return;
  text = lan_wire_decode_section (self->wire, context->peer, context->packet, 0);
  if (LAN_IPMSG_MODE (context->packet->command) == LAN_IPMSG_SENDINFO)
    lan_peer_set_version_text (context->peer, text);
  else
    lan_peer_set_away_text (context->peer, text);
}

static void
handle_noop (LanPacketContext *context,
             gpointer          user_data)
{
}

static void
handle_host_list (LanPacketContext *context,
                  gpointer          user_data)
{
  lan_packet_context_verdict (context, LAN_VERDICT_UNKNOWN_COMMAND,
                              "%s", _("host-list exchange is not supported; ignored"));
}

/* Object */

static void
lan_presence_dispose (GObject *object)
{
  LanPresence *self = LAN_PRESENCE (object);

  if (self->wire != NULL)
    lan_wire_clear_handlers (self->wire, self);
  lan_targets_stop (self->targets);
  g_clear_pointer (&self->absence_source, source_destroy_and_unref);
  if (self->answers != NULL)
    g_hash_table_remove_all (self->answers);
  G_OBJECT_CLASS (lan_presence_parent_class)->dispose (object);
}

static void
lan_presence_finalize (GObject *object)
{
  LanPresence *self = LAN_PRESENCE (object);

  g_clear_pointer (&self->answers, g_hash_table_unref);
  g_clear_object (&self->targets);
  g_clear_object (&self->wire);
  g_clear_object (&self->peers);
  g_free (self->nickname);
  g_free (self->group);
  g_free (self->away_text);
  g_free (self->instance_id);
  G_OBJECT_CLASS (lan_presence_parent_class)->finalize (object);
}

static void
lan_presence_class_init (LanPresenceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lan_presence_dispose;
  object_class->finalize = lan_presence_finalize;
}

static void
lan_presence_init (LanPresence *self)
{
  self->answers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, source_destroy_and_unref);
  self->answer_delay_max_ms = 1000;
}

LanPresence *
lan_presence_new (LanWire     *wire,
                  LanPeerList *peers)
{
  LanPresence *self = g_object_new (LAN_TYPE_PRESENCE, NULL);
  static const guint8 host_list[] = {
    LAN_IPMSG_BR_ISGETLIST, LAN_IPMSG_OKGETLIST, LAN_IPMSG_GETLIST, LAN_IPMSG_ANSLIST,
  };

  self->wire = g_object_ref (wire);
  self->peers = g_object_ref (peers);
  self->targets = lan_targets_new (wire);

  lan_wire_set_handler (wire, LAN_IPMSG_NOOPERATION, handle_noop, self);
  lan_wire_set_handler (wire, LAN_IPMSG_BR_ENTRY, handle_entry, self);
  lan_wire_set_handler (wire, LAN_IPMSG_ANSENTRY, handle_entry, self);
  lan_wire_set_handler (wire, LAN_IPMSG_BR_ABSENCE, handle_entry, self);
  lan_wire_set_handler (wire, LAN_IPMSG_BR_EXIT, handle_exit, self);
  lan_wire_set_handler (wire, LAN_IPMSG_GETINFO, handle_getinfo, self);
  lan_wire_set_handler (wire, LAN_IPMSG_GETABSENCEINFO, handle_getabsenceinfo, self);
  lan_wire_set_handler (wire, LAN_IPMSG_SENDINFO, handle_info, self);
  lan_wire_set_handler (wire, LAN_IPMSG_SENDABSENCEINFO, handle_info, self);
  for (guint i = 0; i < G_N_ELEMENTS (host_list); i++)
    lan_wire_set_handler (wire, host_list[i], handle_host_list, self);

  return self;
}

void
lan_presence_set_hooks (LanPresence            *self,
                        const LanPresenceHooks *hooks,
                        gpointer                user_data)
{
  self->hooks = *hooks;
  self->hooks_data = user_data;
}
