/* lan-packet-recorder.c — continuous capture of a packet log to a file.
 *
 * The log's items-changed says entries came (at most once per main-loop
 * iteration); they are the ones at the end numbered above the last one
 * taken. They are encoded by a LanPacketWriter into its buffer, and the
 * buffer goes to the stream with write_all_async, one write at a time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-packet-recorder"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "lan-packet-recorder.h"

/* Write at least this often, so the file follows the log closely. */
#define RECORDER_FLUSH_MS 250
/* Or as soon as this much is buffered. */
#define RECORDER_WRITE_SIZE (64 * 1024)
/* A disk this far behind will not catch up: stop rather than fill memory. */
#define RECORDER_MAX_BACKLOG (64 * 1024 * 1024)

struct _LanPacketRecorder
{
  GObject                parent_instance;

  LanPacketLog          *log;
  GFile                 *file;
  LanPacketExportFormat  format;
  GOutputStream         *stream;
  GIOStream             *io_stream;   /* the file's, when it existed */
  LanPacketWriter       *writer;
  GCancellable          *cancellable;
  gulong                 items_handler;
  guint                  flush_timeout_id;
  GBytes                *in_flight;
  guint64                last_number;
  guint64                count;
  guint64                missed;
  GError                *error;
  gboolean               recording;
  gboolean               closing;     /* stop asked: close once the buffer is out */
  gboolean               stopped;     /* "stopped" emitted */
};

enum {
  PROP_0,
  PROP_LOG,
  PROP_FILE,
  PROP_FORMAT,
  PROP_COUNT,
  PROP_MISSED,
  PROP_RECORDING,
  N_PROPS
};

enum {
  SIGNAL_STOPPED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (LanPacketRecorder, lan_packet_recorder, G_TYPE_OBJECT)

static void pump (LanPacketRecorder *self);

static void
detach_from_log (LanPacketRecorder *self)
{
  g_clear_signal_handler (&self->items_handler, self->log);
  g_clear_handle_id (&self->flush_timeout_id, g_source_remove);
  if (self->recording)
    {
      self->recording = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORDING]);
    }
}

static void
emit_stopped (LanPacketRecorder *self)
{
  if (self->stopped)
    return;
  self->stopped = TRUE;
  g_signal_emit (self, signals[SIGNAL_STOPPED], 0, self->error);
}

static void
on_closed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(LanPacketRecorder) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_close_finish (G_OUTPUT_STREAM (source), result, &error) && self->error == NULL)
    self->error = g_steal_pointer (&error);
  g_clear_object (&self->stream);
  emit_stopped (self);
}

static void
close_stream (LanPacketRecorder *self)
{
  if (self->stream == NULL || g_output_stream_is_closing (self->stream))
    return;
  g_output_stream_close_async (self->stream, G_PRIORITY_DEFAULT, NULL, on_closed, g_object_ref (self));
}

/* A write failed or the disk is too far behind: stop, keeping @error. */
static void
fail (LanPacketRecorder *self,
      GError            *error)
{
  if (self->error == NULL)
    {
      g_autofree char *name = g_file_get_parse_name (self->file);

      /* Not a warning: the owner is told by "stopped", and says it. */
      g_debug ("Recording to %s stopped: %s", name, error->message);
      self->error = error;
    }
  else
    g_error_free (error);
  detach_from_log (self);
  self->closing = TRUE;
  /* A stream can't close under a write: that write ends first, cancelled. */
  if (self->in_flight != NULL)
    g_cancellable_cancel (self->cancellable);
  else
    close_stream (self);
}

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(LanPacketRecorder) self = user_data;
  GError *error = NULL;

  g_clear_pointer (&self->in_flight, g_bytes_unref);
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      fail (self, error);
      return;
    }
  if (self->error != NULL)
    {
      close_stream (self);
      return;
    }
  pump (self);
}

static gboolean
on_flush_due (gpointer user_data)
{
  LanPacketRecorder *self = user_data;

  self->flush_timeout_id = 0;
  pump (self);
  return G_SOURCE_REMOVE;
}

/* Sends the buffer on when it is due, one write at a time; closes the
 * file once stopping and all is out. */
static void
pump (LanPacketRecorder *self)
{
  gsize buffered;

  if (self->in_flight != NULL || self->stream == NULL || self->error != NULL)
    return;

  buffered = lan_packet_writer_get_buffered (self->writer);
  if (buffered > 0 && (self->closing || buffered >= RECORDER_WRITE_SIZE || self->flush_timeout_id == 0))
    {
      gsize len;

      g_clear_handle_id (&self->flush_timeout_id, g_source_remove);
      self->in_flight = lan_packet_writer_take_encoded (self->writer);
      g_output_stream_write_all_async (self->stream, g_bytes_get_data (self->in_flight, &len),
                                       g_bytes_get_size (self->in_flight), G_PRIORITY_DEFAULT,
                                       self->cancellable, on_written, g_object_ref (self));
      return;
    }
  if (self->closing && buffered == 0)
    close_stream (self);
}

