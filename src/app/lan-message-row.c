/* lan-message-row.c — one message as a bubble, with its time and delivery state.
 *
 * Own messages sit on the right, theirs on the left. Outgoing messages say
 * where they are (sending, delivered, failed, queued) and a failed one
 * offers Retry, a queued one (waiting for the peer to come back) Retry and
 * Cancel; the row only asks with its "retry", "cancel" and "reply" signals,
 * because sending is the messenger's business, not the widget's. Its menu
 * (right click, long press) copies the text, quotes it in a reply, or shows
 * the message's details; links in the text open when clicked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-message-row"

#include "config.h"

#include <glib/gi18n.h>

#include "lan-display-text.h"
#include "lan-message-links.h"
#include "lan-message-row.h"
#include "lan-notice.h"
#include "lan-offer-card.h"

struct _LanMessageRow
{
  GtkWidget   parent_instance;

  LanMessage *message;
  const char *state_text;
  /* For the offer card's Save, Decline and Withdraw; NULL: no card. */
  LanMessenger *messenger;
  GtkWidget  *offer_card;

  GtkWidget  *bubble;
  GtkLabel   *sender_label;
  GtkLabel   *text_label;
  GtkLabel   *time_label;
  GtkLabel   *state_label;
  GtkWidget  *retry_button;
  GtkWidget  *cancel_button;
  GtkWidget  *open_button;
  GtkWidget  *menu;
  GtkWidget  *details;
};

G_DEFINE_FINAL_TYPE (LanMessageRow, lan_message_row, GTK_TYPE_WIDGET)

enum {
  SIGNAL_RETRY,
  SIGNAL_CANCEL,
  SIGNAL_REPLY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const state_classes[] = { "incoming", "outgoing", "failed", "pending", "notice" };

static const char *
state_to_text (LanMessage *message)
{
  switch (lan_message_get_state (message))
    {
    case LAN_MESSAGE_RECEIVED:
      if (lan_message_get_auto_reply (message))
        return _("Automatic reply");
      return lan_message_get_broadcast (message) ? _("To everyone") : NULL;
    case LAN_MESSAGE_SENDING:
      return _("Sending…");
    case LAN_MESSAGE_DELIVERED:
      return _("Delivered");
    case LAN_MESSAGE_READ:
      return _("Read");
    case LAN_MESSAGE_FAILED:
      return _("Not delivered");
    case LAN_MESSAGE_QUEUED:
      return _("Waiting for them to come back");
    case LAN_MESSAGE_SENT:
      if (lan_message_get_auto_reply (message))
        return _("Automatic reply");
      return lan_message_get_broadcast (message) ? _("Sent to everyone") : _("Sent");
    default:
      return NULL;
    }
}

static char *
format_time (gint64 time_us,
             char **out_tooltip)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (time_us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (utc == NULL)
    {
      *out_tooltip = NULL;
      return g_strdup ("");
    }

  local = g_date_time_to_local (utc);
  *out_tooltip = g_date_time_format (local, "%c");

  if (g_date_time_get_year (local) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    return g_date_time_format (local, "%H:%M");

  return g_date_time_format (local, "%x %H:%M");
}

static void
update_state (LanMessageRow *self)
{
  LanMessage *message = self->message;
  LanMessageState state = lan_message_get_state (message);
  gboolean outgoing = lan_message_get_direction (message) == LAN_DIRECTION_OUT;

  /* A line from Lanchat itself ("address changed"): no side, no state. */
  if (lan_message_get_notice (message))
    {
      self->state_text = NULL;
      gtk_widget_set_visible (GTK_WIDGET (self->state_label), FALSE);
      gtk_widget_set_visible (self->retry_button, FALSE);
      gtk_widget_set_visible (self->cancel_button, FALSE);
      for (guint i = 0; i < G_N_ELEMENTS (state_classes); i++)
        gtk_widget_remove_css_class (self->bubble, state_classes[i]);
      gtk_widget_add_css_class (self->bubble, "notice");
      gtk_widget_set_halign (self->bubble, GTK_ALIGN_CENTER);
      return;
    }

  self->state_text = state_to_text (message);
  gtk_label_set_text (self->state_label, self->state_text ? self->state_text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->state_label), self->state_text != NULL);
  gtk_widget_set_visible (self->retry_button,
                          state == LAN_MESSAGE_FAILED || state == LAN_MESSAGE_QUEUED);
  gtk_widget_set_visible (self->cancel_button, state == LAN_MESSAGE_QUEUED);

  if ((state == LAN_MESSAGE_FAILED || state == LAN_MESSAGE_QUEUED) &&
      lan_message_get_error (message) != NULL)
    {
      g_autofree char *error = lan_display_text (lan_message_get_error (message), LAN_DISPLAY_TEXT_ONE_LINE, LAN_DISPLAY_TEXT_ALL);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->state_label), error);
    }
  else
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->state_label), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (state_classes); i++)
    gtk_widget_remove_css_class (self->bubble, state_classes[i]);
  gtk_widget_add_css_class (self->bubble, outgoing ? "outgoing" : "incoming");
  if (state == LAN_MESSAGE_FAILED)
    gtk_widget_add_css_class (self->bubble, "failed");
  else if (state == LAN_MESSAGE_SENDING || state == LAN_MESSAGE_QUEUED)
    gtk_widget_add_css_class (self->bubble, "pending");

  gtk_widget_set_halign (self->bubble, outgoing ? GTK_ALIGN_END : GTK_ALIGN_START);
}

