/* test-packet-log-tcp.c — TCP rows of the packet log: requests and transfer summaries
 * in the Info column, the JSON, the filter, the counters and every export.
 *
 * Rows are made up in memory; nothing here opens a socket.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "lan-ipmsg.h"
#include "lan-packet-export.h"
#include "lan-packet-filter.h"
#include "lan-packet-log.h"

#define ADDR(a, b, c, d) (((guint32) (a) << 24) | ((guint32) (b) << 16) | ((guint32) (c) << 8) | (guint32) (d))
#define LOCAL       ((LanEndpoint) { ADDR (10, 77, 0, 1), 2425 })
#define ALICE_UDP   ((LanEndpoint) { ADDR (10, 77, 0, 5), 2425 })
#define LOCAL_TCP   ((LanEndpoint) { ADDR (10, 77, 0, 1), 2425 })
#define ALICE_TCP   ((LanEndpoint) { ADDR (10, 77, 0, 5), 51234 })
#define BASE_TIME   G_GINT64_CONSTANT (1700000000000000)

/* 0x6553f100 = 1700000000: file 2 of that packet, from byte 0x100000. */
static const char getfiledata[] = "1_iptux 0.8.3:77:alice:pc-a:96:6553f100:2:100000:";
static const char getdirfiles[] = "1:78:alice:pc-a:98:6553f100:3:0";

static void
append (LanPacketLog *log,
        guint         flags,
        const char   *data,
        LanVerdict    verdict,
        const char   *detail)
{
  static guint n;
  LanDatagram datagram = {
    .time_us = BASE_TIME + (gint64) n++ * 1000,
    .direction = LAN_DIRECTION_IN,
    .flags = flags,
    .local = (flags & LAN_DATAGRAM_TCP) ? LOCAL_TCP : LOCAL,
    .remote = (flags & LAN_DATAGRAM_TCP) ? ALICE_TCP : ALICE_UDP,
    .data = (const guint8 *) data,
    .len = strlen (data),
  };

  lan_packet_log_append (log, &datagram, verdict, detail);
}

/* g_format_size() puts a no-break space between number and unit. */

/* 1 a UDP message, 2 a TCP request, 3 its transfer done, 4 a folder request,
 * 5 its transfer failed, 6 a transfer whose detail is free text. */
static LanPacketLog *
make_log (void)
{
  LanPacketLog *log = lan_packet_log_new (100);
  g_autofree char *done = lan_packet_log_transfer_detail (12897485, 1234567, "done", NULL);
  g_autofree char *failed = lan_packet_log_transfer_detail (4096, 61500000, "failed",
                                                            "the peer closed the connection");

  append (log, 0, "1:100:alice:pc-a:32:hello", LAN_VERDICT_OK, NULL);
  append (log, LAN_DATAGRAM_TCP, getfiledata, LAN_VERDICT_OK, NULL);
  append (log, LAN_DATAGRAM_TCP | LAN_DATAGRAM_TRANSFER, getfiledata, LAN_VERDICT_OK, done);
  append (log, LAN_DATAGRAM_TCP, getdirfiles, LAN_VERDICT_OK, NULL);
  append (log, LAN_DATAGRAM_TCP | LAN_DATAGRAM_TRANSFER, getdirfiles, LAN_VERDICT_OK, failed);
  append (log, LAN_DATAGRAM_TCP | LAN_DATAGRAM_TRANSFER, getfiledata, LAN_VERDICT_REJECTED,
          "not offered to this host");
  lan_packet_log_flush (log);
  return log;
}

static LanPacketLogEntry *
get_entry (LanPacketLog *log,
           guint         number)
{
  return g_list_model_get_item (G_LIST_MODEL (log), number - 1);
}

