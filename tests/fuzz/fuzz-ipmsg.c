/* fuzz-ipmsg.c — libFuzzer target for the wire codec.
 *
 * Whatever parses must also survive everything the engine does next with
 * it (sections, UTF-8 block, attachments, names, decoding) and serialise
 * back into a datagram that parses to the same packet.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "lan-charset.h"
#include "lan-ipmsg.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
check_sections_cover_extra (const LanIpmsgPacket *packet)
{
  g_autoptr(GByteArray) joined = g_byte_array_new ();

  g_assert_true (packet->sections != NULL);
  g_assert_true (packet->sections->len >= 1);

  for (guint i = 0; i < packet->sections->len; i++)
    {
      GBytes *section = lan_ipmsg_packet_get_section (packet, i);
      g_autofree char *dup = lan_ipmsg_packet_dup_section (packet, i);
      gsize len = 0;
      const guint8 *bytes = g_bytes_get_data (section, &len);

      g_assert_true (len == 0 || memchr (bytes, '\0', len) == NULL);
      g_assert_true (strlen (dup) == len);
      if (i > 0)
        g_byte_array_append (joined, (const guint8 *) "", 1);
      if (len > 0)
        g_byte_array_append (joined, bytes, (guint) len);
    }

  g_assert_true (lan_ipmsg_packet_get_section (packet, packet->sections->len) == NULL);
  g_assert_true (joined->len == g_bytes_get_size (packet->extra));
  g_assert_true (joined->len == 0 ||
                 memcmp (joined->data, g_bytes_get_data (packet->extra, NULL), joined->len) == 0);
}

static void
check_decoding (const LanIpmsgPacket *packet)
{
  gboolean utf8_flag = (packet->command & LAN_IPMSG_UTF8OPT) != 0;
  gboolean marker = lan_ipmsg_packet_has_iptux_utf8_marker (packet);

  for (guint i = 0; i < packet->sections->len; i++)
    {
      GBytes *section = g_ptr_array_index (packet->sections, i);
      gsize len = 0;
      const guint8 *bytes = g_bytes_get_data (section, &len);
      LanLegacyEncoding legacy = (i % 2 == 0) ? LAN_LEGACY_GB18030 : LAN_LEGACY_CP932;
      gboolean lossy = FALSE;
      g_autofree char *text = lan_charset_decode (bytes, len, utf8_flag, marker, legacy, NULL, &lossy);
      g_autoptr(GBytes) encoded = NULL;

      g_assert_true (g_utf8_validate (text, -1, NULL));
      g_assert_true ((gsize) g_utf8_strlen (text, -1) <= len);

      encoded = lan_charset_encode (text, utf8_flag, legacy, NULL);
      g_assert_true (encoded != NULL);
    }
}

static void
check_utf8_block (const LanIpmsgPacket *packet)
{
  g_autoptr(GPtrArray) fields = lan_ipmsg_packet_parse_utf8_block (packet);
  const char *nickname;

  g_assert_true (fields != NULL);
  if (!lan_ipmsg_is_entry_mode (packet->command))
    g_assert_true (fields->len == 0);

  for (guint i = 0; i < fields->len; i++)
    {
      const LanIpmsgUtf8Field *field = g_ptr_array_index (fields, i);

      g_assert_true (field->key[0] != '\0');
      g_assert_true (strchr (field->key, ':') == NULL);
      g_assert_true (strchr (field->value, '\n') == NULL);
      g_assert_true (lan_ipmsg_utf8_block_lookup (fields, field->key) != NULL);
    }

  nickname = lan_ipmsg_utf8_block_lookup (fields, "NN");
  if (nickname != NULL)
    {
      g_autofree char *text = lan_charset_decode ((const guint8 *) nickname, strlen (nickname),
                                                  TRUE, FALSE, LAN_LEGACY_GB18030, NULL, NULL);
      g_autofree char *rebuilt = lan_ipmsg_build_utf8_block (lan_ipmsg_utf8_block_lookup (fields, "UN"),
                                                             lan_ipmsg_utf8_block_lookup (fields, "HN"),
                                                             text,
                                                             lan_ipmsg_utf8_block_lookup (fields, "GN"));

      g_assert_true (rebuilt[0] == '\n');
    }
}

static void
check_files_equal (const LanIpmsgFile *a,
                   const LanIpmsgFile *b)
{
  g_assert_true (a->file_id == b->file_id);
  g_assert_true (strcmp (a->name, b->name) == 0);
  g_assert_true (a->size == b->size);
  g_assert_true (a->mtime == b->mtime);
  g_assert_true (a->attr == b->attr);
  g_assert_true (g_strv_equal ((const char * const *) a->extras, (const char * const *) b->extras));
}

static void
check_file_list (const LanIpmsgPacket *packet)
{
  GBytes *section = lan_ipmsg_packet_get_section (packet, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GString) rebuilt = g_string_new (NULL);

  if (section == NULL)
    return;

  files = lan_ipmsg_parse_file_list (g_bytes_get_data (section, NULL), g_bytes_get_size (section), &error);
  if (files == NULL)
    {
      g_assert_true (error != NULL && error->domain == LAN_IPMSG_ERROR &&
                     error->code == LAN_IPMSG_ERROR_BAD_FILE_LIST);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return;
    }

  for (guint i = 0; i < files->len; i++)
    lan_ipmsg_append_file_record (rebuilt, g_ptr_array_index (files, i));

  again = lan_ipmsg_parse_file_list ((const guint8 *) rebuilt->str, rebuilt->len, &error);
  g_assert_true (again != NULL);
  g_assert_true (again->len == files->len);
  for (guint i = 0; i < files->len; i++)
    check_files_equal (g_ptr_array_index (files, i), g_ptr_array_index (again, i));
}

static void
check_names (guint32 command)
{
  g_autofree char *options = lan_ipmsg_describe_options (command);
  g_autofree char *described = lan_ipmsg_describe_command (command);
  const char *name = lan_ipmsg_command_name (command);

  g_assert_true (g_str_is_ascii (options));
  g_assert_true (g_str_is_ascii (described));
  g_assert_true (name == NULL || g_str_has_prefix (described, name));
}

static void
check_reserialise (const LanIpmsgPacket *packet)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = lan_ipmsg_packet_to_bytes (packet, &error);
  g_autoptr(LanIpmsgPacket) again = NULL;

  g_assert_true (bytes != NULL);
  g_assert_true (error == NULL);

  again = lan_ipmsg_packet_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  if (again == NULL)
    {
      /* Only growth past the limit may stop it: "1:2:u:h:3" gains a ':'. */
      g_assert_true (g_error_matches (error, LAN_IPMSG_ERROR, LAN_IPMSG_ERROR_TOO_LARGE));
      return;
    }

  g_assert_true (strcmp (again->version, packet->version) == 0);
  g_assert_true (again->packet_no == packet->packet_no);
  g_assert_true (strcmp (again->user, packet->user) == 0);
  g_assert_true (strcmp (again->host, packet->host) == 0);
  g_assert_true (again->command == packet->command);
  g_assert_true (g_bytes_equal (again->extra, packet->extra));
  g_assert_true (again->sections->len == packet->sections->len);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LanIpmsgPacket) packet = lan_ipmsg_packet_parse (data, size, &error);

  if (packet == NULL)
    {
      g_assert_true (error != NULL && error->domain == LAN_IPMSG_ERROR);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }

  g_assert_true (error == NULL);
  check_sections_cover_extra (packet);
  check_utf8_block (packet);
  check_file_list (packet);
  check_names (packet->command);
  check_reserialise (packet);
  check_decoding (packet);

  return 0;
}
