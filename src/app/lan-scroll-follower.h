/* lan-scroll-follower.h — keeps a scrolled view at its bottom while it is there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LAN_TYPE_SCROLL_FOLLOWER (lan_scroll_follower_get_type ())
G_DECLARE_FINAL_TYPE (LanScrollFollower, lan_scroll_follower, LAN, SCROLL_FOLLOWER, GObject)

/* Returns: (transfer full): a follower of @adjustment. */
LanScrollFollower *lan_scroll_follower_new           (GtkAdjustment     *adjustment);
gboolean           lan_scroll_follower_get_following (LanScrollFollower *self);
/* TRUE also scrolls to the end now. */
void               lan_scroll_follower_set_following (LanScrollFollower *self,
                                                      gboolean           following);

/* How to get to the end, when setting the adjustment to its upper bound
 * is not exact: a list view whose rows come and go at both ends between
 * two layouts knows its last row, while the adjustment's bound may be a
 * layout old. @user_data is not referenced. */
typedef void (*LanScrollFunc) (gpointer user_data);
void               lan_scroll_follower_set_scroll_func (LanScrollFollower *self,
                                                        LanScrollFunc      func,
                                                        gpointer           user_data);

G_END_DECLS
