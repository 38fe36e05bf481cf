/* lan-packet-export.c — pcap, pcapng, JSON Lines and CSV writers, sync and async.
 *
 * The formats themselves are in lan-packet-export-pcap.c,
 * lan-packet-export-pcapng.c and lan-packet-export-text.c; this file holds the buffered writer and the
 * blocking and sliced exports built on it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-packet-export"

#include "config.h"

#include <string.h>

#include "lan-packet-export.h"
#include "lan-packet-export-pcap.h"
#include "lan-packet-export-pcapng.h"
#include "lan-packet-export-text.h"

/* Buffered output goes to the stream in writes of about this size. */
#define WRITE_SIZE (64 * 1024)
/* The async export encodes this many rows per main-loop iteration: a few
 * milliseconds of work, so a window stays responsive. */
#define ROWS_PER_SLICE 1000

struct _LanPacketWriter
{
  GObject                parent_instance;

  GOutputStream         *stream;
  LanPacketExportFormat  format;
  GByteArray            *buffer;
  gboolean               header_written;
  guint64                count;
  guint64                skipped;      /* pcap, pcapng: transfer summary rows */
  guint16                ip_id;
  GArray                *interfaces;   /* pcapng: local addresses with an IDB */
};

G_DEFINE_FINAL_TYPE (LanPacketWriter, lan_packet_writer, G_TYPE_OBJECT)

const char *
lan_packet_export_format_extension (LanPacketExportFormat format)
{
  switch (format)
    {
    case LAN_PACKET_EXPORT_PCAP: return "pcap";
    case LAN_PACKET_EXPORT_JSON_LINES: return "jsonl";
    case LAN_PACKET_EXPORT_CSV: return "csv";
    case LAN_PACKET_EXPORT_PCAPNG: return "pcapng";
    default: g_return_val_if_reached (NULL);
    }
}

gboolean
lan_packet_export_format_from_filename (const char            *filename,
                                        LanPacketExportFormat *format)
{
  const char *dot;

  g_return_val_if_fail (filename != NULL, FALSE);

  dot = strrchr (filename, '.');
  if (dot == NULL)
    return FALSE;
  dot++;
  if (g_ascii_strcasecmp (dot, "pcap") == 0)
    *format = LAN_PACKET_EXPORT_PCAP;
  else if (g_ascii_strcasecmp (dot, "pcapng") == 0)
    *format = LAN_PACKET_EXPORT_PCAPNG;
  else if (g_ascii_strcasecmp (dot, "jsonl") == 0 || g_ascii_strcasecmp (dot, "json") == 0 ||
           g_ascii_strcasecmp (dot, "ndjson") == 0)
    *format = LAN_PACKET_EXPORT_JSON_LINES;
  else if (g_ascii_strcasecmp (dot, "csv") == 0)
    *format = LAN_PACKET_EXPORT_CSV;
  else
    return FALSE;
  return TRUE;
}

/* The writer */

static void
lan_packet_writer_finalize (GObject *object)
{
  LanPacketWriter *self = LAN_PACKET_WRITER (object);

  g_clear_object (&self->stream);
  g_clear_pointer (&self->buffer, g_byte_array_unref);
  g_clear_pointer (&self->interfaces, g_array_unref);
  G_OBJECT_CLASS (lan_packet_writer_parent_class)->finalize (object);
}

static void
lan_packet_writer_class_init (LanPacketWriterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lan_packet_writer_finalize;
}

static void
lan_packet_writer_init (LanPacketWriter *self)
{
  self->buffer = g_byte_array_sized_new (WRITE_SIZE + 1024);
  self->interfaces = g_array_new (FALSE, FALSE, sizeof (guint32));
}

LanPacketWriter *
lan_packet_writer_new (GOutputStream         *stream,
                       LanPacketExportFormat  format)
{
  LanPacketWriter *self;

  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), NULL);
  g_return_val_if_fail (format < LAN_PACKET_EXPORT_N_FORMATS, NULL);

  self = g_object_new (LAN_TYPE_PACKET_WRITER, NULL);
  self->stream = g_object_ref (stream);
  self->format = format;
  return self;
}

