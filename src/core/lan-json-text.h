/* lan-json-text.h — JSON text for output that a person or a terminal reads.
 *
 * json-glib writes bidi overrides, C1 controls and zero-width characters
 * raw, and packet numbers (unsigned 64-bit, held as gint64 in a JsonNode)
 * of 2^63 and above as negative. This writer escapes every character
 * lan_display_text_is_hidden() names as \uXXXX (lossless: a JSON reader
 * gets the same string back, a terminal shows the escape), and prints
 * members named "packet_no" as unsigned.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* @node as compact JSON (json_to_string (node, FALSE)'s layout).
 * Returns: (transfer full) */
char *lan_json_to_display_string (JsonNode *node);

G_END_DECLS
