/* lan-window-composer.c — writing and sending a message.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-window-composer"

#include "config.h"

#include <glib/gi18n.h>

#include "lan-composer-attach.h"
#include "lan-display-text.h"
#include "lan-messenger-files.h"
#include "lan-window.h"
#include "lan-window-composer.h"

struct _LanWindowComposer
{
  /* Not references: the window owns the composer and these widgets. */
  GtkWidget         *window;
  GtkTextView       *view;
  GtkLabel          *placeholder;
  GtkLabel          *error_label;
  /* A reference: its handler is disconnected at free, when the view may be gone. */
  GtkTextBuffer     *buffer;
  LanScrollFollower *follower;
  LanComposerAttach *attach;

  LanMessenger      *messenger;
  LanConversation   *conversation;
  LanPeer           *peer;
};

/* Returns: (transfer full): the text written. */
static char *
dup_composer_text (LanWindowComposer *self)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (self->buffer, &start, &end);
  return gtk_text_buffer_get_text (self->buffer, &start, &end, FALSE);
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
 * is never cut.
 * Returns: (transfer full) (nullable): the message. */
static char *
check_composer_text (LanWindowComposer *self,
                     const char        *text,
                     gboolean          *out_blocking)
{
  LanPeer *peer = self->peer;
  gboolean lossy = FALSE;
  int legacy = LAN_LEGACY_GB18030;
  gsize size, max;

  *out_blocking = FALSE;

  /* No conversation shown yet: nothing to measure against. */
  if (*text == '\0' || self->conversation == NULL)
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
    return g_strdup_printf (_("This person's messenger does not take UTF-8. Characters that %s cannot "
                              "write will arrive as “?”."),
                            lan_legacy_encoding_to_string (legacy));

  return NULL;
}

static void
show_composer_problem (LanWindowComposer *self,
                       const char        *problem)
{
  gtk_label_set_text (self->error_label, problem ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), problem != NULL);
}

void
lan_window_composer_update (LanWindowComposer *self)
{
  g_autofree char *text = dup_composer_text (self);
  g_autofree char *problem = NULL;
  gboolean blocking;

  guint n_files = 0;

  lan_composer_attach_get_files (self->attach, &n_files);
  gtk_widget_set_visible (GTK_WIDGET (self->placeholder), *text == '\0');
  problem = check_composer_text (self, text, &blocking);
  /* Offers go to one peer, who fetches over TCP: there is no broadcast of files. */
  if (problem == NULL && n_files > 0 && self->peer == NULL && self->conversation != NULL)
    {
      problem = g_strdup (_("Files go to one person at a time: choose someone to offer them to."));
      blocking = TRUE;
    }
  show_composer_problem (self, problem);
  /* The reason is shown beside it; a button that does nothing says nothing. */
  gtk_widget_action_set_enabled (self->window, "win.send", (!is_blank (text) || n_files > 0) && !blocking);
  gtk_widget_action_set_enabled (self->window, "win.attach-files", self->peer != NULL);
  gtk_widget_action_set_enabled (self->window, "win.attach-folder", self->peer != NULL);
}

static void
on_composer_changed (LanWindowComposer *self)
{
  lan_window_composer_update (self);
}

static gboolean
on_composer_key_pressed (GtkEventControllerKey *controller,
                         guint                  keyval,
                         guint                  keycode,
                         GdkModifierType        state,
                         LanWindowComposer     *self)
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
  if (event != NULL && gtk_text_view_im_context_filter_keypress (self->view, event))
    return GDK_EVENT_STOP;

  gtk_widget_activate_action (self->window, "win.send", NULL);
  return GDK_EVENT_STOP;
}

