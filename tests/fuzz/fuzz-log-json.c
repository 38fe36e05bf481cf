/* fuzz-log-json.c — a datagram appended to a packet log and its entry
 * serialised as JSON (`lanchat-cli listen --json`, the JSONL export): it
 * must never crash and always give valid UTF-8 that parses back as JSON.
 * The first byte picks the direction, the verdict, the datagram flags
 * (TCP and transfer rows too) and the legacy encoding; the Info line of the
 * row must be valid UTF-8 as well.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>
#include <json-glib/json-glib.h>
#include <stdint.h>
#include <string.h>

#include "lan-charset.h"
#include "lan-packet-log.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(LanPacketLog) log = lan_packet_log_new (4);
  g_autoptr(LanPacketLogEntry) entry = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *copy = NULL;
  g_autofree char *text = NULL;
  LanDatagram datagram = { 0 };
  LanVerdict verdict;
  guint8 selector;

  if (size == 0)
    return 0;
  selector = data[0];
  /* Exactly the datagram's length: ASan catches a read one past the end. */
  copy = g_memdup2 (data + 1, size - 1);

  verdict = (LanVerdict) ((selector >> 3) % LAN_VERDICT_N);
  datagram.time_us = (gint64) selector * G_USEC_PER_SEC * 1000003;
  datagram.direction = (selector & 1) ? LAN_DIRECTION_OUT : LAN_DIRECTION_IN;
  datagram.flags = (selector & 2) ? LAN_DATAGRAM_BROADCAST | LAN_DATAGRAM_TRUNCATED : 0;
  /* Shared with the verdict's bits: every pairing still comes up. */
  if (selector & 0x10)
    datagram.flags |= LAN_DATAGRAM_TCP;
  if ((selector & 0x30) == 0x30)
    datagram.flags |= LAN_DATAGRAM_TRANSFER;
  datagram.local = (LanEndpoint) { 0x7f000001, 2425 };
  datagram.remote = (LanEndpoint) { 0x7f000002, (guint16) (selector * 7) };
  datagram.data = copy;
  datagram.len = size - 1;

  lan_packet_log_set_legacy_encoding (log, (selector & 4) ? LAN_LEGACY_CP932 : LAN_LEGACY_GB18030);
  /* A detail may quote the peer: give it the same bytes, made valid. */
  {
    g_autofree char *detail = (selector & 0x80) && copy != NULL ? g_utf8_make_valid ((const char *) copy, (gssize) (size - 1))
                                                : NULL;

    lan_packet_log_append (log, &datagram, verdict, detail);
  }
  lan_packet_log_flush (log);

  entry = g_list_model_get_item (G_LIST_MODEL (log), 0);
  g_assert_nonnull (entry);
  node = lan_packet_log_entry_to_json (entry);
  g_assert_nonnull (node);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  g_assert_true (g_utf8_validate (lan_packet_log_entry_get_info (entry), -1, NULL));
  return 0;
}
