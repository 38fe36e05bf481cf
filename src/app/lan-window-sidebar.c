/* lan-window-sidebar.c — the window's list of people.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-window-sidebar"

#include "config.h"

#include <string.h>

#include "lan-people.h"
#include "lan-peer-row.h"
#include "lan-window-sidebar.h"

struct _LanWindowSidebar
{
  LanMessenger       *messenger;
  LanPeople          *people;
  GtkSearchEntry     *search_entry;

  GListStore         *everyone_store;
  GtkCustomFilter    *peer_filter;
  GtkSortListModel   *sorted_peers;
  GtkSingleSelection *selection;
  char               *search_folded;
};

static gboolean
contains_folded (const char *haystack,
                 const char *needle)
{
  g_autofree char *folded = NULL;

  if (haystack == NULL)
    return FALSE;

  folded = g_utf8_casefold (haystack, -1);
  return strstr (folded, needle) != NULL;
}

static gboolean
person_matches_search (gpointer item,
                       gpointer user_data)
{
  LanWindowSidebar *self = user_data;
  LanPerson *person = item;
  LanPeer *peer = lan_person_get_peer (person);

  if (self->search_folded == NULL || *self->search_folded == '\0')
    return TRUE;

  return contains_folded (lan_peer_get_nickname (peer), self->search_folded) ||
         contains_folded (lan_person_get_identity (person), self->search_folded) ||
         contains_folded (lan_person_get_last_message (person), self->search_folded) ||
         contains_folded (lan_peer_get_user (peer), self->search_folded) ||
         contains_folded (lan_peer_get_host (peer), self->search_folded) ||
         contains_folded (lan_peer_get_group (peer), self->search_folded) ||
         contains_folded (lan_peer_get_address (peer), self->search_folded);
}

/* Online first, then by name. */
static int
compare_people (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  LanPerson *person_a = (LanPerson *) a;
  LanPerson *person_b = (LanPerson *) b;
  LanPeer *peer_a = lan_person_get_peer (person_a);
  LanPeer *peer_b = lan_person_get_peer (person_b);
  int result = (int) lan_person_get_online (person_b) - (int) lan_person_get_online (person_a);

  if (result != 0)
    return result;
  result = g_utf8_collate (lan_peer_get_nickname (peer_a), lan_peer_get_nickname (peer_b));
  if (result != 0)
    return result;
  result = g_strcmp0 (lan_person_get_identity (person_a), lan_person_get_identity (person_b));
  if (result != 0)
    return result;
  return g_strcmp0 (lan_peer_get_key (peer_a), lan_peer_get_key (peer_b));
}

static void
on_search_changed (LanWindowSidebar *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *folded = g_utf8_casefold (text, -1);
  GtkFilterChange change = GTK_FILTER_CHANGE_DIFFERENT;

  if (self->search_folded != NULL && strstr (folded, self->search_folded) != NULL)
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (self->search_folded != NULL && strstr (self->search_folded, folded) != NULL)
    change = GTK_FILTER_CHANGE_LESS_STRICT;

  g_free (self->search_folded);
  self->search_folded = g_steal_pointer (&folded);
  gtk_filter_changed (GTK_FILTER (self->peer_filter), change);
}

