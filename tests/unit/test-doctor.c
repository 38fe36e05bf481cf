/* test-doctor.c — the doctor's findings: derived from crafted packet logs
 * (no engine), and the doctor at work over the in-memory LAN.
 *
 * No socket is opened: it runs without a network namespace.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "lan-doctor.h"
#include "lan-enums.h"
#include "lan-interfaces.h"
#include "lan-ipmsg.h"
#include "lan-test-await.h"
#include "lan-test-engine.h"

#define US      "10.77.0.2"
#define BOB     "10.77.0.3"
#define NOBODY  "10.77.0.99"

static guint32
ip (const char *text)
{
  guint32 address = 0;

  g_assert_true (lan_ipv4_parse (text, &address));
  return address;
}

static LanEndpoint
at (const char *text,
    guint16     port)
{
  LanEndpoint endpoint = { ip (text), port };

  return endpoint;
}

/* A host on 10.77.0.0/24 as eth0, and loopback.
 * Returns: (transfer full) (element-type LanInterface) */
static GPtrArray *
interfaces (void)
{
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) lan_interface_free);
  LanInterface *lo = g_new0 (LanInterface, 1);
  LanInterface *eth0 = g_new0 (LanInterface, 1);

  lo->name = g_strdup ("lo");
  lo->address = ip ("127.0.0.1");
  lo->netmask = ip ("255.0.0.0");
  lo->loopback = TRUE;
  eth0->name = g_strdup ("eth0");
  eth0->address = ip (US);
  eth0->netmask = ip ("255.255.255.0");
  eth0->broadcast = ip ("10.77.0.255");
  g_ptr_array_add (list, lo);
  g_ptr_array_add (list, eth0);
  return list;
}

typedef struct {
  LanPacketLog   *log;
  GPtrArray      *interfaces;
  LanDoctorFacts  facts;
  GListModel     *findings;
} Case;

static void
case_init (Case *c)
{
  memset (c, 0, sizeof *c);
  c->log = lan_packet_log_new (1000);
  c->interfaces = interfaces ();
  c->facts.log = G_LIST_MODEL (c->log);
  c->facts.interfaces = c->interfaces;
  c->facts.port = 2425;
  c->facts.has_default_route = TRUE;
  c->facts.wait_ms = 3000;
}

static void
case_clear (Case *c)
{
  g_clear_object (&c->findings);
  g_clear_object (&c->log);
  g_clear_pointer (&c->interfaces, g_ptr_array_unref);
}

/* A datagram @seconds_ago in @direction between us (port 2425) and @remote. */
static void
log_packet (Case        *c,
            LanDirection direction,
            const char  *remote,
            guint16      remote_port,
            guint32      command,
            LanVerdict   verdict,
            double       seconds_ago)
{
  g_autoptr(GBytes) bytes = lan_test_craft ("1", g_random_int (), "u", "h", command, "nick\0\0", 6);
  LanDatagram datagram = { 0 };

  datagram.time_us = g_get_real_time () - (gint64) (seconds_ago * G_USEC_PER_SEC);
  datagram.direction = direction;
  datagram.local = at (US, 2425);
  datagram.remote = at (remote, remote_port);
  datagram.data = g_bytes_get_data (bytes, &datagram.len);
  if (g_str_has_suffix (remote, ".255"))
    datagram.flags |= LAN_DATAGRAM_BROADCAST;
  if (verdict == LAN_VERDICT_SEND_ERROR)
    {
      datagram.flags |= LAN_DATAGRAM_SEND_ERROR;
      datagram.error = "Network is unreachable";
    }
  lan_packet_log_append (c->log, &datagram, verdict, datagram.error);
}

static guint64
last_number (Case *c)
{
  g_autoptr(LanPacketLogEntry) last = NULL;
  guint n;

  lan_packet_log_flush (c->log);
  n = g_list_model_get_n_items (G_LIST_MODEL (c->log));
  g_assert_cmpuint (n, >, 0);
  last = g_list_model_get_item (G_LIST_MODEL (c->log), n - 1);

  return lan_packet_log_entry_get_number (last);
}

static void
diagnose (Case *c)
{
  lan_packet_log_flush (c->log);
  g_clear_object (&c->findings);
  c->findings = lan_doctor_diagnose (&c->facts);
}

/* The finding @check with @status (and @text in its detail or advice), or NULL.
 * Returns: (transfer none) */
