/* lan-ipmsg-names.c — commands and option bits in words.
 *
 * The same bit means different things under different commands
 * (ipmsg-notes.md), so a bit is named the way the command's mode reads it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-ipmsg-names"

#include "config.h"

#include "lan-ipmsg.h"

gboolean
lan_ipmsg_is_entry_mode (guint32 command)
{
  switch (LAN_IPMSG_MODE (command))
    {
    case LAN_IPMSG_BR_ENTRY:
    case LAN_IPMSG_ANSENTRY:
    case LAN_IPMSG_BR_ABSENCE:
      return TRUE;
    default:
      return FALSE;
    }
}


typedef struct {
  guint32 bit;
  const char *name;
} OptionName;

/* Bits that mean the same thing under every command. */
static const OptionName common_options[] = {
  { LAN_IPMSG_DIALUPOPT, "DIALUPOPT" },
  { LAN_IPMSG_FILEATTACHOPT, "FILEATTACHOPT" },
  { LAN_IPMSG_ENCRYPTOPT, "ENCRYPTOPT" },
  { LAN_IPMSG_UTF8OPT, "UTF8OPT" },
  { LAN_IPMSG_CAPUTF8OPT, "CAPUTF8OPT" },
};

static const OptionName entry_options[] = {
  { LAN_IPMSG_ABSENCEOPT, "ABSENCEOPT" },
  { LAN_IPMSG_SERVEROPT, "SERVEROPT" },
};

static const OptionName send_options[] = {
  { LAN_IPMSG_SENDCHECKOPT, "SENDCHECKOPT" },
  { LAN_IPMSG_SECRETOPT, "SECRETOPT" },
  { LAN_IPMSG_BROADCASTOPT, "BROADCASTOPT" },
  { LAN_IPMSG_MULTICASTOPT, "MULTICASTOPT" },
  { LAN_IPMSG_AUTORETOPT, "AUTORETOPT" },
  { LAN_IPMSG_RETRYOPT, "RETRYOPT" },
  { LAN_IPMSG_PASSWORDOPT, "PASSWORDOPT" },
  { LAN_IPMSG_NOLOGOPT, "NOLOGOPT" },
  { LAN_IPMSG_NOADDLISTOPT, "NOADDLISTOPT" },
  { LAN_IPMSG_READCHECKOPT, "READCHECKOPT" },
};

/**
 * lan_ipmsg_command_name:
 *
 * Returns: (transfer none) (nullable): a static name, NULL for an unknown mode
 */
const char *
lan_ipmsg_command_name (guint32 command)
{
  switch (LAN_IPMSG_MODE (command))
    {
    case LAN_IPMSG_NOOPERATION: return "NOOPERATION";
    case LAN_IPMSG_BR_ENTRY: return "BR_ENTRY";
    case LAN_IPMSG_BR_EXIT: return "BR_EXIT";
    case LAN_IPMSG_ANSENTRY: return "ANSENTRY";
    case LAN_IPMSG_BR_ABSENCE: return "BR_ABSENCE";
    case LAN_IPMSG_BR_ISGETLIST: return "BR_ISGETLIST";
    case LAN_IPMSG_OKGETLIST: return "OKGETLIST";
    case LAN_IPMSG_GETLIST: return "GETLIST";
    case LAN_IPMSG_ANSLIST: return "ANSLIST";
    case LAN_IPMSG_SENDMSG: return "SENDMSG";
    case LAN_IPMSG_RECVMSG: return "RECVMSG";
    case LAN_IPMSG_READMSG: return "READMSG";
    case LAN_IPMSG_DELMSG: return "DELMSG";
    case LAN_IPMSG_ANSREADMSG: return "ANSREADMSG";
    case LAN_IPMSG_GETINFO: return "GETINFO";
    case LAN_IPMSG_SENDINFO: return "SENDINFO";
    case LAN_IPMSG_GETABSENCEINFO: return "GETABSENCEINFO";
    case LAN_IPMSG_SENDABSENCEINFO: return "SENDABSENCEINFO";
    case LAN_IPMSG_GETFILEDATA: return "GETFILEDATA";
    case LAN_IPMSG_RELEASEFILES: return "RELEASEFILES";
    case LAN_IPMSG_GETDIRFILES: return "GETDIRFILES";
    case LAN_IPMSG_GETPUBKEY: return "GETPUBKEY";
    case LAN_IPMSG_ANSPUBKEY: return "ANSPUBKEY";
    case LAN_IPMSG_IPTUX_SENDMSG: return "IPTUX_SENDMSG";
    case LAN_IPMSG_IPTUX_SEND_SIGN: return "IPTUX_SEND_SIGN";
    case LAN_IPMSG_IPTUX_SENDSUBLAYER: return "IPTUX_SENDSUBLAYER";
    case LAN_IPMSG_IPTUX_SENDICON: return "IPTUX_SENDICON";
    case LAN_IPMSG_IPTUX_ASKSHARED: return "IPTUX_ASKSHARED";
    default: return NULL;
    }
}

