/* lan-application.c — the app: one messenger, its settings, windows, notifications.
 *
 * The messenger lives as long as the application, not a window: a closed
 * window must not make the person vanish from everyone's list while the
 * app still runs (for instance when started by D-Bus activation or a
 * notification).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-application"

#include "config.h"

#include <errno.h>

#include <glib/gi18n.h>

#include "lan-application.h"
#include "lan-application-identity.h"
#include "lan-messenger-settings.h"
#include "lan-background.h"
#include "lan-preferences-window.h"
#include "lan-display-text.h"
#include "lan-offer-format.h"
#include "lan-offer-saved.h"
#include "lan-window-size.h"
#include "lan-window.h"

#define NOTIFICATION_BODY_MAX_CHARS 200

struct _LanApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  LanMessenger   *messenger;
  LanPeople      *people;
  LanOfferSaved  *offer_saved;
  GError         *start_error;
  /* Held while "run-in-background": closing the window does not quit. */
  gboolean        held;
  gboolean        background_asked;
  /* A problem found before any window could show it. */
  char           *pending_problem;
};

G_DEFINE_FINAL_TYPE (LanApplication, lan_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_MESSENGER,
  PROP_START_ERROR,
  N_PROPS
};

enum {
  SIGNAL_PROBLEM,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static LanWindow *
ensure_window (LanApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  LanWindow *created;

  if (LAN_IS_WINDOW (window))
    return LAN_WINDOW (window);

  created = lan_window_new (self);
  /* A development build's striped header bar tells it from the release. */
  if (DEVELOPMENT_PROFILE)
    gtk_widget_add_css_class (GTK_WIDGET (created), "devel");
  return created;
}

static void
report_problem (LanApplication *self,
                const char     *message)
{
  if (gtk_application_get_windows (GTK_APPLICATION (self)) == NULL)
    {
      g_free (self->pending_problem);
      self->pending_problem = g_strdup (message);
      return;
    }

  g_signal_emit (self, signals[SIGNAL_PROBLEM], 0, message);
}

gboolean
lan_application_restart_messenger (LanApplication *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *bind_address = NULL;
  guint port;

  g_return_val_if_fail (LAN_IS_APPLICATION (self), FALSE);

  /* Port and address only take effect at the next start, so a failed bind
   * is reported by restart() rather than lost inside a property change. */
  port = g_settings_get_uint (self->settings, "port");
  bind_address = g_settings_get_string (self->settings, "bind-address");
  g_object_set (self->messenger,
                "port", port,
                "bind-address", *bind_address != '\0' ? bind_address : NULL,
                NULL);

  g_clear_error (&self->start_error);
  if (!lan_messenger_restart (self->messenger, &error))
    self->start_error = g_steal_pointer (&error);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_START_ERROR]);

  return self->start_error == NULL;
}

static void
on_bind_setting_changed (LanApplication *self)
{
  lan_application_restart_messenger (self);
}

static void
apply_targets (LanApplication *self)
{
  g_autoptr(GError) error = NULL;

  if (!lan_messenger_settings_apply_targets (self->messenger, self->settings, &error))
    {
      g_autofree char *message = g_strdup_printf (_("An extra target was skipped: %s"),
                                                  error->message);
      report_problem (self, message);
    }
}

static void
on_targets_changed (LanApplication *self)
{
  apply_targets (self);

  /* New targets have not heard our entry yet. */
  if (lan_messenger_get_running (self->messenger))
    lan_messenger_announce (self->messenger);
}

static char *
notification_id_for (const char *peer_key)
{
  return g_strconcat ("message-", peer_key, NULL);
}

/* Where conversations and the outbox live, so that nothing acknowledged
 * is lost when Lanchat quits (in a Flatpak this is inside its sandbox). */
static void
set_up_history (LanApplication *self)
{
  g_autofree char *directory = g_build_filename (g_get_user_data_dir (), DATA_DIR_NAME, NULL);
  g_autofree char *path = g_build_filename (directory, "history.sqlite", NULL);

  if (g_mkdir_with_parents (directory, 0700) != 0)
    {
      int saved_errno = errno;
      g_autofree char *message =
        g_strdup_printf (_("Messages will not be kept after Lanchat quits: cannot create %s: %s"),
                         directory, g_strerror (saved_errno));

      report_problem (self, message);
      return;
    }

  g_object_set (self->messenger, "history-path", path, NULL);
}