static LanDoctorFinding *
find (Case            *c,
      const char      *check,
      LanDoctorStatus  status,
      const char      *text)
{
  guint n = g_list_model_get_n_items (c->findings);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LanDoctorFinding) finding = g_list_model_get_item (c->findings, i);
      const char *advice = lan_doctor_finding_get_advice (finding);

      if (g_str_equal (lan_doctor_finding_get_check (finding), check) &&
          lan_doctor_finding_get_status (finding) == status &&
          (text == NULL || strstr (lan_doctor_finding_get_detail (finding), text) != NULL ||
           (advice != NULL && strstr (advice, text) != NULL)))
        return finding;   /* the model keeps it */
    }
  return NULL;
}

static gboolean
has_check (Case       *c,
           const char *check)
{
  return find (c, check, LAN_DOCTOR_OK, NULL) != NULL || find (c, check, LAN_DOCTOR_WARNING, NULL) != NULL ||
         find (c, check, LAN_DOCTOR_PROBLEM, NULL) != NULL;
}

static void
test_status_type (void)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (LAN_TYPE_DOCTOR_STATUS);
  g_autoptr(LanDoctorFinding) finding = lan_doctor_finding_new ("x", LAN_DOCTOR_WARNING, "d", NULL);
  g_autoptr(JsonNode) node = lan_doctor_finding_to_json (finding);
  JsonObject *object = json_node_get_object (node);
  LanDoctorStatus status = LAN_DOCTOR_OK;

  g_assert_cmpstr (g_enum_get_value (klass, LAN_DOCTOR_OK)->value_nick, ==, "ok");
  g_assert_cmpstr (g_enum_get_value (klass, LAN_DOCTOR_WARNING)->value_nick, ==, "warning");
  g_assert_cmpstr (g_enum_get_value (klass, LAN_DOCTOR_PROBLEM)->value_nick, ==, "problem");
  g_assert_cmpstr (lan_doctor_status_to_string (LAN_DOCTOR_PROBLEM), ==, "problem");
  g_object_get (finding, "status", &status, NULL);
  g_assert_cmpint (status, ==, LAN_DOCTOR_WARNING);

  g_assert_cmpuint (json_object_get_size (object), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (object, "check"), ==, "x");
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "warning");
  g_assert_cmpstr (json_object_get_string_member (object, "detail"), ==, "d");
  g_assert_true (json_object_get_null_member (object, "advice"));
}

static void
test_firewall_commands_use_the_port (void)
{
  g_autofree char *commands = lan_doctor_firewall_commands (2426);

  g_assert_nonnull (strstr (commands, "ufw allow 2426/udp"));
  g_assert_nonnull (strstr (commands, "ufw allow 2426/tcp"));
  g_assert_nonnull (strstr (commands, "--add-port=2426/udp --add-port=2426/tcp"));
  g_assert_nonnull (strstr (commands, "udp dport 2426 accept"));
  g_assert_nonnull (strstr (commands, "tcp dport 2426 accept"));
  g_assert_null (strstr (commands, "2425"));
}

static void
test_only_ourselves (void)
{
  Case c;
  LanDoctorFinding *finding;

  case_init (&c);
  c.facts.port = 2426;
  log_packet (&c, LAN_DIRECTION_OUT, "10.77.0.255", 2426, LAN_IPMSG_BR_ENTRY, LAN_VERDICT_OK, 3);
  log_packet (&c, LAN_DIRECTION_IN, US, 2426, LAN_IPMSG_BR_ENTRY, LAN_VERDICT_OWN, 3);
  diagnose (&c);

  finding = find (&c, "only-ourselves", LAN_DOCTOR_PROBLEM, "only ourselves");
  g_assert_nonnull (finding);
  g_assert_nonnull (strstr (lan_doctor_finding_get_advice (finding), "ufw allow 2426/udp"));
  g_assert_nonnull (strstr (lan_doctor_finding_get_advice (finding), "tcp dport 2426 accept"));
  g_assert_cmpint (lan_doctor_worst_status (c.findings), ==, LAN_DOCTOR_PROBLEM);
  /* The broadcast went out on eth0, but nobody there answered. */
  g_assert_nonnull (find (&c, "interface", LAN_DOCTOR_WARNING, "broadcast 10.77.0.255: answers from 0 hosts"));
  case_clear (&c);

  /* Not even our own broadcasts: a firewall dropping everything coming in. */
  case_init (&c);
  log_packet (&c, LAN_DIRECTION_OUT, "10.77.0.255", 2425, LAN_IPMSG_BR_ENTRY, LAN_VERDICT_OK, 3);
  diagnose (&c);
  g_assert_nonnull (find (&c, "only-ourselves", LAN_DOCTOR_PROBLEM, "not even our own"));
  case_clear (&c);
}

