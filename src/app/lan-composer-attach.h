/* lan-composer-attach.h — files waiting in the composer to be offered.
 *
 * Files and folders come from the file chooser (Files… / Folder…), from a
 * drop onto the conversation (its text entry included), or from a paste:
 * files copied in a file manager, or a picture (a screenshot), which is
 * saved as a PNG in the cache folder and offered as that file (removed
 * from there a day later, when no offer can still be open). Links (files
 * with no local path, as a browser drags them) go into the text instead. Each shows as a chip above the
 * entry with a button that takes it away again, until Send offers them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct _LanComposerAttach LanComposerAttach;

typedef void (*LanComposerAttachChanged) (gpointer user_data);

/* The chips go into @chips_parent after @chips_after; files dropped on
 * @drop_area and pasted into @view are attached; @changed is called
 * whenever the list changes. Returns: (transfer full) */
LanComposerAttach *lan_composer_attach_new         (GtkTextView              *view,
                                                    GtkWidget                *drop_area,
                                                    GtkBox                   *chips_parent,
                                                    GtkWidget                *chips_after,
                                                    LanComposerAttachChanged  changed,
                                                    gpointer                  user_data);
void               lan_composer_attach_free        (LanComposerAttach        *self);
/* Adds @file unless it is there already. */
void               lan_composer_attach_add         (LanComposerAttach        *self,
                                                    GFile                    *file);
void               lan_composer_attach_remove      (LanComposerAttach        *self,
                                                    GFile                    *file);
void               lan_composer_attach_clear       (LanComposerAttach        *self);
/* Returns: (transfer none) (array length=out_n): the files, in the order attached. */
GFile * const     *lan_composer_attach_get_files   (LanComposerAttach        *self,
                                                    guint                    *out_n);
/* Files… (@folder FALSE) or Folder… in a file chooser (the portal in a sandbox). */
void               lan_composer_attach_choose      (LanComposerAttach        *self,
                                                    gboolean                  folder);
/* Attach @texture as a PNG in the cache folder, written off the main loop. */
void               lan_composer_attach_add_picture (LanComposerAttach        *self,
                                                    GdkTexture               *texture);
/* Returns: (transfer none): the box of chips, for tests. */
GtkWidget         *lan_composer_attach_get_chips   (LanComposerAttach        *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LanComposerAttach, lan_composer_attach_free)

G_END_DECLS
