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

#include "lan-ipmsg.h"
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

/* "ok", "malformed", … — stable machine names (JSON, filters). (transfer none) */
const char *lan_verdict_to_string (LanVerdict verdict);

#define LAN_TYPE_PACKET_LOG_ENTRY (lan_packet_log_entry_get_type ())
G_DECLARE_FINAL_TYPE (LanPacketLogEntry, lan_packet_log_entry, LAN, PACKET_LOG_ENTRY, GObject)

/* Strings and bytes below are the entry's: (transfer none), valid as long
 * as it; to_json is (transfer full). */
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
/* TRUE for the placeholder a view gets for a row evicted between two
 * items-changed emissions: no bytes, no time; skip it when exporting. */
gboolean      lan_packet_log_entry_get_evicted   (LanPacketLogEntry *self);
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
/* The first section (message body, or nickname for entry packets) decoded
 * in full, valid UTF-8, control characters kept (NULL when not parsed). */
const char   *lan_packet_log_entry_get_text      (LanPacketLogEntry *self);
/* The same fields as `lanchat-cli listen` prints; "proto" is "udp" or
 * "tcp", and a transfer's summary row has "transfer": true and, when its
 * detail is lan_packet_log_transfer_detail()'s, "bytes", "duration_ms",
 * "result" (and "why"). */
JsonNode     *lan_packet_log_entry_to_json       (LanPacketLogEntry *self);
/* A transfer's summary row (LAN_DATAGRAM_TCP|LAN_DATAGRAM_TRANSFER) whose
 * detail lan_packet_log_transfer_detail() wrote: TRUE and its figures
 * (@result and @why are the entry's, @why NULL when none). Any out
 * argument may be NULL. */
gboolean      lan_packet_log_entry_get_transfer  (LanPacketLogEntry *self,
                                                  guint64           *bytes,
                                                  gint64            *duration_ms,
                                                  const char       **result,
                                                  const char       **why);

/* The detail of a transfer's summary row, as the engine logs it when a
 * transfer ends: "<bytes> bytes in <ms> ms, <result>[: <why>]", @result
 * being lan_transfer_state_to_string()'s "done", "failed" or "cancelled"
 * and @why (nullable) the reason shown to the user. The log's Info column
 * and JSON read it back. (transfer full) */
char         *lan_packet_log_transfer_detail     (guint64            bytes,
                                                  gint64             duration_us,
                                                  const char        *result,
                                                  const char        *why);

/* Engine side: the log builds its entries (and tests build their own). */
/* Takes a reference on @bytes (NULL: none) and copies @detail. Both
 * constructors are (transfer full). */
LanPacketLogEntry *lan_packet_log_entry_new         (guint64       number,
                                                     gint64        time_us,
                                                     LanDirection  direction,
                                                     guint         flags,
                                                     LanEndpoint   local,
                                                     LanEndpoint   remote,
                                                     GBytes       *bytes,
                                                     LanVerdict    verdict,
                                                     const char   *detail,
                                                     int           legacy);
LanPacketLogEntry *lan_packet_log_entry_new_evicted (guint64       number);

/* What went over the wire, counted as it is logged. Bytes are IPMsg packet
 * bytes (UDP payloads, and the requests read or written on TCP
 * connections); a transfer's summary row counts in nothing. Per command: by mode byte (LAN_IPMSG_MODE); a datagram whose header
 * can't be read (verdict malformed) counts in no command. */
typedef struct {
  guint64 packets_in;
  guint64 packets_out;
  guint64 bytes_in;
  guint64 bytes_out;
  guint64 malformed;
  guint64 duplicates;
  guint64 resends;
  guint64 verdicts[LAN_VERDICT_N];
  guint64 commands_in[256];
  guint64 commands_out[256];
} LanPacketCounters;

#define LAN_TYPE_PACKET_LOG (lan_packet_log_get_type ())
G_DECLARE_FINAL_TYPE (LanPacketLog, lan_packet_log, LAN, PACKET_LOG, GObject)

#define LAN_PACKET_LOG_DEFAULT_CAPACITY 100000
#define LAN_PACKET_LOG_MAX_CAPACITY     1000000

/* Properties: "capacity" (uint), "dropped" (uint64, oldest entries that
 * went to make room), "total" (uint64, entries ever appended). items-changed is
 * emitted at most once per main-loop iteration.
 *
 * Besides the entry count, the bytes the log holds are bounded (see
 * lan_packet_log_get_byte_budget), so a flood of 64 KiB datagrams can't
 * take the memory a million small ones would; entries evicted for that
 * count as dropped too.
 *
 * Signal "counters-changed" (no arguments): the counters moved; emitted at
 * most once per main-loop iteration, together with items-changed. */
LanPacketLog *lan_packet_log_new           (guint              capacity); /* (transfer full) */
void          lan_packet_log_append        (LanPacketLog      *self,
                                            const LanDatagram *datagram,
                                            LanVerdict         verdict,
                                            const char        *detail);
/* The same for a datagram the caller has parsed already (@packet, from
 * its bytes; NULL when the codec rejected them): the bytes are stored,
 * not read again, and the counters take the command from @packet. */
void          lan_packet_log_append_parsed (LanPacketLog         *self,
                                            const LanDatagram    *datagram,
                                            const LanIpmsgPacket *packet,
                                            LanVerdict            verdict,
                                            const char           *detail);
void          lan_packet_log_clear         (LanPacketLog      *self);
guint         lan_packet_log_get_capacity  (LanPacketLog      *self);
void          lan_packet_log_set_capacity  (LanPacketLog      *self,
                                            guint              capacity);
guint64       lan_packet_log_get_dropped   (LanPacketLog      *self);
guint64       lan_packet_log_get_total     (LanPacketLog      *self);
/* Bytes (payload and detail) the log keeps at most for @capacity entries. */
gsize         lan_packet_log_get_byte_budget (guint            capacity);
/* Everything ever appended, evicted entries included. Reset by
 * lan_packet_log_clear (the user starts over) and reset_counters. */
const LanPacketCounters *lan_packet_log_get_counters (LanPacketLog *self); /* (transfer none) */
void          lan_packet_log_reset_counters (LanPacketLog      *self);
/* Emit any pending items-changed now (tests, the CLI before exit). */
void          lan_packet_log_flush         (LanPacketLog      *self);
/* The IPMsg command field of @data read without a full parse (for the
 * counters, which see every datagram). FALSE when there is no decimal
 * number in the 5th ':'-separated field. Reads the header only, through
 * the scanner (lan_ipmsg_scan_header). */
gboolean           lan_packet_peek_command          (const guint8 *data,
                                                     gsize         len,
                                                     guint32      *command);

/* Entries are decoded with this legacy encoding when not UTF-8. */
void          lan_packet_log_set_legacy_encoding (LanPacketLog *self,
                                                  int           legacy);

G_END_DECLS
