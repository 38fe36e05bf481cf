/* lan-packet-inspector.c — one logged datagram taken apart.
 *
 * Top: where it came from and went, the verdict and why, and the packets
 * that belong with it (a message's resends and acknowledgement, with the
 * round trip). Below, the fields as a tree (lan-packet-fields.c) over the
 * hex and ASCII dump; selecting a field highlights its bytes in both
 * halves of the dump. The same field stays selected from one packet to the
 * next, so stepping through the log compares like with like.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

#include "lan-ipmsg.h"
#include "lan-log-format.h"
#include "lan-packet-fields.h"
#include "lan-packet-inspector.h"
#include "lan-packet-links.h"
#include "lan-display-text.h"

#define HIGHLIGHT_TAG "field"
#define MAX_DEPTH 8

/* ---- a field as a list item ---------------------------------------- */

#define LAN_TYPE_FIELD_ITEM (lan_field_item_get_type ())
G_DECLARE_FINAL_TYPE (LanFieldItem, lan_field_item, LAN, FIELD_ITEM, GObject)

struct _LanFieldItem
{
  GObject               parent_instance;

  GPtrArray            *fields;   /* keeps @field alive */
  const LanPacketField *field;
  GListStore           *children;
};

G_DEFINE_FINAL_TYPE (LanFieldItem, lan_field_item, G_TYPE_OBJECT)

static void
lan_field_item_finalize (GObject *object)
{
  LanFieldItem *self = LAN_FIELD_ITEM (object);

  g_clear_object (&self->children);
  g_clear_pointer (&self->fields, g_ptr_array_unref);
  G_OBJECT_CLASS (lan_field_item_parent_class)->finalize (object);
}

static void
lan_field_item_class_init (LanFieldItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lan_field_item_finalize;
}

static void
lan_field_item_init (LanFieldItem *self)
{
}

static LanFieldItem *
lan_field_item_new (GPtrArray            *fields,
                    const LanPacketField *field)
{
  LanFieldItem *self = g_object_new (LAN_TYPE_FIELD_ITEM, NULL);

  self->fields = g_ptr_array_ref (fields);
  self->field = field;
  return self;
}

/* ---- the inspector -------------------------------------------------- */

struct _LanPacketInspector
{
  GtkWidget           parent_instance;

  LanPacketLogEntry  *entry;
  GListModel         *context;
  GPtrArray          *fields;
  LanLegacyEncoding   legacy;
  gboolean            awaiting_links;
  /* The field to select again in the next packet. */
  char               *selected_key;
  gboolean            rebuilding;
  guint               scroll_to;
  guint               scroll_idle_id;

  GtkTreeListModel   *tree;
  GtkSingleSelection *selection;

  GtkStack           *stack;
  GtkLabel           *summary_label;
  GtkLabel           *verdict_label;
  GtkLabel           *detail_label;
  GtkLabel           *links_label;
  GtkListView        *fields_view;
  GtkTextView        *hex_view;
};

G_DEFINE_FINAL_TYPE (LanPacketInspector, lan_packet_inspector, GTK_TYPE_WIDGET)

