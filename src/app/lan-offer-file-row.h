/* lan-offer-file-row.h — one file or folder of an offer, in its card.
 *
 * Its name, size and icon; once it moves, a progress bar with the rate and
 * the time left and Cancel; when it failed, why and Retry; once saved,
 * Open and Show in Folder, and a thumbnail for a picture (also for one an
 * earlier run saved, while it is where history says). For an incoming
 * offer still open and not saved: Save (into the download folder) and
 * Save As.
 * "state-changed" tells the card when its transfer is replaced or moves on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lan-ipmsg.h"
#include "lan-messenger-files.h"

G_BEGIN_DECLS

#define LAN_TYPE_OFFER_FILE_ROW (lan_offer_file_row_get_type ())
G_DECLARE_FINAL_TYPE (LanOfferFileRow, lan_offer_file_row, LAN, OFFER_FILE_ROW, GtkWidget)

/* Returns: (transfer floating): a row for @file of @offer. */
GtkWidget       *lan_offer_file_row_new          (LanMessenger       *messenger,
                                                  LanMessage         *offer,
                                                  const LanIpmsgFile *file);
guint64          lan_offer_file_row_get_file_id  (LanOfferFileRow    *self);
/* The transfer shown (NULL: none yet). */
void             lan_offer_file_row_set_transfer (LanOfferFileRow    *self,
                                                  LanFileTransfer    *transfer);
/* Returns: (transfer none) (nullable) */
LanFileTransfer *lan_offer_file_row_get_transfer (LanOfferFileRow    *self);
/* Whether Save would fetch it now: incoming, offer open, nothing saved or moving. */
gboolean         lan_offer_file_row_can_save     (LanOfferFileRow    *self);
/* Whether it is saved (in this run or an earlier one) and still there: Open shown. */
gboolean         lan_offer_file_row_is_saved     (LanOfferFileRow    *self);
/* Fetch it into the download folder; a refusal is shown in the row. */
void             lan_offer_file_row_save         (LanOfferFileRow    *self);
/* The offer's state changed: buttons again. */
void             lan_offer_file_row_update       (LanOfferFileRow    *self);
/* Whether a thumbnail is shown (a saved picture). */
gboolean         lan_offer_file_row_has_thumbnail (LanOfferFileRow   *self);

G_END_DECLS
