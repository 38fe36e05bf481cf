/* test-engine-dialect.c — the dialect matrix over the in-memory LAN:
 * Lanchat as 张三@开发组 with crafted iptux (default and gb18030), FeiQ
 * (with and without option bits) and IP Messenger for Windows peers:
 * names and text right both ways, each datagram readable whole by the
 * reader it is for.
 *
 * No socket is opened: it runs without a network namespace.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "lan-ipmsg.h"
#include "lan-test-await.h"
#include "lan-entry.h"
#include "lan-test-engine.h"
#include "lan-test-tmpdir.h"

#define ALICE  "10.77.0.2"
#define IPTUX  "10.77.0.5:2425"
#define FEIQ   "10.77.0.6:2425"
#define IPMSG  "10.77.0.7:2425"
#define NICK   "张三"
#define GROUP  "开发组"

typedef struct {
  LanMemoryNetwork *network;
  LanMessenger     *alice;
  LanTestSignal    *received;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  LanTestEngineOptions options = { .user_name = "zhang", .nickname = NICK };

  fixture->network = lan_memory_network_new ("10.77.0.0/24");
  fixture->alice = lan_test_engine_new (fixture->network, ALICE, &options);
  g_object_set (fixture->alice, "group", GROUP, NULL);
  fixture->received = lan_test_signal_watch (fixture->alice, "message-received");
  lan_memory_network_flush (fixture->network);
  lan_test_drain ();
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_pointer (&fixture->received, lan_test_signal_free);
  lan_test_engine_stop (&fixture->alice);
  g_clear_object (&fixture->network);
}

static LanEndpoint
endpoint (const char *text)
{
  LanEndpoint result = { 0, 0 };

  g_assert_true (lan_memory_parse_endpoint (text, &result));
  return result;
}

/* Sections joined by NULs, each a NUL-terminated string, into one extra. */
static GBytes *
craft (const char *version,
       guint64     packet_no,
       guint32     command,
       const char *first,
       ...)
{
  g_autoptr(GByteArray) extra = g_byte_array_new ();
  va_list args;

  va_start (args, first);
  for (const char *section = first; section != NULL; section = va_arg (args, const char *))
    g_byte_array_append (extra, (const guint8 *) section, (guint) strlen (section) + 1);
  va_end (args);
  return lan_test_craft (version, packet_no, "pal", "box", command, extra->data, extra->len);
}

static void
inject (Fixture    *fixture,
        const char *from,
        GBytes     *datagram)
{
  lan_test_inject (fixture->network, from, ALICE, datagram);
  lan_memory_network_flush (fixture->network);
  lan_test_drain ();
}

/* The last datagram alice sent to @to with command mode @mode, as bytes. */
static GBytes *
last_sent (Fixture    *fixture,
           const char *to,
           guint32     mode)
{
  LanMemoryTransport *transport = lan_test_engine_get_transport (fixture->alice);
  LanEndpoint destination = endpoint (to);
  GBytes *found = NULL;

  for (guint i = 0; i < lan_memory_transport_get_n_sent (transport); i++)
    {
      const LanMemorySent *sent = lan_memory_transport_get_sent (transport, i);
      g_autoptr(LanIpmsgPacket) packet = NULL;
      gsize len;
      const guint8 *data = g_bytes_get_data (sent->bytes, &len);

      if (!lan_endpoint_equal (sent->to, destination))
        continue;
      packet = lan_ipmsg_packet_parse (data, len, NULL);
      if (packet != NULL && LAN_IPMSG_MODE (packet->command) == mode)
        {
          g_clear_pointer (&found, g_bytes_unref);
          found = g_bytes_ref (sent->bytes);
        }
    }
  g_assert_nonnull (found);
  return found;
}

static guint32
command_of (GBytes *datagram)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (datagram, &len);
  g_autoptr(LanIpmsgPacket) packet = lan_ipmsg_packet_parse (data, len, NULL);

  g_assert_nonnull (packet);
  return packet != NULL ? packet->command : 0;
}

/* The whole datagram read in @charset, the way iptux reads one: NULs as
 * newlines so the sections can be searched. NULL when it doesn't decode. */
static char *
read_whole (GBytes     *datagram,
            const char *charset)
{
  gsize len;
  const char *data = g_bytes_get_data (datagram, &len);
  g_autofree char *copy = g_malloc0 (len + 1);

  memcpy (copy, data, len);
  for (gsize i = 0; i < len; i++)
    if (copy[i] == '\0')
      copy[i] = '\n';
  if (g_str_equal (charset, "UTF-8"))
    return g_utf8_validate_len (copy, len, NULL) ? g_strndup (copy, len) : NULL;
  return g_convert (copy, (gssize) len, "UTF-8", charset, NULL, NULL, NULL);
}

