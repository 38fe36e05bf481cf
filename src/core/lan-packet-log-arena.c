/* lan-packet-log-arena.c — chunks of datagram bytes, freed oldest first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-packet-log-arena"

#include "config.h"

#include "lan-packet-log-arena.h"

/* Large enough that the per-chunk cost vanishes and a 64 KiB datagram
 * wastes at most a quarter of one; small enough that a tiny log (the CLI,
 * tests) doesn't reserve much. */
#define CHUNK_SIZE (256 * 1024)

typedef struct {
  guint32 live;   /* blobs not yet released */
  guint32 used;
  guint32 size;
  guint8  data[];
} Chunk;

void
lan_arena_init (LanArena *arena)
{
  arena->chunks = g_ptr_array_new_with_free_func (g_free);
  arena->first_seq = 0;
  arena->allocated = 0;
  arena->spare = NULL;
}

/* Once the ring is full a chunk is freed for every one made: keeping one
 * back saves the malloc and the page faults of touching fresh memory. */
static void
drop_front (LanArena *arena)
{
  Chunk *front = g_ptr_array_steal_index (arena->chunks, 0);

  arena->allocated -= front->size;
  arena->first_seq++;
  if (arena->spare == NULL && front->size == CHUNK_SIZE)
    arena->spare = front;
  else
    g_free (front);
}

void
lan_arena_clear (LanArena *arena)
{
  if (arena->chunks == NULL)
    return;
  arena->first_seq += arena->chunks->len;
  g_ptr_array_set_size (arena->chunks, 0);
  arena->allocated = 0;
  g_clear_pointer (&arena->spare, g_free);
}

void
lan_arena_finish (LanArena *arena)
{
  g_clear_pointer (&arena->chunks, g_ptr_array_unref);
  g_clear_pointer (&arena->spare, g_free);
  arena->allocated = 0;
}

static Chunk *
chunk_at (LanArena *arena,
          guint32   seq)
{
  guint32 index = seq - arena->first_seq;

  g_assert (index < arena->chunks->len);
  return g_ptr_array_index (arena->chunks, index);
}

guint8 *
lan_arena_alloc (LanArena    *arena,
                 gsize        size,
                 LanArenaRef *ref)
{
  Chunk *last = arena->chunks->len > 0 ? g_ptr_array_index (arena->chunks, arena->chunks->len - 1) : NULL;
  guint8 *place;

  g_assert (size <= G_MAXUINT32 - sizeof (Chunk));

  if (last != NULL && last->live == 0)
    /* Everything in it is gone; start it over rather than leave a hole. */
    last->used = 0;

  if (last == NULL || (gsize) last->size - last->used < size)
    {
      gsize chunk_size = MAX ((gsize) CHUNK_SIZE, size);

      if (last != NULL && last->live == 0 && arena->chunks->len == 1)
        drop_front (arena);
      if (chunk_size == CHUNK_SIZE && arena->spare != NULL)
        last = g_steal_pointer (&arena->spare);
      else
        last = g_malloc (sizeof (Chunk) + chunk_size);
      last->live = 0;
      last->used = 0;
      last->size = (guint32) chunk_size;
      g_ptr_array_add (arena->chunks, last);
      arena->allocated += chunk_size;
    }

  ref->chunk = arena->first_seq + arena->chunks->len - 1;
  ref->offset = last->used;
  place = last->data + last->used;
  last->used += (guint32) size;
  last->live++;
  return place;
}

void
lan_arena_release (LanArena    *arena,
                   LanArenaRef  ref)
{
  Chunk *chunk = chunk_at (arena, ref.chunk);

  g_assert (chunk->live > 0);
  chunk->live--;

  /* Only from the front, so sequence numbers keep naming the same chunks.
   * The newest chunk stays for the next blobs. */
  while (arena->chunks->len > 1)
    {
      Chunk *front = g_ptr_array_index (arena->chunks, 0);

      if (front->live > 0)
        break;
      drop_front (arena);
    }
}

const guint8 *
lan_arena_get (LanArena    *arena,
               LanArenaRef  ref)
{
  Chunk *chunk = chunk_at (arena, ref.chunk);

  g_assert (ref.offset <= chunk->used);
  return chunk->data + ref.offset;
}

gsize
lan_arena_get_allocated (LanArena *arena)
{
  return arena->allocated;
}