static void
test_transfer_detail (void)
{
  g_autofree char *done = lan_packet_log_transfer_detail (12897485, 1234567, "done", NULL);
  g_autofree char *failed = lan_packet_log_transfer_detail (0, -5, "failed", "disk full");
  g_autofree char *empty_why = lan_packet_log_transfer_detail (1, 1000, "cancelled", "");

  g_assert_cmpstr (done, ==, "12897485 bytes in 1234 ms, done");
  g_assert_cmpstr (failed, ==, "0 bytes in 0 ms, failed: disk full");
  g_assert_cmpstr (empty_why, ==, "1 bytes in 1 ms, cancelled");
}

static void
test_info (void)
{
  g_autoptr(LanPacketLog) log = make_log ();
  g_autoptr(LanPacketLogEntry) udp = get_entry (log, 1);
  g_autoptr(LanPacketLogEntry) request = get_entry (log, 2);
  g_autoptr(LanPacketLogEntry) done = get_entry (log, 3);
  g_autoptr(LanPacketLogEntry) folder = get_entry (log, 4);
  g_autoptr(LanPacketLogEntry) failed = get_entry (log, 5);
  g_autoptr(LanPacketLogEntry) free_text = get_entry (log, 6);

  g_assert_cmpstr (lan_packet_log_entry_get_info (udp), ==, "alice@pc-a hello");
  g_assert_cmpstr (lan_packet_log_entry_get_info (request), ==,
                   "TCP: alice@pc-a asks for file 2 of packet 1700000000 from byte 1048576");
  g_assert_cmpstr (lan_packet_log_entry_get_command_name (request), ==, "GETFILEDATA");
  g_assert_cmpstr (lan_packet_log_entry_get_info (done), ==,
                   "TCP transfer: 12.3\u00a0MiB in 1.2 s — done (file 2 of packet 1700000000 from byte 1048576)");
  g_assert_cmpstr (lan_packet_log_entry_get_command_name (done), ==, "GETFILEDATA");
  g_assert_cmpstr (lan_packet_log_entry_get_info (folder), ==,
                   "TCP: alice@pc-a asks for folder 3 of packet 1700000000");
  g_assert_cmpstr (lan_packet_log_entry_get_info (failed), ==,
                   "TCP transfer: 4.0\u00a0KiB in 1 min 01 s — failed: the peer closed the connection "
                   "(folder 3 of packet 1700000000)");
  g_assert_cmpstr (lan_packet_log_entry_get_info (free_text), ==,
                   "TCP transfer: not offered to this host (file 2 of packet 1700000000 from byte 1048576)");
}

static void
test_get_transfer (void)
{
  g_autoptr(LanPacketLog) log = make_log ();
  g_autoptr(LanPacketLogEntry) request = get_entry (log, 2);
  g_autoptr(LanPacketLogEntry) done = get_entry (log, 3);
  g_autoptr(LanPacketLogEntry) failed = get_entry (log, 5);
  g_autoptr(LanPacketLogEntry) free_text = get_entry (log, 6);
  guint64 bytes = 0;
  gint64 ms = 0;
  const char *result = NULL, *why = "unset";

  g_assert_false (lan_packet_log_entry_get_transfer (request, &bytes, &ms, &result, &why));
  g_assert_true (lan_packet_log_entry_get_transfer (done, &bytes, &ms, &result, &why));
  g_assert_cmpuint (bytes, ==, 12897485);
  g_assert_cmpint (ms, ==, 1234);
  g_assert_cmpstr (result, ==, "done");
  g_assert_null (why);
  g_assert_true (lan_packet_log_entry_get_transfer (failed, NULL, NULL, &result, &why));
  g_assert_cmpstr (result, ==, "failed");
  g_assert_cmpstr (why, ==, "the peer closed the connection");
  g_assert_false (lan_packet_log_entry_get_transfer (free_text, NULL, NULL, NULL, NULL));
}

