/* test-packet-export.c — pcap and pcapng (read back with tshark), JSON Lines and CSV.
 *
 * Rows are made up in memory and written to files in a temporary
 * directory; nothing here opens a socket.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "lan-json-text.h"
#include "lan-packet-export.h"
#include "lan-packet-log.h"
#include "lan-packet-recorder.h"
#include "lan-test-await.h"

#define ADDR(a, b, c, d) (((guint32) (a) << 24) | ((guint32) (b) << 16) | ((guint32) (c) << 8) | (guint32) (d))
#define LOCAL     ((LanEndpoint) { ADDR (10, 77, 0, 1), 2425 })
#define ALICE     ((LanEndpoint) { ADDR (10, 77, 0, 5), 2425 })
#define STRANGER  ((LanEndpoint) { ADDR (192, 168, 200, 17), 51234 })
#define BROADCAST ((LanEndpoint) { ADDR (255, 255, 255, 255), 2425 })
#define BASE_TIME G_GINT64_CONSTANT (1700000000123456)

typedef struct {
  LanDirection direction;
  LanEndpoint  local;
  LanEndpoint  remote;
  GBytes      *bytes;
  LanVerdict   verdict;
  const char  *detail;
} Row;

static void
row_free (Row *row)
{
  g_bytes_unref (row->bytes);
  g_free (row);
}

/* Varied on purpose: both directions, broadcast, NULs, every byte value, an
 * empty datagram, odd and even lengths, one near the UDP maximum. */
static GPtrArray *
make_rows (void)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
  guint8 all_bytes[256];
  g_autofree guint8 *big = g_malloc (60001);
  static const char entry[] = "1:300:bob:pc-b:8388609:Bobby\0staff\0";
  static const char text[] = "1:100:alice:pc-a:8388896:Hi, \"you\"\r\nsecond line";
  static const char formula[] = "1:101:=cmd|' /C calc'!A0:pc-a:8388896:-2+3";
  Row *row;

  for (guint i = 0; i < 256; i++)
    all_bytes[i] = (guint8) i;
  for (guint i = 0; i < 60001; i++)
    big[i] = (guint8) (i * 7 + 3);

#define ADD(dir, loc, rem, data, len, verdict_, detail_) \
  row = g_new0 (Row, 1); \
  row->direction = (dir); row->local = (loc); row->remote = (rem); \
  row->bytes = g_bytes_new ((data), (len)); row->verdict = (verdict_); row->detail = (detail_); \
  g_ptr_array_add (rows, row)

  ADD (LAN_DIRECTION_IN, LOCAL, ALICE, text, sizeof text - 1, LAN_VERDICT_OK, NULL);
  ADD (LAN_DIRECTION_OUT, LOCAL, ALICE, "1:200:me:here:33:100", 20, LAN_VERDICT_OK, NULL);
  ADD (LAN_DIRECTION_IN, BROADCAST, STRANGER, entry, sizeof entry - 1, LAN_VERDICT_OK, NULL);
  ADD (LAN_DIRECTION_OUT, LOCAL, BROADCAST, entry, sizeof entry - 1, LAN_VERDICT_RESEND, NULL);
  ADD (LAN_DIRECTION_IN, LOCAL, STRANGER, all_bytes, sizeof all_bytes, LAN_VERDICT_MALFORMED, "=HYPERLINK(\"x\")");
  ADD (LAN_DIRECTION_IN, LOCAL, STRANGER, "", 0, LAN_VERDICT_MALFORMED, NULL);
  ADD (LAN_DIRECTION_IN, LOCAL, ALICE, big, 60001, LAN_VERDICT_REJECTED, "odd and large");
  ADD (LAN_DIRECTION_IN, LOCAL, ALICE, formula, sizeof formula - 1, LAN_VERDICT_OK, NULL);
#undef ADD

  return rows;
}

static LanPacketLog *
make_log (GPtrArray *rows)
{
  LanPacketLog *log = lan_packet_log_new (1000);

  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = g_ptr_array_index (rows, i);
      gsize len;
      LanDatagram datagram = {
        .time_us = BASE_TIME + (gint64) i * 1000001,
        .direction = row->direction,
        .local = row->local,
        .remote = row->remote,
      };

      datagram.data = g_bytes_get_data (row->bytes, &len);
      datagram.len = len;
      lan_packet_log_append (log, &datagram, row->verdict, row->detail);
    }
  lan_packet_log_flush (log);
  return log;
}

static char *
temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("lanchat-export-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
export_to_file (GListModel            *entries,
                LanPacketExportFormat  format,
                const char            *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileOutputStream) stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (lan_packet_export (entries, format, G_OUTPUT_STREAM (stream), NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, &error));
  g_assert_no_error (error);
}

static GBytes *
export_to_bytes (GListModel            *entries,
                 LanPacketExportFormat  format)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_true (lan_packet_export (entries, format, stream, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (stream, NULL, &error));
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (stream));
}

static char *
ipv4 (guint32 address)
{
  char buf[16];

  return g_strdup (lan_ipv4_format (address, buf));
}

/* tshark reads the file back; every packet's addresses, ports, payload,
 * time and both checksums must be what we logged. */
