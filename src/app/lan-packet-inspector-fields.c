/* lan-packet-inspector-fields.c — the inspector's field tree and byte highlight.
 *
 * The fields (lan-ipmsg-dissect.c) as a tree over the hex and ASCII dump;
 * selecting a field highlights its bytes in both halves of the dump.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-packet-inspector-fields"

#include "config.h"

#include <glib/gi18n.h>

#include "lan-log-format.h"
#include "lan-packet-inspector-fields.h"

#define HIGHLIGHT_TAG "field"
#define HIGHLIGHT_MARK "highlight"
#define MAX_DEPTH 8

/* ---- a field as a list item ---------------------------------------- */

#define LAN_TYPE_FIELD_ITEM (lan_field_item_get_type ())
G_DECLARE_FINAL_TYPE (LanFieldItem, lan_field_item, LAN, FIELD_ITEM, GObject)

struct _LanFieldItem
{
  GObject               parent_instance;

  GPtrArray            *fields;   /* keeps @field alive */
  const LanIpmsgField *field;
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
                    const LanIpmsgField *field)
{
  LanFieldItem *self = g_object_new (LAN_TYPE_FIELD_ITEM, NULL);

  self->fields = g_ptr_array_ref (fields);
  self->field = field;
  return self;
}

static GListModel *
create_children (gpointer item,
                 gpointer user_data)
{
  LanFieldItem *field_item = item;

  return field_item->children != NULL ? g_object_ref (G_LIST_MODEL (field_item->children)) : NULL;
}

static GListModel *
build_roots (GPtrArray *fields)
{
  GListStore *roots = g_list_store_new (LAN_TYPE_FIELD_ITEM);
  LanFieldItem *last_at_depth[MAX_DEPTH] = { NULL };

  for (guint i = 0; fields != NULL && i < fields->len; i++)
    {
      const LanIpmsgField *field = g_ptr_array_index (fields, i);
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
/**
 * lan_packet_inspector_fields_tree_new:
 *
 * Returns: (transfer full):
 */
GtkTreeListModel *
lan_packet_inspector_fields_tree_new (GPtrArray *fields)
{
  return gtk_tree_list_model_new (build_roots (fields), FALSE, TRUE, create_children, NULL, NULL);
}

/**
 * lan_packet_inspector_fields_get_selected:
 *
 * Returns: (transfer none) (nullable):
 */
const LanIpmsgField *
lan_packet_inspector_fields_get_selected (GtkSingleSelection *selection)
{
  GtkTreeListRow *row = gtk_single_selection_get_selected_item (selection);
  g_autoptr(LanFieldItem) item = NULL;

  if (row == NULL)
    return NULL;
  item = gtk_tree_list_row_get_item (row);
  return item != NULL ? item->field : NULL;
}
guint
lan_packet_inspector_fields_find (GtkSingleSelection *selection,
                                  const char         *key)
{
  GListModel *model = G_LIST_MODEL (selection);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; key != NULL && i < n; i++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (model, i);
      g_autoptr(LanFieldItem) item = gtk_tree_list_row_get_item (row);

      if (g_str_equal (item->field->key, key))
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
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

void
lan_packet_inspector_fields_highlight (GtkTextView         *hex_view,
                                       gsize                len,
                                       const LanIpmsgField *field)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (hex_view);
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), HIGHLIGHT_TAG);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_remove_tag (buffer, tag, &start, &end);

  if (field == NULL || field->length == 0 || field->offset >= len)
    return;

  tag_bytes (buffer, tag, field->offset, MIN (field->offset + field->length, len) - 1);

  {
    gsize line;
    GtkTextMark *mark = gtk_text_buffer_get_mark (buffer, HIGHLIGHT_MARK);
    GtkTextIter at;

    lan_log_hex_dump_position (field->offset, &line, NULL, NULL);
    gtk_text_buffer_get_iter_at_line (buffer, &at, (int) line);
    gtk_text_buffer_move_mark (buffer, mark, &at);
    gtk_text_view_scroll_to_mark (hex_view, mark, 0.05, FALSE, 0, 0);
  }
}
void
lan_packet_inspector_fields_prepare_dump (GtkTextView *hex_view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (hex_view);
  GtkTextIter start;

  /* The accent blue at a strength that reads on light and dark alike. */
  gtk_text_buffer_create_tag (buffer, HIGHLIGHT_TAG,
                              "background", "rgba(53,132,228,0.35)",
                              NULL);
  gtk_text_buffer_get_start_iter (buffer, &start);
  gtk_text_buffer_create_mark (buffer, HIGHLIGHT_MARK, &start, TRUE);
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
describe_range (const LanIpmsgField *field)
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

/**
 * lan_packet_inspector_fields_factory_new:
 *
 * Returns: (transfer full):
 */
GtkListItemFactory *
lan_packet_inspector_fields_factory_new (void)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (field_setup), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (field_bind), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (field_unbind), NULL);
  return factory;
}
