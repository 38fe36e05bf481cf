/* lan-doctor.c — the diagnosis: findings derived from the packet log and the interfaces.
 *
 * Nothing here guesses from the configuration alone: every finding is
 * about what went out, what came back and from whom.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-doctor"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "lan-doctor.h"
#include "lan-interfaces.h"

#define LIMITED_BROADCAST 0xffffffffu
/* An answer may be delayed (ANSENTRY waits up to a second on a small LAN,
 * more on a large one): a question younger than this is not unanswered yet. */
#define ANSWER_GRACE_US (2500 * G_TIME_SPAN_MILLISECOND)

/* What we saw of one other host. */
typedef struct {
  guint32 address;
  guint16 port;
  guint   initiated;      /* entries, messages, exits: what it sends on its own */
  guint   answers;        /* ANSENTRY, RECVMSG, …: replies to something of ours */
  guint64 first_number;   /* the log number of the first datagram from it */
  gboolean gone;          /* its last word was BR_EXIT: it answers nothing any more */
  gboolean probe_answered;
  guint16 probe_port;     /* the source port of its first datagram after the probe */
} Heard;

/* A datagram of ours that calls for an answer: an entry (to everyone or to
 * one host) or a message with SENDCHECKOPT. */
typedef struct {
  guint64 number;
  gint64  time_us;
  guint32 to;
  gboolean broadcast;
} Question;

typedef struct {
  const LanDoctorFacts *facts;
  GListStore *findings;
  GHashTable *heard;          /* address → Heard */
  GArray     *questions;      /* Question */
  GHashTable *entry_targets;  /* addresses our entries went to unicast before the probe */
  GHashTable *broadcasts;     /* broadcast addresses our entries went to */
  GHashTable *send_errors;    /* address → first error text */
  guint       n_send_errors;
  guint       n_sent;
  guint       n_own;
  gint64      now_us;
} Diagnosis;

static void
add (Diagnosis       *d,
     const char      *check,
     LanDoctorStatus  status,
     const char      *detail,
     const char      *advice)
{
  g_autoptr(LanDoctorFinding) finding = lan_doctor_finding_new (check, status, detail, advice);

  g_list_store_append (d->findings, finding);
}

