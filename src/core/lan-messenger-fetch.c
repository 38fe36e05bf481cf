/* lan-messenger-fetch.c — the façade's side of offers made to us.
 *
 * Every fetch asked for in this run is kept (ended ones too, so that a
 * retry finds its .part), in the order asked; at most LAN_FETCH_MAX_PER_PEER
 * run at once from one sender and LAN_FETCH_MAX_TOTAL in all, the others
 * wait. Once every file of an offer was fetched, the sender is told
 * (RELEASEFILES), as IP Messenger and iptux do, and the offer is done.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-messenger-fetch"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lan-file-fetch.h"
#include "lan-file-name.h"
#include "lan-messenger-files.h"
#include "lan-messenger-private.h"

typedef struct {
  LanMessenger *messenger;   /* borrowed: the jobs live no longer */
  LanFileFetch *fetch;
  LanMessage   *offer;
  gboolean      started;     /* or dropped before it started */
} Job;

struct _LanMessengerFetches
{
  GPtrArray *jobs;           /* Job, in the order asked */
  guint      stall_ms;
  guint      connect_timeout_ms;
  gboolean   pumping;
  gboolean   pump_again;
};

static void
job_free (Job *job)
{
  /* A refused folder's removal may still hold the fetch and end later: it
   * must not call back to this job (dispose forgets the callback). */
  if (job->fetch != NULL)
    g_object_run_dispose (G_OBJECT (job->fetch));
  g_clear_object (&job->fetch);
  g_clear_object (&job->offer);
  g_free (job);
}

static struct _LanMessengerFetches *
ensure_fetches (LanMessenger *self)
{
  if (self->fetches == NULL)
    {
      self->fetches = g_new0 (struct _LanMessengerFetches, 1);
      self->fetches->jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) job_free);
      self->fetches->stall_ms = LAN_FETCH_STALL_MS;
      self->fetches->connect_timeout_ms = LAN_FETCH_CONNECT_TIMEOUT_MS;
    }
  return self->fetches;
}

static LanFileTransfer *
job_transfer (Job *job)
{
  return lan_file_fetch_get_transfer (job->fetch);
}

static gboolean
job_running (Job *job)
{
  return job->started && !lan_file_transfer_is_finished (job_transfer (job));
}

static gboolean
parse_key (const char  *key,
           LanEndpoint *out)
{
  const char *colon = key != NULL ? strrchr (key, ':') : NULL;
  g_autofree char *address = colon != NULL ? g_strndup (key, (gsize) (colon - key)) : NULL;
  guint64 port = 0;

  if (address == NULL || !lan_ipv4_parse (address, &out->address) ||
      !g_ascii_string_to_unsigned (colon + 1, 10, 1, G_MAXUINT16, &port, NULL))
    return FALSE;
  out->port = (guint16) port;
  return TRUE;
}

static LanDialect
dialect_for (LanMessenger *self,
             const char   *key)
{
  return lan_wire_peer_dialect (self->wire, lan_peer_list_lookup (self->peers, key));
}

static void
send_release (LanMessenger *self,
              LanMessage   *offer)
{
  const char *key = lan_message_get_peer_key (offer);
  g_autofree char *number = g_strdup_printf ("%" G_GUINT64_FORMAT, lan_message_get_packet_no (offer));
  LanDialect dialect = dialect_for (self, key);
  g_autoptr(GBytes) datagram = NULL;
  LanEndpoint to;

  /* Decimal, like RECVMSG's: IP Messenger reads it so. */
  if (!lan_wire_is_running (self->wire) || !parse_key (key, &to))
    return;
  datagram = lan_wire_build_to (self->wire, &dialect, lan_wire_next_packet_no (self->wire),
                                LAN_IPMSG_RELEASEFILES, (const guint8 *) number, strlen (number) + 1);
  lan_wire_send (self->wire, to, datagram, LAN_VERDICT_OK);
}