static void
test_pcap_tshark (void)
{
  g_autoptr(GPtrArray) rows = make_rows ();
  g_autoptr(LanPacketLog) log = make_log (rows);
  g_autofree char *tshark = g_find_program_in_path ("tshark");
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  int status;

  if (tshark == NULL)
    {
      g_test_skip ("tshark is not installed");
      return;
    }

  dir = temp_dir ();
  path = g_build_filename (dir, "log.pcap", NULL);
  export_to_file (G_LIST_MODEL (log), LAN_PACKET_EXPORT_PCAP, path);

  {
    const char *argv[] = {
      tshark, "-n", "-r", path,
      "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
      "-T", "fields", "-E", "separator=/t",
      "-e", "ip.src", "-e", "udp.srcport", "-e", "ip.dst", "-e", "udp.dstport",
      "-e", "frame.time_epoch", "-e", "ip.checksum.status", "-e", "udp.checksum.status",
      "-e", "udp.length", "-e", "udp.payload",
      NULL
    };
    /* tshark wants a home for its profile; keep the real one out of it. */
    g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "HOME", dir, TRUE);

    g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
  }
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("tshark failed: %s\n%s", error->message, err);

  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, rows->len + 1);
  g_assert_cmpstr (lines[rows->len], ==, "");

  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = g_ptr_array_index (rows, i);
      g_auto(GStrv) fields = g_strsplit (lines[i], "\t", -1);
      LanEndpoint source = row->direction == LAN_DIRECTION_IN ? row->remote : row->local;
      LanEndpoint destination = row->direction == LAN_DIRECTION_IN ? row->local : row->remote;
      g_autofree char *source_text = ipv4 (source.address);
      g_autofree char *destination_text = ipv4 (destination.address);
      gint64 time_us = BASE_TIME + (gint64) i * 1000001;
      g_autofree char *time_text = g_strdup_printf ("%" G_GINT64_FORMAT ".%06" G_GINT64_FORMAT,
                                                    time_us / G_USEC_PER_SEC, time_us % G_USEC_PER_SEC);
      gsize len;
      const guint8 *data = g_bytes_get_data (row->bytes, &len);
      g_autoptr(GString) hex = g_string_new (NULL);

      for (gsize j = 0; j < len; j++)
        g_string_append_printf (hex, "%02x", data[j]);

      g_test_message ("packet %u: %.*s…", i + 1, 120, lines[i]);
      g_assert_cmpuint (g_strv_length (fields), ==, 9);
      g_assert_cmpstr (fields[0], ==, source_text);
      g_assert_cmpuint (g_ascii_strtoull (fields[1], NULL, 10), ==, source.port);
      g_assert_cmpstr (fields[2], ==, destination_text);
      g_assert_cmpuint (g_ascii_strtoull (fields[3], NULL, 10), ==, destination.port);
      /* "1700000000.123456000": microseconds exact. */
      g_assert_true (g_str_has_prefix (fields[4], time_text));
      /* 1: good — Wireshark checked and agreed (0 bad, 2 unverified). */
      g_assert_cmpstr (fields[5], ==, "1");
      g_assert_cmpstr (fields[6], ==, "1");
      g_assert_cmpuint (g_ascii_strtoull (fields[7], NULL, 10), ==, 8 + len);
      g_assert_cmpstr (fields[8], ==, hex->str);
    }

  remove_dir (dir);
}

/* Records follow each other at any alignment: read bytes, not words. */
static guint32
read_le32 (const guint8 *p)
{
  return (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
}

/* The bytes themselves, where tshark would forgive. */
static void
test_pcap_layout (void)
{
  g_autoptr(GPtrArray) rows = make_rows ();
  g_autoptr(LanPacketLog) log = make_log (rows);
  g_autoptr(GBytes) file = export_to_bytes (G_LIST_MODEL (log), LAN_PACKET_EXPORT_PCAP);
  gsize size;
  const guint8 *p = g_bytes_get_data (file, &size);
  static const guint8 header[24] = {
    0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0xff, 0xff, 0, 0, 101, 0, 0, 0,
  };
  gsize offset = 24;

  g_assert_cmpmem (p, 24, header, 24);
  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = g_ptr_array_index (rows, i);
      gsize len = g_bytes_get_size (row->bytes);
      const guint8 *ip;
      guint32 incl, orig, sum = 0;

      g_assert_cmpuint (offset + 16, <=, size);
      incl = read_le32 (p + offset + 8);
      orig = read_le32 (p + offset + 12);
      g_assert_cmpuint (incl, ==, 28 + len);
      g_assert_cmpuint (orig, ==, 28 + len);
      ip = p + offset + 16;
      g_assert_cmpuint (ip[0], ==, 0x45);
      g_assert_cmpuint ((ip[2] << 8) | ip[3], ==, 28 + len);
      g_assert_cmpuint (ip[9], ==, 17);
      /* The header sums to all ones with its checksum in. */
      for (guint j = 0; j < 20; j += 2)
        sum += (guint32) (ip[j] << 8 | ip[j + 1]);
      while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
      g_assert_cmpuint (sum, ==, 0xffff);
      g_assert_cmpmem (ip + 28, len, g_bytes_get_data (row->bytes, NULL), len);
      offset += 16 + incl;
    }
  g_assert_cmpuint (offset, ==, size);
}