static gboolean
is_answer (guint32 mode)
{
  switch (mode)
    {
    case LAN_IPMSG_ANSENTRY:
    case LAN_IPMSG_RECVMSG:
    case LAN_IPMSG_ANSREADMSG:
    case LAN_IPMSG_ANSLIST:
    case LAN_IPMSG_OKGETLIST:
    case LAN_IPMSG_SENDINFO:
    case LAN_IPMSG_SENDABSENCEINFO:
    case LAN_IPMSG_ANSPUBKEY:
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
is_broadcast_address (Diagnosis *d,
                      guint32    address)
{
  if (address == LIMITED_BROADCAST)
    return TRUE;
  for (guint i = 0; i < d->facts->interfaces->len; i++)
    {
      LanInterface *iface = g_ptr_array_index (d->facts->interfaces, i);

      if (!iface->loopback && iface->broadcast != 0 && iface->broadcast == address)
        return TRUE;
    }
  return FALSE;
}

static void
read_outgoing (Diagnosis         *d,
               LanPacketLogEntry *entry)
{
  LanEndpoint to = lan_packet_log_entry_get_remote (entry);
  guint64 number = lan_packet_log_entry_get_number (entry);
  gboolean broadcast = (lan_packet_log_entry_get_flags (entry) & LAN_DATAGRAM_BROADCAST) != 0 ||
                       is_broadcast_address (d, to.address);
  guint32 command;
  guint32 mode;

  if (lan_packet_log_entry_get_verdict (entry) == LAN_VERDICT_SEND_ERROR)
    {
      const char *error = lan_packet_log_entry_get_detail (entry);

      d->n_send_errors++;
      if (!g_hash_table_contains (d->send_errors, GUINT_TO_POINTER (to.address)))
        g_hash_table_insert (d->send_errors, GUINT_TO_POINTER (to.address),
                             g_strdup (error != NULL ? error : ""));
      return;
    }
  d->n_sent++;
  if (!lan_packet_log_entry_get_parsed (entry))
    return;
  command = lan_packet_log_entry_get_command (entry);
  mode = LAN_IPMSG_MODE (command);
  if (mode == LAN_IPMSG_BR_ENTRY)
    {
      if (broadcast)
        g_hash_table_add (d->broadcasts, GUINT_TO_POINTER (to.address));
      else if (!d->facts->has_probe || number <= d->facts->probe_after)
        g_hash_table_add (d->entry_targets, GUINT_TO_POINTER (to.address));
    }
  if (mode == LAN_IPMSG_BR_ENTRY || (mode == LAN_IPMSG_SENDMSG && !broadcast &&
                                     (command & LAN_IPMSG_SENDCHECKOPT) != 0))
    {
      Question question = { number, lan_packet_log_entry_get_time (entry), to.address, broadcast };

      g_array_append_val (d->questions, question);
    }
}

static void
read_incoming (Diagnosis         *d,
               LanPacketLogEntry *entry)
{
  LanEndpoint from = lan_packet_log_entry_get_remote (entry);
  guint64 number = lan_packet_log_entry_get_number (entry);
  LanVerdict verdict = lan_packet_log_entry_get_verdict (entry);
  Heard *heard;

  if (verdict == LAN_VERDICT_OWN ||
      lan_interfaces_is_local_address (d->facts->interfaces, from.address))
    {
      d->n_own++;
      return;
    }
  /* Someone pretending to be us says nothing about who hears whom. */
  if (verdict == LAN_VERDICT_SPOOFED)
    return;

  heard = g_hash_table_lookup (d->heard, GUINT_TO_POINTER (from.address));
  if (heard == NULL)
    {
      heard = g_new0 (Heard, 1);
      heard->address = from.address;
      heard->port = from.port;
      heard->first_number = number;
      g_hash_table_insert (d->heard, GUINT_TO_POINTER (from.address), heard);
    }
  if (lan_packet_log_entry_get_parsed (entry))
    {
      guint32 mode = LAN_IPMSG_MODE (lan_packet_log_entry_get_command (entry));

      if (is_answer (mode))
        heard->answers++;
      else
        heard->initiated++;
      heard->gone = mode == LAN_IPMSG_BR_EXIT;
    }
  if (d->facts->has_probe && number > d->facts->probe_after && !heard->probe_answered)
    {
      heard->probe_answered = TRUE;
      heard->probe_port = from.port;
    }
}

static void
read_log (Diagnosis *d)
{
  guint n = g_list_model_get_n_items (d->facts->log);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LanPacketLogEntry) entry = g_list_model_get_item (d->facts->log, i);

      if (lan_packet_log_entry_get_evicted (entry))
        continue;
      if (lan_packet_log_entry_get_direction (entry) == LAN_DIRECTION_OUT)
        read_outgoing (d, entry);
      else
        read_incoming (d, entry);
    }
}

static guint
prefix_length (guint32 netmask)
{
  return (guint) __builtin_popcount (netmask);
}

/* Returns: (transfer full): "10.77.0.5" */
static char *
address_text (guint32 address)
{
  char buf[16];

  return g_strdup (lan_ipv4_format (address, buf));
}

/* The port, and whether we could start on it. */
static void
check_port (Diagnosis *d)
{
  const GError *error = d->facts->start_error;
  guint port = d->facts->port;

  if (error == NULL)
    {
      g_autofree char *detail = g_strdup_printf (_("Listening on UDP port %u."), port);

      add (d, "port", LAN_DOCTOR_OK, detail, NULL);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
    {
      g_autofree char *detail = g_strdup_printf (_("Port %u is in use by another program, so nothing can be "
                                                   "sent or received: %s"), port, error->message);
      g_autofree char *advice = g_strdup_printf (_("See which program holds it:\n"
                                                   "sudo ss -ulpn 'sport = :%u'\n"
                                                   "Quit it (another IPMsg messenger, or a second Lanchat), "
                                                   "or choose another port in Preferences; "
                                                   "everyone on the network must use the same one."), port);

      add (d, "port", LAN_DOCTOR_PROBLEM, detail, advice);
    }
  else
    {
      g_autofree char *detail = g_strdup_printf (_("Could not start on port %u: %s"), port, error->message);

      add (d, "port", LAN_DOCTOR_PROBLEM, detail,
           _("Check the port and the network address to listen on in Preferences."));
    }
}

static guint
hosts_on (Diagnosis          *d,
          const LanInterface *iface)
{
  GHashTableIter iter;
  Heard *heard;
  guint n = 0;

  g_hash_table_iter_init (&iter, d->heard);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &heard))
    if ((heard->address & iface->netmask) == (iface->address & iface->netmask))
      n++;
  return n;
}

