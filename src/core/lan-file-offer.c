/* lan-file-offer.c — the offers of files we made.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-file-offer"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "lan-file-offer.h"

struct _LanFileOffers
{
  GObject     parent_instance;

  guint       max_total;
  guint       max_per_peer;
  gint64      lifetime_us;

  GHashTable *by_packet;   /* packet-no (guint64*) → LanFileOffer (a reference) */
  GQueue      order;       /* LanFileOffer (borrowed from by_packet), oldest first */
  GHashTable *per_peer;    /* peer key (owned) → count */
  GSource    *timer;       /* at the next expiry; NULL while empty */
};

G_DEFINE_FINAL_TYPE (LanFileOffers, lan_file_offers, G_TYPE_OBJECT)

LanOfferedFile *
lan_offered_file_new (guint64     file_id,
                      GFile      *file,
                      const char *name,
                      guint64     size,
                      guint64     mtime,
                      gboolean    is_dir)
{
  LanOfferedFile *self = g_new0 (LanOfferedFile, 1);

  self->file_id = file_id;
  self->file = g_object_ref (file);
  self->name = g_strdup (name);
  self->size = size;
  self->mtime = mtime;
  self->is_dir = is_dir;
  return self;
}

void
lan_offered_file_free (LanOfferedFile *file)
{
  if (file == NULL)
    return;
  g_clear_object (&file->file);
  g_free (file->name);
  g_free (file);
}

LanFileOffer *
lan_file_offer_ref (LanFileOffer *offer)
{
  g_ref_count_inc (&offer->ref_count);
  return offer;
}

void
lan_file_offer_unref (LanFileOffer *offer)
{
  if (offer == NULL || !g_ref_count_dec (&offer->ref_count))
    return;
  g_free (offer->peer_key);
  g_clear_object (&offer->message);
  g_clear_pointer (&offer->files, g_ptr_array_unref);
  g_free (offer);
}

LanOfferedFile *
lan_file_offer_get_file (LanFileOffer *offer,
                         guint64       file_id)
{
  for (guint i = 0; i < offer->files->len; i++)
    {
      LanOfferedFile *file = g_ptr_array_index (offer->files, i);

      if (file->file_id == file_id)
        return file;
    }
  return NULL;
}

gboolean
lan_file_offer_all_served (LanFileOffer *offer)
{
  for (guint i = 0; i < offer->files->len; i++)
    if (!((LanOfferedFile *) g_ptr_array_index (offer->files, i))->served)
      return FALSE;
  return offer->files->len > 0;
}

static void schedule_expiry (LanFileOffers *self);

/* Out of the table, the message told how it ended. */
static void
end_offer (LanFileOffers *self,
           LanFileOffer  *offer,
           LanOfferState  state)
{
  G_GNUC_UNUSED g_autoptr(LanFileOffer) held = lan_file_offer_ref (offer);  /* until its message is told */
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (self->per_peer, offer->peer_key));

  offer->open = FALSE;
  g_queue_remove (&self->order, offer);
  if (count <= 1)
    g_hash_table_remove (self->per_peer, offer->peer_key);
  else
    g_hash_table_insert (self->per_peer, g_strdup (offer->peer_key), GUINT_TO_POINTER (count - 1));
  g_hash_table_remove (self->by_packet, &offer->packet_no);
  schedule_expiry (self);
  /* Last: a handler of notify::offer-state may offer again. */
  lan_message_set_offer_state (offer->message, state);
}

static gboolean
expiry_due (gpointer user_data)
{
  LanFileOffers *self = user_data;

  g_clear_pointer (&self->timer, g_source_unref);
  lan_file_offers_expire (self, g_get_real_time ());
  return G_SOURCE_REMOVE;
}

