/* lan-packet-filter-term.h — one term of a packet filter query: what the
 * parser (lan-packet-filter-parse.c) makes of the text and the matcher
 * (lan-packet-filter-match.c) tests rows against. Only LanPacketFilter
 * (lan-packet-filter.c) uses these; other code goes through that object.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lan-packet-log.h"
#include "lan-peer-list.h"

G_BEGIN_DECLS

typedef enum {
  LAN_PACKET_FILTER_KEY_DIR,
  LAN_PACKET_FILTER_KEY_VERDICT,
  LAN_PACKET_FILTER_KEY_FROM,
  LAN_PACKET_FILTER_KEY_TO,
  LAN_PACKET_FILTER_KEY_CMD,
  LAN_PACKET_FILTER_KEY_PEER,
  LAN_PACKET_FILTER_KEY_PROTO,
  LAN_PACKET_FILTER_KEY_WORD,
} LanPacketFilterKey;

/* An address block; port 0 is any port. */
typedef struct {
  guint32 address;
  guint32 mask;
  guint16 port;
} LanPacketFilterBlock;

typedef struct {
  LanPacketFilterKey  key;
  gboolean            negate;
  char               *canonical;  /* for compare: "-cmd:32,33", "word:hello" */
  int                 cost;       /* cheap terms run first */

  LanDirection        direction;
  guint32             verdicts;   /* bit per LanVerdict */
  gboolean            tcp;        /* proto: TCP rows (else UDP ones) */
  guint8              modes[32];  /* bit per command mode */
  GArray             *blocks;     /* LanPacketFilterBlock: from, to, and peer given as addresses */
  GPtrArray          *needles;    /* case-folded text: words, and peer given as names */
  gboolean            ascii;      /* every needle is ASCII: ASCII rows need no folding */
} LanPacketFilterTerm;

void     lan_packet_filter_term_free      (LanPacketFilterTerm *term);

/* lan-packet-filter-parse.c: appends the terms of @query (valid UTF-8) to
 * @terms, which frees them with lan_packet_filter_term_free(). On an error
 * sets @error and @error_start/@error_end (characters, when given) as
 * lan_packet_filter_new() documents, and returns FALSE. */
gboolean lan_packet_filter_parse_terms    (const char          *query,
                                           GPtrArray           *terms,
                                           int                 *error_start,
                                           int                 *error_end,
                                           GError             **error);
/* No byte of @text is above 0x7f. */
gboolean lan_packet_filter_text_is_ascii  (const char          *text);

/* lan-packet-filter-match.c: whether @entry matches @term, before its
 * negation is applied. @peers (nullable) gives peer: its nicknames. */
gboolean lan_packet_filter_term_matches   (LanPacketFilterTerm *term,
                                           LanPeerList         *peers,
                                           LanPacketLogEntry   *entry);

G_END_DECLS