/* Each interface, the broadcast address our entries went to there, and who answered on it. */
static void
check_interfaces (Diagnosis *d)
{
  guint n_up = 0;

  for (guint i = 0; i < d->facts->interfaces->len; i++)
    {
      LanInterface *iface = g_ptr_array_index (d->facts->interfaces, i);
      g_autofree char *address = NULL;
      g_autofree char *broadcast = NULL;
      g_autofree char *detail = NULL;
      guint hosts;

      if (iface->loopback)
        continue;
      n_up++;
      address = address_text (iface->address);
      hosts = hosts_on (d, iface);
      if (iface->broadcast == 0)
        {
          detail = g_strdup_printf (_("%s (%s/%u) has no broadcast address: nobody there hears our entry."),
                                    iface->name, address, prefix_length (iface->netmask));
          add (d, "interface", LAN_DOCTOR_WARNING, detail,
               _("Add the hosts there as extra targets (an address, a range or a network like 10.1.2.0/24)."));
          continue;
        }
      broadcast = address_text (iface->broadcast);
      if (!g_hash_table_contains (d->broadcasts, GUINT_TO_POINTER (iface->broadcast)) &&
          !g_hash_table_contains (d->broadcasts, GUINT_TO_POINTER (LIMITED_BROADCAST)))
        {
          detail = g_strdup_printf (_("%s (%s/%u): no entry went to its broadcast address %s, "
                                      "so nobody there was asked; answers from %u hosts."),
                                    iface->name, address, prefix_length (iface->netmask), broadcast, hosts);
          add (d, "interface", LAN_DOCTOR_WARNING, detail,
               _("If Lanchat listens on one network only, choose “All networks” in Preferences."));
        }
      else
        {
          detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "%s (%s/%u), broadcast %s: answers from %u host.",
                                                 "%s (%s/%u), broadcast %s: answers from %u hosts.", hosts),
                                    iface->name, address, prefix_length (iface->netmask), broadcast, hosts);
          add (d, "interface", hosts > 0 ? LAN_DOCTOR_OK : LAN_DOCTOR_WARNING, detail, NULL);
        }
    }
  if (n_up == 0)
    add (d, "interface", LAN_DOCTOR_PROBLEM, _("No network: no IPv4 interface other than loopback is up."),
         _("Connect to a network (cable or Wi-Fi), then refresh."));
}

/* Returns: (transfer none) (nullable): the name of the first interface that can broadcast */
static const char *
first_broadcast_interface (Diagnosis *d)
{
  for (guint i = 0; i < d->facts->interfaces->len; i++)
    {
      LanInterface *iface = g_ptr_array_index (d->facts->interfaces, i);

      if (!iface->loopback && iface->broadcast != 0)
        return iface->name;
    }
  return NULL;
}

static void
check_broadcast_route (Diagnosis *d)
{
  const char *error = g_hash_table_lookup (d->send_errors, GUINT_TO_POINTER (LIMITED_BROADCAST));
  const char *iface = first_broadcast_interface (d);
  g_autofree char *advice = NULL;

  if (d->facts->has_default_route && error == NULL)
    {
      add (d, "broadcast-route", LAN_DOCTOR_OK, _("255.255.255.255 has a route (the default route)."), NULL);
      return;
    }
  /* With no network that can broadcast there is no device to name; the
   * interface finding says so already. */
  if (iface != NULL)
    advice = g_strdup_printf (_("Give it a route through the network the others are on:\n"
                                "sudo ip route add 255.255.255.255/32 dev %s"), iface);
  if (error != NULL)
    {
      g_autofree char *detail = g_strdup_printf (_("Broadcasts to 255.255.255.255 cannot go out: %s"), error);

      add (d, "broadcast-route", LAN_DOCTOR_PROBLEM, detail,
           advice != NULL ? advice : _("Connect to a network that can broadcast, then refresh."));
    }
  else
    add (d, "broadcast-route", LAN_DOCTOR_WARNING,
         _("There is no default route, so 255.255.255.255 has no route: Lanchat sends to each network’s "
           "broadcast address instead, but messengers that only use 255.255.255.255 cannot announce "
           "themselves from a host like this."),
         advice);
}

static void
check_send_errors (Diagnosis *d)
{
  g_autoptr(GString) detail = NULL;
  GHashTableIter iter;
  gpointer key;
  const char *error;
  guint listed = 0;

  if (d->n_send_errors == 0)
    return;
  detail = g_string_new (NULL);
  g_string_printf (detail, g_dngettext (GETTEXT_PACKAGE, "%u datagram could not go out:",
                                        "%u datagrams could not go out:", d->n_send_errors),
                   d->n_send_errors);
  g_hash_table_iter_init (&iter, d->send_errors);
  while (g_hash_table_iter_next (&iter, &key, (gpointer *) &error) && listed++ < 5)
    {
      g_autofree char *to = address_text (GPOINTER_TO_UINT (key));

      g_string_append_printf (detail, " %s (%s)", to, error);
    }
  add (d, "send-errors", LAN_DOCTOR_PROBLEM, detail->str,
       _("Check the connection and the routes (ip route); a network that went away takes its routes with it."));
}

