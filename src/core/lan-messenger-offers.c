/* lan-messenger-offers.c — files we offer: the message, the offer, its release.
 *
 * An offer is a message (SENDMSG|FILEATTACHOPT|SENDCHECKOPT) sent through
 * the sender like any other, so it is acknowledged, resent and queued in
 * the outbox while the peer is away; its file records are built each time
 * it goes out (the sender's suffix func), in the dialect of the peer it
 * goes to, and the offer follows the peer to the address it went to. The
 * file server (lan-file-server.c) serves it until the peer releases it,
 * we withdraw it, or it expires (LAN_OFFER_LIFETIME_S, lan-bounds.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-messenger-offers"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "lan-dialect.h"
#include "lan-dir-stream.h"
#include "lan-messenger-files.h"
#include "lan-messenger-private.h"
#include "lan-udp-transport.h"

#define OFFER_ATTRIBUTES G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_SIZE "," \
                         G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME "," G_FILE_ATTRIBUTE_TIME_MODIFIED

/* Each request served is a transfer in the list; the oldest ended one goes
 * past LAN_FILE_SERVE_KEPT_TRANSFERS, or a peer asking again and again
 * grows it for as long as the offer is open. */
static void
on_transfer (LanFileTransfer *transfer,
             gpointer         user_data)
{
  GListModel *transfers = lan_messenger_get_transfers (user_data);
  guint ended = 0, oldest = 0;

  for (guint i = g_list_model_get_n_items (transfers); i > 0; i--)
    {
      g_autoptr(LanFileTransfer) other = g_list_model_get_item (transfers, i - 1);

      if (lan_file_transfer_get_kind (other) == LAN_TRANSFER_SERVE && lan_file_transfer_is_finished (other))
        {
          ended++;
          oldest = i - 1;
        }
    }
  if (ended >= LAN_FILE_SERVE_KEPT_TRANSFERS)
    g_list_store_remove (G_LIST_STORE (transfers), oldest);
  lan_messenger_add_transfer (user_data, transfer);
}

/* The records of @message's files, names in @peer's charset (the same rule
 * as the text before them, so one flag covers both). */
static GBytes *
build_records (LanMessage *message,
               LanPeer    *peer,
               gpointer    user_data)
{
  LanMessenger *self = user_data;
  GPtrArray *files = lan_message_get_files (message);
  LanDialect dialect = lan_wire_peer_dialect (self->wire, peer);
  guint64 packet_no = lan_message_get_packet_no (message);
  LanFileOffer *offer = lan_file_offers_lookup (self->offers, packet_no);
  g_autoptr(GString) out = g_string_new (NULL);

  /* Its first send: served from before its first datagram leaves. */
  if (offer == NULL && self->offering != NULL)
    offer = lan_file_offers_add (self->offers, message, lan_peer_get_key (peer), lan_peer_get_endpoint (peer),
                                 g_steal_pointer (&self->offering), g_get_real_time ());
  /* Withdrawn, expired, or from before a restart: no longer served. */
  if (offer == NULL || offer->message != message || lan_message_get_offer_state (message) != LAN_OFFER_OPEN)
    return NULL;
  /* A queued offer goes out to where the person came back: it is served there. */
  lan_file_offers_move (self->offers, packet_no, lan_peer_get_endpoint (peer));
  for (guint i = 0; files != NULL && i < files->len; i++)
    {
      const LanIpmsgFile *file = g_ptr_array_index (files, i);
      g_autoptr(GBytes) name = lan_dialect_encode (&dialect, LAN_DIALECT_PEER_TEXT, file->name, NULL, NULL);
      g_autofree char *raw = g_strndup (g_bytes_get_data (name, NULL), g_bytes_get_size (name));
      LanIpmsgFile record = *file;

      record.name = raw;
      lan_ipmsg_append_file_record (out, &record);
    }
  return g_string_free_to_bytes (g_steal_pointer (&out));
}

static gboolean
parse_number (const char *text,
              guint       base,
              guint64    *out)
{
  return text != NULL && *text != '\0' && g_ascii_string_to_unsigned (text, base, 0, G_MAXUINT64, out, NULL);
}

