/* lan-download-folder.h — where saved files go, and its row in Preferences.
 *
 * The "download-folder" setting: a path, or empty for the person's
 * Downloads folder (XDG_DOWNLOAD_DIR; the home folder where there is none).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* The folder @settings names now. Returns: (transfer full) */
GFile *lan_download_folder_get (GSettings *settings);

#define LAN_TYPE_DOWNLOAD_FOLDER_ROW (lan_download_folder_row_get_type ())
G_DECLARE_FINAL_TYPE (LanDownloadFolderRow, lan_download_folder_row, LAN, DOWNLOAD_FOLDER_ROW, AdwActionRow)

/* Shows and changes "download-folder" of @settings. */
void lan_download_folder_row_set_settings (LanDownloadFolderRow *self,
                                           GSettings            *settings);

G_END_DECLS
