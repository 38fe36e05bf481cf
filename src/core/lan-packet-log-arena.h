/* lan-packet-log-arena.h — the packet log's byte store.
 *
 * Variable-size blobs appended to large chunks and released in roughly the
 * order they were made, as a ring evicts its oldest: a chunk is freed once
 * every blob in it is released and every older chunk is gone. One malloc per
 * 256 KiB instead of two per datagram, and no per-blob header.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  guint32 chunk;   /* sequence number of the chunk */
  guint32 offset;
} LanArenaRef;

typedef struct {
  GPtrArray *chunks;     /* oldest first */
  guint32    first_seq;  /* sequence number of chunks[0] */
  gsize      allocated;  /* bytes malloc'd for chunks in use */
  gpointer   spare;      /* the last chunk freed, kept for the next one */
} LanArena;

void          lan_arena_init          (LanArena    *arena);
/* Free everything for good (finalize). */
void          lan_arena_finish        (LanArena    *arena);
/* Free everything; every ref becomes invalid. The arena stays usable. */
void          lan_arena_clear         (LanArena    *arena);
/* Room for @size bytes, valid until lan_arena_release (@ref) or clear. */
/* (transfer none): the arena owns what it hands out. */
guint8       *lan_arena_alloc         (LanArena    *arena,
                                       gsize        size,
                                       LanArenaRef *ref);
void          lan_arena_release       (LanArena    *arena,
                                       LanArenaRef  ref);
const guint8 *lan_arena_get           (LanArena    *arena,
                                       LanArenaRef  ref);
gsize         lan_arena_get_allocated (LanArena    *arena);

G_END_DECLS
