/* test-dir-stream.c — the GETDIRFILES stream codec against iptux's bytes and hostile ones.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "lan-dir-stream.h"
#include "lan-file-name.h"
#include "lan-ipmsg.h"

/* A header with its size computed: @rest is everything after "hhhh:". */
static void
append_raw_len (GString    *out,
                const char *rest,
                gsize       len)
{
  g_string_append_printf (out, "%04x:", (guint) (len + 5));
  g_string_append_len (out, rest, (gssize) len);
}

static void
append_raw (GString    *out,
            const char *rest)
{
  append_raw_len (out, rest, strlen (rest));
}

/* What iptux 0.8.x writes for one entry (SendFileData::SendDirFiles). */
static void
append_iptux (GString    *out,
              const char *name,
              guint64     size,
              guint32     attr)
{
  char buf[512];
  int len = g_snprintf (buf, sizeof buf, "0000:%s:%.9" G_GINT64_MODIFIER "x:%x:14=%x:16=%x:",
                        name, size, attr, 0x5f5e1000u, 0x5f5e1001u);
  char digits[5];

  g_snprintf (digits, sizeof digits, "%.4x", (guint) len);
  memcpy (buf, digits, 4);
  g_string_append_len (out, buf, len);
}

/* The events of a feed, as text, DATA merged so that any split of the same
 * stream gives the same trace. */
typedef struct {
  GString *trace;
  GString *data;
  GError  *error;
  gboolean ended;
} Trace;

static void
flush_data (Trace *t)
{
  if (t->data->len == 0)
    return;
  g_string_append (t->trace, "DATA ");
  for (gsize i = 0; i < t->data->len; i++)
    {
      guchar c = (guchar) t->data->str[i];

      if (c >= 0x20 && c < 0x7f && c != '\\')
        g_string_append_c (t->trace, (char) c);
      else
        g_string_append_printf (t->trace, "\\x%02x", c);
    }
  g_string_append_c (t->trace, '\n');
  g_string_truncate (t->data, 0);
}