/* tshark @path's @fields, one line a packet, tab-separated. Returns: (transfer full) */
static char *
tshark_fields (const char          *tshark,
               const char          *home,
               const char          *path,
               const char * const  *fields)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  /* tshark wants a home for its profile; keep the real one out of it. */
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "HOME", home, TRUE);
  g_autofree char *err = NULL;
  char *out = NULL;
  int status;

  g_ptr_array_add (argv, (gpointer) tshark);
  g_ptr_array_add (argv, (gpointer) "-n");
  g_ptr_array_add (argv, (gpointer) "-r");
  g_ptr_array_add (argv, (gpointer) path);
  g_ptr_array_add (argv, (gpointer) "-o");
  g_ptr_array_add (argv, (gpointer) "ip.check_checksum:TRUE");
  g_ptr_array_add (argv, (gpointer) "-o");
  g_ptr_array_add (argv, (gpointer) "udp.check_checksum:TRUE");
  g_ptr_array_add (argv, (gpointer) "-T");
  g_ptr_array_add (argv, (gpointer) "fields");
  g_ptr_array_add (argv, (gpointer) "-E");
  g_ptr_array_add (argv, (gpointer) "separator=/t");
  for (guint i = 0; fields[i] != NULL; i++)
    {
      g_ptr_array_add (argv, (gpointer) "-e");
      g_ptr_array_add (argv, (gpointer) fields[i]);
    }
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("tshark failed: %s\n%s", error->message, err);
  /* A block tshark had to guess at is a defect even when it reads on
   * (its stderr also says it runs as root, here). */
  g_assert_null (strstr (err, "damaged"));
  g_assert_null (strstr (err, "cut short"));
  g_assert_null (strstr (err, "pcapng:"));
  return out;
}

static char *
expected_comment (Row *row)
{
  const char *verdict = lan_verdict_to_string (row->verdict);

  return row->detail != NULL ? g_strdup_printf ("%s: %s", verdict, row->detail) : g_strdup (verdict);
}

/* tshark reads the pcapng back: the same frames as the pcap, each on the
 * interface of its local address, with its direction and a comment
 * carrying its verdict and detail. */
static void
test_pcapng_tshark (void)
{
  g_autoptr(GPtrArray) rows = make_rows ();
  g_autoptr(LanPacketLog) log = make_log (rows);
  g_autofree char *tshark = g_find_program_in_path ("tshark");
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  static const char * const fields[] = {
    "frame.comment", "ip.src", "ip.dst", "udp.dstport", "udp.srcport",
    "frame.interface_id", "frame.interface_name", "frame.packet_flags_direction",
    "frame.time_epoch", "ip.checksum.status", "udp.checksum.status", "udp.payload",
    NULL
  };
  g_autoptr(GArray) locals = g_array_new (FALSE, FALSE, sizeof (guint32));

  if (tshark == NULL)
    {
      g_test_skip ("tshark is not installed");
      return;
    }

  dir = temp_dir ();
  path = g_build_filename (dir, "log.pcapng", NULL);
  export_to_file (G_LIST_MODEL (log), LAN_PACKET_EXPORT_PCAPNG, path);
  out = tshark_fields (tshark, dir, path, fields);

  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, rows->len + 1);
  g_assert_cmpstr (lines[rows->len], ==, "");

  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = g_ptr_array_index (rows, i);
      g_auto(GStrv) values = g_strsplit (lines[i], "\t", -1);
      LanEndpoint source = row->direction == LAN_DIRECTION_IN ? row->remote : row->local;
      LanEndpoint destination = row->direction == LAN_DIRECTION_IN ? row->local : row->remote;
      g_autofree char *source_text = ipv4 (source.address);
      g_autofree char *destination_text = ipv4 (destination.address);
      g_autofree char *local_text = ipv4 (row->local.address);
      g_autofree char *interface_name = g_strconcat ("lanchat:", local_text, NULL);
      g_autofree char *comment = expected_comment (row);
      gint64 time_us = BASE_TIME + (gint64) i * 1000001;
      g_autofree char *time_text = g_strdup_printf ("%" G_GINT64_FORMAT ".%06" G_GINT64_FORMAT,
                                                    time_us / G_USEC_PER_SEC, time_us % G_USEC_PER_SEC);
      gsize len;
      const guint8 *data = g_bytes_get_data (row->bytes, &len);
      g_autoptr(GString) hex = g_string_new (NULL);
      guint interface_id = locals->len;

      for (guint j = 0; j < locals->len; j++)
        if (g_array_index (locals, guint32, j) == row->local.address)
          interface_id = j;
      if (interface_id == locals->len)
        g_array_append_val (locals, row->local.address);
      for (gsize j = 0; j < len; j++)
        g_string_append_printf (hex, "%02x", data[j]);

      g_test_message ("packet %u: %.*s…", i + 1, 160, lines[i]);
      g_assert_cmpuint (g_strv_length (values), ==, 12);
      g_assert_cmpstr (values[0], ==, comment);
      g_assert_cmpstr (values[1], ==, source_text);
      g_assert_cmpstr (values[2], ==, destination_text);
      g_assert_cmpuint (g_ascii_strtoull (values[3], NULL, 10), ==, destination.port);
      g_assert_cmpuint (g_ascii_strtoull (values[4], NULL, 10), ==, source.port);
      g_assert_cmpuint (g_ascii_strtoull (values[5], NULL, 10), ==, interface_id);
      g_assert_cmpstr (values[6], ==, interface_name);
      /* 1: inbound, 2: outbound. */
      g_assert_cmpuint (g_ascii_strtoull (values[7], NULL, 0), ==,
                        row->direction == LAN_DIRECTION_IN ? 1 : 2);
      g_assert_true (g_str_has_prefix (values[8], time_text));
      g_assert_cmpstr (values[9], ==, "1");
      g_assert_cmpstr (values[10], ==, "1");
      g_assert_cmpstr (values[11], ==, hex->str);
    }
  /* 10.77.0.1, and the broadcast address one datagram came to. */
  g_assert_cmpuint (locals->len, ==, 2);

  remove_dir (dir);
}

/* The blocks themselves: a section header, then interface and packet
 * blocks whose lengths chain to the end of the file. */
