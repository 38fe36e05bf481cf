/* lan-random.h — unpredictable numbers from the kernel's CSPRNG.
 *
 * For what a blind forger on the LAN must not guess (our packet numbers):
 * getrandom(2), falling back to /dev/urandom; never GRand, whose state a
 * peer could recover from the numbers it sees.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Fills @buffer with @len random bytes. Aborts if the kernel has none to
 * give (no getrandom and no /dev/urandom): guessable numbers are not an
 * acceptable fallback. */
void    lan_random_fill   (void  *buffer,
                           gsize  len);
/* A uniformly random number in [0, @bound) (@bound > 0). */
guint32 lan_random_below  (guint32 bound);

G_END_DECLS
