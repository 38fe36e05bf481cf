/* lan-window-sidebar.h — the main window's list of people.
 *
 * One list: an "Everyone" entry (the broadcast conversation) followed by
 * the people (LanPeople: online first, then offline, each by name),
 * filtered by the search entry.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "lan-messenger.h"
#include "lan-people.h"

G_BEGIN_DECLS

typedef struct _LanWindowSidebar LanWindowSidebar;

/* Fills @list_view from @people, filtered by @search_entry.
 * Returns: (transfer full): the sidebar; free it once the widgets are
 * disposed. */
LanWindowSidebar   *lan_window_sidebar_new           (LanMessenger     *messenger,
                                                      LanPeople        *people,
                                                      GtkSearchEntry   *search_entry,
                                                      GtkListView      *list_view);
void                lan_window_sidebar_free          (LanWindowSidebar *self);
/* Returns: (transfer none): what @list_view shows and selects: Everyone's
 * conversation first, then the people (LanPerson) that match the search. */
GtkSingleSelection *lan_window_sidebar_get_selection (LanWindowSidebar *self);
/* Selects @person, clearing a search that hides it. */
void                lan_window_sidebar_select_person (LanWindowSidebar *self,
                                                      LanPerson        *person);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LanWindowSidebar, lan_window_sidebar_free)

G_END_DECLS