static gboolean
has_bytes (GBytes     *datagram,
           const char *needle)
{
  gsize len;
  const char *data = g_bytes_get_data (datagram, &len);
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= len; i++)
    if (memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
contains_utf8_block (GBytes *datagram)
{
  return has_bytes (datagram, "\nNN:");
}

static LanMessage *
await_message (Fixture *fixture,
               guint    n)
{
  const GValue *args;
  guint n_args;

  g_assert_cmpuint (lan_test_signal_await (fixture->received, n, LAN_TEST_DEADLINE_MS), ==, n);
  args = lan_test_signal_last_args (fixture->received, &n_args);
  return g_value_get_object (&args[1]);
}

static LanMessage *
send_to (Fixture    *fixture,
         const char *key,
         const char *text)
{
  g_autoptr(GError) error = NULL;
  LanPeer *peer = lan_test_engine_find_peer (fixture->alice, key);
  LanMessage *message;

  g_assert_nonnull (peer);
  message = lan_messenger_send (fixture->alice, peer, text, &error);
  g_assert_no_error (error);
  lan_memory_network_flush (fixture->network);
  return message;
}

/* iptux 0.8.3, default settings: UTF-8 fields, its marker, no option bits
 * but ABSENCEOPT. */
static void
test_iptux_default (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GBytes) entry = craft ("1_iptux 0.8.3", 10, LAN_IPMSG_BR_ENTRY | LAN_IPMSG_ABSENCEOPT,
                                   "李四", "测试组", "icon-tux.png", "utf-8", NULL);
  g_autoptr(GBytes) message = craft ("1_iptux 0.8.3", 11, LAN_IPMSG_SENDMSG | LAN_IPMSG_SENDCHECKOPT,
                                     "你好，张三", NULL);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GBytes) sent = NULL;
  g_autofree char *whole = NULL;
  g_autoptr(LanMessage) ours = NULL;
  LanPeer *peer;

  inject (fixture, IPTUX, entry);
  peer = lan_test_engine_find_peer (fixture->alice, IPTUX);
  g_assert_nonnull (peer);
  g_assert_cmpstr (lan_peer_get_nickname (peer), ==, "李四");
  g_assert_cmpstr (lan_peer_get_group (peer), ==, "测试组");
  g_assert_true (lan_peer_get_utf8 (peer));

  /* Its answer is UTF-8 from end to end: iptux shows 张三@开发组. */
  answer = last_sent (fixture, IPTUX, LAN_IPMSG_ANSENTRY);
  whole = read_whole (answer, "UTF-8");
  g_assert_nonnull (whole);
  g_assert_nonnull (strstr (whole, NICK "\n" GROUP "\n"));

  inject (fixture, IPTUX, message);
  g_assert_cmpstr (lan_message_get_text (await_message (fixture, 1)), ==, "你好，张三");

  /* Ours to it: UTF-8, without UTF8OPT (iptux neither sends nor expects it). */
  ours = send_to (fixture, IPTUX, "你好，李四");
  sent = last_sent (fixture, IPTUX, LAN_IPMSG_SENDMSG);
  g_clear_pointer (&whole, g_free);
  whole = read_whole (sent, "UTF-8");
  g_assert_nonnull (whole);
  g_assert_nonnull (strstr (whole, "你好，李四"));
  g_assert_false (command_of (sent) & LAN_IPMSG_UTF8OPT);
}

/* iptux with "preference_encode": "gb18030": GB18030 fields under its
 * utf-8 marker. */
static void
test_iptux_gb18030 (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *nick = lan_test_to_charset ("李四", "GB18030");
  g_autofree char *group = lan_test_to_charset ("测试组", "GB18030");
  g_autofree char *text = lan_test_to_charset ("你好，张三", "GB18030");
  g_autoptr(GBytes) entry = craft ("1_iptux 0.8.3", 10, LAN_IPMSG_BR_ENTRY | LAN_IPMSG_ABSENCEOPT,
                                   nick, group, "icon-tux.png", "utf-8", NULL);
  g_autoptr(GBytes) message = craft ("1_iptux 0.8.3", 11, LAN_IPMSG_SENDMSG | LAN_IPMSG_SENDCHECKOPT,
                                     text, NULL);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GBytes) sent = NULL;
  g_autofree char *whole = NULL;
  g_autoptr(LanMessage) ours = NULL;
  LanPeer *peer;

  inject (fixture, IPTUX, entry);
  peer = lan_test_engine_find_peer (fixture->alice, IPTUX);
  g_assert_nonnull (peer);
  g_assert_cmpstr (lan_peer_get_nickname (peer), ==, "李四");
  g_assert_cmpstr (lan_peer_get_group (peer), ==, "测试组");
  g_assert_false (lan_peer_get_utf8 (peer));

  /* Its answer is GB18030 whole, and carries no UTF-8 block to break that. */
  answer = last_sent (fixture, IPTUX, LAN_IPMSG_ANSENTRY);
  g_assert_false (contains_utf8_block (answer));
  whole = read_whole (answer, "GB18030");
  g_assert_nonnull (whole);
  g_assert_nonnull (strstr (whole, NICK "\n" GROUP "\n"));

  inject (fixture, IPTUX, message);
  g_assert_cmpstr (lan_message_get_text (await_message (fixture, 1)), ==, "你好，张三");

  ours = send_to (fixture, IPTUX, "你好，李四");
  sent = last_sent (fixture, IPTUX, LAN_IPMSG_SENDMSG);
  g_clear_pointer (&whole, g_free);
  whole = read_whole (sent, "GB18030");
  g_assert_nonnull (whole);
  g_assert_nonnull (strstr (whole, "你好，李四"));
  g_assert_false (command_of (sent) & LAN_IPMSG_UTF8OPT);
}

