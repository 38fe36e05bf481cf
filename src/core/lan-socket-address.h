/* lan-socket-address.h — LanEndpoint to and from GIO's socket addresses.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lan-types.h"

G_BEGIN_DECLS

/* The IPv4 address and port of @address; address 0 for anything but an
 * IPv4 socket address (the port is kept where there is one). */
LanEndpoint     lan_socket_address_to_endpoint (GSocketAddress *address);
/* Returns: (transfer full) */
GSocketAddress *lan_socket_address_new         (LanEndpoint     endpoint);

G_END_DECLS