static void
test_clean (void)
{
  Case c;

  case_init (&c);
  log_packet (&c, LAN_DIRECTION_OUT, "10.77.0.255", 2425, LAN_IPMSG_BR_ENTRY, LAN_VERDICT_OK, 3);
  log_packet (&c, LAN_DIRECTION_IN, US, 2425, LAN_IPMSG_BR_ENTRY, LAN_VERDICT_OWN, 3);
  log_packet (&c, LAN_DIRECTION_IN, BOB, 2425, LAN_IPMSG_ANSENTRY, LAN_VERDICT_OK, 2.5);
  log_packet (&c, LAN_DIRECTION_IN, BOB, 2425, LAN_IPMSG_BR_ABSENCE, LAN_VERDICT_OK, 1);
  diagnose (&c);

  g_assert_nonnull (find (&c, "port", LAN_DOCTOR_OK, "2425"));
  g_assert_nonnull (find (&c, "only-ourselves", LAN_DOCTOR_OK, "1 other host"));
  g_assert_nonnull (find (&c, "interface", LAN_DOCTOR_OK, "eth0 (10.77.0.2/24), broadcast 10.77.0.255: answers from 1 host"));
  g_assert_nonnull (find (&c, "broadcast-route", LAN_DOCTOR_OK, NULL));
  g_assert_false (has_check (&c, "one-way"));
  g_assert_false (has_check (&c, "send-errors"));
  g_assert_false (has_check (&c, "kernel-drops"));
  g_assert_false (has_check (&c, "address"));
  g_assert_cmpint (lan_doctor_worst_status (c.findings), ==, LAN_DOCTOR_OK);

  c.facts.kernel_drops = 3;
  diagnose (&c);
  g_assert_nonnull (find (&c, "kernel-drops", LAN_DOCTOR_WARNING, "3 datagrams arrived but were lost"));
  case_clear (&c);
}

static void
test_one_way (void)
{
  Case c;

  /* Bob is heard, was asked (our entry after his) long enough ago, never answered. */
  case_init (&c);
  log_packet (&c, LAN_DIRECTION_IN, BOB, 2425, LAN_IPMSG_BR_ENTRY, LAN_VERDICT_OK, 6);
  log_packet (&c, LAN_DIRECTION_OUT, BOB, 2425, LAN_IPMSG_ANSENTRY, LAN_VERDICT_OK, 6);
  log_packet (&c, LAN_DIRECTION_OUT, "10.77.0.255", 2425, LAN_IPMSG_BR_ENTRY, LAN_VERDICT_OK, 4);
  diagnose (&c);
  g_assert_nonnull (find (&c, "one-way", LAN_DOCTOR_PROBLEM, "We hear " BOB ", but it does not hear us"));
  g_assert_nonnull (find (&c, "one-way", LAN_DOCTOR_PROBLEM, "udp dport 2425 accept"));

  /* The same, but he answers: nothing one-way. */
  log_packet (&c, LAN_DIRECTION_IN, BOB, 2425, LAN_IPMSG_ANSENTRY, LAN_VERDICT_OK, 3.5);
  diagnose (&c);
  g_assert_false (has_check (&c, "one-way"));
  case_clear (&c);

  /* Gone (BR_EXIT) before we asked: it hears nobody now, and that is no firewall. */
  case_init (&c);
  log_packet (&c, LAN_DIRECTION_IN, BOB, 2425, LAN_IPMSG_BR_ENTRY, LAN_VERDICT_OK, 9);
  log_packet (&c, LAN_DIRECTION_IN, BOB, 2425, LAN_IPMSG_BR_EXIT, LAN_VERDICT_OK, 8);
  log_packet (&c, LAN_DIRECTION_OUT, "10.77.0.255", 2425, LAN_IPMSG_BR_ENTRY, LAN_VERDICT_OK, 4);
  diagnose (&c);
  g_assert_false (has_check (&c, "one-way"));
  case_clear (&c);

  /* Asked only just now: the answer may still come. */
  case_init (&c);
  log_packet (&c, LAN_DIRECTION_IN, BOB, 2425, LAN_IPMSG_BR_ENTRY, LAN_VERDICT_OK, 6);
  log_packet (&c, LAN_DIRECTION_OUT, "10.77.0.255", 2425, LAN_IPMSG_BR_ENTRY, LAN_VERDICT_OK, 0.1);
  diagnose (&c);
  g_assert_false (has_check (&c, "one-way"));
  case_clear (&c);

  /* The reverse: his answers arrive, nothing he sends on his own. */
  case_init (&c);
  log_packet (&c, LAN_DIRECTION_OUT, "10.77.0.255", 2425, LAN_IPMSG_BR_ENTRY, LAN_VERDICT_OK, 4);
  log_packet (&c, LAN_DIRECTION_IN, BOB, 2425, LAN_IPMSG_ANSENTRY, LAN_VERDICT_OK, 3.9);
  diagnose (&c);
  g_assert_nonnull (find (&c, "one-way", LAN_DOCTOR_OK, BOB " answers us; nothing it sent on its own"));
  case_clear (&c);
}