static void
on_stop_search (LanWindowSidebar *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
sidebar_setup (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  gtk_list_item_set_child (item, lan_peer_row_new ());
}

static void
sidebar_bind (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  LanWindowSidebar *self = user_data;
  LanPeerRow *row = LAN_PEER_ROW (gtk_list_item_get_child (item));
  gpointer object = gtk_list_item_get_item (item);

  if (LAN_IS_PERSON (object))
    lan_peer_row_bind_person (row, object, lan_people_get_conversation (self->people, object));
  else
    lan_peer_row_bind_everyone (row, LAN_CONVERSATION (object));
}

static void
sidebar_unbind (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  lan_peer_row_unbind (LAN_PEER_ROW (gtk_list_item_get_child (item)));
}

LanWindowSidebar *
lan_window_sidebar_new (LanMessenger   *messenger,
                        LanPeople      *people,
                        GtkSearchEntry *search_entry,
                        GtkListView    *list_view)
{
  g_autoptr(GtkListItemFactory) factory = NULL;
  g_autoptr(GListStore) sections = NULL;
  GtkFilterListModel *filtered;
  LanWindowSidebar *self;

  g_return_val_if_fail (LAN_IS_MESSENGER (messenger), NULL);
  g_return_val_if_fail (LAN_IS_PEOPLE (people), NULL);
  g_return_val_if_fail (GTK_IS_SEARCH_ENTRY (search_entry), NULL);
  g_return_val_if_fail (GTK_IS_LIST_VIEW (list_view), NULL);

  self = g_new0 (LanWindowSidebar, 1);
  self->messenger = g_object_ref (messenger);
  self->people = g_object_ref (people);
  self->search_entry = g_object_ref (search_entry);
  factory = gtk_signal_list_item_factory_new ();
  sections = g_list_store_new (G_TYPE_LIST_MODEL);

  self->everyone_store = g_list_store_new (G_TYPE_OBJECT);
  g_list_store_append (self->everyone_store,
                       lan_messenger_get_broadcast_conversation (self->messenger));

  self->peer_filter = gtk_custom_filter_new (person_matches_search, self, NULL);
  filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (people)),
                                        g_object_ref (GTK_FILTER (self->peer_filter)));
  self->sorted_peers = gtk_sort_list_model_new (G_LIST_MODEL (filtered),
                                                GTK_SORTER (gtk_custom_sorter_new (compare_people, NULL, NULL)));

  g_list_store_append (sections, self->everyone_store);
  g_list_store_append (sections, self->sorted_peers);
  self->selection =
    gtk_single_selection_new (G_LIST_MODEL (gtk_flatten_list_model_new (g_object_ref (G_LIST_MODEL (sections)))));
  /* Filtering the shown peer away must not pick another one. */
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);

  g_signal_connect (factory, "setup", G_CALLBACK (sidebar_setup), self);
  g_signal_connect (factory, "bind", G_CALLBACK (sidebar_bind), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (sidebar_unbind), self);
  gtk_list_view_set_factory (list_view, factory);
  gtk_list_view_set_model (list_view, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_swapped (search_entry, "search-changed",
                            G_CALLBACK (on_search_changed), self);
  g_signal_connect_swapped (search_entry, "stop-search",
                            G_CALLBACK (on_stop_search), self);
  gtk_search_entry_set_key_capture_widget (search_entry, GTK_WIDGET (list_view));
  return self;
}

void
lan_window_sidebar_free (LanWindowSidebar *self)
{
  if (self == NULL)
    return;

  /* The search entry and the filter call back with @self; the list view
   * let go of the factory, which does too, when it was disposed. */
  g_signal_handlers_disconnect_by_data (self->search_entry, self);
  gtk_custom_filter_set_filter_func (self->peer_filter, NULL, NULL, NULL);

  g_clear_object (&self->selection);
  g_clear_object (&self->sorted_peers);
  g_clear_object (&self->peer_filter);
  g_clear_object (&self->everyone_store);
  g_clear_pointer (&self->search_folded, g_free);
  g_clear_object (&self->search_entry);
  g_clear_object (&self->people);
  g_clear_object (&self->messenger);
  g_free (self);
}

GtkSingleSelection *
lan_window_sidebar_get_selection (LanWindowSidebar *self)
{
  return self->selection;
}

void
lan_window_sidebar_select_person (LanWindowSidebar *self,
                                  LanPerson        *person)
{
  GListModel *model = G_LIST_MODEL (self->selection);
  guint n;

  /* The person may be hidden by a search. */
  if (!person_matches_search (person, self))
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");

  n = g_list_model_get_n_items (model);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      if (item == (GObject *) person)
        {
          gtk_single_selection_set_selected (self->selection, i);
          return;
        }
    }
}
