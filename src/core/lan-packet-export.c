/* lan-packet-export.c — pcap, JSON Lines and CSV writers, sync and async.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "lan-packet-export.h"

/* Buffered output goes to the stream in writes of about this size. */
#define WRITE_SIZE (64 * 1024)
/* The async export encodes this many rows per main-loop iteration: a few
 * milliseconds of work, so a window stays responsive. */
#define ROWS_PER_SLICE 1000

#define PCAP_MAGIC_US      0xa1b2c3d4u
#define PCAP_LINKTYPE_RAW  101
#define PCAP_SNAPLEN       65535
#define IPV4_HEADER        20
#define UDP_HEADER         8
/* The most a UDP payload can be in an IPv4 packet of 65535 bytes. */
#define MAX_UDP_PAYLOAD    (65535 - IPV4_HEADER - UDP_HEADER)

static const char * const csv_columns[] = {
  "no", "time", "direction", "local", "remote", "length", "command", "command_value",
  "flags", "packet_no", "user", "host", "text", "verdict", "detail", "data_base64",
};

struct _LanPacketWriter
{
  GObject                parent_instance;

  GOutputStream         *stream;
  LanPacketExportFormat  format;
  GByteArray            *buffer;
  gboolean               header_written;
  guint64                count;
  guint16                ip_id;
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
  else if (g_ascii_strcasecmp (dot, "jsonl") == 0 || g_ascii_strcasecmp (dot, "json") == 0 ||
           g_ascii_strcasecmp (dot, "ndjson") == 0)
    *format = LAN_PACKET_EXPORT_JSON_LINES;
  else if (g_ascii_strcasecmp (dot, "csv") == 0)
    *format = LAN_PACKET_EXPORT_CSV;
  else
    return FALSE;
  return TRUE;
}

/* pcap */

static void
put16be (guint8  *p,
         guint16  value)
{
  p[0] = (guint8) (value >> 8);
  p[1] = (guint8) value;
}

static void
put32be (guint8  *p,
         guint32  value)
{
  p[0] = (guint8) (value >> 24);
  p[1] = (guint8) (value >> 16);
  p[2] = (guint8) (value >> 8);
  p[3] = (guint8) value;
}

static void
append32le (GByteArray *out,
            guint32     value)
{
  guint8 bytes[4] = { (guint8) value, (guint8) (value >> 8), (guint8) (value >> 16), (guint8) (value >> 24) };

  g_byte_array_append (out, bytes, 4);
}

static void
append16le (GByteArray *out,
            guint16     value)
{
  guint8 bytes[2] = { (guint8) value, (guint8) (value >> 8) };

  g_byte_array_append (out, bytes, 2);
}

/* RFC 1071 one's complement sum, in network byte order. */
static guint32
sum_words (guint32       sum,
           const guint8 *data,
           gsize         len)
{
  gsize i;

  for (i = 0; i + 1 < len; i += 2)
    sum += ((guint32) data[i] << 8) | data[i + 1];
  if (i < len)
    sum += (guint32) data[i] << 8;
  return sum;
}

static guint16
fold_sum (guint32 sum)
{
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  return (guint16) ~sum;
}

void
lan_packet_export_append_pcap_header (GByteArray *out)
{
  /* Little-endian throughout: readers tell the order by the magic. */
  append32le (out, PCAP_MAGIC_US);
  append16le (out, 2);
  append16le (out, 4);
  append32le (out, 0);  /* thiszone: timestamps are UTC */
  append32le (out, 0);  /* sigfigs */
  append32le (out, PCAP_SNAPLEN);
  append32le (out, PCAP_LINKTYPE_RAW);
}