static void
schedule_expiry (LanFileOffers *self)
{
  LanFileOffer *oldest = g_queue_peek_head (&self->order);
  gint64 wait_ms;

  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
  if (oldest == NULL)
    return;
  /* Every offer lives as long, so the oldest expires first. */
  wait_ms = MAX ((oldest->expires_us - g_get_real_time ()) / 1000, 0) + 1;
  self->timer = g_timeout_source_new ((guint) MIN (wait_ms, (gint64) G_MAXUINT));
  g_source_set_callback (self->timer, expiry_due, self, NULL);
  g_source_set_static_name (self->timer, "[lanchat] offer expiry");
  g_source_attach (self->timer, g_main_context_get_thread_default ());
}

static LanFileOffer *
oldest_for (LanFileOffers *self,
            const char    *peer_key)
{
  for (GList *l = self->order.head; l != NULL; l = l->next)
    {
      LanFileOffer *offer = l->data;

      if (g_str_equal (offer->peer_key, peer_key))
        return offer;
    }
  return NULL;
}

LanFileOffer *
lan_file_offers_add (LanFileOffers *self,
                     LanMessage    *message,
                     const char    *peer_key,
                     LanEndpoint    to,
                     GPtrArray     *files,
                     gint64         now_us)
{
  LanFileOffer *offer;
  LanFileOffer *old;

  g_return_val_if_fail (LAN_IS_FILE_OFFERS (self), NULL);
  g_return_val_if_fail (LAN_IS_MESSAGE (message), NULL);

  old = lan_file_offers_lookup (self, lan_message_get_packet_no (message));
  if (old != NULL)
    end_offer (self, old, LAN_OFFER_WITHDRAWN);
  while (GPOINTER_TO_UINT (g_hash_table_lookup (self->per_peer, peer_key)) >= self->max_per_peer &&
         (old = oldest_for (self, peer_key)) != NULL)
    end_offer (self, old, LAN_OFFER_EXPIRED);
  while (g_hash_table_size (self->by_packet) >= self->max_total &&
         (old = g_queue_peek_head (&self->order)) != NULL)
    end_offer (self, old, LAN_OFFER_EXPIRED);

  offer = g_new0 (LanFileOffer, 1);
  g_ref_count_init (&offer->ref_count);
  offer->packet_no = lan_message_get_packet_no (message);
  offer->peer_key = g_strdup (peer_key);
  offer->to = to;
  offer->message = g_object_ref (message);
  offer->files = files;
  offer->created_us = now_us;
  offer->expires_us = now_us + self->lifetime_us;
  offer->open = TRUE;
  g_hash_table_insert (self->by_packet, &offer->packet_no, offer);
  g_queue_push_tail (&self->order, offer);
  g_hash_table_insert (self->per_peer, g_strdup (offer->peer_key),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (self->per_peer, peer_key)) + 1));
  if (self->timer == NULL)
    schedule_expiry (self);
  return offer;
}

LanFileOffer *
lan_file_offers_lookup (LanFileOffers *self,
                        guint64        packet_no)
{
  g_return_val_if_fail (LAN_IS_FILE_OFFERS (self), NULL);

  return g_hash_table_lookup (self->by_packet, &packet_no);
}

LanOfferedFile *
lan_file_offers_find (LanFileOffers *self,
                      guint64        packet_no,
                      guint64        file_id,
                      guint32        address,
                      LanFileOffer **out_offer,
                      char         **why)
{
  LanFileOffer *offer;
  LanOfferedFile *file;
  char asked[16], offered[16];

  /* The timer may not have run yet. */
  lan_file_offers_expire (self, g_get_real_time ());
  offer = lan_file_offers_lookup (self, packet_no);
  if (out_offer != NULL)
    *out_offer = NULL;
  if (offer == NULL)
    {
      *why = g_strdup_printf (_("no open offer has packet number %llu"), (unsigned long long) packet_no);
      return NULL;
    }
  /* The address first: a stranger learns nothing of what the offer holds. */
  if (offer->to.address != address)
    {
      *why = g_strdup_printf (_("offer %llu was made to %s, not to %s"), (unsigned long long) packet_no,
                              lan_ipv4_format (offer->to.address, offered),
                              lan_ipv4_format (address, asked));
      return NULL;
    }
  file = lan_file_offer_get_file (offer, file_id);
  if (file == NULL)
    {
      *why = g_strdup_printf (_("offer %llu has no file %llu"), (unsigned long long) packet_no,
                              (unsigned long long) file_id);
      return NULL;
    }
  if (out_offer != NULL)
    *out_offer = offer;
  return file;
}