enum {
  ACTIVATE_LINK,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const verdict_classes[] = { "log-bad", "log-odd", "log-own" };

static GListModel *
create_children (gpointer item,
                 gpointer user_data)
{
  LanFieldItem *field_item = item;

  return field_item->children != NULL ? g_object_ref (G_LIST_MODEL (field_item->children)) : NULL;
}

static GListModel *
build_tree (GPtrArray *fields)
{
  GListStore *roots = g_list_store_new (LAN_TYPE_FIELD_ITEM);
  LanFieldItem *last_at_depth[MAX_DEPTH] = { NULL };

  for (guint i = 0; fields != NULL && i < fields->len; i++)
    {
      const LanPacketField *field = g_ptr_array_index (fields, i);
      g_autoptr(LanFieldItem) item = lan_field_item_new (fields, field);
      guint depth = MIN (field->depth, MAX_DEPTH - 1);
      LanFieldItem *parent = depth > 0 ? last_at_depth[depth - 1] : NULL;

      if (parent != NULL)
        {
          if (parent->children == NULL)
            parent->children = g_list_store_new (LAN_TYPE_FIELD_ITEM);
          g_list_store_append (parent->children, item);
        }
      else
        {
          depth = 0;
          g_list_store_append (roots, item);
        }

      /* Borrowed: the stores hold the items. */
      last_at_depth[depth] = item;
      for (guint d = depth + 1; d < MAX_DEPTH; d++)
        last_at_depth[d] = NULL;
    }

  return G_LIST_MODEL (roots);
}

static const LanPacketField *
get_selected_field (LanPacketInspector *self)
{
  GtkTreeListRow *row = gtk_single_selection_get_selected_item (self->selection);
  g_autoptr(LanFieldItem) item = NULL;

  if (row == NULL)
    return NULL;
  item = gtk_tree_list_row_get_item (row);
  return item != NULL ? item->field : NULL;
}

static void
tag_bytes (GtkTextBuffer *buffer,
           GtkTextTag    *tag,
           gsize          first,
           gsize          last)
{
  /* Line by line: on each, one run in the hex half and one in the ASCII half. */
  for (gsize index = first; index <= last;)
    {
      gsize line, line_last;
      guint hex_start, ascii_start, hex_end, ascii_end;
      GtkTextIter start, end;

      lan_log_hex_dump_position (index, &line, &hex_start, &ascii_start);
      line_last = MIN (last, (line + 1) * 16 - 1);
      lan_log_hex_dump_position (line_last, NULL, &hex_end, &ascii_end);

      gtk_text_buffer_get_iter_at_line_offset (buffer, &start, (int) line, (int) hex_start);
      gtk_text_buffer_get_iter_at_line_offset (buffer, &end, (int) line, (int) hex_end + 2);
      gtk_text_buffer_apply_tag (buffer, tag, &start, &end);
      gtk_text_buffer_get_iter_at_line_offset (buffer, &start, (int) line, (int) ascii_start);
      gtk_text_buffer_get_iter_at_line_offset (buffer, &end, (int) line, (int) ascii_end + 1);
      gtk_text_buffer_apply_tag (buffer, tag, &start, &end);

      index = line_last + 1;
    }
}

static void
highlight_field (LanPacketInspector   *self,
                 const LanPacketField *field)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->hex_view);
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), HIGHLIGHT_TAG);
  GtkTextIter start, end;
  gsize len = 0;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_remove_tag (buffer, tag, &start, &end);

  if (self->entry != NULL)
    len = g_bytes_get_size (lan_packet_log_entry_get_bytes (self->entry));
  if (field == NULL || field->length == 0 || field->offset >= len)
    return;

  tag_bytes (buffer, tag, field->offset, MIN (field->offset + field->length, len) - 1);

  {
    gsize line;
    GtkTextMark *mark = gtk_text_buffer_get_mark (buffer, "highlight");
    GtkTextIter at;

    lan_log_hex_dump_position (field->offset, &line, NULL, NULL);
    gtk_text_buffer_get_iter_at_line (buffer, &at, (int) line);
    gtk_text_buffer_move_mark (buffer, mark, &at);
    gtk_text_view_scroll_to_mark (self->hex_view, mark, 0.05, FALSE, 0, 0);
  }
}

static void
on_field_selected (LanPacketInspector *self)
{
  const LanPacketField *field = get_selected_field (self);

  highlight_field (self, field);

  /* A packet being swapped in deselects on the way; that is not the person. */
  if (!self->rebuilding)
    {
      g_free (self->selected_key);
      self->selected_key = field != NULL ? g_strdup (field->key) : NULL;
    }
}

