/* lan-test-tmpdir.h — a temporary directory for a test, removed with
 * everything in it when the test is done.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _LanTestTmpdir LanTestTmpdir;

/* A new directory "@prefix-XXXXXX" under g_get_tmp_dir (); aborts the test
 * when it can't be made.
 * Returns: (transfer full) */
LanTestTmpdir *lan_test_tmpdir_new      (const char    *prefix);
/* Returns: (transfer none) */
const char    *lan_test_tmpdir_get_path (LanTestTmpdir *self);
/* @name inside the directory (not created).
 * Returns: (transfer full) */
char          *lan_test_tmpdir_file     (LanTestTmpdir *self,
                                         const char    *name);
/* Removes the directory and everything in it. */
void           lan_test_tmpdir_free     (LanTestTmpdir *self);

/* Removes @path and, for a directory, everything under it (symbolic links
 * are removed, never followed). FALSE with @error when something stays. */
gboolean       lan_test_remove_tree     (const char    *path,
                                         GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LanTestTmpdir, lan_test_tmpdir_free)

G_END_DECLS
