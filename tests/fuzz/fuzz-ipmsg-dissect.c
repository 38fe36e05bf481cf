/* fuzz-ipmsg-dissect.c — the dissector (src/core/lan-ipmsg-dissect.c), the
 * scanner under it and the links' header peek on arbitrary datagrams: they
 * must never fail, never read past the end, and every field named must lie
 * inside the datagram, since the hex dump highlights exactly those bytes.
 * The first byte picks the legacy encoding and what the peer is known for.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>
#include <stdint.h>
#include <string.h>

#include "lan-dialect.h"
#include "lan-ipmsg-dissect.h"
#include "lan-packet-links.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
assert_inside (LanIpmsgSpan span,
               gsize        size)
{
  g_assert_cmpuint (span.offset, <=, size);
  g_assert_cmpuint (span.length, <=, size - span.offset);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GPtrArray) fields = NULL;
  g_autofree guint8 *copy = NULL;
  LanPacketHeader header;
  LanDialect dialect;
  LanIpmsgScan scan;

  if (size == 0)
    return 0;
  lan_dialect_init (&dialect, (data[0] & 1) ? LAN_LEGACY_CP932 : LAN_LEGACY_GB18030);
  /* A peer whose entry we have seen, with or without iptux's marker. */
  dialect.entry_seen = (data[0] & 2) != 0;
  dialect.utf8_marker = (data[0] & 4) != 0;
  /* Exactly the datagram's length: ASan catches a read one past the end. */
  copy = g_memdup2 (data + 1, size - 1);
  size -= 1;

  fields = lan_ipmsg_dissect (copy, size, &dialect);
  g_assert_nonnull (fields);
  for (guint i = 0; i < fields->len; i++)
    {
      const LanIpmsgField *field = g_ptr_array_index (fields, i);

      g_assert_nonnull (field->key);
      g_assert_true (g_utf8_validate (field->value, -1, NULL));
      g_assert_true (g_utf8_validate (field->name, -1, NULL));
      g_assert_cmpuint (field->offset, <=, size);
      g_assert_cmpuint (field->length, <=, size - field->offset);
      g_assert_nonnull (lan_ipmsg_dissect_lookup (fields, field->key));
    }

  lan_ipmsg_scan (copy, size, &scan);
  for (guint i = 0; i < scan.n_header_fields; i++)
    assert_inside (scan.header[i], size);
  assert_inside (scan.extra, size);
  assert_inside (scan.utf8_block, size);
  assert_inside (scan.file_list, size);
  if (scan.has_file_list)
    {
      LanIpmsgFileRecord record;
      guint32 pos = scan.file_list.offset;

      while (lan_ipmsg_scan_next_file_record (copy, scan.file_list, &pos, &record))
        {
          assert_inside (record.record, size);
          assert_inside (record.name, size);
          assert_inside (record.extras, size);
        }
    }

  (void) lan_packet_header_peek (copy, size, &header);
  return 0;
}