static void
field_setup (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *value = gtk_label_new (NULL);
  GtkWidget *range = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_widget_add_css_class (name, "field-name");
  gtk_label_set_xalign (GTK_LABEL (value), 0);
  gtk_label_set_ellipsize (GTK_LABEL (value), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (value), TRUE);
  /* A long message must not make the inspector ask for the whole pane. */
  gtk_label_set_max_width_chars (GTK_LABEL (value), 32);
  gtk_widget_set_hexpand (value, TRUE);
  gtk_label_set_xalign (GTK_LABEL (range), 1);
  gtk_widget_add_css_class (range, "dim-label");
  gtk_widget_add_css_class (range, "numeric");
  gtk_widget_add_css_class (range, "caption");

  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), value);
  gtk_box_append (GTK_BOX (box), range);
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), box);
  gtk_list_item_set_child (list_item, expander);
}

static char *
describe_range (const LanPacketField *field)
{
  g_autofree char *first = g_strdup_printf ("%" G_GSIZE_FORMAT, field->offset);
  g_autofree char *last = NULL;

  if (field->length == 0)
    return g_strdup (_("no bytes"));
  if (field->length == 1)
    /* Translators: where a field is in the datagram: one byte's offset */
    return g_strdup_printf (_("byte %s"), first);
  last = g_strdup_printf ("%" G_GSIZE_FORMAT, field->offset + field->length - 1);
  /* Translators: where a field is in the datagram: first and last byte's offsets */
  return g_strdup_printf (_("bytes %s–%s"), first, last);
}

/* "No. 123": a row of the log by its number. */
static char *
format_row_number (guint64 number)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT, number);

  /* Translators: a row of the packet log, by its number */
  return g_strdup_printf (_("No. %s"), digits);
}

static void
field_bind (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  user_data)
{
  GtkTreeListRow *row = gtk_list_item_get_item (list_item);
  GtkWidget *expander = gtk_list_item_get_child (list_item);
  GtkWidget *box = gtk_tree_expander_get_child (GTK_TREE_EXPANDER (expander));
  GtkWidget *name = gtk_widget_get_first_child (box);
  GtkWidget *value = gtk_widget_get_next_sibling (name);
  GtkWidget *range = gtk_widget_get_next_sibling (value);
  g_autoptr(LanFieldItem) item = gtk_tree_list_row_get_item (row);
  g_autofree char *range_text = describe_range (item->field);
  g_autofree char *tooltip = NULL;

  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (expander), row);
  gtk_label_set_text (GTK_LABEL (name), item->field->name);
  gtk_label_set_text (GTK_LABEL (value), item->field->value);
  gtk_label_set_text (GTK_LABEL (range), range_text);
  tooltip = g_strdup_printf ("%s: %s\n%s", item->field->name, item->field->value, range_text);
  gtk_widget_set_tooltip_text (expander, tooltip);
}

static void
field_unbind (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  GtkWidget *expander = gtk_list_item_get_child (list_item);

  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (expander), NULL);
}

static char *
format_duration (gint64 us)
{
  if (us < 0)
    us = 0;
  if (us < 10 * G_USEC_PER_SEC)
    /* Translators: a duration in milliseconds */
    return g_strdup_printf (_("%.1f ms"), us / 1000.0);
  /* Translators: a duration in seconds */
  return g_strdup_printf (_("%.1f s"), us / (double) G_USEC_PER_SEC);
}

static void
append_link (GString             *out,
             LanPacketInspector  *self,
             const LanPacketLink *link)
{
  g_autofree char *number = format_row_number (link->number);
  g_autofree char *escaped = g_markup_escape_text (number, -1);

  if (link->number == lan_packet_log_entry_get_number (self->entry))
    /* The row being inspected: no link to where we are. */
    g_string_append_printf (out, "<b>%s</b>", escaped);
  else
    g_string_append_printf (out, "<a href=\"packet:%" G_GUINT64_FORMAT "\">%s</a>",
                            link->number, escaped);

  if (link->verdict == LAN_VERDICT_RESEND || link->verdict == LAN_VERDICT_DUPLICATE)
    {
      g_autofree char *verdict = g_markup_escape_text (lan_log_verdict_label (link->verdict), -1);
      g_string_append_printf (out, " (%s)", verdict);
    }
}