static void
on_items_changed (GListModel        *log,
                  guint              position,
                  guint              removed,
                  guint              added,
                  LanPacketRecorder *self)
{
  guint n = g_list_model_get_n_items (log);
  guint first = n;
  guint64 before = self->last_number;

  if (added == 0)
    return;

  /* The new entries are the ones at the end numbered above the last taken. */
  while (first > 0)
    {
      g_autoptr(LanPacketLogEntry) entry = g_list_model_get_item (log, first - 1);

      if (lan_packet_log_entry_get_number (entry) <= self->last_number)
        break;
      first--;
    }
  for (guint i = first; i < n; i++)
    {
      g_autoptr(LanPacketLogEntry) entry = g_list_model_get_item (log, i);
      guint64 number = lan_packet_log_entry_get_number (entry);

      if (number > self->last_number + 1 && self->last_number > 0)
        self->missed += number - self->last_number - 1;
      self->last_number = number;
      if (lan_packet_log_entry_get_evicted (entry))
        {
          self->missed++;
          continue;
        }
      lan_packet_writer_encode_entry (self->writer, entry);
      self->count++;
    }
  if (self->last_number == before)
    return;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNT]);
  if (self->missed > 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MISSED]);

  if (lan_packet_writer_get_buffered (self->writer) + (self->in_flight ? g_bytes_get_size (self->in_flight) : 0) >
      RECORDER_MAX_BACKLOG)
    {
      fail (self, g_error_new (G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                               _("The disk does not keep up with the packets")));
      return;
    }
  if (lan_packet_writer_get_buffered (self->writer) >= RECORDER_WRITE_SIZE)
    pump (self);
  else if (self->flush_timeout_id == 0 && self->in_flight == NULL)
    self->flush_timeout_id = g_timeout_add (RECORDER_FLUSH_MS, on_flush_due, self);
}

void
lan_packet_recorder_stop (LanPacketRecorder *self)
{
  g_return_if_fail (LAN_IS_PACKET_RECORDER (self));

  if (self->closing)
    return;
  /* Entries logged this iteration are still pending in the log. */
  if (self->recording)
    lan_packet_log_flush (self->log);
  detach_from_log (self);
  self->closing = TRUE;
  pump (self);
}

static void
lan_packet_recorder_dispose (GObject *object)
{
  LanPacketRecorder *self = LAN_PACKET_RECORDER (object);

  detach_from_log (self);
  /* A write in flight holds a reference, so here nothing is: finish the
   * file the blocking way rather than leave it cut short. */
  if (self->stream != NULL && !g_output_stream_is_closed (self->stream) &&
      !g_output_stream_is_closing (self->stream))
    {
      g_autoptr(GBytes) rest = lan_packet_writer_take_encoded (self->writer);
      g_autoptr(GError) error = NULL;

      if ((rest == NULL || g_output_stream_write_all (self->stream, g_bytes_get_data (rest, NULL),
                                                      g_bytes_get_size (rest), NULL, NULL, &error)) &&
          g_output_stream_close (self->stream, NULL, &error))
        ;
      else
        g_warning ("Could not finish the recording: %s", error->message);
    }
  g_clear_object (&self->stream);
  g_clear_object (&self->io_stream);
  g_clear_object (&self->writer);
  g_clear_object (&self->log);
  G_OBJECT_CLASS (lan_packet_recorder_parent_class)->dispose (object);
}

static void
lan_packet_recorder_finalize (GObject *object)
{
  LanPacketRecorder *self = LAN_PACKET_RECORDER (object);

  g_clear_object (&self->file);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->in_flight, g_bytes_unref);
  g_clear_error (&self->error);
  G_OBJECT_CLASS (lan_packet_recorder_parent_class)->finalize (object);
}

