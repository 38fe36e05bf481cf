/* lan-cli-hash.h — sha256 of what `receive` saved, in a thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  char    *path;    /* relative to the folder fetched; NULL for a single file */
  char    *type;    /* "file", or what else was found where only files belong */
  guint64  size;
  char    *sha256;  /* NULL when not a regular file */
} LanCliHashed;

/* What the thread reads: copied, so that it never touches the transfer. */
typedef struct {
  GFile    *file;
  gboolean  directory;
} LanCliHashJob;

void lan_cli_hashed_free   (LanCliHashed  *hashed);
void lan_cli_hash_job_free (LanCliHashJob *job);
/* A GTaskThreadFunc: task data is a LanCliHashJob; returns a GPtrArray of
 * LanCliHashed (sorted by path for a folder). */
void lan_cli_hash_in_thread (GTask        *task,
                             gpointer      source_object,
                             gpointer      task_data,
                             GCancellable *cancellable);

G_END_DECLS