static void
append_escaped (GString    *out,
                const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  g_string_append (out, escaped);
}

/* The message, its sends and its acknowledgement, as one paragraph of
 * markup with links: "Message 123 · Sent as No. 5, No. 7 (Resend) ·
 * Acknowledged by No. 9 · Round trip 3.1 ms from the first send, …". */
static char *
format_links (LanPacketInspector   *self,
              const LanPacketLinks *links)
{
  GString *out = g_string_new (NULL);
  const char *separator = " · ";
  gboolean ours = TRUE;
  gboolean first;

  for (guint i = 0; i < links->links->len; i++)
    {
      const LanPacketLink *link = &g_array_index (links->links, LanPacketLink, i);

      if (link->kind == LAN_PACKET_LINK_SEND)
        {
          ours = link->direction == LAN_DIRECTION_OUT;
          break;
        }
    }

  {
    g_autofree char *packet_no = g_strdup_printf ("%" G_GUINT64_FORMAT, links->packet_no);
    /* Translators: a message, by the packet number it was sent with */
    g_autofree char *heading = g_strdup_printf (C_("packet log", "Message %s"), packet_no);

    g_string_append (out, "<b>");
    append_escaped (out, heading);
    g_string_append (out, "</b>");
  }

  g_string_append (out, separator);
  /* Translators: followed by the log rows that carry a message */
  append_escaped (out, ours ? _("Sent as") : _("Received as"));
  g_string_append_c (out, ' ');
  first = TRUE;
  for (guint i = 0; i < links->links->len; i++)
    {
      const LanPacketLink *link = &g_array_index (links->links, LanPacketLink, i);

      if (link->kind != LAN_PACKET_LINK_SEND)
        continue;
      if (!first)
        g_string_append (out, ", ");
      append_link (out, self, link);
      first = FALSE;
    }
  if (first)
    g_string_append (out, "—");

  first = TRUE;
  for (guint i = 0; i < links->links->len; i++)
    {
      const LanPacketLink *link = &g_array_index (links->links, LanPacketLink, i);

      if (link->kind != LAN_PACKET_LINK_ACK)
        continue;
      if (first)
        {
          g_string_append (out, separator);
          /* Translators: followed by the log rows that acknowledge a message */
          append_escaped (out, _("Acknowledged by"));
          g_string_append_c (out, ' ');
        }
      else
        g_string_append (out, ", ");
      append_link (out, self, link);
      first = FALSE;
    }

  g_string_append (out, separator);
  if (!links->acknowledged)
    {
      append_escaped (out, ours ? _("No acknowledgement from them (yet)")
                                : _("We sent no acknowledgement (yet)"));
      return g_string_free (out, FALSE);
    }

  {
    g_autofree char *rtt_first = format_duration (links->rtt_first_us);
    g_autofree char *rtt_last = format_duration (links->rtt_last_us);
    g_autofree char *text = NULL;

    if (links->sends > 1)
      text = ours
        /* Translators: round-trip times from the first and from the last send to the acknowledgement */
        ? g_strdup_printf (_("Round trip %s from the first send, %s from the last"), rtt_first, rtt_last)
        /* Translators: how long after the first and the last copy of a message we acknowledged it */
        : g_strdup_printf (_("Acknowledged %s after the first copy, %s after the last"), rtt_first, rtt_last);
    else
      text = ours
        /* Translators: a round-trip time */
        ? g_strdup_printf (_("Round trip %s"), rtt_first)
        /* Translators: how long after a message arrived we acknowledged it */
        : g_strdup_printf (_("Acknowledged %s after it arrived"), rtt_first);
    append_escaped (out, text);
  }

  return g_string_free (out, FALSE);
}