/* Details that only look like a summary, or rows that are no transfer. */
static void
test_get_transfer_hostile (void)
{
  static const char * const not_summaries[] = {
    "12 bytes in 5 ms, ",
    "12 bytes in 5 ms",
    "-1 bytes in 5 ms, done",
    "99999999999999999999 bytes in 5 ms, done",
    "12 bytes in 99999999999999999999 ms, done",
    " 12 bytes in 5 ms, done",
    "12 bytes in 5s, done",
    "",
  };
  g_autoptr(LanPacketLog) log = lan_packet_log_new (100);

  for (guint i = 0; i < G_N_ELEMENTS (not_summaries); i++)
    append (log, LAN_DATAGRAM_TCP | LAN_DATAGRAM_TRANSFER, getfiledata, LAN_VERDICT_OK, not_summaries[i]);
  /* A summary's words on a row that is no transfer are only words. */
  append (log, LAN_DATAGRAM_TCP, getfiledata, LAN_VERDICT_OK, "12 bytes in 5 ms, done");
  /* A transfer row whose request bytes are garbage still shows its summary. */
  {
    g_autofree char *detail = lan_packet_log_transfer_detail (1024, 2000000, "done", NULL);

    append (log, LAN_DATAGRAM_TCP | LAN_DATAGRAM_TRANSFER, "garbage", LAN_VERDICT_MALFORMED, detail);
  }
  /* Control and bidi characters in a reason or a name show, never act. */
  {
    g_autofree char *detail = lan_packet_log_transfer_detail (1, 1, "failed", "name \xe2\x80\xae" "exe.txt\n");

    append (log, LAN_DATAGRAM_TCP | LAN_DATAGRAM_TRANSFER, "1:79:al\x1b[2Jice:pc-a:96:1:0:0:", LAN_VERDICT_OK, detail);
    append (log, LAN_DATAGRAM_TCP, "1:80:al\x1b[2Jice:pc-a:96:zz:0:0:", LAN_VERDICT_OK, NULL);
  }
  lan_packet_log_flush (log);

  for (guint i = 0; i <= G_N_ELEMENTS (not_summaries); i++)
    {
      g_autoptr(LanPacketLogEntry) entry = get_entry (log, i + 1);

      g_assert_false (lan_packet_log_entry_get_transfer (entry, NULL, NULL, NULL, NULL));
    }
  {
    g_autoptr(LanPacketLogEntry) garbage = get_entry (log, G_N_ELEMENTS (not_summaries) + 2);

    g_assert_false (lan_packet_log_entry_get_parsed (garbage));
    g_assert_true (lan_packet_log_entry_get_transfer (garbage, NULL, NULL, NULL, NULL));
    g_assert_cmpstr (lan_packet_log_entry_get_info (garbage), ==, "TCP transfer: 1.0\u00a0KiB in 2.0 s — done");
  }
  {
    g_autoptr(LanPacketLogEntry) shown = get_entry (log, G_N_ELEMENTS (not_summaries) + 3);
    g_autoptr(LanPacketLogEntry) bad_extra = get_entry (log, G_N_ELEMENTS (not_summaries) + 4);
    const char *info = lan_packet_log_entry_get_info (shown);

    g_assert_null (strchr (info, '\x1b'));
    g_assert_null (strchr (info, '\n'));
    g_assert_null (strstr (info, "\xe2\x80\xae"));
    g_assert_nonnull (strstr (info, "<U+202E>"));
    /* An extra that is not hex numbers is shown as it is, not read. */
    info = lan_packet_log_entry_get_info (bad_extra);
    g_assert_true (g_str_has_prefix (info, "TCP: al"));
    g_assert_nonnull (strstr (info, "zz:0:0"));
    g_assert_null (strchr (info, '\x1b'));
  }
}

