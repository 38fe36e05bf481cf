/* lan-history-budget.h — how much strangers may write to the history.
 *
 * Every incoming message is stored before it is acknowledged, so a flood
 * of messages from made-up senders would fill the disk. Senders we have
 * written to (in this session or in any stored conversation) are known and
 * never throttled; anyone else gets a few rows and bytes a minute, and all
 * strangers together a bounded share (lan-bounds.h). A message over budget
 * is shown but not stored, and so not acknowledged (see lan-inbox.c).
 * Main-loop only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "lan-history.h"

G_BEGIN_DECLS

typedef struct _LanHistoryBudget LanHistoryBudget;

/* Returns: (transfer full) */
LanHistoryBudget *lan_history_budget_new        (void);
void              lan_history_budget_free       (LanHistoryBudget *self);

/* We wrote to @identity: known from now on. */
void              lan_history_budget_mark_known (LanHistoryBudget *self,
                                                 const char       *identity);
gboolean          lan_history_budget_is_known   (LanHistoryBudget *self,
                                                 const char       *identity);
/* Everyone @history shows we wrote to becomes known. */
gboolean          lan_history_budget_load_known (LanHistoryBudget *self,
                                                 LanHistory       *history,
                                                 GError          **error);
/* Whether an incoming message of @bytes from @identity may be stored at
 * @now_us (monotonic); if so, it is counted. */
gboolean          lan_history_budget_admit      (LanHistoryBudget *self,
                                                 const char       *identity,
                                                 gsize             bytes,
                                                 gint64            now_us);
/* Messages refused so far. */
guint64           lan_history_budget_get_refused (LanHistoryBudget *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LanHistoryBudget, lan_history_budget_free)

G_END_DECLS
