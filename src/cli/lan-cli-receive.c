/* lan-cli-receive.c — `receive --dir DIR` and `bot --accept-files DIR`: accept
 * every offer, fetch everything into DIR, one JSON line per file or folder.
 *
 * A saved one is printed once its sha256 is known (computed in a thread, so
 * other transfers keep moving); a refused one (a name that is not safe) at
 * once, a failed one when it ends, each with why. An offer is released
 * (RELEASEFILES) once each of its files has ended, saved or not.
 *
 * Resuming: a file whose fetch broke after bytes had moved (the connection
 * was reset, the sender stopped sending) is tried again, from the end of its
 * .part, while the offer is open, at most RETRIES times; a try that brings
 * nothing new ends it. A folder is not tried again within its offer. A
 * sender restarted makes a new offer: a file or folder in it with the name
 * (and a file with the size) of one that broke goes on from that one's
 * .part (find_continuable) instead of starting over under a new name.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-cli-receive"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "lan-cli.h"
#include "lan-cli-hash.h"
#include "lan-display-text.h"
#include "lan-ipmsg.h"
#include "lan-messenger-files.h"

#define RETRIES 3
#define RETRY_DELAY_MS 1000
/* How long stopping waits for cancelled transfers and hashes to end. */
#define STOP_GRACE_MS 5000

typedef struct _Acceptor Acceptor;

typedef struct {
  Acceptor   *acceptor;
  LanMessage *offer;
  char       *nickname;
  guint       pending;  /* its files not ended yet */
  gboolean    released;
} Accepted;

typedef struct {
  Accepted        *accepted;
  LanFileTransfer *transfer;  /* the last try */
  guint64          file_id;
  char            *offered_name;
  guint64          try_offset;  /* where the last try started */
  guint            retries;
  guint            retry_source;
  gboolean         ended;
  gboolean         failed;      /* printed as refused, failed or cancelled */
  gboolean         continued;   /* a later offer of the same file went on from its .part */
  guint64          resumed_at;  /* a continuation: bytes its .part held when it began */
} Watch;

struct _Acceptor {
  LanCli    *cli;
  GFile     *dir;
  GPtrArray *offers;     /* Accepted */
  GPtrArray *watches;    /* Watch */
  guint      running;    /* transfers not ended + hashes not done */
  double     idle_s;     /* finish after this long with nothing going on; < 0: never */
  guint      idle_source;
  guint      failures;   /* files that failed and were not continued later */
  gboolean   stopping;
};

static void
accepted_free (Accepted *accepted)
{
  g_clear_object (&accepted->offer);
  g_free (accepted->nickname);
  g_free (accepted);
}

static void
watch_free (Watch *watch)
{
  g_clear_handle_id (&watch->retry_source, g_source_remove);
  g_clear_object (&watch->transfer);
  g_free (watch->offered_name);
  g_free (watch);
}

/* Output */

static JsonBuilder *
begin_line (Watch      *watch,
            const char *event)
{
  JsonBuilder *builder = json_builder_new ();
  Accepted *accepted = watch->accepted;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "event");
  json_builder_add_string_value (builder, event);
  json_builder_set_member_name (builder, "from");
  json_builder_add_string_value (builder, lan_message_get_peer_key (accepted->offer));
  json_builder_set_member_name (builder, "nickname");
  json_builder_add_string_value (builder, accepted->nickname);
  json_builder_set_member_name (builder, "packet_no");
  json_builder_add_int_value (builder, (gint64) lan_message_get_packet_no (accepted->offer));
  json_builder_set_member_name (builder, "file_id");
  json_builder_add_int_value (builder, (gint64) watch->file_id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, watch->offered_name);
  return builder;
}

static void
end_line (JsonBuilder *builder)
{
  g_autoptr(JsonNode) node = NULL;

  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  lan_cli_print_json (node);
}

static void
add_path (JsonBuilder *builder,
          GFile       *file)
{
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

  json_builder_set_member_name (builder, "path");
  if (path != NULL)
    json_builder_add_string_value (builder, path);
  else
    json_builder_add_null_value (builder);
}

