/* lan-doctor.h — "Why can't I see someone?": a diagnosis from what actually
 * went over the wire (the packet log), the interfaces, the start error and,
 * when asked about an address, a unicast entry sent to it.
 *
 * Each finding is a LanDoctorFinding: a stable machine name (check), a
 * status and a detail in words; a problem also says what to do (advice),
 * with the commands for ufw, firewalld and nftables on the real port.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "lan-messenger.h"

G_BEGIN_DECLS

typedef enum {
  LAN_DOCTOR_OK,
  LAN_DOCTOR_WARNING,
  LAN_DOCTOR_PROBLEM,
} LanDoctorStatus;

/* "ok", "warning", "problem". Returns: (transfer none) */
const char *lan_doctor_status_to_string (LanDoctorStatus status);

#define LAN_TYPE_DOCTOR_FINDING (lan_doctor_finding_get_type ())
G_DECLARE_FINAL_TYPE (LanDoctorFinding, lan_doctor_finding, LAN, DOCTOR_FINDING, GObject)

/* Properties (read-only, set at construction): "check", "status", "detail", "advice".
 * Returns: (transfer full) */
LanDoctorFinding *lan_doctor_finding_new        (const char       *check,
                                                 LanDoctorStatus   status,
                                                 const char       *detail,
                                                 const char       *advice);
/* Returns: (transfer none) */
const char       *lan_doctor_finding_get_check  (LanDoctorFinding *self);
LanDoctorStatus   lan_doctor_finding_get_status (LanDoctorFinding *self);
/* Returns: (transfer none) */
const char       *lan_doctor_finding_get_detail (LanDoctorFinding *self);
/* What to do, commands included, one per line; NULL when nothing is to be done.
 * Returns: (transfer none) (nullable) */
const char       *lan_doctor_finding_get_advice (LanDoctorFinding *self);
/* {"check":…, "status":…, "detail":…, "advice":… or null}.
 * Returns: (transfer full) */
JsonNode         *lan_doctor_finding_to_json    (LanDoctorFinding *self);

/* The commands that let UDP and TCP @port in, for ufw, firewalld and
 * nftables, one per line.
 * Returns: (transfer full) */
char             *lan_doctor_firewall_commands  (guint16           port);

/* The worst status among @findings (LanDoctorFinding); LAN_DOCTOR_OK when empty. */
LanDoctorStatus   lan_doctor_worst_status       (GListModel       *findings);

/* What the diagnosis is made from. */
typedef struct {
  GListModel   *log;               /* LanPacketLogEntry, oldest first */
  GPtrArray    *interfaces;        /* LanInterface, as lan_interfaces_list() */
  guint16       port;              /* the port we use (or tried to) */
  const GError *start_error;       /* why we are not running, or NULL */
  gboolean      has_default_route; /* so 255.255.255.255 has a route */
  gboolean      has_probe;         /* asked about @probe */
  LanEndpoint   probe;             /* the address asked about, and the port its entry went to */
  guint64       probe_after;       /* log entries numbered above this came after the probe was sent */
  guint         wait_ms;           /* how long we waited for answers */
  guint64       kernel_drops;      /* datagrams lost before they were read (lan_transport_get_kernel_drops) */
} LanDoctorFacts;

/* The findings (LanDoctorFinding) that @facts support. Pure: sends nothing.
 * Returns: (transfer full) */
GListModel       *lan_doctor_diagnose           (const LanDoctorFacts *facts);

/* Announce (BR_ENTRY to everyone, as Refresh does), send a unicast BR_ENTRY
 * to @address ("10.0.0.5" or "10.0.0.5:2425"; NULL: none) when given, wait
 * @wait_ms for answers, then diagnose. A bad @address fails at once with
 * G_IO_ERROR_INVALID_ARGUMENT. */
void              lan_doctor_run_async          (LanMessenger        *messenger,
                                                 const char          *address,
                                                 guint                wait_ms,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
/* Returns: (transfer full) (nullable): the findings (LanDoctorFinding), or NULL with @error */
GListModel       *lan_doctor_run_finish         (LanMessenger        *messenger,
                                                 GAsyncResult        *result,
                                                 GError             **error);

G_END_DECLS
