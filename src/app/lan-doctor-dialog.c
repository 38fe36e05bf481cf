/* lan-doctor-dialog.c — the doctor's findings, with their advice, in a window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-doctor-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "lan-application.h"
#include "lan-display-text.h"
#include "lan-doctor-dialog.h"
#include "lan-doctor.h"

/* Long enough for delayed answers (up to a second on a small LAN) to come back. */
#define DOCTOR_WAIT_MS 3000

struct _LanDoctorDialog
{
  AdwWindow       parent_instance;

  LanMessenger   *messenger;
  char           *address;
  GCancellable   *cancellable;
  GListModel     *findings;

  AdwWindowTitle *window_title;
  GtkButton      *run_button;
  GtkStack       *stack;
  GtkSpinner     *spinner;
  GtkLabel       *summary_label;
  GtkListBox     *list;
};

G_DEFINE_FINAL_TYPE (LanDoctorDialog, lan_doctor_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_MESSENGER,
  PROP_ADDRESS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Returns: (transfer none) */
static const char *
status_icon (LanDoctorStatus status)
{
  switch (status)
    {
    case LAN_DOCTOR_OK: return "emblem-ok-symbolic";
    case LAN_DOCTOR_WARNING: return "dialog-warning-symbolic";
    case LAN_DOCTOR_PROBLEM:
    default: return "dialog-error-symbolic";
    }
}

/* Returns: (transfer none): the style class that colours the icon */
static const char *
status_class (LanDoctorStatus status)
{
  switch (status)
    {
    case LAN_DOCTOR_OK: return "success";
    case LAN_DOCTOR_WARNING: return "warning";
    case LAN_DOCTOR_PROBLEM:
    default: return "error";
    }
}

/* The doctor's advice gives each command a line of its own, as typed. */
static gboolean
is_command (const char *line)
{
  return g_str_has_prefix (line, "sudo ");
}

static void
on_copy_clicked (GtkButton  *button,
                 const char *advice)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)), advice);
}

/* Returns: (transfer floating): a wrapping, selectable label */
static GtkWidget *
label_new (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  return label;
}

/* Returns: (transfer floating): a row with the finding's icon, detail and advice */
static GtkWidget *
finding_row_new (LanDoctorFinding *finding)
{
  LanDoctorStatus status = lan_doctor_finding_get_status (finding);
  const char *advice = lan_doctor_finding_get_advice (finding);
  /* Details name addresses and the kernel's errors; shown as text, never as markup. */
  g_autofree char *detail = lan_display_text (lan_doctor_finding_get_detail (finding),
                                              LAN_DISPLAY_TEXT_LINES, LAN_DISPLAY_TEXT_ALL);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *icon = gtk_image_new_from_icon_name (status_icon (status));

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_widget_add_css_class (icon, status_class (status));
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  status == LAN_DOCTOR_OK ? _("OK")
                                  : status == LAN_DOCTOR_WARNING ? _("Warning") : _("Problem"), -1);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), text);
  gtk_box_append (GTK_BOX (text), label_new (detail));

  if (advice != NULL)
    {
      g_autofree char *safe = lan_display_text (advice, LAN_DISPLAY_TEXT_LINES, LAN_DISPLAY_TEXT_ALL);
      g_auto(GStrv) lines = g_strsplit (safe, "\n", -1);
      g_autoptr(GString) prose = g_string_new (NULL);
      g_autoptr(GString) commands = g_string_new (NULL);
      GtkWidget *copy;

      /* The commands apart, in monospace, and what the copy button takes. */
      for (guint i = 0; lines[i] != NULL; i++)
        {
          GString *into = is_command (lines[i]) ? commands : prose;

          if (into->len > 0)
            g_string_append_c (into, '\n');
          g_string_append (into, lines[i]);
        }
      if (prose->len > 0)
        {
          GtkWidget *label = label_new (prose->str);

          gtk_widget_add_css_class (label, "dim-label");
          gtk_box_append (GTK_BOX (text), label);
        }
      if (commands->len > 0)
        {
          GtkWidget *label = label_new (commands->str);

          gtk_widget_add_css_class (label, "monospace");
          gtk_box_append (GTK_BOX (text), label);
        }
      copy = gtk_button_new_from_icon_name ("edit-copy-symbolic");
      gtk_widget_set_valign (copy, GTK_ALIGN_START);
      gtk_widget_set_tooltip_text (copy, commands->len > 0 ? _("Copy the commands") : _("Copy what to do"));
      gtk_widget_add_css_class (copy, "flat");
      g_signal_connect_data (copy, "clicked", G_CALLBACK (on_copy_clicked),
                             g_strdup (commands->len > 0 ? commands->str : prose->str),
                             (GClosureNotify) (void (*) (void)) g_free, 0);
      gtk_box_append (GTK_BOX (box), copy);
    }
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

static void
show_findings (LanDoctorDialog *self)
{
  guint n = g_list_model_get_n_items (self->findings);
  LanDoctorStatus worst = lan_doctor_worst_status (self->findings);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LanDoctorFinding) finding = g_list_model_get_item (self->findings, i);

      gtk_list_box_append (self->list, finding_row_new (finding));
    }
  gtk_label_set_text (self->summary_label,
                      worst == LAN_DOCTOR_PROBLEM ? _("Something stands in the way. What to do is below each problem.")
                      : worst == LAN_DOCTOR_WARNING ? _("No problem found, but some things are worth a look.")
                      : _("No problem found."));
}

static void
show_error (LanDoctorDialog *self,
            const GError    *error)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  gtk_label_set_text (self->summary_label, error->message);
}

