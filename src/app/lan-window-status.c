/* lan-window-status.c — the header bar's subtitle and the status pages.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-window-status"

#include "config.h"

#include <glib/gi18n.h>

#include "lan-display-text.h"
#include "lan-window-status.h"

/* Header bar: who am I, where am I, how many are here. */
void
lan_window_status_update_title (const LanWindowStatus *status,
                                LanMessenger          *messenger)
{
  g_autofree char *nickname = NULL;
  g_autofree char *safe_nickname = NULL;
  g_autofree char *peers = NULL;
  g_autofree char *subtitle = NULL;
  g_autoptr(GPtrArray) addresses = lan_messenger_dup_local_addresses (messenger);
  guint n_peers = g_list_model_get_n_items (G_LIST_MODEL (lan_messenger_get_peers (messenger)));

  g_object_get (messenger, "nickname", &nickname, NULL);
  safe_nickname = lan_display_text (nickname, LAN_DISPLAY_TEXT_ONE_LINE, LAN_DISPLAY_TEXT_ALL);

  if (!lan_messenger_get_running (messenger))
    /* Translators: window subtitle: your nickname · state */
    subtitle = g_strdup_printf (_("%s · not listening"), safe_nickname);
  else
    {
      peers = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u person online", "%u people online", n_peers), n_peers);
      if (addresses->len > 0)
        {
          /* Where others find us, not the bind address ("0.0.0.0:2425" means nothing to anyone). */
          g_autofree char *where = NULL;

          g_ptr_array_add (addresses, NULL);
          where = g_strjoinv (", ", (char **) addresses->pdata);
          /* Translators: window subtitle: your nickname · your addresses · number of people online */
          subtitle = g_strdup_printf (_("%s · %s · %s"), safe_nickname, where, peers);
        }
      else
        /* Translators: window subtitle: your nickname · number of people online */
        subtitle = g_strdup_printf (_("%s · %s"), safe_nickname, peers);
    }

  adw_window_title_set_subtitle (status->window_title, subtitle);
}

static gboolean
get_network_available (LanMessenger *messenger)
{
  gboolean available = TRUE;

  g_object_get (messenger, "network-available", &available, NULL);
  return available;
}

static void
update_port_page (const LanWindowStatus *status,
                  GSettings             *settings,
                  const GError          *error)
{
  guint port = g_settings_get_uint (settings, "port");
  g_autofree char *title = g_strdup_printf (_("Port %u Is Already in Use"), port);
  g_autofree char *reason = lan_display_text (error->message, LAN_DISPLAY_TEXT_ONE_LINE, LAN_DISPLAY_TEXT_ALL);
  /* The messenger's message says what is wrong and what to do; add what
   * a new port means for the others. */
  g_autofree char *description =
    g_strdup_printf ("%s\n\n%s", reason,
                     _("People on the network see you only if they use the same port."));
  /* AdwStatusPage parses its description as markup. */
  g_autofree char *escaped = g_markup_escape_text (description, -1);

  adw_status_page_set_title (status->port_page, title);
  adw_status_page_set_description (status->port_page, escaped);
  gtk_spin_button_set_value (status->port_spin, port);
}

/* Why the messenger stopped by itself (a rebind that failed), if it did.
 * Returns: (transfer full) (nullable): the reason. */
static char *
dup_messenger_error (LanMessenger *messenger)
{
  g_autofree char *error = NULL;

  if (lan_messenger_get_running (messenger))
    return NULL;

  g_object_get (messenger, "error", &error, NULL);
  return g_steal_pointer (&error);
}

/* The port others must use is the one we are on, not the default. */
static void
update_empty_page (const LanWindowStatus *status,
                   LanMessenger          *messenger)
{
  GtkWidget *page = gtk_stack_get_child_by_name (status->content_stack, "empty");
  g_autofree char *description = NULL;
  g_autofree char *escaped = NULL;
  guint port = 0;

  g_object_get (messenger, "port", &port, NULL);
  description = g_strdup_printf (_("Lanchat asked everyone on the network to answer, and nobody has so far. "
                                   "Others must use an IP Messenger client (Lanchat, IP Messenger, iptux, FeiQ) "
                                   "on the same port, %u. A firewall must let UDP and TCP port %u through. "
                                   "People on another subnet are only reached through extra targets in Preferences."),
                                 port, port);
  /* AdwStatusPage parses its description as markup. */
  escaped = g_markup_escape_text (description, -1);
  adw_status_page_set_description (ADW_STATUS_PAGE (page), escaped);
}

static const char *
choose_page (LanApplication *application,
             LanMessenger   *messenger,
             gboolean        nothing_to_show)
{
  const GError *error = lan_application_get_start_error (application);
  g_autofree char *messenger_error = NULL;

  if (error != NULL)
    return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE) ? "port-in-use" : "start-failed";

  messenger_error = dup_messenger_error (messenger);
  if (messenger_error != NULL)
    return "start-failed";

  if (nothing_to_show)
    return get_network_available (messenger) ? "empty" : "no-network";

  return "conversation";
}

void
lan_window_status_update_page (const LanWindowStatus *status,
                               LanApplication        *application,
                               LanMessenger          *messenger,
                               GSettings             *settings,
                               gboolean               nothing_to_show)
{
  const GError *error = lan_application_get_start_error (application);
  const char *page = choose_page (application, messenger, nothing_to_show);

  if (g_str_equal (page, "port-in-use"))
    update_port_page (status, settings, error);
  else if (g_str_equal (page, "start-failed"))
    {
      g_autofree char *messenger_error = dup_messenger_error (messenger);
      g_autofree char *reason =
        lan_display_text (error != NULL ? error->message : messenger_error, LAN_DISPLAY_TEXT_ONE_LINE, LAN_DISPLAY_TEXT_ALL);
      g_autofree char *escaped = g_markup_escape_text (reason, -1);

      adw_status_page_set_description (status->start_failed_page, escaped);
    }
  /* Always, so the page is right whenever it shows (the port may have changed). */
  update_empty_page (status, messenger);

  gtk_stack_set_visible_child_name (status->content_stack, page);

  /* The status pages say it already; the banner is for when people are
   * shown but may be out of reach. */
  gtk_revealer_set_reveal_child (status->network_banner,
                                 g_str_equal (page, "conversation") &&
                                 !get_network_available (messenger));
}
