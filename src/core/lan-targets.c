/* lan-targets.c — the user's extra targets: hosts, broadcast addresses, ranges, CIDR blocks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-targets"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lan-bounds.h"
#include "lan-targets.h"
#include "lan-types.h"

static gboolean
too_many (guint64   count,
          guint     max,
          const char *spec,
          GError  **error)
{
  if (count <= max)
    return FALSE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               _("“%s” would add too many addresses: at most %u targets in all"), spec, max);
  return TRUE;
}

static gboolean
parse_port (const char *text,
            guint16    *out_port)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT16, &value, NULL))
    return FALSE;
  *out_port = (guint16) value;
  return TRUE;
}

gboolean
lan_targets_parse (const char  *spec,
                   guint16      port,
                   GArray      *out,
                   guint        max,
                   GError     **error)
{
  g_autofree char *text = g_strstrip (g_strdup (spec != NULL ? spec : ""));
  char *slash, *dash, *colon;
  guint32 first, last;

  if (*text == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("An empty target"));
      return FALSE;
    }

  if ((slash = strchr (text, '/')) != NULL)
    {
      guint64 bits;
      guint32 mask;

      *slash = '\0';
      if (!lan_ipv4_parse (text, &first) ||
          !g_ascii_string_to_unsigned (slash + 1, 10, 0, 32, &bits, NULL))
        goto invalid;
      mask = bits == 0 ? 0 : 0xffffffffu << (32 - bits);
      first &= mask;
      last = first | ~mask;
      /* A block larger than a /31 is its hosts: no network or broadcast address. */
      if (bits < 31)
        {
          first++;
          last--;
        }
    }
  else if ((dash = strchr (text, '-')) != NULL)
    {
      *dash = '\0';
      if (!lan_ipv4_parse (text, &first))
        goto invalid;
      if (!lan_ipv4_parse (dash + 1, &last))
        {
          guint64 octet;

          /* "10.1.2.10-50": the end shares the first three octets. */
          if (!g_ascii_string_to_unsigned (dash + 1, 10, 0, 255, &octet, NULL))
            goto invalid;
          last = (first & 0xffffff00u) | (guint32) octet;
        }
      if (last < first)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("The range “%s” ends before it starts"), spec);
          return FALSE;
        }
    }
  else
    {
      LanEndpoint endpoint = { 0, port };

      if ((colon = strchr (text, ':')) != NULL)
        {
          *colon = '\0';
          if (!parse_port (colon + 1, &endpoint.port))
            goto invalid;
        }
      if (!lan_ipv4_parse (text, &endpoint.address))
        goto invalid;
      if (too_many ((guint64) out->len + 1, max, spec, error))
        return FALSE;
      g_array_append_val (out, endpoint);
      return TRUE;
    }

  if (too_many ((guint64) out->len + ((guint64) last - first + 1), max, spec, error))
    return FALSE;
  for (guint64 address = first; address <= last; address++)
    {
      LanEndpoint endpoint = { (guint32) address, port };

      g_array_append_val (out, endpoint);
    }
  return TRUE;

invalid:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               _("“%s” is not a target: use an IPv4 address (10.0.0.5 or 10.0.0.5:2425), "
                 "a range (10.0.0.10-10.0.0.50) or a block (10.0.0.0/24)"), spec);
  return FALSE;
}

gboolean
lan_targets_check (const char  *spec,
                   GError     **error)
{
  g_autoptr(GArray) endpoints = g_array_new (FALSE, FALSE, sizeof (LanEndpoint));

  return lan_targets_parse (spec, LAN_IPMSG_DEFAULT_PORT, endpoints, LAN_MESSENGER_MAX_TARGETS, error);
}

struct _LanTargets
{
  GObject  parent_instance;

  LanWire *wire;
  GArray  *endpoints;     /* LanEndpoint */
  GBytes  *pace_packet;   /* one packet going out to them */
  guint    pace_index;
  GSource *pace_source;
};