static void
test_pcapng_layout (void)
{
  g_autoptr(GPtrArray) rows = make_rows ();
  g_autoptr(LanPacketLog) log = make_log (rows);
  g_autoptr(GBytes) file = export_to_bytes (G_LIST_MODEL (log), LAN_PACKET_EXPORT_PCAPNG);
  gsize size;
  const guint8 *p = g_bytes_get_data (file, &size);
  gsize offset = 0;
  guint n_interfaces = 0, n_packets = 0;

  g_assert_cmpuint (size, >=, 28);
  g_assert_cmpuint (read_le32 (p), ==, 0x0a0d0d0a);
  g_assert_cmpuint (read_le32 (p + 8), ==, 0x1a2b3c4d);
  while (offset < size)
    {
      guint32 type, total;

      g_assert_cmpuint (offset + 12, <=, size);
      type = read_le32 (p + offset);
      total = read_le32 (p + offset + 4);
      g_assert_cmpuint (total % 4, ==, 0);
      g_assert_cmpuint (offset + total, <=, size);
      g_assert_cmpuint (read_le32 (p + offset + total - 4), ==, total);
      if (type == 1)
        {
          n_interfaces++;
          /* LINKTYPE_RAW */
          g_assert_cmpuint (p[offset + 8] | p[offset + 9] << 8, ==, 101);
        }
      else if (type == 6)
        {
          Row *row = g_ptr_array_index (rows, n_packets);
          gsize len = g_bytes_get_size (row->bytes);

          /* Every interface is described before a packet names it. */
          g_assert_cmpuint (read_le32 (p + offset + 8), <, n_interfaces);
          g_assert_cmpuint (read_le32 (p + offset + 20), ==, 28 + len);
          g_assert_cmpuint (read_le32 (p + offset + 24), ==, 28 + len);
          g_assert_cmpmem (p + offset + 28 + 28, len, g_bytes_get_data (row->bytes, NULL), len);
          n_packets++;
        }
      else
        g_assert_cmpuint (type, ==, 0x0a0d0d0a);
      offset += total;
    }
  g_assert_cmpuint (offset, ==, size);
  g_assert_cmpuint (n_interfaces, ==, 2);
  g_assert_cmpuint (n_packets, ==, rows->len);
}

static void
append_row (LanPacketLog *log,
            Row          *row,
            gint64        time_us)
{
  gsize len;
  LanDatagram datagram = {
    .time_us = time_us, .direction = row->direction, .local = row->local, .remote = row->remote,
  };

  datagram.data = g_bytes_get_data (row->bytes, &len);
  datagram.len = len;
  lan_packet_log_append (log, &datagram, row->verdict, row->detail);
}

typedef struct {
  LanPacketRecorder *recorder;
  guint64            count;
  const char        *path;
  goffset            size;
  gboolean           stopped;
  GError            *error;
} RecorderWait;

static gboolean
recorder_counted (gpointer data)
{
  RecorderWait *wait = data;

  return lan_packet_recorder_get_count (wait->recorder) >= wait->count;
}

static gboolean
file_reached (gpointer data)
{
  RecorderWait *wait = data;
  GStatBuf buf;

  return g_stat (wait->path, &buf) == 0 && buf.st_size >= wait->size;
}

static gboolean
recorder_stopped (gpointer data)
{
  return ((RecorderWait *) data)->stopped;
}

static void
on_recorder_stopped (LanPacketRecorder *recorder,
                     const GError      *error,
                     RecorderWait      *wait)
{
  g_assert_false (wait->stopped);
  wait->stopped = TRUE;
  wait->error = error != NULL ? g_error_copy (error) : NULL;
}

/* Record to File: entries logged from then on reach the file as they come
 * (the file grows while recording), the ones before don't; once stopped
 * the file is whole and tshark reads every packet with its comment. */