static gboolean
offer_has_done (LanMessenger *self,
                LanMessage   *offer,
                guint64       file_id)
{
  GPtrArray *jobs = self->fetches->jobs;

  for (guint i = 0; i < jobs->len; i++)
    {
      Job *job = g_ptr_array_index (jobs, i);

      if (job->offer == offer && lan_file_transfer_get_state (job_transfer (job)) == LAN_TRANSFER_DONE &&
          lan_file_fetch_get_request (job->fetch)->file_id == file_id)
        return TRUE;
    }
  return FALSE;
}

/* Every file fetched: the sender may forget the offer. */
static void
release_if_complete (LanMessenger *self,
                     LanMessage   *offer)
{
  GPtrArray *files = lan_message_get_files (offer);

  if (lan_message_get_offer_state (offer) != LAN_OFFER_OPEN || files == NULL)
    return;
  for (guint i = 0; i < files->len; i++)
    {
      const LanIpmsgFile *file = g_ptr_array_index (files, i);

      if (!offer_has_done (self, offer, file->file_id))
        return;
    }
  send_release (self, offer);
  lan_message_set_offer_state (offer, LAN_OFFER_DONE);
}

static void pump (LanMessenger *self);

static void
fetch_done (LanFileFetch *fetch,
            gpointer      user_data)
{
  Job *job = user_data;
  LanMessenger *self = job->messenger;
  g_autoptr(LanMessage) offer = g_object_ref (job->offer);

  release_if_complete (self, offer);
  pump (self);
}

static guint
running_from (LanMessenger *self,
              const char   *key)
{
  GPtrArray *jobs = self->fetches->jobs;
  guint n = 0;

  for (guint i = 0; i < jobs->len; i++)
    {
      Job *job = g_ptr_array_index (jobs, i);

      if (job_running (job) && (key == NULL || g_strcmp0 (lan_message_get_peer_key (job->offer), key) == 0))
        n++;
    }
  return n;
}

/* Start what waits, oldest first, as far as the limits allow. A fetch that
 * ends at once (a folder that can't be written) calls back into here. */
static void
pump (LanMessenger *self)
{
  struct _LanMessengerFetches *fetches = self->fetches;

  if (fetches->pumping)
    {
      fetches->pump_again = TRUE;
      return;
    }
  fetches->pumping = TRUE;
  do
    {
      fetches->pump_again = FALSE;
      for (guint i = 0; i < fetches->jobs->len; i++)
        {
          Job *job = g_ptr_array_index (fetches->jobs, i);
          const char *key = lan_message_get_peer_key (job->offer);

          if (job->started)
            continue;
          if (running_from (self, NULL) >= LAN_FETCH_MAX_TOTAL)
            break;
          if (running_from (self, key) >= LAN_FETCH_MAX_PER_PEER)
            continue;
          job->started = TRUE;
          lan_file_fetch_start (job->fetch, fetch_done, job);
        }
    }
  while (fetches->pump_again);
  fetches->pumping = FALSE;
}

static const LanIpmsgFile *
find_file (LanMessage *offer,
           guint64     file_id)
{
  GPtrArray *files = lan_message_get_files (offer);

  for (guint i = 0; files != NULL && i < files->len; i++)
    {
      const LanIpmsgFile *file = g_ptr_array_index (files, i);

      if (file->file_id == file_id)
        return file;
    }
  return NULL;
}