gboolean
lan_file_offers_release (LanFileOffers *self,
                         guint64        packet_no,
                         guint32        address)
{
  LanFileOffer *offer = lan_file_offers_lookup (self, packet_no);

  g_return_val_if_fail (LAN_IS_FILE_OFFERS (self), FALSE);

  if (offer == NULL || offer->to.address != address)
    return FALSE;
  end_offer (self, offer, lan_file_offer_all_served (offer) ? LAN_OFFER_DONE : LAN_OFFER_DECLINED);
  return TRUE;
}

gboolean
lan_file_offers_withdraw (LanFileOffers *self,
                          LanMessage    *message)
{
  LanFileOffer *offer = lan_file_offers_lookup (self, lan_message_get_packet_no (message));

  if (offer == NULL || offer->message != message)
    return FALSE;
  end_offer (self, offer, LAN_OFFER_WITHDRAWN);
  return TRUE;
}

guint
lan_file_offers_expire (LanFileOffers *self,
                        gint64         now_us)
{
  LanFileOffer *oldest;
  guint n = 0;

  g_return_val_if_fail (LAN_IS_FILE_OFFERS (self), 0);

  while ((oldest = g_queue_peek_head (&self->order)) != NULL && oldest->expires_us <= now_us)
    {
      end_offer (self, oldest, LAN_OFFER_EXPIRED);
      n++;
    }
  return n;
}

void
lan_file_offers_move (LanFileOffers *self,
                      guint64        packet_no,
                      LanEndpoint    to)
{
  LanFileOffer *offer = lan_file_offers_lookup (self, packet_no);

  if (offer != NULL)
    offer->to = to;
}

guint
lan_file_offers_get_n_open (LanFileOffers *self)
{
  return g_hash_table_size (self->by_packet);
}

guint
lan_file_offers_count_for (LanFileOffers *self,
                           const char    *peer_key)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->per_peer, peer_key));
}

static void
lan_file_offers_dispose (GObject *object)
{
  LanFileOffers *self = LAN_FILE_OFFERS (object);

  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
  g_queue_clear (&self->order);
  g_hash_table_remove_all (self->per_peer);
  g_hash_table_remove_all (self->by_packet);
  G_OBJECT_CLASS (lan_file_offers_parent_class)->dispose (object);
}

static void
lan_file_offers_finalize (GObject *object)
{
  LanFileOffers *self = LAN_FILE_OFFERS (object);

  g_clear_pointer (&self->per_peer, g_hash_table_unref);
  g_clear_pointer (&self->by_packet, g_hash_table_unref);
  G_OBJECT_CLASS (lan_file_offers_parent_class)->finalize (object);
}

static void
lan_file_offers_class_init (LanFileOffersClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lan_file_offers_dispose;
  object_class->finalize = lan_file_offers_finalize;
}

static void
lan_file_offers_init (LanFileOffers *self)
{
  self->by_packet = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                           (GDestroyNotify) lan_file_offer_unref);
  self->per_peer = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&self->order);
}

LanFileOffers *
lan_file_offers_new (guint max_total,
                     guint max_per_peer,
                     guint lifetime_s)
{
  LanFileOffers *self = g_object_new (LAN_TYPE_FILE_OFFERS, NULL);

  self->max_total = MAX (max_total, 1);
  self->max_per_peer = MAX (max_per_peer, 1);
  self->lifetime_us = (gint64) lifetime_s * G_USEC_PER_SEC;
  return self;
}