/* Commands about a message read their low option bits as SENDMSG's:
 * READMSG echoes READCHECKOPT, and iptux's own SENDMSG copies the official one. */
static gboolean
mode_uses_send_options (guint32 command)
{
  switch (LAN_IPMSG_MODE (command))
    {
    case LAN_IPMSG_SENDMSG:
    case LAN_IPMSG_RECVMSG:
    case LAN_IPMSG_READMSG:
    case LAN_IPMSG_DELMSG:
    case LAN_IPMSG_ANSREADMSG:
    case LAN_IPMSG_IPTUX_SENDMSG:
      return TRUE;
    default:
      return FALSE;
    }
}

static const char *
option_name (const OptionName *names,
             gsize             n_names,
             guint32           bit)
{
  for (gsize i = 0; i < n_names; i++)
    {
      if (names[i].bit == bit)
        return names[i].name;
    }

  return NULL;
}

/**
 * lan_ipmsg_describe_options:
 *
 * Returns: (transfer full):
 */
char *
lan_ipmsg_describe_options (guint32 command)
{
  GString *out = g_string_new (NULL);
  guint32 options = LAN_IPMSG_OPTIONS (command);
  guint32 unknown = 0;
  gboolean send_mode = mode_uses_send_options (command);

  for (guint shift = 8; shift < 32; shift++)
    {
      guint32 bit = 1u << shift;
      const char *name;

      if ((options & bit) == 0)
        continue;

      if (send_mode)
        name = option_name (send_options, G_N_ELEMENTS (send_options), bit);
      else
        name = option_name (entry_options, G_N_ELEMENTS (entry_options), bit);
      if (name == NULL)
        name = option_name (common_options, G_N_ELEMENTS (common_options), bit);

      if (name == NULL)
        {
          unknown |= bit;
          continue;
        }

      if (out->len > 0)
        g_string_append_c (out, '|');
      g_string_append (out, name);
    }

  /* Unknown bits (iptux's 0x80000000 and 0x40000000, newer official ones)
   * stay visible as one hex value rather than vanish from the log. */
  if (unknown != 0)
    {
      if (out->len > 0)
        g_string_append_c (out, '|');
      g_string_append_printf (out, "0x%x", unknown);
    }

  return g_string_free (out, FALSE);
}

/**
 * lan_ipmsg_describe_command:
 *
 * Returns: (transfer full):
 */
char *
lan_ipmsg_describe_command (guint32 command)
{
  const char *name = lan_ipmsg_command_name (command);
  g_autofree char *options = lan_ipmsg_describe_options (command);
  GString *out = g_string_new (NULL);

  if (name != NULL)
    g_string_append (out, name);
  else
    g_string_append_printf (out, "0x%x", LAN_IPMSG_MODE (command));

  if (options[0] != '\0')
    {
      g_string_append_c (out, '|');
      g_string_append (out, options);
    }

  return g_string_free (out, FALSE);
}