static void
test_json (void)
{
  /* What lanchat-cli listen printed before TCP rows existed, still there. */
  const char *fields[] = {
    "no", "time", "direction", "local", "remote", "length", "command", "flags",
    "packet_no", "user", "host", "sections", "verdict", "detail", "proto",
  };
  g_autoptr(LanPacketLog) log = make_log ();

  for (guint n = 1; n <= 6; n++)
    {
      g_autoptr(LanPacketLogEntry) entry = get_entry (log, n);
      g_autoptr(JsonNode) node = lan_packet_log_entry_to_json (entry);
      JsonObject *object = json_node_get_object (node);
      gboolean tcp = n > 1, transfer = n == 3 || n == 5 || n == 6;

      for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
        if (!json_object_has_member (object, fields[i]))
          g_error ("row %u has no \"%s\"", n, fields[i]);
      g_assert_cmpstr (json_object_get_string_member (object, "proto"), ==, tcp ? "tcp" : "udp");
      g_assert_cmpint (json_object_has_member (object, "transfer"), ==, transfer);
      if (transfer)
        g_assert_true (json_object_get_boolean_member (object, "transfer"));
      g_assert_cmpint (json_object_has_member (object, "bytes"), ==, n == 3 || n == 5);
    }

  {
    g_autoptr(LanPacketLogEntry) done = get_entry (log, 3);
    g_autoptr(JsonNode) node = lan_packet_log_entry_to_json (done);
    JsonObject *object = json_node_get_object (node);

    g_assert_cmpstr (json_object_get_string_member (object, "command"), ==, "GETFILEDATA");
    g_assert_cmpint (json_object_get_int_member (object, "bytes"), ==, 12897485);
    g_assert_cmpint (json_object_get_int_member (object, "duration_ms"), ==, 1234);
    g_assert_cmpstr (json_object_get_string_member (object, "result"), ==, "done");
    g_assert_false (json_object_has_member (object, "why"));
    g_assert_cmpstr (json_object_get_string_member (object, "detail"), ==, "12897485 bytes in 1234 ms, done");
    g_assert_cmpstr (json_object_get_string_member (object, "remote"), ==, "10.77.0.5:51234");
  }
  {
    g_autoptr(LanPacketLogEntry) failed = get_entry (log, 5);
    g_autoptr(JsonNode) node = lan_packet_log_entry_to_json (failed);
    JsonObject *object = json_node_get_object (node);

    g_assert_cmpstr (json_object_get_string_member (object, "result"), ==, "failed");
    g_assert_cmpstr (json_object_get_string_member (object, "why"), ==, "the peer closed the connection");
  }
}

/* "1,4,5": the numbers of the rows @query matches. */
static char *
matching (LanPacketLog *log,
          const char   *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LanPacketFilter) filter = lan_packet_filter_new (query, NULL, NULL, &error);
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (log)); i++)
    {
      g_autoptr(LanPacketLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (log), i);

      if (lan_packet_filter_match (filter, entry))
        g_string_append_printf (out, "%s%" G_GUINT64_FORMAT, out->len > 0 ? "," : "",
                                lan_packet_log_entry_get_number (entry));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

#define assert_matches(log, query, expected) \
  G_STMT_START { \
    g_autofree char *got_ = matching ((log), (query)); \
    if (g_strcmp0 (got_, (expected)) != 0) \
      g_error ("query “%s” matched “%s”, expected “%s”", (query), got_, (expected)); \
  } G_STMT_END

static void
test_filter (void)
{
  g_autoptr(LanPacketLog) log = make_log ();
  const char *bad[] = { "proto:sctp", "proto:", "proto:tcp,", "proto:\"\"" };

  assert_matches (log, "proto:tcp", "2,3,4,5,6");
  assert_matches (log, "PROTO:TCP", "2,3,4,5,6");
  assert_matches (log, "proto:udp", "1");
  assert_matches (log, "-proto:tcp", "1");
  assert_matches (log, "proto:tcp,udp", "1,2,3,4,5,6");
  assert_matches (log, "proto:tcp,tcp", "2,3,4,5,6");
  assert_matches (log, "cmd:GETFILEDATA", "2,3,6");
  assert_matches (log, "proto:tcp cmd:GETDIRFILES", "4,5");
  assert_matches (log, "proto:udp cmd:GETFILEDATA", "");
  /* Words find a transfer by what its Info says. */
  assert_matches (log, "\"TCP transfer\"", "3,5,6");
  assert_matches (log, "closed", "5");

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(LanPacketFilter) every = lan_packet_filter_new ("proto:udp,tcp", NULL, NULL, &error);

    g_assert_no_error (error);
    g_assert_true (lan_packet_filter_is_empty (every));
  }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LanPacketFilter) filter = lan_packet_filter_new (bad[i], NULL, NULL, &error);

      g_assert_null (filter);
      g_assert_true (error != NULL && error->domain == LAN_PACKET_FILTER_ERROR);
    }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(LanPacketFilter) filter = lan_packet_filter_new ("proto:sctp", NULL, NULL, &error);

    g_assert_error (error, LAN_PACKET_FILTER_ERROR, LAN_PACKET_FILTER_ERROR_BAD_VALUE);
    g_assert_nonnull (strstr (error->message, "sctp"));
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(LanPacketFilter) filter = lan_packet_filter_new ("prot:tcp", NULL, NULL, &error);

    g_assert_error (error, LAN_PACKET_FILTER_ERROR, LAN_PACKET_FILTER_ERROR_UNKNOWN_KEY);
    g_assert_nonnull (strstr (error->message, "proto:"));
  }
}