G_DEFINE_FINAL_TYPE (LanTargets, lan_targets, G_TYPE_OBJECT)

void
lan_targets_stop (LanTargets *self)
{
  if (self->pace_source != NULL)
    {
      g_source_destroy (self->pace_source);
      g_clear_pointer (&self->pace_source, g_source_unref);
    }
  g_clear_pointer (&self->pace_packet, g_bytes_unref);
  self->pace_index = 0;
}

static gboolean
pace_tick (gpointer user_data)
{
  LanTargets *self = user_data;
  guint end = MIN (self->pace_index + LAN_MESSENGER_TARGETS_PER_TICK, self->endpoints->len);

  for (; self->pace_index < end; self->pace_index++)
    lan_wire_send (self->wire, g_array_index (self->endpoints, LanEndpoint, self->pace_index),
                   self->pace_packet, LAN_VERDICT_OK);

  if (self->pace_index >= self->endpoints->len)
    {
      g_clear_pointer (&self->pace_source, g_source_unref);
      g_clear_pointer (&self->pace_packet, g_bytes_unref);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

void
lan_targets_send (LanTargets *self,
                  GBytes     *datagram,
                  gboolean    paced)
{
  if (!paced)
    {
      for (guint i = 0; i < self->endpoints->len; i++)
        lan_wire_send (self->wire, g_array_index (self->endpoints, LanEndpoint, i), datagram, LAN_VERDICT_OK);
      return;
    }

  /* A newer announcement supersedes one still going out. */
  lan_targets_stop (self);
  if (self->endpoints->len == 0)
    return;
  self->pace_packet = g_bytes_ref (datagram);
  pace_tick (self);
  if (self->pace_packet != NULL)
    {
      self->pace_source = g_timeout_source_new (LAN_MESSENGER_TARGET_TICK_MS);
      g_source_set_callback (self->pace_source, pace_tick, self, NULL);
      g_source_set_static_name (self->pace_source, "[lanchat] extra targets");
      g_source_attach (self->pace_source, g_main_context_get_thread_default ());
    }
}

gboolean
lan_targets_add (LanTargets  *self,
                 const char  *spec,
                 guint16      default_port,
                 GError     **error)
{
  return lan_targets_parse (spec, default_port, self->endpoints, LAN_MESSENGER_MAX_TARGETS, error);
}

gboolean
lan_targets_reach (LanTargets  *self,
                   LanEndpoint  from)
{
  for (guint i = 0; i < self->endpoints->len; i++)
    {
      LanEndpoint target = g_array_index (self->endpoints, LanEndpoint, i);
      guint32 host = (target.address ^ (target.address + 1)) >> 1;

      /* 255.255.255.255 and the like stand for no block we know. */
      if (host > 0xffff)
        host = 0;
      if (target.port == from.port && (target.address & ~host) == (from.address & ~host))
        return TRUE;
    }
  return FALSE;
}

void
lan_targets_clear (LanTargets *self)
{
  /* What was still being paced out named the old targets. */
  lan_targets_stop (self);
  g_array_set_size (self->endpoints, 0);
}

static void
lan_targets_finalize (GObject *object)
{
  LanTargets *self = LAN_TARGETS (object);

  lan_targets_stop (self);
  g_clear_pointer (&self->endpoints, g_array_unref);
  g_clear_object (&self->wire);
  G_OBJECT_CLASS (lan_targets_parent_class)->finalize (object);
}

static void
lan_targets_class_init (LanTargetsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lan_targets_finalize;
}

static void
lan_targets_init (LanTargets *self)
{
  self->endpoints = g_array_new (FALSE, FALSE, sizeof (LanEndpoint));
}

LanTargets *
lan_targets_new (LanWire *wire)
{
  LanTargets *self = g_object_new (LAN_TYPE_TARGETS, NULL);

  self->wire = g_object_ref (wire);
  return self;
}
