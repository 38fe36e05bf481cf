/* lan-history-budget.c — rows and bytes per stranger per minute, and for
 * all strangers together.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-history-budget"

#include "config.h"

#include "lan-bounds.h"
#include "lan-history-budget.h"

#define MINUTE_US (60 * G_USEC_PER_SEC)

/* What one sender (or all strangers) wrote in the current minute. */
typedef struct {
  gint64 start_us;
  guint  rows;
  gsize  bytes;
} Window;

typedef struct {
  char   *identity;
  Window  window;
  GList   link;        /* in lru; data = this */
} Stranger;

struct _LanHistoryBudget
{
  GHashTable *known;      /* identity set */
  GHashTable *strangers;  /* identity → Stranger */
  GQueue      lru;        /* Stranger, least recently heard first */
  Window      all;        /* every stranger together */
  guint64     refused;
};

static void
stranger_free (Stranger *stranger)
{
  g_free (stranger->identity);
  g_free (stranger);
}

LanHistoryBudget *
lan_history_budget_new (void)
{
  LanHistoryBudget *self = g_new0 (LanHistoryBudget, 1);

  self->known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->strangers = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) stranger_free);
  g_queue_init (&self->lru);
  self->all.start_us = G_MININT64 / 2;
  return self;
}

void
lan_history_budget_free (LanHistoryBudget *self)
{
  if (self == NULL)
    return;
  g_hash_table_destroy (self->strangers);
  g_hash_table_destroy (self->known);
  g_free (self);
}

void
lan_history_budget_mark_known (LanHistoryBudget *self,
                               const char       *identity)
{
  if (identity == NULL || g_hash_table_contains (self->known, identity))
    return;
  /* The people one writes to: a bound only against a runaway, never reached
   * by the network (only our own sends add to it). */
  if (g_hash_table_size (self->known) >= LAN_HISTORY_KNOWN_MAX)
    return;
  g_hash_table_add (self->known, g_strdup (identity));
}

gboolean
lan_history_budget_load_known (LanHistoryBudget  *self,
                               LanHistory        *history,
                               GError           **error)
{
  g_autoptr(GPtrArray) identities = lan_history_list_written_to (history, error);

  if (identities == NULL)
    return FALSE;
  for (guint i = 0; i < identities->len; i++)
    lan_history_budget_mark_known (self, g_ptr_array_index (identities, i));
  return TRUE;
}

gboolean
lan_history_budget_is_known (LanHistoryBudget *self,
                             const char       *identity)
{
  return identity != NULL && g_hash_table_contains (self->known, identity);
}

static gboolean
window_fits (Window *window,
             guint   max_rows,
             gsize   max_bytes,
             gsize   bytes,
             gint64  now_us)
{
  if (now_us - window->start_us >= MINUTE_US)
    {
      window->start_us = now_us;
      window->rows = 0;
      window->bytes = 0;
    }
  return window->rows + 1 <= max_rows && window->bytes + bytes <= max_bytes;
}

static Stranger *
touch (LanHistoryBudget *self,
       const char       *identity)
{
  Stranger *stranger = g_hash_table_lookup (self->strangers, identity);

  if (stranger != NULL)
    {
      g_queue_unlink (&self->lru, &stranger->link);
      g_queue_push_tail_link (&self->lru, &stranger->link);
      return stranger;
    }
  /* One forgotten starts a fresh minute: the budget of all strangers
   * together still holds. */
  if (g_hash_table_size (self->strangers) >= LAN_HISTORY_STRANGERS_KEPT)
    {
      Stranger *oldest = g_queue_pop_head_link (&self->lru)->data;

      g_hash_table_remove (self->strangers, oldest->identity);
    }
  stranger = g_new0 (Stranger, 1);
  stranger->identity = g_strdup (identity);
  stranger->window.start_us = G_MININT64 / 2;
  stranger->link.data = stranger;
  g_hash_table_insert (self->strangers, stranger->identity, stranger);
  g_queue_push_tail_link (&self->lru, &stranger->link);
  return stranger;
}

gboolean
lan_history_budget_admit (LanHistoryBudget *self,
                          const char       *identity,
                          gsize             bytes,
                          gint64            now_us)
{
  Stranger *stranger;

  if (lan_history_budget_is_known (self, identity))
    return TRUE;

  stranger = touch (self, identity != NULL ? identity : "");
  if (!window_fits (&stranger->window, LAN_HISTORY_STRANGER_ROWS_PER_MIN,
                    LAN_HISTORY_STRANGER_BYTES_PER_MIN, bytes, now_us) ||
      !window_fits (&self->all, LAN_HISTORY_STRANGERS_ROWS_PER_MIN,
                    LAN_HISTORY_STRANGERS_BYTES_PER_MIN, bytes, now_us))
    {
      self->refused++;
      return FALSE;
    }
  stranger->window.rows++;
  stranger->window.bytes += bytes;
  self->all.rows++;
  self->all.bytes += bytes;
  return TRUE;
}

guint64
lan_history_budget_get_refused (LanHistoryBudget *self)
{
  return self->refused;
}
