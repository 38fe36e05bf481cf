/* lan-transport.c — the abstract transport: the handler every datagram goes
 * to, and the calls the engine makes, dispatched to the implementation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-transport"

#include "config.h"

#include "lan-transport.h"
#include "lan-udp-transport.h"

typedef struct
{
  LanDatagramFunc handler;
  gpointer        handler_data;
} LanTransportPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (LanTransport, lan_transport, G_TYPE_OBJECT)

static guint64
lan_transport_real_get_kernel_drops (LanTransport *self)
{
  return 0;
}

static GPtrArray *
lan_transport_real_dup_local_addresses (LanTransport *self)
{
  GPtrArray *result = g_ptr_array_new_with_free_func (g_free);
  LanEndpoint local;
  char text[16];

  if (!lan_transport_is_bound (self))
    return result;
  local = lan_transport_get_local (self);
  if (local.address != 0)
    g_ptr_array_add (result, g_strdup (lan_ipv4_format (local.address, text)));
  return result;
}

static void
lan_transport_class_init (LanTransportClass *klass)
{
  klass->get_kernel_drops = lan_transport_real_get_kernel_drops;
  klass->dup_local_addresses = lan_transport_real_dup_local_addresses;
}

static void
lan_transport_init (LanTransport *self)
{
}

LanTransport *
lan_transport_new (void)
{
  return LAN_TRANSPORT (lan_udp_transport_new ());
}

gboolean
lan_transport_bind (LanTransport  *self,
                    const char    *address,
                    guint16        port,
                    GError       **error)
{
  g_return_val_if_fail (LAN_IS_TRANSPORT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return LAN_TRANSPORT_GET_CLASS (self)->bind (self, address, port, error);
}

void
lan_transport_close (LanTransport *self)
{
  g_return_if_fail (LAN_IS_TRANSPORT (self));

  LAN_TRANSPORT_GET_CLASS (self)->close (self);
}

gboolean
lan_transport_is_bound (LanTransport *self)
{
  g_return_val_if_fail (LAN_IS_TRANSPORT (self), FALSE);

  return LAN_TRANSPORT_GET_CLASS (self)->is_bound (self);
}

LanEndpoint
lan_transport_get_local (LanTransport *self)
{
  LanEndpoint none = { 0, 0 };

  g_return_val_if_fail (LAN_IS_TRANSPORT (self), none);

  return LAN_TRANSPORT_GET_CLASS (self)->get_local (self);
}

void
lan_transport_set_handler (LanTransport    *self,
                           LanDatagramFunc  func,
                           gpointer         user_data)
{
  LanTransportPrivate *priv = lan_transport_get_instance_private (self);

  g_return_if_fail (LAN_IS_TRANSPORT (self));

  priv->handler = func;
  priv->handler_data = user_data;
}

gboolean
lan_transport_send (LanTransport  *self,
                    LanEndpoint    to,
                    const guint8  *data,
                    gsize          len)
{
  g_return_val_if_fail (LAN_IS_TRANSPORT (self), FALSE);

  return LAN_TRANSPORT_GET_CLASS (self)->send (self, to, data, len);
}

guint64
lan_transport_get_kernel_drops (LanTransport *self)
{
  g_return_val_if_fail (LAN_IS_TRANSPORT (self), 0);

  return LAN_TRANSPORT_GET_CLASS (self)->get_kernel_drops (self);
}

GPtrArray *
lan_transport_dup_local_addresses (LanTransport *self)
{
  g_return_val_if_fail (LAN_IS_TRANSPORT (self), NULL);

  return LAN_TRANSPORT_GET_CLASS (self)->dup_local_addresses (self);
}

void
lan_transport_report (LanTransport      *self,
                      const LanDatagram *datagram)
{
  LanTransportPrivate *priv = lan_transport_get_instance_private (self);

  if (priv->handler != NULL)
    priv->handler (datagram, priv->handler_data);
}