static void
lan_packet_recorder_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  LanPacketRecorder *self = LAN_PACKET_RECORDER (object);

  switch (prop_id)
    {
    case PROP_LOG: g_value_set_object (value, self->log); break;
    case PROP_FILE: g_value_set_object (value, self->file); break;
    case PROP_FORMAT: g_value_set_int (value, (int) self->format); break;
    case PROP_COUNT: g_value_set_uint64 (value, self->count); break;
    case PROP_MISSED: g_value_set_uint64 (value, self->missed); break;
    case PROP_RECORDING: g_value_set_boolean (value, self->recording); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lan_packet_recorder_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  LanPacketRecorder *self = LAN_PACKET_RECORDER (object);

  switch (prop_id)
    {
    case PROP_LOG: self->log = g_value_dup_object (value); break;
    case PROP_FILE: self->file = g_value_dup_object (value); break;
    case PROP_FORMAT: self->format = (LanPacketExportFormat) g_value_get_int (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lan_packet_recorder_class_init (LanPacketRecorderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = lan_packet_recorder_dispose;
  object_class->finalize = lan_packet_recorder_finalize;
  object_class->get_property = lan_packet_recorder_get_property;
  object_class->set_property = lan_packet_recorder_set_property;

  properties[PROP_LOG] = g_param_spec_object ("log", NULL, NULL, LAN_TYPE_PACKET_LOG, construct);
  properties[PROP_FILE] = g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE, construct);
  properties[PROP_FORMAT] = g_param_spec_int ("format", NULL, NULL, 0, LAN_PACKET_EXPORT_N_FORMATS - 1,
                                              LAN_PACKET_EXPORT_PCAPNG, construct);
  properties[PROP_COUNT] = g_param_spec_uint64 ("count", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_MISSED] = g_param_spec_uint64 ("missed", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_RECORDING] = g_param_spec_boolean ("recording", NULL, NULL, FALSE, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_STOPPED] = g_signal_new ("stopped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
lan_packet_recorder_init (LanPacketRecorder *self)
{
  self->cancellable = g_cancellable_new ();
}

/* Not g_file_replace: it writes to a temporary file renamed on close, and
 * a capture is read while it grows (tail -f, Wireshark's reload). An
 * existing file is emptied in place, and only a regular one: whatever
 * else the name is (a device, a pipe) is written to as it is. */
static GOutputStream *
open_for_recording (GFile      *file,
                    GIOStream **io_stream,
                    GError    **error)
{
  g_autoptr(GError) create_error = NULL;
  g_autoptr(GFileIOStream) existing = NULL;
  GFileOutputStream *created = g_file_create (file, G_FILE_CREATE_PRIVATE, NULL, &create_error);

  if (created != NULL)
    return G_OUTPUT_STREAM (created);
  if (!g_error_matches (create_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_propagate_error (error, g_steal_pointer (&create_error));
      return NULL;
    }

  existing = g_file_open_readwrite (file, NULL, error);
  if (existing == NULL)
    return NULL;
  if (g_file_query_file_type (file, G_FILE_QUERY_INFO_NONE, NULL) == G_FILE_TYPE_REGULAR &&
      !g_seekable_truncate (G_SEEKABLE (existing), 0, NULL, error))
    return NULL;
  *io_stream = G_IO_STREAM (g_object_ref (existing));
  return g_object_ref (g_io_stream_get_output_stream (G_IO_STREAM (existing)));
}

LanPacketRecorder *
lan_packet_recorder_new (LanPacketLog           *log,
                         GFile                  *file,
                         LanPacketExportFormat   format,
                         GError                **error)
{
  g_autoptr(LanPacketRecorder) self = NULL;
  guint n;

  g_return_val_if_fail (LAN_IS_PACKET_LOG (log), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (format < LAN_PACKET_EXPORT_N_FORMATS, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (LAN_TYPE_PACKET_RECORDER, "log", log, "file", file, "format", (int) format, NULL);

  self->stream = open_for_recording (file, &self->io_stream, error);
  if (self->stream == NULL)
    return NULL;

  self->writer = lan_packet_writer_new (self->stream, format);
  /* An empty capture is a valid file too. */
  lan_packet_writer_encode_header (self->writer);

  /* Only what comes from now on: what is already pending in the log counts
   * as logged before. */
  lan_packet_log_flush (log);
  n = g_list_model_get_n_items (G_LIST_MODEL (log));
  if (n > 0)
    {
      g_autoptr(LanPacketLogEntry) newest = g_list_model_get_item (G_LIST_MODEL (log), n - 1);

      self->last_number = lan_packet_log_entry_get_number (newest);
    }
  else
    self->last_number = lan_packet_log_get_total (log);

  self->items_handler = g_signal_connect (log, "items-changed", G_CALLBACK (on_items_changed), self);
  self->recording = TRUE;
  pump (self);
  return g_steal_pointer (&self);
}

gboolean
lan_packet_recorder_get_recording (LanPacketRecorder *self)
{
  g_return_val_if_fail (LAN_IS_PACKET_RECORDER (self), FALSE);
  return self->recording;
}

guint64
lan_packet_recorder_get_count (LanPacketRecorder *self)
{
  g_return_val_if_fail (LAN_IS_PACKET_RECORDER (self), 0);
  return self->count;
}

guint64
lan_packet_recorder_get_missed (LanPacketRecorder *self)
{
  g_return_val_if_fail (LAN_IS_PACKET_RECORDER (self), 0);
  return self->missed;
}

GFile *
lan_packet_recorder_get_file (LanPacketRecorder *self)
{
  g_return_val_if_fail (LAN_IS_PACKET_RECORDER (self), NULL);
  return self->file;
}

LanPacketExportFormat
lan_packet_recorder_get_format (LanPacketRecorder *self)
{
  g_return_val_if_fail (LAN_IS_PACKET_RECORDER (self), LAN_PACKET_EXPORT_PCAPNG);
  return self->format;
}

const GError *
lan_packet_recorder_get_error (LanPacketRecorder *self)
{
  g_return_val_if_fail (LAN_IS_PACKET_RECORDER (self), NULL);
  return self->error;
}