static void
test_port_in_use (void)
{
  Case c;
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE, "UDP port 2427 is in use");

  case_init (&c);
  c.facts.port = 2427;
  c.facts.start_error = error;
  c.facts.has_probe = TRUE;
  c.facts.probe = at (BOB, 2427);
  diagnose (&c);
  g_assert_nonnull (find (&c, "port", LAN_DOCTOR_PROBLEM, "Port 2427 is in use by another program"));
  g_assert_nonnull (find (&c, "port", LAN_DOCTOR_PROBLEM, "ss -ulpn 'sport = :2427'"));
  /* Nothing went over the wire, so nothing is said about who is heard. */
  g_assert_false (has_check (&c, "only-ourselves"));
  g_assert_false (has_check (&c, "address"));
  case_clear (&c);
}

static void
test_broadcast_route (void)
{
  Case c;

  case_init (&c);
  c.facts.has_default_route = FALSE;
  diagnose (&c);
  g_assert_nonnull (find (&c, "broadcast-route", LAN_DOCTOR_WARNING, "ip route add 255.255.255.255/32 dev eth0"));

  log_packet (&c, LAN_DIRECTION_OUT, "255.255.255.255", 2425, LAN_IPMSG_BR_ENTRY, LAN_VERDICT_SEND_ERROR, 1);
  diagnose (&c);
  g_assert_nonnull (find (&c, "broadcast-route", LAN_DOCTOR_PROBLEM, "Network is unreachable"));
  g_assert_nonnull (find (&c, "send-errors", LAN_DOCTOR_PROBLEM, "255.255.255.255 (Network is unreachable)"));
  case_clear (&c);

  /* Loopback only: no network, and no device to route broadcasts through. */
  case_init (&c);
  c.facts.has_default_route = FALSE;
  g_ptr_array_remove_index (c.interfaces, 1);
  diagnose (&c);
  g_assert_nonnull (find (&c, "interface", LAN_DOCTOR_PROBLEM, "No network"));
  g_assert_nonnull (find (&c, "broadcast-route", LAN_DOCTOR_WARNING, NULL));
  g_assert_null (lan_doctor_finding_get_advice (find (&c, "broadcast-route", LAN_DOCTOR_WARNING, NULL)));
  case_clear (&c);
}

static void
test_probe (void)
{
  Case c;

  /* Answered on the port asked. */
  case_init (&c);
  log_packet (&c, LAN_DIRECTION_IN, BOB, 2425, LAN_IPMSG_BR_ENTRY, LAN_VERDICT_OK, 9);
  c.facts.has_probe = TRUE;
  c.facts.probe = at (BOB, 2425);
  c.facts.probe_after = last_number (&c);
  log_packet (&c, LAN_DIRECTION_OUT, BOB, 2425, LAN_IPMSG_BR_ENTRY, LAN_VERDICT_OK, 3);
  log_packet (&c, LAN_DIRECTION_IN, BOB, 2425, LAN_IPMSG_ANSENTRY, LAN_VERDICT_OK, 2.9);
  diagnose (&c);
  g_assert_nonnull (find (&c, "address", LAN_DOCTOR_OK, BOB " answers an entry on port 2425"));
  g_assert_false (has_check (&c, "subnet"));
  case_clear (&c);

  /* Heard before the probe, silent after it. */
  case_init (&c);
  log_packet (&c, LAN_DIRECTION_IN, BOB, 2425, LAN_IPMSG_BR_ENTRY, LAN_VERDICT_OK, 9);
  c.facts.has_probe = TRUE;
  c.facts.probe = at (BOB, 2425);
  c.facts.probe_after = last_number (&c);
  log_packet (&c, LAN_DIRECTION_OUT, BOB, 2425, LAN_IPMSG_BR_ENTRY, LAN_VERDICT_OK, 3);
  diagnose (&c);
  g_assert_nonnull (find (&c, "address", LAN_DOCTOR_PROBLEM, "did not answer the entry sent to port 2425 within 3.0 s, though it was heard before"));
  case_clear (&c);

  /* Answered from another port. */
  case_init (&c);
  c.facts.has_probe = TRUE;
  c.facts.probe = at (BOB, 2425);
  log_packet (&c, LAN_DIRECTION_OUT, BOB, 2425, LAN_IPMSG_BR_ENTRY, LAN_VERDICT_OK, 3);
  log_packet (&c, LAN_DIRECTION_IN, BOB, 2500, LAN_IPMSG_ANSENTRY, LAN_VERDICT_OK, 2.9);
  diagnose (&c);
  g_assert_nonnull (find (&c, "address", LAN_DOCTOR_WARNING, "from port 2500, not 2425"));
  case_clear (&c);
}

