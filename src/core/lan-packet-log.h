/* lan-packet-log.h — every datagram in and out, in a bounded ring, as a GListModel.
 *
 * Entries are stored compactly; the LanPacketLogEntry objects a view asks
 * for are made on demand and decode the datagram then, so logging costs a
 * copy of the bytes and nothing more.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "lan-transport.h"

G_BEGIN_DECLS

typedef enum {
  LAN_VERDICT_OK,
  LAN_VERDICT_MALFORMED,        /* the codec rejected it */
  LAN_VERDICT_DUPLICATE,        /* a repeat of a message already shown; re-acknowledged */
  LAN_VERDICT_UNMATCHED_REPLY,  /* a reply naming no packet we wait on */
  LAN_VERDICT_WRONG_ADDRESS,    /* a reply naming our packet, from another address */
  LAN_VERDICT_TRUNCATED,        /* larger than we read */
  LAN_VERDICT_SEND_ERROR,       /* could not go out */
  LAN_VERDICT_OWN,              /* our own broadcast coming back */
  LAN_VERDICT_SPOOFED,          /* claims to come from us, but we did not send it */
  LAN_VERDICT_UNKNOWN_COMMAND,  /* parsed, but a command we don't handle */
  LAN_VERDICT_RESEND,           /* out: a retry of an unacknowledged message */
  LAN_VERDICT_REJECTED,         /* parsed, but refused (over a limit, not for us) */
  LAN_VERDICT_N
} LanVerdict;

/* "ok", "malformed", … — stable machine names (JSON, filters). */
const char *lan_verdict_to_string (LanVerdict verdict);

#define LAN_TYPE_PACKET_LOG_ENTRY (lan_packet_log_entry_get_type ())
G_DECLARE_FINAL_TYPE (LanPacketLogEntry, lan_packet_log_entry, LAN, PACKET_LOG_ENTRY, GObject)

guint64       lan_packet_log_entry_get_number    (LanPacketLogEntry *self); /* 1-based, never reused */
gint64        lan_packet_log_entry_get_time      (LanPacketLogEntry *self);
LanDirection  lan_packet_log_entry_get_direction (LanPacketLogEntry *self);
LanEndpoint   lan_packet_log_entry_get_local     (LanPacketLogEntry *self);
LanEndpoint   lan_packet_log_entry_get_remote    (LanPacketLogEntry *self);
LanDatagramFlags lan_packet_log_entry_get_flags  (LanPacketLogEntry *self);
GBytes       *lan_packet_log_entry_get_bytes     (LanPacketLogEntry *self);
LanVerdict    lan_packet_log_entry_get_verdict   (LanPacketLogEntry *self);
/* Why the verdict, in words; may be NULL for LAN_VERDICT_OK. */
const char   *lan_packet_log_entry_get_detail    (LanPacketLogEntry *self);
/* Decoded view (parsed lazily). FALSE when the codec rejected the bytes. */
gboolean      lan_packet_log_entry_get_parsed    (LanPacketLogEntry *self);
guint32       lan_packet_log_entry_get_command   (LanPacketLogEntry *self);
guint64       lan_packet_log_entry_get_packet_no (LanPacketLogEntry *self);
/* "SENDMSG", "0x7a", or "—" when not parsed. */
const char   *lan_packet_log_entry_get_command_name (LanPacketLogEntry *self);
/* "SENDCHECKOPT|UTF8OPT" or "". */
const char   *lan_packet_log_entry_get_flags_text (LanPacketLogEntry *self);
/* One line for the Info column: user@host and the first section, decoded,
 * control characters made visible; or the parse error. */
const char   *lan_packet_log_entry_get_info      (LanPacketLogEntry *self);
/* Decoded text fields, valid UTF-8 (NULL when not parsed). */
const char   *lan_packet_log_entry_get_user      (LanPacketLogEntry *self);
const char   *lan_packet_log_entry_get_host      (LanPacketLogEntry *self);
/* The same fields as `lanchat-cli listen` prints. */
JsonNode     *lan_packet_log_entry_to_json       (LanPacketLogEntry *self);

#define LAN_TYPE_PACKET_LOG (lan_packet_log_get_type ())
G_DECLARE_FINAL_TYPE (LanPacketLog, lan_packet_log, LAN, PACKET_LOG, GObject)

#define LAN_PACKET_LOG_DEFAULT_CAPACITY 100000
#define LAN_PACKET_LOG_MAX_CAPACITY     1000000

/* Properties: "capacity" (uint), "dropped" (uint64, oldest entries that
 * went to make room), "total" (uint64, entries ever appended). items-changed is
 * emitted at most once per main-loop iteration. */
LanPacketLog *lan_packet_log_new           (guint              capacity);
void          lan_packet_log_append        (LanPacketLog      *self,
                                            const LanDatagram *datagram,
                                            LanVerdict         verdict,
                                            const char        *detail);
void          lan_packet_log_clear         (LanPacketLog      *self);
guint         lan_packet_log_get_capacity  (LanPacketLog      *self);
void          lan_packet_log_set_capacity  (LanPacketLog      *self,
                                            guint              capacity);
guint64       lan_packet_log_get_dropped   (LanPacketLog      *self);
guint64       lan_packet_log_get_total     (LanPacketLog      *self);
/* Emit any pending items-changed now (tests, the CLI before exit). */
void          lan_packet_log_flush         (LanPacketLog      *self);
/* Entries are decoded with this legacy encoding when not UTF-8. */
void          lan_packet_log_set_legacy_encoding (LanPacketLog *self,
                                                  int           legacy);

G_END_DECLS
