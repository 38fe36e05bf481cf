/* lan-packet-filter.c — parse a search query once, match many rows fast.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lan-ipmsg.h"
#include "lan-packet-filter.h"
#include "lan-packet-log-entry-private.h"

typedef enum {
  KEY_DIR,
  KEY_VERDICT,
  KEY_FROM,
  KEY_TO,
  KEY_CMD,
  KEY_PEER,
  KEY_WORD,
} Key;

static const char * const key_names[] = {
  [KEY_DIR] = "dir",
  [KEY_VERDICT] = "verdict",
  [KEY_FROM] = "from",
  [KEY_TO] = "to",
  [KEY_CMD] = "cmd",
  [KEY_PEER] = "peer",
  [KEY_WORD] = NULL,
};

/* An address block; port 0 is any port. */
typedef struct {
  guint32 address;
  guint32 mask;
  guint16 port;
} Block;

typedef struct {
  Key        key;
  gboolean   negate;
  char      *canonical;   /* for compare: "-cmd:32,33", "word:hello" */
  int        cost;        /* cheap terms run first */

  LanDirection direction;
  guint32    verdicts;    /* bit per LanVerdict */
  guint8     modes[32];   /* bit per command mode */
  GArray    *blocks;      /* Block: from, to, and peer given as addresses */
  GPtrArray *needles;     /* case-folded text: words, and peer given as names */
  gboolean   ascii;       /* every needle is ASCII: ASCII rows need no folding */
} Term;

struct _LanPacketFilter
{
  GObject      parent_instance;

  char        *query;
  GPtrArray   *terms;      /* Term, as written */
  GPtrArray   *by_cost;    /* the same, cheapest first */
  LanPeerList *peers;
};

G_DEFINE_FINAL_TYPE (LanPacketFilter, lan_packet_filter, G_TYPE_OBJECT)

G_DEFINE_QUARK (lan-packet-filter-error-quark, lan_packet_filter_error)

static void
term_free (Term *term)
{
  g_free (term->canonical);
  g_clear_pointer (&term->blocks, g_array_unref);
  g_clear_pointer (&term->needles, g_ptr_array_unref);
  g_free (term);
}

static void
lan_packet_filter_finalize (GObject *object)
{
  LanPacketFilter *self = LAN_PACKET_FILTER (object);

  g_free (self->query);
  g_clear_pointer (&self->by_cost, g_ptr_array_unref);
  g_clear_pointer (&self->terms, g_ptr_array_unref);
  g_clear_object (&self->peers);
  G_OBJECT_CLASS (lan_packet_filter_parent_class)->finalize (object);
}

static void
lan_packet_filter_class_init (LanPacketFilterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lan_packet_filter_finalize;
}

static void
lan_packet_filter_init (LanPacketFilter *self)
{
  self->terms = g_ptr_array_new_with_free_func ((GDestroyNotify) term_free);
  self->by_cost = g_ptr_array_new ();
}

/* Parsing */

typedef struct {
  const char *query;
  int        *error_start;
  int        *error_end;
  GError    **error;
} Parser;

/* One alternative of a value, or a plain word, unquoted; with where it was. */
typedef struct {
  char       *text;
  const char *start;
  const char *end;
} Piece;

static void
piece_clear (Piece *piece)
{
  g_free (piece->text);
}

static gboolean G_GNUC_PRINTF (5, 6)
fail (Parser     *parser,
      const char *start,
      const char *end,
      int         code,
      const char *format,
      ...)
{
  g_autofree char *what = NULL;
  va_list args;
  long first = g_utf8_pointer_to_offset (parser->query, start);
  long last = g_utf8_pointer_to_offset (parser->query, end);

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  if (parser->error_start != NULL)
    *parser->error_start = (int) first;
  if (parser->error_end != NULL)
    *parser->error_end = (int) MAX (last, first + 1);
  /* Counted from 1 for people; the offsets above are for widgets. */
  g_set_error (parser->error, LAN_PACKET_FILTER_ERROR, code,
               _("At character %ld: %s"), first + 1, what);
  return FALSE;
}

static gboolean
is_space (const char *p)
{
  return g_unichar_isspace (g_utf8_get_char (p));
}