static void
on_history_error_notify (LanApplication *self)
{
  g_autofree char *error = NULL;

  g_object_get (self->messenger, "history-error", &error, NULL);
  if (error != NULL)
    report_problem (self, error);
}

static void
on_message_received (LanApplication *self,
                     LanPeer        *peer,
                     LanMessage     *message)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autoptr(GNotification) notification = NULL;
  g_autoptr(GIcon) icon = NULL;
  g_autofree char *title = NULL;
  g_autofree char *text = NULL;
  g_autofree char *body = NULL;
  g_autofree char *id = NULL;

  if (!g_settings_get_boolean (self->settings, "notifications"))
    return;
  if (window != NULL && gtk_window_is_active (window))
    return;

  title = lan_display_text (lan_peer_get_nickname (peer), LAN_DISPLAY_TEXT_ONE_LINE, LAN_DISPLAY_TEXT_ALL);
  text = lan_display_text (lan_message_get_text (message), LAN_DISPLAY_TEXT_LINES, LAN_DISPLAY_TEXT_ALL);
  if (lan_message_get_files (message) != NULL)
    {
      g_autofree char *words = g_steal_pointer (&text);
      g_autofree char *files = lan_offer_format_summary (lan_message_get_files (message));

      /* Translators: a notification: the files offered, then the words that came with them */
      text = *words != '\0' ? g_strdup_printf (_("Offers %s\n%s"), files, words)
                            : g_strdup_printf (_("Offers %s"), files);
    }
  body = lan_display_text_ellipsize (text, NOTIFICATION_BODY_MAX_CHARS);

  id = notification_id_for (lan_peer_get_key (peer));

  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  icon = g_themed_icon_new (APP_ID);
  g_notification_set_icon (notification, icon);
  g_notification_set_default_action_and_target (notification, "app.open-conversation",
                                                "s", lan_peer_get_key (peer));
  g_application_send_notification (G_APPLICATION (self), id, notification);
}

static void
open_conversation_action (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  LanApplication *self = LAN_APPLICATION (user_data);
  const char *peer_key = g_variant_get_string (parameter, NULL);
  g_autofree char *id = notification_id_for (peer_key);
  LanWindow *window = ensure_window (self);

  lan_window_open_conversation (window, peer_key);
  gtk_window_present (GTK_WINDOW (window));
  g_application_withdraw_notification (G_APPLICATION (self), id);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  LanApplication *self = LAN_APPLICATION (user_data);
  GtkWindow *parent = GTK_WINDOW (ensure_window (self));
  GtkWidget *preferences = lan_preferences_window_new (parent, self->settings);

  gtk_window_present (GTK_WINDOW (preferences));
}

static void
on_clear_history_response (AdwMessageDialog *dialog,
                           const char       *response,
                           LanApplication   *self)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "clear") != 0)
    return;
  if (!lan_messenger_clear_history (self->messenger, &error))
    {
      GtkWidget *failed = adw_message_dialog_new (gtk_window_get_transient_for (GTK_WINDOW (dialog)),
                                                  _("History Not Cleared"), error->message);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (failed), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (failed));
    }
}

