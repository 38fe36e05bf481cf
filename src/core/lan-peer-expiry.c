/* lan-peer-expiry.c — unanswered announcements asked once, then removed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-peer-expiry"

#include "config.h"

#include "lan-bounds.h"
#include "lan-interfaces.h"
#include "lan-peer-expiry.h"

struct _LanPeerExpiry
{
  LanWire     *wire;
  LanPresence *presence;
  LanPeerList *peers;
  gulong       items_changed_id;
  GSource     *timer;
  guint        confirm_ms;
  GPtrArray   *asked;      /* LanPeer asked at asked_us */
  gint64       asked_us;   /* g_get_real_time (), as LanPeer:last-seen */
  guint64      removed;
};

/* Marks the peers known to answer. Not LanPeer:answered, which a second
 * packet sets: a flood that repeats its made-up addresses has that too. */
static GQuark
confirmed_quark (void)
{
  return g_quark_from_static_string ("lan-peer-expiry-confirmed");
}

static gboolean
unconfirmed (LanPeer *peer)
{
  return lan_peer_get_announced (peer) && g_object_get_qdata (G_OBJECT (peer), confirmed_quark ()) == NULL;
}

gboolean
lan_peer_expiry_is_confirmed (LanPeer *peer)
{
  return !unconfirmed (peer);
}

void
lan_peer_expiry_confirm (LanPeer *peer)
{
  lan_peer_set_answered (peer);
  g_object_set_qdata (G_OBJECT (peer), confirmed_quark (), GINT_TO_POINTER (TRUE));
}

static void schedule (LanPeerExpiry *self);

static gboolean
tick (gpointer user_data)
{
  LanPeerExpiry *self = user_data;
  g_autoptr(GPtrArray) asked = g_steal_pointer (&self->asked);
  g_autoptr(GBytes) entry = NULL;
  gint64 now = g_get_real_time ();
  gint64 quiet_since = now - (gint64) self->confirm_ms * 1000;
  gboolean waiting = FALSE;

  g_clear_pointer (&self->timer, g_source_unref);
  /* Asked last time and not heard from since: nobody is there. Heard: it answered. */
  for (guint i = 0; asked != NULL && i < asked->len; i++)
    {
      LanPeer *peer = g_ptr_array_index (asked, i);

      if (lan_peer_list_lookup (self->peers, lan_peer_get_key (peer)) != peer || !unconfirmed (peer))
        continue;
      if (lan_peer_get_last_seen (peer) >= self->asked_us)
        lan_peer_expiry_confirm (peer);
      else
        {
          self->removed++;
          lan_presence_remove (self->presence, peer, TRUE);
        }
    }

  self->asked = g_ptr_array_new_with_free_func (g_object_unref);
  self->asked_us = now;
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->peers)); i++)
    {
      g_autoptr(LanPeer) peer = g_list_model_get_item (G_LIST_MODEL (self->peers), i);

      if (!unconfirmed (peer))
        continue;
      waiting = TRUE;
      if (lan_peer_get_last_seen (peer) <= quiet_since)
        g_ptr_array_add (self->asked, g_steal_pointer (&peer));
    }
  /* A flood of them is asked by one entry to everyone: every real peer it
   * could be hears that, and the made-up addresses get nothing back. */
  if (self->asked->len > LAN_PEER_ASK_EACH_MAX)
    lan_presence_announce (self->presence);
  for (guint i = 0; self->asked->len <= LAN_PEER_ASK_EACH_MAX && i < self->asked->len; i++)
    {
      if (entry == NULL)
        entry = lan_presence_build_entry (self->presence, LAN_IPMSG_BR_ENTRY);
      /* Within what its address may get back: a refused question is silence too. */
      if (lan_wire_is_running (self->wire))
        lan_wire_send_reply (self->wire, lan_peer_get_endpoint (g_ptr_array_index (self->asked, i)), entry);
    }
  if (waiting)
    schedule (self);
  return G_SOURCE_REMOVE;
}

static void
schedule (LanPeerExpiry *self)
{
  if (self->timer != NULL)
    return;
  self->timer = g_timeout_source_new (self->confirm_ms);
  g_source_set_callback (self->timer, tick, self, NULL);
  g_source_set_static_name (self->timer, "[lanchat] unanswered announcements");
  g_source_attach (self->timer, g_main_context_get_thread_default ());
}

static void
on_items_changed (GListModel    *model,
                  guint          position,
                  guint          removed,
                  guint          added,
                  LanPeerExpiry *self)
{
  /* Only newcomers start the clock; it stops once none is left unanswered. */
  if (added > 0)
    schedule (self);
}