static void
encode_header (LanPacketWriter *self)
{
  if (self->header_written)
    return;
  self->header_written = TRUE;
  if (self->format == LAN_PACKET_EXPORT_PCAP)
    lan_packet_export_pcap_append_header (self->buffer);
  else if (self->format == LAN_PACKET_EXPORT_PCAPNG)
    lan_packet_export_pcapng_append_header (self->buffer);
  else if (self->format == LAN_PACKET_EXPORT_CSV)
    lan_packet_export_csv_append_header (self->buffer);
}

/* Into the buffer only; nothing blocks. */
static void
encode_entry (LanPacketWriter   *self,
              LanPacketLogEntry *entry)
{
  encode_header (self);
  if (lan_packet_log_entry_get_evicted (entry))
    return;
  /* A transfer's summary row is no packet: a capture has no frame for it. */
  if ((self->format == LAN_PACKET_EXPORT_PCAP || self->format == LAN_PACKET_EXPORT_PCAPNG) &&
      (lan_packet_log_entry_get_flags (entry) & LAN_DATAGRAM_TRANSFER))
    {
      self->skipped++;
      return;
    }

  switch (self->format)
    {
    case LAN_PACKET_EXPORT_PCAP:
      {
        GBytes *bytes = lan_packet_log_entry_get_bytes (entry);
        gsize len;
        const guint8 *data = g_bytes_get_data (bytes, &len);

        lan_packet_export_pcap_append_record (self->buffer, self->ip_id++,
                                              lan_packet_log_entry_get_time (entry),
                                              lan_packet_log_entry_get_direction (entry),
                                              lan_packet_log_entry_get_local (entry),
                                              lan_packet_log_entry_get_remote (entry),
                                              (lan_packet_log_entry_get_flags (entry) & LAN_DATAGRAM_TCP) != 0,
                                              data, len);
      }
      break;
    case LAN_PACKET_EXPORT_PCAPNG:
      lan_packet_export_pcapng_append_entry (self->buffer, self->interfaces, self->ip_id++, entry);
      break;
    case LAN_PACKET_EXPORT_JSON_LINES:
      lan_packet_export_json_append_line (self->buffer, entry);
      break;
    case LAN_PACKET_EXPORT_CSV:
    default:
      lan_packet_export_csv_append_row (self->buffer, entry);
      break;
    }
  self->count++;
}

void
lan_packet_writer_encode_entry (LanPacketWriter   *self,
                                LanPacketLogEntry *entry)
{
  g_return_if_fail (LAN_IS_PACKET_WRITER (self));
  g_return_if_fail (LAN_IS_PACKET_LOG_ENTRY (entry));

  encode_entry (self, entry);
}

void
lan_packet_writer_encode_header (LanPacketWriter *self)
{
  g_return_if_fail (LAN_IS_PACKET_WRITER (self));

  encode_header (self);
}

gsize
lan_packet_writer_get_buffered (LanPacketWriter *self)
{
  g_return_val_if_fail (LAN_IS_PACKET_WRITER (self), 0);

  return self->buffer->len;
}

GBytes *
lan_packet_writer_take_encoded (LanPacketWriter *self)
{
  GBytes *bytes;

  g_return_val_if_fail (LAN_IS_PACKET_WRITER (self), NULL);

  if (self->buffer->len == 0)
    return NULL;
  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&self->buffer));
  self->buffer = g_byte_array_sized_new (WRITE_SIZE + 1024);
  return bytes;
}

static gboolean
write_buffer (LanPacketWriter  *self,
              GCancellable     *cancellable,
              GError          **error)
{
  gboolean ok;

  if (self->buffer->len == 0)
    return TRUE;
  ok = g_output_stream_write_all (self->stream, self->buffer->data, self->buffer->len,
                                  NULL, cancellable, error);
  g_byte_array_set_size (self->buffer, 0);
  return ok;
}

