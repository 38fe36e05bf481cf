/* lan-window-composer.c — writing and sending a message.
 *
 * Enter sends, Shift+Enter starts a new line. A text that does not fit one
 * datagram once encoded is refused with a message and left as it is; it
 * is never cut.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-window-composer"

#include "config.h"

#include <glib/gi18n.h>

#include "lan-display-text.h"
#include "lan-window-private.h"

static char *
dup_composer_text (LanWindow *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->composer_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/* Measures @text the way the messenger will send it: to a peer in UTF-8
 * when it takes it (or has not said what it takes), else in the legacy
 * encoding; to everyone always in the legacy encoding (broadcasts never
 * carry UTF8OPT). This mirrors lan-messenger-send.c, which has no
 * measuring call of its own; the messenger checks again when sending.
 * Returns a message for the person when the text cannot go as it is, and
 * sets @out_blocking when it must not be sent at all: too long, because it
 * is never cut. */
static char *
check_composer_text (LanWindow  *self,
                     const char *text,
                     gboolean   *out_blocking)
{
  LanPeer *peer = self->current_is_everyone ? NULL : self->current_peer;
  gboolean lossy = FALSE;
  int legacy = LAN_LEGACY_GB18030;
  gsize size, max;

  *out_blocking = FALSE;

  if (*text == '\0' || (peer == NULL && !self->current_is_everyone))
    return NULL;

  g_object_get (self->messenger, "legacy-encoding", &legacy, NULL);
  if (!lan_messenger_measure_text (self->messenger, peer, text, &size, &max, &lossy))
    {
      *out_blocking = TRUE;
      return g_strdup_printf (_("Too long to send as one message: %zu bytes once encoded, "
                                "and at most %zu fit. Shorten it or send it in parts."),
                              size, max);
    }

  if (lossy && peer == NULL)
    return g_strdup_printf (_("Messages to everyone go out in %s. Characters it cannot "
                              "write will arrive as “?”."),
                            lan_legacy_encoding_to_string (legacy));
  if (lossy)
    return g_strdup_printf (_("This peer does not take UTF-8. Characters that %s cannot "
                              "write will arrive as “?”."),
                            lan_legacy_encoding_to_string (legacy));

  return NULL;
}

static void
show_composer_problem (LanWindow  *self,
                       const char *problem)
{
  gtk_label_set_text (self->composer_error_label, problem ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->composer_error_label), problem != NULL);
}

void
_lan_window_composer_update (LanWindow *self)
{
  g_autofree char *text = dup_composer_text (self);
  g_autofree char *problem = NULL;
  gboolean blocking;

  gtk_widget_set_visible (GTK_WIDGET (self->composer_placeholder), *text == '\0');
  problem = check_composer_text (self, text, &blocking);
  show_composer_problem (self, problem);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.send", !is_blank (text));
}

static void
on_composer_changed (LanWindow *self)
{
  _lan_window_composer_update (self);
}

static gboolean
on_composer_key_pressed (GtkEventControllerKey *controller,
                         guint                  keyval,
                         guint                  keycode,
                         GdkModifierType        state,
                         LanWindow             *self)
{
  GdkEvent *event;

  if (keyval != GDK_KEY_Return && keyval != GDK_KEY_KP_Enter && keyval != GDK_KEY_ISO_Enter)
    return GDK_EVENT_PROPAGATE;

  /* Shift+Enter is the text view's own newline. */
  if (state & GDK_SHIFT_MASK)
    return GDK_EVENT_PROPAGATE;

  /* An input method may be composing (pinyin, kana): Enter is its to
   * commit, not ours to send. */
  event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (controller));
  if (event != NULL && gtk_text_view_im_context_filter_keypress (self->composer_view, event))
    return GDK_EVENT_STOP;

  gtk_widget_activate_action (GTK_WIDGET (self), "win.send", NULL);
  return GDK_EVENT_STOP;
}

void
_lan_window_composer_send (LanWindow *self)
{
  g_autofree char *text = dup_composer_text (self);
  g_autofree char *problem = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LanMessage) message = NULL;
  gboolean blocking;

  if (self->current_conversation == NULL || is_blank (text))
    return;

  problem = check_composer_text (self, text, &blocking);
  if (blocking)
    {
      show_composer_problem (self, problem);
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }

  if (self->current_is_everyone)
    message = lan_messenger_send_broadcast (self->messenger, text, &error);
  else
    message = lan_messenger_send (self->messenger, self->current_peer, text, &error);

  if (message == NULL)
    {
      g_autofree char *reason = lan_display_text (error ? error->message : NULL, LAN_DISPLAY_TEXT_ONE_LINE, LAN_DISPLAY_TEXT_ALL);

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE))
        {
          g_autofree char *shown = g_strdup_printf (_("Too long to send as one message: %s "
                                                      "Shorten it or send it in parts."),
                                                    reason);
          show_composer_problem (self, shown);
          gtk_widget_error_bell (GTK_WIDGET (self));
        }
      else
        {
          g_autofree char *toast = g_strdup_printf (_("Not sent: %s"), reason);
          lan_window_show_toast (self, toast);
        }
      return;
    }

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->composer_view), "", 0);
  lan_scroll_follower_set_following (self->messages_follower, TRUE);
}

void
_lan_window_composer_init (LanWindow *self)
{
  GtkEventController *key_controller = gtk_event_controller_key_new ();

  /* Capture: the text view would otherwise take Enter as a newline. */
  gtk_event_controller_set_propagation_phase (key_controller, GTK_PHASE_CAPTURE);
  g_signal_connect (key_controller, "key-pressed", G_CALLBACK (on_composer_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->composer_view), key_controller);

  g_signal_connect_swapped (gtk_text_view_get_buffer (self->composer_view), "changed",
                            G_CALLBACK (on_composer_changed), self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.send", FALSE);
}
