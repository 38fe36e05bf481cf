/* lan-dir-stream.h — the GETDIRFILES stream: a folder as headers and contents.
 *
 * Each entry is `header-size:name:size:attr[:ext=val…]:` followed, for a
 * regular file, by exactly `size` bytes. header-size is hexadecimal (iptux
 * and IP Messenger write 4 digits) and counts from its own first byte through
 * the ':' before the data; name doubles ':'; size and attr are hexadecimal.
 * A directory entry (attr low byte 2) descends into it, a return-to-parent
 * entry (3, named ".") goes back up; the stream ends when the top folder is
 * left. The parser is push-style, bounded, and never trusts the peer: a name
 * is returned raw (the fetcher makes it safe), depth and entry counts are
 * limited, and a return above the top is an error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define LAN_DIR_STREAM_MAX_HEADER   0xffff  /* what 4 hex digits can say */
#define LAN_DIR_STREAM_MAX_DEPTH    64
#define LAN_DIR_STREAM_MAX_ENTRIES  1000000

#define LAN_DIR_STREAM_ERROR (lan_dir_stream_error_quark ())
typedef enum {
  LAN_DIR_STREAM_ERROR_BAD_HEADER,  /* a header that can't be read; the message says where and why */
  LAN_DIR_STREAM_ERROR_TOO_DEEP,    /* more than LAN_DIR_STREAM_MAX_DEPTH levels */
  LAN_DIR_STREAM_ERROR_TOO_MANY,    /* more than LAN_DIR_STREAM_MAX_ENTRIES entries */
  LAN_DIR_STREAM_ERROR_CLIMB,       /* a return-to-parent above the folder asked for */
  LAN_DIR_STREAM_ERROR_TRAILING,    /* bytes after the stream's end */
} LanDirStreamError;

GQuark lan_dir_stream_error_quark (void);

/* One header, as read. */
typedef struct {
  char    *name;    /* raw bytes, "::" undone, NUL-terminated; may be anything (check it) */
  guint64  size;
  guint32  attr;    /* low byte: LanIpmsgFileType */
  GStrv    extras;  /* "key=value", raw; never NULL */
  guint    depth;   /* 1 for the top folder's own header, 2 inside it, … */
} LanDirEntry;

void lan_dir_entry_free (LanDirEntry *entry);

typedef enum {
  LAN_DIR_EVENT_NEED_MORE,  /* every byte given was consumed; feed more */
  LAN_DIR_EVENT_ENTER,      /* a directory header: lan_dir_stream_parser_get_entry() */
  LAN_DIR_EVENT_FILE,       /* a regular file header; its DATA events follow */
  LAN_DIR_EVENT_DATA,       /* the consumed bytes are contents of the current file */
  LAN_DIR_EVENT_FILE_END,   /* the current file's last byte was given */
  LAN_DIR_EVENT_LEAVE,      /* a return-to-parent: back up one level */
  LAN_DIR_EVENT_OTHER,      /* an entry of another type (kept for the log, no data) */
  LAN_DIR_EVENT_END,        /* the top folder was left: the stream is complete */
  LAN_DIR_EVENT_ERROR,      /* see @error; the parser stays in error */
} LanDirEvent;

typedef struct _LanDirStreamParser LanDirStreamParser;

/* (transfer full) */
LanDirStreamParser *lan_dir_stream_parser_new      (void);
void                lan_dir_stream_parser_free     (LanDirStreamParser *parser);
/* Read from @data (@len bytes). Sets *@consumed to how many bytes of @data
 * were used and returns what they made: call again with the rest. For
 * LAN_DIR_EVENT_DATA the used bytes are data[0 .. *consumed). */
LanDirEvent         lan_dir_stream_parser_feed     (LanDirStreamParser *parser,
                                                    const guint8       *data,
                                                    gsize               len,
                                                    gsize              *consumed,
                                                    GError            **error);
/* The header of the last ENTER / FILE / LEAVE / OTHER. (transfer none) (nullable) */
const LanDirEntry  *lan_dir_stream_parser_get_entry (LanDirStreamParser *parser);
guint               lan_dir_stream_parser_get_depth (LanDirStreamParser *parser);
/* Bytes of the current file not given yet. */
guint64             lan_dir_stream_parser_get_remaining (LanDirStreamParser *parser);
/* Entries read so far. */
guint               lan_dir_stream_parser_get_entries (LanDirStreamParser *parser);

/* Append one header for the sending side, with a 4-digit header size.
 * FALSE (nothing appended) when it would not fit LAN_DIR_STREAM_MAX_HEADER. */
gboolean            lan_dir_stream_append_header   (GString            *out,
                                                    const char         *name,
                                                    guint64             size,
                                                    guint32             attr,
                                                    const char * const *extras);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LanDirStreamParser, lan_dir_stream_parser_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LanDirEntry, lan_dir_entry_free)

G_END_DECLS
