/* lan-file-server.c — the TCP listener, one request per connection, a file's bytes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-file-server"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lan-bounds.h"
#include "lan-file-serve.h"
#include "lan-file-server-private.h"
#include "lan-socket-address.h"

G_DEFINE_FINAL_TYPE (LanFileServer, lan_file_server, G_TYPE_OBJECT)

/* ── the request ────────────────────────────────────────────────────────── */

/* Whether @data holds a whole request. A client writes its request at once
 * (iptux: the packet and a NUL; others end the extra part with ':' or
 * nothing), so the fields it needs, present, are enough. */
static gboolean
request_complete (const guint8 *data,
                  gsize         len)
{
  guint colons = 0;
  gsize command_at = 0;
  gsize extra_at = 0;
  guint64 command = 0;
  guint needed;
  guint fields = 0;
  gboolean digits = FALSE;

  for (gsize i = 0; i < len && colons < 5; i++)
    {
      if (data[i] == '\0')
        return TRUE;   /* malformed: the codec will say why */
      if (data[i] != ':')
        continue;
      if (++colons == 4)
        command_at = i + 1;
      else if (colons == 5)
        extra_at = i + 1;
    }
  if (colons < 5)
    return FALSE;
  for (gsize i = command_at; i + 1 < extra_at && g_ascii_isdigit (data[i]); i++)
    command = MIN (command * 10 + (guint64) (data[i] - '0'), (guint64) G_MAXUINT32 + 1);
  needed = LAN_IPMSG_MODE (command) == LAN_IPMSG_GETFILEDATA ? 3 :
           LAN_IPMSG_MODE (command) == LAN_IPMSG_GETDIRFILES ? 2 : 0;
  for (gsize i = extra_at; i < len && fields < needed; i++)
    {
      if (data[i] == '\0')
        return TRUE;
      if (data[i] == ':')
        {
          fields++;
          digits = FALSE;
        }
      else
        digits = TRUE;
    }
  return fields + (digits ? 1 : 0) >= needed;
}

static void
reject (LanServeConn *conn,
        LanVerdict    verdict,
        const char   *detail)
{
  if (conn->finished)
    return;
  if (conn->request == NULL && conn->buffer != NULL)
    conn->request = g_bytes_new (conn->buffer, conn->request_len);
  lan_serve_conn_log (conn, 0, LAN_DIRECTION_IN, verdict, detail);
  lan_wire_get_stats (conn->server->wire)->rejected++;
  lan_serve_conn_finish (conn, LAN_TRANSFER_FAILED, detail);
}

void
lan_serve_request_timed_out (LanServeConn *conn)
{
  g_autofree char *why = g_strdup_printf (_("no complete request within %u s"),
                                          LAN_FILE_SERVE_REQUEST_MS / 1000);

  reject (conn, LAN_VERDICT_REJECTED, why);
}

static gboolean
parse_hex (const char *text,
           guint64    *out)
{
  return text != NULL && *text != '\0' && g_ascii_string_to_unsigned (text, 16, 0, G_MAXUINT64, out, NULL);
}

static void
file_served (LanServeConn *conn)
{
  conn->offered->served = TRUE;
  lan_serve_conn_finish (conn, LAN_TRANSFER_DONE, NULL);
}

static void
serve (LanServeConn   *conn,
       LanFileOffer   *offer,
       LanOfferedFile *offered,
       guint64         offset)
{
  LanFileServer *self = conn->server;
  LanPeer *peer = lan_peer_list_lookup_endpoint (self->peers, offer->to);
  g_autofree char *detail = offered->is_dir
    ? g_strdup_printf (_("serves the folder “%s” of offer %llu"), offered->name,
                       (unsigned long long) offer->packet_no)
    : g_strdup_printf (_("serves “%s” of offer %llu from byte %llu of %llu"), offered->name,
                       (unsigned long long) offer->packet_no, (unsigned long long) offset,
                       (unsigned long long) offered->size);

  lan_serve_conn_log (conn, 0, LAN_DIRECTION_IN, LAN_VERDICT_OK, detail);
  conn->offer = lan_file_offer_ref (offer);
  conn->offered = offered;
  conn->dialect = lan_wire_peer_dialect (self->wire, peer);
  conn->transfer = lan_file_transfer_new (LAN_TRANSFER_SERVE, offer->peer_key, offer->packet_no,
                                          offered->file_id, offered->name, offered->is_dir,
                                          offered->size, offered->file);
  if (self->transfer_func != NULL)
    self->transfer_func (conn->transfer, self->transfer_data);
  conn->phase = LAN_SERVE_SERVING;
  conn->started_us = g_get_monotonic_time ();
  lan_serve_conn_arm_deadline (conn, LAN_FILE_SERVE_STALL_MS);
  lan_file_transfer_set_state (conn->transfer, LAN_TRANSFER_RUNNING, NULL);
  if (offered->is_dir)
    {
      lan_serve_dir_start (conn);
      return;
    }
  lan_file_transfer_reset_done (conn->transfer, offset);
  lan_serve_conn_send_file (conn, offered->file, offset, offered->size - offset, file_served);
}

