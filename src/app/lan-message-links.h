/* lan-message-links.h — links in a message's text, made clickable.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Pango markup for @text (already through lan_display_text): everything
 * escaped, and http, https, ftp and mailto links as <a href>. NULL when
 * there is no link, so that the text can stay plain.
 * Returns: (transfer full) (nullable) */
char     *lan_message_links_markup (const char *text);
/* Opens @uri for a link in @widget's window: GtkUriLauncher where GTK has
 * it (4.10, the portal in a sandbox), else gtk_show_uri. */
void      lan_message_links_open   (GtkWidget  *widget,
                                    const char *uri);

G_END_DECLS