static void
append_pcap_record (GByteArray   *out,
                    guint16       ip_id,
                    gint64        time_us,
                    LanDirection  direction,
                    LanEndpoint   local,
                    LanEndpoint   remote,
                    const guint8 *data,
                    gsize         len)
{
  LanEndpoint source = direction == LAN_DIRECTION_IN ? remote : local;
  LanEndpoint destination = direction == LAN_DIRECTION_IN ? local : remote;
  gsize payload = MIN (len, (gsize) MAX_UDP_PAYLOAD);
  guint8 headers[IPV4_HEADER + UDP_HEADER] = { 0 };
  guint8 *ip = headers;
  guint8 *udp = headers + IPV4_HEADER;
  guint32 sum;

  if (time_us < 0)
    time_us = 0;

  append32le (out, (guint32) (time_us / G_USEC_PER_SEC));
  append32le (out, (guint32) (time_us % G_USEC_PER_SEC));
  append32le (out, (guint32) (IPV4_HEADER + UDP_HEADER + payload));
  /* The length on the wire; more than captured only for a datagram no
   * IPv4 packet could carry. */
  append32le (out, (guint32) MIN ((gsize) G_MAXUINT32, IPV4_HEADER + UDP_HEADER + len));

  ip[0] = 0x45;                                  /* version 4, 5 words */
  put16be (ip + 2, (guint16) (IPV4_HEADER + UDP_HEADER + payload));
  put16be (ip + 4, ip_id);
  ip[8] = 64;                                    /* TTL */
  ip[9] = 17;                                    /* UDP */
  put32be (ip + 12, source.address);
  put32be (ip + 16, destination.address);
  put16be (ip + 10, fold_sum (sum_words (0, ip, IPV4_HEADER)));

  put16be (udp + 0, source.port);
  put16be (udp + 2, destination.port);
  put16be (udp + 4, (guint16) (UDP_HEADER + payload));
  /* Pseudo-header: addresses, protocol, UDP length. */
  sum = sum_words (0, ip + 12, 8);
  sum += 17 + UDP_HEADER + (guint32) payload;
  sum = sum_words (sum, udp, UDP_HEADER);
  /* Fold as we go so a 64 KiB payload can't overflow the sum. */
  sum = (sum & 0xffff) + (sum >> 16);
  sum = sum_words (sum, data, payload);
  {
    guint16 checksum = fold_sum (sum);

    /* 0 means "no checksum" in UDP; all ones is the same value in one's complement. */
    put16be (udp + 6, checksum == 0 ? 0xffff : checksum);
  }

  g_byte_array_append (out, headers, sizeof headers);
  if (payload > 0)
    g_byte_array_append (out, data, (guint) payload);
}

void
lan_packet_export_append_pcap_record (GByteArray   *out,
                                      gint64        time_us,
                                      LanDirection  direction,
                                      LanEndpoint   local,
                                      LanEndpoint   remote,
                                      const guint8 *data,
                                      gsize         len)
{
  append_pcap_record (out, 0, time_us, direction, local, remote, data, len);
}

/* CSV */

static gboolean
needs_formula_guard (const char *text)
{
  return text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' ||
         text[0] == '\t' || text[0] == '\r';
}

/* RFC 4180: quoted when it holds a comma, quote or line break; quotes doubled.
 * @guard: untrusted text, kept from being read as a formula. */
static void
append_csv_field (GString    *out,
                  const char *text,
                  gboolean    guard,
                  gboolean    last)
{
  gboolean quote;

  if (text == NULL)
    text = "";
  quote = strpbrk (text, ",\"\r\n") != NULL;
  if (quote)
    g_string_append_c (out, '"');
  if (guard && needs_formula_guard (text))
    g_string_append_c (out, '\'');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  if (quote)
    g_string_append_c (out, '"');
  g_string_append (out, last ? "\r\n" : ",");
}

static char *
format_time (gint64 time_us)
{
  g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_utc (time_us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) time = seconds != NULL ? g_date_time_add (seconds, time_us % G_USEC_PER_SEC) : NULL;

  /* The same text as the JSON "time". */
  return time != NULL ? g_date_time_format_iso8601 (time) : g_strdup ("");
}

static void
append_csv_header (GByteArray *out)
{
  g_autoptr(GString) line = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (csv_columns); i++)
    append_csv_field (line, csv_columns[i], FALSE, i + 1 == G_N_ELEMENTS (csv_columns));
  g_byte_array_append (out, (const guint8 *) line->str, (guint) line->len);
}