static void
test_other_subnet (void)
{
  Case c;

  /* Outside 10.77.0.0/24, no extra target, no answer. */
  case_init (&c);
  c.facts.has_probe = TRUE;
  c.facts.probe = at ("10.9.0.5", 2425);
  log_packet (&c, LAN_DIRECTION_OUT, "10.9.0.5", 2425, LAN_IPMSG_BR_ENTRY, LAN_VERDICT_OK, 3);
  diagnose (&c);
  g_assert_nonnull (find (&c, "subnet", LAN_DOCTOR_PROBLEM, "lanchat-cli --target 10.9.0.5"));
  g_assert_nonnull (find (&c, "address", LAN_DOCTOR_PROBLEM, NULL));
  case_clear (&c);

  /* The same host, but our entries went to it before (it is an extra target) and it answers. */
  case_init (&c);
  log_packet (&c, LAN_DIRECTION_OUT, "10.9.0.5", 2425, LAN_IPMSG_BR_ENTRY, LAN_VERDICT_OK, 20);
  c.facts.has_probe = TRUE;
  c.facts.probe = at ("10.9.0.5", 2425);
  c.facts.probe_after = last_number (&c);
  log_packet (&c, LAN_DIRECTION_OUT, "10.9.0.5", 2425, LAN_IPMSG_BR_ENTRY, LAN_VERDICT_OK, 3);
  log_packet (&c, LAN_DIRECTION_IN, "10.9.0.5", 2425, LAN_IPMSG_ANSENTRY, LAN_VERDICT_OK, 2.9);
  diagnose (&c);
  g_assert_nonnull (find (&c, "subnet", LAN_DOCTOR_OK, "extra targets reach it"));
  g_assert_nonnull (find (&c, "address", LAN_DOCTOR_OK, NULL));
  case_clear (&c);

  /* Only our own probe went to it: not an extra target, even though it answers. */
  case_init (&c);
  c.facts.has_probe = TRUE;
  c.facts.probe = at ("10.9.0.5", 2425);
  log_packet (&c, LAN_DIRECTION_OUT, "10.9.0.5", 2425, LAN_IPMSG_BR_ENTRY, LAN_VERDICT_OK, 3);
  log_packet (&c, LAN_DIRECTION_IN, "10.9.0.5", 2425, LAN_IPMSG_ANSENTRY, LAN_VERDICT_OK, 2.9);
  diagnose (&c);
  g_assert_nonnull (find (&c, "subnet", LAN_DOCTOR_WARNING, "not among the extra targets"));
  case_clear (&c);
}

/* The doctor at work, over the in-memory LAN. */

typedef struct {
  GListModel *findings;
  GError     *error;
  gboolean    done;
} Result;

static void
on_run (GObject      *source,
        GAsyncResult *async_result,
        gpointer      user_data)
{
  Result *result = user_data;

  result->findings = lan_doctor_run_finish (LAN_MESSENGER (source), async_result, &result->error);
  result->done = TRUE;
}

static gboolean
is_done (gpointer user_data)
{
  return ((Result *) user_data)->done;
}

static LanDoctorStatus
status_of (GListModel *findings,
           const char *check,
           char      **detail)
{
  guint n = g_list_model_get_n_items (findings);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LanDoctorFinding) finding = g_list_model_get_item (findings, i);

      if (g_str_equal (lan_doctor_finding_get_check (finding), check))
        {
          *detail = g_strdup (lan_doctor_finding_get_detail (finding));
          return lan_doctor_finding_get_status (finding);
        }
    }
  g_assert_not_reached ();
}