static void
clear_history_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  LanApplication *self = LAN_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *dialog = adw_message_dialog_new (parent, _("Clear All History?"),
                                              _("Every conversation is deleted from this computer, "
                                                "and messages still waiting to be sent are dropped. "
                                                "This cannot be undone."));

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "clear", _("C_lear"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "clear",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_clear_history_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static char *
build_debug_info (LanApplication *self)
{
  const LanMessengerStats *stats = lan_messenger_get_stats (self->messenger);
  g_autofree char *listen = NULL;
  GString *info = g_string_new (NULL);

  g_object_get (self->messenger, "listen-address", &listen, NULL);

  g_string_append_printf (info, "Lanchat %s (%s, profile %s)\n", PACKAGE_VERSION, APP_ID, PROFILE);
  g_string_append_printf (info, "GTK %u.%u.%u, libadwaita %u.%u.%u, GLib %u.%u.%u\n",
                          gtk_get_major_version (), gtk_get_minor_version (),
                          gtk_get_micro_version (),
                          adw_get_major_version (), adw_get_minor_version (),
                          adw_get_micro_version (),
                          glib_major_version, glib_minor_version, glib_micro_version);
  g_string_append_printf (info, "listening: %s\n", listen ? listen : "no");
  if (self->start_error != NULL)
    g_string_append_printf (info, "start error: %s\n", self->start_error->message);
  g_string_append_printf (info, "peers: %u\n",
                          g_list_model_get_n_items (G_LIST_MODEL (lan_messenger_get_peers (self->messenger))));
  g_string_append_printf (info,
                          "datagrams received %" G_GUINT64_FORMAT ", sent %" G_GUINT64_FORMAT
                          ", malformed %" G_GUINT64_FORMAT ", duplicates %" G_GUINT64_FORMAT
                          ", resends %" G_GUINT64_FORMAT ", send errors %" G_GUINT64_FORMAT "\n",
                          stats->received, stats->sent, stats->malformed, stats->duplicates,
                          stats->resends, stats->send_errors);

  return g_string_free (info, FALSE);
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  LanApplication *self = LAN_APPLICATION (user_data);
  static const char *developers[] = { "The Lanchat developers", NULL };
  g_autofree char *debug_info = build_debug_info (self);
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "modal", TRUE,
                        "application-name", _("Lanchat"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Lanchat developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Chat with people on your local network, no server needed. "
                                      "Speaks IP Messenger, so it talks to IP Messenger, iptux and FeiQ."),
                        "website", "https://github.com/lanchat/lanchat",
                        "issue-url", "https://github.com/lanchat/lanchat/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "copyright", _("© 2026 The Lanchat developers"),
                        "developers", developers,
                        /* Translators: put your names here, one per line */
                        "translator-credits", _("translator-credits"),
                        "debug-info", debug_info,
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  LanApplication *self = user_data;

  /* Quitting skips the windows' close requests, where the size is kept. */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (LAN_IS_WINDOW (l->data) && gtk_widget_get_visible (l->data))
      lan_window_size_save (l->data, self->settings);
  g_application_quit (G_APPLICATION (self));
}

static void
on_run_in_background_changed (LanApplication *self)
{
  gboolean wanted = g_settings_get_boolean (self->settings, "run-in-background");

  if (wanted && !self->held)
    g_application_hold (G_APPLICATION (self));
  else if (!wanted && self->held)
    g_application_release (G_APPLICATION (self));
  self->held = wanted;
}

static void
on_run_at_login_changed (LanApplication *self)
{
  lan_background_request (gtk_application_get_active_window (GTK_APPLICATION (self)),
                          g_settings_get_boolean (self->settings, "run-at-login"));
}

static const GActionEntry app_actions[] = {
  { "open-conversation", open_conversation_action, "s" },
  { "preferences", preferences_action },
  { "clear-history", clear_history_action },
  { "about", about_action },
  { "quit", quit_action },
};

static void
set_accels (LanApplication *self)
{
  static const struct {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "app.quit",         { "<Primary>q", NULL } },
    { "app.preferences",  { "<Primary>comma", NULL } },
    { "win.show-log",     { "<Primary>l", NULL } },
    { "win.refresh",      { "<Primary>r", "F5", NULL } },
    { "win.focus-search", { "<Primary>f", NULL } },
    { "window.close",     { "<Primary>w", NULL } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self),
                                           accels[i].action, accels[i].accels);
}

static void
lan_application_startup (GApplication *application)
{
  LanApplication *self = LAN_APPLICATION (application);

  G_APPLICATION_CLASS (lan_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  set_accels (self);

  self->settings = g_settings_new (APP_ID);
  self->messenger = lan_messenger_new ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSENGER]);

  lan_messenger_settings_bind (self->messenger, self->settings);
  apply_targets (self);
  g_signal_connect_swapped (self->messenger, "notify::history-error",
                            G_CALLBACK (on_history_error_notify), self);
  set_up_history (self);

  g_signal_connect_swapped (self->settings, "changed::port",
                            G_CALLBACK (on_bind_setting_changed), self);
  g_signal_connect_swapped (self->settings, "changed::bind-address",
                            G_CALLBACK (on_bind_setting_changed), self);
  g_signal_connect_swapped (self->settings, "changed::targets",
                            G_CALLBACK (on_targets_changed), self);
  g_signal_connect_swapped (self->settings, "changed::run-in-background",
                            G_CALLBACK (on_run_in_background_changed), self);
  g_signal_connect_swapped (self->settings, "changed::run-at-login",
                            G_CALLBACK (on_run_at_login_changed), self);
  on_run_in_background_changed (self);
  g_signal_connect_swapped (self->messenger, "message-received",
                            G_CALLBACK (on_message_received), self);
  lan_application_identity_setup (GTK_APPLICATION (self), self->messenger);
  self->offer_saved = lan_offer_saved_new (self->messenger);

  lan_application_restart_messenger (self);
  /* After the start, so that history is pruned before its people are read. */
  self->people = lan_people_new (self->messenger);
}

