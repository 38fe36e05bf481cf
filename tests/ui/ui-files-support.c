/* ui-files-support.c — see ui-files-support.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-ui-files-support"

#include "config.h"

#include <gtk/gtk.h>

#include "lan-file-transfer.h"
#include "lan-message.h"
#include "lan-window.h"

#include "ui-files-support.h"
#include "ui-test-support.h"
#include "ui-window-fixture.h"

LanConversation *
bob_conversation (void)
{
  return lan_messenger_get_conversation (app_messenger (), BOB_KEY);
}

gboolean
bob_has_offer (gpointer data)
{
  LanMessage *message = last_message (lan_messenger_get_conversation (bob, APP_KEY));

  return message != NULL && lan_message_get_files (message) != NULL &&
         g_strcmp0 (lan_message_get_text (message), data) == 0;
}

gboolean
transfer_ended (gpointer transfer)
{
  return lan_file_transfer_is_finished (transfer);
}

static gboolean
is_attachment_chips (GtkWidget *widget,
                     gpointer   data)
{
  return GTK_IS_BOX (widget) && gtk_widget_has_css_class (widget, "attachment-chips");
}

guint
count_chips (void)
{
  GtkWidget *chips = find_widget (GTK_WIDGET (get_window ()), is_attachment_chips, NULL);
  guint n = 0;

  if (chips == NULL || !gtk_widget_get_mapped (chips))
    return 0;
  for (GtkWidget *child = gtk_widget_get_first_child (chips); child != NULL; child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

gboolean
chips_are (gpointer data)
{
  return count_chips () == GPOINTER_TO_UINT (data);
}