static void
test_run_over_memory_lan (void)
{
  g_autoptr(LanMemoryNetwork) network = lan_memory_network_new ("10.77.0.0/24");
  LanTestEngineOptions us_options = { .user_name = "us" };
  LanTestEngineOptions bob_options = { .user_name = "bob" };
  LanMessenger *us = lan_test_engine_new (network, US, &us_options);
  LanMessenger *bob = lan_test_engine_new (network, BOB, &bob_options);
  Result answered = { 0 };
  Result silent = { 0 };
  Result bad = { 0 };
  g_autofree char *detail = NULL;
  g_autofree char *silent_detail = NULL;

  lan_doctor_run_async (us, BOB, 300, NULL, on_run, &answered);
  g_assert_true (lan_test_await (is_done, &answered, LAN_TEST_DEADLINE_MS));
  g_assert_no_error (answered.error);
  g_assert_cmpint (status_of (answered.findings, "address", &detail), ==, LAN_DOCTOR_OK);
  g_assert_cmpstr (detail, ==, BOB " answers an entry on port 2425.");
  /* Whoever answers the probe is a peer like any other. */
  g_assert_nonnull (lan_test_engine_find_peer (us, BOB ":2425"));

  lan_doctor_run_async (us, NOBODY, 300, NULL, on_run, &silent);
  g_assert_true (lan_test_await (is_done, &silent, LAN_TEST_DEADLINE_MS));
  g_assert_no_error (silent.error);
  g_assert_cmpint (status_of (silent.findings, "address", &silent_detail), ==, LAN_DOCTOR_PROBLEM);
  g_assert_cmpstr (silent_detail, ==, NOBODY " did not answer the entry sent to port 2425 within 0.3 s.");
  g_assert_cmpint (lan_doctor_worst_status (silent.findings), ==, LAN_DOCTOR_PROBLEM);

  lan_doctor_run_async (us, "10.77.0.3-9", 300, NULL, on_run, &bad);
  g_assert_true (lan_test_await (is_done, &bad, LAN_TEST_DEADLINE_MS));
  g_assert_error (bad.error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_null (bad.findings);

  /* Cancelled while it waits: told at once, not after the wait. Only what
   * is already due runs (no waiting in the main loop), and that is enough. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    Result cancelled = { 0 };

    lan_doctor_run_async (us, BOB, 60000, cancellable, on_run, &cancelled);
    g_cancellable_cancel (cancellable);
    lan_test_drain ();
    g_assert_true (cancelled.done);
    g_assert_error (cancelled.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_null (cancelled.findings);
    g_clear_error (&cancelled.error);
  }

  /* Cancelled before it began: the same, and no probe goes out. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    Result cancelled = { 0 };
    LanMemoryTransport *transport = lan_test_engine_get_transport (us);
    guint sent_before;

    lan_test_drain ();
    sent_before = lan_memory_transport_get_n_sent (transport);
    g_cancellable_cancel (cancellable);
    lan_doctor_run_async (us, BOB, 60000, cancellable, on_run, &cancelled);
    lan_test_drain ();
    g_assert_true (cancelled.done);
    g_assert_error (cancelled.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_null (cancelled.findings);
    g_assert_cmpuint (lan_memory_transport_get_n_sent (transport), ==, sent_before);
    g_clear_error (&cancelled.error);
  }

  g_clear_object (&answered.findings);
  g_clear_object (&silent.findings);
  g_clear_error (&bad.error);
  lan_test_engine_stop (&bob);
  lan_test_engine_stop (&us);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/doctor/status-type", test_status_type);
  g_test_add_func ("/doctor/firewall-commands", test_firewall_commands_use_the_port);
  g_test_add_func ("/doctor/only-ourselves", test_only_ourselves);
  g_test_add_func ("/doctor/clean", test_clean);
  g_test_add_func ("/doctor/one-way", test_one_way);
  g_test_add_func ("/doctor/port-in-use", test_port_in_use);
  g_test_add_func ("/doctor/broadcast-route", test_broadcast_route);
  g_test_add_func ("/doctor/probe", test_probe);
  g_test_add_func ("/doctor/other-subnet", test_other_subnet);
  g_test_add_func ("/doctor/run", test_run_over_memory_lan);
  return g_test_run ();
}