static void
test_recorder_pcapng (void)
{
  g_autoptr(GPtrArray) rows = make_rows ();
  g_autoptr(LanPacketLog) log = lan_packet_log_new (1000);
  g_autoptr(LanPacketRecorder) recorder = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tshark = g_find_program_in_path ("tshark");
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "capture.pcapng", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  RecorderWait wait = { 0 };
  static const char * const fields[] = { "frame.comment", "ip.src", "ip.dst", "udp.dstport", NULL };

  /* Logged before: not recorded. */
  append_row (log, g_ptr_array_index (rows, 0), BASE_TIME);
  append_row (log, g_ptr_array_index (rows, 1), BASE_TIME + 1);

  recorder = lan_packet_recorder_new (log, file, LAN_PACKET_EXPORT_PCAPNG, &error);
  g_assert_no_error (error);
  g_assert_nonnull (recorder);
  g_assert_true (lan_packet_recorder_get_recording (recorder));
  g_assert_true (lan_packet_recorder_get_file (recorder) == file);
  g_signal_connect (recorder, "stopped", G_CALLBACK (on_recorder_stopped), &wait);
  wait.recorder = recorder;
  wait.path = path;

  for (guint i = 2; i < 5; i++)
    append_row (log, g_ptr_array_index (rows, i), BASE_TIME + i);
  wait.count = 3;
  g_assert_true (lan_test_await (recorder_counted, &wait, 10000));

  /* On disk while still recording: all that an export of the three writes. */
  {
    g_autoptr(LanPacketLog) three = lan_packet_log_new (10);
    g_autoptr(GBytes) exported = NULL;

    for (guint i = 2; i < 5; i++)
      append_row (three, g_ptr_array_index (rows, i), BASE_TIME + i);
    lan_packet_log_flush (three);
    exported = export_to_bytes (G_LIST_MODEL (three), LAN_PACKET_EXPORT_PCAPNG);
    wait.size = (goffset) g_bytes_get_size (exported);
  }
  g_assert_true (lan_test_await (file_reached, &wait, 10000));
  g_assert_true (lan_packet_recorder_get_recording (recorder));

  for (guint i = 5; i < rows->len; i++)
    append_row (log, g_ptr_array_index (rows, i), BASE_TIME + i);
  lan_packet_recorder_stop (recorder);
  /* Stopping takes what the log still had pending. */
  g_assert_cmpuint (lan_packet_recorder_get_count (recorder), ==, rows->len - 2);
  g_assert_false (lan_packet_recorder_get_recording (recorder));
  g_assert_true (lan_test_await (recorder_stopped, &wait, 10000));
  g_assert_no_error (wait.error);
  g_assert_null (lan_packet_recorder_get_error (recorder));
  g_assert_cmpuint (lan_packet_recorder_get_missed (recorder), ==, 0);

  /* Logged after: not recorded either. */
  append_row (log, g_ptr_array_index (rows, 0), BASE_TIME + 100);
  lan_packet_log_flush (log);
  g_assert_cmpuint (lan_packet_recorder_get_count (recorder), ==, rows->len - 2);

  /* Byte for byte what an export of the same entries writes. */
  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  {
    g_autoptr(LanPacketLog) same = lan_packet_log_new (1000);
    g_autoptr(GBytes) exported = NULL;

    for (guint i = 2; i < rows->len; i++)
      append_row (same, g_ptr_array_index (rows, i), BASE_TIME + i);
    lan_packet_log_flush (same);
    exported = export_to_bytes (G_LIST_MODEL (same), LAN_PACKET_EXPORT_PCAPNG);
    g_assert_cmpmem (contents, length, g_bytes_get_data (exported, NULL), g_bytes_get_size (exported));
  }

  if (tshark == NULL)
    {
      remove_dir (dir);
      g_test_skip ("tshark is not installed");
      return;
    }
  out = tshark_fields (tshark, dir, path, fields);
  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, rows->len - 2 + 1);
  for (guint i = 2; i < rows->len; i++)
    {
      g_autofree char *comment = expected_comment (g_ptr_array_index (rows, i));
      g_auto(GStrv) values = g_strsplit (lines[i - 2], "\t", -1);

      g_assert_cmpstr (values[0], ==, comment);
    }
  g_clear_error (&wait.error);
  remove_dir (dir);
}

/* A file that exists is emptied, not renamed over; an empty recording is
 * a valid file (the section header). */
static void
test_recorder_replaces (void)
{
  g_autoptr(LanPacketLog) log = lan_packet_log_new (10);
  g_autoptr(LanPacketRecorder) recorder = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "capture.pcap", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *contents = NULL;
  gsize length;
  RecorderWait wait = { 0 };

  g_assert_true (g_file_set_contents (path, "an older file, longer than a pcap header", -1, &error));
  g_assert_no_error (error);
  recorder = lan_packet_recorder_new (log, file, LAN_PACKET_EXPORT_PCAP, &error);
  g_assert_no_error (error);
  g_signal_connect (recorder, "stopped", G_CALLBACK (on_recorder_stopped), &wait);
  lan_packet_recorder_stop (recorder);
  lan_packet_recorder_stop (recorder);
  g_assert_true (lan_test_await (recorder_stopped, &wait, 10000));
  g_assert_no_error (wait.error);

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (length, ==, 24);
  g_assert_cmpuint (read_le32 ((const guint8 *) contents), ==, 0xa1b2c3d4);
  remove_dir (dir);
}

/* A write that fails stops the recording with the error, and says so. */
static void
test_recorder_write_error (void)
{
  g_autoptr(GPtrArray) rows = make_rows ();
  g_autoptr(LanPacketLog) log = lan_packet_log_new (1000);
  g_autoptr(LanPacketRecorder) recorder = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) full = g_file_new_for_path ("/dev/full");
  RecorderWait wait = { 0 };

  if (!g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no /dev/full");
      return;
    }
  recorder = lan_packet_recorder_new (log, full, LAN_PACKET_EXPORT_PCAPNG, &error);
  g_assert_no_error (error);
  g_signal_connect (recorder, "stopped", G_CALLBACK (on_recorder_stopped), &wait);
  for (guint i = 0; i < rows->len; i++)
    append_row (log, g_ptr_array_index (rows, i), BASE_TIME + i);

  g_assert_true (lan_test_await (recorder_stopped, &wait, 10000));
  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_error ((GError *) lan_packet_recorder_get_error (recorder), G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_false (lan_packet_recorder_get_recording (recorder));
  /* Stopping after the fact changes nothing. */
  lan_packet_recorder_stop (recorder);
  g_clear_error (&wait.error);
}

static void
test_json_lines (void)
{
  g_autoptr(GPtrArray) rows = make_rows ();
  g_autoptr(LanPacketLog) log = make_log (rows);
  g_autoptr(GBytes) file = export_to_bytes (G_LIST_MODEL (log), LAN_PACKET_EXPORT_JSON_LINES);
  g_autofree char *text = g_strndup (g_bytes_get_data (file, NULL), g_bytes_get_size (file));
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  g_assert_cmpuint (g_strv_length (lines), ==, rows->len + 1);
  g_assert_cmpstr (lines[rows->len], ==, "");
  for (guint i = 0; i < rows->len; i++)
    {
      g_autoptr(LanPacketLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (log), i);
      g_autoptr(JsonNode) node = lan_packet_log_entry_to_json (entry);
      g_autofree char *expected = lan_json_to_display_string (node);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;

      /* What `lanchat-cli listen` prints, and one valid object per line. */
      g_assert_cmpstr (lines[i], ==, expected);
      g_assert_true (json_parser_load_from_data (parser, lines[i], -1, &error));
      g_assert_no_error (error);
      g_assert_cmpint (json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)), "no"),
                       ==, i + 1);
    }
}

