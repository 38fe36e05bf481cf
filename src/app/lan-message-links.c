/* lan-message-links.c — links in a message's text, made clickable.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-message-links"

#include "config.h"

#include <string.h>

#include "lan-message-links.h"

char *
lan_message_links_markup (const char *text)
{
  static GRegex *link_regex;
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GString) markup = NULL;
  const char *done = text;
  gboolean any = FALSE;

  g_return_val_if_fail (text != NULL, NULL);

  if (g_once_init_enter (&link_regex))
    g_once_init_leave (&link_regex,
                       g_regex_new ("\\b(?:https?://|ftp://|mailto:)[^\\s<>\"]+", G_REGEX_CASELESS | G_REGEX_OPTIMIZE,
                                    0, NULL));
  markup = g_string_new (NULL);
  g_regex_match (link_regex, text, 0, &match);
  while (g_match_info_matches (match))
    {
      int start, end;
      g_autofree char *before = NULL;
      g_autofree char *uri = NULL;
      g_autofree char *escaped = NULL;

      g_match_info_fetch_pos (match, 0, &start, &end);
      /* Sentence punctuation after a link is not part of it. */
      while (end > start && strchr (".,;:!?)]'", text[end - 1]) != NULL)
        end--;
      before = g_markup_escape_text (done, text + start - done);
      uri = g_strndup (text + start, end - start);
      escaped = g_markup_escape_text (uri, -1);
      g_string_append (markup, before);
      g_string_append_printf (markup, "<a href=\"%s\">%s</a>", escaped, escaped);
      done = text + end;
      any = TRUE;
      g_match_info_next (match, NULL);
    }
  if (!any)
    return NULL;
  {
    g_autofree char *rest = g_markup_escape_text (done, -1);

    g_string_append (markup, rest);
  }
  return g_string_free (g_steal_pointer (&markup), FALSE);
}

void
lan_message_links_open (GtkWidget  *widget,
                        const char *uri)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWindow *window = GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;

#if GTK_CHECK_VERSION (4, 10, 0)
  /* Newer than the 4.8 we build against by default: used when present. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  {
    g_autoptr(GtkUriLauncher) launcher = gtk_uri_launcher_new (uri);

    gtk_uri_launcher_launch (launcher, window, NULL, NULL, NULL);
  }
  G_GNUC_END_IGNORE_DEPRECATIONS
#else
  gtk_show_uri (window, uri, GDK_CURRENT_TIME);
#endif
}