/* The summary repeats its request: counted once, when the request was read. */
static void
test_counters (void)
{
  g_autoptr(LanPacketLog) log = make_log ();
  const LanPacketCounters *counters = lan_packet_log_get_counters (log);
  gsize request_bytes = strlen ("1:100:alice:pc-a:32:hello") + strlen (getfiledata) + strlen (getdirfiles);

  g_assert_cmpuint (counters->packets_in, ==, 3);
  g_assert_cmpuint (counters->bytes_in, ==, request_bytes);
  g_assert_cmpuint (counters->commands_in[LAN_IPMSG_GETFILEDATA], ==, 1);
  g_assert_cmpuint (counters->commands_in[LAN_IPMSG_GETDIRFILES], ==, 1);
  g_assert_cmpuint (counters->commands_in[LAN_IPMSG_SENDMSG], ==, 1);
  g_assert_cmpuint (counters->verdicts[LAN_VERDICT_OK], ==, 3);
  g_assert_cmpuint (counters->verdicts[LAN_VERDICT_REJECTED], ==, 0);
  /* They are in the log all the same. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 6);
}

static GBytes *
export_with (GListModel            *model,
             LanPacketExportFormat  format,
             guint64               *count,
             guint64               *skipped)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(LanPacketWriter) writer = lan_packet_writer_new (stream, format);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(LanPacketLogEntry) entry = g_list_model_get_item (model, i);

      g_assert_true (lan_packet_writer_write_entry (writer, entry, NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_true (lan_packet_writer_flush (writer, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (stream, NULL, &error));
  *count = lan_packet_writer_get_count (writer);
  *skipped = lan_packet_writer_get_skipped (writer);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (stream));
}

static guint16
get16be (const guint8 *p)
{
  return (guint16) (p[0] << 8 | p[1]);
}

static guint32
get32le (const guint8 *p)
{
  return (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
}

/* The one's complement sum over @data, folded (0xffff when the checksum inside is right). */
static guint16
ones_sum (guint32       sum,
          const guint8 *data,
          gsize         len)
{
  for (gsize i = 0; i + 1 < len; i += 2)
    sum += get16be (data + i);
  if (len % 2 == 1)
    sum += (guint32) data[len - 1] << 8;
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  return (guint16) sum;
}

/* The pcap: the UDP datagram and the two TCP requests as frames, the three
 * summaries left out and counted; each TCP segment right to the byte. */
static void
test_pcap (void)
{
  g_autoptr(LanPacketLog) log = make_log ();
  guint64 count = 0, skipped = 0;
  g_autoptr(GBytes) bytes = export_with (G_LIST_MODEL (log), LAN_PACKET_EXPORT_PCAP, &count, &skipped);
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  const char *payloads[] = { "1:100:alice:pc-a:32:hello", getfiledata, getdirfiles };
  gsize off = 24;

  g_assert_cmpuint (count, ==, 3);
  g_assert_cmpuint (skipped, ==, 3);
  for (guint i = 0; i < G_N_ELEMENTS (payloads); i++)
    {
      gsize captured, payload_len = strlen (payloads[i]);
      const guint8 *ip, *th;
      gboolean tcp = i > 0;
      gsize header = tcp ? 20 : 8;
      guint32 pseudo;

      g_assert_cmpuint (off + 16, <=, len);
      captured = get32le (data + off + 8);
      g_assert_cmpuint (captured, ==, 20 + header + payload_len);
      g_assert_cmpuint (get32le (data + off + 12), ==, captured);
      ip = data + off + 16;
      th = ip + 20;
      g_assert_cmpuint (ip[9], ==, tcp ? 6 : 17);
      g_assert_cmpuint (get16be (ip + 2), ==, captured);
      g_assert_cmpuint (ones_sum (0, ip, 20), ==, 0xffff);
      g_assert_cmpuint (get16be (th), ==, tcp ? 51234 : 2425);
      g_assert_cmpuint (get16be (th + 2), ==, 2425);
      if (tcp)
        {
          g_assert_cmpuint (th[12], ==, 0x50);
          g_assert_cmpuint (th[13], ==, 0x18);
        }
      pseudo = ones_sum (0, ip + 12, 8) + (tcp ? 6 : 17) + (guint32) (header + payload_len);
      g_assert_cmpuint (ones_sum (pseudo, th, header + payload_len), ==, 0xffff);
      g_assert_cmpmem (th + header, payload_len, payloads[i], payload_len);
      off += 16 + captured;
    }
  g_assert_cmpuint (off, ==, len);
}

/* tshark, where installed, reads the TCP frames as we mean them. */
static void
test_tshark (void)
{
  g_autoptr(LanPacketLog) log = make_log ();
  g_autofree char *tshark = g_find_program_in_path ("tshark");
  g_autofree char *dir = NULL;
  guint formats[] = { LAN_PACKET_EXPORT_PCAP, LAN_PACKET_EXPORT_PCAPNG };

  if (tshark == NULL)
    {
      g_test_skip ("tshark is not installed");
      return;
    }
  dir = g_dir_make_tmp ("lan-tcp-XXXXXX", NULL);
  g_assert_nonnull (dir);

  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    {
      guint64 count = 0, skipped = 0;
      g_autoptr(GBytes) bytes = export_with (G_LIST_MODEL (log), formats[f], &count, &skipped);
      g_autofree char *path = g_build_filename (dir, f == 0 ? "tcp.pcap" : "tcp.pcapng", NULL);
      g_autoptr(GError) error = NULL;
      g_autofree char *out = NULL, *err = NULL;
      int status = 0;
      const char *argv[] = {
        tshark, "-n", "-r", path, "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
        "-o", "udp.check_checksum:TRUE", "-T", "fields", "-E", "separator=/t",
        "-e", "ip.proto", "-e", "tcp.srcport", "-e", "tcp.dstport", "-e", "tcp.checksum.status",
        "-e", "tcp.len", "-e", "udp.checksum.status",
        NULL
      };
      g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "HOME", dir, TRUE);

      g_assert_cmpuint (count, ==, 3);
      g_assert_cmpuint (skipped, ==, 3);
      g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes), &error));
      g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
      g_assert_no_error (error);
      if (!g_spawn_check_wait_status (status, &error))
        g_error ("tshark failed: %s\n%s", error->message, err);
      g_test_message ("%s", out);
      {
        g_autofree char *expected = g_strdup_printf ("17\t\t\t\t\t1\n"
                                                     "6\t51234\t2425\t1\t%u\t\n"
                                                     "6\t51234\t2425\t1\t%u\t\n",
                                                     (guint) strlen (getfiledata), (guint) strlen (getdirfiles));

        g_assert_cmpstr (out, ==, expected);
      }
      g_assert_true (g_remove (path) == 0);
    }
  g_assert_true (g_rmdir (dir) == 0);
}

