/* lan-ipmsg.h — the IPMsg wire codec: bytes to packets and back.
 *
 * Pure functions: no sockets, no globals, no allocation that outlives the
 * returned objects. Text fields are kept as the raw bytes that came off the
 * wire; decoding them is lan-charset's job, because the right encoding
 * depends on the peer, not on the packet alone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "lan-ipmsg-scan.h"

G_BEGIN_DECLS

#define LAN_IPMSG_DEFAULT_PORT 2425
/* What we read: larger than any UDP payload over IPv4, so a whole datagram always fits. */
#define LAN_IPMSG_MAX_DATAGRAM 65536
/* What we send to peers of unknown kind: iptux reads no more than 8 KiB. */
#define LAN_IPMSG_SAFE_DATAGRAM 8192

#define LAN_IPMSG_MODE(command)    ((command) & 0x000000ffu)
#define LAN_IPMSG_OPTIONS(command) ((command) & 0xffffff00u)

typedef enum {
  LAN_IPMSG_NOOPERATION     = 0x00,
  LAN_IPMSG_BR_ENTRY        = 0x01,
  LAN_IPMSG_BR_EXIT         = 0x02,
  LAN_IPMSG_ANSENTRY        = 0x03,
  LAN_IPMSG_BR_ABSENCE      = 0x04,
  LAN_IPMSG_BR_ISGETLIST    = 0x10,
  LAN_IPMSG_OKGETLIST       = 0x11,
  LAN_IPMSG_GETLIST         = 0x12,
  LAN_IPMSG_ANSLIST         = 0x13,
  LAN_IPMSG_SENDMSG         = 0x20,
  LAN_IPMSG_RECVMSG         = 0x21,
  LAN_IPMSG_READMSG         = 0x30,
  LAN_IPMSG_DELMSG          = 0x31,
  LAN_IPMSG_ANSREADMSG      = 0x32,
  LAN_IPMSG_GETINFO         = 0x40,
  LAN_IPMSG_SENDINFO        = 0x41,
  LAN_IPMSG_GETABSENCEINFO  = 0x50,
  LAN_IPMSG_SENDABSENCEINFO = 0x51,
  LAN_IPMSG_GETFILEDATA     = 0x60,
  LAN_IPMSG_RELEASEFILES    = 0x61,
  LAN_IPMSG_GETDIRFILES     = 0x62,
  LAN_IPMSG_GETPUBKEY       = 0x72,
  LAN_IPMSG_ANSPUBKEY       = 0x73,
  /* iptux private commands */
  LAN_IPMSG_IPTUX_SENDMSG   = 0xfb,
  LAN_IPMSG_IPTUX_SEND_SIGN = 0xfc,
  LAN_IPMSG_IPTUX_SENDSUBLAYER = 0xfd,
  LAN_IPMSG_IPTUX_SENDICON  = 0xfe,
  LAN_IPMSG_IPTUX_ASKSHARED = 0xff,
} LanIpmsgCommand;

/* Options valid on any command (entry packets mostly). */
typedef enum {
  LAN_IPMSG_ABSENCEOPT    = 0x00000100,
  LAN_IPMSG_SERVEROPT     = 0x00000200,
  LAN_IPMSG_DIALUPOPT     = 0x00010000,
  LAN_IPMSG_FILEATTACHOPT = 0x00200000,
  LAN_IPMSG_ENCRYPTOPT    = 0x00400000,
  LAN_IPMSG_UTF8OPT       = 0x00800000,
  LAN_IPMSG_CAPUTF8OPT    = 0x01000000,
} LanIpmsgEntryOption;

/* Options on SENDMSG (the same bits mean other things on other commands). */
typedef enum {
  LAN_IPMSG_SENDCHECKOPT  = 0x00000100,
  LAN_IPMSG_SECRETOPT     = 0x00000200,
  LAN_IPMSG_BROADCASTOPT  = 0x00000400,
  LAN_IPMSG_MULTICASTOPT  = 0x00000800,
  LAN_IPMSG_AUTORETOPT    = 0x00002000,
  LAN_IPMSG_RETRYOPT      = 0x00004000,
  LAN_IPMSG_PASSWORDOPT   = 0x00008000,
  LAN_IPMSG_NOLOGOPT      = 0x00020000,
  LAN_IPMSG_NOADDLISTOPT  = 0x00080000,
  LAN_IPMSG_READCHECKOPT  = 0x00100000,
} LanIpmsgSendOption;

