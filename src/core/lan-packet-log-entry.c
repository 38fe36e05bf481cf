/* lan-packet-log-entry.c — one row of the packet log, decoded on first use.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-packet-log-entry"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lan-dialect.h"
#include "lan-ipmsg.h"
#include "lan-packet-log.h"
#include "lan-display-text.h"

struct _LanPacketLogEntry
{
  GObject          parent_instance;

  guint64          number;
  gint64           time_us;
  GBytes          *bytes;
  char            *detail;
  LanEndpoint      local;
  LanEndpoint      remote;
  LanDirection     direction;
  LanDatagramFlags flags;
  LanVerdict       verdict;
  int              legacy;
  gboolean         evicted;

  /* Decoded on first use. */
  gboolean         decoded;
  LanIpmsgPacket  *packet;
  LanDialect       dialect;
  char            *parse_error;
  char            *user;
  char            *host;
  char            *command_name;
  char            *flags_text;
  char            *info;
  char            *text;
};

G_DEFINE_FINAL_TYPE (LanPacketLogEntry, lan_packet_log_entry, G_TYPE_OBJECT)

static void
lan_packet_log_entry_finalize (GObject *object)
{
  LanPacketLogEntry *self = LAN_PACKET_LOG_ENTRY (object);

  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_pointer (&self->packet, lan_ipmsg_packet_free);
  g_free (self->detail);
  g_free (self->parse_error);
  g_free (self->user);
  g_free (self->host);
  g_free (self->command_name);
  g_free (self->flags_text);
  g_free (self->info);
  g_free (self->text);
  G_OBJECT_CLASS (lan_packet_log_entry_parent_class)->finalize (object);
}

static void
lan_packet_log_entry_class_init (LanPacketLogEntryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lan_packet_log_entry_finalize;
}

static void
lan_packet_log_entry_init (LanPacketLogEntry *self)
{
}

LanPacketLogEntry *
lan_packet_log_entry_new (guint64      number,
                          gint64       time_us,
                          LanDirection direction,
                          guint        flags,
                          LanEndpoint  local,
                          LanEndpoint  remote,
                          GBytes      *bytes,
                          LanVerdict   verdict,
                          const char  *detail,
                          int          legacy)
{
  LanPacketLogEntry *self = g_object_new (LAN_TYPE_PACKET_LOG_ENTRY, NULL);

  self->number = number;
  self->time_us = time_us;
  self->direction = direction;
  self->flags = flags;
  self->local = local;
  self->remote = remote;
  self->bytes = bytes != NULL ? g_bytes_ref (bytes) : g_bytes_new (NULL, 0);
  self->verdict = verdict;
  self->detail = g_strdup (detail);
  self->legacy = legacy;
  return self;
}

LanPacketLogEntry *
lan_packet_log_entry_new_evicted (guint64 number)
{
  LanPacketLogEntry *self = lan_packet_log_entry_new (number, 0, LAN_DIRECTION_IN, 0,
                                                      (LanEndpoint) { 0 }, (LanEndpoint) { 0 },
                                                      NULL, LAN_VERDICT_OK, NULL, 0);

  self->evicted = TRUE;
  self->detail = g_strdup (_("dropped from the log to make room"));
  return self;
}

/* The row knows one packet and no peer: it reads it as the dissector does
 * (lan_dialect_for_packet), so the Info column and the inspector agree. */
static char *
decode_raw (LanPacketLogEntry *self,
            const guint8      *data,
            gsize              len)
{
  return lan_dialect_decode (&self->dialect, self->packet->command, LAN_DIALECT_PEER_TEXT,
                             data, len, NULL, NULL);
}

static void
ensure_decoded (LanPacketLogEntry *self)
{
  g_autoptr(GError) error = NULL;
  gsize len;
  const guint8 *data;

  if (self->decoded)
    return;
  self->decoded = TRUE;

  data = g_bytes_get_data (self->bytes, &len);
  self->packet = lan_ipmsg_packet_parse (data, len, &error);
  if (self->packet == NULL)
    {
      self->parse_error = g_strdup (self->evicted ? self->detail : error->message);
      self->command_name = g_strdup ("\u2014");
      self->flags_text = g_strdup ("");
      self->info = lan_display_text (self->parse_error != NULL ? self->parse_error : "", LAN_DISPLAY_TEXT_TERMINAL, 200);
      return;
    }

  self->dialect = lan_dialect_for_packet (self->packet, (LanLegacyEncoding) self->legacy);
  self->user = decode_raw (self, (const guint8 *) self->packet->user, strlen (self->packet->user));
  self->host = decode_raw (self, (const guint8 *) self->packet->host, strlen (self->packet->host));
  {
    const char *name = lan_ipmsg_command_name (self->packet->command);

    self->command_name = name != NULL ? g_strdup (name)
                                      : g_strdup_printf ("0x%02x", LAN_IPMSG_MODE (self->packet->command));
  }
  self->flags_text = lan_ipmsg_describe_options (self->packet->command);
  {
    GBytes *first = lan_ipmsg_packet_get_section (self->packet, 0);
    gsize first_len = 0;
    const guint8 *first_data = first != NULL ? g_bytes_get_data (first, &first_len) : NULL;
    g_autofree char *line = NULL;

    self->text = decode_raw (self, first_data != NULL ? first_data : (const guint8 *) "", first_len);
    line = g_strdup_printf ("%s@%s %s", self->user, self->host, self->text);

    self->info = lan_display_text (line, LAN_DISPLAY_TEXT_TERMINAL, 200);
  }
}