static void
record (Trace              *t,
        LanDirStreamParser *parser,
        LanDirEvent         event)
{
  const LanDirEntry *entry = lan_dir_stream_parser_get_entry (parser);

  flush_data (t);
  switch (event)
    {
    case LAN_DIR_EVENT_ENTER:
      g_string_append_printf (t->trace, "ENTER %s %u\n", entry->name, entry->depth);
      break;
    case LAN_DIR_EVENT_FILE:
      g_string_append_printf (t->trace, "FILE %s %" G_GUINT64_FORMAT " %u\n",
                              entry->name, entry->size, entry->depth);
      break;
    case LAN_DIR_EVENT_FILE_END:
      g_string_append (t->trace, "FILE_END\n");
      break;
    case LAN_DIR_EVENT_LEAVE:
      g_string_append_printf (t->trace, "LEAVE %u\n", lan_dir_stream_parser_get_depth (parser));
      break;
    case LAN_DIR_EVENT_OTHER:
      g_string_append_printf (t->trace, "OTHER %s %x\n", entry->name, entry->attr);
      break;
    case LAN_DIR_EVENT_END:
      g_string_append (t->trace, "END\n");
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Feeds one chunk until it is used up; FALSE once the parser failed. */
static gboolean
feed_chunk (Trace              *t,
            LanDirStreamParser *parser,
            const guint8       *data,
            gsize               len)
{
  gsize off = 0;

  for (;;)
    {
      gsize used = 0;
      LanDirEvent event = lan_dir_stream_parser_feed (parser, data + off, len - off, &used, &t->error);

      g_assert_cmpuint (used, <=, len - off);
      if (event == LAN_DIR_EVENT_ERROR)
        {
          g_assert_nonnull (t->error);
          flush_data (t);
          g_string_append_printf (t->trace, "ERROR %d\n", t->error->code);
          return FALSE;
        }
      g_assert_null (t->error);
      if (event == LAN_DIR_EVENT_DATA)
        {
          g_assert_cmpuint (used, >, 0);
          g_string_append_len (t->data, (const char *) data + off, (gssize) used);
        }
      else if (event == LAN_DIR_EVENT_NEED_MORE)
        {
          g_assert_cmpuint (used, ==, len - off);
          return TRUE;
        }
      else if (event == LAN_DIR_EVENT_END)
        {
          /* Asked again with nothing new, the end stays the end. */
          if (t->ended)
            g_assert_cmpuint (used, ==, 0);
          else
            record (t, parser, event);
          t->ended = TRUE;
          off += used;
          if (off == len)
            return TRUE;
          continue;
        }
      else
        record (t, parser, event);
      off += used;
    }
}

/* The trace of @stream fed in pieces cut at @cuts (ascending, -1 ended). */
static char *
run_cuts (const GString *stream,
          const gsize   *cuts,
          gsize          n_cuts,
          GError       **error)
{
  g_autoptr(LanDirStreamParser) parser = lan_dir_stream_parser_new ();
  Trace t = { g_string_new (NULL), g_string_new (NULL), NULL, FALSE };
  gsize start = 0;

  for (gsize i = 0; i <= n_cuts; i++)
    {
      gsize end = i < n_cuts ? cuts[i] : stream->len;

      if (!feed_chunk (&t, parser, (const guint8 *) stream->str + start, end - start))
        break;
      start = end;
    }
  flush_data (&t);
  g_string_free (t.data, TRUE);
  if (error != NULL)
    *error = t.error;
  else
    g_clear_error (&t.error);
  return g_string_free (t.trace, FALSE);
}

static char *
run (const GString *stream,
     GError       **error)
{
  return run_cuts (stream, NULL, 0, error);
}

/* The stream iptux sends for top/{a.txt, sub/{b}, empty} */
static GString *
iptux_stream (void)
{
  GString *s = g_string_new (NULL);

  append_iptux (s, "top", 0, LAN_IPMSG_FILE_DIR);
  append_iptux (s, "a.txt", 5, LAN_IPMSG_FILE_REGULAR);
  g_string_append (s, "hello");
  append_iptux (s, "sub", 0, LAN_IPMSG_FILE_DIR);
  append_iptux (s, "b", 3, LAN_IPMSG_FILE_REGULAR);
  g_string_append (s, "Q:Z");
  append_iptux (s, ".", 0, LAN_IPMSG_FILE_RETPARENT);
  append_iptux (s, "empty", 0, LAN_IPMSG_FILE_REGULAR);
  append_iptux (s, ".", 0, LAN_IPMSG_FILE_RETPARENT);
  return s;
}

static const char iptux_trace[] =
  "ENTER top 1\n"
  "FILE a.txt 5 2\n"
  "DATA hello\n"
  "FILE_END\n"
  "ENTER sub 2\n"
  "FILE b 3 3\n"
  "DATA Q:Z\n"
  "FILE_END\n"
  "LEAVE 1\n"
  "FILE empty 0 2\n"
  "FILE_END\n"
  "END\n";

static void
test_iptux_stream (void)
{
  g_autoptr(GString) s = iptux_stream ();
  g_autoptr(GError) error = NULL;
  g_autofree char *trace = run (s, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (trace, ==, iptux_trace);
}

static void
test_entry_fields (void)
{
  g_autoptr(LanDirStreamParser) parser = lan_dir_stream_parser_new ();
  g_autoptr(GString) s = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  const LanDirEntry *entry;
  gsize used = 0;

  append_iptux (s, "top", 0, LAN_IPMSG_FILE_DIR | 0x1000);
  append_iptux (s, "big", 0x123456789aULL, LAN_IPMSG_FILE_REGULAR);

  g_assert_null (lan_dir_stream_parser_get_entry (parser));
  g_assert_cmpint (lan_dir_stream_parser_feed (parser, (const guint8 *) s->str, s->len, &used, &error),
                   ==, LAN_DIR_EVENT_ENTER);
  entry = lan_dir_stream_parser_get_entry (parser);
  g_assert_cmpstr (entry->name, ==, "top");
  g_assert_cmphex (entry->attr, ==, 0x1002);
  g_assert_cmpuint (entry->depth, ==, 1);
  g_assert_cmpuint (g_strv_length (entry->extras), ==, 2);
  g_assert_cmpstr (entry->extras[0], ==, "14=5f5e1000");
  g_assert_cmpstr (entry->extras[1], ==, "16=5f5e1001");
  g_assert_cmpuint (lan_dir_stream_parser_get_depth (parser), ==, 1);
  g_assert_cmpuint (lan_dir_stream_parser_get_entries (parser), ==, 1);

  g_assert_cmpint (lan_dir_stream_parser_feed (parser, (const guint8 *) s->str + used, s->len - used,
                                               &used, &error), ==, LAN_DIR_EVENT_FILE);
  entry = lan_dir_stream_parser_get_entry (parser);
  g_assert_cmpuint (entry->size, ==, 0x123456789aULL);
  g_assert_cmpuint (entry->depth, ==, 2);
  g_assert_cmpuint (lan_dir_stream_parser_get_remaining (parser), ==, 0x123456789aULL);
  g_assert_cmpint (lan_dir_stream_parser_feed (parser, (const guint8 *) "abc", 3, &used, &error),
                   ==, LAN_DIR_EVENT_DATA);
  g_assert_cmpuint (used, ==, 3);
  g_assert_cmpuint (lan_dir_stream_parser_get_remaining (parser), ==, 0x123456789aULL - 3);
  g_assert_cmpuint (lan_dir_stream_parser_get_entries (parser), ==, 2);
  g_assert_no_error (error);
}

/* Every cut, two cuts at every pair of near positions, and one byte at a
 * time: the same events as one feed. */
static void
test_split_everywhere (void)
{
  g_autoptr(GString) s = iptux_stream ();
  g_autofree char *whole = run (s, NULL);
  g_autofree gsize *bytes = g_new (gsize, s->len);

  g_assert_cmpstr (whole, ==, iptux_trace);
  for (gsize i = 0; i <= s->len; i++)
    {
      g_autofree char *trace = run_cuts (s, &i, 1, NULL);

      g_assert_cmpstr (trace, ==, whole);
      for (gsize j = i; j <= MIN (s->len, i + 7); j++)
        {
          gsize cuts[2] = { i, j };
          g_autofree char *trace2 = run_cuts (s, cuts, 2, NULL);

          g_assert_cmpstr (trace2, ==, whole);
        }
    }
  for (gsize i = 0; i < s->len; i++)
    bytes[i] = i + 1;
  {
    g_autofree char *trace = run_cuts (s, bytes, s->len - 1, NULL);

    g_assert_cmpstr (trace, ==, whole);
  }
}

/* A hostile stream fails at the same point, with the same code, however it
 * is cut. */
static void
assert_fails (const GString *s,
              int            code,
              const char    *trace_before)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *trace = run (s, &error);
  g_autofree char *expected = g_strdup_printf ("%sERROR %d\n", trace_before, code);

  g_assert_error (error, LAN_DIR_STREAM_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_cmpstr (trace, ==, expected);
  for (gsize i = 0; i <= s->len; i++)
    {
      g_autofree char *cut = run_cuts (s, &i, 1, NULL);

      g_assert_cmpstr (cut, ==, expected);
    }
}

static void
test_climb (void)
{
  g_autoptr(GString) first = g_string_new (NULL);
  g_autoptr(GString) after_end = g_string_new (NULL);

  /* A return before any folder: up from the download folder itself. */
  append_raw (first, ".:0:3:");
  append_raw (first, "x:0:1:");
  assert_fails (first, LAN_DIR_STREAM_ERROR_CLIMB, "");

  /* The top left, then another return and a file: out of the folder. */
  append_raw (after_end, "top:0:2:");
  append_raw (after_end, ".:0:3:");
  append_raw (after_end, ".:0:3:");
  append_raw (after_end, "evil:1:1:");
  g_string_append_c (after_end, 'x');
  assert_fails (after_end, LAN_DIR_STREAM_ERROR_TRAILING, "ENTER top 1\nEND\n");
}

static void
test_no_top_folder (void)
{
  g_autoptr(GString) s = g_string_new (NULL);

  append_raw (s, "loose.txt:1:1:");
  g_string_append_c (s, 'x');
  assert_fails (s, LAN_DIR_STREAM_ERROR_BAD_HEADER, "");
}

static void
test_too_deep (void)
{
  g_autoptr(GString) ok = g_string_new (NULL);
  g_autoptr(GString) deep = NULL;
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *trace = NULL;

  for (guint i = 1; i <= LAN_DIR_STREAM_MAX_DEPTH; i++)
    {
      append_raw (ok, "d:0:2:");
      g_string_append_printf (expected, "ENTER d %u\n", i);
    }
  deep = g_string_new_len (ok->str, (gssize) ok->len);
  for (guint i = LAN_DIR_STREAM_MAX_DEPTH; i > 0; i--)
    {
      append_raw (ok, ".:0:3:");
      if (i > 1)
        g_string_append_printf (expected, "LEAVE %u\n", i - 1);
    }
  g_string_append (expected, "END\n");
  trace = run (ok, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (trace, ==, expected->str);

  append_raw (deep, "d:0:2:");
  g_string_truncate (expected, 0);
  for (guint i = 1; i <= LAN_DIR_STREAM_MAX_DEPTH; i++)
    g_string_append_printf (expected, "ENTER d %u\n", i);
  assert_fails (deep, LAN_DIR_STREAM_ERROR_TOO_DEEP, expected->str);
}

static void
too_many_entries (void)
{
  g_autoptr(GString) s = g_string_new (NULL);
  g_autoptr(LanDirStreamParser) parser = lan_dir_stream_parser_new ();
  g_autoptr(GError) error = NULL;
  const guint8 *p;
  gsize left, used = 0;
  guint events = 0;
  LanDirEvent event = LAN_DIR_EVENT_NEED_MORE;

  g_autoptr(GString) pair = g_string_new (NULL);

  append_raw (s, "top:0:2:");
  /* One entry more than the bound, each an enter or a leave below the top:
   * one pair formatted, then copied (a million printf calls took most of
   * a minute under AddressSanitizer). */
  append_raw (pair, "d:0:2:");
  append_raw (pair, ".:0:3:");
  for (guint i = 1; i <= LAN_DIR_STREAM_MAX_ENTRIES; i += 2)
    g_string_append_len (s, pair->str, (gssize) pair->len);
  p = (const guint8 *) s->str;
  left = s->len;
  while (left > 0)
    {
      event = lan_dir_stream_parser_feed (parser, p, left, &used, &error);
      if (event == LAN_DIR_EVENT_ERROR)
        break;
      g_assert_true (event == LAN_DIR_EVENT_ENTER || event == LAN_DIR_EVENT_LEAVE);
      events++;
      p += used;
      left -= used;
    }
  g_assert_cmpint (event, ==, LAN_DIR_EVENT_ERROR);
  g_assert_error (error, LAN_DIR_STREAM_ERROR, LAN_DIR_STREAM_ERROR_TOO_MANY);
  g_assert_cmpuint (events, ==, LAN_DIR_STREAM_MAX_ENTRIES);
  g_assert_cmpuint (lan_dir_stream_parser_get_entries (parser), ==, LAN_DIR_STREAM_MAX_ENTRIES);
  g_clear_error (&error);
  /* And it stays failed. */
  g_assert_cmpint (lan_dir_stream_parser_feed (parser, p, left, &used, &error), ==, LAN_DIR_EVENT_ERROR);
  g_assert_cmpuint (used, ==, 0);
  g_assert_error (error, LAN_DIR_STREAM_ERROR, LAN_DIR_STREAM_ERROR_BAD_HEADER);
}

/* The real bound is a million entries: millions of allocations, and the
 * suite's AddressSanitizer unwinds the stack of each one the slow, exact
 * way (fast_unwind_on_malloc=0 in tests/meson.build), which took most of a
 * minute here. So this test runs in a child with the fast unwinder: still
 * under every sanitizer, leaks checked, the same assertions; only a report's
 * allocation stacks may be shorter. */
static void
test_too_many (void)
{
  g_autofree char *saved = g_strdup (g_getenv ("ASAN_OPTIONS"));
  g_autofree char *fast = g_strconcat (saved != NULL ? saved : "", saved != NULL ? ":" : "",
                                       "fast_unwind_on_malloc=1", NULL);

  if (g_test_subprocess ())
    {
      too_many_entries ();
      return;
    }
  /* The child inherits the environment; later options override earlier ones. */
  g_setenv ("ASAN_OPTIONS", fast, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  if (saved != NULL)
    g_setenv ("ASAN_OPTIONS", saved, TRUE);
  else
    g_unsetenv ("ASAN_OPTIONS");
  g_test_trap_assert_passed ();
}

/* The top folder's header, then @bad. */
static void
assert_bad_after_top (const char *bad,
                      gsize       bad_len)
{
  g_autoptr(GString) s = g_string_new (NULL);

  append_raw (s, "top:0:2:");
  g_string_append_len (s, bad, (gssize) bad_len);
  assert_fails (s, LAN_DIR_STREAM_ERROR_BAD_HEADER, "ENTER top 1\n");
}

#define BAD(literal) assert_bad_after_top ((literal), sizeof (literal) - 1)

/* The top folder, then a header of the right size around bad fields. */
static void
assert_bad_fields (const char *rest,
                   gsize       len)
{
  g_autoptr(GString) s = g_string_new (NULL);

  append_raw_len (s, rest, len);
  assert_bad_after_top (s->str, s->len);
}

#define BAD_FIELDS(literal) assert_bad_fields ((literal), sizeof (literal) - 1)

static void
test_header_size_lies (void)
{
  /* "000f:a.txt:5:1:" is right; each of these is not. */
  BAD ("000b:a.txt:5:1:hello");            /* too small: no size left */
  BAD ("000d:a.txt:5:1:hello");            /* too small: no attribute left */
  BAD ("000e:a.txt:5:1:hello");            /* too small: not ending in ':' */
  BAD ("0014:a.txt:5:1:hello0123");        /* too big: swallows data, not ending in ':' */
  BAD ("0014:a.txt:5:1:hell:o0123");       /* too big: swallows data that ends in ':' */
  BAD ("0000:a.txt:5:1:hello");            /* zero: iptux's placeholder never filled */
  BAD ("0005:a.txt:5:1:");                 /* no room even for the fields */
  BAD ("00g0:a.txt:5:1:hello");            /* not hex */
  BAD (" 00f:a.txt:5:1:hello");            /* not hex */
  BAD ("-00f:a.txt:5:1:hello");            /* not hex */
  BAD (":a.txt:5:1:hello");                /* empty */
  BAD ("10000:a.txt:5:1:hello");           /* over LAN_DIR_STREAM_MAX_HEADER */
  BAD ("00000000f:a.txt:5:1:");            /* too many digits */
  BAD ("ffffffff:a.txt:5:1:");
}

static void
test_bad_fields (void)
{
  BAD_FIELDS ("a\0b.txt:5:1:");               /* NUL in the name */
  BAD_FIELDS ("a.txt:5:1:14=\0:");            /* NUL in an extra */
  BAD_FIELDS ("a.txt:1234567890abcdef0:1:");  /* size over 64 bits */
  BAD_FIELDS ("a.txt:8000000000000000:1:");   /* size over 2^63 - 1 */
  BAD_FIELDS ("a.txt:ffffffffffffffff:1:");
  BAD_FIELDS ("a.txt:-5:1:");                 /* not hex */
  BAD_FIELDS ("a.txt: 5:1:");
  BAD_FIELDS ("a.txt::1:");                   /* reads as the name "a.txt:1", then no size */
  BAD_FIELDS ("a.txt:5:100000000:");          /* attribute over 32 bits */
  BAD_FIELDS ("a.txt:5:z:");
  BAD_FIELDS ("a.txt:5:1:x:");                /* an extra that is not key=value */
  BAD_FIELDS ("a.txt:5:");                    /* no attribute */
  BAD_FIELDS ("a.txt:");                      /* no size */
  BAD_FIELDS ("a.txt");                       /* name not ended */
}

static void
test_size_limit (void)
{
  g_autoptr(GString) s = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *trace = NULL;

  append_raw (s, "top:0:2:");
  append_raw (s, "huge:7fffffffffffffff:1:");
  trace = run (s, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (trace, ==, "ENTER top 1\nFILE huge 9223372036854775807 2\n");
}

/* Names come back raw ("::" undone): the parser is no judge of names, the
 * fetcher checks each with lan_file_name_check(), which refuses these. */
static void
test_hostile_names_raw (void)
{
  static const char * const names[] = {
    "..", "../../etc", "/etc/passwd", "a\\..\\b", ".", "", "a\nb", "\x1b[2J", "CON",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GString) s = g_string_new (NULL);
      g_autoptr(LanDirStreamParser) parser = lan_dir_stream_parser_new ();
      g_autoptr(GError) error = NULL;
      gsize used = 0, off = 0;

      append_raw (s, "top:0:2:");
      g_assert_true (lan_dir_stream_append_header (s, names[i], 1, LAN_IPMSG_FILE_REGULAR, NULL));
      g_assert_cmpint (lan_dir_stream_parser_feed (parser, (const guint8 *) s->str, s->len, &used, &error),
                       ==, LAN_DIR_EVENT_ENTER);
      off = used;
      g_assert_cmpint (lan_dir_stream_parser_feed (parser, (const guint8 *) s->str + off, s->len - off,
                                                   &used, &error), ==, LAN_DIR_EVENT_FILE);
      g_assert_cmpstr (lan_dir_stream_parser_get_entry (parser)->name, ==, names[i]);
      g_assert_false (lan_file_name_check (lan_dir_stream_parser_get_entry (parser)->name, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME);
    }
}

static void
test_colons_and_other_types (void)
{
  g_autoptr(GString) s = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *trace = NULL;

  append_raw (s, "top:0:2:");
  append_raw (s, "a::b:::2:1:");
  g_string_append (s, "xy");
  /* A symlink with "data" (its target): dropped, as iptux drops it. */
  append_raw (s, "link:4:4:");
  g_string_append (s, "/etc");
  append_raw (s, "fifo:0:7:");
  append_raw (s, "c:1:1:12=0:");
  g_string_append (s, "z");
  /* An empty extra between two colons is no field. */
  append_raw (s, ".:0:3::");
  trace = run (s, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (trace, ==,
                   "ENTER top 1\n"
                   "FILE a:b: 2 2\n" "DATA xy\n" "FILE_END\n"
                   "OTHER link 4\n"
                   "OTHER fifo 7\n"
                   "FILE c 1 2\n" "DATA z\n" "FILE_END\n"
                   "END\n");
}

static void
test_truncated (void)
{
  g_autoptr(GString) s = iptux_stream ();
  g_autoptr(LanDirStreamParser) parser = lan_dir_stream_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize off = 0, used = 0;
  LanDirEvent event;

  /* Cut inside b's data: the parser waits, it doesn't invent an end. */
  g_string_truncate (s, (gsize) (strstr (s->str, "Q:Z") - s->str) + 1);
  do
    {
      event = lan_dir_stream_parser_feed (parser, (const guint8 *) s->str + off, s->len - off, &used, &error);
      off += used;
    }
  while (event != LAN_DIR_EVENT_NEED_MORE && event != LAN_DIR_EVENT_ERROR);
  g_assert_no_error (error);
  g_assert_cmpuint (off, ==, s->len);
  g_assert_cmpuint (lan_dir_stream_parser_get_remaining (parser), ==, 2);
  g_assert_cmpuint (lan_dir_stream_parser_get_depth (parser), ==, 2);
}

static void
test_append_header (void)
{
  g_autoptr(GString) s = g_string_new ("x");
  g_autoptr(GString) long_name = g_string_new (NULL);
  const char * const extras[] = { "14=5f5e1000", "", "16=1", NULL };
  gsize before;

  g_assert_true (lan_dir_stream_append_header (s, "a:b", 0x10, 1, extras));
  g_assert_cmpstr (s->str, ==, "x0020:a::b:10:1:14=5f5e1000:16=1:");
  g_assert_cmpuint (strlen ("0020:a::b:10:1:14=5f5e1000:16=1:"), ==, 0x20);

  /* The largest header that fits, then one byte more. */
  g_string_truncate (s, 0);
  g_string_set_size (long_name, LAN_DIR_STREAM_MAX_HEADER - strlen ("ffff::0:1:"));
  memset (long_name->str, 'n', long_name->len);
  g_assert_true (lan_dir_stream_append_header (s, long_name->str, 0, 1, NULL));
  g_assert_cmpuint (s->len, ==, LAN_DIR_STREAM_MAX_HEADER);
  g_assert_true (g_str_has_prefix (s->str, "ffff:"));
  g_string_append_c (long_name, 'n');
  before = s->len;
  g_assert_false (lan_dir_stream_append_header (s, long_name->str, 0, 1, NULL));
  g_assert_cmpuint (s->len, ==, before);
  /* A doubled ':' counts twice. */
  g_string_truncate (long_name, long_name->len - 2);
  g_string_append_c (long_name, ':');
  g_assert_false (lan_dir_stream_append_header (s, long_name->str, 0, 1, NULL));
  g_assert_cmpuint (s->len, ==, before);
}

/* What the sending side writes, the parser reads back, names with ':' too. */
static void
test_round_trip (void)
{
  g_autoptr(GString) s = g_string_new (NULL);
  const char * const mtime[] = { "14=6553f100", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *trace = NULL;

  g_assert_true (lan_dir_stream_append_header (s, "photos: 2024", 0, LAN_IPMSG_FILE_DIR, mtime));
  g_assert_true (lan_dir_stream_append_header (s, "中文:名.jpg", 4, LAN_IPMSG_FILE_REGULAR, mtime));
  g_string_append_len (s, "\0\1\2:", 4);
  g_assert_true (lan_dir_stream_append_header (s, ".", 0, LAN_IPMSG_FILE_RETPARENT, NULL));
  trace = run (s, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (trace, ==, "ENTER photos: 2024 1\nFILE 中文:名.jpg 4 2\nDATA \\x00\\x01\\x02:\nFILE_END\nEND\n");
}

static void
test_empty_feeds (void)
{
  g_autoptr(LanDirStreamParser) parser = lan_dir_stream_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize used = 99;

  g_assert_cmpint (lan_dir_stream_parser_feed (parser, NULL, 0, &used, &error), ==, LAN_DIR_EVENT_NEED_MORE);
  g_assert_cmpuint (used, ==, 0);
  g_assert_no_error (error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dir-stream/iptux", test_iptux_stream);
  g_test_add_func ("/dir-stream/entry-fields", test_entry_fields);
  g_test_add_func ("/dir-stream/split-everywhere", test_split_everywhere);
  g_test_add_func ("/dir-stream/climb", test_climb);
  g_test_add_func ("/dir-stream/no-top-folder", test_no_top_folder);
  g_test_add_func ("/dir-stream/too-deep", test_too_deep);
  g_test_add_func ("/dir-stream/too-many", test_too_many);
  g_test_add_func ("/dir-stream/header-size-lies", test_header_size_lies);
  g_test_add_func ("/dir-stream/bad-fields", test_bad_fields);
  g_test_add_func ("/dir-stream/size-limit", test_size_limit);
  g_test_add_func ("/dir-stream/hostile-names-raw", test_hostile_names_raw);
  g_test_add_func ("/dir-stream/colons-and-other-types", test_colons_and_other_types);
  g_test_add_func ("/dir-stream/truncated", test_truncated);
  g_test_add_func ("/dir-stream/append-header", test_append_header);
  g_test_add_func ("/dir-stream/round-trip", test_round_trip);
  g_test_add_func ("/dir-stream/empty-feeds", test_empty_feeds);

  return g_test_run ();
}
