/* lan-file-name.c — names from the network checked, and made unique on disk.
 *
 * Besides C0, DEL and C1 controls, the bidi controls (LRM, RLM, ALM,
 * U+202A–U+202E, U+2066–U+2069) and U+2028/U+2029 count as control
 * characters here: in a file name they do nothing but disguise it
 * ("photo<U+202E>gpj.exe" shows as "photoexe.jpg" in a file manager).
 *
 * A ':' is an ordinary character, at the start too: "x:y.txt" or "C:" is
 * saved as it is. Names are created on Linux, as one component inside our
 * own folder (openat), where "C:" is no drive; iptux on Linux sends such
 * names, and mapping them would rename a file silently. Windows' device
 * names stay refused, as the issue asks (such a file could not be opened
 * on Windows if the folder is copied there).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-file-name"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lan-display-text.h"
#include "lan-file-name.h"

/* How much of a refused name the message shows. */
#define SHOWN_CHARS 80

static gboolean
is_control (gunichar c)
{
  if (g_unichar_iscntrl (c))
    return TRUE;
  return c == 0x061c || c == 0x200e || c == 0x200f ||
         (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
         c == 0x2028 || c == 0x2029;
}

/* CON, PRN, AUX, NUL, COM1–9, LPT1–9, alone or before a dot: Windows opens
 * the device instead of the file, whatever follows the dot. */
static gboolean
is_reserved_device (const char *name)
{
  static const char * const three[] = { "CON", "PRN", "AUX", "NUL" };
  gsize stem = strcspn (name, ".");

  if (stem == 3)
    {
      for (guint i = 0; i < G_N_ELEMENTS (three); i++)
        if (g_ascii_strncasecmp (name, three[i], 3) == 0)
          return TRUE;
      return FALSE;
    }
  if (stem == 4 && name[3] >= '1' && name[3] <= '9')
    return g_ascii_strncasecmp (name, "COM", 3) == 0 ||
           g_ascii_strncasecmp (name, "LPT", 3) == 0;
  return FALSE;
}

/* Why @name can't be used, or NULL when it can. */
static const char *
problem_of (const char *name)
{
  gsize len = strlen (name);

  if (len == 0)
    return _("it is empty");
  if (!g_utf8_validate (name, (gssize) len, NULL))
    return _("it is not valid UTF-8");
  if (len > LAN_FILE_NAME_MAX_BYTES)
    return _("it is longer than 255 bytes");
  if (strcmp (name, ".") == 0 || strcmp (name, "..") == 0)
    return _("“.” and “..” name folders, not files");
  if (strpbrk (name, "/\\") != NULL)
    return _("it contains “/” or “\\”, which would make it a path");
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    if (is_control (g_utf8_get_char (p)))
      return _("it contains a control character");
  if (name[0] == '~')
    return _("it starts with “~”");
  if (is_reserved_device (name))
    return _("it is the name of a device on Windows");
  if (name[len - 1] == '.' || name[len - 1] == ' ')
    return _("it ends with a dot or a space");
  return NULL;
}

gboolean
lan_file_name_check (const char  *name,
                     GError     **error)
{
  const char *problem;
  g_autofree char *shown = NULL;

  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  problem = problem_of (name);
  if (problem == NULL)
    return TRUE;

  shown = lan_display_text (name, LAN_DISPLAY_TEXT_TERMINAL, SHOWN_CHARS);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME,
               /* Translators: the first %s is a file name someone sent, the second why it is refused. */
               _("The file name “%s” is refused: %s"), shown, problem);
  return FALSE;
}

/* The first @len bytes of @text (valid UTF-8) cut to at most @max bytes,
 * on a character boundary. */
static char *
utf8_prefix (const char *text,
             gsize       len,
             gsize       max)
{
  const char *p = text;

  while ((gsize) (p - text) < len)
    {
      const char *next = g_utf8_next_char (p);

      if ((gsize) (next - text) > MIN (len, max))
        break;
      p = next;
    }
  return g_strndup (text, (gsize) (p - text));
}