static void
handle_request (LanServeConn *conn)
{
  LanFileServer *self = conn->server;
  g_autoptr(GError) error = NULL;
  g_autofree char *extra = NULL;
  g_auto(GStrv) fields = NULL;
  g_autofree char *why = NULL;
  LanFileOffer *offer = NULL;
  LanOfferedFile *offered;
  guint64 packet_no, file_id, offset = 0;
  guint32 mode;

  conn->request = g_bytes_new (conn->buffer, conn->request_len);
  conn->packet = lan_ipmsg_packet_parse (conn->buffer, conn->request_len, &error);
  if (conn->packet == NULL)
    {
      reject (conn, LAN_VERDICT_MALFORMED, error->message);
      return;
    }
  mode = lan_ipmsg_packet_mode (conn->packet);
  if (mode != LAN_IPMSG_GETFILEDATA && mode != LAN_IPMSG_GETDIRFILES)
    {
      g_autofree char *name = lan_ipmsg_describe_command (conn->packet->command);

      why = g_strdup_printf (_("%s over TCP is not a request for a file"), name);
      reject (conn, LAN_VERDICT_REJECTED, why);
      return;
    }
  extra = lan_ipmsg_packet_dup_section (conn->packet, 0);
  fields = g_strsplit (extra != NULL ? extra : "", ":", 4);
  /* GETDIRFILES from iptux carries a third field (":0"): allowed, unused. */
  if (!parse_hex (fields[0], &packet_no) || !parse_hex (fields[1], &file_id) ||
      (mode == LAN_IPMSG_GETFILEDATA && !parse_hex (fields[2], &offset)))
    {
      reject (conn, LAN_VERDICT_MALFORMED,
              mode == LAN_IPMSG_GETFILEDATA ? _("the request is not packetID:fileID:offset in hexadecimal")
                                            : _("the request is not packetID:fileID in hexadecimal"));
      return;
    }
  offered = lan_file_offers_find (self->offers, packet_no, file_id, conn->remote.address, &offer, &why);
  if (offered == NULL)
    {
      reject (conn, LAN_VERDICT_REJECTED, why);
      return;
    }
  if (offered->is_dir != (mode == LAN_IPMSG_GETDIRFILES))
    {
      why = g_strdup_printf (offered->is_dir ? _("file %llu of offer %llu is a folder: GETDIRFILES fetches it")
                                             : _("file %llu of offer %llu is not a folder: GETFILEDATA fetches it"),
                             (unsigned long long) file_id, (unsigned long long) packet_no);
      reject (conn, LAN_VERDICT_REJECTED, why);
      return;
    }
  if (offset > offered->size)
    {
      why = g_strdup_printf (_("offset %llu is past the end of file %llu of offer %llu (%llu bytes)"),
                             (unsigned long long) offset, (unsigned long long) file_id,
                             (unsigned long long) packet_no, (unsigned long long) offered->size);
      reject (conn, LAN_VERDICT_REJECTED, why);
      return;
    }
  serve (conn, offer, offered, offset);
}

static void read_request (LanServeConn *conn);

static void
request_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(LanServeConn) conn = user_data;
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  if (!lan_serve_conn_end (conn))
    return;
  if (n < 0)
    {
      g_autofree char *why = g_strdup_printf (_("the connection broke before a request came: %s"),
                                              error->message);

      reject (conn, LAN_VERDICT_REJECTED, why);
      return;
    }
  if (n == 0 && conn->request_len == 0)
    {
      reject (conn, LAN_VERDICT_REJECTED, _("closed without a request"));
      return;
    }
  conn->request_len += (gsize) n;
  if (n == 0 || request_complete (conn->buffer, conn->request_len))
    handle_request (conn);
  else if (conn->request_len > LAN_FILE_SERVE_MAX_REQUEST)
    {
      g_autofree char *why = g_strdup_printf (_("no complete request in %u bytes"), LAN_FILE_SERVE_MAX_REQUEST);

      reject (conn, LAN_VERDICT_MALFORMED, why);
    }
  else
    read_request (conn);
}

