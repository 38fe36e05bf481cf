/* lan-ipmsg-dissect.h — a datagram cut into named fields, each with its bytes.
 *
 * The field tree a packet inspector shows (the app's, the CLI's, a test's):
 * the header's five ':'-separated fields with the version's decorations,
 * each option flag by name, every NUL-separated section of the extra part,
 * the UTF-8 block of entry packets and the attachment records of a
 * SENDMSG, each knowing where it sits in the datagram. Built on the one
 * scan (lan-ipmsg-scan.h) and decoded by the one policy (lan-dialect.h),
 * so it reads what the codec reads and shows the text the log's Info
 * column shows; it goes on as far as it can in a datagram the codec rejects.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "lan-dialect.h"

G_BEGIN_DECLS

typedef struct {
  /* Stable, not translated: "header", "version", "version:number",
   * "packet-no", "user", "host", "command", "mode", "flag:SENDCHECKOPT",
   * "section:0", "utf8:NN", "file:1", "file:1:name", "rest" … Tests and
   * the inspector (which keeps the same field selected from packet to
   * packet) use it. */
  char  *key;
  char  *name;    /* for people, translated */
  char  *value;   /* one line, valid UTF-8, control characters made visible */
  gsize  offset;  /* the field's bytes in the datagram */
  gsize  length;
  guint  depth;   /* 0 for a top-level field; a field's children follow it, one deeper */
} LanIpmsgField;

void       lan_ipmsg_field_free      (LanIpmsgField    *field);

/* The fields of @data, in order, parents before their children. Never
 * fails: bytes it cannot read become a field of their own ("rest").
 * @dialect is what is known of the sender (NULL: nothing but the
 * configured encoding, GB18030); what the packet itself teaches (an
 * entry's capabilities, marker, proven encoding) is added to it.
 * (transfer full) (element-type LanIpmsgField): free function set. */
GPtrArray *lan_ipmsg_dissect         (const guint8     *data,
                                      gsize             len,
                                      const LanDialect *dialect);

/* The field with @key in the result of the above, or NULL.
 * (transfer none) (nullable) */
const LanIpmsgField *lan_ipmsg_dissect_lookup (GPtrArray  *fields,
                                               const char *key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LanIpmsgField, lan_ipmsg_field_free)

G_END_DECLS
