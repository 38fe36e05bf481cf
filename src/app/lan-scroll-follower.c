/* lan-scroll-follower.c — keeps a scrolled view at its bottom while it is there.
 *
 * Chat and packet views grow at the bottom. While the person is at the
 * bottom they want to see what arrives; once they scroll up they are
 * reading something and the view must hold still. The adjustment tells the
 * two apart: a value change with the same upper bound is the person
 * scrolling, one that comes with a new upper bound is the content growing
 * (or a list view re-estimating its height), which must not count as
 * "scrolled away".
 *
 * The scroll to the end is done from an idle, not from the adjustment's
 * "changed": list views configure their adjustment with their own
 * value-changed handler blocked, so a value set synchronously there is
 * never seen by the list and is undone at its next allocation.
 *
 * And at most every SCROLL_INTERVAL_MS: each scroll moves a list view's
 * anchor and binds a screenful of rows, so a log growing by thousands of
 * rows a second would bind every one of them many times a frame. A person
 * sees no difference; a flood costs a tenth of the work.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-scroll-follower"

#include "lan-scroll-follower.h"

/* List views estimate row heights, so "at the end" allows a little slack. */
#define AT_END_SLACK 2.0
#define SCROLL_INTERVAL_MS 100

struct _LanScrollFollower
{
  GObject        parent_instance;

  GtkAdjustment *adjustment;
  double         last_upper;
  guint          scroll_idle_id;
  gint64         last_scroll;
  LanScrollFunc  scroll_func;
  gpointer       scroll_data;
  gboolean       following;
};

G_DEFINE_FINAL_TYPE (LanScrollFollower, lan_scroll_follower, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FOLLOWING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
scroll_to_end (LanScrollFollower *self)
{
  if (self->scroll_func != NULL)
    {
      self->scroll_func (self->scroll_data);
      return;
    }
  gtk_adjustment_set_value (self->adjustment,
                            gtk_adjustment_get_upper (self->adjustment) -
                            gtk_adjustment_get_page_size (self->adjustment));
}

static void
on_scroll_idle (gpointer user_data)
{
  LanScrollFollower *self = user_data;

  self->scroll_idle_id = 0;
  self->last_scroll = g_get_monotonic_time ();
  if (self->following)
    scroll_to_end (self);
}

static void
queue_scroll_to_end (LanScrollFollower *self)
{
  gint64 since = (g_get_monotonic_time () - self->last_scroll) / 1000;

  if (self->scroll_idle_id != 0)
    return;
  if (since >= SCROLL_INTERVAL_MS)
    self->scroll_idle_id = g_idle_add_once (on_scroll_idle, self);
  else
    self->scroll_idle_id = g_timeout_add_once ((guint) (SCROLL_INTERVAL_MS - since), on_scroll_idle, self);
}

static void
set_following (LanScrollFollower *self,
               gboolean           following)
{
  if (self->following == following)
    return;

  self->following = following;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOWING]);
}

static void
on_value_changed (LanScrollFollower *self)
{
  double upper = gtk_adjustment_get_upper (self->adjustment);
  double bottom = upper - gtk_adjustment_get_page_size (self->adjustment);

  /* The view moving before our pending scroll is not the person. */
  if (self->scroll_idle_id != 0)
    {
      self->last_upper = upper;
      return;
    }

  if (gtk_adjustment_get_value (self->adjustment) >= bottom - AT_END_SLACK)
    set_following (self, TRUE);
  else if (upper == self->last_upper)
    set_following (self, FALSE);

  self->last_upper = upper;
}

static void
on_changed (LanScrollFollower *self)
{
  if (self->following)
    queue_scroll_to_end (self);

  self->last_upper = gtk_adjustment_get_upper (self->adjustment);
}

gboolean
lan_scroll_follower_get_following (LanScrollFollower *self)
{
  g_return_val_if_fail (LAN_IS_SCROLL_FOLLOWER (self), FALSE);

  return self->following;
}

void
lan_scroll_follower_set_following (LanScrollFollower *self,
                                   gboolean           following)
{
  g_return_if_fail (LAN_IS_SCROLL_FOLLOWER (self));

  set_following (self, !!following);
  /* Not at once: the view may just have been given another model (a long
   * conversation swapped for an empty one), and its adjustment still has
   * the old bounds; a value set from them makes GTK 4.8 warn that the list
   * "failed to scroll to given position". Once it has laid out, it has. */
  if (following)
    queue_scroll_to_end (self);
}

void
lan_scroll_follower_set_scroll_func (LanScrollFollower *self,
                                     LanScrollFunc      func,
                                     gpointer           user_data)
{
  g_return_if_fail (LAN_IS_SCROLL_FOLLOWER (self));

  self->scroll_func = func;
  self->scroll_data = user_data;
}

static void
lan_scroll_follower_dispose (GObject *object)
{
  LanScrollFollower *self = LAN_SCROLL_FOLLOWER (object);

  g_clear_handle_id (&self->scroll_idle_id, g_source_remove);
  if (self->adjustment != NULL)
    g_signal_handlers_disconnect_by_data (self->adjustment, self);
  g_clear_object (&self->adjustment);

  G_OBJECT_CLASS (lan_scroll_follower_parent_class)->dispose (object);
}

static void
lan_scroll_follower_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  LanScrollFollower *self = LAN_SCROLL_FOLLOWER (object);

  switch (prop_id)
    {
    case PROP_FOLLOWING:
      g_value_set_boolean (value, self->following);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lan_scroll_follower_class_init (LanScrollFollowerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lan_scroll_follower_dispose;
  object_class->get_property = lan_scroll_follower_get_property;

  properties[PROP_FOLLOWING] =
    g_param_spec_boolean ("following", NULL, NULL,
                          TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lan_scroll_follower_init (LanScrollFollower *self)
{
  self->following = TRUE;
}

LanScrollFollower *
lan_scroll_follower_new (GtkAdjustment *adjustment)
{
  LanScrollFollower *self;

  g_return_val_if_fail (GTK_IS_ADJUSTMENT (adjustment), NULL);

  self = g_object_new (LAN_TYPE_SCROLL_FOLLOWER, NULL);
  self->adjustment = g_object_ref (adjustment);
  self->last_upper = gtk_adjustment_get_upper (adjustment);
  g_signal_connect_swapped (adjustment, "value-changed", G_CALLBACK (on_value_changed), self);
  g_signal_connect_swapped (adjustment, "changed", G_CALLBACK (on_changed), self);

  return self;
}