static void
on_state_notify (LanMessageRow *self)
{
  update_state (self);
}

static void
on_retry_clicked (LanMessageRow *self)
{
  g_signal_emit (self, signals[SIGNAL_RETRY], 0);
}

static void
on_cancel_clicked (LanMessageRow *self)
{
  g_signal_emit (self, signals[SIGNAL_CANCEL], 0);
}

/* A sealed message shows that it is there, not what it says, until the
 * user opens it (the engine then tells the sender, READMSG). */
/* A notice in the language of the moment; anything else as it came. Both
 * as shown: no invisible controls.
 * Returns: (transfer full) */
static char *
dup_shown_text (LanMessage *message)
{
  g_autofree char *notice = lan_notice_render (lan_message_get_notice_kind (message),
                                               lan_message_get_notice_args (message));

  return lan_display_text (notice != NULL ? notice : lan_message_get_text (message),
                           LAN_DISPLAY_TEXT_LINES, LAN_DISPLAY_TEXT_ALL);
}

static void
update_seal (LanMessageRow *self)
{
  gboolean sealed = lan_message_get_sealed (self->message);

  if (sealed)
    gtk_label_set_text (self->text_label, _("Sealed message"));
  else
    {
      g_autofree char *text = dup_shown_text (self->message);

      gtk_label_set_text (self->text_label, text);
    }
  gtk_label_set_selectable (self->text_label, !sealed);
  gtk_widget_set_visible (self->open_button, sealed);
  if (sealed)
    gtk_widget_add_css_class (self->bubble, "sealed");
  else
    gtk_widget_remove_css_class (self->bubble, "sealed");
}

static void
on_open_clicked (LanMessageRow *self)
{
  if (self->message != NULL)
    lan_message_open (self->message);
}

/* Files offered: a card below the text, and no empty bubble when the
 * offer came without words (iptux sends none). */
static void
bind_offer (LanMessageRow *self,
            LanMessage    *message)
{
  GPtrArray *files = lan_message_get_files (message);
  gboolean offer = self->messenger != NULL && files != NULL && files->len > 0;

  if (offer)
    {
      self->offer_card = lan_offer_card_new (self->messenger, message);
      gtk_box_insert_child_after (GTK_BOX (self->bubble), self->offer_card, self->open_button);
      gtk_widget_add_css_class (self->bubble, "offer");
    }
  else
    gtk_widget_remove_css_class (self->bubble, "offer");
  gtk_widget_set_visible (GTK_WIDGET (self->text_label),
                          !offer || *lan_message_get_text (message) != '\0' || lan_message_get_sealed (message));
}

