/* lan-packet-inspector-fields.h — the inspector's field tree and byte highlight.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lan-ipmsg-dissect.h"

G_BEGIN_DECLS

/* A tree over @fields (lan_ipmsg_dissect, depth-ordered); the items keep
 * @fields alive. (transfer full) */
GtkTreeListModel    *lan_packet_inspector_fields_tree_new     (GPtrArray          *fields);
/* Rows: name, value, byte range. (transfer full) */
GtkListItemFactory  *lan_packet_inspector_fields_factory_new  (void);
/* The field of the selected row. (transfer none) (nullable) */
const LanIpmsgField *lan_packet_inspector_fields_get_selected (GtkSingleSelection *selection);
/* The row showing the field with @key, or GTK_INVALID_LIST_POSITION. */
guint                lan_packet_inspector_fields_find         (GtkSingleSelection *selection,
                                                               const char         *key);
/* Give @hex_view what highlighting needs (a tag, a mark); once. */
void                 lan_packet_inspector_fields_prepare_dump (GtkTextView        *hex_view);
/* Highlight @field's bytes (NULL: none) in the dump of @len bytes that
 * @hex_view shows, in the hex and in the ASCII half, and scroll to them. */
void                 lan_packet_inspector_fields_highlight    (GtkTextView        *hex_view,
                                                               gsize               len,
                                                               const LanIpmsgField *field);

G_END_DECLS