static void
append_csv_row (GByteArray        *out,
                LanPacketLogEntry *entry)
{
  g_autoptr(GString) line = g_string_new (NULL);
  gboolean parsed = lan_packet_log_entry_get_parsed (entry);
  GBytes *bytes = lan_packet_log_entry_get_bytes (entry);
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  g_autofree char *number = g_strdup_printf ("%" G_GUINT64_FORMAT, lan_packet_log_entry_get_number (entry));
  g_autofree char *time = format_time (lan_packet_log_entry_get_time (entry));
  g_autofree char *local = lan_endpoint_to_string (lan_packet_log_entry_get_local (entry));
  g_autofree char *remote = lan_endpoint_to_string (lan_packet_log_entry_get_remote (entry));
  g_autofree char *length = g_strdup_printf ("%" G_GSIZE_FORMAT, len);
  g_autofree char *command_value = parsed ? g_strdup_printf ("%u", lan_packet_log_entry_get_command (entry)) : NULL;
  g_autofree char *packet_no = parsed ? g_strdup_printf ("%" G_GUINT64_FORMAT, lan_packet_log_entry_get_packet_no (entry)) : NULL;
  g_autofree char *base64 = g_base64_encode (data, len);
  const char *detail = lan_packet_log_entry_get_detail (entry);

  /* Like the JSON: without a detail of our own, a parse error says why. */
  if (detail == NULL && !parsed)
    detail = lan_packet_log_entry_get_info (entry);

  append_csv_field (line, number, FALSE, FALSE);
  append_csv_field (line, time, FALSE, FALSE);
  append_csv_field (line, lan_packet_log_entry_get_direction (entry) == LAN_DIRECTION_IN ? "in" : "out", FALSE, FALSE);
  append_csv_field (line, local, FALSE, FALSE);
  append_csv_field (line, remote, FALSE, FALSE);
  append_csv_field (line, length, FALSE, FALSE);
  append_csv_field (line, parsed ? lan_packet_log_entry_get_command_name (entry) : NULL, FALSE, FALSE);
  append_csv_field (line, command_value, FALSE, FALSE);
  append_csv_field (line, lan_packet_log_entry_get_flags_text (entry), FALSE, FALSE);
  append_csv_field (line, packet_no, FALSE, FALSE);
  append_csv_field (line, lan_packet_log_entry_get_user (entry), TRUE, FALSE);
  append_csv_field (line, lan_packet_log_entry_get_host (entry), TRUE, FALSE);
  append_csv_field (line, lan_packet_log_entry_get_text (entry), TRUE, FALSE);
  append_csv_field (line, lan_verdict_to_string (lan_packet_log_entry_get_verdict (entry)), FALSE, FALSE);
  append_csv_field (line, detail, TRUE, FALSE);
  append_csv_field (line, base64, FALSE, TRUE);
  g_byte_array_append (out, (const guint8 *) line->str, (guint) line->len);
}

/* JSON Lines */

static void
append_json_line (GByteArray        *out,
                  LanPacketLogEntry *entry)
{
  g_autoptr(JsonNode) node = lan_packet_log_entry_to_json (entry);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize len;
  g_autofree char *text = NULL;

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &len);
  g_byte_array_append (out, (const guint8 *) text, (guint) len);
  g_byte_array_append (out, (const guint8 *) "\n", 1);
}

/* The writer */

static void
lan_packet_writer_finalize (GObject *object)
{
  LanPacketWriter *self = LAN_PACKET_WRITER (object);

  g_clear_object (&self->stream);
  g_clear_pointer (&self->buffer, g_byte_array_unref);
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
}

LanPacketWriter *
lan_packet_writer_new (GOutputStream         *stream,
                       LanPacketExportFormat  format)
{
  LanPacketWriter *self;

  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), NULL);
  g_return_val_if_fail (format <= LAN_PACKET_EXPORT_CSV, NULL);

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
    lan_packet_export_append_pcap_header (self->buffer);
  else if (self->format == LAN_PACKET_EXPORT_CSV)
    append_csv_header (self->buffer);
}

/* Into the buffer only; nothing blocks. */
static void
encode_entry (LanPacketWriter   *self,
              LanPacketLogEntry *entry)
{
  encode_header (self);
  if (lan_packet_log_entry_get_evicted (entry))
    return;

  switch (self->format)
    {
    case LAN_PACKET_EXPORT_PCAP:
      {
        GBytes *bytes = lan_packet_log_entry_get_bytes (entry);
        gsize len;
        const guint8 *data = g_bytes_get_data (bytes, &len);

        append_pcap_record (self->buffer, self->ip_id++, lan_packet_log_entry_get_time (entry),
                            lan_packet_log_entry_get_direction (entry),
                            lan_packet_log_entry_get_local (entry),
                            lan_packet_log_entry_get_remote (entry), data, len);
      }
      break;
    case LAN_PACKET_EXPORT_JSON_LINES:
      append_json_line (self->buffer, entry);
      break;
    case LAN_PACKET_EXPORT_CSV:
    default:
      append_csv_row (self->buffer, entry);
      break;
    }
  self->count++;
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