static void
on_diagnosed (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(LanDoctorDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  GListModel *findings = lan_doctor_run_finish (LAN_MESSENGER (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);
  gtk_spinner_stop (self->spinner);
  gtk_widget_set_sensitive (GTK_WIDGET (self->run_button), TRUE);
  gtk_stack_set_visible_child_name (self->stack, "findings");
  if (findings == NULL)
    {
      show_error (self, error);
      return;
    }
  self->findings = findings;
  show_findings (self);
}

void
lan_doctor_dialog_run (LanDoctorDialog *self)
{
  g_return_if_fail (LAN_IS_DOCTOR_DIALOG (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->findings);
  self->cancellable = g_cancellable_new ();
  gtk_widget_set_sensitive (GTK_WIDGET (self->run_button), FALSE);
  gtk_stack_set_visible_child_name (self->stack, "running");
  gtk_spinner_start (self->spinner);
  lan_doctor_run_async (self->messenger, self->address, DOCTOR_WAIT_MS, self->cancellable,
                        on_diagnosed, g_object_ref (self));
}

static void
on_run_clicked (LanDoctorDialog *self)
{
  lan_doctor_dialog_run (self);
}

static void
lan_doctor_dialog_constructed (GObject *object)
{
  LanDoctorDialog *self = LAN_DOCTOR_DIALOG (object);

  G_OBJECT_CLASS (lan_doctor_dialog_parent_class)->constructed (object);

  if (self->address != NULL)
    {
      g_autofree char *title = g_strdup_printf (_("Why can’t I see %s?"), self->address);

      gtk_window_set_title (GTK_WINDOW (self), title);
      adw_window_title_set_title (self->window_title, title);
    }
  lan_doctor_dialog_run (self);
}

static void
lan_doctor_dialog_dispose (GObject *object)
{
  LanDoctorDialog *self = LAN_DOCTOR_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->findings);
  g_clear_object (&self->messenger);
  gtk_widget_dispose_template (GTK_WIDGET (self), LAN_TYPE_DOCTOR_DIALOG);
  G_OBJECT_CLASS (lan_doctor_dialog_parent_class)->dispose (object);
}

static void
lan_doctor_dialog_finalize (GObject *object)
{
  LanDoctorDialog *self = LAN_DOCTOR_DIALOG (object);

  g_free (self->address);
  G_OBJECT_CLASS (lan_doctor_dialog_parent_class)->finalize (object);
}

static void
lan_doctor_dialog_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  LanDoctorDialog *self = LAN_DOCTOR_DIALOG (object);

  switch (prop_id)
    {
    case PROP_MESSENGER: g_value_set_object (value, self->messenger); break;
    case PROP_ADDRESS: g_value_set_string (value, self->address); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lan_doctor_dialog_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  LanDoctorDialog *self = LAN_DOCTOR_DIALOG (object);

  switch (prop_id)
    {
    case PROP_MESSENGER: self->messenger = g_value_dup_object (value); break;
    case PROP_ADDRESS: self->address = g_value_dup_string (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lan_doctor_dialog_class_init (LanDoctorDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = lan_doctor_dialog_constructed;
  object_class->dispose = lan_doctor_dialog_dispose;
  object_class->finalize = lan_doctor_dialog_finalize;
  object_class->get_property = lan_doctor_dialog_get_property;
  object_class->set_property = lan_doctor_dialog_set_property;

  properties[PROP_MESSENGER] = g_param_spec_object ("messenger", NULL, NULL, LAN_TYPE_MESSENGER, flags);
  properties[PROP_ADDRESS] = g_param_spec_string ("address", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/lanchat/Lanchat/lan-doctor-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, LanDoctorDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, LanDoctorDialog, run_button);
  gtk_widget_class_bind_template_child (widget_class, LanDoctorDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, LanDoctorDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, LanDoctorDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, LanDoctorDialog, list);
  gtk_widget_class_bind_template_callback (widget_class, on_run_clicked);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
lan_doctor_dialog_init (LanDoctorDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

LanDoctorDialog *
lan_doctor_dialog_new (GtkWindow    *parent,
                       LanMessenger *messenger,
                       const char   *address)
{
  g_return_val_if_fail (LAN_IS_MESSENGER (messenger), NULL);

  return g_object_new (LAN_TYPE_DOCTOR_DIALOG,
                       "transient-for", parent,
                       "application", parent != NULL ? gtk_window_get_application (parent) : NULL,
                       "messenger", messenger,
                       "address", address,
                       NULL);
}

GListModel *
lan_doctor_dialog_get_findings (LanDoctorDialog *self)
{
  g_return_val_if_fail (LAN_IS_DOCTOR_DIALOG (self), NULL);
  return self->findings;
}

GtkListBox *
lan_doctor_dialog_get_list (LanDoctorDialog *self)
{
  g_return_val_if_fail (LAN_IS_DOCTOR_DIALOG (self), NULL);
  return self->list;
}

/* The window actions */

static void
open_doctor (GtkWidget  *widget,
             const char *address)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (widget));
  LanDoctorDialog *dialog;

  g_return_if_fail (LAN_IS_APPLICATION (application));

  dialog = lan_doctor_dialog_new (GTK_WINDOW (widget),
                                  lan_application_get_messenger (LAN_APPLICATION (application)), address);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
doctor_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  open_doctor (widget, NULL);
}

static void
doctor_peer_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  open_doctor (widget, g_variant_get_string (parameter, NULL));
}

void
lan_doctor_dialog_install_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.doctor", NULL, doctor_action);
  gtk_widget_class_install_action (widget_class, "win.doctor-peer", "s", doctor_peer_action);
}