void
lan_message_row_set_messenger (LanMessageRow *self,
                               LanMessenger  *messenger)
{
  g_return_if_fail (LAN_IS_MESSAGE_ROW (self));
  g_set_object (&self->messenger, messenger);
}

void
lan_message_row_bind (LanMessageRow *self,
                      LanMessage    *message,
                      const char    *sender_name)
{
  g_autofree char *text = NULL;
  g_autofree char *time = NULL;
  g_autofree char *time_tooltip = NULL;

  g_return_if_fail (LAN_IS_MESSAGE_ROW (self));
  g_return_if_fail (LAN_IS_MESSAGE (message));

  lan_message_row_unbind (self);
  self->message = g_object_ref (message);

  text = dup_shown_text (message);
  {
    /* Markup only where there is a link: built by us, from escaped text. */
    g_autofree char *markup = lan_message_links_markup (text);

    if (markup != NULL)
      gtk_label_set_markup (self->text_label, markup);
    else
      {
        gtk_label_set_use_markup (self->text_label, FALSE);
        gtk_label_set_text (self->text_label, text);
      }
  }

  time = format_time (lan_message_get_time (message), &time_tooltip);
  gtk_label_set_text (self->time_label, time);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->time_label), time_tooltip);

  if (sender_name != NULL && lan_message_get_direction (message) == LAN_DIRECTION_IN &&
      !lan_message_get_notice (message))
    {
      g_autofree char *sender = lan_display_text (sender_name, LAN_DISPLAY_TEXT_ONE_LINE, LAN_DISPLAY_TEXT_ALL);
      gtk_label_set_text (self->sender_label, sender);
      gtk_widget_set_visible (GTK_WIDGET (self->sender_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->sender_label), FALSE);

  bind_offer (self, message);
  g_signal_connect_swapped (message, "notify::state", G_CALLBACK (on_state_notify), self);
  g_signal_connect_swapped (message, "notify::error", G_CALLBACK (on_state_notify), self);
  g_signal_connect_swapped (message, "notify::sealed", G_CALLBACK (update_seal), self);
  update_state (self);
  update_seal (self);
}

void
lan_message_row_unbind (LanMessageRow *self)
{
  g_return_if_fail (LAN_IS_MESSAGE_ROW (self));

  if (self->message == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->message, self);
  if (self->offer_card != NULL)
    gtk_box_remove (GTK_BOX (self->bubble), g_steal_pointer (&self->offer_card));
  g_clear_object (&self->message);
  self->state_text = NULL;
}

/**
 * lan_message_row_get_message:
 *
 * Returns: (transfer none) (nullable):
 */
LanMessage *
lan_message_row_get_message (LanMessageRow *self)
{
  g_return_val_if_fail (LAN_IS_MESSAGE_ROW (self), NULL);

  return self->message;
}

const char *
lan_message_row_get_state_text (LanMessageRow *self)
{
  g_return_val_if_fail (LAN_IS_MESSAGE_ROW (self), NULL);

  return self->state_text;
}

/* Actions of the menu */

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LanMessageRow *self = LAN_MESSAGE_ROW (widget);
  g_autofree char *text = NULL;

  if (self->message == NULL)
    return;
  /* As shown: no invisible controls go along. */
  text = dup_shown_text (self->message);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
}

static void
reply_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  if (LAN_MESSAGE_ROW (widget)->message != NULL)
    g_signal_emit (widget, signals[SIGNAL_REPLY], 0);
}

