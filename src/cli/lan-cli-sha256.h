/* lan-cli-sha256.h — SHA-256 for `receive`'s read-back, with the x86 SHA
 * extensions where the processor has them (GChecksum otherwise).
 *
 * GChecksum's portable SHA-256 runs at ~100-200 MiB/s: a 2 GiB file took
 * longer to hash than to arrive. The SHA instructions do it ~10× faster.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  guint32    state[8];
  guint8     block[64];
  gsize      buffered;   /* bytes of block filled */
  guint64    length;     /* bytes hashed so far */
  GChecksum *fallback;   /* non-NULL: no SHA instructions, GChecksum does it */
} LanCliSha256;

/* Whether this processor has the SHA instructions (then they are used). */
gboolean lan_cli_sha256_accelerated (void);
/* @portable: GChecksum even where the instructions are (for tests). */
void     lan_cli_sha256_init        (LanCliSha256 *sum,
                                     gboolean      portable);
void     lan_cli_sha256_update      (LanCliSha256 *sum,
                                     const guint8 *data,
                                     gsize         len);
/* The digest in lower-case hexadecimal; @sum is cleared.
 * Returns: (transfer full) */
char    *lan_cli_sha256_finish      (LanCliSha256 *sum);

G_END_DECLS
