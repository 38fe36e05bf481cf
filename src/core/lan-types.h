/* lan-types.h — small value types shared across the core.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  LAN_DIRECTION_IN,
  LAN_DIRECTION_OUT,
} LanDirection;

/* An IPv4 endpoint in host byte order. IPMsg is an IPv4 broadcast protocol. */
typedef struct {
  guint32 address;
  guint16 port;
} LanEndpoint;

/* Formats "10.77.0.5" into @buf (at least 16 bytes). Returns @buf. */
char     *lan_ipv4_format        (guint32      address,
                                  char        *buf);
/* Newly allocated "10.77.0.5:2425". */
char     *lan_endpoint_to_string (LanEndpoint  endpoint);
/* Parses a dotted quad; FALSE for anything else (no names, no IPv6). */
gboolean  lan_ipv4_parse         (const char  *text,
                                  guint32     *out_address);

static inline gboolean
lan_endpoint_equal (LanEndpoint a,
                    LanEndpoint b)
{
  return a.address == b.address && a.port == b.port;
}

G_END_DECLS