gboolean
lan_packet_writer_write_entry (LanPacketWriter    *self,
                               LanPacketLogEntry  *entry,
                               GCancellable       *cancellable,
                               GError            **error)
{
  g_return_val_if_fail (LAN_IS_PACKET_WRITER (self), FALSE);
  g_return_val_if_fail (LAN_IS_PACKET_LOG_ENTRY (entry), FALSE);

  encode_entry (self, entry);
  if (self->buffer->len >= WRITE_SIZE)
    return write_buffer (self, cancellable, error);
  return TRUE;
}

gboolean
lan_packet_writer_flush (LanPacketWriter  *self,
                         GCancellable     *cancellable,
                         GError          **error)
{
  g_return_val_if_fail (LAN_IS_PACKET_WRITER (self), FALSE);

  encode_header (self);
  return write_buffer (self, cancellable, error) &&
         g_output_stream_flush (self->stream, cancellable, error);
}

guint64
lan_packet_writer_get_count (LanPacketWriter *self)
{
  g_return_val_if_fail (LAN_IS_PACKET_WRITER (self), 0);

  return self->count;
}

guint64
lan_packet_writer_get_skipped (LanPacketWriter *self)
{
  g_return_val_if_fail (LAN_IS_PACKET_WRITER (self), 0);

  return self->skipped;
}

gboolean
lan_packet_export (GListModel             *entries,
                   LanPacketExportFormat   format,
                   GOutputStream          *stream,
                   GCancellable           *cancellable,
                   GError                **error)
{
  g_autoptr(LanPacketWriter) writer = NULL;
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (entries), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  writer = lan_packet_writer_new (stream, format);
  n = g_list_model_get_n_items (entries);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LanPacketLogEntry) entry = g_list_model_get_item (entries, i);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (!lan_packet_writer_write_entry (writer, entry, cancellable, error))
        return FALSE;
    }
  return lan_packet_writer_flush (writer, cancellable, error);
}

/* Async: rows [cursor, end) are still to go; both move as the model changes. */

typedef struct {
  GListModel      *entries;
  LanPacketWriter *writer;
  gulong           changed_handler;
  guint            cursor;
  guint            end;
  GBytes          *in_flight;
  GSource         *slice_source;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  g_clear_signal_handler (&job->changed_handler, job->entries);
  if (job->slice_source != NULL)
    {
      g_source_destroy (job->slice_source);
      g_clear_pointer (&job->slice_source, g_source_unref);
    }
  g_clear_object (&job->entries);
  g_clear_object (&job->writer);
  g_clear_pointer (&job->in_flight, g_bytes_unref);
  g_free (job);
}

static guint
shift_for_removal (guint mark,
                   guint position,
                   guint removed)
{
  if (position >= mark)
    return mark;
  return mark - MIN (removed, mark - position);
}

static void
on_entries_changed (GListModel *entries,
                    guint       position,
                    guint       removed,
                    guint       added,
                    ExportJob  *job)
{
  job->cursor = shift_for_removal (job->cursor, position, removed);
  job->end = shift_for_removal (job->end, position, removed);
  /* Rows inserted before the cursor are not ours; inside the range they are. */
  if (position < job->cursor)
    job->cursor += added;
  if (position < job->end)
    job->end += added;
}

static void export_next_slice (GTask *task);

static void
on_slice_written (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  ExportJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  g_clear_pointer (&job->in_flight, g_bytes_unref);
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  /* Our reference goes on to the next slice. */
  export_next_slice (task);
}

