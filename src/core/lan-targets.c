/* lan-targets.c — the user's extra targets: hosts, broadcast addresses, ranges, CIDR blocks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-targets"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

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
