/* lan-message-search.c — find stored messages, in this conversation or in all.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-message-search"

#include "config.h"

#include <glib/gi18n.h>

#include "lan-application.h"
#include "lan-display-text.h"
#include "lan-history-search.h"
#include "lan-message-search.h"
#include "lan-window.h"

/* A person reads a screenful; more asks for better words. */
#define RESULTS_MAX 100

struct _LanMessageSearch
{
  GtkWidget     parent_instance;

  LanMessenger *messenger;
  char         *identity;

  GtkSearchBar *bar;
  GtkEditable  *entry;
  GtkCheckButton *all;
  GtkWidget    *scroller;
  GtkListBox   *results;
  GtkLabel     *status;
};

G_DEFINE_FINAL_TYPE (LanMessageSearch, lan_message_search, GTK_TYPE_WIDGET)

static char *
describe_result (LanMessageSearch        *self,
                 const LanHistoryMessage *message)
{
  GtkApplication *application = GTK_APPLICATION (g_application_get_default ());
  LanPeople *people = LAN_IS_APPLICATION (application) ? lan_application_get_people (LAN_APPLICATION (application)) : NULL;
  LanPerson *person = people != NULL ? lan_people_lookup (people, message->identity) : NULL;
  g_autofree char *who = NULL;
  g_autofree char *text = lan_display_text (message->text, LAN_DISPLAY_TEXT_ONE_LINE, LAN_DISPLAY_TEXT_ALL);
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (message->time_us / G_USEC_PER_SEC);
  g_autofree char *when = time != NULL ? g_date_time_format (time, "%x %H:%M") : g_strdup ("");

  if (message->direction == LAN_DIRECTION_OUT)
    who = g_strdup (_("You"));
  else if (g_str_equal (message->identity, "*"))
    who = g_strdup (_("Everyone"));
  else
    who = lan_display_text (person != NULL ? lan_peer_get_nickname (lan_person_get_peer (person))
                                           : message->identity,
                            LAN_DISPLAY_TEXT_ONE_LINE, LAN_DISPLAY_TEXT_ALL);
  /* Translators: a search result: time, who wrote, the message */
  return g_strdup_printf (_("%s · %s: %s"), when, who, text);
}

static void
clear_results (LanMessageSearch *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->results))) != NULL)
    gtk_list_box_remove (self->results, child);
}

static void
run_search (LanMessageSearch *self)
{
  const char *words = gtk_editable_get_text (self->entry);
  gboolean all = gtk_check_button_get_active (self->all);
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;

  clear_results (self);
  gtk_widget_set_visible (self->scroller, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->status), FALSE);
  {
    g_autofree char *stripped = g_strstrip (g_strdup (words));

    if (self->messenger == NULL || *stripped == '\0')
      return;
  }

  g_object_get (self->messenger, "history-path", &path, NULL);
  if (path != NULL)
    found = lan_history_search (path, all ? NULL : self->identity, words, RESULTS_MAX, &error);
  if (found == NULL || found->len == 0)
    {
      gtk_label_set_text (self->status, path == NULL ? _("History is off: there is nothing to search")
                                        : error != NULL ? error->message : _("No messages found"));
      gtk_widget_set_visible (GTK_WIDGET (self->status), TRUE);
      return;
    }
  for (guint i = 0; i < found->len; i++)
    {
      const LanHistoryMessage *message = g_ptr_array_index (found, i);
      g_autofree char *line = describe_result (self, message);
      GtkWidget *label = gtk_label_new (line);
      GtkWidget *row = gtk_list_box_row_new ();

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_set_margin_start (label, 6);
      gtk_widget_set_margin_end (label, 6);
      gtk_widget_set_margin_top (label, 3);
      gtk_widget_set_margin_bottom (label, 3);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
      g_object_set_data_full (G_OBJECT (row), "identity", g_strdup (message->identity), g_free);
      g_object_set_data_full (G_OBJECT (row), "history-id", g_memdup2 (&message->id, sizeof message->id), g_free);
      gtk_list_box_append (self->results, row);
    }
  gtk_widget_set_visible (self->scroller, TRUE);
}