/* What arrived but was lost before anyone read it is not in the log either. */
static void
check_kernel_drops (Diagnosis *d)
{
  g_autofree char *detail = NULL;

  if (d->facts->kernel_drops == 0)
    return;
  detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%llu datagram arrived but was lost before it was read "
                                         "(the receive queue was full), so what follows may miss it.",
                                         "%llu datagrams arrived but were lost before they were read "
                                         "(the receive queue was full), so what follows may miss them.",
                                         d->facts->kernel_drops > G_MAXULONG ? G_MAXULONG : (gulong) d->facts->kernel_drops),
                            (unsigned long long) d->facts->kernel_drops);
  add (d, "kernel-drops", LAN_DOCTOR_WARNING, detail,
       _("Usually a burst that has passed. If it goes on, something floods the port: "
         "the packet log shows who sends so much."));
}

/* Whether anyone but us is heard at all. */
static void
check_heard (Diagnosis *d)
{
  guint hosts = g_hash_table_size (d->heard);
  g_autofree char *firewall = lan_doctor_firewall_commands (d->facts->port);
  g_autofree char *advice = NULL;

  if (hosts > 0)
    {
      g_autofree char *detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "We hear %u other host.",
                                                              "We hear %u other hosts.", hosts), hosts);

      add (d, "only-ourselves", LAN_DOCTOR_OK, detail, NULL);
      return;
    }
  if (d->n_sent == 0)
    {
      add (d, "only-ourselves", LAN_DOCTOR_WARNING, _("Nothing was sent yet, and nothing was heard."), NULL);
      return;
    }
  advice = g_strdup_printf (_("Either nobody else runs an IPMsg messenger (Lanchat, IP Messenger, iptux, FeiQ) "
                              "on this network, or a firewall here drops what comes in. "
                              "Let UDP and TCP %u in:\n%s"), d->facts->port, firewall);
  if (d->n_own > 0)
    add (d, "only-ourselves", LAN_DOCTOR_PROBLEM,
         _("We hear only ourselves: our own broadcasts come back, but nothing from anyone else."), advice);
  else
    add (d, "only-ourselves", LAN_DOCTOR_PROBLEM,
         _("Nothing arrives at all, not even our own broadcasts: we hear no one."), advice);
}

static gboolean
asked (Diagnosis   *d,
       const Heard *heard)
{
  for (guint i = 0; i < d->questions->len; i++)
    {
      const Question *q = &g_array_index (d->questions, Question, i);

      if (q->number > heard->first_number && (q->broadcast || q->to == heard->address) &&
          q->time_us + ANSWER_GRACE_US <= d->now_us)
        return TRUE;
    }
  return FALSE;
}

/* Who is heard one way only. */
static gint
compare_heard (gconstpointer a,
               gconstpointer b)
{
  const Heard *x = a;
  const Heard *y = b;

  return x->address < y->address ? -1 : x->address > y->address;
}

static void
check_one_way (Diagnosis *d)
{
  g_autofree char *firewall = lan_doctor_firewall_commands (d->facts->port);
  /* By address, so that the same log reads the same every time. */
  GList *hosts = g_list_sort (g_hash_table_get_values (d->heard), compare_heard);

  for (GList *l = hosts; l != NULL; l = l->next)
    {
      Heard *heard = l->data;
      g_autofree char *address = address_text (heard->address);
      g_autofree char *detail = NULL;

      if (heard->answers == 0 && heard->initiated > 0 && !heard->gone && asked (d, heard))
        {
          g_autofree char *advice = g_strdup_printf (_("On %s, let UDP and TCP %u in:\n%s"),
                                                     address, d->facts->port, firewall);

          detail = g_strdup_printf (_("We hear %s, but it does not hear us: it never answered our entries "
                                      "or messages."), address);
          add (d, "one-way", LAN_DOCTOR_PROBLEM, detail, advice);
        }
      else if (heard->answers > 0 && heard->initiated == 0)
        {
          /* Usual when it started before us: it announced itself before we listened. */
          detail = g_strdup_printf (_("%s answers us; nothing it sent on its own (an entry, a message) "
                                      "has reached us yet."), address);
          add (d, "one-way", LAN_DOCTOR_OK, detail, NULL);
        }
    }
  g_list_free (hosts);
}