static const char *
skip_spaces (const char *p)
{
  while (*p != '\0' && is_space (p))
    p = g_utf8_next_char (p);
  return p;
}

/* Reads one token's value from @p: quoted parts taken literally, and, when
 * @split, unquoted commas separating alternatives. */
static gboolean
read_pieces (Parser      *parser,
             const char **inout,
             gboolean     split,
             GArray      *pieces)
{
  const char *p = *inout;
  g_autoptr(GString) text = g_string_new (NULL);
  const char *piece_start = p;

  for (;;)
    {
      if (*p == '\0' || is_space (p) || (split && *p == ','))
        {
          Piece piece = { NULL, piece_start, p };

          /* Keys want a value; a plain "" is allowed and looks for nothing. */
          if (text->len == 0 && split)
            return fail (parser, piece_start, p, LAN_PACKET_FILTER_ERROR_EMPTY_VALUE,
                         _("a value is missing here"));
          piece.text = g_strndup (text->str, text->len);
          g_array_append_val (pieces, piece);
          if (*p != ',')
            break;
          p++;
          g_string_truncate (text, 0);
          piece_start = p;
          continue;
        }
      if (*p == '"')
        {
          const char *open = p++;

          while (*p != '"')
            {
              if (*p == '\0')
                return fail (parser, open, p, LAN_PACKET_FILTER_ERROR_UNTERMINATED_QUOTE,
                             _("this quote is never closed"));
              if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
                p++;
              g_string_append_c (text, *p);
              p++;
            }
          p++;
          continue;
        }
      g_string_append_c (text, *p);
      p++;
    }

  *inout = p;
  return TRUE;
}

/* "10.77.0.5", "10.77.0.0/24", either with ":2425". */
static gboolean
parse_block (const char *text,
             Block      *block)
{
  g_autofree char *copy = g_strdup (text);
  char *colon = strchr (copy, ':');
  char *slash;
  guint64 bits = 32;
  guint64 port = 0;

  if (colon != NULL)
    {
      *colon = '\0';
      if (!g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &port, NULL))
        return FALSE;
    }
  slash = strchr (copy, '/');
  if (slash != NULL)
    {
      *slash = '\0';
      if (!g_ascii_string_to_unsigned (slash + 1, 10, 0, 32, &bits, NULL))
        return FALSE;
    }
  if (!lan_ipv4_parse (copy, &block->address))
    return FALSE;
  block->mask = bits == 0 ? 0 : 0xffffffffu << (32 - bits);
  block->address &= block->mask;
  block->port = (guint16) port;
  return TRUE;
}

