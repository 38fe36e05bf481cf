/* lan-packet-log-filter.c — the packet log's search as a GtkFilter.
 *
 * The parsing and matching are the core's (LanPacketFilter); this only
 * tells GtkFilterListModel how a new query relates to the old one, so that
 * typing one more letter re-checks only the rows still shown, and that an
 * empty query matches everything without looking at a row — the filter
 * model then passes the log through untouched, which is what keeps a
 * following log cheap at tens of thousands of packets a second.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-packet-log-filter"

#include "config.h"

#include <string.h>

#include "lan-packet-log-filter.h"

struct _LanPacketLogFilter
{
  GtkFilter        parent_instance;

  LanPacketFilter *filter;
  LanPeerList     *peers;
};

G_DEFINE_FINAL_TYPE (LanPacketLogFilter, lan_packet_log_filter, GTK_TYPE_FILTER)

static const char *get_query (LanPacketLogFilter *self);

static gboolean
lan_packet_log_filter_match (GtkFilter *filter,
                             gpointer   item)
{
  LanPacketLogFilter *self = LAN_PACKET_LOG_FILTER (filter);

  return lan_packet_filter_match (self->filter, item);
}

static GtkFilterMatch
lan_packet_log_filter_get_strictness (GtkFilter *filter)
{
  LanPacketLogFilter *self = LAN_PACKET_LOG_FILTER (filter);

  return lan_packet_filter_is_empty (self->filter) ? GTK_FILTER_MATCH_ALL : GTK_FILTER_MATCH_SOME;
}

static void
on_peers_items_changed (LanPacketLogFilter *self)
{
  /* Only peer: terms read the list; a new nickname may match rows it did not. */
  if (strstr (get_query (self), "peer:") != NULL)
    gtk_filter_changed (GTK_FILTER (self), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
lan_packet_log_filter_dispose (GObject *object)
{
  LanPacketLogFilter *self = LAN_PACKET_LOG_FILTER (object);

  if (self->peers != NULL)
    g_signal_handlers_disconnect_by_data (self->peers, self);
  g_clear_object (&self->peers);
  g_clear_object (&self->filter);

  G_OBJECT_CLASS (lan_packet_log_filter_parent_class)->dispose (object);
}

static void
lan_packet_log_filter_class_init (LanPacketLogFilterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkFilterClass *filter_class = GTK_FILTER_CLASS (klass);

  object_class->dispose = lan_packet_log_filter_dispose;
  filter_class->match = lan_packet_log_filter_match;
  filter_class->get_strictness = lan_packet_log_filter_get_strictness;
}

static void
lan_packet_log_filter_init (LanPacketLogFilter *self)
{
  self->filter = lan_packet_filter_new (NULL, NULL, NULL, NULL);
}

LanPacketLogFilter *
lan_packet_log_filter_new (void)
{
  return g_object_new (LAN_TYPE_PACKET_LOG_FILTER, NULL);
}

gboolean
lan_packet_log_filter_set_query (LanPacketLogFilter  *self,
                                 const char          *query,
                                 int                 *error_start,
                                 int                 *error_end,
                                 GError             **error)
{
  g_autoptr(LanPacketFilter) filter = NULL;
  LanPacketFilterChange change;

  g_return_val_if_fail (LAN_IS_PACKET_LOG_FILTER (self), FALSE);

  filter = lan_packet_filter_new (query, error_start, error_end, error);
  if (filter == NULL)
    return FALSE;

  if (self->peers != NULL)
    lan_packet_filter_set_peers (filter, self->peers);

  change = lan_packet_filter_compare (self->filter, filter);
  g_set_object (&self->filter, filter);

  switch (change)
    {
    case LAN_PACKET_FILTER_SAME:
      break;
    case LAN_PACKET_FILTER_LESS_STRICT:
      gtk_filter_changed (GTK_FILTER (self), GTK_FILTER_CHANGE_LESS_STRICT);
      break;
    case LAN_PACKET_FILTER_MORE_STRICT:
      gtk_filter_changed (GTK_FILTER (self), GTK_FILTER_CHANGE_MORE_STRICT);
      break;
    case LAN_PACKET_FILTER_DIFFERENT:
    default:
      gtk_filter_changed (GTK_FILTER (self), GTK_FILTER_CHANGE_DIFFERENT);
      break;
    }

  return TRUE;
}

static const char *
get_query (LanPacketLogFilter *self)
{
  const char *query = lan_packet_filter_get_query (self->filter);

  return query != NULL ? query : "";
}

gboolean
lan_packet_log_filter_is_empty (LanPacketLogFilter *self)
{
  g_return_val_if_fail (LAN_IS_PACKET_LOG_FILTER (self), TRUE);

  return lan_packet_filter_is_empty (self->filter);
}

void
lan_packet_log_filter_set_peers (LanPacketLogFilter *self,
                                 LanPeerList        *peers)
{
  g_return_if_fail (LAN_IS_PACKET_LOG_FILTER (self));

  if (self->peers == peers)
    return;

  if (self->peers != NULL)
    g_signal_handlers_disconnect_by_data (self->peers, self);
  g_set_object (&self->peers, peers);
  if (peers != NULL)
    g_signal_connect_swapped (peers, "items-changed", G_CALLBACK (on_peers_items_changed), self);

  lan_packet_filter_set_peers (self->filter, peers);
  on_peers_items_changed (self);
}
