/* test-window-doctor.c — "Why can't I see anyone?": the dialog opens from
 * the empty page and from a person's menu action, runs the doctor and lists
 * its findings; the header shows our address, not the bind address.
 *
 * Writes screenshots/doctor.png.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "lan-application.h"
#include "lan-doctor-dialog.h"
#include "lan-doctor.h"
#include "lan-window.h"

#include "ui-test-support.h"
#include "ui-window-fixture.h"

static gboolean
is_window_title (GtkWidget *widget,
                 gpointer   data)
{
  return ADW_IS_WINDOW_TITLE (widget) && gtk_widget_get_ancestor (widget, LAN_TYPE_DOCTOR_DIALOG) == NULL;
}

static gboolean
is_content_stack (GtkWidget *widget,
                  gpointer   data)
{
  return GTK_IS_STACK (widget) && gtk_stack_get_child_by_name (GTK_STACK (widget), "empty") != NULL;
}

static gboolean
is_button_for (GtkWidget *widget,
               gpointer   data)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), data) == 0;
}

/* Returns: (transfer none) (nullable): the open doctor dialog */
static LanDoctorDialog *
find_dialog (void)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (LAN_IS_DOCTOR_DIALOG (l->data))
      return l->data;
  return NULL;
}

static gboolean
dialog_has_findings (gpointer data)
{
  LanDoctorDialog *dialog = find_dialog ();

  return dialog != NULL && lan_doctor_dialog_get_findings (dialog) != NULL;
}

static gboolean
no_dialog (gpointer data)
{
  return find_dialog () == NULL;
}

/* Returns: (transfer none) (nullable) */
static LanDoctorFinding *
finding (GListModel *findings,
         const char *check)
{
  guint n = g_list_model_get_n_items (findings);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LanDoctorFinding) f = g_list_model_get_item (findings, i);

      if (g_str_equal (lan_doctor_finding_get_check (f), check))
        return f;   /* the model keeps it */
    }
  return NULL;
}

static guint
n_rows (GtkListBox *list)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child))
      n++;
  return n;
}

static void
close_dialog (void)
{
  gtk_window_close (GTK_WINDOW (find_dialog ()));
  wait_until (no_dialog, NULL, "the doctor dialog to close");
}

static void
test_header_shows_our_address (void)
{
  LanWindow *window;
  GtkWidget *title;
  const char *subtitle;

  wait_until (app_window_is_mapped, app, "the window to be mapped");
  wait_until (messenger_is_running, app_messenger (), "the messenger to run");
  window = get_window ();
  title = find_widget (GTK_WIDGET (window), is_window_title, NULL);
  g_assert_nonnull (title);
  subtitle = adw_window_title_get_subtitle (ADW_WINDOW_TITLE (title));
  g_assert_nonnull (strstr (subtitle, " · " APP_ADDRESS " · "));
  g_assert_null (strstr (subtitle, "0.0.0.0"));
  g_assert_null (strstr (subtitle, ":2425"));
}

static void
test_from_empty_page (void)
{
  LanWindow *window = get_window ();
  GtkWidget *stack;
  GtkWidget *empty;
  GtkWidget *button;
  LanDoctorDialog *dialog;
  GListModel *findings;
  LanDoctorFinding *port;

  g_assert_null (bob);
  wait_until (messenger_is_running, app_messenger (), "the messenger to run");
  stack = find_widget (GTK_WIDGET (window), is_content_stack, NULL);
  g_assert_nonnull (stack);
  empty = gtk_stack_get_child_by_name (GTK_STACK (stack), "empty");
  /* Loopback only here: the window may well say "no network" instead, so
   * show the empty page the way a LAN without anyone else would. */
  if (!g_str_equal (lan_window_get_page (window), "empty"))
    gtk_stack_set_visible_child_name (GTK_STACK (stack), "empty");
  /* The port others must use, as it is: not "2425 by default". */
  g_assert_nonnull (strstr (adw_status_page_get_description (ADW_STATUS_PAGE (empty)),
                            "on the same port, 2425. A firewall must let UDP and TCP port 2425 through."));
  button = find_widget (empty, is_button_for, (gpointer) "win.doctor");
  g_assert_nonnull (button);
  wait_frames (GTK_WIDGET (window));

  g_assert_true (gtk_widget_activate (button));
  wait_until (dialog_has_findings, NULL, "the doctor's findings");
  dialog = find_dialog ();
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  findings = lan_doctor_dialog_get_findings (dialog);
  g_assert_cmpuint (g_list_model_get_n_items (findings), >, 0);
  g_assert_cmpuint (n_rows (lan_doctor_dialog_get_list (dialog)), ==, g_list_model_get_n_items (findings));
  port = finding (findings, "port");
  g_assert_nonnull (port);
  g_assert_cmpint (lan_doctor_finding_get_status (port), ==, LAN_DOCTOR_OK);
  g_assert_cmpstr (lan_doctor_finding_get_detail (port), ==, "Listening on UDP port 2425.");
  /* Nobody else here: the problem, with what to do shown in its row. */
  g_assert_nonnull (finding (findings, "only-ourselves"));
  g_assert_cmpint (lan_doctor_finding_get_status (finding (findings, "only-ourselves")), ==, LAN_DOCTOR_PROBLEM);
  g_assert_nonnull (find_widget (GTK_WIDGET (lan_doctor_dialog_get_list (dialog)), is_label_with_text,
                                 (gpointer) lan_doctor_finding_get_detail (finding (findings, "only-ourselves"))));

  wait_frames (GTK_WIDGET (dialog));
  save_screenshot (GTK_WIDGET (dialog), "doctor.png");
  close_dialog ();
}

static void
test_from_peer_menu (void)
{
  LanDoctorDialog *dialog;
  LanDoctorFinding *address;

  ensure_bob ();
  gtk_widget_activate_action (GTK_WIDGET (get_window ()), "win.doctor-peer", "s", BOB_ADDRESS);
  wait_until (dialog_has_findings, NULL, "the doctor's findings about bob");
  dialog = find_dialog ();
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Why can’t I see " BOB_ADDRESS "?");
  address = finding (lan_doctor_dialog_get_findings (dialog), "address");
  g_assert_nonnull (address);
  g_assert_cmpint (lan_doctor_finding_get_status (address), ==, LAN_DOCTOR_OK);
  g_assert_cmpstr (lan_doctor_finding_get_detail (address), ==, BOB_ADDRESS " answers an entry on port 2425.");
  wait_frames (GTK_WIDGET (dialog));
  save_screenshot (GTK_WIDGET (dialog), "doctor-peer.png");
  close_dialog ();
}

int
main (int   argc,
      char *argv[])
{
  window_fixture_set_up (&argc, &argv);

  g_test_add_func ("/ui/doctor/header", test_header_shows_our_address);
  g_test_add_func ("/ui/doctor/empty-page", test_from_empty_page);
  g_test_add_func ("/ui/doctor/peer", test_from_peer_menu);

  return window_fixture_run ();
}