static void
on_flushed (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ExportJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_output_stream_flush_finish (G_OUTPUT_STREAM (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_int (task, (gssize) MIN (job->writer->count, (guint64) G_MAXSSIZE));
}

static gboolean
on_slice_due (gpointer user_data)
{
  GTask *task = user_data;
  ExportJob *job = g_task_get_task_data (task);
  LanPacketWriter *writer = job->writer;
  gboolean done;

  g_clear_pointer (&job->slice_source, g_source_unref);

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return G_SOURCE_REMOVE;
    }

  for (guint i = 0; i < ROWS_PER_SLICE && job->cursor < job->end; i++)
    {
      g_autoptr(LanPacketLogEntry) entry = g_list_model_get_item (job->entries, job->cursor++);

      if (entry != NULL)
        encode_entry (writer, entry);
      if (writer->buffer->len >= WRITE_SIZE)
        break;
    }
  done = job->cursor >= job->end;
  if (done)
    encode_header (writer);

  if (writer->buffer->len > 0)
    {
      gsize len = writer->buffer->len;

      /* The bytes leave the writer's buffer, which the next slice refills. */
      job->in_flight = g_byte_array_free_to_bytes (g_steal_pointer (&writer->buffer));
      writer->buffer = g_byte_array_sized_new (WRITE_SIZE + 1024);
      g_output_stream_write_all_async (writer->stream, g_bytes_get_data (job->in_flight, NULL), len,
                                       G_PRIORITY_DEFAULT_IDLE, g_task_get_cancellable (task),
                                       on_slice_written, task);
      return G_SOURCE_REMOVE;
    }

  if (done)
    {
      g_clear_signal_handler (&job->changed_handler, job->entries);
      g_output_stream_flush_async (writer->stream, G_PRIORITY_DEFAULT_IDLE,
                                   g_task_get_cancellable (task), on_flushed, task);
      return G_SOURCE_REMOVE;
    }

  export_next_slice (task);
  return G_SOURCE_REMOVE;
}

/* Takes over the reference on @task. */
static void
export_next_slice (GTask *task)
{
  ExportJob *job = g_task_get_task_data (task);

  if (job->cursor >= job->end && job->writer->header_written && job->writer->buffer->len == 0)
    {
      g_clear_signal_handler (&job->changed_handler, job->entries);
      g_output_stream_flush_async (job->writer->stream, G_PRIORITY_DEFAULT_IDLE,
                                   g_task_get_cancellable (task), on_flushed, task);
      return;
    }
  /* Below drawing and input, so the window stays live while we work. */
  job->slice_source = g_idle_source_new ();
  g_source_set_priority (job->slice_source, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_callback (job->slice_source, on_slice_due, task, NULL);
  g_source_set_static_name (job->slice_source, "[lanchat] packet export");
  g_source_attach (job->slice_source, g_main_context_get_thread_default ());
}

void
lan_packet_export_async (GListModel            *entries,
                         LanPacketExportFormat  format,
                         GOutputStream         *stream,
                         GCancellable          *cancellable,
                         GAsyncReadyCallback    callback,
                         gpointer               user_data)
{
  GTask *task;
  ExportJob *job;

  g_return_if_fail (G_IS_LIST_MODEL (entries));
  g_return_if_fail (G_IS_OUTPUT_STREAM (stream));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, lan_packet_export_async);
  job = g_new0 (ExportJob, 1);
  job->entries = g_object_ref (entries);
  job->writer = lan_packet_writer_new (stream, format);
  job->end = g_list_model_get_n_items (entries);
  job->changed_handler = g_signal_connect (entries, "items-changed", G_CALLBACK (on_entries_changed), job);
  g_task_set_task_data (task, job, (GDestroyNotify) export_job_free);

  export_next_slice (task);
}

gboolean
lan_packet_export_finish (GAsyncResult  *result,
                          guint64       *n_written,
                          GError       **error)
{
  gssize count;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lan_packet_export_async, FALSE);

  count = g_task_propagate_int (G_TASK (result), error);
  if (count < 0)
    return FALSE;
  if (n_written != NULL)
    *n_written = (guint64) count;
  return TRUE;
}

guint64
lan_packet_export_get_skipped (GAsyncResult *result)
{
  ExportJob *job;

  g_return_val_if_fail (g_task_is_valid (result, NULL), 0);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lan_packet_export_async, 0);

  job = g_task_get_task_data (G_TASK (result));
  return job != NULL && job->writer != NULL ? job->writer->skipped : 0;
}
