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

/* Counted events of an engine (for tests, the CLI and the log's counters).
 * One struct, so a reader can hold its pointer and watch it move. */
typedef struct {
  guint64 received;        /* datagrams in */
  guint64 sent;            /* datagrams out */
  guint64 malformed;
  guint64 duplicates;
  guint64 unmatched_replies;
  guint64 wrong_address_replies;
  guint64 spoofed;
  guint64 resends;
  guint64 send_errors;
  guint64 rejected;
} LanMessengerStats;

/* Formats "10.77.0.5" into @buf (at least 16 bytes).
 * Returns: (transfer none): @buf */
char     *lan_ipv4_format        (guint32      address,
                                  char        *buf);
/* "10.77.0.5:2425". Returns: (transfer full) */
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

/* g_set_str (GLib 2.76): @field becomes a copy of @value; TRUE when it changed. */
gboolean  lan_set_str            (char       **field,
                                  const char  *value);

G_END_DECLS