char *
lan_message_row_describe (LanMessage *message)
{
  g_autofree char *time = NULL;
  g_autofree char *tooltip = NULL;
  GString *details = g_string_new (NULL);

  time = format_time (lan_message_get_time (message), &tooltip);
  {
    g_autofree char *packet_no = g_strdup_printf ("%" G_GUINT64_FORMAT, lan_message_get_packet_no (message));

    g_string_append_printf (details, _("Packet number: %s"), packet_no);
  }
  g_string_append_c (details, '\n');
  if (lan_message_get_direction (message) == LAN_DIRECTION_OUT)
    g_string_append_printf (details, _("Sent: %s"), tooltip != NULL ? tooltip : time);
  else
    g_string_append_printf (details, _("Received: %s"), tooltip != NULL ? tooltip : time);
  if (lan_message_get_direction (message) == LAN_DIRECTION_OUT)
    {
      g_string_append_c (details, '\n');
      g_string_append_printf (details, _("Tries: %u"), lan_message_get_attempts (message));
      if (lan_message_get_round_trip (message) >= 0)
        {
          g_string_append_c (details, '\n');
          /* Translators: the time from sending to the acknowledgement, in milliseconds */
          g_string_append_printf (details, _("Round trip: %.0f ms"),
                                  lan_message_get_round_trip (message) / 1000.0);
        }
      g_string_append_c (details, '\n');
      g_string_append_printf (details, _("State: %s"), state_to_text (message) != NULL ? state_to_text (message) : "");
    }
  if (lan_message_get_auto_reply (message))
    {
      g_string_append_c (details, '\n');
      g_string_append (details, _("An automatic reply"));
    }
  return g_string_free (details, FALSE);
}

static void
details_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  LanMessageRow *self = LAN_MESSAGE_ROW (widget);
  g_autofree char *text = NULL;
  GtkWidget *label;

  if (self->message == NULL)
    return;
  text = lan_message_row_describe (self->message);
  if (self->details == NULL)
    {
      self->details = gtk_popover_new ();
      gtk_widget_set_parent (self->details, self->bubble);
    }
  label = gtk_label_new (text);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_popover_set_child (GTK_POPOVER (self->details), label);
  gtk_popover_popup (GTK_POPOVER (self->details));
}

void
lan_message_row_popup_menu (LanMessageRow *self,
                            double         x,
                            double         y)
{
  g_autoptr(GMenu) menu = NULL;

  g_return_if_fail (LAN_IS_MESSAGE_ROW (self));
  if (self->message == NULL || lan_message_get_notice (self->message))
    return;
  menu = g_menu_new ();
  g_menu_append (menu, _("_Copy"), "message.copy");
  g_menu_append (menu, _("_Reply"), "message.reply");
  g_menu_append (menu, _("_Details"), "message.details");
  if (self->menu == NULL)
    {
      self->menu = gtk_popover_menu_new_from_model (NULL);
      gtk_widget_set_parent (self->menu, GTK_WIDGET (self));
      gtk_popover_set_has_arrow (GTK_POPOVER (self->menu), FALSE);
      gtk_widget_set_halign (self->menu, GTK_ALIGN_START);
    }
  gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (self->menu), G_MENU_MODEL (menu));
  gtk_popover_set_pointing_to (GTK_POPOVER (self->menu), &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->menu));
}

GtkWidget *
lan_message_row_get_menu (LanMessageRow *self)
{
  g_return_val_if_fail (LAN_IS_MESSAGE_ROW (self), NULL);
  return self->menu;
}

static void
on_secondary_click (GtkGestureClick *gesture,
                    int              n_press,
                    double           x,
                    double           y,
                    LanMessageRow   *self)
{
  /* Ours instead of the label's, whose Cut and Paste mean nothing here. */
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  lan_message_row_popup_menu (self, x, y);
}

static void
on_long_press (GtkGestureLongPress *gesture,
               double               x,
               double               y,
               LanMessageRow       *self)
{
  lan_message_row_popup_menu (self, x, y);
}

static gboolean
on_activate_link (GtkLabel   *label,
                  const char *uri,
                  gpointer    user_data)
{
  lan_message_links_open (GTK_WIDGET (label), uri);
  return TRUE;
}

/* The bubble is as wide as its contents, never wider: GTK gives a wrapping
 * child with a start or end alignment the width it needs for one line,
 * which stretched cards with a long error across the whole list. */
static void
lan_message_row_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  GtkWidget *bubble = LAN_MESSAGE_ROW (widget)->bubble;

  if (orientation == GTK_ORIENTATION_VERTICAL && for_size >= 0)
    {
      int min_width, nat_width;

      gtk_widget_measure (bubble, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, &nat_width, NULL, NULL);
      for_size = MAX (min_width, MIN (for_size, nat_width));
    }
  gtk_widget_measure (bubble, orientation, for_size, minimum, natural, minimum_baseline, natural_baseline);
}

