/* lan-packet-log-entry.c — one row of the packet log, decoded on first use.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-packet-log-entry"

#include "config.h"

#include <errno.h>
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

  /* A transfer's summary, read from its detail on first use. */
  gboolean         transfer_read;
  gboolean         transfer_parsed;
  guint64          transfer_bytes;
  gint64           transfer_ms;
  char            *transfer_result;
  char            *transfer_why;
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
  g_free (self->transfer_result);
  g_free (self->transfer_why);
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

static gboolean
read_decimal (const char **p,
              guint64     *value)
{
  char *end = NULL;

  if (!g_ascii_isdigit (**p))
    return FALSE;
  errno = 0;
  *value = g_ascii_strtoull (*p, &end, 10);
  if (errno != 0)
    return FALSE;
  *p = end;
  return TRUE;
}

static gboolean
skip_literal (const char **p,
              const char  *literal)
{
  if (!g_str_has_prefix (*p, literal))
    return FALSE;
  *p += strlen (literal);
  return TRUE;
}

/* "<bytes> bytes in <ms> ms, <result>[: <why>]", as
 * lan_packet_log_transfer_detail() writes it. */
static void
ensure_transfer (LanPacketLogEntry *self)
{
  const char *p = self->detail;
  const char *colon;
  guint64 bytes, ms;

  if (self->transfer_read)
    return;
  self->transfer_read = TRUE;
  if (!(self->flags & LAN_DATAGRAM_TRANSFER) || p == NULL)
    return;
  if (!read_decimal (&p, &bytes) || !skip_literal (&p, " bytes in ") ||
      !read_decimal (&p, &ms) || ms > G_MAXINT64 || !skip_literal (&p, " ms, ") || *p == '\0')
    return;
  colon = strstr (p, ": ");
  self->transfer_parsed = TRUE;
  self->transfer_bytes = bytes;
  self->transfer_ms = (gint64) ms;
  self->transfer_result = colon != NULL ? g_strndup (p, (gsize) (colon - p)) : g_strdup (p);
  self->transfer_why = colon != NULL ? g_strdup (colon + 2) : NULL;
}

char *
lan_packet_log_transfer_detail (guint64     bytes,
                                gint64      duration_us,
                                const char *result,
                                const char *why)
{
  gint64 ms = MAX (duration_us, 0) / 1000;

  g_return_val_if_fail (result != NULL && result[0] != '\0', NULL);

  if (why != NULL && why[0] != '\0')
    return g_strdup_printf ("%" G_GUINT64_FORMAT " bytes in %" G_GINT64_FORMAT " ms, %s: %s",
                            bytes, ms, result, why);
  return g_strdup_printf ("%" G_GUINT64_FORMAT " bytes in %" G_GINT64_FORMAT " ms, %s",
                          bytes, ms, result);
}

gboolean
lan_packet_log_entry_get_transfer (LanPacketLogEntry  *self,
                                   guint64            *bytes,
                                   gint64             *duration_ms,
                                   const char        **result,
                                   const char        **why)
{
  g_return_val_if_fail (LAN_IS_PACKET_LOG_ENTRY (self), FALSE);

  ensure_transfer (self);
  if (!self->transfer_parsed)
    return FALSE;
  if (bytes != NULL)
    *bytes = self->transfer_bytes;
  if (duration_ms != NULL)
    *duration_ms = self->transfer_ms;
  if (result != NULL)
    *result = self->transfer_result;
  if (why != NULL)
    *why = self->transfer_why;
  return TRUE;
}

static const char *
result_text (const char *result)
{
  if (g_strcmp0 (result, "done") == 0)
    return _("done");
  if (g_strcmp0 (result, "failed") == 0)
    return _("failed");
  if (g_strcmp0 (result, "cancelled") == 0)
    return _("cancelled");
  return result;
}

static char *
duration_text (gint64 ms)
{
  if (ms < 10 * 1000)
    /* Translators: a duration in seconds with one decimal, "1.2 s" */
    return g_strdup_printf (_("%.1f s"), (double) ms / 1000);
  if (ms < 60 * 1000)
    return g_strdup_printf (_("%u s"), (guint) (ms / 1000));
  /* Translators: a duration, "3 min 05 s" */
  return g_strdup_printf (_("%u min %02u s"), (guint) MIN (ms / 60000, (gint64) G_MAXUINT),
                          (guint) (ms / 1000 % 60));
}

/* "file 2 of packet 1700000000 from byte 0" for a GETFILEDATA or
 * GETDIRFILES request, whose extra is hex; NULL for anything else. */