/* A job for file @file of @offer; @part_name: the .part to resume. */
static LanFileTransfer *
add_job (LanMessenger       *self,
         LanMessage         *offer,
         const LanIpmsgFile *file,
         GFile              *folder,
         const char         *name,
         const char         *part_name,
         GError            **error)
{
  struct _LanMessengerFetches *fetches = ensure_fetches (self);
  const char *key = lan_message_get_peer_key (offer);
  gboolean is_directory = (file->attr & 0xff) == LAN_IPMSG_FILE_DIR;
  LanFileFetchRequest request = {
    .local = lan_wire_get_local (self->wire),
    .dialect = dialect_for (self, key),
    .offer_packet_no = lan_message_get_packet_no (offer),
    .file_id = file->file_id,
    .is_directory = is_directory,
    .size = file->size,
    .stall_ms = fetches->stall_ms,
    .connect_timeout_ms = fetches->connect_timeout_ms,
  };
  g_autoptr(LanFileTransfer) transfer = NULL;
  Job *job;

  if (!parse_key (key, &request.remote))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The sender's address “%s” can't be reached"), key);
      return NULL;
    }
  transfer = lan_file_transfer_new (LAN_TRANSFER_FETCH, key, request.offer_packet_no, file->file_id,
                                    name, is_directory, is_directory ? 0 : file->size, NULL);
  job = g_new0 (Job, 1);
  job->messenger = self;
  job->offer = g_object_ref (offer);
  job->fetch = lan_file_fetch_new (self->wire, &request, transfer, folder, name, part_name);
  g_ptr_array_add (fetches->jobs, job);
  lan_messenger_add_transfer (self, transfer);
  pump (self);
  return g_steal_pointer (&transfer);
}

/**
 * lan_messenger_fetch_file:
 *
 * Returns: (transfer full) (nullable)
 */
LanFileTransfer *
lan_messenger_fetch_file (LanMessenger  *self,
                          LanMessage    *offer,
                          guint64        file_id,
                          GFile         *folder,
                          const char    *name,
                          GError       **error)
{
  const LanIpmsgFile *file;
  guint type;

  g_return_val_if_fail (LAN_IS_MESSENGER (self), NULL);
  g_return_val_if_fail (LAN_IS_MESSAGE (offer), NULL);
  g_return_val_if_fail (G_IS_FILE (folder), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  file = lan_message_get_direction (offer) == LAN_DIRECTION_IN ? find_file (offer, file_id) : NULL;
  if (file == NULL)
    {
      g_autofree char *id_text = g_strdup_printf ("%" G_GUINT64_FORMAT, file_id);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("This message offers no file %s"), id_text);
      return NULL;
    }
  if (lan_message_get_offer_state (offer) != LAN_OFFER_OPEN)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED, _("This offer is closed (%s)"),
                   lan_offer_state_to_string (lan_message_get_offer_state (offer)));
      return NULL;
    }
  type = file->attr & 0xff;
  if (type != LAN_IPMSG_FILE_REGULAR && type != LAN_IPMSG_FILE_DIR)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("This is neither a file nor a folder (type %u): it can't be fetched"), type);
      return NULL;
    }
  if (name == NULL)
    name = file->name;
  if (!lan_file_name_check (name, error))
    return NULL;
  if (!self->running)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, _("Lanchat is offline"));
      return NULL;
    }
  return add_job (self, offer, file, folder, name, NULL, error);
}

static Job *
find_job (LanMessenger    *self,
          LanFileTransfer *transfer)
{
  for (guint i = 0; self->fetches != NULL && i < self->fetches->jobs->len; i++)
    {
      Job *job = g_ptr_array_index (self->fetches->jobs, i);

      if (job_transfer (job) == transfer)
        return job;
    }
  return NULL;
}

static void
cancel_job (Job *job)
{
  if (job->started)
    lan_file_fetch_cancel (job->fetch);
  else
    {
      job->started = TRUE;
      lan_file_transfer_set_state (job_transfer (job), LAN_TRANSFER_CANCELLED, _("Cancelled"));
    }
}

void
lan_messenger_fetch_cancel (LanMessenger    *self,
                            LanFileTransfer *transfer)
{
  Job *job;

  g_return_if_fail (LAN_IS_MESSENGER (self));
  g_return_if_fail (LAN_IS_FILE_TRANSFER (transfer));

  job = find_job (self, transfer);
  if (job != NULL && !lan_file_transfer_is_finished (transfer))
    cancel_job (job);
}

