/* lan-messenger-presence.c — entry, answer, absence, exit, info.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lan-interfaces.h"
#include "lan-messenger-private.h"
#include "lan-peer-list-private.h"
#include "lan-peer-private.h"

static guint32
entry_options (LanMessenger *self)
{
  guint32 options = LAN_IPMSG_CAPUTF8OPT;

  if (self->away)
    options |= LAN_IPMSG_ABSENCEOPT;
  return options;
}

static const char *
shown_nickname (LanMessenger *self)
{
  if (self->nickname != NULL && *self->nickname != '\0')
    return self->nickname;
  return self->user_name != NULL ? self->user_name : "";
}

GBytes *
lan_messenger_build_entry (LanMessenger *self,
                           guint32       mode)
{
  g_autoptr(GByteArray) extra = g_byte_array_new ();
  g_autoptr(GBytes) nickname = NULL;
  g_autoptr(GBytes) group = NULL;
  g_autofree char *block = NULL;
  const char *nick = shown_nickname (self);
  const char *group_text = self->group != NULL ? self->group : "";

  /* Legacy fields in the legacy encoding for old clients, then the draft-14
   * UTF-8 block that newer ones prefer. Exit packets carry the same so that
   * a client that missed our entry still knows who left. */
  nickname = lan_charset_encode (nick, FALSE, self->legacy, NULL);
  group = lan_charset_encode (group_text, FALSE, self->legacy, NULL);
  block = lan_ipmsg_build_utf8_block (self->user_name, self->host_name, nick,
                                      *group_text != '\0' ? group_text : NULL);

  g_byte_array_append (extra, g_bytes_get_data (nickname, NULL), (guint) g_bytes_get_size (nickname));
  g_byte_array_append (extra, (const guint8 *) "", 1);
  g_byte_array_append (extra, g_bytes_get_data (group, NULL), (guint) g_bytes_get_size (group));
  g_byte_array_append (extra, (const guint8 *) "", 1);
  g_byte_array_append (extra, (const guint8 *) block, (guint) strlen (block));
  g_byte_array_append (extra, (const guint8 *) "", 1);

  return lan_messenger_build (self, lan_messenger_next_packet_no (self),
                              mode | entry_options (self), extra->data, extra->len);
}

/* The broadcast addresses of the interfaces we listen on, and 255.255.255.255
 * where there is a route for it. */
static GArray *
broadcast_targets (LanMessenger *self)
{
  GArray *targets = g_array_new (FALSE, FALSE, sizeof (LanEndpoint));
  LanEndpoint local = lan_transport_get_local (self->transport);

  for (guint i = 0; i < self->interfaces->len; i++)
    {
      LanInterface *iface = g_ptr_array_index (self->interfaces, i);
      LanEndpoint endpoint = { iface->broadcast, (guint16) self->port };
      gboolean duplicate = FALSE;

      if (iface->loopback || iface->broadcast == 0)
        continue;
      if (local.address != 0 && iface->address != local.address)
        continue;
      for (guint j = 0; j < targets->len; j++)
        if (g_array_index (targets, LanEndpoint, j).address == endpoint.address)
          duplicate = TRUE;
      if (!duplicate)
        g_array_append_val (targets, endpoint);
    }

  /* Without a default route the kernel has nowhere to send the limited
   * broadcast; the directed ones above reach the same hosts. */
  if (local.address == 0 && lan_interfaces_can_broadcast (self->interfaces) &&
      lan_interfaces_has_default_route ())
    {
      LanEndpoint all = { 0xffffffffu, (guint16) self->port };

      g_array_append_val (targets, all);
    }
  return targets;
}

static void
stop_pacing (LanMessenger *self)
{
  if (self->pace_source != NULL)
    {
      g_source_destroy (self->pace_source);
      g_clear_pointer (&self->pace_source, g_source_unref);
    }
  g_clear_pointer (&self->pace_packet, g_bytes_unref);
  self->pace_index = 0;
}

