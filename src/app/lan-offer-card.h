/* lan-offer-card.h — the files a message offers, as a card in the conversation.
 *
 * One LanOfferFileRow per file or folder. For an offer made to us: Save All
 * and Decline while it is open; for one of ours: who fetched it (or that it
 * waits, was declined or expired) and Withdraw. The card follows the
 * messenger's transfers of this offer, so a row that scrolls out of view
 * and back, or a window opened later, shows where each file is.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lan-messenger-files.h"

G_BEGIN_DECLS

#define LAN_TYPE_OFFER_CARD (lan_offer_card_get_type ())
G_DECLARE_FINAL_TYPE (LanOfferCard, lan_offer_card, LAN, OFFER_CARD, GtkWidget)

/* @offer: a message with files. Returns: (transfer floating) */
GtkWidget  *lan_offer_card_new             (LanMessenger *messenger,
                                            LanMessage   *offer);
/* Returns: (transfer none): the offer shown. */
LanMessage *lan_offer_card_get_offer       (LanOfferCard *self);
/* Returns: (transfer none): the line under the files ("Fetched by Bob", …), "" when none. */
const char *lan_offer_card_get_status_text (LanOfferCard *self);

G_END_DECLS