/* "stem (n).ext", within @budget bytes: the stem is shortened when the
 * number would make it too long. ".tar.gz" and the like stay whole; a
 * leading dot (".bashrc") is part of the stem. */
static char *
numbered (const char *name,
          guint       n,
          gsize       budget)
{
  const char *dot = strrchr (name, '.');
  g_autofree char *suffix = NULL;
  g_autofree char *stem = NULL;
  gsize stem_len, room;

  if (dot == name)
    dot = NULL;
  if (dot != NULL && dot - name > 4 && g_ascii_strncasecmp (dot - 4, ".tar", 4) == 0)
    dot -= 4;
  stem_len = dot != NULL ? (gsize) (dot - name) : strlen (name);

  suffix = n > 0 ? g_strdup_printf (" (%u)%s", n, name + stem_len) : g_strdup (name + stem_len);
  room = budget > strlen (suffix) ? budget - strlen (suffix) : 0;
  stem = utf8_prefix (name, stem_len, room);
  /* An extension too long to keep whole ("a.<250 bytes>"): the name is cut
   * as one stem instead, or a name the check accepts could never be saved. */
  if (stem[0] == '\0' && dot != NULL)
    {
      g_free (suffix);
      suffix = n > 0 ? g_strdup_printf (" (%u)", n) : g_strdup ("");
      room = budget > strlen (suffix) ? budget - strlen (suffix) : 0;
      g_free (stem);
      stem = utf8_prefix (name, strlen (name), room);
    }
  if (stem[0] == '\0')
    return NULL;
  return g_strconcat (stem, suffix, NULL);
}

static gboolean
exists (GFile *file)
{
  /* Without following links: a dangling symlink is something in the way,
   * and creating "through" it would write wherever it points. */
  return g_file_query_file_type (file, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL) != G_FILE_TYPE_UNKNOWN;
}

static gboolean
taken (GFile      *folder,
       const char *name,
       const char *part_suffix)
{
  g_autoptr(GFile) child = g_file_get_child (folder, name);
  g_autofree char *part = NULL;
  g_autoptr(GFile) part_child = NULL;

  if (exists (child))
    return TRUE;
  if (part_suffix == NULL)
    return FALSE;
  part = g_strconcat (name, part_suffix, NULL);
  part_child = g_file_get_child (folder, part);
  return exists (part_child);
}

/**
 * lan_file_name_unique:
 *
 * The name and its part companion both have to fit LAN_FILE_NAME_MAX_BYTES,
 * so with @part_suffix the stem may come out shortened (at a character
 * boundary), like a numbered name's.
 *
 * Returns: (transfer full) (nullable):
 */
GFile *
lan_file_name_unique (GFile       *folder,
                      const char  *name,
                      const char  *part_suffix,
                      GError     **error)
{
  gsize budget = LAN_FILE_NAME_MAX_BYTES;
  g_autofree char *shown = NULL;

  g_return_val_if_fail (G_IS_FILE (folder), NULL);
  g_return_val_if_fail (name != NULL && name[0] != '\0', NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (part_suffix != NULL)
    budget -= MIN (strlen (part_suffix), budget);

  for (guint n = 0; n <= LAN_FILE_NAME_MAX_TRIES; n++)
    {
      g_autofree char *candidate = numbered (name, n, budget);

      if (candidate == NULL)
        break;
      if (!taken (folder, candidate, part_suffix))
        return g_file_get_child (folder, candidate);
    }

  shown = lan_display_text (name, LAN_DISPLAY_TEXT_TERMINAL, SHOWN_CHARS);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
               _("No free name for “%s” in the folder: it and %u numbered copies exist"),
               shown, LAN_FILE_NAME_MAX_TRIES);
  return NULL;
}
