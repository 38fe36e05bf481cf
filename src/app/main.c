/* main.c — the lanchat program.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-main"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "lan-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(LanApplication) application = NULL;
  /* An uninstalled build has its catalogues in build/po/<lang>/LC_MESSAGES. */
  const char *localedir = g_getenv ("LANCHAT_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  application = lan_application_new ();
  return g_application_run (G_APPLICATION (application), argc, argv);
}
