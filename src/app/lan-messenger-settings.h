/* lan-messenger-settings.h — GSettings keys applied to a LanMessenger.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lan-messenger.h"

G_BEGIN_DECLS

/* nickname, group, away, away-text and legacy-encoding, kept in step. */
void     lan_messenger_settings_bind          (LanMessenger  *messenger,
                                               GSettings     *settings);
/* Replaces the messenger's extra targets by the "targets" key. Every valid
 * one is applied; the first invalid one is reported in @error. */
gboolean lan_messenger_settings_apply_targets (LanMessenger  *messenger,
                                               GSettings     *settings,
                                               GError       **error);
/* Splits text typed by a person (one per line or comma separated) into
 * targets and checks each one. */
/* Returns: (transfer full) */
GStrv    lan_messenger_settings_parse_targets (const char    *text,
                                               GError       **error);

G_END_DECLS