static gboolean
on_our_networks (Diagnosis *d,
                 guint32    address)
{
  for (guint i = 0; i < d->facts->interfaces->len; i++)
    {
      LanInterface *iface = g_ptr_array_index (d->facts->interfaces, i);

      if (!iface->loopback && (address & iface->netmask) == (iface->address & iface->netmask))
        return TRUE;
    }
  return FALSE;
}

/* The address asked about: did it answer, on which port, and can broadcasts reach it? */
static void
check_probe (Diagnosis *d)
{
  LanEndpoint probe = d->facts->probe;
  g_autofree char *address = address_text (probe.address);
  g_autofree char *firewall = lan_doctor_firewall_commands (probe.port);
  Heard *heard = g_hash_table_lookup (d->heard, GUINT_TO_POINTER (probe.address));
  gboolean answered = heard != NULL && heard->probe_answered;
  g_autofree char *detail = NULL;
  g_autofree char *advice = NULL;

  if (lan_interfaces_is_local_address (d->facts->interfaces, probe.address))
    {
      detail = g_strdup_printf (_("%s is this computer."), address);
      add (d, "address", LAN_DOCTOR_WARNING, detail, NULL);
      return;
    }
  if (answered && heard->probe_port == probe.port)
    {
      detail = g_strdup_printf (_("%s answers an entry on port %u."), address, probe.port);
      add (d, "address", LAN_DOCTOR_OK, detail, NULL);
    }
  else if (answered)
    {
      detail = g_strdup_printf (_("%s answers, but from port %u, not %u: it uses another port."),
                                address, heard->probe_port, probe.port);
      advice = g_strdup_printf (_("Everyone must use the same port: set %u on both sides "
                                  "(Preferences, or lanchat-cli --port %u)."), probe.port, probe.port);
      add (d, "address", LAN_DOCTOR_WARNING, detail, advice);
    }
  else
    {
      detail = g_strdup_printf (heard != NULL
                                ? _("%s did not answer the entry sent to port %u within %.1f s, though it was heard before.")
                                : _("%s did not answer the entry sent to port %u within %.1f s."),
                                address, probe.port, d->facts->wait_ms / 1000.0);
      advice = g_strdup_printf (_("Check that %s is on and runs an IPMsg messenger on port %u, "
                                  "and that its firewall lets UDP and TCP %u in:\n%s"),
                                address, probe.port, probe.port, firewall);
      add (d, "address", LAN_DOCTOR_PROBLEM, detail, advice);
    }

  if (on_our_networks (d, probe.address))
    return;
  g_clear_pointer (&detail, g_free);
  g_clear_pointer (&advice, g_free);
  if (g_hash_table_contains (d->entry_targets, GUINT_TO_POINTER (probe.address)))
    {
      detail = g_strdup_printf (_("%s is on another network; the extra targets reach it."), address);
      add (d, "subnet", LAN_DOCTOR_OK, detail, NULL);
      return;
    }
  detail = g_strdup_printf (_("%s is on none of this computer’s networks, so our broadcasts never reach it "
                              "and it is not among the extra targets."), address);
  advice = g_strdup_printf (_("Add it as an extra target (Preferences, or lanchat-cli --target %s); "
                              "a range or a network such as 10.1.2.0/24 works too."), address);
  add (d, "subnet", answered ? LAN_DOCTOR_WARNING : LAN_DOCTOR_PROBLEM, detail, advice);
}

GListModel *
lan_doctor_diagnose (const LanDoctorFacts *facts)
{
  Diagnosis d = { 0 };

  g_return_val_if_fail (facts != NULL, NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (facts->log), NULL);
  g_return_val_if_fail (facts->interfaces != NULL, NULL);

  d.facts = facts;
  d.findings = g_list_store_new (LAN_TYPE_DOCTOR_FINDING);
  d.heard = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  d.questions = g_array_new (FALSE, FALSE, sizeof (Question));
  d.entry_targets = g_hash_table_new (NULL, NULL);
  d.broadcasts = g_hash_table_new (NULL, NULL);
  d.send_errors = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  d.now_us = g_get_real_time ();

  read_log (&d);
  check_port (&d);
  check_interfaces (&d);
  check_broadcast_route (&d);
  check_send_errors (&d);
  check_kernel_drops (&d);
  if (facts->start_error == NULL)
    {
      check_heard (&d);
      check_one_way (&d);
    }
  if (facts->has_probe && facts->start_error == NULL)
    check_probe (&d);

  g_hash_table_unref (d.heard);
  g_array_unref (d.questions);
  g_hash_table_unref (d.entry_targets);
  g_hash_table_unref (d.broadcasts);
  g_hash_table_unref (d.send_errors);
  return G_LIST_MODEL (d.findings);
}
