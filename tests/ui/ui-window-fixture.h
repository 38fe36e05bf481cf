/* ui-window-fixture.h — what the test-window-*.c programs share: the app
 * (on APP_ADDRESS, with a data folder of its own), bob (a second engine
 * on BOB_ADDRESS, made on demand) and helpers for both.
 *
 * Each program calls window_fixture_set_up(), adds its cases and returns
 * window_fixture_run(). They run under run-ui-test.sh: loopback-only
 * network namespace, Xvfb, a private session bus, GSETTINGS_BACKEND=memory;
 * the app and bob, each with the other as extra target, on port 2425. No
 * sleeps: the main context is iterated until a condition holds, with a
 * deadline (wait_until).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lan-application.h"
#include "lan-log-pane.h"
#include "lan-window.h"

G_BEGIN_DECLS

/* A stranger who sends the app garbage. */
#define MALLORY_ADDRESS "127.0.0.4"
#define BOB_NICKNAME    "<b>bold</b> &amp;"

/* The program's app, bob (NULL until ensure_bob()) and the app's
 * XDG_DATA_HOME. */
extern LanApplication *app;
extern LanMessenger   *bob;
extern char           *data_home;

/* Before adding cases: a data folder and settings of its own, the app started. */
void window_fixture_set_up (int    *argc,
                            char ***argv);
/* Runs the cases, then stops bob and the app and removes the data folder. */
int  window_fixture_run    (void);

/* Returns: (transfer none): the app's window. */
LanWindow    *get_window         (void);
/* Returns: (transfer none): the app's messenger. */
LanMessenger *app_messenger      (void);
/* Bob running, and he and the app listing each other. */
void          ensure_bob         (void);
/* Returns: (transfer none): bob in the app's peer list. */
LanPeer      *bob_as_seen_by_app (void);

typedef struct {
  LanLogPane *pane;
  guint64 packet_no;
} LogWait;

/* A Condition: the pane's rows hold an incoming SENDMSG numbered packet_no. */
gboolean log_shows_sendmsg (gpointer data);

typedef struct {
  LanLogPane *pane;
  guint expected;
} CountWait;

/* A Condition: the pane's filter is done and shows `expected` rows. */
gboolean filter_done_with          (gpointer    data);
/* Rows of the whole log @query matches, by the core's own matcher. */
guint    count_matching            (const char *query);
/* A Condition: a malformed datagram from the address prefix @data is logged. */
gboolean log_has_verdict_from      (gpointer    data);
/* A datagram the codec rejects, from an address that is no peer. */
void     send_garbage_from_mallory (void);

/* A Condition: the window's log pane is mapped. */
gboolean    log_pane_mapped           (gpointer    data);
/* The log pane shown. Returns: (transfer none) */
LanLogPane *show_log                  (void);
/* A Condition on a LanMessage. */
gboolean    message_is_delivered      (gpointer    data);
/* A message each way with bob (SENDMSG out, RECVMSG in), delivered. */
void        exchange_a_message        (void);
/* The non-empty lines of the file at @path. */
guint       count_lines               (const char *path);
/* A visible toplevel of @type (a dialog), or NULL. Returns: (transfer none) (nullable) */
GtkWindow  *find_toplevel_of_type     (GType       type);

G_END_DECLS
