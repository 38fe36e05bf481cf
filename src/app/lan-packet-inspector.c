/* lan-packet-inspector.c — one logged datagram taken apart.
 *
 * Top: where it came from and went, the verdict and why, and the packets
 * that belong with it (a message's resends and acknowledgement, with the
 * round trip; lan-packet-inspector-links.c). Below, the fields as a tree
 * (lan-ipmsg-dissect.c, lan-packet-inspector-fields.c) over the hex and
 * ASCII dump. The same field stays selected from one packet to the next,
 * so stepping through the log compares like with like. The fields are read
 * through the same dialect as the log's Info column.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-packet-inspector"

#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

#include "lan-ipmsg.h"
#include "lan-log-format.h"
#include "lan-display-text.h"
#include "lan-ipmsg-dissect.h"
#include "lan-packet-inspector.h"
#include "lan-packet-inspector-fields.h"
#include "lan-packet-inspector-links.h"
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

static void
highlight_selected (LanPacketInspector *self)
{
  gsize len = self->entry != NULL ? g_bytes_get_size (lan_packet_log_entry_get_bytes (self->entry)) : 0;

  lan_packet_inspector_fields_highlight (self->hex_view, len,
                                         lan_packet_inspector_fields_get_selected (self->selection));
}

static void
on_field_selected (LanPacketInspector *self)
{
  const LanIpmsgField *field = lan_packet_inspector_fields_get_selected (self->selection);

  highlight_selected (self);

  /* A packet being swapped in deselects on the way; that is not the person. */
  if (!self->rebuilding)
    {
      g_free (self->selected_key);
      self->selected_key = field != NULL ? g_strdup (field->key) : NULL;
    }
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
  markup = lan_packet_inspector_format_links (links, lan_packet_log_entry_get_number (self->entry));
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
  g_autofree char *number = lan_packet_inspector_format_row_number (lan_packet_log_entry_get_number (entry));
  GString *out = g_string_new (NULL);

  /* Translators: "No. <number>" · <direction> · <time> · <source> → <destination> */
  g_string_append_printf (out, _("%s · %s · %s · %s → %s"), number,
                          lan_log_direction_label (lan_packet_log_entry_get_direction (entry)),
                          time, source, destination);
  g_string_append (out, " · ");
  g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "%zu byte", "%zu bytes", len), len);
  /* A TCP row's bytes are the request read or written on the connection. */
  if (flags & LAN_DATAGRAM_TRANSFER)
    g_string_append_printf (out, " · %s", _("TCP transfer summary"));
  else if (flags & LAN_DATAGRAM_TCP)
    g_string_append_printf (out, " · %s", _("TCP request"));
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
  /* A transfer's figures read better as the Info line says them. */
  if (lan_packet_log_entry_get_transfer (self->entry, NULL, NULL, NULL, NULL))
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
  guint position = lan_packet_inspector_fields_find (self->selection, key);

  gtk_single_selection_set_selected (self->selection, position);
  if (position == GTK_INVALID_LIST_POSITION)
    return;
  self->scroll_to = position;
  if (self->scroll_idle_id == 0)
    self->scroll_idle_id = g_idle_add_once (on_scroll_idle, self);
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
  g_autofree char *summary = NULL;
  LanDialect dialect;
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
  /* What the log row knows: the setting, and what the packet teaches. */
  lan_dialect_init (&dialect, self->legacy);
  self->fields = lan_ipmsg_dissect (data, len, &dialect);

  summary = format_summary (self->entry);
  gtk_label_set_text (self->summary_label, summary);
  show_verdict (self);
  update_links (self, position);

  dump = lan_log_format_hex_dump (data, len);
  gtk_text_buffer_set_text (buffer, dump, -1);

  /* A new tree for a new packet; the selection follows the field's key. */
  self->rebuilding = TRUE;
  self->tree = lan_packet_inspector_fields_tree_new (self->fields);
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->tree));
  select_key (self, self->selected_key);
  self->rebuilding = FALSE;
  highlight_selected (self);

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
      const LanIpmsgField *field = g_ptr_array_index (self->fields, i);

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
 * Returns: (transfer none) (nullable) (element-type LanIpmsgField):
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
  const LanIpmsgField *field;

  g_return_val_if_fail (LAN_IS_PACKET_INSPECTOR (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  select_key (self, key);
  field = lan_packet_inspector_fields_get_selected (self->selection);
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
  GtkWidget *child;

  g_clear_handle_id (&self->scroll_idle_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), LAN_TYPE_PACKET_INSPECTOR);
  /* The scroller around the stack is the template's own child, bound to nothing. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
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
  g_autoptr(GtkListItemFactory) factory = lan_packet_inspector_fields_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->legacy = LAN_LEGACY_GB18030;
  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected-item",
                            G_CALLBACK (on_field_selected), self);

  gtk_list_view_set_factory (self->fields_view, factory);
  gtk_list_view_set_model (self->fields_view, GTK_SELECTION_MODEL (self->selection));

  lan_packet_inspector_fields_prepare_dump (self->hex_view);
}

GtkWidget *
lan_packet_inspector_new (void)
{
  return g_object_new (LAN_TYPE_PACKET_INSPECTOR, NULL);
}
