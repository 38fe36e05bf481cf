/* lan-packet-filter.c — parse a search query once, match many rows fast.
 *
 * The query is read into terms by lan-packet-filter-parse.c, a row tested
 * against each term by lan-packet-filter-match.c; this file holds the
 * object, which runs the terms cheapest first, and the comparison of two
 * filters that lets a view re-filter only what can change.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-packet-filter"

#include "config.h"

#include <string.h>

#include "lan-packet-filter.h"
#include "lan-packet-filter-term.h"

struct _LanPacketFilter
{
  GObject      parent_instance;

  char        *query;
  GPtrArray   *terms;      /* LanPacketFilterTerm, as written */
  GPtrArray   *by_cost;    /* the same, cheapest first */
  LanPeerList *peers;
};

G_DEFINE_FINAL_TYPE (LanPacketFilter, lan_packet_filter, G_TYPE_OBJECT)

G_DEFINE_QUARK (lan-packet-filter-error-quark, lan_packet_filter_error)

static void
lan_packet_filter_finalize (GObject *object)
{
  LanPacketFilter *self = LAN_PACKET_FILTER (object);

  g_free (self->query);
  g_clear_pointer (&self->by_cost, g_ptr_array_unref);
  g_clear_pointer (&self->terms, g_ptr_array_unref);
  g_clear_object (&self->peers);
  G_OBJECT_CLASS (lan_packet_filter_parent_class)->finalize (object);
}

static void
lan_packet_filter_class_init (LanPacketFilterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lan_packet_filter_finalize;
}

static void
lan_packet_filter_init (LanPacketFilter *self)
{
  self->terms = g_ptr_array_new_with_free_func ((GDestroyNotify) lan_packet_filter_term_free);
  self->by_cost = g_ptr_array_new ();
}

static int
compare_cost (gconstpointer a,
              gconstpointer b)
{
  const LanPacketFilterTerm *ta = *(LanPacketFilterTerm * const *) a;
  const LanPacketFilterTerm *tb = *(LanPacketFilterTerm * const *) b;

  return ta->cost - tb->cost;
}

LanPacketFilter *
lan_packet_filter_new (const char  *query,
                       int         *error_start,
                       int         *error_end,
                       GError     **error)
{
  g_autoptr(LanPacketFilter) self = g_object_new (LAN_TYPE_PACKET_FILTER, NULL);

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Offsets and folding want valid UTF-8; a pasted stray byte becomes U+FFFD. */
  self->query = g_utf8_make_valid (query != NULL ? query : "", -1);
  if (!lan_packet_filter_parse_terms (self->query, self->terms, error_start, error_end, error))
    return NULL;

  for (guint i = 0; i < self->terms->len; i++)
    g_ptr_array_add (self->by_cost, g_ptr_array_index (self->terms, i));
  /* Stable enough: equal costs keep no meaningful order. */
  g_ptr_array_sort (self->by_cost, compare_cost);

  return g_steal_pointer (&self);
}

const char *
lan_packet_filter_get_query (LanPacketFilter *self)
{
  g_return_val_if_fail (LAN_IS_PACKET_FILTER (self), NULL);

  return self->query;
}

gboolean
lan_packet_filter_is_empty (LanPacketFilter *self)
{
  g_return_val_if_fail (LAN_IS_PACKET_FILTER (self), TRUE);

  return self->terms->len == 0;
}

void
lan_packet_filter_set_peers (LanPacketFilter *self,
                             LanPeerList     *peers)
{
  g_return_if_fail (LAN_IS_PACKET_FILTER (self));

  g_set_object (&self->peers, peers);
}

/* Matching */

gboolean
lan_packet_filter_match (LanPacketFilter   *self,
                         LanPacketLogEntry *entry)
{
  gboolean matches = TRUE;

  g_return_val_if_fail (LAN_IS_PACKET_FILTER (self), FALSE);
  g_return_val_if_fail (LAN_IS_PACKET_LOG_ENTRY (entry), FALSE);

  /* A row that left the log while a view still held it has nothing to match. */
  if (lan_packet_log_entry_get_evicted (entry))
    return self->terms->len == 0;

  for (guint i = 0; i < self->by_cost->len && matches; i++)
    {
      LanPacketFilterTerm *term = g_ptr_array_index (self->by_cost, i);

      matches = lan_packet_filter_term_matches (term, self->peers, entry) != term->negate;
    }
  return matches;
}

/* Comparing */

/* Every row @strict matches, @loose matches too. */
static gboolean
term_implies (LanPacketFilterTerm *strict,
              LanPacketFilterTerm *loose)
{
  const char *s, *l;

  if (g_str_equal (strict->canonical, loose->canonical))
    return TRUE;
  if (strict->key != loose->key || strict->negate != loose->negate ||
      strict->needles == NULL || loose->needles == NULL || strict->blocks != NULL ||
      loose->blocks != NULL || strict->needles->len != 1 || loose->needles->len != 1)
    return FALSE;
  s = g_ptr_array_index (strict->needles, 0);
  l = g_ptr_array_index (loose->needles, 0);
  /* Containing "alice" implies containing "alic"; lacking "alic" implies lacking "alice". */
  return strict->negate ? strstr (l, s) != NULL : strstr (s, l) != NULL;
}

/* Every row @strict matches, @loose matches: each of @loose's terms is implied. */
static gboolean
filter_implies (LanPacketFilter *strict,
                LanPacketFilter *loose)
{
  for (guint i = 0; i < loose->terms->len; i++)
    {
      LanPacketFilterTerm *want = g_ptr_array_index (loose->terms, i);
      gboolean found = FALSE;

      for (guint j = 0; j < strict->terms->len && !found; j++)
        found = term_implies (g_ptr_array_index (strict->terms, j), want);
      if (!found)
        return FALSE;
    }
  return TRUE;
}

LanPacketFilterChange
lan_packet_filter_compare (LanPacketFilter *old_filter,
                           LanPacketFilter *new_filter)
{
  gboolean more, less;

  g_return_val_if_fail (LAN_IS_PACKET_FILTER (old_filter), LAN_PACKET_FILTER_DIFFERENT);
  g_return_val_if_fail (LAN_IS_PACKET_FILTER (new_filter), LAN_PACKET_FILTER_DIFFERENT);

  /* Nicknames come from the peer list: another list is another filter. */
  if (old_filter->peers != new_filter->peers)
    return LAN_PACKET_FILTER_DIFFERENT;

  more = filter_implies (new_filter, old_filter);
  less = filter_implies (old_filter, new_filter);
  if (more && less)
    return LAN_PACKET_FILTER_SAME;
  if (more)
    return LAN_PACKET_FILTER_MORE_STRICT;
  if (less)
    return LAN_PACKET_FILTER_LESS_STRICT;
  return LAN_PACKET_FILTER_DIFFERENT;
}
