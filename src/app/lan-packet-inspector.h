/* lan-packet-inspector.h — one logged datagram taken apart: its fields, its
 * bytes, the verdict in words and the packets that go with it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lan-charset.h"
#include "lan-packet-log.h"

G_BEGIN_DECLS

#define LAN_TYPE_PACKET_INSPECTOR (lan_packet_inspector_get_type ())
G_DECLARE_FINAL_TYPE (LanPacketInspector, lan_packet_inspector, LAN, PACKET_INSPECTOR, GtkWidget)

/* How far either side of a row its resends and acknowledgement are looked for. */
#define LAN_PACKET_INSPECTOR_LINK_RADIUS 2000

/* Signal "activate-link" (guint64 number): a link to log entry @number was
 * clicked; whoever shows the log selects that row. */
GtkWidget         *lan_packet_inspector_new            (void); /* (transfer full) */
/* Inspect @entry (NULL: nothing), found at @position of @context, the log
 * rows in order that links are looked for in (NULL: no links). */
void               lan_packet_inspector_set_entry      (LanPacketInspector *self,
                                                        LanPacketLogEntry  *entry,
                                                        GListModel         *context,
                                                        guint               position);
LanPacketLogEntry *lan_packet_inspector_get_entry      (LanPacketInspector *self); /* (transfer none) (nullable) */
void               lan_packet_inspector_set_legacy_encoding (LanPacketInspector *self,
                                                             LanLegacyEncoding   legacy);
/* TRUE while the inspected message has no acknowledgement in reach yet:
 * new rows may bring it (see refresh_links). */
gboolean           lan_packet_inspector_get_awaiting_links (LanPacketInspector *self);
/* Look for links again, at the inspected entry's current position. */
void               lan_packet_inspector_refresh_links  (LanPacketInspector *self);

/* The width the hex dump needs to show a whole line. */
int                lan_packet_inspector_get_dump_width (LanPacketInspector *self);

/* For tests and the text view of the log pane. (transfer full) */
char              *lan_packet_inspector_dup_text       (LanPacketInspector *self);
/* The fields shown (LanIpmsgField, lan-ipmsg-dissect.h), or NULL. (transfer none) (nullable) */
GPtrArray         *lan_packet_inspector_get_fields     (LanPacketInspector *self);
/* Select the field with @key (lan-ipmsg-dissect.h); FALSE if there is none. */
gboolean           lan_packet_inspector_select_field   (LanPacketInspector *self,
                                                        const char         *key);
GtkTextView       *lan_packet_inspector_get_hex_view   (LanPacketInspector *self); /* (transfer none) */
/* The label holding the links (its "activate-link" takes "packet:N"). (transfer none) */
GtkLabel          *lan_packet_inspector_get_links_label (LanPacketInspector *self);

G_END_DECLS