static void
print_failed (Watch      *watch,
              const char *event,
              const char *why)
{
  g_autoptr(JsonBuilder) builder = begin_line (watch, event);

  if (!watch->failed)
    watch->accepted->acceptor->failures++;
  watch->failed = TRUE;
  json_builder_set_member_name (builder, "why");
  json_builder_add_string_value (builder, why != NULL && *why != '\0' ? why : _("no reason given"));
  if (watch->transfer != NULL)
    {
      GFile *file = lan_file_transfer_get_file (watch->transfer);
      g_autofree char *part = file != NULL ? g_strconcat (g_file_peek_path (file), ".part", NULL) : NULL;

      json_builder_set_member_name (builder, "bytes");
      json_builder_add_int_value (builder, (gint64) lan_file_transfer_get_done (watch->transfer));
      json_builder_set_member_name (builder, "retries");
      json_builder_add_int_value (builder, watch->retries);
      /* Kept to resume (a folder's partial tree is kept the same way). */
      json_builder_set_member_name (builder, "part");
      if (part != NULL && g_file_test (part, G_FILE_TEST_EXISTS))
        json_builder_add_string_value (builder, part);
      else
        json_builder_add_null_value (builder);
    }
  end_line (builder);
}

static void
print_saved (Watch     *watch,
             GPtrArray *hashed)
{
  g_autoptr(JsonBuilder) builder = begin_line (watch, "saved");
  LanFileTransfer *transfer = watch->transfer;
  gboolean directory = lan_file_transfer_get_is_directory (transfer);
  gint64 elapsed = lan_file_transfer_get_finished (transfer) - lan_file_transfer_get_started (transfer);
  guint64 total = 0;

  for (guint i = 0; i < hashed->len; i++)
    total += ((LanCliHashed *) g_ptr_array_index (hashed, i))->size;
  json_builder_set_member_name (builder, "directory");
  json_builder_add_boolean_value (builder, directory);
  add_path (builder, lan_file_transfer_get_file (transfer));
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, (gint64) total);
  json_builder_set_member_name (builder, "seconds");
  json_builder_add_double_value (builder, MAX (elapsed, 0) / 1e6);
  json_builder_set_member_name (builder, "retries");
  json_builder_add_int_value (builder, watch->retries);
  if (watch->resumed_at > 0)
    {
      /* Continued from an earlier offer's .part (the sender was restarted). */
      json_builder_set_member_name (builder, "resumed_from");
      json_builder_add_int_value (builder, (gint64) watch->resumed_at);
    }
  if (!directory)
    {
      json_builder_set_member_name (builder, "sha256");
      json_builder_add_string_value (builder, ((LanCliHashed *) g_ptr_array_index (hashed, 0))->sha256);
    }
  else
    {
      json_builder_set_member_name (builder, "files");
      json_builder_begin_array (builder);
      for (guint i = 0; i < hashed->len; i++)
        {
          LanCliHashed *one = g_ptr_array_index (hashed, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "path");
          json_builder_add_string_value (builder, one->path);
          json_builder_set_member_name (builder, "type");
          json_builder_add_string_value (builder, one->type);
          json_builder_set_member_name (builder, "size");
          json_builder_add_int_value (builder, (gint64) one->size);
          json_builder_set_member_name (builder, "sha256");
          if (one->sha256 != NULL)
            json_builder_add_string_value (builder, one->sha256);
          else
            json_builder_add_null_value (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  end_line (builder);
}

/* Accepting */

static void arm_idle (Acceptor *acceptor);

static void
release_if_ended (Accepted *accepted)
{
  if (accepted->pending > 0 || accepted->released)
    return;
  accepted->released = TRUE;
  lan_messenger_release_files (accepted->acceptor->cli->messenger, accepted->offer);
}

static void
on_hashed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Watch *watch = user_data;
  Acceptor *acceptor = watch->accepted->acceptor;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hashed = g_task_propagate_pointer (G_TASK (result), &error);

  if (hashed != NULL)
    print_saved (watch, hashed);
  else
    {
      g_autofree char *why = g_strdup_printf (_("saved, but cannot be read back: %s"), error->message);

      print_failed (watch, "failed", why);
    }
  acceptor->running--;
  arm_idle (acceptor);
}

static void watch_transfer (Watch *watch, LanFileTransfer *transfer);

static gboolean
on_retry (gpointer user_data)
{
  Watch *watch = user_data;
  Acceptor *acceptor = watch->accepted->acceptor;
  g_autoptr(GError) error = NULL;
  g_autoptr(LanFileTransfer) next = NULL;

  watch->retry_source = 0;
  watch->retries++;
  next = lan_messenger_retry_transfer (acceptor->cli->messenger, watch->transfer, &error);
  if (next == NULL)
    {
      g_autofree char *why = g_strdup_printf (_("%s (and trying again failed: %s)"),
                                              lan_file_transfer_get_error (watch->transfer), error->message);

      print_failed (watch, "failed", why);
      acceptor->running--;
      watch->ended = TRUE;
      watch->accepted->pending--;
      release_if_ended (watch->accepted);
      arm_idle (acceptor);
      return G_SOURCE_REMOVE;
    }
  g_signal_handlers_disconnect_by_data (watch->transfer, watch);
  watch_transfer (watch, next);
  return G_SOURCE_REMOVE;
}

/* Broken after bytes moved, and the offer is still served: worth another try. */
static gboolean
should_retry (Watch *watch)
{
  LanFileTransfer *transfer = watch->transfer;

  return lan_file_transfer_get_state (transfer) == LAN_TRANSFER_FAILED &&
         !lan_file_transfer_get_is_directory (transfer) &&
         lan_message_get_offer_state (watch->accepted->offer) == LAN_OFFER_OPEN &&
         watch->retries < RETRIES &&
         lan_file_transfer_get_done (transfer) > watch->try_offset;
}

static void
on_transfer_state (LanFileTransfer *transfer,
                   GParamSpec      *pspec,
                   Watch           *watch)
{
  Acceptor *acceptor = watch->accepted->acceptor;
  LanTransferState state = lan_file_transfer_get_state (transfer);

  arm_idle (acceptor);
  if (state == LAN_TRANSFER_RUNNING)
    watch->try_offset = lan_file_transfer_get_done (transfer);
  if (watch->ended || watch->retry_source != 0 || !lan_file_transfer_is_finished (transfer))
    return;
  if (should_retry (watch))
    {
      watch->retry_source = g_timeout_add (RETRY_DELAY_MS, on_retry, watch);
      return;
    }
  watch->ended = TRUE;
  if (state == LAN_TRANSFER_DONE)
    {
      g_autoptr(GTask) task = g_task_new (NULL, NULL, on_hashed, watch);
      LanCliHashJob *job = g_new0 (LanCliHashJob, 1);

      if (lan_file_transfer_get_file (transfer) != NULL)
        job->file = g_object_ref (lan_file_transfer_get_file (transfer));
      job->directory = lan_file_transfer_get_is_directory (transfer);
      acceptor->running++;
      g_task_set_task_data (task, job, (GDestroyNotify) lan_cli_hash_job_free);
      g_task_run_in_thread (task, lan_cli_hash_in_thread);
    }
  else if (state == LAN_TRANSFER_CANCELLED && acceptor->stopping)
    print_failed (watch, "cancelled", _("Cancelled: lanchat-cli was stopped"));
  else
    print_failed (watch, state == LAN_TRANSFER_CANCELLED ? "cancelled" : "failed",
                  lan_file_transfer_get_error (transfer));
  acceptor->running--;
  watch->accepted->pending--;
  release_if_ended (watch->accepted);
}

static void
on_transfer_progress (LanFileTransfer *transfer,
                      GParamSpec      *pspec,
                      Watch           *watch)
{
  arm_idle (watch->accepted->acceptor);
}

static void
watch_transfer (Watch           *watch,
                LanFileTransfer *transfer)
{
  g_set_object (&watch->transfer, transfer);
  watch->try_offset = lan_file_transfer_get_done (transfer);
  g_signal_connect (transfer, "notify::state", G_CALLBACK (on_transfer_state), watch);
  g_signal_connect (transfer, "notify::done", G_CALLBACK (on_transfer_progress), watch);
  /* It may have ended before we were listening (nothing to fetch). */
  on_transfer_state (transfer, NULL, watch);
}

/* A fetch of the same file or folder from the same sender that broke with bytes in its
 * .part: a sender killed and started again offers it anew, and the new
 * offer goes on from there instead of starting a "name (1)" from 0. */
static Watch *
find_continuable (Acceptor           *acceptor,
                  LanMessage         *offer,
                  const LanIpmsgFile *file,
                  const char         *offered_name)
{
  for (guint i = acceptor->watches->len; i > 0; i--)
    {
      Watch *earlier = g_ptr_array_index (acceptor->watches, i - 1);
      LanFileTransfer *transfer = earlier->transfer;

      if (earlier->ended && !earlier->continued && transfer != NULL &&
          (lan_file_transfer_get_state (transfer) == LAN_TRANSFER_FAILED ||
           lan_file_transfer_get_state (transfer) == LAN_TRANSFER_CANCELLED) &&
          lan_file_transfer_get_done (transfer) > 0 &&
          /* A folder's size so far is what its stream announced: the engine compares the offers. */
          (lan_file_transfer_get_is_directory (transfer) || lan_file_transfer_get_size (transfer) == file->size) &&
          g_strcmp0 (earlier->offered_name, offered_name) == 0 &&
          g_strcmp0 (lan_file_transfer_get_peer_key (transfer), lan_message_get_peer_key (offer)) == 0)
        return earlier;
    }
  return NULL;
}

static void
accept_file (Accepted     *accepted,
             LanIpmsgFile *file)
{
  Acceptor *acceptor = accepted->acceptor;
  Watch *watch = g_new0 (Watch, 1);
  Watch *earlier;
  g_autoptr(GError) error = NULL;
  g_autoptr(LanFileTransfer) transfer = NULL;

  watch->accepted = accepted;
  watch->file_id = file->file_id;
  /* Decoded to UTF-8 by the engine; not trusted for anything but display. */
  watch->offered_name = g_utf8_make_valid (file->name, -1);
  g_ptr_array_add (acceptor->watches, watch);

  earlier = find_continuable (acceptor, accepted->offer, file, watch->offered_name);
  if (earlier != NULL)
    transfer = lan_messenger_resume_fetch (acceptor->cli->messenger, accepted->offer, file->file_id,
                                           earlier->transfer, NULL);
  if (transfer != NULL)
    {
      earlier->continued = TRUE;
      watch->resumed_at = lan_file_transfer_get_done (earlier->transfer);
      if (earlier->failed)
        acceptor->failures--;
    }
  else
    transfer = lan_messenger_fetch_file (acceptor->cli->messenger, accepted->offer, file->file_id,
                                         acceptor->dir, NULL, &error);
  if (transfer == NULL)
    {
      print_failed (watch, "refused", error->message);
      watch->ended = TRUE;
      return;
    }
  accepted->pending++;
  acceptor->running++;
  watch_transfer (watch, transfer);
}

static void
on_message (LanMessenger *messenger,
            LanPeer      *peer,
            LanMessage   *message,
            Acceptor     *acceptor)
{
  GPtrArray *files = lan_message_get_files (message);
  Accepted *accepted;

  arm_idle (acceptor);
  if (files == NULL || files->len == 0 || lan_message_get_offer_state (message) != LAN_OFFER_OPEN)
    return;
  accepted = g_new0 (Accepted, 1);
  accepted->acceptor = acceptor;
  accepted->offer = g_object_ref (message);
  accepted->nickname = g_strdup (lan_peer_get_nickname (peer));
  g_ptr_array_add (acceptor->offers, accepted);
  for (guint i = 0; i < files->len; i++)
    accept_file (accepted, g_ptr_array_index (files, i));
  release_if_ended (accepted);
}

static gboolean
on_idle_over (gpointer user_data)
{
  Acceptor *acceptor = user_data;

  acceptor->idle_source = 0;
  /* Something still moving (or being hashed) is not "nothing": wait for its end. */
  if (acceptor->running == 0)
    lan_cli_finish (acceptor->cli, acceptor->failures > 0 ? LAN_CLI_EXIT_FAILED : LAN_CLI_EXIT_OK);
  return G_SOURCE_REMOVE;
}

static void
arm_idle (Acceptor *acceptor)
{
  if (acceptor->idle_s < 0)
    return;
  g_clear_handle_id (&acceptor->idle_source, g_source_remove);
  acceptor->idle_source = g_timeout_add ((guint) (acceptor->idle_s * 1000), on_idle_over, acceptor);
}

gboolean
lan_cli_accept_files_start (LanCli     *cli,
                            const char *dir,
                            double      idle_s,
                            GError    **error)
{
  g_autoptr(GFile) folder = g_file_new_for_commandline_arg (dir);
  g_autoptr(GError) local_error = NULL;
  Acceptor *acceptor;

  if (!g_file_make_directory_with_parents (folder, NULL, &local_error) &&
      !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  acceptor = g_new0 (Acceptor, 1);
  acceptor->cli = cli;
  acceptor->idle_s = idle_s;
  acceptor->dir = g_steal_pointer (&folder);
  acceptor->offers = g_ptr_array_new_with_free_func ((GDestroyNotify) accepted_free);
  acceptor->watches = g_ptr_array_new_with_free_func ((GDestroyNotify) watch_free);
  cli->accept_data = acceptor;
  g_signal_connect (cli->messenger, "message-received", G_CALLBACK (on_message), acceptor);
  arm_idle (acceptor);
  return TRUE;
}

static gboolean
on_grace_over (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

void
lan_cli_accept_files_stop (LanCli *cli)
{
  Acceptor *acceptor = cli->accept_data;

  if (acceptor == NULL)
    return;
  g_signal_handlers_disconnect_by_data (cli->messenger, acceptor);
  g_clear_handle_id (&acceptor->idle_source, g_source_remove);
  /* Stopped (SIGINT, SIGTERM): what still runs ends cancelled, with its line. */
  acceptor->stopping = TRUE;
  for (guint i = 0; i < acceptor->watches->len; i++)
    {
      Watch *watch = g_ptr_array_index (acceptor->watches, i);

      if (watch->ended || watch->transfer == NULL)
        continue;
      if (watch->retry_source != 0)
        {
          /* Between two tries: it ends as the last try did. */
          g_clear_handle_id (&watch->retry_source, g_source_remove);
          watch->ended = TRUE;
          print_failed (watch, "failed", lan_file_transfer_get_error (watch->transfer));
          acceptor->running--;
          watch->accepted->pending--;
        }
      else
        lan_messenger_cancel_transfer (cli->messenger, watch->transfer);
    }
  if (acceptor->running > 0)
    {
      gboolean grace_over = FALSE;
      guint grace = g_timeout_add (STOP_GRACE_MS, on_grace_over, &grace_over);

      while (acceptor->running > 0 && !grace_over)
        g_main_context_iteration (NULL, TRUE);
      if (!grace_over)
        g_source_remove (grace);
    }
  for (guint i = 0; i < acceptor->watches->len; i++)
    {
      Watch *watch = g_ptr_array_index (acceptor->watches, i);

      if (watch->transfer != NULL)
        g_signal_handlers_disconnect_by_data (watch->transfer, watch);
    }
  for (guint i = 0; i < acceptor->offers->len; i++)
    {
      Accepted *accepted = g_ptr_array_index (acceptor->offers, i);

      if (!accepted->released)
        {
          accepted->released = TRUE;
          lan_messenger_release_files (cli->messenger, accepted->offer);
        }
    }
  if (acceptor->failures > 0 && cli->exit_code == LAN_CLI_EXIT_OK)
    cli->exit_code = LAN_CLI_EXIT_FAILED;
  g_ptr_array_unref (acceptor->watches);
  g_ptr_array_unref (acceptor->offers);
  g_object_unref (acceptor->dir);
  g_free (acceptor);
  cli->accept_data = NULL;
}
