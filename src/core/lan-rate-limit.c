/* lan-rate-limit.c — a token bucket per source address, LRU-bounded.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-rate-limit"

#include "config.h"

#include "lan-bounds.h"
#include "lan-rate-limit.h"

/* One source address (the port doesn't matter: the victim is the host). */
typedef struct {
  guint32  address;
  double   tokens;          /* bytes we may still send it */
  gint64   updated_us;
  gint64   auto_reply_us;   /* last away reply, 0 for none */
  GList    link;            /* in lru; data = this */
} Source;

struct _LanRateLimit
{
  GHashTable *sources;      /* guint32 address → Source */
  GQueue      lru;          /* least recently heard first */
  guint64     refused;
};

LanRateLimit *
lan_rate_limit_new (void)
{
  LanRateLimit *self = g_new0 (LanRateLimit, 1);

  self->sources = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  g_queue_init (&self->lru);
  return self;
}

void
lan_rate_limit_free (LanRateLimit *self)
{
  if (self == NULL)
    return;
  g_hash_table_destroy (self->sources);
  g_free (self);
}

static void
refill (Source *source,
        gint64  now_us)
{
  gint64 elapsed = now_us - source->updated_us;

  if (elapsed > 0)
    {
      source->tokens = MIN ((double) LAN_RATE_LIMIT_BURST_BYTES,
                            source->tokens + (double) elapsed * LAN_RATE_LIMIT_BYTES_PER_S / G_USEC_PER_SEC);
      source->updated_us = now_us;
    }
}

/* The source for @address, made (with a full bucket: a newcomer's first
 * entry is answered) or moved to the recent end. */
static Source *
touch (LanRateLimit *self,
       guint32       address,
       gint64        now_us)
{
  Source *source = g_hash_table_lookup (self->sources, GUINT_TO_POINTER (address));

  if (source != NULL)
    {
      g_queue_unlink (&self->lru, &source->link);
      g_queue_push_tail_link (&self->lru, &source->link);
      refill (source, now_us);
      return source;
    }

  if (g_hash_table_size (self->sources) >= LAN_RATE_LIMIT_SOURCES)
    {
      GList *oldest = g_queue_pop_head_link (&self->lru);

      g_hash_table_remove (self->sources, GUINT_TO_POINTER (((Source *) oldest->data)->address));
    }
  source = g_new0 (Source, 1);
  source->address = address;
  source->tokens = LAN_RATE_LIMIT_BURST_BYTES;
  source->updated_us = now_us;
  source->link.data = source;
  g_hash_table_insert (self->sources, GUINT_TO_POINTER (address), source);
  g_queue_push_tail_link (&self->lru, &source->link);
  return source;
}

void
lan_rate_limit_earn (LanRateLimit *self,
                     LanEndpoint   from,
                     gsize         len,
                     gint64        now_us)
{
  Source *source = touch (self, from.address, now_us);

  source->tokens = MIN ((double) LAN_RATE_LIMIT_BURST_BYTES,
                        source->tokens + (double) len * LAN_RATE_LIMIT_EARN_PERCENT / 100.0);
}

gboolean
lan_rate_limit_spend (LanRateLimit *self,
                      LanEndpoint   to,
                      gsize         len,
                      gint64        now_us)
{
  Source *source = touch (self, to.address, now_us);

  if (source->tokens < (double) len)
    {
      self->refused++;
      return FALSE;
    }
  source->tokens -= (double) len;
  return TRUE;
}

gboolean
lan_rate_limit_spend_own (LanRateLimit *self,
                          LanEndpoint   to,
                          gsize         len,
                          gint64        now_us)
{
  Source *source = touch (self, to.address, now_us);

  if (source->tokens < (double) len + LAN_RATE_LIMIT_RESERVE_BYTES)
    {
      self->refused++;
      return FALSE;
    }
  source->tokens -= (double) len;
  return TRUE;
}

void
lan_rate_limit_refund (LanRateLimit *self,
                       LanEndpoint   to,
                       gsize         len,
                       gint64        now_us)
{
  Source *source = touch (self, to.address, now_us);

  source->tokens = MIN ((double) LAN_RATE_LIMIT_BURST_BYTES, source->tokens + (double) len);
}

gboolean
lan_rate_limit_auto_reply_due (LanRateLimit *self,
                               LanEndpoint   to,
                               gint64        now_us)
{
  Source *source = touch (self, to.address, now_us);

  if (source->auto_reply_us != 0 &&
      now_us - source->auto_reply_us < (gint64) LAN_AUTO_REPLY_INTERVAL_S * G_USEC_PER_SEC)
    return FALSE;
  source->auto_reply_us = now_us;
  return TRUE;
}

guint64
lan_rate_limit_get_refused (LanRateLimit *self)
{
  return self->refused;
}

guint
lan_rate_limit_get_n_sources (LanRateLimit *self)
{
  return g_hash_table_size (self->sources);
}
