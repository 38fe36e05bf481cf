/* fuzz-packet-fields.c — the inspector's field parser (src/app/lan-packet-fields.c)
 * on arbitrary datagrams: it must never fail, never read past the end, and
 * every field it names must lie inside the datagram, since the hex dump
 * highlights exactly those bytes. The first byte picks the legacy encoding.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>
#include <stdint.h>
#include <string.h>

#include "lan-packet-fields.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GPtrArray) fields = NULL;
  g_autofree guint8 *copy = NULL;
  LanPacketHeader header;
  LanLegacyEncoding legacy;

  if (size == 0)
    return 0;
  legacy = (data[0] & 1) ? LAN_LEGACY_CP932 : LAN_LEGACY_GB18030;
  /* Exactly the datagram's length: ASan catches a read one past the end. */
  copy = g_memdup2 (data + 1, size - 1);
  size -= 1;

  fields = lan_packet_fields_parse (copy, size, legacy);
  g_assert_nonnull (fields);
  for (guint i = 0; i < fields->len; i++)
    {
      const LanPacketField *field = g_ptr_array_index (fields, i);

      g_assert_nonnull (field->key);
      g_assert_true (g_utf8_validate (field->value, -1, NULL));
      g_assert_cmpuint (field->offset, <=, size);
      g_assert_cmpuint (field->length, <=, size - field->offset);
      g_assert_nonnull (lan_packet_fields_lookup (fields, field->key));
    }
  (void) lan_packet_header_peek (copy, size, &header);
  return 0;
}