static void
test_json_lines_unsigned_and_escaped (void)
{
  static const char packet[] = "1:18446744073709551615:bo\xe2\x80\xae" "b:pc:32:hi";
  g_autoptr(LanPacketLog) log = lan_packet_log_new (10);
  LanDatagram datagram = {
    .time_us = BASE_TIME, .direction = LAN_DIRECTION_IN, .local = LOCAL, .remote = ALICE,
    .data = (const guint8 *) packet, .len = sizeof packet - 1,
  };
  g_autoptr(GBytes) file = NULL;
  g_autofree char *text = NULL;

  lan_packet_log_append (log, &datagram, LAN_VERDICT_OK, NULL);
  lan_packet_log_flush (log);
  file = export_to_bytes (G_LIST_MODEL (log), LAN_PACKET_EXPORT_JSON_LINES);
  text = g_strndup (g_bytes_get_data (file, NULL), g_bytes_get_size (file));
  g_assert_nonnull (strstr (text, "\"packet_no\":18446744073709551615"));
  g_assert_null (strstr (text, "\xe2\x80\xae"));
  g_assert_nonnull (strstr (text, "bo\\u202eb"));
}

/* A small RFC 4180 reader: records of fields, quotes undone. */
static GPtrArray *
csv_parse (const char *text)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray *record = g_ptr_array_new_with_free_func (g_free);
  GString *field = g_string_new (NULL);
  const char *p = text;

  while (*p != '\0')
    {
      if (*p == '"')
        {
          for (p++; !(*p == '"' && p[1] != '"'); p++)
            {
              g_assert_cmpint (*p, !=, '\0');
              if (*p == '"')
                p++;
              g_string_append_c (field, *p);
            }
          p++;
          g_assert_true (*p == ',' || *p == '\r');
          continue;
        }
      if (*p == ',')
        {
          g_ptr_array_add (record, g_string_free (field, FALSE));
          field = g_string_new (NULL);
          p++;
          continue;
        }
      if (*p == '\r')
        {
          g_assert_cmpint (p[1], ==, '\n');
          g_ptr_array_add (record, g_string_free (field, FALSE));
          field = g_string_new (NULL);
          g_ptr_array_add (records, record);
          record = g_ptr_array_new_with_free_func (g_free);
          p += 2;
          continue;
        }
      /* A bare line feed outside quotes would break the record. */
      g_assert_cmpint (*p, !=, '\n');
      g_string_append_c (field, *p++);
    }
  g_assert_cmpuint (field->len, ==, 0);
  g_assert_cmpuint (record->len, ==, 0);
  g_string_free (field, TRUE);
  g_ptr_array_unref (record);
  return records;
}

static const char *
csv_get (GPtrArray  *records,
         guint       row,
         const char *column)
{
  GPtrArray *header = g_ptr_array_index (records, 0);
  GPtrArray *record = g_ptr_array_index (records, row);

  for (guint i = 0; i < header->len; i++)
    if (g_str_equal (g_ptr_array_index (header, i), column))
      return g_ptr_array_index (record, i);
  g_error ("no column %s", column);
  return NULL;
}

static void
test_csv (void)
{
  g_autoptr(GPtrArray) rows = make_rows ();
  g_autoptr(LanPacketLog) log = make_log (rows);
  g_autoptr(GBytes) file = export_to_bytes (G_LIST_MODEL (log), LAN_PACKET_EXPORT_CSV);
  g_autofree char *text = g_strndup (g_bytes_get_data (file, NULL), g_bytes_get_size (file));
  g_autoptr(GPtrArray) records = csv_parse (text);
  GPtrArray *header = g_ptr_array_index (records, 0);

  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_true (g_str_has_prefix (text, "no,time,direction,local,remote,length,command,"));
  g_assert_cmpuint (records->len, ==, rows->len + 1);
  for (guint i = 1; i < records->len; i++)
    {
      Row *row = g_ptr_array_index (rows, i - 1);
      g_autofree char *no = g_strdup_printf ("%u", i);
      gsize len;
      g_autofree guchar *decoded = g_base64_decode (csv_get (records, i, "data_base64"), &len);

      g_assert_cmpuint (((GPtrArray *) g_ptr_array_index (records, i))->len, ==, header->len);
      g_assert_cmpstr (csv_get (records, i, "no"), ==, no);
      g_assert_cmpmem (decoded, len, g_bytes_get_data (row->bytes, NULL), g_bytes_get_size (row->bytes));
      g_assert_cmpstr (csv_get (records, i, "verdict"), ==, lan_verdict_to_string (row->verdict));
    }

  /* Comma, quotes and a line break survive quoting. */
  g_assert_cmpstr (csv_get (records, 1, "text"), ==, "Hi, \"you\"\r\nsecond line");
  g_assert_cmpstr (csv_get (records, 1, "user"), ==, "alice");
  g_assert_cmpstr (csv_get (records, 1, "command"), ==, "SENDMSG");
  g_assert_cmpstr (csv_get (records, 1, "time"), ==, "2023-11-14T22:13:20.123456Z");
  g_assert_cmpstr (csv_get (records, 1, "direction"), ==, "in");
  g_assert_cmpstr (csv_get (records, 1, "remote"), ==, "10.77.0.5:2425");
  g_assert_cmpstr (csv_get (records, 2, "direction"), ==, "out");
  g_assert_cmpstr (csv_get (records, 2, "command"), ==, "RECVMSG");
  /* Malformed: no command; the detail, or else the parse error, says why. */
  g_assert_cmpstr (csv_get (records, 6, "command"), ==, "");
  g_assert_cmpstr (csv_get (records, 6, "detail"), ==, "empty datagram");
  /* Text from the network never reaches a spreadsheet as a formula. */
  g_assert_cmpstr (csv_get (records, 5, "detail"), ==, "'=HYPERLINK(\"x\")");
  g_assert_cmpstr (csv_get (records, 8, "user"), ==, "'=cmd|' /C calc'!A0");
  g_assert_cmpstr (csv_get (records, 8, "text"), ==, "'-2+3");
}

