/* test-engine-offers-in.c — offers made to us: a SENDMSG|FILEATTACHOPT
 * shows its files with their names decoded like the text, an unreadable
 * list still shows the message (and the log says why), the records kept
 * are bounded.
 *
 * No socket is opened: it runs without a network namespace.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "lan-bounds.h"
#include "lan-ipmsg.h"
#include "lan-packet-log.h"
#include "lan-test-await.h"
#include "lan-test-engine.h"
#include "lan-test-tmpdir.h"

#define ALICE   "10.77.0.2"
#define MALLORY "10.77.0.9:2425"

typedef struct {
  LanMemoryNetwork *network;
  LanMessenger     *alice;
  LanTestSignal    *received;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  LanTestEngineOptions options = { .user_name = "alice" };

  fixture->network = lan_memory_network_new ("10.77.0.0/24");
  fixture->alice = lan_test_engine_new (fixture->network, ALICE, &options);
  fixture->received = lan_test_signal_watch (fixture->alice, "message-received");
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_pointer (&fixture->received, lan_test_signal_free);
  lan_test_engine_stop (&fixture->alice);
  g_clear_object (&fixture->network);
}

/* "text\0records\0" as sent. */
static GBytes *
offer_datagram (guint64     packet_no,
                guint32     options,
                const char *text,
                const char *records)
{
  g_autoptr(GByteArray) extra = g_byte_array_new ();

  g_byte_array_append (extra, (const guint8 *) text, strlen (text) + 1);
  g_byte_array_append (extra, (const guint8 *) records, strlen (records) + 1);
  return lan_test_craft ("1", packet_no, "mallory", "box",
                         LAN_IPMSG_SENDMSG | LAN_IPMSG_SENDCHECKOPT | LAN_IPMSG_FILEATTACHOPT | options,
                         extra->data, extra->len);
}

static LanMessage *
receive (Fixture *fixture,
         GBytes  *datagram)
{
  guint n_args = 0;
  const GValue *args;

  lan_test_inject (fixture->network, MALLORY, ALICE, datagram);
  g_assert_cmpuint (lan_test_signal_await (fixture->received, 1, LAN_TEST_DEADLINE_MS), ==, 1);
  args = lan_test_signal_last_args (fixture->received, &n_args);
  g_assert_cmpuint (n_args, ==, 2);
  return g_value_dup_object (&args[1]);
}

static const char *
file_name (LanMessage *message,
           guint       index)
{
  GPtrArray *files = lan_message_get_files (message);

  g_assert_nonnull (files);
  g_assert_cmpuint (index, <, files->len);
  return ((LanIpmsgFile *) g_ptr_array_index (files, index))->name;
}

/* The detail of the newest incoming SENDMSG in the log. */
static char *
sendmsg_detail (Fixture    *fixture,
                LanVerdict *verdict)
{
  GListModel *log = G_LIST_MODEL (lan_messenger_get_packet_log (fixture->alice));

  lan_packet_log_flush (lan_messenger_get_packet_log (fixture->alice));
  for (guint i = g_list_model_get_n_items (log); i > 0; i--)
    {
      g_autoptr(LanPacketLogEntry) entry = g_list_model_get_item (log, i - 1);

      if (lan_packet_log_entry_get_direction (entry) == LAN_DIRECTION_IN &&
          LAN_IPMSG_MODE (lan_packet_log_entry_get_command (entry)) == LAN_IPMSG_SENDMSG)
        {
          *verdict = lan_packet_log_entry_get_verdict (entry);
          return g_strdup (lan_packet_log_entry_get_detail (entry));
        }
    }
  g_assert_not_reached ();
}

static void
test_offer_utf8 (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GBytes) datagram = offer_datagram (7, LAN_IPMSG_UTF8OPT, "",
                                               "0:报告.pdf:400:5f000000:1:\a1:照片:0:5f000000:2:\a");
  g_autoptr(LanMessage) message = receive (fixture, datagram);
  const LanIpmsgFile *folder;

  /* Empty text, two files: not an empty bubble. */
  g_assert_cmpstr (lan_message_get_text (message), ==, "");
  g_assert_cmpuint (lan_message_get_files (message)->len, ==, 2);
  g_assert_cmpint (lan_message_get_offer_state (message), ==, LAN_OFFER_OPEN);
  g_assert_cmpstr (file_name (message, 0), ==, "报告.pdf");
  g_assert_cmpstr (file_name (message, 1), ==, "照片");
  folder = g_ptr_array_index (lan_message_get_files (message), 1);
  g_assert_cmpuint (folder->file_id, ==, 1);
  g_assert_cmpuint (folder->attr & 0xff, ==, LAN_IPMSG_FILE_DIR);
  g_assert_cmpuint (((LanIpmsgFile *) g_ptr_array_index (lan_message_get_files (message), 0))->size, ==, 0x400);
}

