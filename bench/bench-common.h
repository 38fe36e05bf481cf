/* bench-common.h — what the benchmark programs share: realistic datagrams,
 * CPU pinning, the clock, memory use.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Datagrams such as a busy LAN carries (presence, answers, replies to
 * nothing), 100–200 bytes each, made for sender @sender; NUL-separated
 * sections included. Returns GBytes. */
GPtrArray *bench_make_datagrams (guint sender);
/* A message datagram of 100–200 bytes with packet number @number, into @buf
 * (at least 256 bytes); returns its length. For filling a log. */
gsize      bench_format_message (char    *buf,
                                 guint64  number);
/* Pin the calling thread to @cpu; -1 leaves it free. */
void       bench_pin_cpu        (int      cpu);
/* Monotonic seconds. */
double     bench_now            (void);
/* VmRSS of this process in bytes, from /proc/self/status. */
gsize      bench_rss            (void);

G_END_DECLS
