/* lan-window-status.c — the header bar's subtitle and the status pages.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-window-status"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

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

/* The history banner: made here, next to the network banner, the first
 * time the page is updated, and kept right by the messenger's history
 * properties from then on. A toast says it once; this stays while it is
 * true, because every message meanwhile is affected. */
#define HISTORY_BANNER_NAME "history_banner"

/* Why there is no history file, when the app could not make its folder.
 * Returns: (transfer full) */
static char *
dup_folder_problem (void)
{
  g_autofree char *directory = g_build_filename (g_get_user_data_dir (), "lanchat", NULL);

  /* The same step the app took at start, for its reason now. */
  if (g_mkdir_with_parents (directory, 0700) != 0)
    {
      int saved_errno = errno;

      /* Translators: the folder Lanchat keeps its history in, then why it can't be made */
      return g_strdup_printf (_("cannot create the folder %s: %s"), directory, g_strerror (saved_errno));
    }
  /* Translators: the folder Lanchat keeps its history in */
  return g_strdup_printf (_("the folder %s could not be created when Lanchat started"), directory);
}

/* The banner's text, or NULL when messages are being saved.
 * Returns: (transfer full) (nullable) */
static char *
dup_history_problem (LanMessenger *messenger)
{
  g_autofree char *path = NULL;
  g_autofree char *error = NULL;
  g_autofree char *reason = NULL;

  g_object_get (messenger, "history-path", &path, "history-error", &error, NULL);
  if (error != NULL)
    {
      reason = lan_display_text (error, LAN_DISPLAY_TEXT_ONE_LINE, LAN_DISPLAY_TEXT_ALL);
      /* The sentence goes on after it. */
      if (g_str_has_suffix (reason, "."))
        reason[strlen (reason) - 1] = '\0';
      /* lan-inbox.c: without a history that works, nothing is acknowledged. */
      /* Translators: %s says why the history can't be written or opened */
      return g_strdup_printf (_("Messages are not being saved: %s. Messages that arrive are shown "
                                "but not confirmed, so their senders see them as not delivered; "
                                "what is shown now is gone when Lanchat quits."), reason);
    }
  if (path == NULL)
    {
      g_autofree char *problem = dup_folder_problem ();

      reason = lan_display_text (problem, LAN_DISPLAY_TEXT_ONE_LINE, LAN_DISPLAY_TEXT_ALL);
      /* Translators: %s says why there is no history */
      return g_strdup_printf (_("Messages are not being saved: %s. Messages are sent and received, "
                                "but gone when Lanchat quits."), reason);
    }
  return NULL;
}

static void
update_history_banner (LanMessenger *messenger,
                       GParamSpec   *pspec,
                       GtkRevealer  *banner)
{
  g_autofree char *problem = dup_history_problem (messenger);
  GtkLabel *label = g_object_get_data (G_OBJECT (banner), "lan-label");

  if (problem != NULL)
    gtk_label_set_text (label, problem);
  gtk_revealer_set_reveal_child (banner, problem != NULL);
}

static void
ensure_history_banner (const LanWindowStatus *status,
                       LanMessenger          *messenger)
{
  GtkWidget *network = GTK_WIDGET (status->network_banner);
  GtkWidget *parent = gtk_widget_get_parent (network);
  GtkWidget *banner, *box, *icon, *label;

  for (GtkWidget *child = gtk_widget_get_first_child (parent); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (g_strcmp0 (gtk_widget_get_name (child), HISTORY_BANNER_NAME) == 0)
      return;

  banner = gtk_revealer_new ();
  gtk_widget_set_name (banner, HISTORY_BANNER_NAME);
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_add_css_class (box, "lan-banner");
  icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  label = gtk_label_new (NULL);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_revealer_set_child (GTK_REVEALER (banner), box);
  g_object_set_data (G_OBJECT (banner), "lan-label", label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (banner), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("History problem"), -1);
  if (GTK_IS_BOX (parent))
    gtk_box_insert_child_after (GTK_BOX (parent), banner, network);
  else
    gtk_widget_insert_after (banner, parent, network);

  g_signal_connect_object (messenger, "notify::history-error", G_CALLBACK (update_history_banner), banner, 0);
  g_signal_connect_object (messenger, "notify::history-path", G_CALLBACK (update_history_banner), banner, 0);
  update_history_banner (messenger, NULL, GTK_REVEALER (banner));
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
  ensure_history_banner (status, messenger);

  gtk_stack_set_visible_child_name (status->content_stack, page);

  /* The status pages say it already; the banner is for when people are
   * shown but may be out of reach. */
  gtk_revealer_set_reveal_child (status->network_banner,
                                 g_str_equal (page, "conversation") &&
                                 !get_network_available (messenger));
}
