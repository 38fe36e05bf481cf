/* lan-log-cell.c — one cell of the packet log's table.
 *
 * A GtkLabel measures its text: every new text means shaping it and a new
 * layout of the row. A following log binds a couple of hundred rows each
 * time it scrolls (the list view keeps that many around its anchor), and
 * at thousands of packets a second that shaping is most of a frame. This
 * cell is as wide as its column says and one line high whatever it shows,
 * so a new text only asks for a redraw; the text is laid out when, and
 * only if, the cell is drawn.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-log-cell"

#include "config.h"

#include "lan-log-cell.h"

struct _LanLogCell
{
  GtkWidget    parent_instance;

  char        *text;
  PangoLayout *layout;      /* for @text; made when first drawn */
  int          width_chars;
  float        xalign;
};

G_DEFINE_FINAL_TYPE (LanLogCell, lan_log_cell, GTK_TYPE_WIDGET)

typedef struct {
  PangoFontDescription *font;
  int                   char_width;   /* Pango units */
  int                   height;
  int                   ascent;
} Metrics;

/* Every cell of a column shares a font or two (bold for bad packets), and
 * thousands of cells are made and measured as the log scrolls: the font
 * metrics are looked up once per font. */
static const Metrics *
get_metrics (GtkWidget *widget)
{
  static Metrics cache[4];
  static guint next;
  PangoContext *context = gtk_widget_get_pango_context (widget);
  const PangoFontDescription *font = pango_context_get_font_description (context);
  PangoFontMetrics *metrics;
  Metrics *slot;

  for (guint i = 0; i < G_N_ELEMENTS (cache); i++)
    if (cache[i].font != NULL && pango_font_description_equal (cache[i].font, font))
      return &cache[i];

  slot = &cache[next];
  next = (next + 1) % G_N_ELEMENTS (cache);
  g_clear_pointer (&slot->font, pango_font_description_free);
  slot->font = pango_font_description_copy (font);

  /* No autoptr for it in Pango 1.50. */
  metrics = pango_context_get_metrics (context, font, NULL);
  slot->char_width = MAX (pango_font_metrics_get_approximate_char_width (metrics),
                          pango_font_metrics_get_approximate_digit_width (metrics));
  slot->ascent = pango_font_metrics_get_ascent (metrics);
  slot->height = pango_font_metrics_get_height (metrics);
  if (slot->height <= 0)
    slot->height = slot->ascent + pango_font_metrics_get_descent (metrics);
  pango_font_metrics_unref (metrics);
  return slot;
}

static void
lan_log_cell_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  LanLogCell *self = LAN_LOG_CELL (widget);
  const Metrics *metrics = get_metrics (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = PANGO_PIXELS_CEIL ((gint64) metrics->char_width * self->width_chars);
  else
    {
      *minimum = *natural = PANGO_PIXELS_CEIL (metrics->height);
      *minimum_baseline = *natural_baseline = PANGO_PIXELS_CEIL (metrics->ascent);
    }
}

static void
lan_log_cell_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  LanLogCell *self = LAN_LOG_CELL (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int text_width, text_height;
  GdkRGBA color;

  if (self->text == NULL || *self->text == '\0' || width <= 0)
    return;

  if (self->layout == NULL)
    {
      self->layout = gtk_widget_create_pango_layout (widget, self->text);
      pango_layout_set_ellipsize (self->layout, PANGO_ELLIPSIZE_END);
      pango_layout_set_single_paragraph_mode (self->layout, TRUE);
    }
  pango_layout_set_width (self->layout, width * PANGO_SCALE);
  pango_layout_get_pixel_size (self->layout, &text_width, &text_height);

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  G_GNUC_END_IGNORE_DEPRECATIONS

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot,
                          &GRAPHENE_POINT_INIT (MAX (0, (width - text_width) * self->xalign),
                                                MAX (0, (height - text_height) / 2)));
  gtk_snapshot_append_layout (snapshot, self->layout, &color);
  gtk_snapshot_restore (snapshot);
}

static void
lan_log_cell_css_changed (GtkWidget         *widget,
                          GtkCssStyleChange *change)
{
  LanLogCell *self = LAN_LOG_CELL (widget);

  GTK_WIDGET_CLASS (lan_log_cell_parent_class)->css_changed (widget, change);
  /* A new font: lay out again, and the size may change. */
  g_clear_object (&self->layout);
  gtk_widget_queue_resize (widget);
}

static void
lan_log_cell_finalize (GObject *object)
{
  LanLogCell *self = LAN_LOG_CELL (object);

  g_clear_object (&self->layout);
  g_free (self->text);
  G_OBJECT_CLASS (lan_log_cell_parent_class)->finalize (object);
}

static void
lan_log_cell_class_init (LanLogCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = lan_log_cell_finalize;
  widget_class->measure = lan_log_cell_measure;
  widget_class->snapshot = lan_log_cell_snapshot;
  widget_class->css_changed = lan_log_cell_css_changed;

  gtk_widget_class_set_css_name (widget_class, "label");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LABEL);
}

static void
lan_log_cell_init (LanLogCell *self)
{
  self->text = g_strdup ("");
}

GtkWidget *
lan_log_cell_new (int   width_chars,
                  float xalign)
{
  LanLogCell *self = g_object_new (LAN_TYPE_LOG_CELL, NULL);

  self->width_chars = MAX (width_chars, 0);
  self->xalign = CLAMP (xalign, 0.0f, 1.0f);
  return GTK_WIDGET (self);
}

void
lan_log_cell_take_text (LanLogCell *self,
                        char       *text)
{
  g_return_if_fail (LAN_IS_LOG_CELL (self));

  if (g_strcmp0 (self->text, text) == 0)
    {
      g_free (text);
      return;
    }

  g_free (self->text);
  self->text = text != NULL ? text : g_strdup ("");
  g_clear_object (&self->layout);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, self->text, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * lan_log_cell_get_text:
 *
 * Returns: (transfer none):
 */
const char *
lan_log_cell_get_text (LanLogCell *self)
{
  g_return_val_if_fail (LAN_IS_LOG_CELL (self), NULL);

  return self->text;
}
