/* lan-preferences-window.c — the settings a person can change.
 *
 * Everything is written to GSettings, and LanApplication applies it to the
 * messenger at once. Text fields apply on Enter or their apply button, not
 * per keystroke, because each change is announced to the whole network;
 * the port waits for the person to stop clicking for the same reason, as
 * each change rebinds the socket.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "lan-download-folder.h"
#include "lan-interfaces.h"
#include "lan-messenger-settings.h"
#include "lan-preferences-window.h"
#include "lan-display-text.h"

#define PORT_APPLY_DELAY_MS 800

static const char * const encodings[] = { "GB18030", "CP932" };
/* The choices of history_days_row, in days; 0 keeps everything. */
static const guint history_days[] = { 0, 7, 30, 90, 365 };

struct _LanPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  /* Bind addresses in the order of bind_row's items; "" is all. */
  GPtrArray            *bind_addresses;
  guint                 port_timeout_id;

  AdwPreferencesGroup  *identity_group;
  AdwEntryRow          *nickname_row;
  AdwEntryRow          *group_row;
  GtkSwitch            *away_switch;
  GtkSwitch            *away_in_nickname_switch;
  AdwEntryRow          *away_text_row;
  GtkSwitch            *notifications_switch;
  LanDownloadFolderRow *download_folder_row;
  GtkSwitch            *background_switch;
  GtkSwitch            *login_switch;
  GtkSpinButton        *port_spin;
  AdwComboRow          *bind_row;
  GtkTextView          *targets_view;
  GtkWidget            *targets_apply_button;
  GtkLabel             *targets_error_label;
  AdwComboRow          *encoding_row;
  AdwComboRow          *history_days_row;
};

G_DEFINE_FINAL_TYPE (LanPreferencesWindow, lan_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A value set by hand to something the row doesn't offer shows as the
 * nearest longer choice, so nothing is deleted sooner than asked. */
static gboolean
history_days_get_mapping (GValue   *value,
                          GVariant *variant,
                          gpointer  user_data)
{
  guint days = g_variant_get_uint32 (variant);
  guint selected = 0;

  if (days > 0)
    for (selected = 1; selected < G_N_ELEMENTS (history_days) - 1 && history_days[selected] < days; selected++)
      ;
  g_value_set_uint (value, selected);
  return TRUE;
}

static GVariant *
history_days_set_mapping (const GValue       *value,
                          const GVariantType *expected_type,
                          gpointer            user_data)
{
  guint selected = g_value_get_uint (value);

  return g_variant_new_uint32 (history_days[MIN (selected, G_N_ELEMENTS (history_days) - 1)]);
}

static void
apply_entry (LanPreferencesWindow *self,
             AdwEntryRow          *row,
             const char           *key)
{
  g_settings_set_string (self->settings, key, gtk_editable_get_text (GTK_EDITABLE (row)));
}

static void
on_nickname_apply (LanPreferencesWindow *self,
                   AdwEntryRow          *row)
{
  apply_entry (self, row, "nickname");
}

static void
on_group_apply (LanPreferencesWindow *self,
                AdwEntryRow          *row)
{
  apply_entry (self, row, "group");
}

static void
on_away_text_apply (LanPreferencesWindow *self,
                    AdwEntryRow          *row)
{
  apply_entry (self, row, "away-text");
}

static void
apply_port (LanPreferencesWindow *self)
{
  guint port = (guint) gtk_spin_button_get_value_as_int (self->port_spin);

  g_clear_handle_id (&self->port_timeout_id, g_source_remove);
  if (port != g_settings_get_uint (self->settings, "port"))
    g_settings_set_uint (self->settings, "port", port);
}

static void
on_port_timeout (gpointer user_data)
{
  LanPreferencesWindow *self = user_data;

  self->port_timeout_id = 0;
  apply_port (self);
}

static void
on_port_value_changed (LanPreferencesWindow *self)
{
  if (self->settings == NULL)
    return;

  g_clear_handle_id (&self->port_timeout_id, g_source_remove);
  self->port_timeout_id = g_timeout_add_once (PORT_APPLY_DELAY_MS, on_port_timeout, self);
}

static void
on_bind_selected_notify (LanPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->bind_row);

  if (selected >= self->bind_addresses->len)
    return;

  g_settings_set_string (self->settings, "bind-address",
                         g_ptr_array_index (self->bind_addresses, selected));
}

static void
on_encoding_selected_notify (LanPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->encoding_row);

  if (selected < G_N_ELEMENTS (encodings))
    g_settings_set_string (self->settings, "legacy-encoding", encodings[selected]);
}

