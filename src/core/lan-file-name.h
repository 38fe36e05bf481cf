/* lan-file-name.h — names that arrive from the network, made safe for a download folder.
 *
 * A name in an offer or a folder stream is one path component chosen by a
 * stranger. It is used only if it is valid UTF-8 (decoded from the peer's
 * charset first), at most LAN_FILE_NAME_MAX_BYTES, and none of: empty, ".",
 * "..", containing '/', '\\', NUL or a control character, starting with
 * '~', a reserved device name of Windows (CON, PRN, AUX, NUL, COM1–9,
 * LPT1–9, with or without an extension, any case), or ending in a dot or
 * space. A ':' is an ordinary character ("x:y.txt", "C:" are saved as they
 * are: on Linux, inside our folder, "C:" is no drive). Nothing is repaired silently: a refused name says why, and
 * the caller shows that.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define LAN_FILE_NAME_MAX_BYTES 255

/* TRUE when @name can be created as is inside a folder. Otherwise
 * G_IO_ERROR_INVALID_FILENAME with a sentence naming the problem (the name
 * shown through lan_display_text, quoted). */
gboolean  lan_file_name_check    (const char *name,
                                  GError    **error);
/* A child of @folder named @name, or "stem (1).ext", "stem (2).ext", … when
 * that (or its "<name>@part_suffix" companion, if @part_suffix is not NULL)
 * exists; NULL with G_IO_ERROR_EXISTS after LAN_FILE_NAME_MAX_TRIES.
 * @name must have passed lan_file_name_check(). (transfer full) (nullable) */
#define LAN_FILE_NAME_MAX_TRIES 1000
GFile    *lan_file_name_unique   (GFile      *folder,
                                  const char *name,
                                  const char *part_suffix,
                                  GError    **error);

G_END_DECLS
