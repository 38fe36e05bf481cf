/* lan-dialect.h — which charset a peer reads and writes: the one policy.
 *
 * Every decision about an encoding goes through here: the engine's reading
 * and writing, the packet log's Info column, the dissector and the
 * inspector. Callers keep a LanDialect per peer (a plain value: what its
 * entry packets told us) and pass it; a view with a single packet and no
 * peer learns one from that packet, so it decodes what the engine would
 * have decoded from the same bytes.
 *
 * Reading a field (ipmsg-notes.md): the packet's UTF8OPT flag → iptux's
 * "utf-8" marker, checked against the bytes (a marker over bytes that are
 * not UTF-8 is iptux writing GB18030 anyway) → bytes that are valid UTF-8
 * → the peer's legacy encoding. Writing: UTF-8 with UTF8OPT to peers that
 * announced CAPUTF8OPT (or, like g2ipmsg, UTF8OPT on an entry) and to peers
 * we know nothing of yet; UTF-8 without the flag to iptux-marker peers;
 * the legacy encoding to everyone else and in whatever every client must
 * read (broadcasts, an entry's legacy nickname and group).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "lan-charset.h"
#include "lan-ipmsg.h"

G_BEGIN_DECLS

/* The user's choice for one peer, over whatever was learned. */
typedef enum {
  LAN_DIALECT_AUTOMATIC,
  LAN_DIALECT_FORCE_UTF8,
  LAN_DIALECT_FORCE_GB18030,
  LAN_DIALECT_FORCE_CP932,
} LanDialectOverride;

/* What we know of how one peer writes. Zeroed plus lan_dialect_init() is
 * "nothing known yet". */
typedef struct {
  gboolean          entry_seen;    /* an entry packet (BR_ENTRY, ANSENTRY, BR_ABSENCE) came */
  guint32           capabilities;  /* its option bits (LAN_IPMSG_OPTIONS) */
  gboolean          utf8_marker;   /* iptux's marker, and that entry's text was UTF-8 */
  /* Its non-UTF-8 text: the configured encoding, or the one its entry
   * proved (a legacy nickname that reads as its UTF-8 block's NN:). */
  LanLegacyEncoding legacy;
  gboolean          legacy_proven; /* @legacy came from its entry, not from our setting */
  LanDialectOverride override;
} LanDialect;

/* How our entry packet is built for one reader (lan_dialect_entry_form). */
typedef struct {
  gboolean utf8_fields;  /* legacy nickname and group (and header) in UTF-8 */
  gboolean utf8_block;   /* the draft-14 block after them */
} LanDialectEntryForm;

/* Which rule a piece of text follows. */
typedef enum {
  /* Text to or from this peer: messages, replies, names in headers,
   * attachment names. Read by the rule above; written as the peer reads. */
  LAN_DIALECT_PEER_TEXT,
  /* What every client must read: broadcasts, an entry's nickname and
   * group. Read by the rule; always written in the legacy encoding. */
  LAN_DIALECT_LEGACY_TEXT,
  /* Always UTF-8: the draft-14 UTF-8 block; our own header's user and host. */
  LAN_DIALECT_UTF8_TEXT,
} LanDialectText;

void      lan_dialect_init            (LanDialect           *self,
                                       LanLegacyEncoding     legacy);
/* Learn from a packet of the peer: entry packets set capabilities, the
 * marker (checked against the bytes) and, when its block proves it, the
 * legacy encoding. Other packets teach nothing. */
void      lan_dialect_learn           (LanDialect           *self,
                                       const LanIpmsgPacket *packet);
/* The same from a scan of @data (for bytes the codec may not take whole,
 * as the dissector sees them). */
void      lan_dialect_learn_scan      (LanDialect           *self,
                                       const guint8         *data,
                                       const LanIpmsgScan   *scan);
/* What a view knows with one packet and no peer: @legacy, plus what
 * @packet (may be NULL) teaches. */
LanDialect lan_dialect_for_packet     (const LanIpmsgPacket *packet,
                                       LanLegacyEncoding     legacy);

/* The configured encoding, for a dialect whose entry proved none. */
void      lan_dialect_set_default_legacy (LanDialect        *self,
                                          LanLegacyEncoding  legacy);
/* The charset it reads, after the override: what the peer's menu shows. */
LanDialectOverride lan_dialect_get_effective (const LanDialect *self);

/* Our entry for @to (NULL: the broadcast everyone hears). See the policy
 * in lan-dialect.c. */
LanDialectEntryForm lan_dialect_entry_form (const LanDialect *to);

/* "automatic", "utf-8", "gb18030", "cp932" (transfer none) */
const char *lan_dialect_override_to_string   (LanDialectOverride  override);
gboolean    lan_dialect_override_from_string (const char         *name,
                                              LanDialectOverride *out_override);
/* A compact text of what was learned, for history, and back. from_string
 * leaves @self as it was on text it doesn't understand. (transfer full) */
char       *lan_dialect_to_string            (const LanDialect   *self);
gboolean    lan_dialect_from_string          (LanDialect         *self,
                                              const char         *text);

/* Whether we write UTF-8 to this peer, and whether we flag it UTF8OPT. */
gboolean  lan_dialect_takes_utf8      (const LanDialect     *self);
gboolean  lan_dialect_wants_utf8_flag (const LanDialect     *self);

/* Decode @len bytes (anything, NULs included) of a packet with @command
 * from this peer into valid UTF-8; never fails. @out_used and @out_lossy
 * as lan_charset_decode(); may be NULL. (transfer full) */
char     *lan_dialect_decode          (const LanDialect     *self,
                                       guint32               command,
                                       LanDialectText        text,
                                       const guint8         *data,
                                       gsize                 len,
                                       LanDecodedAs         *out_used,
                                       gboolean             *out_lossy);
/* Encode UTF-8 @text for this peer. When the result is UTF-8 the peer
 * expects flagged, LAN_IPMSG_UTF8OPT is or'ed into *@inout_command (may be
 * NULL when the text goes into no packet of its own). @out_lossy as
 * lan_charset_encode(). (transfer full) */
GBytes   *lan_dialect_encode          (const LanDialect     *self,
                                       LanDialectText        text,
                                       const char           *utf8_text,
                                       guint32              *inout_command,
                                       gboolean             *out_lossy);

G_END_DECLS