static gboolean
parse_command (const char *text,
               guint      *mode)
{
  guint64 number;

  if (g_ascii_strncasecmp (text, "IPMSG_", 6) == 0)
    text += 6;
  if (g_ascii_strncasecmp (text, "0x", 2) == 0 && text[2] != '\0')
    {
      if (!g_ascii_string_to_unsigned (text + 2, 16, 0, 255, &number, NULL))
        return FALSE;
      *mode = (guint) number;
      return TRUE;
    }
  if (g_ascii_isdigit (*text))
    {
      if (!g_ascii_string_to_unsigned (text, 10, 0, 255, &number, NULL))
        return FALSE;
      *mode = (guint) number;
      return TRUE;
    }
  for (guint i = 0; i < 256; i++)
    {
      const char *name = lan_ipmsg_command_name (i);

      if (name != NULL && g_ascii_strcasecmp (name, text) == 0)
        {
          *mode = i;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
is_ascii (const char *text)
{
  for (; *text != '\0'; text++)
    if ((guchar) *text >= 0x80)
      return FALSE;
  return TRUE;
}

static char *
fold (const char *text)
{
  return is_ascii (text) ? g_ascii_strdown (text, -1) : g_utf8_casefold (text, -1);
}

static void
add_needle (Term       *term,
            const char *text)
{
  char *needle = fold (text);

  if (term->needles == NULL)
    {
      term->needles = g_ptr_array_new_with_free_func (g_free);
      term->ascii = TRUE;
    }
  term->ascii = term->ascii && is_ascii (needle);
  g_ptr_array_add (term->needles, needle);
}

static void
add_block (Term  *term,
           Block  block)
{
  if (term->blocks == NULL)
    term->blocks = g_array_new (FALSE, FALSE, sizeof (Block));
  g_array_append_val (term->blocks, block);
}

static gboolean
add_value (Parser *parser,
           Term   *term,
           Piece  *piece)
{
  const char *text = piece->text;
  Block block;
  guint mode;

  switch (term->key)
    {
    case KEY_DIR:
      if (g_ascii_strcasecmp (text, "in") == 0)
        term->direction = LAN_DIRECTION_IN;
      else if (g_ascii_strcasecmp (text, "out") == 0)
        term->direction = LAN_DIRECTION_OUT;
      else
        return fail (parser, piece->start, piece->end, LAN_PACKET_FILTER_ERROR_BAD_VALUE,
                     _("dir: is “in” or “out”, not “%s”"), text);
      return TRUE;

    case KEY_VERDICT:
      for (guint v = 0; v < LAN_VERDICT_N; v++)
        if (g_ascii_strcasecmp (text, lan_verdict_to_string (v)) == 0)
          {
            term->verdicts |= 1u << v;
            return TRUE;
          }
      {
        g_autoptr(GString) names = g_string_new (NULL);

        for (guint v = 0; v < LAN_VERDICT_N; v++)
          g_string_append_printf (names, "%s%s", v > 0 ? ", " : "", lan_verdict_to_string (v));
        return fail (parser, piece->start, piece->end, LAN_PACKET_FILTER_ERROR_BAD_VALUE,
                     _("“%s” is not a verdict: use one of %s"), text, names->str);
      }

    case KEY_FROM:
    case KEY_TO:
      if (!parse_block (text, &block))
        return fail (parser, piece->start, piece->end, LAN_PACKET_FILTER_ERROR_BAD_VALUE,
                     _("“%s” is not an IPv4 address or block such as 10.77.0.5, "
                       "10.77.0.0/24 or 10.77.0.5:2425"), text);
      add_block (term, block);
      return TRUE;

    case KEY_CMD:
      if (!parse_command (text, &mode))
        return fail (parser, piece->start, piece->end, LAN_PACKET_FILTER_ERROR_BAD_VALUE,
                     _("“%s” is not a command: use a name such as SENDMSG or BR_ENTRY, "
                       "or a number from 0 to 255"), text);
      term->modes[mode / 8] |= (guint8) (1u << (mode % 8));
      return TRUE;

    case KEY_PEER:
      if (parse_block (text, &block))
        add_block (term, block);
      else
        add_needle (term, text);
      return TRUE;

    case KEY_WORD:
    default:
      add_needle (term, text);
      return TRUE;
    }
}

static int
term_cost (Term *term)
{
  switch (term->key)
    {
    case KEY_DIR:
    case KEY_VERDICT:
      return 0;
    case KEY_FROM:
    case KEY_TO:
      return 1;
    case KEY_CMD:
      return 2;
    case KEY_PEER:
      /* Addresses alone need no decoding. */
      return term->needles == NULL ? 1 : 4;
    case KEY_WORD:
    default:
      return 5;
    }
}

static char *
canonical (Term   *term,
           GArray *pieces)
{
  g_autoptr(GString) out = g_string_new (term->negate ? "-" : "");

  g_string_append (out, key_names[term->key] != NULL ? key_names[term->key] : "word");
  g_string_append_c (out, ':');
  for (guint i = 0; i < pieces->len; i++)
    {
      g_autofree char *folded = fold (g_array_index (pieces, Piece, i).text);

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, folded);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
parse_term (Parser          *parser,
            LanPacketFilter *self,
            const char     **inout)
{
  const char *p = *inout;
  const char *key_start;
  const char *q;
  g_autoptr(GArray) pieces = g_array_new (FALSE, FALSE, sizeof (Piece));
  Term *term = g_new0 (Term, 1);

  g_array_set_clear_func (pieces, (GDestroyNotify) piece_clear);
  term->key = KEY_WORD;

  if (*p == '-' && p[1] != '\0' && !is_space (p + 1))
    {
      term->negate = TRUE;
      p++;
    }

  key_start = p;
  for (q = p; g_ascii_isalpha (*q); q++)
    ;
  if (q > p && *q == ':')
    {
      guint k;

      for (k = 0; k < G_N_ELEMENTS (key_names); k++)
        if (key_names[k] != NULL && (gsize) (q - p) == strlen (key_names[k]) &&
            g_ascii_strncasecmp (p, key_names[k], q - p) == 0)
          break;
      if (k == G_N_ELEMENTS (key_names))
        {
          g_autofree char *name = g_strndup (p, q - p);

          term_free (term);
          return fail (parser, key_start, q + 1, LAN_PACKET_FILTER_ERROR_UNKNOWN_KEY,
                       _("“%s:” is not a filter: use peer:, cmd:, dir:, from:, to: or verdict:, "
                         "or put the word in quotes"), name);
        }
      term->key = (Key) k;
      p = q + 1;
      if (*p == '\0' || is_space (p))
        {
          term_free (term);
          return fail (parser, key_start, p, LAN_PACKET_FILTER_ERROR_EMPTY_VALUE,
                       _("“%s:” needs a value"), key_names[k]);
        }
    }

  if (!read_pieces (parser, &p, term->key != KEY_WORD, pieces))
    {
      term_free (term);
      return FALSE;
    }
  *inout = p;

  /* "" means nothing to look for. */
  if (term->key == KEY_WORD && g_array_index (pieces, Piece, 0).text[0] == '\0')
    {
      term_free (term);
      return TRUE;
    }

  for (guint i = 0; i < pieces->len; i++)
    if (!add_value (parser, term, &g_array_index (pieces, Piece, i)))
      {
        term_free (term);
        return FALSE;
      }
  /* dir:in,out is every row. */
  if (term->key == KEY_DIR && pieces->len > 1)
    {
      gboolean in = FALSE, out = FALSE;

      for (guint i = 0; i < pieces->len; i++)
        {
          if (g_ascii_strcasecmp (g_array_index (pieces, Piece, i).text, "in") == 0)
            in = TRUE;
          else
            out = TRUE;
        }
      if (in && out)
        {
          term_free (term);
          return TRUE;
        }
    }

  term->canonical = canonical (term, pieces);
  term->cost = term_cost (term);
  g_ptr_array_add (self->terms, term);
  return TRUE;
}

static int
compare_cost (gconstpointer a,
              gconstpointer b)
{
  const Term *ta = *(Term * const *) a;
  const Term *tb = *(Term * const *) b;

  return ta->cost - tb->cost;
}

LanPacketFilter *
lan_packet_filter_new (const char  *query,
                       int         *error_start,
                       int         *error_end,
                       GError     **error)
{
  g_autoptr(LanPacketFilter) self = g_object_new (LAN_TYPE_PACKET_FILTER, NULL);
  Parser parser = { NULL, error_start, error_end, error };
  const char *p;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Offsets and folding want valid UTF-8; a pasted stray byte becomes U+FFFD. */
  self->query = g_utf8_make_valid (query != NULL ? query : "", -1);
  parser.query = self->query;

  for (p = skip_spaces (self->query); *p != '\0'; p = skip_spaces (p))
    if (!parse_term (&parser, self, &p))
      return NULL;

  for (guint i = 0; i < self->terms->len; i++)
    g_ptr_array_add (self->by_cost, g_ptr_array_index (self->terms, i));
  /* Stable enough: equal costs keep no meaningful order. */
  g_ptr_array_sort (self->by_cost, compare_cost);

  return g_steal_pointer (&self);
}

const char *
lan_packet_filter_get_query (LanPacketFilter *self)
{
  g_return_val_if_fail (LAN_IS_PACKET_FILTER (self), NULL);

  return self->query;
}

gboolean
lan_packet_filter_is_empty (LanPacketFilter *self)
{
  g_return_val_if_fail (LAN_IS_PACKET_FILTER (self), TRUE);

  return self->terms->len == 0;
}

void
lan_packet_filter_set_peers (LanPacketFilter *self,
                             LanPeerList     *peers)
{
  g_return_if_fail (LAN_IS_PACKET_FILTER (self));

  g_set_object (&self->peers, peers);
}

/* Matching */

static gboolean
contains_ascii (const char *haystack,
                const char *needle)
{
  gsize needle_len = strlen (needle);
  char first = needle[0];

  if (haystack == NULL)
    return FALSE;
  if (needle_len == 0)
    return TRUE;
  for (const char *p = haystack; *p != '\0'; p++)
    if (g_ascii_tolower (*p) == first && g_ascii_strncasecmp (p, needle, needle_len) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
contains (Term       *term,
          const char *haystack,
          const char *needle)
{
  g_autofree char *folded = NULL;

  if (haystack == NULL)
    return FALSE;
  /* ASCII on both sides: compare bytes. Not an ASCII needle alone, which
   * folding can still find in "Straße" or "ﬁle". */
  if (term->ascii && is_ascii (haystack))
    return contains_ascii (haystack, needle);
  folded = g_utf8_casefold (haystack, -1);
  return strstr (folded, needle) != NULL;
}

static gboolean
block_matches (GArray      *blocks,
               LanEndpoint  endpoint)
{
  for (guint i = 0; i < blocks->len; i++)
    {
      Block *block = &g_array_index (blocks, Block, i);

      if ((endpoint.address & block->mask) == block->address &&
          (block->port == 0 || block->port == endpoint.port))
        return TRUE;
    }
  return FALSE;
}

static gboolean
command_matches (Term              *term,
                 LanPacketLogEntry *entry)
{
  GBytes *bytes = lan_packet_log_entry_get_bytes (entry);
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  guint32 command;
  guint mode;

  if (lan_packet_log_entry_get_verdict (entry) == LAN_VERDICT_MALFORMED ||
      !lan_packet_peek_command (data, len, &command))
    return FALSE;
  mode = LAN_IPMSG_MODE (command);
  if (!(term->modes[mode / 8] & (1u << (mode % 8))))
    return FALSE;
  /* The bytes say so; the codec must agree, as the row shows what it parsed. */
  return lan_packet_log_entry_get_parsed (entry);
}

static gboolean
peer_matches (LanPacketFilter   *self,
              Term              *term,
              LanPacketLogEntry *entry)
{
  LanEndpoint remote = lan_packet_log_entry_get_remote (entry);
  gboolean in = lan_packet_log_entry_get_direction (entry) == LAN_DIRECTION_IN;
  LanPeer *peer = NULL;
  char address[16];
  const char *user = NULL, *host = NULL, *nickname = NULL;

  if (term->blocks != NULL && block_matches (term->blocks, remote))
    return TRUE;
  if (term->needles == NULL)
    return FALSE;

  if (self->peers != NULL)
    peer = lan_peer_list_lookup_endpoint (self->peers, remote);
  lan_ipv4_format (remote.address, address);
  /* What we send carries our own names: only incoming packets name the peer. */
  if (in && lan_packet_log_entry_get_parsed (entry))
    {
      user = lan_packet_log_entry_get_user (entry);
      host = lan_packet_log_entry_get_host (entry);
      /* An entry packet's first section is its sender's nickname. */
      if (lan_ipmsg_is_entry_mode (lan_packet_log_entry_get_command (entry)))
        nickname = lan_packet_log_entry_get_text (entry);
    }

  for (guint i = 0; i < term->needles->len; i++)
    {
      const char *needle = g_ptr_array_index (term->needles, i);

      if ((peer != NULL && (contains (term, lan_peer_get_nickname (peer), needle) ||
                            contains (term, lan_peer_get_user (peer), needle) ||
                            contains (term, lan_peer_get_host (peer), needle))) ||
          contains (term, user, needle) ||
          contains (term, host, needle) ||
          contains (term, nickname, needle) ||
          contains_ascii (address, needle))
        return TRUE;
    }
  return FALSE;
}

static gboolean
word_matches (Term              *term,
              LanPacketLogEntry *entry)
{
  const char *needle = g_ptr_array_index (term->needles, 0);

  return contains (term, lan_packet_log_entry_get_info (entry), needle) ||
         contains (term, lan_packet_log_entry_get_text (entry), needle) ||
         contains (term, lan_packet_log_entry_get_detail (entry), needle);
}

static gboolean
term_matches (LanPacketFilter   *self,
              Term              *term,
              LanPacketLogEntry *entry)
{
  gboolean in = lan_packet_log_entry_get_direction (entry) == LAN_DIRECTION_IN;

  switch (term->key)
    {
    case KEY_DIR:
      return lan_packet_log_entry_get_direction (entry) == term->direction;
    case KEY_VERDICT:
      return (term->verdicts & (1u << lan_packet_log_entry_get_verdict (entry))) != 0;
    case KEY_FROM:
      return block_matches (term->blocks, in ? lan_packet_log_entry_get_remote (entry)
                                             : lan_packet_log_entry_get_local (entry));
    case KEY_TO:
      return block_matches (term->blocks, in ? lan_packet_log_entry_get_local (entry)
                                             : lan_packet_log_entry_get_remote (entry));
    case KEY_CMD:
      return command_matches (term, entry);
    case KEY_PEER:
      return peer_matches (self, term, entry);
    case KEY_WORD:
    default:
      return word_matches (term, entry);
    }
}

gboolean
lan_packet_filter_match (LanPacketFilter   *self,
                         LanPacketLogEntry *entry)
{
  gboolean matches = TRUE;

  g_return_val_if_fail (LAN_IS_PACKET_FILTER (self), FALSE);
  g_return_val_if_fail (LAN_IS_PACKET_LOG_ENTRY (entry), FALSE);

  /* A row that left the log while a view still held it has nothing to match. */
  if (lan_packet_log_entry_get_evicted (entry))
    return self->terms->len == 0;

  for (guint i = 0; i < self->by_cost->len && matches; i++)
    {
      Term *term = g_ptr_array_index (self->by_cost, i);

      matches = term_matches (self, term, entry) != term->negate;
    }
  return matches;
}

/* Comparing */

/* Every row @strict matches, @loose matches too. */
static gboolean
term_implies (Term *strict,
              Term *loose)
{
  const char *s, *l;

  if (g_str_equal (strict->canonical, loose->canonical))
    return TRUE;
  if (strict->key != loose->key || strict->negate != loose->negate ||
      strict->needles == NULL || loose->needles == NULL || strict->blocks != NULL ||
      loose->blocks != NULL || strict->needles->len != 1 || loose->needles->len != 1)
    return FALSE;
  s = g_ptr_array_index (strict->needles, 0);
  l = g_ptr_array_index (loose->needles, 0);
  /* Containing "alice" implies containing "alic"; lacking "alic" implies lacking "alice". */
  return strict->negate ? strstr (l, s) != NULL : strstr (s, l) != NULL;
}

/* Every row @strict matches, @loose matches: each of @loose's terms is implied. */
static gboolean
filter_implies (LanPacketFilter *strict,
                LanPacketFilter *loose)
{
  for (guint i = 0; i < loose->terms->len; i++)
    {
      Term *want = g_ptr_array_index (loose->terms, i);
      gboolean found = FALSE;

      for (guint j = 0; j < strict->terms->len && !found; j++)
        found = term_implies (g_ptr_array_index (strict->terms, j), want);
      if (!found)
        return FALSE;
    }
  return TRUE;
}

LanPacketFilterChange
lan_packet_filter_compare (LanPacketFilter *old_filter,
                           LanPacketFilter *new_filter)
{
  gboolean more, less;

  g_return_val_if_fail (LAN_IS_PACKET_FILTER (old_filter), LAN_PACKET_FILTER_DIFFERENT);
  g_return_val_if_fail (LAN_IS_PACKET_FILTER (new_filter), LAN_PACKET_FILTER_DIFFERENT);

  /* Nicknames come from the peer list: another list is another filter. */
  if (old_filter->peers != new_filter->peers)
    return LAN_PACKET_FILTER_DIFFERENT;

  more = filter_implies (new_filter, old_filter);
  less = filter_implies (old_filter, new_filter);
  if (more && less)
    return LAN_PACKET_FILTER_SAME;
  if (more)
    return LAN_PACKET_FILTER_MORE_STRICT;
  if (less)
    return LAN_PACKET_FILTER_LESS_STRICT;
  return LAN_PACKET_FILTER_DIFFERENT;
}
