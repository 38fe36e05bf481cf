/* test-window-files-attach.h — the cases of test-window-files-attach.c,
 * run in the test-window-files program (one app start less).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

G_BEGIN_DECLS

/* Before the app starts: owns org.gtk.Notifications on the test bus. */
void window_files_attach_set_up     (void);
/* After the program's own cases: the restart case is the last of all. */
void window_files_attach_add_cases  (void);
/* After window_fixture_run(). */
void window_files_attach_tear_down  (void);

G_END_DECLS