static char *
request_text (LanPacketLogEntry *self)
{
  guint mode = LAN_IPMSG_MODE (self->packet->command);
  g_auto(GStrv) parts = NULL;
  g_autofree char *extra = NULL;
  guint64 numbers[3] = { 0 };
  char text[3][24];
  guint n;

  if ((mode != LAN_IPMSG_GETFILEDATA && mode != LAN_IPMSG_GETDIRFILES) || self->text == NULL)
    return NULL;
  /* iptux writes "pkt:fid:offset" and, for a folder, "pkt:fid:0"; a
   * trailing ':' is no field. */
  extra = g_strdup (self->text);
  if (g_str_has_suffix (extra, ":"))
    extra[strlen (extra) - 1] = '\0';
  parts = g_strsplit (extra, ":", 4);
  n = g_strv_length (parts);
  if (n < (mode == LAN_IPMSG_GETFILEDATA ? 3u : 2u) || n > 3)
    return NULL;
  for (guint i = 0; i < n; i++)
    if (parts[i][0] == '\0' || !g_ascii_string_to_unsigned (parts[i], 16, 0, G_MAXUINT64, &numbers[i], NULL))
      return NULL;
  /* Numbers as text first: a G_GUINT64_FORMAT inside _() hides the string from xgettext. */
  for (guint i = 0; i < 3; i++)
    g_snprintf (text[i], sizeof text[i], "%" G_GUINT64_FORMAT, numbers[i]);
  if (mode == LAN_IPMSG_GETDIRFILES)
    /* Translators: what a GETDIRFILES request asks for: "folder 2 of packet 1700000000" */
    return g_strdup_printf (_("folder %s of packet %s"), text[1], text[0]);
  /* Translators: what a GETFILEDATA request asks for: "file 2 of packet 1700000000 from byte 0" */
  return g_strdup_printf (_("file %s of packet %s from byte %s"), text[1], text[0], text[2]);
}

/* The Info line of a TCP row: the request, or the transfer's summary. */
static char *
tcp_info (LanPacketLogEntry *self,
          const char        *line)
{
  g_autofree char *request = self->packet != NULL ? request_text (self) : NULL;

  ensure_transfer (self);
  if (self->flags & LAN_DATAGRAM_TRANSFER)
    {
      g_autofree char *size = NULL;
      g_autofree char *duration = NULL;
      g_autofree char *summary = NULL;

      if (!self->transfer_parsed)
        /* Translators: the detail of a file transfer, as the engine wrote it */
        summary = g_strdup_printf (_("TCP transfer: %s"), self->detail != NULL ? self->detail : "");
      else
        {
          size = g_format_size_full (self->transfer_bytes, G_FORMAT_SIZE_IEC_UNITS);
          duration = duration_text (self->transfer_ms);
          if (self->transfer_why != NULL)
            /* Translators: "TCP transfer: 12.3 MiB in 1.2 s — failed: the peer closed the connection" */
            summary = g_strdup_printf (_("TCP transfer: %s in %s — %s: %s"), size, duration,
                                       result_text (self->transfer_result), self->transfer_why);
          else
            /* Translators: "TCP transfer: 12.3 MiB in 1.2 s — done" */
            summary = g_strdup_printf (_("TCP transfer: %s in %s — %s"), size, duration,
                                       result_text (self->transfer_result));
        }
      if (request == NULL)
        return g_steal_pointer (&summary);
      return g_strdup_printf ("%s (%s)", summary, request);
    }
  if (request != NULL)
    /* Translators: "TCP: alice@pc-a asks for file 2 of packet 1700000000 from byte 0" */
    return g_strdup_printf (_("TCP: %s@%s asks for %s"), self->user, self->host, request);
  /* Translators: the usual Info line of a packet that came over TCP */
  return g_strdup_printf (_("TCP: %s"), line);
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
      if (self->flags & LAN_DATAGRAM_TCP)
        {
          g_autofree char *line = tcp_info (self, self->parse_error != NULL ? self->parse_error : "");

          self->info = lan_display_text (line, LAN_DISPLAY_TEXT_TERMINAL, 200);
        }
      else
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
    if (self->flags & LAN_DATAGRAM_TCP)
      {
        g_autofree char *tcp_line = tcp_info (self, line);

        g_free (line);
        line = g_steal_pointer (&tcp_line);
      }

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
  json_builder_set_member_name (builder, "proto");
  json_builder_add_string_value (builder, (self->flags & LAN_DATAGRAM_TCP) ? "tcp" : "udp");
  if (self->flags & LAN_DATAGRAM_TRANSFER)
    {
      json_builder_set_member_name (builder, "transfer");
      json_builder_add_boolean_value (builder, TRUE);
    }
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
  ensure_transfer (self);
  if (self->transfer_parsed)
    {
      json_builder_set_member_name (builder, "bytes");
      json_builder_add_int_value (builder, (gint64) MIN (self->transfer_bytes, (guint64) G_MAXINT64));
      json_builder_set_member_name (builder, "duration_ms");
      json_builder_add_int_value (builder, self->transfer_ms);
      json_builder_set_member_name (builder, "result");
      json_builder_add_string_value (builder, self->transfer_result);
      if (self->transfer_why != NULL)
        {
          json_builder_set_member_name (builder, "why");
          json_builder_add_string_value (builder, self->transfer_why);
        }
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
