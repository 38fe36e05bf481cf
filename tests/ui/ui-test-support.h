/* ui-test-support.h — what the UI test programs share: waiting on
 * the main context with a deadline, frames, screenshots, finding widgets,
 * the second engine ("bob") and the process's setup and teardown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lan-application.h"

G_BEGIN_DECLS

#define APP_ADDRESS   "127.0.0.2"
#define BOB_ADDRESS   "127.0.0.3"
#define TEST_PORT     2425
#define APP_KEY       APP_ADDRESS ":2425"
#define BOB_KEY       BOB_ADDRESS ":2425"
#define DEADLINE_S    20

typedef gboolean (*Condition) (gpointer data);

void wait_until (Condition   condition,
                 gpointer    data,
                 const char *what);

void wait_frames (GtkWidget *widget);

void save_screenshot (GtkWidget  *widget,
                      const char *name);

typedef gboolean (*WidgetPredicate) (GtkWidget *widget,
                                     gpointer   data);

GtkWidget *find_widget (GtkWidget       *root,
                        WidgetPredicate  predicate,
                        gpointer         data);

gboolean is_label_with_text (GtkWidget *widget,
                             gpointer   data);

gboolean is_row_of_message (GtkWidget *widget,
                            gpointer   data);

GtkWindow *find_preferences_window (void);

LanMessage *last_message (LanConversation *conversation);

gboolean messenger_is_running (gpointer messenger);

gboolean app_window_is_mapped (gpointer app);

LanMessenger *bob_new (const char *nickname,
                       const char *group);

void wait_acquainted (LanMessenger *app_messenger,
                      LanMessenger *bob,
                      const char   *bob_nickname,
                      const char   *bob_name);

char *make_data_home (void);

void configure_settings (const char *nickname,
                         const char *group);

LanApplication *start_app (void);

void finish (LanApplication *app,
             LanMessenger   *bob,
             char           *data_home);

G_END_DECLS