static char *
dup_targets_text (LanPreferencesWindow *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->targets_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
show_targets_error (LanPreferencesWindow *self,
                    const char           *message)
{
  gtk_label_set_text (self->targets_error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->targets_error_label), message != NULL);
}

static void
on_targets_apply (LanPreferencesWindow *self)
{
  g_autofree char *text = dup_targets_text (self);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) targets = lan_messenger_settings_parse_targets (text, &error);

  if (targets == NULL)
    {
      g_autofree char *message = lan_display_text (error->message, LAN_DISPLAY_TEXT_ONE_LINE, LAN_DISPLAY_TEXT_ALL);
      show_targets_error (self, message);
      return;
    }

  show_targets_error (self, NULL);
  g_settings_set_strv (self->settings, "targets", (const char * const *) targets);
  gtk_widget_set_sensitive (self->targets_apply_button, FALSE);
}

static void
on_targets_changed (LanPreferencesWindow *self)
{
  gtk_widget_set_sensitive (self->targets_apply_button, TRUE);
}

static void
fill_bind_addresses (LanPreferencesWindow *self)
{
  g_autoptr(GPtrArray) interfaces = lan_interfaces_list ();
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autofree char *current = g_settings_get_string (self->settings, "bind-address");
  guint selected = 0;

  g_ptr_array_add (self->bind_addresses, g_strdup (""));
  gtk_string_list_append (names, _("All Interfaces"));

  for (guint i = 0; i < interfaces->len; i++)
    {
      LanInterface *iface = g_ptr_array_index (interfaces, i);
      char address[16];
      g_autofree char *name = lan_display_text (iface->name, LAN_DISPLAY_TEXT_ONE_LINE, LAN_DISPLAY_TEXT_ALL);
      g_autofree char *label = NULL;

      lan_ipv4_format (iface->address, address);
      /* Translators: an interface in the Listen On list: name, address */
      label = g_strdup_printf (_("%s (%s)"), name, address);

      if (g_str_equal (address, current))
        selected = self->bind_addresses->len;
      g_ptr_array_add (self->bind_addresses, g_strdup (address));
      gtk_string_list_append (names, label);
    }

  /* Keep a stored address that no interface has right now (unplugged,
   * or one of 127.0.0.0/8), rather than silently switching to all. */
  if (*current != '\0' && selected == 0)
    {
      selected = self->bind_addresses->len;
      g_ptr_array_add (self->bind_addresses, g_strdup (current));
      gtk_string_list_append (names, current);
    }

  adw_combo_row_set_model (self->bind_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->bind_row, selected);
}

static void
load_settings (LanPreferencesWindow *self)
{
  g_autofree char *nickname = g_settings_get_string (self->settings, "nickname");
  g_autofree char *group = g_settings_get_string (self->settings, "group");
  g_autofree char *away_text = g_settings_get_string (self->settings, "away-text");
  g_autofree char *encoding = g_settings_get_string (self->settings, "legacy-encoding");
  g_autofree char *targets_text = NULL;
  g_autofree char *identity = NULL;
  g_auto(GStrv) targets = g_settings_get_strv (self->settings, "targets");

  identity = g_markup_printf_escaped (_("How others on the network see you. An empty nickname "
                                        "shows your login name, %s."),
                                      g_get_user_name ());
  /* Group descriptions are markup, hence the escaping above. */
  adw_preferences_group_set_description (self->identity_group, identity);

  /* Apply buttons are turned on only after the stored text is in, or
   * they would show as if the person had edited it. */
  gtk_editable_set_text (GTK_EDITABLE (self->nickname_row), nickname);
  gtk_editable_set_text (GTK_EDITABLE (self->group_row), group);
  gtk_editable_set_text (GTK_EDITABLE (self->away_text_row), away_text);
  adw_entry_row_set_show_apply_button (self->nickname_row, TRUE);
  adw_entry_row_set_show_apply_button (self->group_row, TRUE);
  adw_entry_row_set_show_apply_button (self->away_text_row, TRUE);

  g_settings_bind (self->settings, "away", self->away_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "away-in-nickname", self->away_in_nickname_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "run-in-background", self->background_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "run-at-login", self->login_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "notifications", self->notifications_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  lan_download_folder_row_set_settings (self->download_folder_row, self->settings);
  g_settings_bind_with_mapping (self->settings, "history-days", self->history_days_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                history_days_get_mapping, history_days_set_mapping, NULL, NULL);

  gtk_spin_button_set_value (self->port_spin, g_settings_get_uint (self->settings, "port"));
  g_clear_handle_id (&self->port_timeout_id, g_source_remove);

  fill_bind_addresses (self);

  for (guint i = 0; i < G_N_ELEMENTS (encodings); i++)
    if (g_ascii_strcasecmp (encoding, encodings[i]) == 0)
      adw_combo_row_set_selected (self->encoding_row, i);

  targets_text = g_strjoinv ("\n", targets);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->targets_view), targets_text, -1);
  gtk_widget_set_sensitive (self->targets_apply_button, FALSE);

  g_signal_connect_swapped (self->bind_row, "notify::selected",
                            G_CALLBACK (on_bind_selected_notify), self);
  g_signal_connect_swapped (self->encoding_row, "notify::selected",
                            G_CALLBACK (on_encoding_selected_notify), self);
  g_signal_connect_swapped (gtk_text_view_get_buffer (self->targets_view), "changed",
                            G_CALLBACK (on_targets_changed), self);
}