/* Only the rows of the model given: a filtered view exports what it shows. */
static void
test_filtered_model (void)
{
  g_autoptr(GPtrArray) rows = make_rows ();
  g_autoptr(LanPacketLog) log = make_log (rows);
  g_autoptr(GListStore) view = g_list_store_new (LAN_TYPE_PACKET_LOG_ENTRY);
  g_autoptr(GBytes) file = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (log)); i++)
    {
      g_autoptr(LanPacketLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (log), i);

      if (lan_packet_log_entry_get_direction (entry) == LAN_DIRECTION_OUT)
        g_list_store_append (view, entry);
    }
  /* A row evicted under a view is skipped, not written empty. */
  {
    g_autoptr(LanPacketLogEntry) evicted = lan_packet_log_entry_new_evicted (99);

    g_list_store_append (view, evicted);
  }

  file = export_to_bytes (G_LIST_MODEL (view), LAN_PACKET_EXPORT_JSON_LINES);
  text = g_strndup (g_bytes_get_data (file, NULL), g_bytes_get_size (file));
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_true (g_str_has_prefix (lines[0], "{\"no\":2,"));
  g_assert_true (g_str_has_prefix (lines[1], "{\"no\":4,"));

  g_clear_pointer (&file, g_bytes_unref);
  file = export_to_bytes (G_LIST_MODEL (view), LAN_PACKET_EXPORT_PCAP);
  g_assert_cmpuint (g_bytes_get_size (file), ==,
                    24 + 2 * (16 + 28) + g_bytes_get_size (((Row *) rows->pdata[1])->bytes) +
                    g_bytes_get_size (((Row *) rows->pdata[3])->bytes));
}

/* Nothing to export is still a valid file of its format. */
static void
test_empty (void)
{
  g_autoptr(GListStore) none = g_list_store_new (LAN_TYPE_PACKET_LOG_ENTRY);
  g_autoptr(GBytes) pcap = export_to_bytes (G_LIST_MODEL (none), LAN_PACKET_EXPORT_PCAP);
  g_autoptr(GBytes) json = export_to_bytes (G_LIST_MODEL (none), LAN_PACKET_EXPORT_JSON_LINES);
  g_autoptr(GBytes) csv = export_to_bytes (G_LIST_MODEL (none), LAN_PACKET_EXPORT_CSV);
  g_autofree char *csv_text = g_strndup (g_bytes_get_data (csv, NULL), g_bytes_get_size (csv));

  g_assert_cmpuint (g_bytes_get_size (pcap), ==, 24);
  g_assert_cmpuint (g_bytes_get_size (json), ==, 0);
  /* The header row and nothing else. */
  g_assert_true (g_str_has_prefix (csv_text, "no,time,"));
  g_assert_true (g_str_has_suffix (csv_text, "data_base64\r\n"));
  g_assert_true (strchr (csv_text, '\n') == csv_text + strlen (csv_text) - 1);
}

/* One entry at a time, as `lanchat-cli listen --pcap` does: the same bytes. */
static void
test_writer_incremental (void)
{
  g_autoptr(GPtrArray) rows = make_rows ();
  g_autoptr(LanPacketLog) log = make_log (rows);
  g_autoptr(GBytes) whole = export_to_bytes (G_LIST_MODEL (log), LAN_PACKET_EXPORT_PCAP);
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(LanPacketWriter) writer = lan_packet_writer_new (stream, LAN_PACKET_EXPORT_PCAP);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pieces = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (log)); i++)
    {
      g_autoptr(LanPacketLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (log), i);

      g_assert_true (lan_packet_writer_write_entry (writer, entry, NULL, &error));
      g_assert_no_error (error);
      /* Flushed after each, as the CLI does once per main-loop iteration. */
      g_assert_true (lan_packet_writer_flush (writer, NULL, &error));
    }
  g_assert_cmpuint (lan_packet_writer_get_count (writer), ==, rows->len);
  g_assert_true (g_output_stream_close (stream, NULL, &error));
  pieces = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (stream));
  g_assert_true (g_bytes_equal (pieces, whole));
}

static void
on_exported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* The async export writes the rows the model had when it began, while the
 * log keeps growing and evicting underneath. */