/* File attribute low byte. */
typedef enum {
  LAN_IPMSG_FILE_REGULAR = 1,
  LAN_IPMSG_FILE_DIR     = 2,
  LAN_IPMSG_FILE_RETPARENT = 3,
} LanIpmsgFileType;

#define LAN_IPMSG_ERROR (lan_ipmsg_error_quark ())

typedef enum {
  LAN_IPMSG_ERROR_EMPTY,          /* zero bytes */
  LAN_IPMSG_ERROR_TOO_FEW_FIELDS, /* fewer than 5 ':'-separated header fields */
  LAN_IPMSG_ERROR_NUL_IN_HEADER,  /* a NUL byte before the extra part */
  LAN_IPMSG_ERROR_BAD_VERSION,    /* version field's leading integer is not 1 */
  LAN_IPMSG_ERROR_BAD_NUMBER,     /* packet-no or command not a decimal number, or overflowing */
  LAN_IPMSG_ERROR_TOO_LARGE,      /* more than LAN_IPMSG_MAX_DATAGRAM bytes */
  LAN_IPMSG_ERROR_BAD_FILE_LIST,  /* an attachment record that can't be read */
  LAN_IPMSG_ERROR_BAD_FIELD,      /* a field we build contains ':' or NUL where it may not */
} LanIpmsgError;

/* One attachment record: `fileID:name:size:mtime:attr[:ext=val…]:`. */
typedef struct {
  guint64 file_id;
  char *name;      /* raw bytes of the name, "::" already undone; never NULL */
  guint64 size;
  guint64 mtime;
  guint32 attr;    /* low byte: LanIpmsgFileType; higher bits: flags */
  GStrv extras;    /* "key=value" strings, raw; never NULL */
} LanIpmsgFile;

/* One key of the draft-14 UTF-8 block (`UN:`, `HN:`, `NN:`, `GN:`, and unknown ones kept). */
typedef struct {
  char *key;
  char *value; /* as sent; valid UTF-8 is not guaranteed — check before showing */
} LanIpmsgUtf8Field;

typedef struct {
  char *version;      /* raw version field, e.g. "1", "1_iptux 0.8.3", "1_lbt6_0#128#…" */
  guint64 packet_no;
  char *user;         /* raw bytes, no NUL, no ':' */
  char *host;
  guint32 command;    /* mode | options */
  GBytes *extra;      /* everything after the 5th ':', including further ':' and NULs */
  /* The extra part split at NUL bytes; each a GBytes. A trailing NUL gives a
   * trailing empty section, so "nick\0group\0" is 3 sections. Never NULL,
   * at least one section (possibly empty). */
  GPtrArray *sections;
  /* What the one pass over the bytes found (lan-ipmsg-scan.h): header spans
   * count from the datagram's first byte, extra-part spans likewise, with
   * scan.extra.offset where @extra begins. A packet built with
   * lan_ipmsg_packet_new() has no header spans; its extra-part spans count
   * from @extra. Read it with lan_ipmsg_packet_get_scan(). */
  LanIpmsgScan scan;
} LanIpmsgPacket;

GQuark          lan_ipmsg_error_quark        (void);

/* Parse one datagram: one scan (lan_ipmsg_scan), kept in the packet. On
 * failure returns NULL and sets @error (LAN_IPMSG_ERROR) with a message that
 * says what was wrong and where. (transfer full) (nullable) */
LanIpmsgPacket *lan_ipmsg_packet_parse       (const guint8  *data,
                                              gsize          len,
                                              GError       **error);
/* (transfer full) */
LanIpmsgPacket *lan_ipmsg_packet_new         (const char    *version,
                                              guint64        packet_no,
                                              const char    *user,
                                              const char    *host,
                                              guint32        command,
                                              const guint8  *extra,
                                              gsize          extra_len);
void            lan_ipmsg_packet_free        (LanIpmsgPacket *packet);
/* Serialize. Fails (LAN_IPMSG_ERROR_BAD_FIELD) when version/user/host contain ':'
 * or NUL, which would make the datagram unreadable. (transfer full) (nullable) */
GBytes         *lan_ipmsg_packet_to_bytes    (const LanIpmsgPacket *packet,
                                              GError       **error);

