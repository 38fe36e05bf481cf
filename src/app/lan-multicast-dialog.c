/* lan-multicast-dialog.c — one message to several people (MULTICASTOPT).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-multicast-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "lan-display-text.h"
#include "lan-multicast-dialog.h"

typedef struct {
  LanPerson      *person;
  GtkCheckButton *check;
  GtkLabel       *status;
  LanMessage     *message;
} Choice;

struct _LanMulticastDialog
{
  AdwWindow     parent_instance;

  LanMessenger *messenger;
  GArray       *choices;   /* Choice */
  GtkEditable  *entry;
  GtkWidget    *send_button;
  GtkLabel     *error_label;
};

G_DEFINE_FINAL_TYPE (LanMulticastDialog, lan_multicast_dialog, ADW_TYPE_WINDOW)

static const char *
delivery_text (LanMessage *message)
{
  switch (lan_message_get_state (message))
    {
    case LAN_MESSAGE_SENDING: return _("Sending…");
    case LAN_MESSAGE_DELIVERED: return _("Delivered");
    case LAN_MESSAGE_READ: return _("Read");
    case LAN_MESSAGE_FAILED: return _("Not delivered");
    case LAN_MESSAGE_QUEUED: return _("Waiting for them to come back");
    default: return _("Sent");
    }
}

static void
on_message_state (LanMulticastDialog *self)
{
  for (guint i = 0; i < self->choices->len; i++)
    {
      Choice *choice = &g_array_index (self->choices, Choice, i);

      if (choice->message != NULL)
        gtk_label_set_text (choice->status, delivery_text (choice->message));
    }
}

static void
update_send (LanMulticastDialog *self)
{
  gboolean any = FALSE;
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (self->entry)));

  for (guint i = 0; i < self->choices->len; i++)
    any |= gtk_check_button_get_active (g_array_index (self->choices, Choice, i).check);
  gtk_widget_set_sensitive (self->send_button, any && *text != '\0');
}

void
lan_multicast_dialog_send (LanMulticastDialog *self)
{
  g_autoptr(GPtrArray) peers = g_ptr_array_new ();
  g_autoptr(GPtrArray) chosen = g_ptr_array_new ();
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (LAN_IS_MULTICAST_DIALOG (self));

  for (guint i = 0; i < self->choices->len; i++)
    {
      Choice *choice = &g_array_index (self->choices, Choice, i);

      if (!gtk_check_button_get_active (choice->check))
        continue;
      g_ptr_array_add (peers, lan_person_get_peer (choice->person));
      g_ptr_array_add (chosen, choice);
    }
  if (peers->len == 0)
    return;
  messages = lan_messenger_send_multicast (self->messenger, (LanPeer **) peers->pdata, peers->len,
                                           gtk_editable_get_text (self->entry), &error);
  if (messages == NULL)
    {
      g_autofree char *reason = lan_display_text (error->message, LAN_DISPLAY_TEXT_ONE_LINE, LAN_DISPLAY_TEXT_ALL);

      gtk_label_set_text (self->error_label, reason);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  for (guint i = 0; i < messages->len && i < chosen->len; i++)
    {
      Choice *choice = g_ptr_array_index (chosen, i);

      g_set_object (&choice->message, g_ptr_array_index (messages, i));
      g_signal_connect_object (choice->message, "notify::state", G_CALLBACK (on_message_state), self,
                               G_CONNECT_SWAPPED);
      gtk_widget_set_visible (GTK_WIDGET (choice->status), TRUE);
    }
  on_message_state (self);
  /* Sent once: what follows is watching it arrive. */
  gtk_editable_set_text (self->entry, "");
}

gboolean
lan_multicast_dialog_choose (LanMulticastDialog *self,
                             LanPerson          *person,
                             gboolean            chosen)
{
  g_return_val_if_fail (LAN_IS_MULTICAST_DIALOG (self), FALSE);

  for (guint i = 0; i < self->choices->len; i++)
    {
      Choice *choice = &g_array_index (self->choices, Choice, i);

      if (choice->person == person)
        {
          gtk_check_button_set_active (choice->check, chosen);
          return TRUE;
        }
    }
  return FALSE;
}

GtkEditable *
lan_multicast_dialog_get_entry (LanMulticastDialog *self)
{
  g_return_val_if_fail (LAN_IS_MULTICAST_DIALOG (self), NULL);
  return self->entry;
}

const char *
lan_multicast_dialog_get_status (LanMulticastDialog *self,
                                 LanPerson          *person)
{
  g_return_val_if_fail (LAN_IS_MULTICAST_DIALOG (self), NULL);

  for (guint i = 0; i < self->choices->len; i++)
    {
      Choice *choice = &g_array_index (self->choices, Choice, i);

      if (choice->person == person)
        return choice->message != NULL ? gtk_label_get_text (choice->status) : NULL;
    }
  return NULL;
}

static void
choice_clear (Choice *choice)
{
  g_clear_object (&choice->person);
  g_clear_object (&choice->message);
}

static void
lan_multicast_dialog_dispose (GObject *object)
{
  LanMulticastDialog *self = LAN_MULTICAST_DIALOG (object);

  g_clear_pointer (&self->choices, g_array_unref);
  g_clear_object (&self->messenger);
  G_OBJECT_CLASS (lan_multicast_dialog_parent_class)->dispose (object);
}

static void
lan_multicast_dialog_class_init (LanMulticastDialogClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = lan_multicast_dialog_dispose;
}

static void
lan_multicast_dialog_init (LanMulticastDialog *self)
{
  self->choices = g_array_new (FALSE, TRUE, sizeof (Choice));
  g_array_set_clear_func (self->choices, (GDestroyNotify) choice_clear);
}

static void
add_person_row (LanMulticastDialog *self,
                GtkListBox         *list,
                LanPerson          *person)
{
  LanPeer *peer = lan_person_get_peer (person);
  g_autofree char *name = lan_display_text (lan_peer_get_nickname (peer), LAN_DISPLAY_TEXT_ONE_LINE, LAN_DISPLAY_TEXT_ALL);
  g_autofree char *identity = lan_display_text (lan_person_get_identity (person), LAN_DISPLAY_TEXT_ONE_LINE, LAN_DISPLAY_TEXT_ALL);
  g_autofree char *title = g_markup_escape_text (name, -1);
  g_autofree char *subtitle = g_markup_escape_text (identity, -1);
  GtkWidget *row = adw_action_row_new ();
  Choice choice = { 0 };

  /* Titles of preferences rows are markup; ours are text from the network. */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  choice.person = g_object_ref (person);
  choice.check = GTK_CHECK_BUTTON (gtk_check_button_new ());
  choice.status = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_visible (GTK_WIDGET (choice.status), FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (choice.status), "dim-label");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), GTK_WIDGET (choice.check));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (choice.status));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), GTK_WIDGET (choice.check));
  g_signal_connect_swapped (choice.check, "toggled", G_CALLBACK (update_send), self);
  g_array_append_val (self->choices, choice);
  gtk_list_box_append (list, row);
}

