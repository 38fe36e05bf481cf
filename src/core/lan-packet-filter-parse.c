/* lan-packet-filter-parse.c — the search language read into terms.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-packet-filter-parse"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lan-ipmsg.h"
#include "lan-packet-filter.h"
#include "lan-packet-filter-term.h"

static const char * const key_names[] = {
  [LAN_PACKET_FILTER_KEY_DIR] = "dir",
  [LAN_PACKET_FILTER_KEY_VERDICT] = "verdict",
  [LAN_PACKET_FILTER_KEY_FROM] = "from",
  [LAN_PACKET_FILTER_KEY_TO] = "to",
  [LAN_PACKET_FILTER_KEY_CMD] = "cmd",
  [LAN_PACKET_FILTER_KEY_PEER] = "peer",
  [LAN_PACKET_FILTER_KEY_PROTO] = "proto",
  [LAN_PACKET_FILTER_KEY_WORD] = NULL,
};

void
lan_packet_filter_term_free (LanPacketFilterTerm *term)
{
  g_free (term->canonical);
  g_clear_pointer (&term->blocks, g_array_unref);
  g_clear_pointer (&term->needles, g_ptr_array_unref);
  g_free (term);
}

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
parse_block (const char           *text,
             LanPacketFilterBlock *block)
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

gboolean
lan_packet_filter_text_is_ascii (const char *text)
{
  for (; *text != '\0'; text++)
    if ((guchar) *text >= 0x80)
      return FALSE;
  return TRUE;
}

static char *
fold (const char *text)
{
  return lan_packet_filter_text_is_ascii (text) ? g_ascii_strdown (text, -1) : g_utf8_casefold (text, -1);
}

static void
add_needle (LanPacketFilterTerm *term,
            const char          *text)
{
  char *needle = fold (text);

  if (term->needles == NULL)
    {
      term->needles = g_ptr_array_new_with_free_func (g_free);
      term->ascii = TRUE;
    }
  term->ascii = term->ascii && lan_packet_filter_text_is_ascii (needle);
  g_ptr_array_add (term->needles, needle);
}

static void
add_block (LanPacketFilterTerm  *term,
           LanPacketFilterBlock  block)
{
  if (term->blocks == NULL)
    term->blocks = g_array_new (FALSE, FALSE, sizeof (LanPacketFilterBlock));
  g_array_append_val (term->blocks, block);
}

static gboolean
add_value (Parser              *parser,
           LanPacketFilterTerm *term,
           Piece               *piece)
{
  const char *text = piece->text;
  LanPacketFilterBlock block;
  guint mode;

  switch (term->key)
    {
    case LAN_PACKET_FILTER_KEY_DIR:
      if (g_ascii_strcasecmp (text, "in") == 0)
        term->direction = LAN_DIRECTION_IN;
      else if (g_ascii_strcasecmp (text, "out") == 0)
        term->direction = LAN_DIRECTION_OUT;
      else
        return fail (parser, piece->start, piece->end, LAN_PACKET_FILTER_ERROR_BAD_VALUE,
                     _("dir: is “in” or “out”, not “%s”"), text);
      return TRUE;

    case LAN_PACKET_FILTER_KEY_PROTO:
      if (g_ascii_strcasecmp (text, "tcp") == 0)
        term->tcp = TRUE;
      else if (g_ascii_strcasecmp (text, "udp") == 0)
        term->tcp = FALSE;
      else
        return fail (parser, piece->start, piece->end, LAN_PACKET_FILTER_ERROR_BAD_VALUE,
                     _("proto: is “tcp” or “udp”, not “%s”"), text);
      return TRUE;

    case LAN_PACKET_FILTER_KEY_VERDICT:
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

    case LAN_PACKET_FILTER_KEY_FROM:
    case LAN_PACKET_FILTER_KEY_TO:
      if (!parse_block (text, &block))
        return fail (parser, piece->start, piece->end, LAN_PACKET_FILTER_ERROR_BAD_VALUE,
                     _("“%s” is not an IPv4 address or block such as 10.77.0.5, "
                       "10.77.0.0/24 or 10.77.0.5:2425"), text);
      add_block (term, block);
      return TRUE;

    case LAN_PACKET_FILTER_KEY_CMD:
      if (!parse_command (text, &mode))
        return fail (parser, piece->start, piece->end, LAN_PACKET_FILTER_ERROR_BAD_VALUE,
                     _("“%s” is not a command: use a name such as SENDMSG or BR_ENTRY, "
                       "or a number from 0 to 255"), text);
      term->modes[mode / 8] |= (guint8) (1u << (mode % 8));
      return TRUE;

    case LAN_PACKET_FILTER_KEY_PEER:
      if (parse_block (text, &block))
        add_block (term, block);
      else
        add_needle (term, text);
      return TRUE;

    case LAN_PACKET_FILTER_KEY_WORD:
    default:
      add_needle (term, text);
      return TRUE;
    }
}

static int
term_cost (LanPacketFilterTerm *term)
{
  switch (term->key)
    {
    case LAN_PACKET_FILTER_KEY_DIR:
    case LAN_PACKET_FILTER_KEY_PROTO:
    case LAN_PACKET_FILTER_KEY_VERDICT:
      return 0;
    case LAN_PACKET_FILTER_KEY_FROM:
    case LAN_PACKET_FILTER_KEY_TO:
      return 1;
    case LAN_PACKET_FILTER_KEY_CMD:
      return 2;
    case LAN_PACKET_FILTER_KEY_PEER:
      /* Addresses alone need no decoding. */
      return term->needles == NULL ? 1 : 4;
    case LAN_PACKET_FILTER_KEY_WORD:
    default:
      return 5;
    }
}