static void
test_offer_gb18030 (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *text = lan_test_to_charset ("给你的文件", "GB18030");
  g_autofree char *name = lan_test_to_charset ("会议纪要.docx", "GB18030");
  g_autofree char *records = g_strdup_printf ("0:%s:10:5f000000:1:\a", name);
  g_autoptr(GBytes) datagram = offer_datagram (8, 0, text, records);
  g_autoptr(LanMessage) message = receive (fixture, datagram);

  g_assert_cmpstr (lan_message_get_text (message), ==, "给你的文件");
  g_assert_cmpstr (file_name (message, 0), ==, "会议纪要.docx");
}

static void
test_offer_cp932 (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *name = lan_test_to_charset ("議事録:第1回.txt", "CP932");
  g_autoptr(GString) records = g_string_new ("3:");
  g_autoptr(GBytes) datagram = NULL;
  g_autoptr(LanMessage) message = NULL;

  /* The ':' in the name is doubled on the wire. */
  for (const char *p = name; *p != '\0'; p++)
    {
      if (*p == ':')
        g_string_append_c (records, ':');
      g_string_append_c (records, *p);
    }
  g_string_append (records, ":20:5f000000:1:\a");
  g_object_set (fixture->alice, "legacy-encoding", LAN_LEGACY_CP932, NULL);
  datagram = offer_datagram (9, 0, "", records->str);
  message = receive (fixture, datagram);
  g_assert_cmpstr (file_name (message, 0), ==, "議事録:第1回.txt");
}

static void
test_offer_unreadable (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GBytes) datagram = offer_datagram (10, LAN_IPMSG_UTF8OPT, "see attached", "x:name:zz:1:1:\a");
  g_autoptr(LanMessage) message = receive (fixture, datagram);
  g_autofree char *detail = NULL;
  LanVerdict verdict = LAN_VERDICT_OK;

  /* Shown, without files, and the log says why. */
  g_assert_cmpstr (lan_message_get_text (message), ==, "see attached");
  g_assert_null (lan_message_get_files (message));
  g_assert_cmpint (lan_message_get_offer_state (message), ==, LAN_OFFER_NONE);
  detail = sendmsg_detail (fixture, &verdict);
  g_assert_cmpint (verdict, ==, LAN_VERDICT_MALFORMED);
  g_assert_nonnull (strstr (detail, "attachment list is unreadable"));
}

static void
test_offer_bound (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GString) records = g_string_new (NULL);
  g_autoptr(GBytes) datagram = NULL;
  g_autoptr(LanMessage) message = NULL;
  g_autofree char *detail = NULL;
  LanVerdict verdict = LAN_VERDICT_OK;
  guint offered = LAN_OFFER_MAX_INCOMING_FILES + 50;

  for (guint i = 0; i < offered; i++)
    g_string_append_printf (records, "%u:f%u:1:0:1:\a", i, i);
  g_assert_cmpuint (records->len, <, 60000);
  datagram = offer_datagram (11, LAN_IPMSG_UTF8OPT, "many", records->str);
  message = receive (fixture, datagram);
  g_assert_cmpuint (lan_message_get_files (message)->len, ==, LAN_OFFER_MAX_INCOMING_FILES);
  g_assert_cmpstr (file_name (message, LAN_OFFER_MAX_INCOMING_FILES - 1), ==, "f999");
  detail = sendmsg_detail (fixture, &verdict);
  g_assert_cmpint (verdict, ==, LAN_VERDICT_REJECTED);
  g_assert_nonnull (strstr (detail, "only the first 1000"));
}

/* Without FILEATTACHOPT a second section is not a list of files. */
static void
test_no_option_no_files (Fixture       *fixture,
                         gconstpointer  data)
{
  const char extra[] = "hello\0" "0:a.txt:1:0:1:\a";
  g_autoptr(GBytes) datagram = lan_test_craft ("1", 12, "mallory", "box",
                                               LAN_IPMSG_SENDMSG | LAN_IPMSG_UTF8OPT, extra, sizeof extra);
  g_autoptr(LanMessage) message = receive (fixture, datagram);

  g_assert_cmpstr (lan_message_get_text (message), ==, "hello");
  g_assert_null (lan_message_get_files (message));
}