static void
lan_message_row_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  GtkWidget *bubble = LAN_MESSAGE_ROW (widget)->bubble;
  int min_width, nat_width, bubble_width, x = 0;

  gtk_widget_measure (bubble, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, &nat_width, NULL, NULL);
  bubble_width = MAX (min_width, MIN (width, nat_width));
  if (gtk_widget_get_halign (bubble) == GTK_ALIGN_END)
    x = width - bubble_width;
  else if (gtk_widget_get_halign (bubble) == GTK_ALIGN_CENTER)
    x = (width - bubble_width) / 2;
  gtk_widget_allocate (bubble, bubble_width, height, baseline,
                       gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT (x, 0)));
  if (LAN_MESSAGE_ROW (widget)->menu != NULL)
    gtk_popover_present (GTK_POPOVER (LAN_MESSAGE_ROW (widget)->menu));
}

static GtkSizeRequestMode
lan_message_row_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
lan_message_row_dispose (GObject *object)
{
  LanMessageRow *self = LAN_MESSAGE_ROW (object);
  GtkWidget *child;

  lan_message_row_unbind (self);
  g_clear_object (&self->messenger);
  g_clear_pointer (&self->menu, gtk_widget_unparent);
  g_clear_pointer (&self->details, gtk_widget_unparent);
  gtk_widget_dispose_template (GTK_WIDGET (self), LAN_TYPE_MESSAGE_ROW);
  /* dispose_template() only clears children bound by id; the unnamed
   * root box is ours to unparent. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (lan_message_row_parent_class)->dispose (object);
}

static void
lan_message_row_class_init (LanMessageRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lan_message_row_dispose;

  /**
   * LanMessageRow::retry:
   *
   * The person asked to send a failed message again.
   */
  signals[SIGNAL_RETRY] = g_signal_new ("retry",
                                        G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 0);

  /**
   * LanMessageRow::cancel:
   *
   * The person does not want a queued message sent after all.
   */
  signals[SIGNAL_CANCEL] = g_signal_new ("cancel",
                                         G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 0);

  /**
   * LanMessageRow::reply:
   *
   * The person wants to answer this message, quoting it.
   */
  signals[SIGNAL_REPLY] = g_signal_new ("reply",
                                        G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "message.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "message.reply", NULL, reply_action);
  gtk_widget_class_install_action (widget_class, "message.details", NULL, details_action);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/lanchat/Lanchat/lan-message-row.ui");
  gtk_widget_class_bind_template_child (widget_class, LanMessageRow, bubble);
  gtk_widget_class_bind_template_child (widget_class, LanMessageRow, sender_label);
  gtk_widget_class_bind_template_child (widget_class, LanMessageRow, text_label);
  gtk_widget_class_bind_template_child (widget_class, LanMessageRow, time_label);
  gtk_widget_class_bind_template_child (widget_class, LanMessageRow, state_label);
  gtk_widget_class_bind_template_child (widget_class, LanMessageRow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, LanMessageRow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, LanMessageRow, open_button);
  gtk_widget_class_bind_template_callback (widget_class, on_retry_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_open_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);

  widget_class->get_request_mode = lan_message_row_get_request_mode;
  widget_class->measure = lan_message_row_measure;
  widget_class->size_allocate = lan_message_row_size_allocate;
  gtk_widget_class_set_css_name (widget_class, "messagerow");
}

static void
lan_message_row_init (LanMessageRow *self)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkGesture *long_press = gtk_gesture_long_press_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  /* Before the selectable label takes the click for its own menu. */
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect (click, "pressed", G_CALLBACK (on_secondary_click), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (long_press), TRUE);
  g_signal_connect (long_press, "pressed", G_CALLBACK (on_long_press), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (long_press));
  g_signal_connect (self->text_label, "activate-link", G_CALLBACK (on_activate_link), NULL);
}

GtkWidget *
lan_message_row_new (void)
{
  return g_object_new (LAN_TYPE_MESSAGE_ROW, NULL);
}