LanPeerExpiry *
lan_peer_expiry_new (LanWire     *wire,
                     LanPresence *presence)
{
  LanPeerExpiry *self = g_new0 (LanPeerExpiry, 1);

  self->wire = g_object_ref (wire);
  self->presence = g_object_ref (presence);
  self->peers = g_object_ref (lan_presence_get_peers (presence));
  self->confirm_ms = LAN_PEER_CONFIRM_MS;
  self->items_changed_id = g_signal_connect (self->peers, "items-changed", G_CALLBACK (on_items_changed), self);
  return self;
}

void
lan_peer_expiry_free (LanPeerExpiry *self)
{
  if (self == NULL)
    return;
  g_clear_signal_handler (&self->items_changed_id, self->peers);
  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
  g_clear_pointer (&self->asked, g_ptr_array_unref);
  g_clear_object (&self->peers);
  g_clear_object (&self->presence);
  g_clear_object (&self->wire);
  g_free (self);
}

void
lan_peer_expiry_set_confirm_ms (LanPeerExpiry *self,
                                guint          ms)
{
  g_return_if_fail (ms > 0);

  self->confirm_ms = ms;
  /* The next check comes after the new time. */
  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
      schedule (self);
    }
}

guint64
lan_peer_expiry_get_removed (LanPeerExpiry *self)
{
  return self->removed;
}

gboolean
lan_peer_expiry_answers_entry (LanWire     *wire,
                               LanTargets  *targets,
                               LanEndpoint  from,
                               gint64       announced_us)
{
  GPtrArray *interfaces = lan_wire_get_interfaces (wire);

  if (announced_us == 0 || g_get_monotonic_time () - announced_us > (gint64) LAN_PEER_CONFIRM_MS * 1000)
    return FALSE;
  /* The broadcasts went to our port on each interface's subnet. */
  for (guint i = 0; from.port == lan_wire_get_local (wire).port && i < interfaces->len; i++)
    {
      LanInterface *iface = g_ptr_array_index (interfaces, i);

      if (!iface->loopback && iface->broadcast != 0 &&
          (iface->address & iface->netmask) == (from.address & iface->netmask))
        return TRUE;
    }
  return targets != NULL && lan_targets_reach (targets, from);
}

/* Candidates to make room, oldest first, found by one scan for many
 * evictions: a full list under a flood evicts on every packet, and a scan
 * of 4 096 peers for each would be most of what the flood costs. Kept on
 * the list, as keys (a removed peer is simply not found). */
typedef struct {
  GPtrArray *keys;
  guint      next;
  gint64     none_until_us;   /* the last scan found none: not again before */
} Room;

#define ROOM_BATCH 64

static GQuark
room_quark (void)
{
  return g_quark_from_static_string ("lan-peer-expiry-room");
}

static void
room_free (Room *room)
{
  g_ptr_array_unref (room->keys);
  g_free (room);
}

static gint
by_last_seen (gconstpointer a,
              gconstpointer b)
{
  gint64 seen_a = lan_peer_get_last_seen (*(LanPeer * const *) a);
  gint64 seen_b = lan_peer_get_last_seen (*(LanPeer * const *) b);

  return seen_a < seen_b ? -1 : seen_a > seen_b;
}

static Room *
scan_for_room (LanPeerList *peers)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (peers));
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  Room *room = g_new0 (Room, 1);

  for (guint i = 0; i < n; i++)
    {
      LanPeer *peer = g_list_model_get_item (G_LIST_MODEL (peers), i);

      if (unconfirmed (peer))
        g_ptr_array_add (found, peer);
      else
        g_object_unref (peer);
    }
  g_ptr_array_sort (found, by_last_seen);
  room->keys = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < found->len && i < ROOM_BATCH; i++)
    g_ptr_array_add (room->keys, g_strdup (lan_peer_get_key (g_ptr_array_index (found, i))));
  if (found->len == 0)
    room->none_until_us = g_get_monotonic_time () + 100 * 1000;
  g_object_set_qdata_full (G_OBJECT (peers), room_quark (), room, (GDestroyNotify) room_free);
  return room;
}

LanPeer *
lan_peer_expiry_pick_room (LanPeerList *peers)
{
  Room *room = g_object_get_qdata (G_OBJECT (peers), room_quark ());
  gboolean scanned = FALSE;

  if (g_list_model_get_n_items (G_LIST_MODEL (peers)) < lan_peer_list_get_max (peers))
    return NULL;
  for (;;)
    {
      while (room != NULL && room->next < room->keys->len)
        {
          LanPeer *peer = lan_peer_list_lookup (peers, g_ptr_array_index (room->keys, room->next++));

          /* Heard from again since, it answered: not a candidate any more. */
          if (peer != NULL && unconfirmed (peer))
            return peer;
        }
      if (scanned || (room != NULL && room->none_until_us > g_get_monotonic_time ()))
        return NULL;
      room = scan_for_room (peers);
      scanned = TRUE;
    }
}
