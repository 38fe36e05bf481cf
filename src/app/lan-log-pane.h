/* lan-log-pane.h — the packet log as a table, with a details and bytes view.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lan-charset.h"
#include "lan-packet-export.h"
#include "lan-packet-inspector.h"
#include "lan-packet-log.h"
#include "lan-packet-recorder.h"
#include "lan-peer-list.h"

G_BEGIN_DECLS

#define LAN_TYPE_LOG_PANE (lan_log_pane_get_type ())
G_DECLARE_FINAL_TYPE (LanLogPane, lan_log_pane, LAN, LOG_PANE, GtkWidget)

/* Returns: (transfer floating): a new pane. */
GtkWidget    *lan_log_pane_new           (void);
/* Returns: (transfer none) (nullable): the log shown. */
LanPacketLog *lan_log_pane_get_log       (LanLogPane   *self);
void          lan_log_pane_set_log       (LanLogPane   *self,
                                          LanPacketLog *log);
void          lan_log_pane_set_paused    (LanLogPane   *self,
                                          gboolean      paused);
gboolean      lan_log_pane_get_following (LanLogPane   *self);
/* The rows the table shows: all of the log, or the frozen part while
 * paused, as far as the filter lets them through (a GtkFilterListModel).
 * Returns: (transfer none): a model of LanPacketLogEntry. */
GListModel   *lan_log_pane_get_model     (LanLogPane   *self);
void          lan_log_pane_select        (LanLogPane   *self,
                                          guint         position);
/* For peer: filters by nickname. */
void          lan_log_pane_set_peers     (LanLogPane   *self,
                                          LanPeerList  *peers);
void          lan_log_pane_set_legacy_encoding (LanLogPane        *self,
                                                LanLegacyEncoding  legacy);
/* Datagrams the system dropped before we could read them (SO_RXQ_OVFL);
 * shown as "not known" until first set. */
void          lan_log_pane_set_kernel_drops (LanLogPane *self,
                                             guint64     drops);
/* Put @text in the search field and filter by it at once. */
void          lan_log_pane_set_filter_text (LanLogPane *self,
                                            const char *text);
/* Returns: (transfer none): the search field's text. */
const char   *lan_log_pane_get_filter_text (LanLogPane *self);

/* Write all of the log, or the rows shown, to @file (replaced only once
 * complete), without blocking the main loop. */
void          lan_log_pane_export_async  (LanLogPane            *self,
                                          gboolean               shown_only,
                                          GFile                 *file,
                                          LanPacketExportFormat  format,
                                          GCancellable          *cancellable,
                                          GAsyncReadyCallback    callback,
                                          gpointer               user_data);
gboolean      lan_log_pane_export_finish (LanLogPane            *self,
                                          GAsyncResult          *result,
                                          guint64               *n_written,
                                          GError               **error);
/* Rows the finished export of @result left out: transfer summaries in a
 * pcap or pcapng file, which has no frame for them. */
guint64       lan_log_pane_export_get_skipped (LanLogPane       *self,
                                               GAsyncResult     *result);

/* Record to File: every packet logged from now on, appended to @file as it
 * comes (LanPacketRecorder); the recording button shows until it stops.
 * FALSE with @error when the file can't be made or one is going already. */
gboolean      lan_log_pane_record_to     (LanLogPane            *self,
                                          GFile                 *file,
                                          LanPacketExportFormat  format,
                                          GError               **error);
void          lan_log_pane_stop_recording (LanLogPane           *self);
/* Returns: (transfer none) (nullable): the recorder while recording. */
LanPacketRecorder *lan_log_pane_get_recorder (LanLogPane        *self);

/* File choosers (export, record) open in the folder last chosen in one
 * this session, else Documents, else home.
 * Returns: (transfer full) */
GFile        *lan_log_pane_dup_dialog_folder (LanLogPane        *self);
/* @file's folder is the one the next chooser opens in. */
void          lan_log_pane_remember_folder   (LanLogPane        *self,
                                              GFile             *file);
/* The chooser open now, or NULL (tests answer it). */
void          lan_log_pane_set_file_chooser  (LanLogPane            *self,
                                              GtkFileChooserNative  *chooser);
/* Returns: (transfer none) (nullable) */
GtkFileChooserNative *lan_log_pane_get_file_chooser (LanLogPane    *self);

/* For tests. Pointers returned are (transfer none), but for
 * lan_log_pane_dup_details(): (transfer full) the inspector's text. */
char         *lan_log_pane_dup_details   (LanLogPane   *self);
LanPacketInspector *lan_log_pane_get_inspector (LanLogPane *self);
GtkWidget    *lan_log_pane_get_search_entry (LanLogPane *self);
/* (nullable): the filter's parse error while one is shown. */
const char   *lan_log_pane_get_filter_error (LanLogPane *self);
const char   *lan_log_pane_get_status    (LanLogPane   *self);
void          lan_log_pane_show_counters (LanLogPane   *self);
GtkWidget    *lan_log_pane_get_counters_grid (LanLogPane *self);

/* For the pane's parts (lan-log-pane-*.c). */
/* A count for ngettext(), which takes an unsigned long. */
#define LAN_LOG_PANE_PLURAL_N(count) ((gulong) MIN ((count), G_MAXULONG))
/* Returns: (transfer none): @number written into @buffer. */
const char   *lan_log_pane_format_number (char        buffer[24],
                                          guint64     number);
/* In the window's toast overlay (markup-escaped), or logged without one. */
void          lan_log_pane_show_toast    (LanLogPane *self,
                                          const char *message);

G_END_DECLS
