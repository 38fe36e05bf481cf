/* lan-ipmsg-private.h — what the codec's two halves share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @data quoted for an error message: printable ASCII as is, the rest as
 * escapes, cut after a few dozen bytes. (transfer full) */
char *lan_ipmsg_quote_bytes (const guint8 *data,
                             gsize         len);

G_END_DECLS
