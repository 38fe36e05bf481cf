/* lan-offer-saved.h — where each file fetched in this run was saved, noted
 * in history (lan_history_files_set_saved) as soon as its fetch is done,
 * whether or not its card is on screen then: after a restart the card
 * offers Open and Show in Folder instead of Save.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lan-messenger-files.h"

G_BEGIN_DECLS

typedef struct _LanOfferSaved LanOfferSaved;

/* Follows @messenger's transfers until freed. Returns: (transfer full) */
LanOfferSaved *lan_offer_saved_new  (LanMessenger  *messenger);
void           lan_offer_saved_free (LanOfferSaved *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LanOfferSaved, lan_offer_saved_free)

G_END_DECLS