/* FeiQ: GBK, its decorated version with the MAC, no UTF-8 block; with no
 * option bits at all (@data NULL) or with some. */
static void
test_feiq (Fixture       *fixture,
           gconstpointer  data)
{
  guint32 options = GPOINTER_TO_UINT (data);
  g_autofree char *nick = lan_test_to_charset ("王五", "GBK");
  g_autofree char *group = lan_test_to_charset ("市场部", "GBK");
  g_autofree char *text = lan_test_to_charset ("收到了吗", "GBK");
  const char *version = "1_lbt6_0#128#000C29D68D8F#0#0#0#4001#9";
  g_autoptr(GBytes) entry = craft (version, 10, LAN_IPMSG_BR_ENTRY | options, nick, group, NULL);
  g_autoptr(GBytes) message = craft (version, 11, LAN_IPMSG_SENDMSG | LAN_IPMSG_SENDCHECKOPT, text, NULL);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GBytes) sent = NULL;
  g_autofree char *whole = NULL;
  g_autoptr(LanMessage) ours = NULL;
  LanPeer *peer;

  inject (fixture, FEIQ, entry);
  peer = lan_test_engine_find_peer (fixture->alice, FEIQ);
  g_assert_nonnull (peer);
  g_assert_cmpstr (lan_peer_get_nickname (peer), ==, "王五");
  g_assert_cmpstr (lan_peer_get_group (peer), ==, "市场部");
  /* An entry without CAPUTF8OPT is a legacy peer, bits or no bits. */
  g_assert_false (lan_peer_get_utf8 (peer));

  answer = last_sent (fixture, FEIQ, LAN_IPMSG_ANSENTRY);
  whole = read_whole (answer, "GBK");
  g_assert_nonnull (whole);
  g_assert_nonnull (strstr (whole, NICK "\n" GROUP "\n"));

  inject (fixture, FEIQ, message);
  g_assert_cmpstr (lan_message_get_text (await_message (fixture, 1)), ==, "收到了吗");

  ours = send_to (fixture, FEIQ, "收到了");
  sent = last_sent (fixture, FEIQ, LAN_IPMSG_SENDMSG);
  g_clear_pointer (&whole, g_free);
  whole = read_whole (sent, "GBK");
  g_assert_nonnull (whole);
  g_assert_nonnull (strstr (whole, "收到了"));
  g_assert_false (command_of (sent) & LAN_IPMSG_UTF8OPT);
}

/* IP Messenger for Windows (Japanese): CP932 fields, the UTF-8 block,
 * CAPUTF8OPT; some messages UTF8OPT, some CP932. Our legacy setting stays
 * GB18030: its entry proves CP932. */