/* RELEASEFILES: extra = the offer's packet number. IP Messenger writes it
 * in decimal (like RECVMSG); hexadecimal (like the TCP requests) is taken
 * too when no offer has the decimal reading. iptux never sends one. */
static void
handle_releasefiles (LanPacketContext *context,
                     gpointer          user_data)
{
  LanMessenger *self = user_data;
  g_autofree char *text = lan_ipmsg_packet_dup_section (context->packet, 0);
  LanFileOffer *offer = NULL;
  guint64 packet_no = 0;
  guint64 number;

  if (text != NULL)
    g_strstrip (text);
  if (parse_number (text, 10, &number) && (offer = lan_file_offers_lookup (self->offers, number)) != NULL)
    packet_no = number;
  else if (parse_number (text, 16, &number) && (offer = lan_file_offers_lookup (self->offers, number)) != NULL)
    packet_no = number;

  if (offer == NULL)
    {
      lan_packet_context_verdict (context, LAN_VERDICT_UNMATCHED_REPLY, _("releases no open offer of ours"));
      return;
    }
  if (offer->to.address != context->from.address)
    {
      char to[16];

      lan_wire_get_stats (self->wire)->wrong_address_replies++;
      lan_packet_context_verdict (context, LAN_VERDICT_WRONG_ADDRESS,
                                  _("releases offer %llu, which was made to %s"),
                                  (unsigned long long) packet_no, lan_ipv4_format (offer->to.address, to));
      return;
    }
  {
    g_autoptr(LanMessage) message = g_object_ref (offer->message);

    lan_file_offers_release (self->offers, packet_no, context->from.address);
    lan_packet_context_verdict (context, LAN_VERDICT_OK, _("releases offer %llu: %s"),
                                (unsigned long long) packet_no,
                                lan_offer_state_to_string (lan_message_get_offer_state (message)));
  }
}

void
lan_messenger_offers_init (LanMessenger *self)
{
  self->offers = lan_file_offers_new (LAN_MAX_OFFERS, LAN_MAX_OFFERS_PER_PEER, LAN_OFFER_LIFETIME_S);
  self->file_server = lan_file_server_new (self->wire, self->peers, self->offers);
  lan_file_server_set_transfer_func (self->file_server, on_transfer, self);
  lan_sender_set_suffix_func (self->sender, build_records, self);
  lan_wire_set_handler (self->wire, LAN_IPMSG_RELEASEFILES, handle_releasefiles, self);
}

void
lan_messenger_offers_start (LanMessenger *self)
{
  /* Files go with a real socket; an in-memory LAN (unit tests) has no TCP. */
  if (LAN_IS_UDP_TRANSPORT (lan_wire_get_transport (self->wire)))
    lan_file_server_start (self->file_server, NULL);
}

void
lan_messenger_offers_stop (LanMessenger *self)
{
  lan_file_server_stop (self->file_server);
}

void
lan_messenger_offers_clear (LanMessenger *self)
{
  if (self->wire != NULL)
    lan_wire_clear_handlers (self->wire, self);
  if (self->sender != NULL)
    lan_sender_set_suffix_func (self->sender, NULL, NULL);
  g_clear_pointer (&self->offering, g_ptr_array_unref);
  g_clear_object (&self->file_server);
  g_clear_object (&self->offers);
}

/* Regular files a folder holds before the sum of their sizes stops counting:
 * the sum is only what the record announces (iptux shows it as progress, and
 * fetches no folder announced with size 0); the stream sends what is there. */
#define FOLDER_SIZE_MAX_ENTRIES 100000

