/* lan-test-await.h — waiting on the main context with a deadline.
 *
 * No sleeps: the thread-default main context is iterated until the
 * condition holds or the deadline passes, so engines keep running while a
 * test waits. A 5 ms tick wakes the loop now and then, for conditions on
 * things outside it (a raw socket, the clock).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* What a test waits for at most, unless it says otherwise. */
#define LAN_TEST_DEADLINE_MS 5000

typedef gboolean (*LanTestPredicate) (gpointer user_data);

/* Until @predicate (@user_data) holds; returns whether it did in time. */
gboolean lan_test_await           (LanTestPredicate  predicate,
                                   gpointer          user_data,
                                   guint             timeout_ms);
/* Until *@location is not NULL. */
gboolean lan_test_await_pointer   (gpointer         *location,
                                   guint             timeout_ms);
/* Until the boolean @property of @object is @value. */
gboolean lan_test_await_boolean   (gpointer          object,
                                   const char       *property,
                                   gboolean          value,
                                   guint             timeout_ms);
/* Until the unsigned (or int, or enum) @property of @object is @value. */
gboolean lan_test_await_uint      (gpointer          object,
                                   const char       *property,
                                   guint             value,
                                   guint             timeout_ms);
/* Until @signal of @instance has been emitted once from now on; returns how
 * many times it was (0: not in time). */
guint    lan_test_await_signal    (gpointer          instance,
                                   const char       *signal,
                                   guint             timeout_ms);
/* Run what is ready now, without blocking, until nothing is. */
void     lan_test_drain           (void);

/* Counts emissions of a signal from the moment it is made. */
typedef struct _LanTestSignal LanTestSignal;

/* Returns: (transfer full) */
LanTestSignal *lan_test_signal_watch  (gpointer        instance,
                                       const char     *signal);
guint          lan_test_signal_count  (LanTestSignal  *watch);
/* Until @watch has counted @count emissions in all; returns the count. */
guint          lan_test_signal_await  (LanTestSignal  *watch,
                                       guint           count,
                                       guint           timeout_ms);
/* The arguments of the last emission, after the instance, or NULL.
 * Returns: (transfer none) (nullable) */
const GValue  *lan_test_signal_last_args (LanTestSignal *watch,
                                          guint         *n_args);
void           lan_test_signal_free   (LanTestSignal  *watch);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LanTestSignal, lan_test_signal_free)

G_END_DECLS