/* JSON Lines and CSV carry every row, saying which are TCP and transfers. */
static void
test_text_exports (void)
{
  g_autoptr(LanPacketLog) log = make_log ();
  guint64 count = 0, skipped = 0;
  g_autoptr(GBytes) jsonl = export_with (G_LIST_MODEL (log), LAN_PACKET_EXPORT_JSON_LINES, &count, &skipped);
  g_autofree char *jsonl_text = g_strndup (g_bytes_get_data (jsonl, NULL), g_bytes_get_size (jsonl));
  g_auto(GStrv) lines = g_strsplit (jsonl_text, "\n", -1);
  g_autoptr(GBytes) csv = NULL;
  g_autofree char *csv_text = NULL;
  g_auto(GStrv) rows = NULL;

  g_assert_cmpuint (count, ==, 6);
  g_assert_cmpuint (skipped, ==, 0);
  g_assert_cmpuint (g_strv_length (lines), ==, 7);
  for (guint i = 0; i < 6; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonObject *object;

      g_assert_true (json_parser_load_from_data (parser, lines[i], -1, &error));
      object = json_node_get_object (json_parser_get_root (parser));
      g_assert_cmpstr (json_object_get_string_member (object, "proto"), ==, i == 0 ? "udp" : "tcp");
      g_assert_cmpint (json_object_get_member (object, "transfer") != NULL, ==, i == 2 || i == 4 || i == 5);
    }

  csv = export_with (G_LIST_MODEL (log), LAN_PACKET_EXPORT_CSV, &count, &skipped);
  csv_text = g_strndup (g_bytes_get_data (csv, NULL), g_bytes_get_size (csv));
  rows = g_strsplit (csv_text, "\r\n", -1);
  g_assert_cmpuint (count, ==, 6);
  g_assert_cmpuint (skipped, ==, 0);
  g_assert_cmpuint (g_strv_length (rows), ==, 8);
  g_assert_nonnull (strstr (rows[0], ",detail,proto,transfer,data_base64"));
  g_assert_nonnull (strstr (rows[1], ",udp,,"));
  g_assert_nonnull (strstr (rows[2], ",tcp,,"));
  g_assert_nonnull (strstr (rows[3], "\"12897485 bytes in 1234 ms, done\",tcp,true,"));
  g_assert_nonnull (strstr (rows[6], "not offered to this host,tcp,true,"));
}

