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

static gboolean
unconfirmed (LanPeer *peer)
{
  return lan_peer_get_announced (peer) && !lan_peer_get_answered (peer);
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
  /* Asked last time and not heard from since: nobody is there. */
  for (guint i = 0; asked != NULL && i < asked->len; i++)
    {
      LanPeer *peer = g_ptr_array_index (asked, i);

      if (lan_peer_list_lookup (self->peers, lan_peer_get_key (peer)) == peer && unconfirmed (peer) &&
          lan_peer_get_last_seen (peer) < self->asked_us)
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

LanPeer *
lan_peer_expiry_pick_room (LanPeerList *peers)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (peers));
  LanPeer *oldest = NULL;

  if (n < lan_peer_list_get_max (peers))
    return NULL;
  for (guint i = 0; i < n; i++)
    {
      /* The list holds it: the reference taken here is not the last. */
      g_autoptr(LanPeer) peer = g_list_model_get_item (G_LIST_MODEL (peers), i);

      if (unconfirmed (peer) && (oldest == NULL || lan_peer_get_last_seen (peer) < lan_peer_get_last_seen (oldest)))
        oldest = peer;
    }
  return oldest;
}
