/* lan-doctor-dialog.h — "Why can't I see anyone / them?": runs the doctor
 * (lan-doctor.h) and lists its findings with what to do.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "lan-messenger.h"

G_BEGIN_DECLS

#define LAN_TYPE_DOCTOR_DIALOG (lan_doctor_dialog_get_type ())
G_DECLARE_FINAL_TYPE (LanDoctorDialog, lan_doctor_dialog, LAN, DOCTOR_DIALOG, AdwWindow)

/* A dialog over @parent that diagnoses at once; about @address
 * ("10.0.0.5:2425") too when not NULL. Properties "messenger" and
 * "address", construct-only.
 * Returns: (transfer none): GTK keeps its toplevels */
LanDoctorDialog *lan_doctor_dialog_new          (GtkWindow       *parent,
                                                 LanMessenger    *messenger,
                                                 const char      *address);
/* Run the doctor again. */
void             lan_doctor_dialog_run          (LanDoctorDialog *self);
/* The last findings (LanDoctorFinding), NULL while the doctor runs.
 * Returns: (transfer none) (nullable) */
GListModel      *lan_doctor_dialog_get_findings (LanDoctorDialog *self);
/* The list of findings (one row each), for tests.
 * Returns: (transfer none) */
GtkListBox      *lan_doctor_dialog_get_list     (LanDoctorDialog *self);

/* Installs "win.doctor" (everyone) and "win.doctor-peer" (s: the peer's
 * "address[:port]") on a window class whose windows belong to a LanApplication. */
void             lan_doctor_dialog_install_actions (GtkWidgetClass *widget_class);

G_END_DECLS