static inline guint32 lan_ipmsg_packet_mode    (const LanIpmsgPacket *p) { return LAN_IPMSG_MODE (p->command); }
static inline guint32 lan_ipmsg_packet_options (const LanIpmsgPacket *p) { return LAN_IPMSG_OPTIONS (p->command); }

/* Section @index of the extra part as a newly allocated NUL-terminated
 * string of its raw bytes, or NULL when the packet has fewer sections.
 * (transfer full) (nullable) */
char           *lan_ipmsg_packet_dup_section (const LanIpmsgPacket *packet,
                                              guint          index);
/* Raw bytes of section @index, or NULL. Borrowed: valid as long as @packet.
 * (transfer none) (nullable) */
GBytes         *lan_ipmsg_packet_get_section (const LanIpmsgPacket *packet,
                                              guint          index);
/* The packet's scan (see LanIpmsgPacket.scan). Normally the one kept in
 * @packet; if the command was changed after the scan, the extra part is
 * read again into @scratch under the new one. (transfer none) */
const LanIpmsgScan *lan_ipmsg_packet_get_scan (const LanIpmsgPacket *packet,
                                               LanIpmsgScan  *scratch);

/* The draft-14 UTF-8 block of an entry packet (BR_ENTRY/ANSENTRY/BR_ABSENCE):
 * the section after the group, when it starts with '\n'. Returns an array of
 * LanIpmsgUtf8Field (element free func set), empty when there is none.
 * The block is the one the scan found: nothing is read again.
 * (transfer full) */
GPtrArray      *lan_ipmsg_packet_parse_utf8_block (const LanIpmsgPacket *packet);
/* Look up @key ("NN", "UN", …) in the result of the above, or NULL.
 * (transfer none) (nullable) */
const char     *lan_ipmsg_utf8_block_lookup  (GPtrArray     *fields,
                                              const char    *key);
/* Build a UTF-8 block: "\nUN:user\nHN:host\nNN:nick\nGN:group\n". Any value may be NULL.
 * (transfer full) */
char           *lan_ipmsg_build_utf8_block   (const char    *user,
                                              const char    *host,
                                              const char    *nickname,
                                              const char    *group);
/* TRUE when an entry packet carries iptux's "utf-8" marker in a later section. */
gboolean        lan_ipmsg_packet_has_iptux_utf8_marker (const LanIpmsgPacket *packet);

/* Attachment records of a SENDMSG|FILEATTACHOPT: parse section 1 (after the
 * body's NUL). Returns a GPtrArray of LanIpmsgFile (free func set), or NULL
 * with LAN_IPMSG_ERROR_BAD_FILE_LIST. An empty list is an empty array.
 * (transfer full) (nullable) */
GPtrArray      *lan_ipmsg_parse_file_list    (const guint8  *data,
                                              gsize          len,
                                              GError       **error);
/* Append one record (with its trailing ':' and '\a'), doubling ':' in the name. */
void            lan_ipmsg_append_file_record (GString       *out,
                                              const LanIpmsgFile *file);
void            lan_ipmsg_file_free          (LanIpmsgFile  *file);
void            lan_ipmsg_utf8_field_free    (LanIpmsgUtf8Field *field);

/* Display names. lan_ipmsg_command_name() returns e.g. "SENDMSG", or NULL for
 * an unknown mode. lan_ipmsg_describe_options() names each set option bit the
 * way the mode reads it ("SENDCHECKOPT|UTF8OPT"), unknown bits as hex;
 * returns "" when none are set. command_name: (transfer none) (nullable);
 * describe_options: (transfer full). */
const char     *lan_ipmsg_command_name       (guint32        command);
char           *lan_ipmsg_describe_options   (guint32        command);
/* "SENDMSG|SENDCHECKOPT|UTF8OPT" or "0x7a|…" for unknown modes. (transfer full) */
char           *lan_ipmsg_describe_command   (guint32        command);
/* TRUE for BR_ENTRY, ANSENTRY, BR_ABSENCE (packets that carry nickname/group). */
gboolean        lan_ipmsg_is_entry_mode      (guint32        command);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LanIpmsgPacket, lan_ipmsg_packet_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LanIpmsgFile, lan_ipmsg_file_free)

G_END_DECLS
