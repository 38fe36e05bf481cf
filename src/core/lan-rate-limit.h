/* lan-rate-limit.h — how much we answer each source address.
 *
 * Anyone can send a datagram with a victim's address as its source; every
 * automatic answer (ANSENTRY, RECVMSG, info answers, the away reply) would
 * then go to the victim. So each source address has a token bucket, in
 * bytes: it earns half the bytes that came from it plus a small steady
 * refill, up to a burst, and an answer goes out only if the bucket holds
 * its size. Under a flood, bytes at the victim ≤ half the flood's bytes +
 * the refill + one burst; a real peer (its own bucket) is answered as before.
 * The away reply, besides, goes to each address at most once a minute.
 * Our own messages, their resends and outbox flushes spend the same bucket
 * (lan-sender.c), so a spoofed message can't make the answer a bot sends
 * amplify either; an acknowledgement gives their bytes back.
 *
 * The table of sources is bounded (lan-bounds.h), least recently heard
 * first out. Main-loop only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "lan-types.h"

G_BEGIN_DECLS

typedef struct _LanRateLimit LanRateLimit;

/* Returns: (transfer full) */
LanRateLimit *lan_rate_limit_new            (void);
void          lan_rate_limit_free           (LanRateLimit *self);

/* @len bytes came from @from at @now_us (monotonic). */
void          lan_rate_limit_earn           (LanRateLimit *self,
                                             LanEndpoint   from,
                                             gsize         len,
                                             gint64        now_us);
/* Whether an answer of @len bytes may go to @to now; if so, it is spent. */
gboolean      lan_rate_limit_spend          (LanRateLimit *self,
                                             LanEndpoint   to,
                                             gsize         len,
                                             gint64        now_us);
/* The same for a message of ours (not an answer): it may not take the
 * bucket below LAN_RATE_LIMIT_RESERVE_BYTES, which is kept for answers.
 * Without it, resends to a peer that restarted would spend everything and
 * our answer to its entry would be refused: it could never learn who we
 * are, and would keep our messages only within a stranger's budget. */
gboolean      lan_rate_limit_spend_own      (LanRateLimit *self,
                                             LanEndpoint   to,
                                             gsize         len,
                                             gint64        now_us);
/* @to acknowledged @len bytes we sent it: it wanted them, so they are
 * given back (up to the burst) and a live peer is never slowed down. */
void          lan_rate_limit_refund         (LanRateLimit *self,
                                             LanEndpoint   to,
                                             gsize         len,
                                             gint64        now_us);
/* Whether an automatic (away) reply may go to @to now: not within a
 * minute of the last one; if so, that minute starts. */
gboolean      lan_rate_limit_auto_reply_due (LanRateLimit *self,
                                             LanEndpoint   to,
                                             gint64        now_us);
/* Answers refused so far, and sources in the table. */
guint64       lan_rate_limit_get_refused    (LanRateLimit *self);
guint         lan_rate_limit_get_n_sources  (LanRateLimit *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LanRateLimit, lan_rate_limit_free)

G_END_DECLS