static void
update_links (LanPacketInspector *self,
              guint               position)
{
  g_autoptr(LanPacketLinks) links = NULL;
  g_autofree char *markup = NULL;

  self->awaiting_links = FALSE;

  if (self->context != NULL && self->entry != NULL &&
      !lan_packet_log_entry_get_evicted (self->entry))
    links = lan_packet_links_find (self->context, position, LAN_PACKET_INSPECTOR_LINK_RADIUS);

  if (links == NULL)
    {
      guint32 command = lan_packet_log_entry_get_parsed (self->entry)
                        ? lan_packet_log_entry_get_command (self->entry) : 0;

      /* A message whose acknowledgement may still come. */
      self->awaiting_links = LAN_IPMSG_MODE (command) == LAN_IPMSG_SENDMSG &&
                             (command & LAN_IPMSG_SENDCHECKOPT) != 0;
      gtk_widget_set_visible (GTK_WIDGET (self->links_label), FALSE);
      return;
    }

  self->awaiting_links = !links->acknowledged;
  markup = format_links (self, links);
  gtk_label_set_markup (self->links_label, markup);
  gtk_widget_set_visible (GTK_WIDGET (self->links_label), TRUE);
}

static gboolean
on_activate_link (LanPacketInspector *self,
                  const char         *uri)
{
  guint64 number;

  if (!g_str_has_prefix (uri, "packet:") ||
      !g_ascii_string_to_unsigned (uri + strlen ("packet:"), 10, 1, G_MAXUINT64, &number, NULL))
    return FALSE;

  g_signal_emit (self, signals[ACTIVATE_LINK], 0, number);
  return TRUE;
}

static char *
format_summary (LanPacketLogEntry *entry)
{
  g_autofree char *time = lan_log_format_time (lan_packet_log_entry_get_time (entry));
  g_autofree char *source = lan_log_format_source (entry);
  g_autofree char *destination = lan_log_format_destination (entry);
  LanDatagramFlags flags = lan_packet_log_entry_get_flags (entry);
  gsize len = g_bytes_get_size (lan_packet_log_entry_get_bytes (entry));
  g_autofree char *number = format_row_number (lan_packet_log_entry_get_number (entry));
  GString *out = g_string_new (NULL);

  /* Translators: "No. <number>" · <direction> · <time> · <source> → <destination> */
  g_string_append_printf (out, _("%s · %s · %s · %s → %s"), number,
                          lan_log_direction_label (lan_packet_log_entry_get_direction (entry)),
                          time, source, destination);
  g_string_append (out, " · ");
  g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "%zu byte", "%zu bytes", len), len);
  if (flags & LAN_DATAGRAM_BROADCAST)
    g_string_append_printf (out, " · %s", _("broadcast"));
  if (flags & LAN_DATAGRAM_TRUNCATED)
    g_string_append_printf (out, " · %s", _("truncated"));
  if (flags & LAN_DATAGRAM_SEND_ERROR)
    g_string_append_printf (out, " · %s", _("send error"));

  return g_string_free (out, FALSE);
}

static void
show_verdict (LanPacketInspector *self)
{
  LanVerdict verdict = lan_packet_log_entry_get_verdict (self->entry);
  const char *detail = lan_packet_log_entry_get_detail (self->entry);
  const char *css_class = lan_log_verdict_css_class (verdict);
  g_autofree char *safe = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (verdict_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->verdict_label), verdict_classes[i]);
  if (css_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->verdict_label), css_class);
  gtk_label_set_text (self->verdict_label, lan_log_verdict_label (verdict));

  /* A malformed packet's detail is the codec's reason; a parsed one without
   * a detail needs no more words than its verdict. */
  if (detail == NULL && !lan_packet_log_entry_get_parsed (self->entry))
    detail = lan_packet_log_entry_get_info (self->entry);
  safe = detail != NULL ? lan_display_text (detail, LAN_DISPLAY_TEXT_LINES, LAN_DISPLAY_TEXT_ALL) : NULL;
  gtk_label_set_text (self->detail_label, safe != NULL ? safe : "");
  gtk_widget_set_visible (GTK_WIDGET (self->detail_label), safe != NULL && *safe != '\0');
}