static void
lan_application_activate (GApplication *application)
{
  LanApplication *self = LAN_APPLICATION (application);
  g_autofree char *problem = NULL;

  gtk_window_present (GTK_WINDOW (ensure_window (self)));
  /* Once, with a window for the portal's dialog to belong to. */
  if (!self->background_asked && self->held)
    {
      self->background_asked = TRUE;
      on_run_at_login_changed (self);
    }

  problem = g_steal_pointer (&self->pending_problem);
  if (problem != NULL)
    report_problem (self, problem);
}

static void
lan_application_shutdown (GApplication *application)
{
  LanApplication *self = LAN_APPLICATION (application);

  /* Say goodbye (BR_EXIT) so others drop us at once instead of keeping a
   * stale entry. */
  if (self->messenger != NULL && lan_messenger_get_running (self->messenger))
    lan_messenger_stop (self->messenger);
  if (self->held)
    g_application_release (application);
  self->held = FALSE;

  G_APPLICATION_CLASS (lan_application_parent_class)->shutdown (application);
}

LanMessenger *
lan_application_get_messenger (LanApplication *self)
{
  g_return_val_if_fail (LAN_IS_APPLICATION (self), NULL);

  return self->messenger;
}

LanPeople *
lan_application_get_people (LanApplication *self)
{
  g_return_val_if_fail (LAN_IS_APPLICATION (self), NULL);

  return self->people;
}

GSettings *
lan_application_get_settings (LanApplication *self)
{
  g_return_val_if_fail (LAN_IS_APPLICATION (self), NULL);

  return self->settings;
}

const GError *
lan_application_get_start_error (LanApplication *self)
{
  g_return_val_if_fail (LAN_IS_APPLICATION (self), NULL);

  return self->start_error;
}

static void
lan_application_dispose (GObject *object)
{
  LanApplication *self = LAN_APPLICATION (object);

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  if (self->messenger != NULL)
    g_signal_handlers_disconnect_by_data (self->messenger, self);

  g_clear_object (&self->people);
  g_clear_pointer (&self->offer_saved, lan_offer_saved_free);
  g_clear_object (&self->messenger);
  g_clear_object (&self->settings);
  g_clear_error (&self->start_error);
  g_clear_pointer (&self->pending_problem, g_free);

  G_OBJECT_CLASS (lan_application_parent_class)->dispose (object);
}

static void
lan_application_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  LanApplication *self = LAN_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_MESSENGER:
      g_value_set_object (value, self->messenger);
      break;
    case PROP_START_ERROR:
      g_value_set_boxed (value, self->start_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lan_application_class_init (LanApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = lan_application_dispose;
  object_class->get_property = lan_application_get_property;

  application_class->startup = lan_application_startup;
  application_class->activate = lan_application_activate;
  application_class->shutdown = lan_application_shutdown;

  properties[PROP_MESSENGER] =
    g_param_spec_object ("messenger", NULL, NULL,
                         LAN_TYPE_MESSENGER,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_START_ERROR] =
    g_param_spec_boxed ("start-error", NULL, NULL,
                        G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LanApplication::problem:
   * @message: what went wrong, for a person
   *
   * Something not fatal that a window should mention, such as a stored
   * extra target the messenger refused.
   */
  signals[SIGNAL_PROBLEM] = g_signal_new ("problem",
                                          G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
lan_application_init (LanApplication *self)
{
}

LanApplication *
lan_application_new (void)
{
  return g_object_new (LAN_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/lanchat/Lanchat",
                       NULL);
}