static gboolean
pace_tick (gpointer user_data)
{
  LanMessenger *self = user_data;
  guint end = MIN (self->pace_index + LAN_MESSENGER_TARGETS_PER_TICK, self->targets->len);

  for (; self->pace_index < end; self->pace_index++)
    lan_messenger_send_raw (self, g_array_index (self->targets, LanEndpoint, self->pace_index),
                            self->pace_packet, LAN_VERDICT_OK);

  if (self->pace_index >= self->targets->len)
    {
      g_clear_pointer (&self->pace_source, g_source_unref);
      g_clear_pointer (&self->pace_packet, g_bytes_unref);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
send_to_targets (LanMessenger *self,
                 GBytes       *datagram,
                 gboolean      paced)
{
  if (!paced)
    {
      for (guint i = 0; i < self->targets->len; i++)
        lan_messenger_send_raw (self, g_array_index (self->targets, LanEndpoint, i),
                                datagram, LAN_VERDICT_OK);
      return;
    }

  /* A newer announcement supersedes one still going out. */
  stop_pacing (self);
  if (self->targets->len == 0)
    return;
  self->pace_packet = g_bytes_ref (datagram);
  pace_tick (self);
  if (self->pace_packet != NULL)
    {
      self->pace_source = g_timeout_source_new (LAN_MESSENGER_TARGET_TICK_MS);
      g_source_set_callback (self->pace_source, pace_tick, self, NULL);
      g_source_set_static_name (self->pace_source, "[lanchat] extra targets");
      g_source_attach (self->pace_source, g_main_context_get_thread_default ());
    }
}

static void
send_everywhere (LanMessenger *self,
                 GBytes       *datagram,
                 gboolean      paced)
{
  g_autoptr(GArray) broadcasts = broadcast_targets (self);
  guint n_peers = g_list_model_get_n_items (G_LIST_MODEL (self->peers));

  for (guint i = 0; i < broadcasts->len; i++)
    lan_messenger_send_raw (self, g_array_index (broadcasts, LanEndpoint, i), datagram, LAN_VERDICT_OK);

  /* Broadcasts don't reach DIALUPOPT peers: they asked for unicast. */
  for (guint i = 0; i < n_peers; i++)
    {
      g_autoptr(LanPeer) peer = g_list_model_get_item (G_LIST_MODEL (self->peers), i);

      if (lan_peer_get_dialup (peer))
        lan_messenger_send_raw (self, lan_peer_get_endpoint (peer), datagram, LAN_VERDICT_OK);
    }

  send_to_targets (self, datagram, paced);
}

void
lan_messenger_broadcast_packet (LanMessenger *self,
                                GBytes       *datagram)
{
  send_everywhere (self, datagram, TRUE);
}

void
lan_messenger_announce (LanMessenger *self)
{
  g_autoptr(GBytes) noop = NULL;
  g_autoptr(GBytes) entry = NULL;

  g_return_if_fail (LAN_IS_MESSENGER (self));

  if (!self->running)
    return;

  /* NOOPERATION first, as Windows does: it wakes up ARP and switches before the entry. */
  noop = lan_messenger_build (self, lan_messenger_next_packet_no (self),
                              LAN_IPMSG_NOOPERATION, NULL, 0);
  send_everywhere (self, noop, FALSE);
  entry = lan_messenger_build_entry (self, LAN_IPMSG_BR_ENTRY);
  send_everywhere (self, entry, TRUE);
}

void
lan_messenger_presence_start (LanMessenger *self)
{
  lan_messenger_announce (self);
}

void
lan_messenger_presence_stop (LanMessenger *self)
{
  g_autoptr(GBytes) exit_packet = lan_messenger_build_entry (self, LAN_IPMSG_BR_EXIT);

  stop_pacing (self);
  g_hash_table_remove_all (self->answers);
  /* On quit there is no time to pace: everyone hears it at once. */
  send_everywhere (self, exit_packet, FALSE);
}

typedef struct {
  LanMessenger *self;
  LanEndpoint   to;
  char         *key;
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
  LanMessenger *self = answer->self;
  g_autoptr(GBytes) packet = lan_messenger_build_entry (self, LAN_IPMSG_ANSENTRY);

  lan_messenger_send_raw (self, answer->to, packet, LAN_VERDICT_OK);
  /* Removing the entry would destroy this very source: take it out instead,
   * and drop the table's reference; returning REMOVE drops the rest. */
  {
    gpointer key = NULL;
    gpointer source = NULL;

    if (g_hash_table_steal_extended (self->answers, answer->key, &key, &source))
      {
        g_free (key);
        g_source_unref (source);
      }
  }
  return G_SOURCE_REMOVE;
}

static gboolean
schedule_answer (LanMessenger *self,
                 LanEndpoint   to,
                 const char   *key)
{
  guint n_peers = g_list_model_get_n_items (G_LIST_MODEL (self->peers));
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

static void
update_from_entry (LanMessenger         *self,
                   LanPeer              *peer,
                   const LanIpmsgPacket *packet)
{
  g_autoptr(GPtrArray) block = lan_ipmsg_packet_parse_utf8_block (packet);
  g_autofree char *nickname = NULL;
  g_autofree char *group = NULL;
  g_autofree char *user = NULL;
  g_autofree char *host = NULL;
  gboolean marker = lan_ipmsg_packet_has_iptux_utf8_marker (packet);
  const char *value;
  GBytes *section;

  lan_peer_set_capabilities (peer, LAN_IPMSG_OPTIONS (packet->command));
  /* g2ipmsg puts UTF8OPT on entry packets to mean the capability. */
  lan_peer_set_utf8 (peer, marker || (packet->command & (LAN_IPMSG_CAPUTF8OPT | LAN_IPMSG_UTF8OPT)) != 0);

  section = lan_ipmsg_packet_get_section (packet, 0);
  if (section != NULL)
    nickname = lan_messenger_decode (self, peer, packet, g_bytes_get_data (section, NULL),
                                     g_bytes_get_size (section));
  section = lan_ipmsg_packet_get_section (packet, 1);
  if (section != NULL)
    group = lan_messenger_decode (self, peer, packet, g_bytes_get_data (section, NULL),
                                  g_bytes_get_size (section));
  user = lan_messenger_decode (self, peer, packet, (const guint8 *) packet->user, strlen (packet->user));
  host = lan_messenger_decode (self, peer, packet, (const guint8 *) packet->host, strlen (packet->host));

  /* The UTF-8 block wins over the legacy fields: it is what the sender meant. */
#define FROM_BLOCK(key, field) \
  if ((value = lan_ipmsg_utf8_block_lookup (block, key)) != NULL) \
    { g_free (field); field = g_utf8_make_valid (value, -1); }
  FROM_BLOCK ("NN", nickname)
  FROM_BLOCK ("GN", group)
  FROM_BLOCK ("UN", user)
  FROM_BLOCK ("HN", host)
#undef FROM_BLOCK

  lan_peer_set_names (peer, nickname, user, host, group != NULL ? group : "");
  /* iptux sets ABSENCEOPT on every packet: from it the bit says nothing. */
  lan_peer_set_away (peer, (packet->command & LAN_IPMSG_ABSENCEOPT) != 0 &&
                           !g_str_has_prefix (packet->version, "1_iptux"));
}

static char *
decode_section (LanMessenger         *self,
                LanPeer              *peer,
                const LanIpmsgPacket *packet,
                guint                 index)
{
  GBytes *section = lan_ipmsg_packet_get_section (packet, index);

  if (section == NULL)
    return g_strdup ("");
  return lan_messenger_decode (self, peer, packet, g_bytes_get_data (section, NULL),
                               g_bytes_get_size (section));
}

static void
reply_text (LanMessenger *self,
            LanEndpoint   to,
            LanPeer      *peer,
            guint32       mode,
            const char   *text)
{
  gboolean utf8 = peer == NULL || lan_peer_get_utf8 (peer);
  g_autoptr(GBytes) encoded = lan_charset_encode (text, utf8, self->legacy, NULL);
  guint32 command = mode;
  g_autoptr(GBytes) packet = NULL;

  if (utf8 && (peer == NULL || (lan_peer_get_capabilities (peer) & LAN_IPMSG_CAPUTF8OPT)))
    command |= LAN_IPMSG_UTF8OPT;
  packet = lan_messenger_build (self, lan_messenger_next_packet_no (self), command,
                                g_bytes_get_data (encoded, NULL), g_bytes_get_size (encoded));
  lan_messenger_queue_reply (self, to, packet);
}

LanVerdict
lan_messenger_handle_presence (LanMessenger         *self,
                               LanEndpoint           from,
                               const LanIpmsgPacket *packet,
                               char                **detail)
{
  guint32 mode = LAN_IPMSG_MODE (packet->command);
  /* Most packets are presence repeats: build the "ip:port" key only when it's needed. */
  LanPeer *peer = lan_peer_list_lookup_endpoint (self->peers, from);
  g_autofree char *key = NULL;

  switch (mode)
    {
    case LAN_IPMSG_BR_ENTRY:
    case LAN_IPMSG_ANSENTRY:
    case LAN_IPMSG_BR_ABSENCE:
      if (mode == LAN_IPMSG_BR_ENTRY)
        {
          key = lan_endpoint_to_string (from);
          lan_messenger_forget_session (self, key);
          lan_messenger_history_session_started (self, key);
        }
      if (peer == NULL)
        {
          g_autoptr(LanPeer) fresh = lan_messenger_make_peer (self, from, packet);

          /* Named before it is listed, so whoever sees it appear sees its nickname. */
          lan_peer_entry_unchanged (fresh, packet->command, packet->extra);
          update_from_entry (self, fresh, packet);
          lan_messenger_add_peer (self, fresh);
          peer = fresh;
          /* A conversation begun under its address keeps what was said. */
          lan_messenger_adopt_conversation (self, peer, lan_peer_get_key (peer));
          lan_messenger_history_peer_seen (self, peer);
        }
      else if (!lan_peer_entry_unchanged (peer, packet->command, packet->extra))
        {
          g_autofree char *old_identity = g_strdup (lan_peer_get_identity (peer));

          update_from_entry (self, peer, packet);
          lan_messenger_adopt_conversation (self, peer, old_identity);
          lan_messenger_history_peer_seen (self, peer);
        }
      /* It is back: what we owe it goes out now. */
      lan_messenger_outbox_flush (self, peer);
      if (mode == LAN_IPMSG_BR_ENTRY && !schedule_answer (self, from, key))
        {
          self->stats.rejected++;
          *detail = g_strdup (_("not answered: too many answers already waiting"));
        }
      return LAN_VERDICT_OK;

    case LAN_IPMSG_BR_EXIT:
      key = lan_endpoint_to_string (from);
      g_hash_table_remove (self->answers, key);
      lan_messenger_forget_session (self, key);
      if (peer != NULL)
        {
          g_autoptr(LanPeer) gone = g_object_ref (peer);

          lan_messenger_emit_peer_gone (self, gone);
          lan_peer_list_remove (self->peers, gone);
        }
      return LAN_VERDICT_OK;

    case LAN_IPMSG_GETINFO:
      reply_text (self, from, peer, LAN_IPMSG_SENDINFO, "Lanchat " PACKAGE_VERSION);
      return LAN_VERDICT_OK;

    case LAN_IPMSG_GETABSENCEINFO:
      /* "Not absence mode" is what IP Messenger answers when present. */
      reply_text (self, from, peer, LAN_IPMSG_SENDABSENCEINFO,
                  self->away ? (self->away_text != NULL ? self->away_text : "") : "Not absence mode");
      return LAN_VERDICT_OK;

    case LAN_IPMSG_SENDINFO:
    case LAN_IPMSG_SENDABSENCEINFO:
      if (peer != NULL)
        {
          g_autofree char *text = decode_section (self, peer, packet, 0);

          if (mode == LAN_IPMSG_SENDINFO)
            lan_peer_set_version_text (peer, text);
          else
            lan_peer_set_away_text (peer, text);
        }
      return LAN_VERDICT_OK;

    case LAN_IPMSG_BR_ISGETLIST:
    case LAN_IPMSG_OKGETLIST:
    case LAN_IPMSG_GETLIST:
    case LAN_IPMSG_ANSLIST:
      *detail = g_strdup (_("host-list exchange is not supported; ignored"));
      return LAN_VERDICT_UNKNOWN_COMMAND;

    default:
      {
        const char *name = lan_ipmsg_command_name (packet->command);

        *detail = name != NULL ? g_strdup_printf (_("%s is not handled; ignored"), name)
                               : g_strdup_printf (_("unknown command 0x%02x; ignored"), mode);
      }
      return LAN_VERDICT_UNKNOWN_COMMAND;
    }
}
