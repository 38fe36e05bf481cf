/* lan-offer-format.h — files offered and moving, in words for a person.
 *
 * Shared by the offer card, its file rows and the notifications, so that
 * all three say the same thing about the same offer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lan-file-transfer.h"
#include "lan-ipmsg.h"

G_BEGIN_DECLS

gboolean  lan_offer_file_is_folder     (const LanIpmsgFile *file);
/* The record's name as shown (one line, controls made visible).
 * Returns: (transfer full) */
char     *lan_offer_file_dup_name      (const LanIpmsgFile *file);
/* Whether @name ends in .png, .jpg, .jpeg, .gif or .webp (any case): a
 * picture worth a thumbnail once saved. */
gboolean  lan_offer_name_is_image      (const char         *name);
/* A symbolic icon for @name by its extension, or a folder's.
 * Returns: (transfer full) */
GIcon    *lan_offer_dup_icon           (const char         *name,
                                        gboolean            is_folder);
/* "report.pdf (1.2 MB)", "photos (folder)", "3 files, 4.5 MB: a.txt, b.png, …".
 * Returns: (transfer full) */
char     *lan_offer_format_summary     (GPtrArray          *files);
/* "2 min left", "5 s left"; NULL when unknown (negative).
 * Returns: (transfer full) (nullable) */
char     *lan_offer_format_time_left   (gint64              seconds);
/* What a transfer is at: "1.2 MB of 4.0 MB · 3.1 MB/s · 2 s left",
 * "Saved", "Failed: why", …
 * Returns: (transfer full) */
char     *lan_offer_format_transfer    (LanFileTransfer    *transfer);

G_END_DECLS