/* Once the list has rows for the new packet. */
static void
on_scroll_idle (gpointer user_data)
{
  LanPacketInspector *self = user_data;

  self->scroll_idle_id = 0;
  if (self->scroll_to < g_list_model_get_n_items (G_LIST_MODEL (self->selection)))
    gtk_widget_activate_action (GTK_WIDGET (self->fields_view), "list.scroll-to-item", "u", self->scroll_to);
}

static void
select_key (LanPacketInspector *self,
            const char         *key)
{
  GListModel *model = G_LIST_MODEL (self->selection);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; key != NULL && i < n; i++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (model, i);
      g_autoptr(LanFieldItem) item = gtk_tree_list_row_get_item (row);

      if (g_str_equal (item->field->key, key))
        {
          gtk_single_selection_set_selected (self->selection, i);
          self->scroll_to = i;
          if (self->scroll_idle_id == 0)
            self->scroll_idle_id = g_idle_add_once (on_scroll_idle, self);
          return;
        }
    }
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
}

static void
clear_fields (LanPacketInspector *self)
{
  self->rebuilding = TRUE;
  gtk_single_selection_set_model (self->selection, NULL);
  g_clear_object (&self->tree);
  self->rebuilding = FALSE;
  g_clear_pointer (&self->fields, g_ptr_array_unref);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->hex_view), "", 0);
}

static void
show_entry (LanPacketInspector *self,
            guint               position)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->hex_view);
  g_autoptr(GListModel) roots = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *dump = NULL;
  const guint8 *data;
  gsize len = 0;

  self->awaiting_links = FALSE;
  clear_fields (self);

  if (self->entry == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "none");
      return;
    }

  if (lan_packet_log_entry_get_evicted (self->entry))
    {
      gtk_stack_set_visible_child_name (self->stack, "evicted");
      return;
    }

  data = g_bytes_get_data (lan_packet_log_entry_get_bytes (self->entry), &len);
  self->fields = lan_packet_fields_parse (data, len, self->legacy);

  summary = format_summary (self->entry);
  gtk_label_set_text (self->summary_label, summary);
  show_verdict (self);
  update_links (self, position);

  dump = lan_log_format_hex_dump (data, len);
  gtk_text_buffer_set_text (buffer, dump, -1);

  /* A new tree for a new packet; the selection follows the field's key. */
  self->rebuilding = TRUE;
  roots = build_tree (self->fields);
  self->tree = gtk_tree_list_model_new (g_steal_pointer (&roots), FALSE, TRUE,
                                        create_children, NULL, NULL);
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->tree));
  select_key (self, self->selected_key);
  self->rebuilding = FALSE;
  highlight_field (self, get_selected_field (self));

  gtk_stack_set_visible_child_name (self->stack, "packet");
}

void
lan_packet_inspector_set_entry (LanPacketInspector *self,
                                LanPacketLogEntry  *entry,
                                GListModel         *context,
                                guint               position)
{
  g_return_if_fail (LAN_IS_PACKET_INSPECTOR (self));
  g_return_if_fail (entry == NULL || LAN_IS_PACKET_LOG_ENTRY (entry));
  g_return_if_fail (context == NULL || G_IS_LIST_MODEL (context));

  g_set_object (&self->entry, entry);
  g_set_object (&self->context, context);
  show_entry (self, position);
}

LanPacketLogEntry *
lan_packet_inspector_get_entry (LanPacketInspector *self)
{
  g_return_val_if_fail (LAN_IS_PACKET_INSPECTOR (self), NULL);

  return self->entry;
}

