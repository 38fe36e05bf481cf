/* lan-entry.h — our entry packet (BR_ENTRY, ANSENTRY, BR_ABSENCE, BR_EXIT)
 * in the form each reader decodes (lan_dialect_entry_form), and the
 * unicast copies that readers of another dialect need after a broadcast.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lan-dialect.h"
#include "lan-peer-list.h"
#include "lan-wire.h"

G_BEGIN_DECLS

/* What we announce. */
typedef struct {
  const char *nickname;          /* never NULL */
  const char *group;             /* never NULL, may be "" */
  gboolean    away;
  const char *away_text;         /* may be NULL */
  gboolean    away_in_nickname;  /* decorate: "nick[away text]", as IP Messenger users do */
  const char *instance_id;       /* "LI:" in the UTF-8 block (which machine we are); may be NULL */
} LanEntryInfo;

/* The nickname as announced: decorated while away when asked to.
 * (transfer full) */
char    *lan_entry_shown_nickname (const LanEntryInfo *info);
/* Our entry packet with @mode, for @to (NULL: the broadcast form).
 * (transfer full) */
GBytes  *lan_entry_build          (LanWire            *wire,
                                   const LanEntryInfo *info,
                                   guint32             mode,
                                   const LanDialect   *to);
/* Whether @to needs a datagram other than the broadcast one to read @info. */
gboolean lan_entry_needs_copy     (LanWire            *wire,
                                   const LanEntryInfo *info,
                                   const LanDialect   *to);
/* After a broadcast of @mode: a unicast copy to every listed peer whose
 * dialect reads the broadcast wrong. */
void     lan_entry_send_copies    (LanWire            *wire,
                                   LanPeerList        *peers,
                                   const LanEntryInfo *info,
                                   guint32             mode);

/* The lines of an entry's UTF-8 block that presence reads, found in one
 * pass: each value points into the packet (not NUL-terminated; NULL when
 * the block has no such line) and lives as long as the packet. */
typedef enum {
  LAN_ENTRY_BLOCK_NN,
  LAN_ENTRY_BLOCK_GN,
  LAN_ENTRY_BLOCK_UN,
  LAN_ENTRY_BLOCK_HN,
  LAN_ENTRY_BLOCK_LI,
  LAN_ENTRY_BLOCK_N_KEYS
} LanEntryBlockKey;

typedef struct {
  const char *value[LAN_ENTRY_BLOCK_N_KEYS];
  gsize       length[LAN_ENTRY_BLOCK_N_KEYS];
} LanEntryBlock;

/* Fills @block from @packet's UTF-8 block (as
 * lan_ipmsg_packet_parse_utf8_block + lan_ipmsg_utf8_block_lookup would,
 * the first line of a key winning), without copying. */
void     lan_entry_block_read     (const LanIpmsgPacket *packet,
                                   LanEntryBlock        *block);

/* Read an entry packet of @peer: its dialect first (what the packet
 * teaches), then its names in it, the UTF-8 block (lan_entry_block_read)
 * winning. */
void     lan_entry_learn          (LanWire              *wire,
                                   LanPeer              *peer,
                                   const LanIpmsgPacket *packet,
                                   const LanEntryBlock  *block);
/* A new, unlisted peer at @from named from @packet's header (see
 * lan_presence_make_peer). Returns: (transfer full) */
LanPeer *lan_entry_new_peer       (LanWire              *wire,
                                   LanEndpoint           from,
                                   const LanIpmsgPacket *packet);
/* The user and host @packet names, as a peer new at its address would be
 * named by lan_entry_learn (the packet alone teaching its charset).
 * (transfer full) both */
void     lan_entry_claimed_names  (LanWire              *wire,
                                   const LanIpmsgPacket *packet,
                                   const LanEntryBlock  *block,
                                   char                **out_user,
                                   char                **out_host);

/* Queues the answer @mode with @text (SENDINFO, SENDABSENCEINFO) to the
 * sender of @context, in the charset it reads. */
void     lan_entry_reply_text     (LanWire              *wire,
                                   LanPacketContext     *context,
                                   guint32               mode,
                                   const char           *text);

G_END_DECLS
