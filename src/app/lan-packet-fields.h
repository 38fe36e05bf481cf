/* lan-packet-fields.h — the dissector's old names, for code not moved yet.
 *
 * The field tree lives in the core now (lan-ipmsg-dissect.h). Only
 * tests/ui/test-window.c still uses these names; once it includes
 * lan-ipmsg-dissect.h and says LanIpmsgField / lan_ipmsg_dissect_lookup,
 * delete this file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lan-ipmsg-dissect.h"

G_BEGIN_DECLS

typedef LanIpmsgField LanPacketField;

/* (transfer none) (nullable) */
static inline const LanIpmsgField *
lan_packet_fields_lookup (GPtrArray  *fields,
                          const char *key)
{
  return lan_ipmsg_dissect_lookup (fields, key);
}

G_END_DECLS