GtkWidget *
lan_multicast_dialog_new (GtkWindow    *parent,
                          LanMessenger *messenger,
                          LanPeople    *people)
{
  LanMulticastDialog *self;
  GtkWidget *box, *content, *header, *scroller, *list, *entry_line, *entry;
  guint n;

  g_return_val_if_fail (LAN_IS_MESSENGER (messenger), NULL);
  g_return_val_if_fail (LAN_IS_PEOPLE (people), NULL);

  self = g_object_new (LAN_TYPE_MULTICAST_DIALOG,
                       "title", _("New Message to Several People"),
                       "modal", TRUE,
                       "transient-for", parent,
                       "default-width", 420,
                       "default-height", 480,
                       NULL);
  self->messenger = g_object_ref (messenger);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  gtk_box_append (GTK_BOX (box), header);
  content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_start (content, 12);
  gtk_widget_set_margin_end (content, 12);
  gtk_widget_set_margin_top (content, 12);
  gtk_widget_set_margin_bottom (content, 12);
  gtk_box_append (GTK_BOX (box), content);

  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  n = g_list_model_get_n_items (G_LIST_MODEL (people));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LanPerson) person = g_list_model_get_item (G_LIST_MODEL (people), i);

      /* An acknowledged send needs someone there: the offline wait in their own conversation. */
      if (lan_person_get_online (person))
        add_person_row (self, GTK_LIST_BOX (list), person);
    }
  if (self->choices->len == 0)
    {
      GtkWidget *none = gtk_label_new (_("Nobody is online"));

      gtk_widget_add_css_class (none, "dim-label");
      gtk_list_box_set_placeholder (GTK_LIST_BOX (list), none);
    }
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), list);
  gtk_box_append (GTK_BOX (content), scroller);

  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->error_label));

  entry_line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  entry = gtk_entry_new ();
  self->entry = GTK_EDITABLE (entry);
  gtk_widget_set_hexpand (entry, TRUE);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Message to everyone chosen"));
  self->send_button = gtk_button_new_with_mnemonic (_("_Send"));
  gtk_widget_add_css_class (self->send_button, "suggested-action");
  gtk_widget_set_sensitive (self->send_button, FALSE);
  gtk_box_append (GTK_BOX (entry_line), entry);
  gtk_box_append (GTK_BOX (entry_line), self->send_button);
  gtk_box_append (GTK_BOX (content), entry_line);

  g_signal_connect_swapped (entry, "changed", G_CALLBACK (update_send), self);
  g_signal_connect_swapped (entry, "activate", G_CALLBACK (lan_multicast_dialog_send), self);
  g_signal_connect_swapped (self->send_button, "clicked", G_CALLBACK (lan_multicast_dialog_send), self);
  adw_window_set_content (ADW_WINDOW (self), box);
  return GTK_WIDGET (self);
}