static void
test_ipmsg_windows (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *nick = lan_test_to_charset ("山田太郎", "CP932");
  g_autofree char *group = lan_test_to_charset ("開発部", "CP932");
  g_autofree char *block = g_strdup ("\nUN:yamada\nHN:pc01\nNN:山田太郎\nGN:開発部\n");
  g_autofree char *legacy_text = lan_test_to_charset ("こんにちは", "CP932");
  guint32 entry_mode = LAN_IPMSG_BR_ENTRY | LAN_IPMSG_CAPUTF8OPT | LAN_IPMSG_FILEATTACHOPT;
  g_autoptr(GBytes) entry = craft ("1", 10, entry_mode, nick, group, block, NULL);
  g_autoptr(GBytes) flagged = craft ("1", 11, LAN_IPMSG_SENDMSG | LAN_IPMSG_SENDCHECKOPT | LAN_IPMSG_UTF8OPT,
                                     "会議は三時です", NULL);
  g_autoptr(GBytes) unflagged = craft ("1", 12, LAN_IPMSG_SENDMSG | LAN_IPMSG_SENDCHECKOPT,
                                       legacy_text, NULL);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GBytes) sent = NULL;
  g_autofree char *whole = NULL;
  g_autoptr(LanMessage) ours = NULL;
  LanPeer *peer;

  inject (fixture, IPMSG, entry);
  peer = lan_test_engine_find_peer (fixture->alice, IPMSG);
  g_assert_nonnull (peer);
  g_assert_cmpstr (lan_peer_get_nickname (peer), ==, "山田太郎");
  g_assert_cmpstr (lan_peer_get_group (peer), ==, "開発部");
  g_assert_cmpint (lan_peer_get_dialect (peer)->legacy, ==, LAN_LEGACY_CP932);
  g_assert_true (lan_peer_get_dialect (peer)->legacy_proven);

  /* Its own form: CP932 fields (our Chinese name has no CP932 for 张,
   * so '?'), and the UTF-8 block it prefers, which says it right. */
  answer = last_sent (fixture, IPMSG, LAN_IPMSG_ANSENTRY);
  g_assert_true (contains_utf8_block (answer));
  g_assert_true (has_bytes (answer, "NN:" NICK "\n"));
  g_assert_true (has_bytes (answer, "GN:" GROUP "\n"));

  inject (fixture, IPMSG, flagged);
  g_assert_cmpstr (lan_message_get_text (await_message (fixture, 1)), ==, "会議は三時です");
  inject (fixture, IPMSG, unflagged);
  g_assert_cmpstr (lan_message_get_text (await_message (fixture, 2)), ==, "こんにちは");

  ours = send_to (fixture, IPMSG, "了解です");
  sent = last_sent (fixture, IPMSG, LAN_IPMSG_SENDMSG);
  g_assert_true (command_of (sent) & LAN_IPMSG_UTF8OPT);
  whole = read_whole (sent, "UTF-8");
  g_assert_nonnull (whole);
  g_assert_nonnull (strstr (whole, "了解です"));
}

/* The broadcast entry is UTF-8 whole; peers known to read another charset
 * get a copy in theirs, after it. */
static void
test_entry_broadcast_and_copies (Fixture       *fixture,
                                 gconstpointer  data)
{
  LanMemoryTransport *transport = lan_test_engine_get_transport (fixture->alice);
  g_autofree char *nick = lan_test_to_charset ("王五", "GBK");
  g_autoptr(GBytes) feiq = craft ("1_lbt6_0#128#000C29D68D8F#0#0#0#4001#9", 10, LAN_IPMSG_BR_ENTRY,
                                  nick, "", NULL);
  g_autoptr(GBytes) iptux = craft ("1_iptux 0.8.3", 10, LAN_IPMSG_BR_ENTRY | LAN_IPMSG_ABSENCEOPT,
                                   "李四", "", "icon-tux.png", "utf-8", NULL);
  g_autofree char *broadcast_key = g_strdup_printf ("%s:2425",
                                                    lan_memory_network_get_broadcast_string (fixture->network));
  g_autoptr(GBytes) broadcast = NULL;
  g_autoptr(GBytes) copy = NULL;
  g_autofree char *whole = NULL;
  g_autofree char *copy_text = NULL;

  inject (fixture, FEIQ, feiq);
  inject (fixture, IPTUX, iptux);
  lan_memory_transport_clear_sent (transport);
  lan_messenger_announce (fixture->alice);
  lan_memory_network_flush (fixture->network);
  lan_test_drain ();

  broadcast = last_sent (fixture, broadcast_key, LAN_IPMSG_BR_ENTRY);
  whole = read_whole (broadcast, "UTF-8");
  g_assert_nonnull (whole);
  g_assert_nonnull (strstr (whole, NICK "\n" GROUP "\n"));
  g_assert_true (contains_utf8_block (broadcast));

  copy = last_sent (fixture, FEIQ, LAN_IPMSG_BR_ENTRY);
  copy_text = read_whole (copy, "GB18030");
  g_assert_nonnull (copy_text);
  g_assert_nonnull (strstr (copy_text, NICK "\n" GROUP "\n"));
  /* iptux reads the broadcast right: no copy for it. */
  g_assert_cmpuint (lan_memory_transport_count_sent (transport, LAN_IPMSG_BR_ENTRY,
                                                     &(LanEndpoint) { endpoint (IPTUX).address, 2425 }), ==, 0);
}

/* Non-ASCII text to Everyone: one copy per peer in its own charset, no
 * broadcast that would flip iptux to gb18030; ASCII: one broadcast. */