/* A port still waiting for its delay is applied when the window closes. */
static gboolean
lan_preferences_window_close_request (GtkWindow *window)
{
  LanPreferencesWindow *self = LAN_PREFERENCES_WINDOW (window);

  if (self->port_timeout_id != 0)
    apply_port (self);

  return GTK_WINDOW_CLASS (lan_preferences_window_parent_class)->close_request (window);
}

static void
lan_preferences_window_constructed (GObject *object)
{
  LanPreferencesWindow *self = LAN_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (lan_preferences_window_parent_class)->constructed (object);

  load_settings (self);
}

static void
lan_preferences_window_dispose (GObject *object)
{
  LanPreferencesWindow *self = LAN_PREFERENCES_WINDOW (object);

  g_clear_handle_id (&self->port_timeout_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), LAN_TYPE_PREFERENCES_WINDOW);
  g_clear_pointer (&self->bind_addresses, g_ptr_array_unref);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (lan_preferences_window_parent_class)->dispose (object);
}

static void
lan_preferences_window_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  LanPreferencesWindow *self = LAN_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lan_preferences_window_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  LanPreferencesWindow *self = LAN_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lan_preferences_window_class_init (LanPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = lan_preferences_window_constructed;
  object_class->dispose = lan_preferences_window_dispose;
  object_class->get_property = lan_preferences_window_get_property;
  object_class->set_property = lan_preferences_window_set_property;
  window_class->close_request = lan_preferences_window_close_request;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (LAN_TYPE_DOWNLOAD_FOLDER_ROW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/lanchat/Lanchat/lan-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LanPreferencesWindow, identity_group);
  gtk_widget_class_bind_template_child (widget_class, LanPreferencesWindow, nickname_row);
  gtk_widget_class_bind_template_child (widget_class, LanPreferencesWindow, group_row);
  gtk_widget_class_bind_template_child (widget_class, LanPreferencesWindow, away_switch);
  gtk_widget_class_bind_template_child (widget_class, LanPreferencesWindow, away_in_nickname_switch);
  gtk_widget_class_bind_template_child (widget_class, LanPreferencesWindow, away_text_row);
  gtk_widget_class_bind_template_child (widget_class, LanPreferencesWindow, notifications_switch);
  gtk_widget_class_bind_template_child (widget_class, LanPreferencesWindow, download_folder_row);
  gtk_widget_class_bind_template_child (widget_class, LanPreferencesWindow, background_switch);
  gtk_widget_class_bind_template_child (widget_class, LanPreferencesWindow, login_switch);
  gtk_widget_class_bind_template_child (widget_class, LanPreferencesWindow, port_spin);
  gtk_widget_class_bind_template_child (widget_class, LanPreferencesWindow, bind_row);
  gtk_widget_class_bind_template_child (widget_class, LanPreferencesWindow, targets_view);
  gtk_widget_class_bind_template_child (widget_class, LanPreferencesWindow, targets_apply_button);
  gtk_widget_class_bind_template_child (widget_class, LanPreferencesWindow, targets_error_label);
  gtk_widget_class_bind_template_child (widget_class, LanPreferencesWindow, encoding_row);
  gtk_widget_class_bind_template_child (widget_class, LanPreferencesWindow, history_days_row);
  gtk_widget_class_bind_template_callback (widget_class, on_nickname_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_group_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_away_text_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_port_value_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_targets_apply);
}

static void
lan_preferences_window_init (LanPreferencesWindow *self)
{
  self->bind_addresses = g_ptr_array_new_with_free_func (g_free);

  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
lan_preferences_window_new (GtkWindow *parent,
                            GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (LAN_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "settings", settings,
                       NULL);
}
