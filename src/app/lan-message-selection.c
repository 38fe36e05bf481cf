/* lan-message-selection.c — copying several messages at once.
 *
 * The copy goes through lan_display_text() like the bubbles, so what lands
 * on the clipboard is what was shown: no bidi overrides or invisible
 * characters, and a sealed message stays sealed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-message-selection"

#include "config.h"

#include <glib/gi18n.h>

#include "lan-display-text.h"
#include "lan-message-row.h"
#include "lan-message-selection.h"
#include "lan-notice.h"

#define DATA_KEY "lan-message-selection"

/* style.css makes a message row's selection transparent (rows were never
 * selected before); a selection must show, above that rule. */
static const char selected_css[] =
  ".message-list > row:selected { background-color: alpha(@accent_bg_color, 0.18); }";

typedef struct {
  GtkListView       *list_view;   /* not owned: it owns us */
  GtkMultiSelection *selection;
  LanMessenger      *messenger;
  GtkWidget         *menu;
} Selection;

static void
selection_free (Selection *self)
{
  g_clear_object (&self->selection);
  g_clear_object (&self->messenger);
  g_free (self);
}

static char *
sender_name (LanMessage   *message,
             LanMessenger *messenger)
{
  const char *key = lan_message_get_peer_key (message);
  LanPeer *peer;
  char *nickname = NULL;

  if (lan_message_get_direction (message) == LAN_DIRECTION_OUT)
    {
      g_object_get (messenger, "nickname", &nickname, NULL);
      if (nickname != NULL && nickname[0] != '\0')
        return nickname;
      g_free (nickname);
      return g_strdup (_("Me"));
    }
  peer = key != NULL ? lan_peer_list_lookup (lan_messenger_get_peers (messenger), key) : NULL;
  if (peer != NULL)
    return g_strdup (lan_peer_get_nickname (peer));
  return g_strdup (key != NULL ? key : "?");
}

/**
 * lan_message_selection_format:
 *
 * Returns: (transfer full):
 */
char *
lan_message_selection_format (LanMessage   *message,
                              LanMessenger *messenger)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (lan_message_get_time (message) / G_USEC_PER_SEC);
  g_autofree char *stamp = time != NULL ? g_date_time_format (time, "%Y-%m-%d %H:%M") : g_strdup ("?");
  g_autofree char *text = NULL;
  g_autofree char *shown = NULL;

  g_return_val_if_fail (LAN_IS_MESSAGE (message), NULL);
  g_return_val_if_fail (LAN_IS_MESSENGER (messenger), NULL);

  if (lan_message_get_sealed (message))
    text = g_strdup (_("Sealed message"));
  else
    {
      text = lan_notice_render (lan_message_get_notice_kind (message),
                                lan_message_get_notice_args (message));
      if (text == NULL)
        text = g_strdup (lan_message_get_text (message));
    }
  shown = lan_display_text (text, LAN_DISPLAY_TEXT_LINES, LAN_DISPLAY_TEXT_ALL);

  /* A notice is Lanchat speaking, not someone in the conversation. */
  if (lan_message_get_notice (message))
    return g_strdup_printf ("[%s] %s", stamp, shown);
  {
    g_autofree char *name = sender_name (message, messenger);
    g_autofree char *shown_name = lan_display_text (name, LAN_DISPLAY_TEXT_ONE_LINE, LAN_DISPLAY_TEXT_ALL);

    /* Translators: one copied message: "[time] name: text" */
    return g_strdup_printf (_("[%s] %s: %s"), stamp, shown_name, shown);
  }
}

static char *
selected_text (Selection *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  g_autoptr(GString) out = NULL;
  GtkBitsetIter iter;
  guint position;

  if (gtk_bitset_is_empty (selected))
    return NULL;
  out = g_string_new (NULL);
  for (gboolean more = gtk_bitset_iter_init_first (&iter, selected, &position); more;
       more = gtk_bitset_iter_next (&iter, &position))
    {
      g_autoptr(LanMessage) message = g_list_model_get_item (G_LIST_MODEL (self->selection), position);
      g_autofree char *line = NULL;

      if (message == NULL)
        continue;
      line = lan_message_selection_format (message, self->messenger);
      g_string_append (out, line);
      g_string_append_c (out, '\n');
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * lan_message_selection_get_text:
 *
 * Returns: (transfer full) (nullable):
 */
char *
lan_message_selection_get_text (GtkListView *list_view)
{
  Selection *self;

  g_return_val_if_fail (GTK_IS_LIST_VIEW (list_view), NULL);

  self = g_object_get_data (G_OBJECT (list_view), DATA_KEY);
  g_return_val_if_fail (self != NULL, NULL);
  return selected_text (self);
}

static gboolean
copy_selected (Selection *self)
{
  g_autofree char *text = selected_text (self);

  if (text == NULL)
    return FALSE;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self->list_view)), text);
  return TRUE;
}

static void
on_copy_selected (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  copy_selected (user_data);
}

static gboolean
on_ctrl_c (GtkWidget *widget,
           GVariant  *args,
           gpointer   user_data)
{
  /* Nothing selected: the key goes on (to a label's own text selection). */
  return copy_selected (user_data);
}

