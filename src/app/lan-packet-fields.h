/* lan-packet-fields.h — a datagram cut into named fields, each with its bytes.
 *
 * Pure functions over the raw bytes, for the packet inspector: the header's
 * five ':'-separated fields, each option flag by name, every NUL-separated
 * section of the extra part, the UTF-8 block of entry packets and the
 * attachment records of a SENDMSG, each knowing where it sits in the
 * datagram. They read what the codec reads, but keep the offsets it throws
 * away, and they go on as far as they can in a datagram the codec rejects.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "lan-charset.h"

G_BEGIN_DECLS

typedef struct {
  /* Stable, not translated: "header", "version", "packet-no", "user",
   * "host", "command", "mode", "flag:SENDCHECKOPT", "section:0",
   * "utf8:NN", "file:1", "file:1:name", "rest" … Tests and the inspector
   * (which keeps the same field selected from packet to packet) use it. */
  char  *key;
  char  *name;    /* for people, translated */
  char  *value;   /* one line, valid UTF-8, control characters made visible */
  gsize  offset;  /* the field's bytes in the datagram */
  gsize  length;
  guint  depth;   /* 0 for a top-level field; a field's children follow it, one deeper */
} LanPacketField;

void       lan_packet_field_free   (LanPacketField    *field);

/* The fields of @data, in order, parents before their children. Never
 * fails: bytes it cannot read become a field of their own ("rest").
 * @legacy decodes text not flagged UTF-8. Returns an array of
 * LanPacketField (free function set). */
GPtrArray *lan_packet_fields_parse (const guint8      *data,
                                    gsize              len,
                                    LanLegacyEncoding  legacy);

/* The field with @key in the result of the above, or NULL. */
const LanPacketField *lan_packet_fields_lookup (GPtrArray  *fields,
                                                const char *key);

/* What link finding needs from a datagram, without decoding any text: the
 * packet number and command of the header and, when the first section is
 * a decimal number (the packet a RECVMSG acknowledges), that number.
 * FALSE when the header can't be read. */
typedef struct {
  guint64  packet_no;
  guint32  command;
  gboolean has_section_number;
  guint64  section_number;
} LanPacketHeader;

gboolean   lan_packet_header_peek  (const guint8      *data,
                                    gsize              len,
                                    LanPacketHeader   *header);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LanPacketField, lan_packet_field_free)

G_END_DECLS