static void
on_exported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* The export the app runs without blocking says what it left out, too. */
static void
test_async_skipped (void)
{
  g_autoptr(LanPacketLog) log = make_log ();
  guint formats[] = { LAN_PACKET_EXPORT_PCAP, LAN_PACKET_EXPORT_PCAPNG, LAN_PACKET_EXPORT_JSON_LINES };
  guint64 expected_skipped[] = { 3, 3, 0 };

  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    {
      g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
      guint64 written = 0;

      lan_packet_export_async (G_LIST_MODEL (log), formats[f], stream, NULL, on_exported, &result);
      while (result == NULL && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, TRUE);
      g_assert_nonnull (result);
      g_assert_cmpuint (lan_packet_export_get_skipped (result), ==, expected_skipped[f]);
      g_assert_true (lan_packet_export_finish (result, &written, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (written, ==, 6 - expected_skipped[f]);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/packet-log-tcp/transfer-detail", test_transfer_detail);
  g_test_add_func ("/packet-log-tcp/info", test_info);
  g_test_add_func ("/packet-log-tcp/get-transfer", test_get_transfer);
  g_test_add_func ("/packet-log-tcp/get-transfer-hostile", test_get_transfer_hostile);
  g_test_add_func ("/packet-log-tcp/json", test_json);
  g_test_add_func ("/packet-log-tcp/filter", test_filter);
  g_test_add_func ("/packet-log-tcp/counters", test_counters);
  g_test_add_func ("/packet-log-tcp/pcap", test_pcap);
  g_test_add_func ("/packet-log-tcp/tshark", test_tshark);
  g_test_add_func ("/packet-log-tcp/text-exports", test_text_exports);
  g_test_add_func ("/packet-log-tcp/async-skipped", test_async_skipped);

  return g_test_run ();
}