void
lan_packet_inspector_set_legacy_encoding (LanPacketInspector *self,
                                          LanLegacyEncoding   legacy)
{
  g_return_if_fail (LAN_IS_PACKET_INSPECTOR (self));

  self->legacy = legacy;
}

gboolean
lan_packet_inspector_get_awaiting_links (LanPacketInspector *self)
{
  g_return_val_if_fail (LAN_IS_PACKET_INSPECTOR (self), FALSE);

  return self->awaiting_links;
}

void
lan_packet_inspector_refresh_links (LanPacketInspector *self)
{
  g_autoptr(LanPacketLogEntry) first = NULL;
  guint64 number;
  guint64 first_number;

  g_return_if_fail (LAN_IS_PACKET_INSPECTOR (self));

  if (self->entry == NULL || self->context == NULL ||
      g_list_model_get_n_items (self->context) == 0)
    return;

  /* Rows are numbered consecutively: the entry's position moves only as
   * the oldest rows go. */
  number = lan_packet_log_entry_get_number (self->entry);
  first = g_list_model_get_item (self->context, 0);
  first_number = lan_packet_log_entry_get_number (first);
  if (number < first_number || number - first_number >= g_list_model_get_n_items (self->context))
    {
      self->awaiting_links = FALSE;
      return;
    }

  update_links (self, (guint) (number - first_number));
}

int
lan_packet_inspector_get_dump_width (LanPacketInspector *self)
{
  g_autoptr(PangoLayout) layout = NULL;
  g_autofree char *line = NULL;
  guint8 bytes[16] = { 0 };
  int width = 0;

  g_return_val_if_fail (LAN_IS_PACKET_INSPECTOR (self), 0);

  /* One full line of the dump in the view's own font, its margins, and
   * room for a scrollbar. */
  line = lan_log_format_hex_dump (bytes, sizeof bytes);
  g_strchomp (line);
  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self->hex_view), line);
  pango_layout_get_pixel_size (layout, &width, NULL);
  return width + gtk_text_view_get_left_margin (self->hex_view) +
         gtk_text_view_get_right_margin (self->hex_view) + 16;
}

static void
append_text_line (GString    *out,
                  const char *text)
{
  if (text != NULL && *text != '\0')
    {
      g_string_append (out, text);
      g_string_append_c (out, '\n');
    }
}

