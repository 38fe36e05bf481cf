/* lan-application-identity.c — watching while a window is open; the move question.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-application-identity"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "lan-application-identity.h"
#include "lan-display-text.h"

static void
update_watching (GtkApplication *application,
                 GtkWindow      *window,
                 LanMessenger   *messenger)
{
  /* Someone may be looking at the list only while a window is open: closed
   * (running in the background), nothing wakes the machine to ask. */
  lan_identity_set_watching (lan_messenger_get_identity (messenger),
                             gtk_application_get_windows (application) != NULL);
}

static void
on_move_response (AdwMessageDialog *dialog,
                  const char       *response,
                  LanIdentity      *identity)
{
  LanPeer *peer = g_object_get_data (G_OBJECT (dialog), "lan-peer");

  if (g_strcmp0 (response, "send") == 0 && peer != NULL)
    lan_identity_follow_move (identity, peer);
}

static void
on_move_question (LanIdentity  *identity,
                  LanPeer      *peer,
                  const char   *old_key,
                  guint         n_waiting,
                  GApplication *application)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (application));
  g_autofree char *name = lan_display_text (lan_peer_get_nickname (peer), LAN_DISPLAY_TEXT_ONE_LINE, 100);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  /* Translators: "Alice is now at 10.77.0.4" */
  heading = g_strdup_printf (_("%s is now at %s"), name, lan_peer_get_address (peer));
  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u message is waiting for them. It was meant for %s, which no longer "
                                       "answers. Send it to the new address? Another computer can use the "
                                       "same name.",
                                       "%u messages are waiting for them. They were meant for %s, which no "
                                       "longer answers. Send them to the new address? Another computer can "
                                       "use the same name.",
                                       n_waiting),
                          n_waiting, old_key);
  dialog = adw_message_dialog_new (parent, heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "keep", _("_Keep Waiting"),
                                    "send", _("_Send"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "send", ADW_RESPONSE_SUGGESTED);
  /* Nothing goes anywhere unless the user says so. */
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  g_object_set_data_full (G_OBJECT (dialog), "lan-peer", g_object_ref (peer), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_move_response), identity, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
lan_application_identity_setup (GtkApplication *application,
                                LanMessenger   *messenger)
{
  g_return_if_fail (GTK_IS_APPLICATION (application));
  g_return_if_fail (LAN_IS_MESSENGER (messenger));

  g_signal_connect_object (application, "window-added", G_CALLBACK (update_watching), messenger, 0);
  g_signal_connect_object (application, "window-removed", G_CALLBACK (update_watching), messenger, 0);
  g_signal_connect_object (lan_messenger_get_identity (messenger), "move-question",
                           G_CALLBACK (on_move_question), application, 0);
}