static void
read_request (LanServeConn *conn)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (conn->connection));

  lan_serve_conn_begin (conn);
  /* One byte more than allowed, to tell "too long" from "just fits". */
  g_input_stream_read_async (in, conn->buffer + conn->request_len,
                             LAN_FILE_SERVE_MAX_REQUEST + 1 - conn->request_len,
                             G_PRIORITY_DEFAULT, conn->cancellable, request_read, conn);
}

/* ── the listener ───────────────────────────────────────────────────────── */

static guint
count_from (LanFileServer *self,
            guint32        address)
{
  guint n = 0;

  for (guint i = 0; i < self->conns->len; i++)
    if (((LanServeConn *) g_ptr_array_index (self->conns, i))->remote.address == address)
      n++;
  return n;
}

static gboolean
on_incoming (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             gpointer           user_data)
{
  LanFileServer *self = user_data;
  LanServeConn *conn = g_new0 (LanServeConn, 1);
  g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address (connection, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (connection, NULL);
  char address[16];

  g_ref_count_init (&conn->ref_count);
  conn->server = self;
  conn->connection = g_object_ref (connection);
  conn->cancellable = g_cancellable_new ();
  conn->local = local != NULL ? lan_socket_address_to_endpoint (local) : lan_wire_get_local (self->wire);
  conn->remote = remote != NULL ? lan_socket_address_to_endpoint (remote) : (LanEndpoint) { 0, 0 };
  conn->phase = LAN_SERVE_READING;
  conn->buffer_only = self->no_sendfile;
  g_queue_init (&conn->levels);

  if (self->conns->len >= LAN_FILE_SERVE_MAX_CONNECTIONS ||
      count_from (self, conn->remote.address) >= LAN_FILE_SERVE_MAX_PER_PEER)
    {
      g_autofree char *why =
        self->conns->len >= LAN_FILE_SERVE_MAX_CONNECTIONS
          ? g_strdup_printf (_("%u connections are open already"), self->conns->len)
          : g_strdup_printf (_("%u connections from %s are open already"), LAN_FILE_SERVE_MAX_PER_PEER,
                             lan_ipv4_format (conn->remote.address, address));

      g_ptr_array_add (self->conns, conn);
      reject (conn, LAN_VERDICT_REJECTED, why);
      return TRUE;
    }
  conn->buffer = g_malloc (LAN_FILE_SERVE_BUFFER_BYTES);
  g_ptr_array_add (self->conns, conn);
  lan_serve_conn_arm_deadline (conn, LAN_FILE_SERVE_REQUEST_MS);
  read_request (conn);
  return TRUE;
}

gboolean
lan_file_server_start (LanFileServer  *self,
                       GError        **error)
{
  LanEndpoint local;
  guint8 bytes[4];
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketService) service = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (LAN_IS_FILE_SERVER (self), FALSE);

  if (self->service != NULL)
    return TRUE;
  local = lan_wire_get_local (self->wire);
  bytes[0] = (guint8) (local.address >> 24);
  bytes[1] = (guint8) (local.address >> 16);
  bytes[2] = (guint8) (local.address >> 8);
  bytes[3] = (guint8) local.address;
  inet = g_inet_address_new_from_bytes (bytes, G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (inet, local.port);
  service = g_socket_service_new ();
  g_clear_error (&self->error);
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (service), address, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL, NULL, &local_error))
    {
      char text[16];

      self->error = g_error_new (local_error->domain, local_error->code,
                                 _("Files can't be offered: TCP port %u on %s can't be opened (%s)"),
                                 local.port, lan_ipv4_format (local.address, text), local_error->message);
      if (error != NULL)
        *error = g_error_copy (self->error);
      return FALSE;
    }
  g_signal_connect (service, "incoming", G_CALLBACK (on_incoming), self);
  g_socket_service_start (service);
  self->service = g_steal_pointer (&service);
  return TRUE;
}

