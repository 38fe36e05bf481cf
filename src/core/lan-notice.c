/* lan-notice.c — notices as kind + arguments, rendered when shown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-notice"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "lan-notice.h"

char *
lan_notice_render (const char         *kind,
                   const char * const *args)
{
  guint n = args != NULL ? g_strv_length ((char **) args) : 0;

  if (g_strcmp0 (kind, LAN_NOTICE_MOVED) == 0 && n == 3)
    return g_strdup_printf (_("%s is now at %s (was %s)"), args[0], args[1], args[2]);
  return NULL;
}

LanMessage *
lan_notice_new (const char         *kind,
                const char * const *args,
                gint64              time_us)
{
  g_autofree char *text = lan_notice_render (kind, args);
  LanMessage *notice = lan_message_new_notice (text != NULL ? text : "", time_us);

  lan_message_set_notice_kind (notice, kind, args);
  return notice;
}

char *
lan_notice_to_json (LanMessage *notice)
{
  const char * const *args = lan_message_get_notice_args (notice);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (lan_message_get_notice_kind (notice) == NULL)
    return NULL;
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, lan_message_get_notice_kind (notice));
  json_builder_set_member_name (builder, "args");
  json_builder_begin_array (builder);
  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    json_builder_add_string_value (builder, args[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* Returns: (transfer full) (nullable): the arguments, or NULL when @array
 * holds anything but strings. */
static GStrv
strings_of (JsonArray *array)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        return NULL;
      g_strv_builder_add (builder, json_node_get_string (node));
    }
  return g_strv_builder_end (builder);
}

LanMessage *
lan_notice_from_json (const char *json,
                      const char *text,
                      gint64      time_us)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(GStrv) args = NULL;
  g_autofree char *rendered = NULL;
  JsonObject *object;
  JsonNode *kind;
  JsonNode *array;

  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL) ||
      json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return lan_message_new_notice (text, time_us);
  object = json_node_get_object (json_parser_get_root (parser));
  kind = json_object_get_member (object, "kind");
  array = json_object_get_member (object, "args");
  if (kind == NULL || json_node_get_value_type (kind) != G_TYPE_STRING ||
      array == NULL || !JSON_NODE_HOLDS_ARRAY (array) ||
      (args = strings_of (json_node_get_array (array))) == NULL ||
      (rendered = lan_notice_render (json_node_get_string (kind), (const char * const *) args)) == NULL)
    return lan_message_new_notice (text, time_us);
  return lan_notice_new (json_node_get_string (kind), (const char * const *) args, time_us);
}