static void
on_row_activated (LanMessageSearch *self,
                  GtkListBoxRow    *row)
{
  LanWindow *window = LAN_WINDOW (gtk_widget_get_ancestor (GTK_WIDGET (self), LAN_TYPE_WINDOW));
  const char *identity = g_object_get_data (G_OBJECT (row), "identity");
  gint64 id = *(gint64 *) g_object_get_data (G_OBJECT (row), "history-id");
  LanConversation *conversation;
  guint n;

  lan_window_open_conversation (window, g_str_equal (identity, "*") ? "" : identity);
  conversation = lan_window_get_conversation (window);
  if (conversation == NULL || g_strcmp0 (lan_conversation_get_peer_key (conversation), identity) != 0)
    return;
  n = g_list_model_get_n_items (G_LIST_MODEL (conversation));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LanMessage) message = g_list_model_get_item (G_LIST_MODEL (conversation), i);

      if (lan_message_get_history_id (message) == id)
        {
          gtk_widget_activate_action (lan_window_get_message_list_view (window),
                                      "list.scroll-to-item", "u", i);
          return;
        }
    }
  lan_window_show_toast (window, _("That message is older than what the conversation shows"));
}

void
lan_message_search_set_messenger (LanMessageSearch *self,
                                  LanMessenger     *messenger)
{
  g_return_if_fail (LAN_IS_MESSAGE_SEARCH (self));

  g_set_object (&self->messenger, messenger);
}

void
lan_message_search_open (LanMessageSearch *self,
                         const char       *identity)
{
  g_return_if_fail (LAN_IS_MESSAGE_SEARCH (self));

  g_free (self->identity);
  self->identity = g_strdup (identity);
  gtk_check_button_set_active (self->all, identity == NULL);
  gtk_search_bar_set_search_mode (self->bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
  run_search (self);
}

GtkEditable *
lan_message_search_get_entry (LanMessageSearch *self)
{
  g_return_val_if_fail (LAN_IS_MESSAGE_SEARCH (self), NULL);
  return self->entry;
}

GtkListBox *
lan_message_search_get_results (LanMessageSearch *self)
{
  g_return_val_if_fail (LAN_IS_MESSAGE_SEARCH (self), NULL);
  return self->results;
}

static void
lan_message_search_dispose (GObject *object)
{
  LanMessageSearch *self = LAN_MESSAGE_SEARCH (object);

  g_clear_pointer ((GtkWidget **) &self->bar, gtk_widget_unparent);
  g_clear_object (&self->messenger);
  g_clear_pointer (&self->identity, g_free);
  G_OBJECT_CLASS (lan_message_search_parent_class)->dispose (object);
}

static void
lan_message_search_class_init (LanMessageSearchClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = lan_message_search_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
lan_message_search_init (LanMessageSearch *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *entry = gtk_search_entry_new ();

  /* The bar centres its child: let it take the conversation's width. */
  gtk_widget_set_hexpand (box, TRUE);

  self->bar = GTK_SEARCH_BAR (gtk_search_bar_new ());
  gtk_search_bar_set_show_close_button (self->bar, TRUE);
  gtk_widget_set_parent (GTK_WIDGET (self->bar), GTK_WIDGET (self));

  self->entry = GTK_EDITABLE (entry);
  gtk_widget_set_hexpand (entry, TRUE);
  g_object_set (entry, "placeholder-text", _("Search messages"), NULL);
  gtk_search_bar_connect_entry (self->bar, self->entry);
  self->all = GTK_CHECK_BUTTON (gtk_check_button_new_with_mnemonic (_("_All conversations")));
  gtk_box_append (GTK_BOX (line), entry);
  gtk_box_append (GTK_BOX (line), GTK_WIDGET (self->all));
  gtk_box_append (GTK_BOX (box), line);

  self->status = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->status), "dim-label");
  gtk_widget_set_visible (GTK_WIDGET (self->status), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->status));

  self->results = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_activate_on_single_click (self->results, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->results), "boxed-list");
  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (self->scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (self->scroller), 240);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), GTK_WIDGET (self->results));
  gtk_widget_set_visible (self->scroller, FALSE);
  gtk_box_append (GTK_BOX (box), self->scroller);
  gtk_search_bar_set_child (self->bar, box);

  g_signal_connect_swapped (entry, "search-changed", G_CALLBACK (run_search), self);
  g_signal_connect_swapped (self->all, "toggled", G_CALLBACK (run_search), self);
  g_signal_connect_swapped (self->results, "row-activated", G_CALLBACK (on_row_activated), self);
}
