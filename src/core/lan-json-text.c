/* lan-json-text.c — compact JSON with hidden characters escaped and packet
 * numbers unsigned.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-json-text"

#include "config.h"

#include <string.h>

#include "lan-display-text.h"
#include "lan-json-text.h"

static void
append_escape (GString  *out,
               gunichar  c)
{
  if (c >= 0x10000)
    {
      /* JSON escapes only BMP code units: a surrogate pair. */
      c -= 0x10000;
      g_string_append_printf (out, "\\u%04x\\u%04x", 0xd800 + (c >> 10), 0xdc00 + (c & 0x3ff));
    }
  else
    g_string_append_printf (out, "\\u%04x", c);
}

static void
append_string (GString    *out,
               const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);

  g_string_append_c (out, '"');
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      switch (c)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (lan_display_text_is_hidden (c))
            append_escape (out, c);
          else
            g_string_append_len (out, p, g_utf8_next_char (p) - p);
        }
    }
  g_string_append_c (out, '"');
}

static void append_node (GString *out, JsonNode *node, gboolean is_unsigned);

static void
append_value (GString  *out,
              JsonNode *node,
              gboolean  is_unsigned)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      if (is_unsigned)
        g_string_append_printf (out, "%" G_GUINT64_FORMAT, (guint64) json_node_get_int (node));
      else
        g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
      break;
    case G_TYPE_DOUBLE:
      g_string_append (out, g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
      break;
    case G_TYPE_BOOLEAN:
      g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
      break;
    case G_TYPE_STRING:
      append_string (out, json_node_get_string (node));
      break;
    default:
      g_string_append (out, "null");
    }
}

static void
append_node (GString  *out,
             JsonNode *node,
             gboolean  is_unsigned)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);

        g_string_append_c (out, '{');
        for (GList *l = members; l != NULL; l = l->next)
          {
            const char *name = l->data;

            if (l != members)
              g_string_append_c (out, ',');
            append_string (out, name);
            g_string_append_c (out, ':');
            /* Our packet numbers are guint64, which JsonNode holds as gint64. */
            append_node (out, json_object_get_member (object, name), g_str_equal (name, "packet_no"));
          }
        g_string_append_c (out, '}');
      }
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        g_string_append_c (out, '[');
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            append_node (out, json_array_get_element (array, i), FALSE);
          }
        g_string_append_c (out, ']');
      }
      break;
    case JSON_NODE_VALUE:
      append_value (out, node, is_unsigned);
      break;
    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
    }
}

char *
lan_json_to_display_string (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (node != NULL, NULL);

  append_node (out, node, FALSE);
  return g_string_free (out, FALSE);
}
