/* lan-messenger-addresses.c — where we are, for showing the user, and the
 * checks and counters that only ask the transport or the target parser.
 *
 * In a file of its own because lan-messenger.c is full; it needs nothing
 * of the façade's insides, only its transport.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-messenger-addresses"

#include "config.h"

#include "lan-messenger.h"
#include "lan-targets.h"

GPtrArray *
lan_messenger_dup_local_addresses (LanMessenger *self)
{
  g_autoptr(LanTransport) transport = NULL;

  g_return_val_if_fail (LAN_IS_MESSENGER (self), NULL);

  g_object_get (self, "transport", &transport, NULL);
  if (transport == NULL || !lan_messenger_get_running (self))
    return g_ptr_array_new_with_free_func (g_free);
  return lan_transport_dup_local_addresses (transport);
}

gboolean
lan_messenger_check_target (const char  *target,
                            GError     **error)
{
  return lan_targets_check (target, error);
}

guint64
lan_messenger_get_kernel_drops (LanMessenger *self)
{
  g_autoptr(LanTransport) transport = NULL;

  g_return_val_if_fail (LAN_IS_MESSENGER (self), 0);

  g_object_get (self, "transport", &transport, NULL);
  return transport != NULL ? lan_transport_get_kernel_drops (transport) : 0;
}
