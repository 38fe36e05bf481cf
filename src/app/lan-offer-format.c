/* lan-offer-format.c — files offered and moving, in words for a person.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-offer-format"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "lan-display-text.h"
#include "lan-offer-format.h"

/* Names listed in a summary before "…": a notification is one glance. */
#define SUMMARY_MAX_NAMES 3

gboolean
lan_offer_file_is_folder (const LanIpmsgFile *file)
{
  return (file->attr & 0xff) == LAN_IPMSG_FILE_DIR;
}

char *
lan_offer_file_dup_name (const LanIpmsgFile *file)
{
  return lan_display_text (file->name, LAN_DISPLAY_TEXT_ONE_LINE, LAN_DISPLAY_TEXT_ALL);
}

gboolean
lan_offer_name_is_image (const char *name)
{
  static const char * const extensions[] = { ".png", ".jpg", ".jpeg", ".gif", ".webp" };
  g_autofree char *folded = NULL;

  if (name == NULL)
    return FALSE;
  folded = g_ascii_strdown (name, -1);
  for (guint i = 0; i < G_N_ELEMENTS (extensions); i++)
    if (g_str_has_suffix (folded, extensions[i]) && strlen (folded) > strlen (extensions[i]))
      return TRUE;
  return FALSE;
}

GIcon *
lan_offer_dup_icon (const char *name,
                    gboolean    is_folder)
{
  g_autofree char *type = NULL;

  if (is_folder)
    return g_themed_icon_new ("folder-symbolic");
  /* By name only: the contents are the peer's, not here yet. */
  type = g_content_type_guess (name, NULL, 0, NULL);
  return g_content_type_get_symbolic_icon (type);
}

char *
lan_offer_format_summary (GPtrArray *files)
{
  g_autoptr(GString) names = g_string_new (NULL);
  g_autofree char *total_text = NULL;
  guint64 total = 0;
  guint n = files != NULL ? files->len : 0;

  if (n == 0)
    return g_strdup ("");

  if (n == 1)
    {
      const LanIpmsgFile *file = g_ptr_array_index (files, 0);
      g_autofree char *name = lan_offer_file_dup_name (file);
      g_autofree char *size = g_format_size (file->size);

      if (lan_offer_file_is_folder (file))
        /* Translators: a folder offered; %s is its name */
        return g_strdup_printf (_("%s (folder)"), name);
      /* Translators: a file offered; %s is its name, then its size */
      return g_strdup_printf (_("%s (%s)"), name, size);
    }

  for (guint i = 0; i < n; i++)
    {
      const LanIpmsgFile *file = g_ptr_array_index (files, i);

      total += file->size;
      if (i < SUMMARY_MAX_NAMES)
        {
          g_autofree char *name = lan_offer_file_dup_name (file);

          if (i > 0)
            g_string_append (names, ", ");
          g_string_append (names, name);
        }
    }
  if (n > SUMMARY_MAX_NAMES)
    g_string_append (names, ", …");

  total_text = g_format_size (total);
  /* Translators: several files offered: their number, total size, then the first names */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u file, %s: %s", "%u files, %s: %s", n),
                          n, total_text, names->str);
}

char *
lan_offer_format_time_left (gint64 seconds)
{
  if (seconds < 0)
    return NULL;
  if (seconds < 60)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d second left", "%d seconds left", (int) seconds),
                            (int) seconds);
  if (seconds < 3600)
    {
      int minutes = (int) ((seconds + 30) / 60);

      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute left", "%d minutes left", minutes),
                              minutes);
    }
  /* Translators: time left for a download, hours and minutes */
  return g_strdup_printf (_("%d h %02d min left"), (int) (seconds / 3600), (int) (seconds % 3600 / 60));
}

static char *
format_running (LanFileTransfer *transfer)
{
  g_autofree char *done = g_format_size (lan_file_transfer_get_done (transfer));
  g_autofree char *left = lan_offer_format_time_left (lan_file_transfer_get_seconds_left (transfer));
  GString *text = g_string_new (NULL);
  double rate = lan_file_transfer_get_rate (transfer);

  if (lan_file_transfer_get_is_directory (transfer))
    {
      guint files = lan_file_transfer_get_files_done (transfer);

      /* Translators: a folder coming in: bytes so far, then how many files are complete */
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%s, %u file", "%s, %u files", files),
                              done, files);
    }
  else
    {
      g_autofree char *size = g_format_size (lan_file_transfer_get_size (transfer));

      /* Translators: progress of a file, "1.2 MB of 4.0 MB" */
      g_string_append_printf (text, _("%s of %s"), done, size);
    }
  if (rate > 0)
    {
      g_autofree char *speed = g_format_size ((guint64) rate);

      /* Translators: a transfer rate, "3.1 MB/s" */
      g_string_append (text, " · ");
      g_string_append_printf (text, _("%s/s"), speed);
    }
  if (left != NULL)
    g_string_append_printf (text, " · %s", left);
  return g_string_free (text, FALSE);
}

char *
lan_offer_format_transfer (LanFileTransfer *transfer)
{
  const char *error = lan_file_transfer_get_error (transfer);
  g_autofree char *why = error != NULL
    ? lan_display_text (error, LAN_DISPLAY_TEXT_ONE_LINE, LAN_DISPLAY_TEXT_ALL) : NULL;
  gboolean fetch = lan_file_transfer_get_kind (transfer) == LAN_TRANSFER_FETCH;

  switch (lan_file_transfer_get_state (transfer))
    {
    case LAN_TRANSFER_WAITING:
      return g_strdup (_("Waiting to start…"));
    case LAN_TRANSFER_RUNNING:
      return format_running (transfer);
    case LAN_TRANSFER_DONE:
      {
        g_autofree char *size = g_format_size (lan_file_transfer_get_done (transfer));

        /* Translators: %s is the size moved */
        return g_strdup_printf (fetch ? _("Saved, %s") : _("Sent, %s"), size);
      }
    case LAN_TRANSFER_FAILED:
      if (why != NULL)
        /* Translators: %s says why, in words from the engine */
        return g_strdup_printf (_("Failed: %s"), why);
      return g_strdup (_("Failed"));
    case LAN_TRANSFER_CANCELLED:
      if (why != NULL)
        return g_strdup_printf (_("Cancelled: %s"), why);
      return g_strdup (_("Cancelled"));
    default:
      return g_strdup ("");
    }
}