/* A new job for @file of @offer that goes on from @job's .part (a file's
 * or a folder's), in its folder and under its name. */
static LanFileTransfer *
continue_job (LanMessenger        *self,
              Job                 *job,
              LanMessage          *offer,
              const LanIpmsgFile  *file,
              GError             **error)
{
  LanFileTransfer *earlier = job_transfer (job);
  g_autoptr(GFile) folder = lan_file_transfer_get_file (earlier) != NULL
                          ? g_file_get_parent (lan_file_transfer_get_file (earlier)) : NULL;
  g_autofree char *part_name = g_strdup (lan_file_fetch_get_part_name (job->fetch));
  g_autoptr(LanMessage) held = g_object_ref (offer);
  g_autofree char *name = g_strdup (lan_file_transfer_get_name (earlier));

  if (folder == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("The folder it was saved to is not known"));
      return NULL;
    }
  return add_job (self, held, file, folder, name, part_name, error);
}

/**
 * lan_messenger_retry_transfer:
 *
 * Returns: (transfer full) (nullable)
 */
LanFileTransfer *
lan_messenger_retry_transfer (LanMessenger     *self,
                              LanFileTransfer  *transfer,
                              GError          **error)
{
  LanTransferState state;
  const LanIpmsgFile *file;
  Job *job;

  g_return_val_if_fail (LAN_IS_MESSENGER (self), NULL);
  g_return_val_if_fail (LAN_IS_FILE_TRANSFER (transfer), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  job = find_job (self, transfer);
  state = lan_file_transfer_get_state (transfer);
  if (job == NULL || (state != LAN_TRANSFER_FAILED && state != LAN_TRANSFER_CANCELLED))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Only a failed or cancelled fetch can be tried again"));
      return NULL;
    }
  if (lan_message_get_offer_state (job->offer) != LAN_OFFER_OPEN)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED, _("This offer is closed (%s)"),
                   lan_offer_state_to_string (lan_message_get_offer_state (job->offer)));
      return NULL;
    }
  if (!self->running)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, _("Lanchat is offline"));
      return NULL;
    }
  file = find_file (job->offer, lan_file_transfer_get_file_id (transfer));
  if (file == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("This offer no longer lists the file"));
      return NULL;
    }
  return continue_job (self, job, job->offer, file, error);
}

/* @file of @offer is what @job fetched, as far as an offer can tell: the
 * same sender, a file of the same size, or a folder of the same name and
 * size (a folder's transfer only knows the sizes its stream announced so
 * far: the record it was offered with is compared). The fetch checks the
 * .part's last bytes (each file's, for a folder) before it goes on. */
static gboolean
offered_again (Job                *job,
               LanMessage         *offer,
               const LanIpmsgFile *file)
{
  LanFileTransfer *earlier = job_transfer (job);
  const LanIpmsgFile *before = find_file (job->offer, lan_file_transfer_get_file_id (earlier));

  if (file == NULL || g_strcmp0 (lan_message_get_peer_key (offer), lan_file_transfer_get_peer_key (earlier)) != 0)
    return FALSE;
  if (lan_file_transfer_get_is_directory (earlier))
    return (file->attr & 0xff) == LAN_IPMSG_FILE_DIR && before != NULL && file->size == before->size &&
           g_strcmp0 (file->name, before->name) == 0;
  return (file->attr & 0xff) == LAN_IPMSG_FILE_REGULAR && file->size == lan_file_transfer_get_size (earlier);
}

/**
 * lan_messenger_resume_fetch:
 *
 * Returns: (transfer full) (nullable)
 */
