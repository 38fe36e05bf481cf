/* lan-ipmsg-scan.h — one pass over a datagram that keeps where everything is.
 *
 * The only reader of the IPMsg byte layout: the codec (lan-ipmsg.c), the
 * packet log's command peek and the dissector (lan-ipmsg-dissect.c) all
 * read through it, so they cannot disagree on where a field begins.
 *
 * A scan is a plain struct on the caller's stack: no allocation, every
 * span inside the scanned bytes, work bounded by their length. It goes as
 * far as it can in a datagram the codec rejects and says where it stopped.
 * Variable-length parts (UTF-8 block lines, attachment records, their
 * extended attributes) are read with iterators over a span.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Bytes [offset, offset + length) of the scanned buffer. */
typedef struct {
  guint32 offset;
  guint32 length;
} LanIpmsgSpan;

static inline guint32 lan_ipmsg_span_end (LanIpmsgSpan span) { return span.offset + span.length; }

typedef enum {
  LAN_IPMSG_SCAN_OK,
  LAN_IPMSG_SCAN_EMPTY,          /* zero bytes */
  LAN_IPMSG_SCAN_TOO_LARGE,      /* more than LAN_IPMSG_MAX_DATAGRAM bytes: nothing read */
  LAN_IPMSG_SCAN_NUL_IN_HEADER,  /* a NUL before the 5th ':' (at stop_offset) */
  LAN_IPMSG_SCAN_TOO_FEW_FIELDS, /* fewer than 5 header fields */
  LAN_IPMSG_SCAN_BAD_VERSION,    /* the version's leading integer is not 1 */
  LAN_IPMSG_SCAN_BAD_PACKET_NO,  /* not a decimal number that fits 64 bits */
  LAN_IPMSG_SCAN_BAD_COMMAND,    /* not a decimal number that fits 32 bits */
} LanIpmsgScanStatus;

typedef enum {
  LAN_IPMSG_HEADER_VERSION,
  LAN_IPMSG_HEADER_PACKET_NO,
  LAN_IPMSG_HEADER_USER,
  LAN_IPMSG_HEADER_HOST,
  LAN_IPMSG_HEADER_COMMAND,
  LAN_IPMSG_N_HEADER_FIELDS
} LanIpmsgHeaderField;

/* Sections whose spans a scan keeps; the rest are counted (and searched for
 * iptux's marker) but not kept, so a NUL flood costs no memory. */
#define LAN_IPMSG_SCAN_SECTIONS 8

typedef struct {
  LanIpmsgScanStatus status;
  /* Where the header stopped being readable: the start of the header
   * field that never ended (with a NUL, or no ':'); the datagram's length
   * when the header was read whole. */
  guint32      stop_offset;
  guint32      nul_offset;   /* the NUL of LAN_IPMSG_SCAN_NUL_IN_HEADER */

  /* The header. Fields [0, n_header_fields) are set; a last field without
   * its ':' still counts. */
  guint        n_header_fields;
  LanIpmsgSpan header[LAN_IPMSG_N_HEADER_FIELDS];
  /* Header fields and their ':'s: up to the extra part, or up to
   * stop_offset when the header is incomplete. */
  LanIpmsgSpan header_span;
  /* The version's leading integer ("1"), what follows it ("_iptux 0.8.3",
   * "_lbt6_0#128#…"), and FeiQ's MAC address in that decoration (empty
   * when there is none). */
  LanIpmsgSpan version_number;
  LanIpmsgSpan version_decoration;
  LanIpmsgSpan version_mac;
  gboolean     packet_no_valid;
  gboolean     command_valid;
  guint64      packet_no;
  guint32      command;

  /* The extra part (everything after the 5th ':'), empty when there is
   * none. The rest is set only once the header was read whole. */
  gboolean     has_extra;
  LanIpmsgSpan extra;
  /* Sections of the extra part split at NUL: n_sections counts them all
   * (a trailing NUL gives a trailing empty one; at least one). */
  guint32      n_sections;
  LanIpmsgSpan sections[LAN_IPMSG_SCAN_SECTIONS];
  /* Of entry packets: the draft-14 UTF-8 block (section 2 starting with
   * '\n', which the span includes) and iptux's "utf-8" marker (the first
   * section from 2 on that says exactly that). */
  gboolean     has_utf8_block;
  LanIpmsgSpan utf8_block;
  gboolean     has_marker;
  guint32      marker_section;
  LanIpmsgSpan marker;
  /* Of SENDMSG|FILEATTACHOPT: section 1, the attachment records. */
  gboolean     has_file_list;
  LanIpmsgSpan file_list;
} LanIpmsgScan;

/* Read the header only (what a counter or a filter needs). Never fails;
 * scan->status says what was wrong. @len over LAN_IPMSG_MAX_DATAGRAM reads
 * nothing (TOO_LARGE). */
void     lan_ipmsg_scan_header        (const guint8  *data,
                                       gsize          len,
                                       LanIpmsgScan  *scan);
