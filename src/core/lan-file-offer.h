/* lan-file-offer.h — the offers of files we made, and what each may serve.
 *
 * An offer is the files of one SENDMSG|FILEATTACHOPT of ours, for the peer
 * (identity key and address) it was sent to. The file server looks a
 * request up here by packet number, file id and the address the request
 * came from: a file is served only while its offer is open and only to that
 * address. An offer ends when the peer releases it (RELEASEFILES from that
 * address: LAN_OFFER_DONE if every file was served to the end at least
 * once, else LAN_OFFER_DECLINED), when we withdraw it (LAN_OFFER_WITHDRAWN)
 * or after LAN_OFFER_LIFETIME_S (LAN_OFFER_EXPIRED); the message's
 * offer-state says which. Bounds: lan-bounds.h (LAN_MAX_OFFERS*).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lan-message.h"
#include "lan-types.h"

G_BEGIN_DECLS

typedef struct {
  guint64   file_id;
  GFile    *file;      /* what is read */
  char     *name;      /* UTF-8, as offered (the local display name) */
  guint64   size;      /* bytes announced (0 for a folder) */
  guint64   mtime;     /* seconds since the epoch */
  gboolean  is_dir;
  gboolean  served;    /* streamed to its end at least once */
} LanOfferedFile;

typedef struct {
  guint64      packet_no;
  char        *peer_key;     /* lan_peer_get_key of the peer it went to */
  LanEndpoint  to;           /* its UDP endpoint; fetches must come from to.address */
  LanMessage  *message;      /* ours, with the files set */
  GPtrArray   *files;        /* LanOfferedFile */
  gint64       created_us;   /* g_get_real_time */
  gint64       expires_us;
  gboolean     open;         /* FALSE once removed from the table */
  grefcount    ref_count;
} LanFileOffer;

/* A connection that serves a file keeps its offer alive with a reference
 * even if the offer ends meanwhile. (transfer full) */
LanFileOffer   *lan_file_offer_ref          (LanFileOffer *offer);
void            lan_file_offer_unref        (LanFileOffer *offer);
/* (transfer none) (nullable) */
LanOfferedFile *lan_file_offer_get_file     (LanFileOffer *offer,
                                             guint64       file_id);
/* Every file of it was served to its end at least once. */
gboolean        lan_file_offer_all_served   (LanFileOffer *offer);

/* (transfer full) */
LanOfferedFile *lan_offered_file_new        (guint64       file_id,
                                             GFile        *file,
                                             const char   *name,
                                             guint64       size,
                                             guint64       mtime,
                                             gboolean      is_dir);
void            lan_offered_file_free       (LanOfferedFile *file);

#define LAN_TYPE_FILE_OFFERS (lan_file_offers_get_type ())
G_DECLARE_FINAL_TYPE (LanFileOffers, lan_file_offers, LAN, FILE_OFFERS, GObject)

/* @max_total, @max_per_peer: LAN_MAX_OFFERS, LAN_MAX_OFFERS_PER_PEER in the
 * engine; @lifetime_s: LAN_OFFER_LIFETIME_S. Tests pass smaller ones.
 * Returns: (transfer full) */
LanFileOffers  *lan_file_offers_new         (guint          max_total,
                                             guint          max_per_peer,
                                             guint          lifetime_s);
/* Remember @message's offer of @files (takes them: element-type
 * LanOfferedFile) to @peer_key at @to, from @now_us (real time). Past a
 * bound the oldest offer (to that peer first) ends as expired.
 * Returns: (transfer none): the offer, valid while it is open */
LanFileOffer   *lan_file_offers_add         (LanFileOffers *self,
                                             LanMessage    *message,
                                             const char    *peer_key,
                                             LanEndpoint    to,
                                             GPtrArray     *files,
                                             gint64         now_us);
/* The open offer with @packet_no, or NULL. (transfer none) (nullable) */
LanFileOffer   *lan_file_offers_lookup      (LanFileOffers *self,
                                             guint64        packet_no);
/* What a fetch of @file_id of @packet_no from @address may read, or NULL
 * with *@why (transfer full) saying in words why not: no such offer, no
 * such file in it, or offered to another address.
 * Returns: (transfer none) (nullable) */
LanOfferedFile *lan_file_offers_find        (LanFileOffers *self,
                                             guint64        packet_no,
                                             guint64        file_id,
                                             guint32        address,
                                             LanFileOffer **out_offer,
                                             char         **why);
/* RELEASEFILES for @packet_no from @address: ends the offer (done or
 * declined) if it was made to @address. FALSE when there is no such open
 * offer to @address (nothing changes). */
gboolean        lan_file_offers_release     (LanFileOffers *self,
                                             guint64        packet_no,
                                             guint32        address);
/* We take @message's offer back. FALSE when it wasn't open. */
gboolean        lan_file_offers_withdraw    (LanFileOffers *self,
                                             LanMessage    *message);
/* End every offer whose time is up at @now_us; returns how many. The table
 * calls it itself from a timer set for the next expiry (none while empty). */
guint           lan_file_offers_expire      (LanFileOffers *self,
                                             gint64         now_us);
/* The peer of @packet_no's offer answers from @to now (a queued offer went
 * out to where the person came back). */
void            lan_file_offers_move        (LanFileOffers *self,
                                             guint64        packet_no,
                                             LanEndpoint    to);
guint           lan_file_offers_get_n_open  (LanFileOffers *self);
guint           lan_file_offers_count_for   (LanFileOffers *self,
                                             const char    *peer_key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LanOfferedFile, lan_offered_file_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LanFileOffer, lan_file_offer_unref)

G_END_DECLS