LanFileTransfer *
lan_messenger_resume_fetch (LanMessenger     *self,
                            LanMessage       *offer,
                            guint64           file_id,
                            LanFileTransfer  *earlier,
                            GError          **error)
{
  LanTransferState state;
  const LanIpmsgFile *file;
  Job *job;

  g_return_val_if_fail (LAN_IS_MESSENGER (self), NULL);
  g_return_val_if_fail (LAN_IS_MESSAGE (offer), NULL);
  g_return_val_if_fail (LAN_IS_FILE_TRANSFER (earlier), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  job = find_job (self, earlier);
  state = lan_file_transfer_get_state (earlier);
  file = lan_message_get_direction (offer) == LAN_DIRECTION_IN ? find_file (offer, file_id) : NULL;
  if (job == NULL || (state != LAN_TRANSFER_FAILED && state != LAN_TRANSFER_CANCELLED))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Only a failed or cancelled fetch can be continued"));
      return NULL;
    }
  if (!offered_again (job, offer, file))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("This offer's file is not the one fetched before: it can't be continued"));
      return NULL;
    }
  if (lan_message_get_offer_state (offer) != LAN_OFFER_OPEN)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED, _("This offer is closed (%s)"),
                   lan_offer_state_to_string (lan_message_get_offer_state (offer)));
      return NULL;
    }
  if (!self->running)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, _("Lanchat is offline"));
      return NULL;
    }
  return continue_job (self, job, offer, file, error);
}

void
lan_messenger_release_files (LanMessenger *self,
                             LanMessage   *offer)
{
  gboolean fetched = FALSE;

  g_return_if_fail (LAN_IS_MESSENGER (self));
  g_return_if_fail (LAN_IS_MESSAGE (offer));

  if (lan_message_get_direction (offer) != LAN_DIRECTION_IN ||
      lan_message_get_offer_state (offer) != LAN_OFFER_OPEN)
    return;
  /* Closed first, so that the cancelled fetches don't release it again. */
  for (guint i = 0; self->fetches != NULL && i < self->fetches->jobs->len; i++)
    {
      Job *job = g_ptr_array_index (self->fetches->jobs, i);

      if (job->offer == offer && lan_file_transfer_get_state (job_transfer (job)) == LAN_TRANSFER_DONE)
        fetched = TRUE;
    }
  lan_message_set_offer_state (offer, fetched ? LAN_OFFER_DONE : LAN_OFFER_DECLINED);
  for (guint i = 0; self->fetches != NULL && i < self->fetches->jobs->len; i++)
    {
      Job *job = g_ptr_array_index (self->fetches->jobs, i);

      if (job->offer == offer && !lan_file_transfer_is_finished (job_transfer (job)))
        cancel_job (job);
    }
  send_release (self, offer);
}

void
lan_messenger_set_fetch_timeouts (LanMessenger *self,
                                  guint         stall_ms,
                                  guint         connect_timeout_ms)
{
  struct _LanMessengerFetches *fetches;

  g_return_if_fail (LAN_IS_MESSENGER (self));

  fetches = ensure_fetches (self);
  fetches->stall_ms = stall_ms != 0 ? stall_ms : LAN_FETCH_STALL_MS;
  fetches->connect_timeout_ms = connect_timeout_ms != 0 ? connect_timeout_ms : LAN_FETCH_CONNECT_TIMEOUT_MS;
}

void
lan_messenger_fetch_stop (LanMessenger *self)
{
  if (self->fetches == NULL)
    return;
  /* Waiting ones first, so that an ending one starts none of them. */
  for (guint i = 0; i < self->fetches->jobs->len; i++)
    {
      Job *job = g_ptr_array_index (self->fetches->jobs, i);

      if (!job->started)
        cancel_job (job);
    }
  for (guint i = 0; i < self->fetches->jobs->len; i++)
    {
      Job *job = g_ptr_array_index (self->fetches->jobs, i);

      if (!lan_file_transfer_is_finished (job_transfer (job)))
        cancel_job (job);
    }
}

void
lan_messenger_fetch_free (LanMessenger *self)
{
  if (self->fetches == NULL)
    return;
  lan_messenger_fetch_stop (self);
  g_clear_pointer (&self->fetches->jobs, g_ptr_array_unref);
  g_clear_pointer (&self->fetches, g_free);
}