char *
lan_packet_inspector_dup_text (LanPacketInspector *self)
{
  GString *out;
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  g_autofree char *dump = NULL;

  g_return_val_if_fail (LAN_IS_PACKET_INSPECTOR (self), NULL);

  out = g_string_new (NULL);
  if (self->entry == NULL || self->fields == NULL)
    return g_string_free (out, FALSE);

  append_text_line (out, gtk_label_get_text (self->summary_label));
  append_text_line (out, gtk_label_get_text (self->verdict_label));
  if (gtk_widget_get_visible (GTK_WIDGET (self->detail_label)))
    append_text_line (out, gtk_label_get_text (self->detail_label));
  if (gtk_widget_get_visible (GTK_WIDGET (self->links_label)))
    append_text_line (out, gtk_label_get_text (self->links_label));
  g_string_append_c (out, '\n');

  for (guint i = 0; i < self->fields->len; i++)
    {
      const LanPacketField *field = g_ptr_array_index (self->fields, i);

      for (guint d = 0; d < field->depth; d++)
        g_string_append (out, "  ");
      g_string_append_printf (out, "%s: %s\n", field->name, field->value);
    }

  buffer = gtk_text_view_get_buffer (self->hex_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  dump = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_string_append_c (out, '\n');
  g_string_append (out, dump);

  return g_string_free (out, FALSE);
}

/**
 * lan_packet_inspector_get_fields:
 *
 * Returns: (transfer none) (nullable) (element-type LanPacketField):
 */
GPtrArray *
lan_packet_inspector_get_fields (LanPacketInspector *self)
{
  g_return_val_if_fail (LAN_IS_PACKET_INSPECTOR (self), NULL);

  return self->fields;
}

gboolean
lan_packet_inspector_select_field (LanPacketInspector *self,
                                   const char         *key)
{
  const LanPacketField *field;

  g_return_val_if_fail (LAN_IS_PACKET_INSPECTOR (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  select_key (self, key);
  field = get_selected_field (self);
  return field != NULL && g_str_equal (field->key, key);
}

GtkTextView *
lan_packet_inspector_get_hex_view (LanPacketInspector *self)
{
  g_return_val_if_fail (LAN_IS_PACKET_INSPECTOR (self), NULL);

  return self->hex_view;
}

GtkLabel *
lan_packet_inspector_get_links_label (LanPacketInspector *self)
{
  g_return_val_if_fail (LAN_IS_PACKET_INSPECTOR (self), NULL);

  return self->links_label;
}

static void
lan_packet_inspector_dispose (GObject *object)
{
  LanPacketInspector *self = LAN_PACKET_INSPECTOR (object);

  g_clear_handle_id (&self->scroll_idle_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), LAN_TYPE_PACKET_INSPECTOR);
  g_clear_object (&self->selection);
  g_clear_object (&self->tree);
  g_clear_object (&self->entry);
  g_clear_object (&self->context);
  g_clear_pointer (&self->fields, g_ptr_array_unref);
  g_clear_pointer (&self->selected_key, g_free);

  G_OBJECT_CLASS (lan_packet_inspector_parent_class)->dispose (object);
}

static void
lan_packet_inspector_class_init (LanPacketInspectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lan_packet_inspector_dispose;

  signals[ACTIVATE_LINK] =
    g_signal_new ("activate-link", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/lanchat/Lanchat/lan-packet-inspector.ui");
  gtk_widget_class_bind_template_child (widget_class, LanPacketInspector, stack);
  gtk_widget_class_bind_template_child (widget_class, LanPacketInspector, summary_label);
  gtk_widget_class_bind_template_child (widget_class, LanPacketInspector, verdict_label);
  gtk_widget_class_bind_template_child (widget_class, LanPacketInspector, detail_label);
  gtk_widget_class_bind_template_child (widget_class, LanPacketInspector, links_label);
  gtk_widget_class_bind_template_child (widget_class, LanPacketInspector, fields_view);
  gtk_widget_class_bind_template_child (widget_class, LanPacketInspector, hex_view);
  gtk_widget_class_bind_template_callback (widget_class, on_activate_link);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "packetinspector");
}

static void
lan_packet_inspector_init (LanPacketInspector *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkTextBuffer *buffer;
  GtkTextIter start;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->legacy = LAN_LEGACY_GB18030;
  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected-item",
                            G_CALLBACK (on_field_selected), self);

  g_signal_connect (factory, "setup", G_CALLBACK (field_setup), self);
  g_signal_connect (factory, "bind", G_CALLBACK (field_bind), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (field_unbind), self);
  gtk_list_view_set_factory (self->fields_view, factory);
  gtk_list_view_set_model (self->fields_view, GTK_SELECTION_MODEL (self->selection));

  buffer = gtk_text_view_get_buffer (self->hex_view);
  /* The accent blue at a strength that reads on light and dark alike. */
  gtk_text_buffer_create_tag (buffer, HIGHLIGHT_TAG,
                              "background", "rgba(53,132,228,0.35)",
                              NULL);
  gtk_text_buffer_get_start_iter (buffer, &start);
  gtk_text_buffer_create_mark (buffer, "highlight", &start, TRUE);
}

GtkWidget *
lan_packet_inspector_new (void)
{
  return g_object_new (LAN_TYPE_PACKET_INSPECTOR, NULL);
}