/* The files and the offer's state come back after a restart. */
static void
test_offer_in_history (void)
{
  g_autoptr(LanTestTmpdir) dir = lan_test_tmpdir_new ("lanchat-offers-in");
  g_autofree char *db = lan_test_tmpdir_file (dir, "alice.db");
  LanTestEngineOptions options = { .user_name = "alice", .history_path = db };
  g_autoptr(GBytes) first = offer_datagram (20, LAN_IPMSG_UTF8OPT, "", "0:报告.pdf:400:5f000000:1:\a1:a::b:0:0:2:\a");
  g_autoptr(GBytes) second = offer_datagram (21, LAN_IPMSG_UTF8OPT, "more", "0:x.txt:1:0:1:\a");
  Fixture fixture = { 0 };
  LanConversation *conversation;
  g_autoptr(LanMessage) declined = NULL;
  g_autoptr(LanMessage) open = NULL;
  g_autoptr(LanMessage) plain = NULL;
  g_autoptr(GBytes) text_only = lan_test_craft ("1", 22, "mallory", "box", LAN_IPMSG_SENDMSG | LAN_IPMSG_UTF8OPT,
                                                "just text", 10);

  fixture.network = lan_memory_network_new ("10.77.0.0/24");
  fixture.alice = lan_test_engine_new (fixture.network, ALICE, &options);
  fixture.received = lan_test_signal_watch (fixture.alice, "message-received");
  {
    g_autoptr(LanMessage) a = receive (&fixture, first);

    lan_message_set_offer_state (a, LAN_OFFER_DECLINED);
  }
  lan_test_signal_free (fixture.received);
  fixture.received = lan_test_signal_watch (fixture.alice, "message-received");
  g_clear_object (&open);
  open = receive (&fixture, second);
  g_clear_object (&open);
  lan_test_signal_free (fixture.received);
  fixture.received = lan_test_signal_watch (fixture.alice, "message-received");
  plain = receive (&fixture, text_only);
  g_clear_object (&plain);
  fixture_teardown (&fixture, NULL);

  fixture.network = lan_memory_network_new ("10.77.0.0/24");
  fixture.alice = lan_test_engine_new (fixture.network, ALICE, &options);
  conversation = lan_messenger_get_conversation (fixture.alice, "mallory@box");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (conversation)), ==, 3);
  declined = g_list_model_get_item (G_LIST_MODEL (conversation), 0);
  open = g_list_model_get_item (G_LIST_MODEL (conversation), 1);
  plain = g_list_model_get_item (G_LIST_MODEL (conversation), 2);
  g_assert_cmpuint (lan_message_get_files (declined)->len, ==, 2);
  g_assert_cmpstr (file_name (declined, 0), ==, "报告.pdf");
  g_assert_cmpstr (file_name (declined, 1), ==, "a:b");
  g_assert_cmpuint (((LanIpmsgFile *) g_ptr_array_index (lan_message_get_files (declined), 0))->size, ==, 0x400);
  g_assert_cmpuint (((LanIpmsgFile *) g_ptr_array_index (lan_message_get_files (declined), 1))->attr, ==, 2);
  g_assert_cmpint (lan_message_get_offer_state (declined), ==, LAN_OFFER_DECLINED);
  g_assert_cmpstr (file_name (open, 0), ==, "x.txt");
  g_assert_cmpint (lan_message_get_offer_state (open), ==, LAN_OFFER_OPEN);
  g_assert_null (lan_message_get_files (plain));
  g_assert_cmpint (lan_message_get_offer_state (plain), ==, LAN_OFFER_NONE);
  g_clear_object (&declined);
  g_clear_object (&open);
  g_clear_object (&plain);
  fixture_teardown (&fixture, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/offers-in/utf8", test_offer_utf8);
  ADD ("/offers-in/gb18030", test_offer_gb18030);
  ADD ("/offers-in/cp932", test_offer_cp932);
  ADD ("/offers-in/unreadable", test_offer_unreadable);
  ADD ("/offers-in/bound", test_offer_bound);
  ADD ("/offers-in/no-option", test_no_option_no_files);
#undef ADD
  g_test_add_func ("/offers-in/history", test_offer_in_history);

  return g_test_run ();
}