static void
test_async_while_logging (void)
{
  g_autoptr(LanPacketLog) log = lan_packet_log_new (5000);
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) file = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint64 written = 0;
  guint64 previous = 0;
  guint n_lines;

  for (guint i = 0; i < 5000; i++)
    {
      g_autofree char *data = g_strdup_printf ("1:%u:u:h:32:message %u", i, i);
      LanDatagram datagram = {
        .time_us = BASE_TIME + i, .direction = LAN_DIRECTION_IN, .local = LOCAL, .remote = ALICE,
        .data = (const guint8 *) data, .len = strlen (data),
      };

      lan_packet_log_append (log, &datagram, LAN_VERDICT_OK, NULL);
    }
  lan_packet_log_flush (log);

  lan_packet_export_async (G_LIST_MODEL (log), LAN_PACKET_EXPORT_JSON_LINES, stream, NULL,
                           on_exported, &result);
  /* Let one slice go, then a burst evicts 1500 of the oldest and adds 1500. */
  g_main_context_iteration (NULL, FALSE);
  for (guint i = 5000; i < 6500; i++)
    {
      g_autofree char *data = g_strdup_printf ("1:%u:u:h:32:message %u", i, i);
      LanDatagram datagram = {
        .time_us = BASE_TIME + i, .direction = LAN_DIRECTION_IN, .local = LOCAL, .remote = ALICE,
        .data = (const guint8 *) data, .len = strlen (data),
      };

      lan_packet_log_append (log, &datagram, LAN_VERDICT_OK, NULL);
    }
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (lan_packet_export_finish (result, &written, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (stream, NULL, &error));
  file = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (stream));
  text = g_strndup (g_bytes_get_data (file, NULL), g_bytes_get_size (file));
  lines = g_strsplit (text, "\n", -1);
  n_lines = g_strv_length (lines) - 1;

  g_assert_cmpuint (n_lines, ==, written);
  /* Some of the first 1500 went before they were written; none after 5000 came in. */
  g_assert_cmpuint (written, >=, 3500);
  g_assert_cmpuint (written, <=, 5000);
  for (guint i = 0; i < n_lines; i++)
    {
      guint64 no = g_ascii_strtoull (lines[i] + strlen ("{\"no\":"), NULL, 10);

      g_assert_cmpuint (no, >, previous);
      g_assert_cmpuint (no, <=, 5000);
      previous = no;
    }
  g_assert_cmpuint (previous, ==, 5000);
}

static void
test_async_matches_sync (void)
{
  g_autoptr(GPtrArray) rows = make_rows ();
  g_autoptr(LanPacketLog) log = make_log (rows);

  for (LanPacketExportFormat format = LAN_PACKET_EXPORT_PCAP; format < LAN_PACKET_EXPORT_N_FORMATS; format++)
    {
      g_autoptr(GBytes) whole = export_to_bytes (G_LIST_MODEL (log), format);
      g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = NULL;
      guint64 written = 0;

      lan_packet_export_async (G_LIST_MODEL (log), format, stream, NULL, on_exported, &result);
      while (result == NULL)
        g_main_context_iteration (NULL, TRUE);
      g_assert_true (lan_packet_export_finish (result, &written, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (written, ==, rows->len);
      g_assert_true (g_output_stream_close (stream, NULL, &error));
      bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (stream));
      g_assert_true (g_bytes_equal (bytes, whole));
    }
}

static void
test_async_cancelled (void)
{
  g_autoptr(GPtrArray) rows = make_rows ();
  g_autoptr(LanPacketLog) log = make_log (rows);
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  lan_packet_export_async (G_LIST_MODEL (log), LAN_PACKET_EXPORT_CSV, stream, cancellable,
                           on_exported, &result);
  g_cancellable_cancel (cancellable);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (lan_packet_export_finish (result, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_format_names (void)
{
  LanPacketExportFormat format = LAN_PACKET_EXPORT_CSV;

  g_assert_true (lan_packet_export_format_from_filename ("/tmp/a.PCAP", &format));
  g_assert_cmpint (format, ==, LAN_PACKET_EXPORT_PCAP);
  g_assert_true (lan_packet_export_format_from_filename ("log.jsonl", &format));
  g_assert_cmpint (format, ==, LAN_PACKET_EXPORT_JSON_LINES);
  g_assert_true (lan_packet_export_format_from_filename ("log.csv", &format));
  g_assert_cmpint (format, ==, LAN_PACKET_EXPORT_CSV);
  g_assert_true (lan_packet_export_format_from_filename ("log.pcapng", &format));
  g_assert_cmpint (format, ==, LAN_PACKET_EXPORT_PCAPNG);
  g_assert_false (lan_packet_export_format_from_filename ("log.pcapngx", &format));
  g_assert_false (lan_packet_export_format_from_filename ("log.txt", &format));
  g_assert_false (lan_packet_export_format_from_filename ("log", &format));
  for (format = LAN_PACKET_EXPORT_PCAP; format < LAN_PACKET_EXPORT_N_FORMATS; format++)
    {
      g_autofree char *name = g_strconcat ("x.", lan_packet_export_format_extension (format), NULL);
      LanPacketExportFormat back;

      g_assert_true (lan_packet_export_format_from_filename (name, &back));
      g_assert_cmpint (back, ==, format);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/packet-export/pcap/tshark", test_pcap_tshark);
  g_test_add_func ("/packet-export/pcap/layout", test_pcap_layout);
  g_test_add_func ("/packet-export/pcapng/tshark", test_pcapng_tshark);
  g_test_add_func ("/packet-export/pcapng/layout", test_pcapng_layout);
  g_test_add_func ("/packet-export/recorder/pcapng", test_recorder_pcapng);
  g_test_add_func ("/packet-export/recorder/replaces", test_recorder_replaces);
  g_test_add_func ("/packet-export/recorder/write-error", test_recorder_write_error);
  g_test_add_func ("/packet-export/json-lines", test_json_lines);
  g_test_add_func ("/packet-export/json-lines-unsigned-and-escaped", test_json_lines_unsigned_and_escaped);
  g_test_add_func ("/packet-export/csv", test_csv);
  g_test_add_func ("/packet-export/filtered-model", test_filtered_model);
  g_test_add_func ("/packet-export/empty", test_empty);
  g_test_add_func ("/packet-export/writer-incremental", test_writer_incremental);
  g_test_add_func ("/packet-export/async/matches-sync", test_async_matches_sync);
  g_test_add_func ("/packet-export/async/while-logging", test_async_while_logging);
  g_test_add_func ("/packet-export/async/cancelled", test_async_cancelled);
  g_test_add_func ("/packet-export/format-names", test_format_names);

  return g_test_run ();
}
