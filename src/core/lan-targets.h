/* lan-targets.h — the user's extra targets: hosts, broadcast addresses, ranges, CIDR blocks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Parse one target spec ("10.1.2.3", "10.1.2.255", "10.1.2.10-50",
 * "10.1.0.0/22", each with an optional ":port") into LanEndpoints (default
 * port @port), appending to @out; fails past @max endpoints in all. */
gboolean lan_targets_parse (const char  *spec,
                            guint16      port,
                            GArray      *out,
                            guint        max,
                            GError     **error);

G_END_DECLS
