/* lan-offer-open.c — Open and Show in Folder for a saved file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-offer-open"

#include "config.h"

#include <glib/gi18n.h>

#include "lan-offer-open.h"
#include "lan-window.h"

#if !GTK_CHECK_VERSION (4, 10, 0)
typedef struct {
  GtkWidget *widget;
  GFile     *file;
} Opening;

static Opening *
opening_new (GtkWidget *widget,
             GFile     *file)
{
  Opening *opening = g_new0 (Opening, 1);

  opening->widget = g_object_ref (widget);
  opening->file = g_object_ref (file);
  return opening;
}

static void
opening_free (Opening *opening)
{
  g_clear_object (&opening->widget);
  g_clear_object (&opening->file);
  g_free (opening);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Opening, opening_free)

static void
show_problem (GtkWidget  *widget,
              const char *message)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  if (LAN_IS_WINDOW (root))
    lan_window_show_toast (LAN_WINDOW (root), message);
  else
    g_message ("%s", message);
}

static void
on_launched (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Opening) opening = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Cannot open it: %s"), error->message);

      show_problem (opening->widget, message);
    }
}

static void
launch_uri (GtkWidget *widget,
            GFile     *file)
{
  g_autofree char *uri = g_file_get_uri (file);
  g_autoptr(GdkAppLaunchContext) context = gdk_display_get_app_launch_context (gtk_widget_get_display (widget));

  g_app_info_launch_default_for_uri_async (uri, G_APP_LAUNCH_CONTEXT (context), NULL,
                                           on_launched, opening_new (widget, file));
}

/* No file manager that answers ShowItems: its folder, opened. */
static void
on_show_items (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(Opening) opening = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);

  if (reply == NULL)
    {
      g_autoptr(GFile) folder = g_file_get_parent (opening->file);

      g_debug ("ShowItems: %s", error->message);
      if (folder != NULL)
        launch_uri (opening->widget, folder);
    }
}
#endif

void
lan_offer_open (GtkWidget *widget,
                GFile     *file,
                gboolean   containing_folder)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (G_IS_FILE (file));

#if GTK_CHECK_VERSION (4, 10, 0)
  /* Newer than the 4.8 we build against by default: used when present. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  {
    GtkRoot *root = gtk_widget_get_root (widget);
    GtkWindow *window = GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
    g_autoptr(GtkFileLauncher) launcher = gtk_file_launcher_new (file);

    if (containing_folder)
      gtk_file_launcher_open_containing_folder (launcher, window, NULL, NULL, NULL);
    else
      gtk_file_launcher_launch (launcher, window, NULL, NULL, NULL);
  }
  G_GNUC_END_IGNORE_DEPRECATIONS
#else
  if (containing_folder)
    {
      GApplication *application = g_application_get_default ();
      GDBusConnection *bus = application != NULL ? g_application_get_dbus_connection (application) : NULL;
      g_autofree char *uri = g_file_get_uri (file);
      const char *uris[] = { uri, NULL };

      if (bus != NULL)
        {
          g_dbus_connection_call (bus, "org.freedesktop.FileManager1", "/org/freedesktop/FileManager1",
                                  "org.freedesktop.FileManager1", "ShowItems",
                                  g_variant_new ("(^ass)", uris, ""), NULL,
                                  G_DBUS_CALL_FLAGS_NONE, -1, NULL, on_show_items, opening_new (widget, file));
          return;
        }
      {
        g_autoptr(GFile) folder = g_file_get_parent (file);

        if (folder != NULL)
          launch_uri (widget, folder);
      }
    }
  else
    launch_uri (widget, file);
#endif
}
