/* fuzz-dir-stream.c — libFuzzer target for the GETDIRFILES stream parser.
 *
 * The first byte seeds the chunk sizes, the rest is the stream. Fed in
 * those chunks, the parser must give the same events as fed whole, use
 * every byte a NEED_MORE is given, deliver exactly a file's announced size
 * between FILE and FILE_END, and stay within its bounds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "lan-dir-stream.h"
#include "lan-ipmsg.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

typedef struct {
  guint64  hash;     /* FNV-1a over the events and the data, DATA merged */
  guint    events;
  int      error_code;
} Outcome;

static void
mix (Outcome    *o,
     const void *bytes,
     gsize       len)
{
  const guint8 *p = bytes;

  for (gsize i = 0; i < len; i++)
    o->hash = (o->hash ^ p[i]) * 0x100000001b3ULL;
}

static void
mix_entry (Outcome           *o,
           LanDirEvent        event,
           const LanDirEntry *entry)
{
  mix (o, &event, sizeof event);
  if (entry == NULL)
    return;
  mix (o, entry->name, strlen (entry->name) + 1);
  mix (o, &entry->size, sizeof entry->size);
  mix (o, &entry->attr, sizeof entry->attr);
  mix (o, &entry->depth, sizeof entry->depth);
  for (guint i = 0; entry->extras[i] != NULL; i++)
    mix (o, entry->extras[i], strlen (entry->extras[i]) + 1);
}

/* Feeds @len bytes cut into chunks from @seed (0: whole). */
static Outcome
run (const guint8 *data,
     gsize         len,
     guint32       seed)
{
  g_autoptr(LanDirStreamParser) parser = lan_dir_stream_parser_new ();
  Outcome o = { 0xcbf29ce484222325ULL, 0, -1 };
  guint64 file_left = 0;
  gboolean in_file = FALSE, ended = FALSE;
  gsize start = 0;

  while (o.error_code < 0)
    {
      gsize chunk = len - start, off = 0;

      if (seed != 0)
        {
          seed = seed * 1103515245u + 12345u;
          chunk = MIN (chunk, (gsize) ((seed >> 16) % 23));
        }
      for (;;)
        {
          g_autoptr(GError) error = NULL;
          gsize used = 0;
          LanDirEvent event = lan_dir_stream_parser_feed (parser, data + start + off, chunk - off,
                                                          &used, &error);
          const LanDirEntry *entry = lan_dir_stream_parser_get_entry (parser);

          g_assert_true (used <= chunk - off);
          g_assert_true (lan_dir_stream_parser_get_depth (parser) <= LAN_DIR_STREAM_MAX_DEPTH);
          g_assert_true (lan_dir_stream_parser_get_entries (parser) <= LAN_DIR_STREAM_MAX_ENTRIES);
          if (event == LAN_DIR_EVENT_ERROR)
            {
              g_assert_nonnull (error);
              g_assert_true (error->domain == LAN_DIR_STREAM_ERROR);
              o.error_code = error->code;
              break;
            }
          g_assert_null (error);
          off += used;
          if (event == LAN_DIR_EVENT_NEED_MORE)
            {
              g_assert_true (off == chunk);
              break;
            }
          if (event == LAN_DIR_EVENT_DATA)
            {
              /* Hashed as bytes only, so that any split hashes the same. */
              g_assert_true (in_file && used > 0 && used <= file_left);
              file_left -= used;
              mix (&o, data + start + off - used, used);
              continue;
            }
          if (event == LAN_DIR_EVENT_END)
            {
              if (!ended)
                {
                  o.events++;
                  mix_entry (&o, event, NULL);
                }
              ended = TRUE;
              g_assert_true (lan_dir_stream_parser_get_depth (parser) == 0);
              if (off == chunk)
                break;
              continue;
            }
          g_assert_false (ended);
          o.events++;
          if (event == LAN_DIR_EVENT_FILE)
            {
              g_assert_false (in_file);
              in_file = TRUE;
              file_left = entry->size;
              g_assert_true (lan_dir_stream_parser_get_remaining (parser) == file_left);
            }
          else if (event == LAN_DIR_EVENT_FILE_END)
            {
              g_assert_true (in_file && file_left == 0);
              in_file = FALSE;
            }
          else
            g_assert_false (in_file);
          mix_entry (&o, event, event == LAN_DIR_EVENT_FILE_END ? NULL : entry);
        }
      start += off;
      if (start == len && o.error_code < 0)
        break;
    }
  return o;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  Outcome whole, cut;

  if (size == 0)
    return 0;

  whole = run (data + 1, size - 1, 0);
  cut = run (data + 1, size - 1, 1u + data[0]);
  g_assert_true (whole.hash == cut.hash);
  g_assert_true (whole.events == cut.events);
  g_assert_true (whole.error_code == cut.error_code);
  return 0;
}
