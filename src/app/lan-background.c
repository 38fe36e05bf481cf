/* lan-background.c — running with the window closed, and at login.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-background"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#ifdef HAVE_LIBPORTAL
#include <libportal-gtk4/portal-gtk4.h>
#include <libportal/portal.h>
#endif

#include "lan-background.h"

#ifdef HAVE_LIBPORTAL

static void
on_background_answer (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (xdp_portal_request_background_finish (XDP_PORTAL (source), result, &error))
    g_debug ("The Background portal agreed");
  else
    g_debug ("The Background portal did not agree: %s", error->message);
}

void
lan_background_request (GtkWindow *parent,
                        gboolean   autostart)
{
  g_autoptr(XdpPortal) portal = xdp_portal_new ();
  g_autoptr(GPtrArray) command = g_ptr_array_new_with_free_func (g_free);
  XdpParent *xdp_parent = parent != NULL ? xdp_parent_new_gtk (parent) : NULL;

  /* Started at login as a service: online, no window until activated. */
  g_ptr_array_add (command, g_strdup ("lanchat"));
  g_ptr_array_add (command, g_strdup ("--gapplication-service"));
  xdp_portal_request_background (portal, xdp_parent,
                                 _("Lanchat keeps you reachable on the local network with its window closed"),
                                 command,
                                 autostart ? XDP_BACKGROUND_FLAG_AUTOSTART : XDP_BACKGROUND_FLAG_NONE,
                                 NULL, on_background_answer, NULL);
  g_clear_pointer (&xdp_parent, xdp_parent_free);
}

#else /* !HAVE_LIBPORTAL */

void
lan_background_request (GtkWindow *parent,
                        gboolean   autostart)
{
  g_autofree char *dir = g_build_filename (g_get_user_config_dir (), "autostart", NULL);
  g_autofree char *path = g_build_filename (dir, APP_ID ".desktop", NULL);
  g_autoptr(GError) error = NULL;
  static const char entry[] =
    "[Desktop Entry]\n"
    "Type=Application\n"
    "Name=Lanchat\n"
    "Exec=lanchat --gapplication-service\n"
    "X-GNOME-Autostart-enabled=true\n";

  if (!autostart)
    {
      if (g_unlink (path) != 0 && errno != ENOENT)
        g_debug ("Cannot remove %s: %s", path, g_strerror (errno));
      return;
    }
  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !g_file_set_contents (path, entry, -1, &error))
    g_debug ("Cannot write %s: %s", path, error != NULL ? error->message : g_strerror (errno));
}

#endif