static void
test_everyone (Fixture       *fixture,
               gconstpointer  data)
{
  LanMemoryTransport *transport = lan_test_engine_get_transport (fixture->alice);
  g_autofree char *nick = lan_test_to_charset ("王五", "GBK");
  g_autoptr(GBytes) feiq = craft ("1_lbt6_0#128#000C29D68D8F#0#0#0#4001#9", 10, LAN_IPMSG_BR_ENTRY,
                                  nick, "", NULL);
  g_autoptr(GBytes) iptux = craft ("1_iptux 0.8.3", 10, LAN_IPMSG_BR_ENTRY | LAN_IPMSG_ABSENCEOPT,
                                   "李四", "", "icon-tux.png", "utf-8", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(LanMessage) chinese = NULL;
  g_autoptr(LanMessage) ascii = NULL;
  g_autoptr(GBytes) to_feiq = NULL;
  g_autoptr(GBytes) to_iptux = NULL;
  g_autofree char *feiq_text = NULL;
  g_autofree char *iptux_text = NULL;

  inject (fixture, FEIQ, feiq);
  inject (fixture, IPTUX, iptux);
  lan_memory_transport_clear_sent (transport);

  chinese = lan_messenger_send_broadcast (fixture->alice, "大家好", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lan_memory_transport_count_sent (transport, LAN_IPMSG_SENDMSG, NULL), ==, 2);
  to_feiq = last_sent (fixture, FEIQ, LAN_IPMSG_SENDMSG);
  to_iptux = last_sent (fixture, IPTUX, LAN_IPMSG_SENDMSG);
  g_assert_true (command_of (to_feiq) & LAN_IPMSG_BROADCASTOPT);
  g_assert_true (command_of (to_iptux) & LAN_IPMSG_BROADCASTOPT);
  feiq_text = read_whole (to_feiq, "GB18030");
  iptux_text = read_whole (to_iptux, "UTF-8");
  g_assert_nonnull (feiq_text);
  g_assert_nonnull (iptux_text);
  g_assert_nonnull (strstr (feiq_text, "大家好"));
  g_assert_nonnull (strstr (iptux_text, "大家好"));

  lan_memory_transport_clear_sent (transport);
  ascii = lan_messenger_send_broadcast (fixture->alice, "hello all", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lan_memory_transport_count_sent (transport, LAN_IPMSG_SENDMSG, NULL), >=, 1);
  g_assert_cmpuint (lan_memory_transport_count_sent (transport, LAN_IPMSG_SENDMSG,
                                                     &(LanEndpoint) { endpoint (FEIQ).address, 2425 }), ==, 0);
}

/* --encoding / the preference: the charset of peers whose entry proves
 * none (an old Japanese client with no block, no bits). */
static void
test_encoding_setting (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *nick = lan_test_to_charset ("鈴木", "CP932");
  g_autofree char *text = lan_test_to_charset ("お疲れ様です", "CP932");
  g_autoptr(GBytes) entry = craft ("1", 10, LAN_IPMSG_BR_ENTRY, nick, "", NULL);
  g_autoptr(GBytes) message = craft ("1", 11, LAN_IPMSG_SENDMSG, text, NULL);
  g_autoptr(GBytes) sent = NULL;
  g_autoptr(LanMessage) ours = NULL;
  g_autofree char *whole = NULL;
  LanPeer *peer;

  g_object_set (fixture->alice, "legacy-encoding", LAN_LEGACY_CP932, NULL);
  inject (fixture, IPMSG, entry);
  peer = lan_test_engine_find_peer (fixture->alice, IPMSG);
  g_assert_nonnull (peer);
  g_assert_cmpstr (lan_peer_get_nickname (peer), ==, "鈴木");
  inject (fixture, IPMSG, message);
  g_assert_cmpstr (lan_message_get_text (await_message (fixture, 1)), ==, "お疲れ様です");
  ours = send_to (fixture, IPMSG, "了解");
  sent = last_sent (fixture, IPMSG, LAN_IPMSG_SENDMSG);
  g_assert_false (command_of (sent) & LAN_IPMSG_UTF8OPT);
  whole = read_whole (sent, "CP932");
  g_assert_nonnull (whole);
  g_assert_nonnull (strstr (whole, "了解"));
}

/* The user's choice in the peer's menu wins both ways. */
static void
test_override (Fixture       *fixture,
               gconstpointer  data)
{
  /* A peer that says CAPUTF8OPT but, say, really writes GB18030. */
  g_autofree char *text = lan_test_to_charset ("你好", "GB18030");
  g_autoptr(GBytes) entry = craft ("1", 10, LAN_IPMSG_BR_ENTRY | LAN_IPMSG_CAPUTF8OPT, "pal", "", NULL);
  g_autoptr(GBytes) message = craft ("1", 11, LAN_IPMSG_SENDMSG, text, NULL);
  g_autoptr(GBytes) sent = NULL;
  g_autoptr(LanMessage) ours = NULL;
  g_autofree char *whole = NULL;
  LanPeer *peer;

  inject (fixture, IPMSG, entry);
  peer = lan_test_engine_find_peer (fixture->alice, IPMSG);
  g_assert_nonnull (peer);
  g_assert_true (lan_peer_get_utf8 (peer));
  lan_peer_set_dialect_override (peer, LAN_DIALECT_FORCE_GB18030);
  g_assert_false (lan_peer_get_utf8 (peer));

  inject (fixture, IPMSG, message);
  g_assert_cmpstr (lan_message_get_text (await_message (fixture, 1)), ==, "你好");
  ours = send_to (fixture, IPMSG, "再见");
  sent = last_sent (fixture, IPMSG, LAN_IPMSG_SENDMSG);
  g_assert_false (command_of (sent) & LAN_IPMSG_UTF8OPT);
  whole = read_whole (sent, "GB18030");
  g_assert_nonnull (whole);
  g_assert_nonnull (strstr (whole, "再见"));
}

/* The override and a proven charset are kept in history and given back
 * when the peer is seen again after a restart. */
static void
test_kept_in_history (void)
{
  g_autoptr(LanMemoryNetwork) network = lan_memory_network_new ("10.77.0.0/24");
  LanTestTmpdir *dir = lan_test_tmpdir_new ("lanchat-dialect");
  g_autofree char *path = lan_test_tmpdir_file (dir, "history.sqlite");
  LanTestEngineOptions options = { .user_name = "zhang", .history_path = path };
  g_autoptr(GBytes) entry = craft ("1", 10, LAN_IPMSG_BR_ENTRY | LAN_IPMSG_CAPUTF8OPT, "pal", "", NULL);
  LanMessenger *engine = lan_test_engine_new (network, ALICE, &options);
  LanPeer *peer;

  lan_test_inject (network, IPMSG, ALICE, entry);
  peer = lan_test_engine_await_peer (engine, IPMSG, LAN_TEST_DEADLINE_MS);
  g_assert_nonnull (peer);
  lan_peer_set_dialect_override (peer, LAN_DIALECT_FORCE_CP932);
  lan_test_engine_stop (&engine);

  engine = lan_test_engine_new (network, ALICE, &options);
  lan_test_inject (network, IPMSG, ALICE, entry);
  peer = lan_test_engine_await_peer (engine, IPMSG, LAN_TEST_DEADLINE_MS);
  g_assert_nonnull (peer);
  g_assert_cmpint (lan_peer_get_dialect_override (peer), ==, LAN_DIALECT_FORCE_CP932);
  g_assert_false (lan_peer_get_utf8 (peer));
  lan_test_engine_stop (&engine);
  lan_test_tmpdir_free (dir);
}

/* Away in the nickname, as IP Messenger users write it, when asked. */
static void
test_away_in_nickname (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(LanMemoryTransport) transport = lan_memory_transport_new (fixture->network, "10.77.0.8");
  g_autoptr(LanPeerList) peers = lan_peer_list_new (8);
  g_autoptr(LanWire) wire = lan_wire_new (LAN_TRANSPORT (transport), peers);
  LanEntryInfo info = { NICK, GROUP, TRUE, "会議中", TRUE };
  g_autofree char *shown = lan_entry_shown_nickname (&info);
  g_autoptr(GBytes) entry = NULL;

  g_assert_cmpstr (shown, ==, NICK "[会議中]");
  lan_wire_set_identity (wire, "zhang", "lab");
  entry = lan_entry_build (wire, &info, LAN_IPMSG_BR_ABSENCE, NULL);
  g_assert_true (has_bytes (entry, NICK "[会議中]\0" GROUP "\0"));
  g_assert_true (has_bytes (entry, "NN:" NICK "[会議中]\n"));
  g_assert_true (command_of (entry) & LAN_IPMSG_ABSENCEOPT);

  /* Off (the default), or not away: the nickname alone. */
  info.away_in_nickname = FALSE;
  g_clear_pointer (&shown, g_free);
  shown = lan_entry_shown_nickname (&info);
  g_assert_cmpstr (shown, ==, NICK);
  info.away_in_nickname = TRUE;
  info.away = FALSE;
  g_clear_pointer (&shown, g_free);
  shown = lan_entry_shown_nickname (&info);
  g_assert_cmpstr (shown, ==, NICK);
  /* A long, multi-line away text: its first line, cut. */
  info.away = TRUE;
  info.away_text = "back after lunch, call me on 1234 if it is urgent\nsecond line";
  g_clear_pointer (&shown, g_free);
  shown = lan_entry_shown_nickname (&info);
  g_assert_cmpstr (shown, ==, NICK "[back after lunch, call m…]");
}

/* Sealed: shown sealed, acknowledged as received, READMSG once opened
 * (READCHECKOPT when asked), its ANSREADMSG taken. Encrypted: a notice,
 * and no acknowledgement, not even of its retry. */
static void
test_sealed_and_encrypted (Fixture       *fixture,
                           gconstpointer  data)
{
  LanMemoryTransport *transport = lan_test_engine_get_transport (fixture->alice);
  LanEndpoint pal = endpoint (IPMSG);
  guint32 sealed_mode = LAN_IPMSG_SENDMSG | LAN_IPMSG_SENDCHECKOPT | LAN_IPMSG_SECRETOPT |
                        LAN_IPMSG_READCHECKOPT | LAN_IPMSG_UTF8OPT;
  g_autoptr(GBytes) entry = craft ("1", 10, LAN_IPMSG_BR_ENTRY | LAN_IPMSG_CAPUTF8OPT, "pal", "", NULL);
  g_autoptr(GBytes) sealed = craft ("1", 20, sealed_mode, "封緘された秘密", NULL);
  g_autoptr(GBytes) answer = craft ("1", 21, LAN_IPMSG_ANSREADMSG, "20", NULL);
  g_autoptr(GBytes) encrypted = craft ("1", 30, LAN_IPMSG_SENDMSG | LAN_IPMSG_SENDCHECKOPT |
                                       LAN_IPMSG_ENCRYPTOPT, "8f3a:91bc:ciphertext", NULL);
  g_autoptr(GBytes) encrypted_again = craft ("1", 30, LAN_IPMSG_SENDMSG | LAN_IPMSG_SENDCHECKOPT |
                                             LAN_IPMSG_ENCRYPTOPT | LAN_IPMSG_RETRYOPT,
                                             "8f3a:91bc:ciphertext", NULL);
  g_autoptr(GPtrArray) reads = NULL;
  g_autofree char *named = NULL;
  const LanMessengerStats *stats = lan_messenger_get_stats (fixture->alice);
  guint64 unmatched_before;
  LanMessage *message;

  inject (fixture, IPMSG, entry);
  inject (fixture, IPMSG, sealed);
  message = await_message (fixture, 1);
  g_assert_true (lan_message_get_sealed (message));
  g_assert_cmpuint (lan_memory_transport_count_sent (transport, LAN_IPMSG_RECVMSG, &pal), ==, 1);
  g_assert_cmpuint (lan_memory_transport_count_sent (transport, LAN_IPMSG_READMSG, &pal), ==, 0);

  lan_message_open (message);
  lan_message_open (message);
  g_assert_false (lan_message_get_sealed (message));
  g_assert_cmpstr (lan_message_get_text (message), ==, "封緘された秘密");
  reads = lan_memory_transport_find_sent (transport, LAN_IPMSG_READMSG, &pal);
  g_assert_cmpuint (reads->len, ==, 1);
  g_assert_true (((LanIpmsgPacket *) g_ptr_array_index (reads, 0))->command & LAN_IPMSG_READCHECKOPT);
  named = lan_ipmsg_packet_dup_section (g_ptr_array_index (reads, 0), 0);
  g_assert_cmpstr (named, ==, "20");
  unmatched_before = lan_packet_log_get_counters (lan_messenger_get_packet_log (fixture->alice))
                       ->verdicts[LAN_VERDICT_UNMATCHED_REPLY];
  inject (fixture, IPMSG, answer);
  /* Taken as the confirmation it is; the same again names nothing we wait for. */
  g_assert_cmpuint (lan_packet_log_get_counters (lan_messenger_get_packet_log (fixture->alice))
                      ->verdicts[LAN_VERDICT_UNMATCHED_REPLY], ==, unmatched_before);
  inject (fixture, IPMSG, answer);
  g_assert_cmpuint (lan_packet_log_get_counters (lan_messenger_get_packet_log (fixture->alice))
                      ->verdicts[LAN_VERDICT_UNMATCHED_REPLY], ==, unmatched_before + 1);

  inject (fixture, IPMSG, encrypted);
  message = await_message (fixture, 2);
  g_assert_true (lan_message_get_encrypted (message));
  g_assert_false (lan_message_get_sealed (message));
  g_assert_null (strstr (lan_message_get_text (message), "ciphertext"));
  g_assert_cmpstr (lan_message_get_text (message), ==, "An encrypted message arrived, which Lanchat can't read yet");
  inject (fixture, IPMSG, encrypted_again);
  g_assert_cmpuint (lan_memory_transport_count_sent (transport, LAN_IPMSG_RECVMSG, &pal), ==, 1);
  g_assert_cmpuint (lan_test_signal_count (fixture->received), ==, 2);
  g_assert_cmpuint (stats->duplicates, ==, 1);
}

/* The first message of the conversation with pal@box, as loaded again
 * from the history by a new engine on @path. */
static LanMessage *
reload_first_message (LanMemoryNetwork      *network,
                      LanTestEngineOptions  *options,
                      LanMessenger         **engine)
{
  g_autoptr(GBytes) entry = craft ("1", 11, LAN_IPMSG_BR_ENTRY | LAN_IPMSG_CAPUTF8OPT, "pal", "", NULL);
  LanConversation *conversation;

  *engine = lan_test_engine_new (network, ALICE, options);
  lan_test_inject (network, IPMSG, ALICE, entry);
  g_assert_nonnull (lan_test_engine_await_peer (*engine, IPMSG, LAN_TEST_DEADLINE_MS));
  conversation = lan_messenger_get_conversation (*engine, IPMSG);
  g_assert_nonnull (conversation);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (conversation)), >=, 1);
  return g_list_model_get_item (G_LIST_MODEL (conversation), 0);
}