/* Whether @message is among the selected rows. */
static gboolean
is_selected (Selection  *self,
             LanMessage *message)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  GtkBitsetIter iter;
  guint position;

  for (gboolean more = gtk_bitset_iter_init_first (&iter, selected, &position); more;
       more = gtk_bitset_iter_next (&iter, &position))
    {
      g_autoptr(LanMessage) item = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

      if (item == message)
        return TRUE;
    }
  return FALSE;
}

static void
popup_menu (Selection *self,
            double     x,
            double     y,
            guint      n)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autofree char *label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "_Copy %u Message",
                                                         "_Copy %u Messages", n), n);

  g_menu_append (menu, label, "messages.copy-selected");
  if (self->menu == NULL)
    {
      self->menu = gtk_popover_menu_new_from_model (NULL);
      gtk_widget_set_parent (self->menu, GTK_WIDGET (self->list_view));
      gtk_popover_set_has_arrow (GTK_POPOVER (self->menu), FALSE);
      gtk_widget_set_halign (self->menu, GTK_ALIGN_START);
    }
  gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (self->menu), G_MENU_MODEL (menu));
  gtk_popover_set_pointing_to (GTK_POPOVER (self->menu), &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->menu));
}

static gboolean
popup_for_point (Selection *self,
                 double     x,
                 double     y)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self->list_view), x, y, GTK_PICK_DEFAULT);
  GtkWidget *row = picked != NULL ? gtk_widget_get_ancestor (picked, LAN_TYPE_MESSAGE_ROW) : NULL;
  LanMessage *message = row != NULL ? lan_message_row_get_message (LAN_MESSAGE_ROW (row)) : NULL;
  guint64 n = gtk_bitset_get_size (selected);

  if (n < 2 || message == NULL || !is_selected (self, message))
    return FALSE;
  popup_menu (self, x, y, (guint) MIN (n, (guint64) G_MAXUINT));
  return TRUE;
}

/* Before the row's own menu (one message's Copy, Reply, Details): with
 * several selected and the click on one of them, the menu is about them. */
static void
on_secondary_pressed (GtkGestureClick *gesture,
                      int              n_press,
                      double           x,
                      double           y,
                      Selection       *self)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), popup_for_point (self, x, y)
                                                ? GTK_EVENT_SEQUENCE_CLAIMED
                                                : GTK_EVENT_SEQUENCE_DENIED);
}

gboolean
lan_message_selection_popup_menu (GtkListView *list_view,
                                  double       x,
                                  double       y)
{
  Selection *self;

  g_return_val_if_fail (GTK_IS_LIST_VIEW (list_view), FALSE);
  self = g_object_get_data (G_OBJECT (list_view), DATA_KEY);
  g_return_val_if_fail (self != NULL, FALSE);
  return popup_for_point (self, x, y);
}

/**
 * lan_message_selection_get_menu:
 *
 * Returns: (transfer none) (nullable):
 */
GtkWidget *
lan_message_selection_get_menu (GtkListView *list_view)
{
  Selection *self;

  g_return_val_if_fail (GTK_IS_LIST_VIEW (list_view), NULL);
  self = g_object_get_data (G_OBJECT (list_view), DATA_KEY);
  g_return_val_if_fail (self != NULL, NULL);
  return self->menu;
}

static void
add_selected_style (GtkWidget *widget)
{
  GdkDisplay *display = gtk_widget_get_display (widget);
  g_autoptr(GtkCssProvider) provider = NULL;

  if (g_object_get_data (G_OBJECT (display), DATA_KEY) != NULL)
    return;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_data (provider, selected_css, -1);
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
  g_object_set_data_full (G_OBJECT (display), DATA_KEY, g_steal_pointer (&provider), g_object_unref);
}

static void
on_list_view_destroy (GtkWidget *list_view,
                      Selection *self)
{
  g_clear_pointer (&self->menu, gtk_widget_unparent);
}

/**
 * lan_message_selection_attach:
 *
 * Returns: (transfer full):
 */
GtkMultiSelection *
lan_message_selection_attach (GtkListView  *list_view,
                              GListModel   *messages,
                              LanMessenger *messenger)
{
  static const GActionEntry actions[] = {
    { .name = "copy-selected", .activate = on_copy_selected },
  };
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();
  GtkGesture *click = gtk_gesture_click_new ();
  Selection *self;

  g_return_val_if_fail (GTK_IS_LIST_VIEW (list_view), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (messages), NULL);
  g_return_val_if_fail (LAN_IS_MESSENGER (messenger), NULL);

  self = g_new0 (Selection, 1);
  self->list_view = list_view;
  self->selection = gtk_multi_selection_new (g_object_ref (messages));
  self->messenger = g_object_ref (messenger);
  g_object_set_data_full (G_OBJECT (list_view), DATA_KEY, self, (GDestroyNotify) selection_free);
  g_signal_connect (list_view, "destroy", G_CALLBACK (on_list_view_destroy), self);

  add_selected_style (GTK_WIDGET (list_view));
  g_action_map_add_action_entries (G_ACTION_MAP (group), actions, G_N_ELEMENTS (actions), self);
  gtk_widget_insert_action_group (GTK_WIDGET (list_view), "messages", G_ACTION_GROUP (group));

  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("<Control>c"),
                                                          gtk_callback_action_new (on_ctrl_c, self, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (list_view), shortcuts);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect (click, "pressed", G_CALLBACK (on_secondary_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (list_view), GTK_EVENT_CONTROLLER (click));

  return g_object_ref (self->selection);
}
