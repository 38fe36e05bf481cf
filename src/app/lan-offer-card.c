/* lan-offer-card.c — the files a message offers, as a card in the conversation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-offer-card"

#include "config.h"

#include <glib/gi18n.h>

#include "lan-display-text.h"
#include "lan-offer-card.h"
#include "lan-offer-file-row.h"
#include "lan-offer-format.h"

struct _LanOfferCard
{
  GtkWidget     parent_instance;

  LanMessenger *messenger;
  LanMessage   *offer;
  GListModel   *transfers;

  GtkWidget    *title_label;
  GtkWidget    *rows_box;
  GtkWidget    *status_label;
  GtkWidget    *save_all_button;
  GtkWidget    *decline_button;
  GtkWidget    *withdraw_button;
};

G_DEFINE_FINAL_TYPE (LanOfferCard, lan_offer_card, GTK_TYPE_WIDGET)

static gboolean
is_incoming (LanOfferCard *self)
{
  return lan_message_get_direction (self->offer) == LAN_DIRECTION_IN;
}

static gboolean
transfer_is_ours (LanOfferCard    *self,
                  LanFileTransfer *transfer)
{
  LanTransferKind kind = is_incoming (self) ? LAN_TRANSFER_FETCH : LAN_TRANSFER_SERVE;

  return lan_file_transfer_get_kind (transfer) == kind &&
         lan_file_transfer_get_packet_no (transfer) == lan_message_get_packet_no (self->offer) &&
         g_strcmp0 (lan_file_transfer_get_peer_key (transfer), lan_message_get_peer_key (self->offer)) == 0;
}

static LanOfferFileRow *
find_row (LanOfferCard *self,
          guint64       file_id)
{
  for (GtkWidget *child = gtk_widget_get_first_child (self->rows_box);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (lan_offer_file_row_get_file_id (LAN_OFFER_FILE_ROW (child)) == file_id)
      return LAN_OFFER_FILE_ROW (child);
  return NULL;
}

/* Returns: (transfer full): the name of whoever @peer_key is, as shown. */
static char *
dup_peer_name (LanOfferCard *self,
               const char   *peer_key)
{
  LanPeer *peer = lan_peer_list_lookup (lan_messenger_get_peers (self->messenger), peer_key);

  return lan_display_text (peer != NULL ? lan_peer_get_nickname (peer) : peer_key,
                           LAN_DISPLAY_TEXT_ONE_LINE, LAN_DISPLAY_TEXT_ALL);
}

/* What happened to an offer of ours, from its state and its transfers. */
static char *
dup_outgoing_status (LanOfferCard *self,
                     guint         n_running,
                     guint         n_done)
{
  g_autofree char *name = dup_peer_name (self, lan_message_get_peer_key (self->offer));

  switch (lan_message_get_offer_state (self->offer))
    {
    case LAN_OFFER_OPEN:
      if (n_running > 0)
        /* Translators: %s is a nickname */
        return g_strdup_printf (_("%s is fetching…"), name);
      if (n_done > 0)
        return g_strdup_printf (_("Fetched by %s"), name);
      return g_strdup_printf (_("Waiting for %s to save it"), name);
    case LAN_OFFER_DONE:
      return g_strdup_printf (_("Fetched by %s"), name);
    case LAN_OFFER_DECLINED:
      return g_strdup_printf (_("Declined by %s"), name);
    case LAN_OFFER_EXPIRED:
      return g_strdup (_("Expired: no longer offered"));
    case LAN_OFFER_WITHDRAWN:
      return g_strdup (_("Withdrawn"));
    case LAN_OFFER_NONE:
    default:
      return g_strdup ("");
    }
}

static char *
dup_incoming_status (LanOfferCard *self)
{
  switch (lan_message_get_offer_state (self->offer))
    {
    case LAN_OFFER_DECLINED:
      return g_strdup (_("Declined"));
    case LAN_OFFER_EXPIRED:
      return g_strdup (_("No longer offered by the sender"));
    case LAN_OFFER_WITHDRAWN:
      return g_strdup (_("Withdrawn by the sender"));
    case LAN_OFFER_DONE:
    case LAN_OFFER_OPEN:
    case LAN_OFFER_NONE:
    default:
      return g_strdup ("");
    }
}

static void
update_card (LanOfferCard *self)
{
  gboolean open = lan_message_get_offer_state (self->offer) == LAN_OFFER_OPEN;
  guint n_savable = 0, n_running = 0, n_done = 0;
  g_autofree char *status = NULL;

  for (GtkWidget *child = gtk_widget_get_first_child (self->rows_box);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      LanOfferFileRow *row = LAN_OFFER_FILE_ROW (child);
      LanFileTransfer *transfer = lan_offer_file_row_get_transfer (row);

      lan_offer_file_row_update (row);
      if (lan_offer_file_row_can_save (row))
        n_savable++;
      if (transfer != NULL && !lan_file_transfer_is_finished (transfer))
        n_running++;
      /* Saved in an earlier run counts too: Decline would say the opposite. */
      if ((transfer != NULL && lan_file_transfer_get_state (transfer) == LAN_TRANSFER_DONE) ||
          lan_offer_file_row_is_saved (row))
        n_done++;
    }

  status = is_incoming (self) ? dup_incoming_status (self) : dup_outgoing_status (self, n_running, n_done);
  gtk_label_set_text (GTK_LABEL (self->status_label), status);
  gtk_widget_set_visible (self->status_label, *status != '\0');

  gtk_widget_set_visible (self->save_all_button, is_incoming (self) && n_savable > 1);
  gtk_widget_set_visible (self->decline_button, is_incoming (self) && open && n_done == 0 && n_running == 0);
  gtk_widget_set_visible (self->withdraw_button, !is_incoming (self) && open);
}