/* A sealed message read again from the history is still sealed; once
 * opened, it is read again open. */
static void
test_sealed_kept_in_history (void)
{
  g_autoptr(LanMemoryNetwork) network = lan_memory_network_new ("10.77.0.0/24");
  LanTestTmpdir *dir = lan_test_tmpdir_new ("lanchat-dialect");
  g_autofree char *path = lan_test_tmpdir_file (dir, "history.sqlite");
  LanTestEngineOptions options = { .user_name = "zhang", .history_path = path };
  g_autoptr(GBytes) entry = craft ("1", 10, LAN_IPMSG_BR_ENTRY | LAN_IPMSG_CAPUTF8OPT, "pal", "", NULL);
  g_autoptr(GBytes) sealed = craft ("1", 20, LAN_IPMSG_SENDMSG | LAN_IPMSG_SENDCHECKOPT | LAN_IPMSG_SECRETOPT |
                                    LAN_IPMSG_UTF8OPT, "封緘された秘密", NULL);
  LanMessenger *engine = lan_test_engine_new (network, ALICE, &options);
  g_autoptr(LanTestSignal) received = lan_test_signal_watch (engine, "message-received");
  g_autoptr(LanMessage) message = NULL;

  lan_test_inject (network, IPMSG, ALICE, entry);
  g_assert_nonnull (lan_test_engine_await_peer (engine, IPMSG, LAN_TEST_DEADLINE_MS));
  lan_test_inject (network, IPMSG, ALICE, sealed);
  g_assert_cmpuint (lan_test_signal_await (received, 1, LAN_TEST_DEADLINE_MS), ==, 1);
  g_clear_pointer (&received, lan_test_signal_free);
  lan_test_engine_stop (&engine);

  message = reload_first_message (network, &options, &engine);
  g_assert_cmpstr (lan_message_get_text (message), ==, "封緘された秘密");
  g_assert_true (lan_message_get_sealed (message));
  lan_message_open (message);
  g_assert_false (lan_message_get_sealed (message));
  g_clear_object (&message);
  lan_test_engine_stop (&engine);

  message = reload_first_message (network, &options, &engine);
  g_assert_cmpstr (lan_message_get_text (message), ==, "封緘された秘密");
  g_assert_false (lan_message_get_sealed (message));
  g_clear_object (&message);
  lan_test_engine_stop (&engine);
  lan_test_tmpdir_free (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, data, func) \
  g_test_add ("/engine/dialect/" path, Fixture, data, fixture_setup, func, fixture_teardown)
  ADD ("iptux-default", NULL, test_iptux_default);
  ADD ("iptux-gb18030", NULL, test_iptux_gb18030);
  ADD ("feiq-no-option-bits", GUINT_TO_POINTER (0), test_feiq);
  ADD ("feiq-option-bits", GUINT_TO_POINTER (LAN_IPMSG_FILEATTACHOPT | LAN_IPMSG_ENCRYPTOPT), test_feiq);
  ADD ("ipmsg-windows", NULL, test_ipmsg_windows);
  ADD ("entry-broadcast-and-copies", NULL, test_entry_broadcast_and_copies);
  ADD ("everyone", NULL, test_everyone);
  ADD ("override", NULL, test_override);
  ADD ("encoding-setting", NULL, test_encoding_setting);
  ADD ("away-in-nickname", NULL, test_away_in_nickname);
  ADD ("sealed-and-encrypted", NULL, test_sealed_and_encrypted);
  g_test_add_func ("/engine/dialect/kept-in-history", test_kept_in_history);
  g_test_add_func ("/engine/dialect/sealed-kept-in-history", test_sealed_kept_in_history);
#undef ADD

  return g_test_run ();
}