void
lan_window_composer_send (LanWindowComposer *self)
{
  g_autofree char *text = dup_composer_text (self);
  g_autofree char *problem = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LanMessage) message = NULL;
  gboolean blocking;
  guint n_files = 0;
  GFile * const *files = lan_composer_attach_get_files (self->attach, &n_files);

  if (self->conversation == NULL || (is_blank (text) && n_files == 0))
    return;

  problem = check_composer_text (self, text, &blocking);
  if (blocking)
    {
      show_composer_problem (self, problem);
      gtk_widget_error_bell (self->window);
      return;
    }

  if (n_files > 0 && self->peer != NULL)
    message = lan_messenger_send_files (self->messenger, self->peer, is_blank (text) ? "" : text,
                                        files, n_files, &error);
  else if (n_files > 0)
    return;
  else if (self->peer == NULL)
    message = lan_messenger_send_broadcast (self->messenger, text, &error);
  else
    message = lan_messenger_send (self->messenger, self->peer, text, &error);

  if (message == NULL)
    {
      g_autofree char *reason = lan_display_text (error ? error->message : NULL, LAN_DISPLAY_TEXT_ONE_LINE, LAN_DISPLAY_TEXT_ALL);

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE))
        {
          g_autofree char *shown = g_strdup_printf (_("Too long to send as one message: %s "
                                                      "Shorten it or send it in parts."),
                                                    reason);
          show_composer_problem (self, shown);
          gtk_widget_error_bell (self->window);
        }
      else
        {
          g_autofree char *toast = g_strdup_printf (_("Not sent: %s"), reason);
          lan_window_show_toast (LAN_WINDOW (self->window), toast);
        }
      return;
    }

  gtk_text_buffer_set_text (self->buffer, "", 0);
  lan_composer_attach_clear (self->attach);
  lan_scroll_follower_set_following (self->follower, TRUE);
}

LanWindowComposer *
lan_window_composer_new (GtkWidget         *window,
                         GtkTextView       *view,
                         GtkLabel          *placeholder,
                         GtkLabel          *error_label,
                         LanScrollFollower *follower)
{
  LanWindowComposer *self;
  GtkEventController *key_controller;

  g_return_val_if_fail (LAN_IS_WINDOW (window), NULL);
  g_return_val_if_fail (GTK_IS_TEXT_VIEW (view), NULL);
  g_return_val_if_fail (LAN_IS_SCROLL_FOLLOWER (follower), NULL);

  self = g_new0 (LanWindowComposer, 1);
  self->window = window;
  self->view = view;
  self->placeholder = placeholder;
  self->error_label = error_label;
  self->buffer = g_object_ref (gtk_text_view_get_buffer (view));
  self->follower = g_object_ref (follower);

  key_controller = gtk_event_controller_key_new ();
  /* Capture: the text view would otherwise take Enter as a newline. */
  gtk_event_controller_set_propagation_phase (key_controller, GTK_PHASE_CAPTURE);
  g_signal_connect (key_controller, "key-pressed", G_CALLBACK (on_composer_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (view), key_controller);

  g_signal_connect_swapped (self->buffer, "changed", G_CALLBACK (on_composer_changed), self);
  /* The chips sit between the problem line and the entry; files dropped
   * anywhere on the conversation column are attached. */
  self->attach = lan_composer_attach_new (view, gtk_widget_get_parent (GTK_WIDGET (error_label)),
                                          GTK_BOX (gtk_widget_get_parent (GTK_WIDGET (error_label))),
                                          GTK_WIDGET (error_label),
                                          (LanComposerAttachChanged) lan_window_composer_update, self);
  gtk_widget_action_set_enabled (window, "win.send", FALSE);
  gtk_widget_action_set_enabled (window, "win.attach-files", FALSE);
  gtk_widget_action_set_enabled (window, "win.attach-folder", FALSE);
  return self;
}

/* Call once the window's widgets are disposed: the key controller went with them. */
void
lan_window_composer_free (LanWindowComposer *self)
{
  if (self == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->buffer, self);
  g_clear_pointer (&self->attach, lan_composer_attach_free);
  g_clear_object (&self->buffer);
  g_clear_object (&self->follower);
  g_clear_object (&self->messenger);
  g_clear_object (&self->conversation);
  g_clear_object (&self->peer);
  g_free (self);
}

void
lan_window_composer_set_target (LanWindowComposer *self,
                                LanMessenger      *messenger,
                                LanConversation   *conversation,
                                LanPeer           *peer)
{
  g_set_object (&self->messenger, messenger);
  g_set_object (&self->conversation, conversation);
  g_set_object (&self->peer, peer);
  lan_window_composer_update (self);
}

const char *
lan_window_composer_get_error (LanWindowComposer *self)
{
  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;
  return gtk_label_get_text (self->error_label);
}

void
lan_window_composer_choose_files (LanWindowComposer *self,
                                  gboolean           folder)
{
  if (self->peer != NULL)
    lan_composer_attach_choose (self->attach, folder);
}