static char *
canonical (LanPacketFilterTerm *term,
           GArray              *pieces)
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
parse_term (Parser      *parser,
            GPtrArray   *terms,
            const char **inout)
{
  const char *p = *inout;
  const char *key_start;
  const char *q;
  g_autoptr(GArray) pieces = g_array_new (FALSE, FALSE, sizeof (Piece));
  LanPacketFilterTerm *term = g_new0 (LanPacketFilterTerm, 1);

  g_array_set_clear_func (pieces, (GDestroyNotify) piece_clear);
  term->key = LAN_PACKET_FILTER_KEY_WORD;

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

          lan_packet_filter_term_free (term);
          return fail (parser, key_start, q + 1, LAN_PACKET_FILTER_ERROR_UNKNOWN_KEY,
                       _("“%s:” is not a filter: use peer:, cmd:, dir:, proto:, from:, to: or verdict:, "
                         "or put the word in quotes"), name);
        }
      term->key = (LanPacketFilterKey) k;
      p = q + 1;
      if (*p == '\0' || is_space (p))
        {
          lan_packet_filter_term_free (term);
          return fail (parser, key_start, p, LAN_PACKET_FILTER_ERROR_EMPTY_VALUE,
                       _("“%s:” needs a value"), key_names[k]);
        }
    }

  if (!read_pieces (parser, &p, term->key != LAN_PACKET_FILTER_KEY_WORD, pieces))
    {
      lan_packet_filter_term_free (term);
      return FALSE;
    }
  *inout = p;

  /* "" means nothing to look for. */
  if (term->key == LAN_PACKET_FILTER_KEY_WORD && g_array_index (pieces, Piece, 0).text[0] == '\0')
    {
      lan_packet_filter_term_free (term);
      return TRUE;
    }

  for (guint i = 0; i < pieces->len; i++)
    if (!add_value (parser, term, &g_array_index (pieces, Piece, i)))
      {
        lan_packet_filter_term_free (term);
        return FALSE;
      }
  /* dir:in,out and proto:tcp,udp are every row. */
  if ((term->key == LAN_PACKET_FILTER_KEY_DIR || term->key == LAN_PACKET_FILTER_KEY_PROTO) &&
      pieces->len > 1)
    {
      const char *first_value = term->key == LAN_PACKET_FILTER_KEY_DIR ? "in" : "tcp";
      gboolean in = FALSE, out = FALSE;

      for (guint i = 0; i < pieces->len; i++)
        {
          if (g_ascii_strcasecmp (g_array_index (pieces, Piece, i).text, first_value) == 0)
            in = TRUE;
          else
            out = TRUE;
        }
      if (in && out)
        {
          lan_packet_filter_term_free (term);
          return TRUE;
        }
    }

  term->canonical = canonical (term, pieces);
  term->cost = term_cost (term);
  g_ptr_array_add (terms, term);
  return TRUE;
}

gboolean
lan_packet_filter_parse_terms (const char  *query,
                               GPtrArray   *terms,
                               int         *error_start,
                               int         *error_end,
                               GError     **error)
{
  Parser parser = { query, error_start, error_end, error };

  for (const char *p = skip_spaces (query); *p != '\0'; p = skip_spaces (p))
    if (!parse_term (&parser, terms, &p))
      return FALSE;
  return TRUE;
}