static void
add_folder_size (GFile   *folder,
                 guint64 *size,
                 guint   *entries,
                 guint    depth)
{
  g_autoptr(GFileEnumerator) children = NULL;

  if (depth > LAN_DIR_STREAM_MAX_DEPTH)
    return;
  children = g_file_enumerate_children (folder, G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                                        G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (children != NULL && *entries < FOLDER_SIZE_MAX_ENTRIES)
    {
      GFileInfo *info = NULL;
      GFile *child = NULL;

      if (!g_file_enumerator_iterate (children, &info, &child, NULL, NULL) || info == NULL)
        break;
      (*entries)++;
      /* Symbolic links are not served (lan-file-serve.c), so not counted. */
      if (g_file_info_get_file_type (info) == G_FILE_TYPE_REGULAR)
        *size += (guint64) g_file_info_get_size (info);
      else if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        add_folder_size (child, size, entries, depth + 1);
    }
}

static guint64
folder_size (GFile *folder)
{
  guint64 size = 0;
  guint entries = 0;

  add_folder_size (folder, &size, &entries, 1);
  return size;
}

static LanIpmsgFile *
describe (GFile      *file,
          guint64     file_id,
          GPtrArray  *offered,
          GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GFileInfo) info = g_file_query_info (file, OFFER_ATTRIBUTES, G_FILE_QUERY_INFO_NONE, NULL, &local_error);
  g_autofree char *shown = g_file_get_parse_name (file);
  LanIpmsgFile *record;
  GFileType type;

  if (info == NULL)
    {
      g_set_error (error, local_error->domain, local_error->code, _("“%s” can't be offered: %s"),
                   shown, local_error->message);
      return NULL;
    }
  type = g_file_info_get_file_type (info);
  if (type != G_FILE_TYPE_REGULAR && type != G_FILE_TYPE_DIRECTORY)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   _("“%s” can't be offered: it is neither a file nor a folder"), shown);
      return NULL;
    }
  record = g_new0 (LanIpmsgFile, 1);
  record->file_id = file_id;
  record->name = g_strdup (g_file_info_get_display_name (info));
  record->size = type == G_FILE_TYPE_REGULAR ? (guint64) g_file_info_get_size (info) : folder_size (file);
  record->mtime = g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED);
  record->attr = type == G_FILE_TYPE_REGULAR ? LAN_IPMSG_FILE_REGULAR : LAN_IPMSG_FILE_DIR;
  record->extras = g_new0 (char *, 1);
  g_ptr_array_add (offered, lan_offered_file_new (file_id, file, record->name, record->size, record->mtime,
                                                  type == G_FILE_TYPE_DIRECTORY));
  return record;
}

LanMessage *
lan_messenger_send_files (LanMessenger  *self,
                          LanPeer       *peer,
                          const char    *text,
                          GFile * const *files,
                          guint          n_files,
                          GError       **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) lan_ipmsg_file_free);
  g_autoptr(GPtrArray) offered = g_ptr_array_new_with_free_func ((GDestroyNotify) lan_offered_file_free);
  const GError *server_error;
  LanMessage *message;

  g_return_val_if_fail (LAN_IS_MESSENGER (self), NULL);
  g_return_val_if_fail (LAN_IS_PEER (peer), NULL);
  g_return_val_if_fail (files != NULL || n_files == 0, NULL);

  if (n_files == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("There is no file to offer"));
      return NULL;
    }
  if (n_files > LAN_MAX_OFFER_FILES)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("At most %u files or folders go in one offer; put them in a folder"), LAN_MAX_OFFER_FILES);
      return NULL;
    }
  server_error = lan_file_server_get_error (self->file_server);
  if (server_error != NULL)
    {
      g_set_error_literal (error, server_error->domain, server_error->code, server_error->message);
      return NULL;
    }
  for (guint i = 0; i < n_files; i++)
    {
      LanIpmsgFile *record = describe (files[i], i, offered, error);

      if (record == NULL)
        return NULL;
      g_ptr_array_add (records, record);
    }
  /* build_records() registers the offer with its packet number. */
  self->offering = g_steal_pointer (&offered);
  message = lan_sender_send_files (self->sender, peer, text != NULL ? text : "", records, error);
  g_clear_pointer (&self->offering, g_ptr_array_unref);
  return message;
}

void
lan_messenger_withdraw_files (LanMessenger *self,
                              LanMessage   *offer)
{
  g_return_if_fail (LAN_IS_MESSENGER (self));
  g_return_if_fail (LAN_IS_MESSAGE (offer));

  if (lan_file_offers_withdraw (self->offers, offer))
    lan_file_server_cancel_offer (self->file_server, lan_message_get_packet_no (offer),
                                  _("The offer was withdrawn"));
}