static void
finish_all (LanFileServer *self,
            guint64        packet_no,
            gboolean       every,
            const char    *why)
{
  g_autoptr(GPtrArray) conns = g_ptr_array_new_with_free_func ((GDestroyNotify) lan_serve_conn_unref);

  /* A copy: closing takes each out of the list. */
  for (guint i = 0; i < self->conns->len; i++)
    g_ptr_array_add (conns, lan_serve_conn_ref (g_ptr_array_index (self->conns, i)));
  for (guint i = 0; i < conns->len; i++)
    {
      LanServeConn *conn = g_ptr_array_index (conns, i);

      if (every || (conn->offer != NULL && conn->offer->packet_no == packet_no))
        lan_serve_conn_finish (conn, LAN_TRANSFER_CANCELLED, why);
      /* Stopping: those still draining or waiting on an operation end
       * without the server (their callbacks close them). */
      if (every)
        {
          g_cancellable_cancel (conn->cancellable);
          lan_serve_conn_detach (conn);
        }
    }
}

void
lan_file_server_stop (LanFileServer *self)
{
  g_return_if_fail (LAN_IS_FILE_SERVER (self));

  finish_all (self, 0, TRUE, _("Lanchat went offline"));
  if (self->service == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->service, self);
  g_socket_service_stop (self->service);
  g_socket_listener_close (G_SOCKET_LISTENER (self->service));
  g_clear_object (&self->service);
}

void
lan_file_server_cancel_offer (LanFileServer *self,
                              guint64        packet_no,
                              const char    *why)
{
  g_return_if_fail (LAN_IS_FILE_SERVER (self));

  finish_all (self, packet_no, FALSE, why);
}

gboolean
lan_file_server_cancel_transfer (LanFileServer   *self,
                                 LanFileTransfer *transfer)
{
  g_return_val_if_fail (LAN_IS_FILE_SERVER (self), FALSE);
  g_return_val_if_fail (LAN_IS_FILE_TRANSFER (transfer), FALSE);

  for (guint i = 0; i < self->conns->len; i++)
    {
      LanServeConn *conn = g_ptr_array_index (self->conns, i);

      if (conn->transfer == transfer && !conn->finished)
        {
          /* Not the offer's: only this connection ends. */
          lan_serve_conn_finish (conn, LAN_TRANSFER_CANCELLED, _("Cancelled"));
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
lan_file_server_is_listening (LanFileServer *self)
{
  return self->service != NULL;
}

const GError *
lan_file_server_get_error (LanFileServer *self)
{
  return self->error;
}

guint
lan_file_server_get_n_connections (LanFileServer *self)
{
  return self->conns->len;
}

void
lan_file_server_set_sendfile (LanFileServer *self,
                              gboolean       use)
{
  g_return_if_fail (LAN_IS_FILE_SERVER (self));

  self->no_sendfile = !use;
}

void
lan_file_server_set_transfer_func (LanFileServer            *self,
                                   LanFileServerTransferFunc func,
                                   gpointer                  user_data)
{
  self->transfer_func = func;
  self->transfer_data = user_data;
}

static void
lan_file_server_dispose (GObject *object)
{
  LanFileServer *self = LAN_FILE_SERVER (object);

  if (self->conns != NULL)
    lan_file_server_stop (self);
  if (self->wire != NULL)
    lan_wire_clear_handlers (self->wire, self);
  G_OBJECT_CLASS (lan_file_server_parent_class)->dispose (object);
}

static void
lan_file_server_finalize (GObject *object)
{
  LanFileServer *self = LAN_FILE_SERVER (object);

  g_clear_pointer (&self->conns, g_ptr_array_unref);
  g_clear_error (&self->error);
  g_clear_object (&self->offers);
  g_clear_object (&self->peers);
  g_clear_object (&self->wire);
  G_OBJECT_CLASS (lan_file_server_parent_class)->finalize (object);
}

static void
lan_file_server_class_init (LanFileServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lan_file_server_dispose;
  object_class->finalize = lan_file_server_finalize;
}

static void
lan_file_server_init (LanFileServer *self)
{
  self->conns = g_ptr_array_new_with_free_func ((GDestroyNotify) lan_serve_conn_unref);
}

LanFileServer *
lan_file_server_new (LanWire       *wire,
                     LanPeerList   *peers,
                     LanFileOffers *offers)
{
  LanFileServer *self = g_object_new (LAN_TYPE_FILE_SERVER, NULL);

  self->wire = g_object_ref (wire);
  self->peers = g_object_ref (peers);
  self->offers = g_object_ref (offers);
  return self;
}
