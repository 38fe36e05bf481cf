/* lan-messenger-settings.c — GSettings keys applied to a LanMessenger.
 *
 * Port and bind address are not here: changing them rebinds the socket,
 * which can fail, so LanApplication applies them where it can report that.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-messenger-settings"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "lan-messenger-settings.h"

/* An empty nickname means "my login name", and stays that way when the
 * login name is not known yet to the person choosing. */
static gboolean
nickname_get_mapping (GValue   *value,
                      GVariant *variant,
                      gpointer  user_data)
{
  const char *nickname = g_variant_get_string (variant, NULL);

  g_value_set_string (value, *nickname != '\0' ? nickname : g_get_user_name ());
  return TRUE;
}

static gboolean
legacy_encoding_get_mapping (GValue   *value,
                             GVariant *variant,
                             gpointer  user_data)
{
  LanLegacyEncoding encoding;

  if (!lan_legacy_encoding_from_string (g_variant_get_string (variant, NULL), &encoding))
    encoding = LAN_LEGACY_GB18030;

  /* The key is a name ("gb18030"); the property is the enum. */
  g_value_set_enum (value, encoding);
  return TRUE;
}

void
lan_messenger_settings_bind (LanMessenger *messenger,
                             GSettings    *settings)
{
  g_return_if_fail (LAN_IS_MESSENGER (messenger));
  g_return_if_fail (G_IS_SETTINGS (settings));

  g_settings_bind_with_mapping (settings, "nickname", messenger, "nickname",
                                G_SETTINGS_BIND_GET,
                                nickname_get_mapping, NULL, NULL, NULL);
  g_settings_bind (settings, "group", messenger, "group", G_SETTINGS_BIND_GET);
  g_settings_bind (settings, "away", messenger, "away", G_SETTINGS_BIND_GET);
  g_settings_bind (settings, "away-text", messenger, "away-text", G_SETTINGS_BIND_GET);
  g_settings_bind (settings, "away-in-nickname", messenger, "away-in-nickname", G_SETTINGS_BIND_GET);
  g_settings_bind (settings, "history-days", messenger, "history-days", G_SETTINGS_BIND_GET);
  g_settings_bind_with_mapping (settings, "legacy-encoding", messenger, "legacy-encoding",
                                G_SETTINGS_BIND_GET,
                                legacy_encoding_get_mapping, NULL, NULL, NULL);
}

gboolean
lan_messenger_settings_apply_targets (LanMessenger  *messenger,
                                      GSettings     *settings,
                                      GError       **error)
{
  g_auto(GStrv) targets = NULL;
  g_autoptr(GError) first_error = NULL;

  g_return_val_if_fail (LAN_IS_MESSENGER (messenger), FALSE);
  g_return_val_if_fail (G_IS_SETTINGS (settings), FALSE);

  targets = g_settings_get_strv (settings, "targets");
  lan_messenger_clear_targets (messenger);

  for (guint i = 0; targets[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;

      if (!lan_messenger_add_target (messenger, targets[i], &local_error) && first_error == NULL)
        first_error = g_steal_pointer (&local_error);
    }

  if (first_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&first_error));
      return FALSE;
    }

  return TRUE;
}

GStrv
lan_messenger_settings_parse_targets (const char  *text,
                                      GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) lines = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  lines = g_regex_split_simple ("[\\n,;]", text, 0, 0);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      char *target = g_strstrip (lines[i]);

      if (*target == '\0')
        continue;

      if (!lan_messenger_check_target (target, &local_error))
        {
          /* The person must see which of their lines is wrong. */
          if (strstr (local_error->message, target) == NULL)
            g_prefix_error (&local_error,
                            /* Translators: %s is what the person typed; the reason follows */
                            _("“%s” is not a valid target: "), target);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }

      g_strv_builder_add (builder, target);
    }

  return g_strv_builder_end (builder);
}