guint64 lan_packet_log_entry_get_number (LanPacketLogEntry *self) { return self->number; }
gint64 lan_packet_log_entry_get_time (LanPacketLogEntry *self) { return self->time_us; }
LanDirection lan_packet_log_entry_get_direction (LanPacketLogEntry *self) { return self->direction; }
LanEndpoint lan_packet_log_entry_get_local (LanPacketLogEntry *self) { return self->local; }
LanEndpoint lan_packet_log_entry_get_remote (LanPacketLogEntry *self) { return self->remote; }
LanDatagramFlags lan_packet_log_entry_get_flags (LanPacketLogEntry *self) { return self->flags; }
GBytes *lan_packet_log_entry_get_bytes (LanPacketLogEntry *self) { return self->bytes; }
LanVerdict lan_packet_log_entry_get_verdict (LanPacketLogEntry *self) { return self->verdict; }
const char *lan_packet_log_entry_get_detail (LanPacketLogEntry *self) { return self->detail; }
gboolean lan_packet_log_entry_get_evicted (LanPacketLogEntry *self) { return self->evicted; }

gboolean
lan_packet_log_entry_get_parsed (LanPacketLogEntry *self)
{
  ensure_decoded (self);
  return self->packet != NULL;
}

guint32
lan_packet_log_entry_get_command (LanPacketLogEntry *self)
{
  ensure_decoded (self);
  return self->packet != NULL ? self->packet->command : 0;
}

guint64
lan_packet_log_entry_get_packet_no (LanPacketLogEntry *self)
{
  ensure_decoded (self);
  return self->packet != NULL ? self->packet->packet_no : 0;
}

const char *
lan_packet_log_entry_get_command_name (LanPacketLogEntry *self)
{
  ensure_decoded (self);
  return self->command_name;
}

const char *
lan_packet_log_entry_get_flags_text (LanPacketLogEntry *self)
{
  ensure_decoded (self);
  return self->flags_text;
}

const char *
lan_packet_log_entry_get_info (LanPacketLogEntry *self)
{
  ensure_decoded (self);
  return self->info;
}

const char *
lan_packet_log_entry_get_user (LanPacketLogEntry *self)
{
  ensure_decoded (self);
  return self->user;
}

const char *
lan_packet_log_entry_get_host (LanPacketLogEntry *self)
{
  ensure_decoded (self);
  return self->host;
}

const char *
lan_packet_log_entry_get_text (LanPacketLogEntry *self)
{
  ensure_decoded (self);
  return self->text;
}

JsonNode *
lan_packet_log_entry_to_json (LanPacketLogEntry *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_utc (self->time_us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) time = seconds != NULL ? g_date_time_add (seconds, self->time_us % G_USEC_PER_SEC) : NULL;
  g_autofree char *time_text = time != NULL ? g_date_time_format_iso8601 (time) : g_strdup ("");
  g_autofree char *local = lan_endpoint_to_string (self->local);
  g_autofree char *remote = lan_endpoint_to_string (self->remote);

  ensure_decoded (self);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "no");
  json_builder_add_int_value (builder, (gint64) self->number);
  json_builder_set_member_name (builder, "time");
  json_builder_add_string_value (builder, time_text);
  json_builder_set_member_name (builder, "direction");
  json_builder_add_string_value (builder, self->direction == LAN_DIRECTION_IN ? "in" : "out");
  json_builder_set_member_name (builder, "local");
  json_builder_add_string_value (builder, local);
  json_builder_set_member_name (builder, "remote");
  json_builder_add_string_value (builder, remote);
  json_builder_set_member_name (builder, "length");
  json_builder_add_int_value (builder, (gint64) g_bytes_get_size (self->bytes));
  if (self->flags & LAN_DATAGRAM_TRUNCATED)
    {
      json_builder_set_member_name (builder, "truncated");
      json_builder_add_boolean_value (builder, TRUE);
    }
  json_builder_set_member_name (builder, "command");
  if (self->packet != NULL)
    json_builder_add_string_value (builder, self->command_name);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "flags");
  json_builder_add_string_value (builder, self->flags_text);
  if (self->packet != NULL)
    {
      json_builder_set_member_name (builder, "command_value");
      json_builder_add_int_value (builder, self->packet->command);
      json_builder_set_member_name (builder, "packet_no");
      json_builder_add_int_value (builder, (gint64) self->packet->packet_no);
      json_builder_set_member_name (builder, "version");
      {
        g_autofree char *version = g_utf8_make_valid (self->packet->version, -1);
        json_builder_add_string_value (builder, version);
      }
      json_builder_set_member_name (builder, "user");
      json_builder_add_string_value (builder, self->user);
      json_builder_set_member_name (builder, "host");
      json_builder_add_string_value (builder, self->host);
      json_builder_set_member_name (builder, "sections");
      json_builder_begin_array (builder);
      for (guint i = 0; i < self->packet->sections->len; i++)
        {
          GBytes *section = g_ptr_array_index (self->packet->sections, i);
          gsize len;
          const guint8 *data = g_bytes_get_data (section, &len);
          g_autofree char *text = decode_raw (self, data != NULL ? data : (const guint8 *) "", len);

          json_builder_add_string_value (builder, text);
        }
      json_builder_end_array (builder);
    }
  else
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (self->bytes, &len);
      g_autofree char *raw = g_base64_encode (data, len);

      json_builder_set_member_name (builder, "raw_base64");
      json_builder_add_string_value (builder, raw);
    }
  json_builder_set_member_name (builder, "verdict");
  json_builder_add_string_value (builder, lan_verdict_to_string (self->verdict));
  json_builder_set_member_name (builder, "detail");
  if (self->detail != NULL)
    json_builder_add_string_value (builder, self->detail);
  else if (self->parse_error != NULL)
    json_builder_add_string_value (builder, self->parse_error);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
