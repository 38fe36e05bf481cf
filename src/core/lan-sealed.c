/* lan-sealed.c — sealed and encrypted messages that arrive.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-sealed"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lan-bounds.h"
#include "lan-sealed.h"

/* Confirmations we wait for ("ip:port/packet-no"), at most this many: a
 * peer that never answers must not make the table grow. */
#define MAX_AWAITED 256

struct _LanSealed
{
  GObject     parent_instance;

  LanWire    *wire;
  GHashTable *awaited;   /* "ip:port/packet-no" */
};

G_DEFINE_FINAL_TYPE (LanSealed, lan_sealed, G_TYPE_OBJECT)

typedef struct {
  GWeakRef    sealed;
  LanEndpoint from;
  guint64     packet_no;
  gboolean    read_check;
} Opening;

static void
opening_free (gpointer data,
              GClosure *closure)
{
  Opening *opening = data;

  g_weak_ref_clear (&opening->sealed);
  g_free (opening);
}

static char *
awaited_key (LanEndpoint from,
             guint64     packet_no)
{
  g_autofree char *endpoint = lan_endpoint_to_string (from);

  return g_strdup_printf ("%s/%" G_GUINT64_FORMAT, endpoint, packet_no);
}

static void
on_sealed_changed (LanMessage *message,
                   GParamSpec *pspec,
                   Opening    *opening)
{
  g_autoptr(LanSealed) self = g_weak_ref_get (&opening->sealed);
  g_autofree char *number = NULL;
  g_autoptr(GBytes) datagram = NULL;
  guint32 command = LAN_IPMSG_READMSG;

  if (lan_message_get_sealed (message) || self == NULL || !lan_wire_is_running (self->wire))
    return;

  if (opening->read_check)
    {
      command |= LAN_IPMSG_READCHECKOPT;
      if (g_hash_table_size (self->awaited) >= MAX_AWAITED)
        g_hash_table_remove_all (self->awaited);
      g_hash_table_add (self->awaited, awaited_key (opening->from, opening->packet_no));
    }
  number = g_strdup_printf ("%" G_GUINT64_FORMAT, opening->packet_no);
  datagram = lan_wire_build (self->wire, lan_wire_next_packet_no (self->wire), command,
                             (const guint8 *) number, strlen (number) + 1);
  lan_wire_send (self->wire, opening->from, datagram, LAN_VERDICT_OK);
  /* Once: a message is opened once. This frees @opening: last. */
  g_signal_handlers_disconnect_by_data (message, opening);
}

gboolean
lan_sealed_may_acknowledge (guint32 command)
{
  return !(command & LAN_IPMSG_ENCRYPTOPT);
}

char *
lan_sealed_shown_text (const LanIpmsgPacket *packet,
                       const char           *decoded)
{
  if (packet->command & LAN_IPMSG_ENCRYPTOPT)
    return g_strdup (_("An encrypted message arrived, which Lanchat can't read yet"));
  return g_strdup (decoded);
}

void
lan_sealed_arrived (LanSealed            *self,
                    LanMessage           *message,
                    LanEndpoint           from,
                    const LanIpmsgPacket *packet)
{
  Opening *opening;

  g_return_if_fail (LAN_IS_SEALED (self));

  if (packet->command & LAN_IPMSG_ENCRYPTOPT)
    {
      /* Not readable, so never "read": no seal to open. */
      lan_message_set_encrypted (message, TRUE);
      return;
    }
  if (!(packet->command & LAN_IPMSG_SECRETOPT))
    return;

  lan_message_set_sealed (message, TRUE);
  opening = g_new0 (Opening, 1);
  g_weak_ref_init (&opening->sealed, self);
  opening->from = from;
  opening->packet_no = packet->packet_no;
  opening->read_check = (packet->command & LAN_IPMSG_READCHECKOPT) != 0;
  g_signal_connect_data (message, "notify::sealed", G_CALLBACK (on_sealed_changed), opening,
                         opening_free, 0);
}

/* ANSREADMSG: the sender saw that we opened its sealed message. */
static void
handle_ansreadmsg (LanPacketContext *context,
                   gpointer          user_data)
{
  LanSealed *self = user_data;
  g_autofree char *text = lan_ipmsg_packet_dup_section (context->packet, 0);
  g_autofree char *key = NULL;
  guint64 number = 0;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, &number, NULL))
    {
      lan_packet_context_verdict (context, LAN_VERDICT_UNMATCHED_REPLY, NULL);
      return;
    }
  key = awaited_key (context->from, number);
  if (!g_hash_table_remove (self->awaited, key))
    {
      lan_packet_context_verdict (context, LAN_VERDICT_UNMATCHED_REPLY,
                                  _("read confirmation for packet %llu, which we did not open"),
                                  (unsigned long long) number);
      return;
    }
  lan_packet_context_verdict (context, LAN_VERDICT_OK,
                              _("the sender saw that packet %llu was opened"),
                              (unsigned long long) number);
}

static void
lan_sealed_dispose (GObject *object)
{
  LanSealed *self = LAN_SEALED (object);

  if (self->wire != NULL)
    lan_wire_clear_handlers (self->wire, self);
  G_OBJECT_CLASS (lan_sealed_parent_class)->dispose (object);
}

static void
lan_sealed_finalize (GObject *object)
{
  LanSealed *self = LAN_SEALED (object);

  g_clear_pointer (&self->awaited, g_hash_table_unref);
  g_clear_object (&self->wire);
  G_OBJECT_CLASS (lan_sealed_parent_class)->finalize (object);
}

static void
lan_sealed_class_init (LanSealedClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = lan_sealed_dispose;
  G_OBJECT_CLASS (klass)->finalize = lan_sealed_finalize;
}

static void
lan_sealed_init (LanSealed *self)
{
  self->awaited = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

LanSealed *
lan_sealed_new (LanWire *wire)
{
  LanSealed *self = g_object_new (LAN_TYPE_SEALED, NULL);

  self->wire = g_object_ref (wire);
  lan_wire_set_handler (wire, LAN_IPMSG_ANSREADMSG, handle_ansreadmsg, self);
  return self;
}