static void
take_transfer (LanOfferCard    *self,
               LanFileTransfer *transfer)
{
  LanOfferFileRow *row;

  if (!transfer_is_ours (self, transfer))
    return;
  row = find_row (self, lan_file_transfer_get_file_id (transfer));
  if (row == NULL)
    return;
  lan_offer_file_row_set_transfer (row, transfer);
}

static void
on_transfers_changed (LanOfferCard *self,
                      guint         position,
                      guint         removed,
                      guint         added)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(LanFileTransfer) transfer = g_list_model_get_item (self->transfers, i);

      take_transfer (self, transfer);
    }
  update_card (self);
}

static void
on_save_all_clicked (LanOfferCard *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (self->rows_box);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    lan_offer_file_row_save (LAN_OFFER_FILE_ROW (child));
  update_card (self);
}

static void
on_decline_clicked (LanOfferCard *self)
{
  lan_messenger_release_files (self->messenger, self->offer);
}

static void
on_withdraw_clicked (LanOfferCard *self)
{
  lan_messenger_withdraw_files (self->messenger, self->offer);
}

GtkWidget *
lan_offer_card_new (LanMessenger *messenger,
                    LanMessage   *offer)
{
  LanOfferCard *self;
  GPtrArray *files;
  g_autofree char *title = NULL;
  guint n;

  g_return_val_if_fail (LAN_IS_MESSENGER (messenger), NULL);
  g_return_val_if_fail (LAN_IS_MESSAGE (offer), NULL);

  self = g_object_new (LAN_TYPE_OFFER_CARD, NULL);
  self->messenger = g_object_ref (messenger);
  self->offer = g_object_ref (offer);
  self->transfers = g_object_ref (lan_messenger_get_transfers (messenger));

  files = lan_message_get_files (offer);
  n = files != NULL ? files->len : 0;
  for (guint i = 0; i < n; i++)
    {
      GtkWidget *row = lan_offer_file_row_new (messenger, offer, g_ptr_array_index (files, i));

      g_signal_connect_swapped (row, "state-changed", G_CALLBACK (update_card), self);
      gtk_box_append (GTK_BOX (self->rows_box), row);
    }

  if (is_incoming (self))
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Offers %u item", "Offers %u items", n), n);
  else
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "You offered %u item", "You offered %u items", n), n);
  gtk_label_set_text (GTK_LABEL (self->title_label), title);

  /* The latest transfer of each file wins: a retry follows its failure. */
  on_transfers_changed (self, 0, 0, g_list_model_get_n_items (self->transfers));
  g_signal_connect_object (self->transfers, "items-changed", G_CALLBACK (on_transfers_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (offer, "notify::offer-state", G_CALLBACK (update_card), self, G_CONNECT_SWAPPED);
  update_card (self);
  return GTK_WIDGET (self);
}

LanMessage *
lan_offer_card_get_offer (LanOfferCard *self)
{
  g_return_val_if_fail (LAN_IS_OFFER_CARD (self), NULL);
  return self->offer;
}

const char *
lan_offer_card_get_status_text (LanOfferCard *self)
{
  g_return_val_if_fail (LAN_IS_OFFER_CARD (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->status_label));
}

static void
lan_offer_card_dispose (GObject *object)
{
  LanOfferCard *self = LAN_OFFER_CARD (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), LAN_TYPE_OFFER_CARD);
  /* dispose_template() clears the children bound by id; the root box is ours. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->transfers);
  g_clear_object (&self->offer);
  g_clear_object (&self->messenger);

  G_OBJECT_CLASS (lan_offer_card_parent_class)->dispose (object);
}

static void
lan_offer_card_class_init (LanOfferCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lan_offer_card_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/lanchat/Lanchat/lan-offer-card.ui");
  gtk_widget_class_bind_template_child (widget_class, LanOfferCard, title_label);
  gtk_widget_class_bind_template_child (widget_class, LanOfferCard, rows_box);
  gtk_widget_class_bind_template_child (widget_class, LanOfferCard, status_label);
  gtk_widget_class_bind_template_child (widget_class, LanOfferCard, save_all_button);
  gtk_widget_class_bind_template_child (widget_class, LanOfferCard, decline_button);
  gtk_widget_class_bind_template_child (widget_class, LanOfferCard, withdraw_button);
  gtk_widget_class_bind_template_callback (widget_class, on_save_all_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_decline_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_withdraw_clicked);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "offercard");
}

static void
lan_offer_card_init (LanOfferCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
