/* lan-doctor-finding.c — one finding of the doctor, and the firewall commands it advises.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-doctor-finding"

#include "config.h"

#include "lan-doctor.h"
#include "lan-enums.h"

struct _LanDoctorFinding
{
  GObject          parent_instance;
  char            *check;
  LanDoctorStatus  status;
  char            *detail;
  char            *advice;
};

G_DEFINE_FINAL_TYPE (LanDoctorFinding, lan_doctor_finding, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CHECK,
  PROP_STATUS,
  PROP_DETAIL,
  PROP_ADVICE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const char *
lan_doctor_status_to_string (LanDoctorStatus status)
{
  switch (status)
    {
    case LAN_DOCTOR_OK: return "ok";
    case LAN_DOCTOR_WARNING: return "warning";
    case LAN_DOCTOR_PROBLEM: return "problem";
    default: break;
    }
  g_return_val_if_reached ("problem");
}

static void
lan_doctor_finding_finalize (GObject *object)
{
  LanDoctorFinding *self = LAN_DOCTOR_FINDING (object);

  g_free (self->check);
  g_free (self->detail);
  g_free (self->advice);
  G_OBJECT_CLASS (lan_doctor_finding_parent_class)->finalize (object);
}

static void
lan_doctor_finding_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  LanDoctorFinding *self = LAN_DOCTOR_FINDING (object);

  switch (prop_id)
    {
    case PROP_CHECK: g_value_set_string (value, self->check); break;
    case PROP_STATUS: g_value_set_enum (value, self->status); break;
    case PROP_DETAIL: g_value_set_string (value, self->detail); break;
    case PROP_ADVICE: g_value_set_string (value, self->advice); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lan_doctor_finding_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  LanDoctorFinding *self = LAN_DOCTOR_FINDING (object);

  switch (prop_id)
    {
    case PROP_CHECK: self->check = g_value_dup_string (value); break;
    case PROP_STATUS: self->status = g_value_get_enum (value); break;
    case PROP_DETAIL: self->detail = g_value_dup_string (value); break;
    case PROP_ADVICE: self->advice = g_value_dup_string (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lan_doctor_finding_class_init (LanDoctorFindingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = lan_doctor_finding_finalize;
  object_class->get_property = lan_doctor_finding_get_property;
  object_class->set_property = lan_doctor_finding_set_property;

  properties[PROP_CHECK] = g_param_spec_string ("check", NULL, NULL, "", flags);
  properties[PROP_STATUS] = g_param_spec_enum ("status", NULL, NULL, LAN_TYPE_DOCTOR_STATUS,
                                               LAN_DOCTOR_OK, flags);
  properties[PROP_DETAIL] = g_param_spec_string ("detail", NULL, NULL, "", flags);
  properties[PROP_ADVICE] = g_param_spec_string ("advice", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lan_doctor_finding_init (LanDoctorFinding *self)
{
}

LanDoctorFinding *
lan_doctor_finding_new (const char      *check,
                        LanDoctorStatus  status,
                        const char      *detail,
                        const char      *advice)
{
  g_return_val_if_fail (check != NULL, NULL);
  g_return_val_if_fail (detail != NULL, NULL);

  return g_object_new (LAN_TYPE_DOCTOR_FINDING,
                       "check", check, "status", status, "detail", detail, "advice", advice, NULL);
}

const char *
lan_doctor_finding_get_check (LanDoctorFinding *self)
{
  g_return_val_if_fail (LAN_IS_DOCTOR_FINDING (self), NULL);
  return self->check;
}

LanDoctorStatus
lan_doctor_finding_get_status (LanDoctorFinding *self)
{
  g_return_val_if_fail (LAN_IS_DOCTOR_FINDING (self), LAN_DOCTOR_PROBLEM);
  return self->status;
}

const char *
lan_doctor_finding_get_detail (LanDoctorFinding *self)
{
  g_return_val_if_fail (LAN_IS_DOCTOR_FINDING (self), NULL);
  return self->detail;
}

const char *
lan_doctor_finding_get_advice (LanDoctorFinding *self)
{
  g_return_val_if_fail (LAN_IS_DOCTOR_FINDING (self), NULL);
  return self->advice;
}

JsonNode *
lan_doctor_finding_to_json (LanDoctorFinding *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (LAN_IS_DOCTOR_FINDING (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "check");
  json_builder_add_string_value (builder, self->check);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, lan_doctor_status_to_string (self->status));
  json_builder_set_member_name (builder, "detail");
  json_builder_add_string_value (builder, self->detail);
  json_builder_set_member_name (builder, "advice");
  if (self->advice != NULL)
    json_builder_add_string_value (builder, self->advice);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

char *
lan_doctor_firewall_commands (guint16 port)
{
  /* IPMsg talks UDP; files go over TCP on the same port, so both. */
  return g_strdup_printf ("sudo ufw allow %u/udp && sudo ufw allow %u/tcp\n"
                          "sudo firewall-cmd --permanent --add-port=%u/udp --add-port=%u/tcp && sudo firewall-cmd --reload\n"
                          "sudo nft add rule inet filter input udp dport %u accept && sudo nft add rule inet filter input tcp dport %u accept",
                          port, port, port, port, port, port);
}

LanDoctorStatus
lan_doctor_worst_status (GListModel *findings)
{
  LanDoctorStatus worst = LAN_DOCTOR_OK;
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (findings), LAN_DOCTOR_PROBLEM);

  n = g_list_model_get_n_items (findings);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LanDoctorFinding) finding = g_list_model_get_item (findings, i);

      worst = MAX (worst, finding->status);
    }
  return worst;
}