/* The header and, when it was read whole, the extra part. */
void     lan_ipmsg_scan               (const guint8  *data,
                                       gsize          len,
                                       LanIpmsgScan  *scan);
/* Scan just an extra part of @len bytes starting at @offset of @data, for a
 * packet with @command (a packet we build has no header to read). Sets the
 * extra, section, block, marker and file-list members only. */
void     lan_ipmsg_scan_extra         (const guint8  *data,
                                       gsize          offset,
                                       gsize          len,
                                       guint32        command,
                                       LanIpmsgScan  *scan);
/* The span of section @index, or FALSE when there is no such section or
 * it is past the ones kept (then walk with lan_ipmsg_scan_next_section). */
gboolean lan_ipmsg_scan_get_section   (const LanIpmsgScan *scan,
                                       guint          index,
                                       LanIpmsgSpan  *out_span);
/* Walk sections of @extra one by one: start with *pos = extra.offset. */
gboolean lan_ipmsg_scan_next_section  (const guint8  *data,
                                       LanIpmsgSpan   extra,
                                       guint32       *pos,
                                       LanIpmsgSpan  *out_section);

/* A decimal (@base 10) or hexadecimal (16) number, digits only (no sign,
 * blank or prefix), at most @max. */
gboolean lan_ipmsg_scan_number        (const guint8  *data,
                                       LanIpmsgSpan   span,
                                       guint          base,
                                       guint64        max,
                                       guint64       *out_value);

/* One `KEY:value` line of a UTF-8 block. @line excludes its '\n' and the
 * '\r' of a CRLF; @key and @value exclude the ':'. */
typedef struct {
  LanIpmsgSpan line;
  LanIpmsgSpan key;
  LanIpmsgSpan value;
} LanIpmsgUtf8Line;

/* Next line with a key of @block (a scan's utf8_block); start with
 * *pos = block.offset. Lines without a key are skipped. */
gboolean lan_ipmsg_scan_next_utf8_line (const guint8     *data,
                                        LanIpmsgSpan      block,
                                        guint32          *pos,
                                        LanIpmsgUtf8Line *out_line);

typedef enum {
  LAN_IPMSG_RECORD_OK,
  LAN_IPMSG_RECORD_NUL,            /* a NUL byte inside the record */
  LAN_IPMSG_RECORD_NO_ID,          /* no ':' after the file ID */
  LAN_IPMSG_RECORD_BAD_ID,         /* file ID not a decimal number */
  LAN_IPMSG_RECORD_NAME_UNENDED,   /* no ':' after the name */
  LAN_IPMSG_RECORD_EMPTY_NAME,
  LAN_IPMSG_RECORD_BAD_SIZE,       /* not hexadecimal, or over 64 bits */
  LAN_IPMSG_RECORD_BAD_MTIME,
  LAN_IPMSG_RECORD_BAD_ATTR,       /* not hexadecimal, or over 32 bits */
  LAN_IPMSG_RECORD_MISSING_NUMBERS,/* size, mtime or attribute missing */
} LanIpmsgRecordStatus;

#define LAN_IPMSG_RECORD_SIZE  0
#define LAN_IPMSG_RECORD_MTIME 1
#define LAN_IPMSG_RECORD_ATTR  2

/* One `fileID:name:size:mtime:attr[:ext=val…]:` record, read as far as it
 * goes: each part's span is set once reached, whether it reads or not. */
typedef struct {
  LanIpmsgRecordStatus status;   /* the first problem, in reading order */
  LanIpmsgSpan record;           /* without the '\a' and leading NULs/blanks */
  gboolean     has_id;           /* the ':' after the ID was found */
  LanIpmsgSpan id;
  gboolean     id_valid;
  guint64      file_id;
  gboolean     has_name;         /* ...and so the name begins */
  LanIpmsgSpan name;             /* as sent: "::" still doubled */
  gboolean     name_ended;
  guint        n_numbers;        /* of size, mtime, attr reached */
  LanIpmsgSpan numbers[3];
  gboolean     number_valid[3];
  guint64      values[3];
  LanIpmsgSpan extras;           /* after the attribute's ':', to the end */
} LanIpmsgFileRecord;

/* Next record of @list (a scan's file_list, or any attachment list);
 * start with *pos = list.offset. Empty pieces are skipped. */
gboolean lan_ipmsg_scan_next_file_record (const guint8       *data,
                                          LanIpmsgSpan        list,
                                          guint32            *pos,
                                          LanIpmsgFileRecord *out_record);
/* Next non-empty ':'-separated extended attribute of @extras; start with
 * *pos = extras.offset. */
gboolean lan_ipmsg_scan_next_extra    (const guint8  *data,
                                       LanIpmsgSpan   extras,
                                       guint32       *pos,
                                       LanIpmsgSpan  *out_extra);
/* Append a record name with "::" undone (pairs taken greedily, as read). */
void     lan_ipmsg_scan_append_name   (GString       *out,
                                       const guint8  *data,
                                       LanIpmsgSpan   name);

G_END_DECLS
