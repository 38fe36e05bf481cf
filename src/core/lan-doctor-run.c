/* lan-doctor-run.c — the doctor at work: ask the network, wait, then diagnose.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-doctor-run"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lan-doctor.h"
#include "lan-interfaces.h"

typedef struct {
  gboolean    has_probe;
  LanEndpoint probe;
  guint64     probe_after;
  guint       wait_ms;
  guint       timeout;
  GCancellable *cancellable;
  gulong      cancelled_id;
} Run;

static void
run_free (Run *run)
{
  /* The task (and so this) only goes once no "cancelled" handler runs. */
  if (run->cancelled_id != 0)
    g_cancellable_disconnect (run->cancellable, run->cancelled_id);
  g_clear_object (&run->cancellable);
  g_clear_handle_id (&run->timeout, g_source_remove);
  g_free (run);
}

/* "10.0.0.5" or "10.0.0.5:2425", nothing else: the doctor asks one host. */
static gboolean
parse_address (const char   *text,
               guint16       default_port,
               LanEndpoint  *out,
               GError      **error)
{
  g_auto(GStrv) parts = g_strsplit (text, ":", 3);
  guint64 port = default_port;

  if (g_strv_length (parts) > 2 || !lan_ipv4_parse (parts[0], &out->address) ||
      (parts[1] != NULL && (!g_ascii_string_to_unsigned (parts[1], 10, 1, 65535, &port, NULL))))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an IPv4 address (like 10.0.0.5 or 10.0.0.5:2425)"), text);
      return FALSE;
    }
  out->port = (guint16) port;
  return TRUE;
}

static guint64
last_number (LanPacketLog *log)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (log));
  g_autoptr(LanPacketLogEntry) last = NULL;

  if (n == 0)
    return 0;
  last = g_list_model_get_item (G_LIST_MODEL (log), n - 1);
  return lan_packet_log_entry_get_number (last);
}

/* A BR_ENTRY of our own to one host, outside the engine's numbering: it
 * answers with ANSENTRY, which the engine takes as it takes any. */
static void
send_probe (LanMessenger *messenger,
            LanEndpoint   to)
{
  g_autoptr(LanTransport) transport = NULL;
  g_autofree char *user = NULL;
  g_autofree char *host = NULL;
  g_autofree char *nickname = NULL;
  g_autoptr(GString) packet = g_string_new (NULL);

  g_object_get (messenger, "transport", &transport, "user-name", &user, "host-name", &host,
                "nickname", &nickname, NULL);
  g_string_printf (packet, "1:%u:%s:%s:%u:%s", g_random_int (), user, host,
                   LAN_IPMSG_BR_ENTRY | LAN_IPMSG_UTF8OPT | LAN_IPMSG_CAPUTF8OPT,
                   nickname != NULL && *nickname != '\0' ? nickname : user);
  /* The nickname's NUL, then an empty group and its NUL. */
  g_string_append_len (packet, "\0\0", 2);
  lan_transport_send (transport, to, (const guint8 *) packet->str, packet->len);
}

static void
finish (GTask *task)
{
  LanMessenger *messenger = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  LanPacketLog *log = lan_messenger_get_packet_log (messenger);
  g_autoptr(GPtrArray) interfaces = lan_interfaces_list ();
  LanDoctorFacts facts = { 0 };
  guint port = 0;

  g_object_get (messenger, "port", &port, NULL);
  lan_packet_log_flush (log);
  facts.log = G_LIST_MODEL (log);
  facts.interfaces = interfaces;
  facts.port = (guint16) port;
  facts.start_error = lan_messenger_get_error (messenger);
  facts.has_default_route = lan_interfaces_has_default_route ();
  facts.has_probe = run->has_probe;
  facts.probe = run->probe;
  facts.probe_after = run->probe_after;
  facts.wait_ms = run->wait_ms;
  facts.kernel_drops = lan_messenger_get_kernel_drops (messenger);
  g_task_return_pointer (task, lan_doctor_diagnose (&facts), g_object_unref);
}

static gboolean
on_waited (gpointer user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);

  run->timeout = 0;
  if (!g_task_return_error_if_cancelled (task))
    finish (task);
  return G_SOURCE_REMOVE;
}

static void
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  /* The timeout may hold the last reference: keep one while it is replaced. */
  GTask *task = g_object_ref (user_data);
  Run *run = g_task_get_task_data (task);

  /* Runs where cancel() was called: let the result go out from the main loop. */
  if (run->timeout != 0)
    {
      g_source_remove (run->timeout);
      run->timeout = g_idle_add_full (G_PRIORITY_DEFAULT, on_waited, g_object_ref (task), g_object_unref);
    }
  g_object_unref (task);
}

void
lan_doctor_run_async (LanMessenger        *messenger,
                      const char          *address,
                      guint                wait_ms,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Run *run;
  guint port = 0;

  g_return_if_fail (LAN_IS_MESSENGER (messenger));

  task = g_task_new (messenger, cancellable, callback, user_data);
  g_task_set_source_tag (task, lan_doctor_run_async);
  run = g_new0 (Run, 1);
  run->wait_ms = wait_ms;
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);
  /* Cancelled before it began: nothing goes out, nothing is waited for. */
  if (g_task_return_error_if_cancelled (task))
    return;

  g_object_get (messenger, "port", &port, NULL);
  if (address != NULL && !parse_address (address, (guint16) port, &run->probe, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  lan_packet_log_flush (lan_messenger_get_packet_log (messenger));
  run->probe_after = last_number (lan_messenger_get_packet_log (messenger));
  if (lan_messenger_get_running (messenger))
    {
      lan_messenger_announce (messenger);
      run->has_probe = address != NULL;
      if (run->has_probe)
        send_probe (messenger, run->probe);
    }
  else
    /* Nothing can go out or come in: there is nothing to ask or wait for,
     * and why we don't run is the finding. */
    run->wait_ms = 0;

  run->timeout = g_timeout_add_full (G_PRIORITY_DEFAULT, run->wait_ms, on_waited,
                                     g_object_ref (task), g_object_unref);
  /* Not tied to the task's life by a reference: run_free disconnects. If
   * cancelled meanwhile (from another thread), the handler runs at once. */
  if (cancellable != NULL)
    {
      run->cancellable = g_object_ref (cancellable);
      run->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), task, NULL);
    }
}

GListModel *
lan_doctor_run_finish (LanMessenger  *messenger,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, messenger), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lan_doctor_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
