/* lan-window-sidebar.h — the main window's list of people.
 *
 * One list: an "Everyone" entry (the broadcast conversation) followed by
 * the peers, filtered by the search entry and sorted by name.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "lan-messenger.h"

G_BEGIN_DECLS

typedef struct _LanWindowSidebar LanWindowSidebar;

/* Fills @list_view from @messenger's peers, filtered by @search_entry.
 * Returns: (transfer full): the sidebar; free it once the widgets are
 * disposed. */
LanWindowSidebar   *lan_window_sidebar_new           (LanMessenger     *messenger,
                                                      GtkSearchEntry   *search_entry,
                                                      GtkListView      *list_view);
void                lan_window_sidebar_free          (LanWindowSidebar *self);
/* Returns: (transfer none): what @list_view shows and selects: Everyone's
 * conversation first, then the peers that match the search. */
GtkSingleSelection *lan_window_sidebar_get_selection (LanWindowSidebar *self);
/* Selects @peer, clearing a search that hides it. */
void                lan_window_sidebar_select_peer   (LanWindowSidebar *self,
                                                      LanPeer          *peer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LanWindowSidebar, lan_window_sidebar_free)

G_END_DECLS
