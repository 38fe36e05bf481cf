/* lan-types.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-types"

#include "config.h"

#include "lan-types.h"

char *
lan_ipv4_format (guint32  address,
                 char    *buf)
{
  g_snprintf (buf, 16, "%u.%u.%u.%u",
              (address >> 24) & 0xff, (address >> 16) & 0xff,
              (address >> 8) & 0xff, address & 0xff);
  return buf;
}

char *
lan_endpoint_to_string (LanEndpoint endpoint)
{
  char buf[16];

  return g_strdup_printf ("%s:%u", lan_ipv4_format (endpoint.address, buf), endpoint.port);
}

gboolean
lan_ipv4_parse (const char *text,
                guint32    *out_address)
{
  guint32 address = 0;
  const char *p = text;

  if (text == NULL)
    return FALSE;

  for (guint octet = 0; octet < 4; octet++)
    {
      guint value = 0;
      guint digits = 0;

      while (g_ascii_isdigit (*p) && digits < 4)
        {
          value = value * 10 + (guint) (*p - '0');
          digits++;
          p++;
        }
      if (digits == 0 || digits > 3 || value > 255)
        return FALSE;
      address = (address << 8) | value;
      if (octet < 3)
        {
          if (*p != '.')
            return FALSE;
          p++;
        }
    }
  if (*p != '\0')
    return FALSE;

  *out_address = address;
  return TRUE;
}

gboolean
lan_set_str (char       **field,
             const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}
