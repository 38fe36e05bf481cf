/* lan-file-transfer.c — the state of one transfer, as the app and the CLI read it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-file-transfer"

#include "config.h"

#include "lan-enums.h"
#include "lan-file-transfer.h"

/* Progress moves on every chunk; a person needs ten updates a second at most. */
#define NOTIFY_INTERVAL_US (G_USEC_PER_SEC / 10)
/* Rate is a moving average over about two seconds. */
#define RATE_WINDOW_US     (2 * G_USEC_PER_SEC)

struct _LanFileTransfer
{
  GObject           parent_instance;

  LanTransferKind   kind;
  LanTransferState  state;
  char             *peer_key;
  guint64           packet_no;
  guint64           file_id;
  char             *name;
  gboolean          is_directory;
  guint64           size;
  guint64           done;
  guint             files_done;
  double            rate;
  char             *error;
  GFile            *file;
  gint64            started;
  gint64            finished;

  /* Rate: bytes counted since the window began. */
  gint64            window_start;
  guint64           window_bytes;
  gint64            last_notify;
  gboolean          pending_notify;
};

enum {
  PROP_0,
  PROP_KIND,
  PROP_STATE,
  PROP_PEER_KEY,
  PROP_PACKET_NO,
  PROP_FILE_ID,
  PROP_NAME,
  PROP_IS_DIRECTORY,
  PROP_SIZE,
  PROP_DONE,
  PROP_FILES_DONE,
  PROP_RATE,
  PROP_SECONDS_LEFT,
  PROP_ERROR,
  PROP_FILE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (LanFileTransfer, lan_file_transfer, G_TYPE_OBJECT)

static void
lan_file_transfer_finalize (GObject *object)
{
  LanFileTransfer *self = LAN_FILE_TRANSFER (object);

  g_free (self->peer_key);
  g_free (self->name);
  g_free (self->error);
  g_clear_object (&self->file);
  G_OBJECT_CLASS (lan_file_transfer_parent_class)->finalize (object);
}

static void
lan_file_transfer_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  LanFileTransfer *self = LAN_FILE_TRANSFER (object);

  switch (prop_id)
    {
    case PROP_KIND: g_value_set_enum (value, self->kind); break;
    case PROP_STATE: g_value_set_enum (value, self->state); break;
    case PROP_PEER_KEY: g_value_set_string (value, self->peer_key); break;
    case PROP_PACKET_NO: g_value_set_uint64 (value, self->packet_no); break;
    case PROP_FILE_ID: g_value_set_uint64 (value, self->file_id); break;
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_IS_DIRECTORY: g_value_set_boolean (value, self->is_directory); break;
    case PROP_SIZE: g_value_set_uint64 (value, self->size); break;
    case PROP_DONE: g_value_set_uint64 (value, self->done); break;
    case PROP_FILES_DONE: g_value_set_uint (value, self->files_done); break;
    case PROP_RATE: g_value_set_double (value, self->rate); break;
    case PROP_SECONDS_LEFT: g_value_set_int64 (value, lan_file_transfer_get_seconds_left (self)); break;
    case PROP_ERROR: g_value_set_string (value, self->error); break;
    case PROP_FILE: g_value_set_object (value, self->file); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lan_file_transfer_class_init (LanFileTransferClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = lan_file_transfer_finalize;
  object_class->get_property = lan_file_transfer_get_property;

  properties[PROP_KIND] = g_param_spec_enum ("kind", NULL, NULL, LAN_TYPE_TRANSFER_KIND,
                                             LAN_TRANSFER_FETCH, flags);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, LAN_TYPE_TRANSFER_STATE,
                                              LAN_TRANSFER_WAITING, flags);
  properties[PROP_PEER_KEY] = g_param_spec_string ("peer-key", NULL, NULL, NULL, flags);
  properties[PROP_PACKET_NO] = g_param_spec_uint64 ("packet-no", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_FILE_ID] = g_param_spec_uint64 ("file-id", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_IS_DIRECTORY] = g_param_spec_boolean ("is-directory", NULL, NULL, FALSE, flags);
  properties[PROP_SIZE] = g_param_spec_uint64 ("size", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_DONE] = g_param_spec_uint64 ("done", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_FILES_DONE] = g_param_spec_uint ("files-done", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_RATE] = g_param_spec_double ("rate", NULL, NULL, 0, G_MAXDOUBLE, 0, flags);
  properties[PROP_SECONDS_LEFT] = g_param_spec_int64 ("seconds-left", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, flags);
  properties[PROP_FILE] = g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lan_file_transfer_init (LanFileTransfer *self)
{
}

LanFileTransfer *
lan_file_transfer_new (LanTransferKind  kind,
                       const char      *peer_key,
                       guint64          packet_no,
                       guint64          file_id,
                       const char      *name,
                       gboolean         is_directory,
                       guint64          size,
                       GFile           *file)
{
  LanFileTransfer *self;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (file == NULL || G_IS_FILE (file), NULL);

  self = g_object_new (LAN_TYPE_FILE_TRANSFER, NULL);
  self->kind = kind;
  self->peer_key = g_strdup (peer_key);
  self->packet_no = packet_no;
  self->file_id = file_id;
  self->name = g_strdup (name);
  self->is_directory = !!is_directory;
  self->size = size;
  self->file = file != NULL ? g_object_ref (file) : NULL;
  return self;
}

#define GETTER(type, name, field)                                   \
  type                                                              \
  lan_file_transfer_get_##name (LanFileTransfer *self)              \
  {                                                                 \
    g_return_val_if_fail (LAN_IS_FILE_TRANSFER (self), (type) 0);   \
    return self->field;                                             \
  }

GETTER (LanTransferKind, kind, kind)
GETTER (LanTransferState, state, state)
GETTER (const char *, peer_key, peer_key)
GETTER (guint64, packet_no, packet_no)
GETTER (guint64, file_id, file_id)
GETTER (const char *, name, name)
GETTER (gboolean, is_directory, is_directory)
GETTER (guint64, size, size)
GETTER (guint64, done, done)
GETTER (guint, files_done, files_done)
GETTER (double, rate, rate)
GETTER (const char *, error, error)
GETTER (GFile *, file, file)
GETTER (gint64, started, started)
GETTER (gint64, finished, finished)

#undef GETTER

gint64
lan_file_transfer_get_seconds_left (LanFileTransfer *self)
{
  g_return_val_if_fail (LAN_IS_FILE_TRANSFER (self), -1);

  if (self->state != LAN_TRANSFER_RUNNING || self->rate < 1.0 ||
      self->is_directory || self->size < self->done)
    return -1;
  return (gint64) ((double) (self->size - self->done) / self->rate + 0.5);
}

gboolean
lan_file_transfer_is_finished (LanFileTransfer *self)
{
  g_return_val_if_fail (LAN_IS_FILE_TRANSFER (self), FALSE);

  return self->state == LAN_TRANSFER_DONE || self->state == LAN_TRANSFER_FAILED ||
         self->state == LAN_TRANSFER_CANCELLED;
}

const char *
lan_transfer_state_to_string (LanTransferState state)
{
  switch (state)
    {
    case LAN_TRANSFER_WAITING: return "waiting";
    case LAN_TRANSFER_RUNNING: return "running";
    case LAN_TRANSFER_DONE: return "done";
    case LAN_TRANSFER_FAILED: return "failed";
    case LAN_TRANSFER_CANCELLED: return "cancelled";
    default: return "unknown";
    }
}

void
lan_file_transfer_flush (LanFileTransfer *self)
{
  g_return_if_fail (LAN_IS_FILE_TRANSFER (self));

  if (!self->pending_notify)
    return;
  self->pending_notify = FALSE;
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DONE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECONDS_LEFT]);
  g_object_thaw_notify (G_OBJECT (self));
}

void
lan_file_transfer_set_state (LanFileTransfer  *self,
                             LanTransferState  state,
                             const char       *error)
{
  g_return_if_fail (LAN_IS_FILE_TRANSFER (self));

  if (self->state == state && g_strcmp0 (self->error, error) == 0)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  if (state == LAN_TRANSFER_RUNNING && self->started == 0)
    self->started = g_get_monotonic_time ();
  if (state == LAN_TRANSFER_WAITING || state == LAN_TRANSFER_RUNNING)
    self->finished = 0;
  else if (self->finished == 0)
    self->finished = g_get_monotonic_time ();
  if (state != LAN_TRANSFER_RUNNING)
    {
      self->rate = 0;
      self->window_start = 0;
      self->window_bytes = 0;
      self->pending_notify = TRUE;
    }
  if (g_strcmp0 (self->error, error) != 0)
    {
      g_free (self->error);
      self->error = g_strdup (error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
    }
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  lan_file_transfer_flush (self);
  g_object_thaw_notify (G_OBJECT (self));
}

void
lan_file_transfer_set_size (LanFileTransfer *self,
                            guint64          size)
{
  g_return_if_fail (LAN_IS_FILE_TRANSFER (self));

  if (self->size == size)
    return;
  self->size = size;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIZE]);
}

void
lan_file_transfer_add_done (LanFileTransfer *self,
                            guint64          bytes,
                            gint64           now_us)
{
  g_return_if_fail (LAN_IS_FILE_TRANSFER (self));

  self->done += bytes;
  if (self->window_start == 0)
    self->window_start = now_us;
  self->window_bytes += bytes;
  if (now_us - self->window_start >= RATE_WINDOW_US / 4)
    {
      double seconds = (double) (now_us - self->window_start) / G_USEC_PER_SEC;
      double sample = (double) self->window_bytes / seconds;

      /* The newest quarter window weighs a quarter: steady, yet follows a change within seconds. */
      self->rate = self->rate > 0 ? 0.75 * self->rate + 0.25 * sample : sample;
      self->window_start = now_us;
      self->window_bytes = 0;
    }
  self->pending_notify = TRUE;
  if (now_us - self->last_notify >= NOTIFY_INTERVAL_US)
    {
      self->last_notify = now_us;
      lan_file_transfer_flush (self);
    }
}

void
lan_file_transfer_reset_done (LanFileTransfer *self,
                              guint64          done)
{
  g_return_if_fail (LAN_IS_FILE_TRANSFER (self));

  self->done = done;
  self->rate = 0;
  self->window_start = 0;
  self->window_bytes = 0;
  self->pending_notify = TRUE;
  lan_file_transfer_flush (self);
}

void
lan_file_transfer_add_file_done (LanFileTransfer *self)
{
  g_return_if_fail (LAN_IS_FILE_TRANSFER (self));

  self->files_done++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILES_DONE]);
}

void
lan_file_transfer_set_file (LanFileTransfer *self,
                            GFile           *file)
{
  g_return_if_fail (LAN_IS_FILE_TRANSFER (self));
  g_return_if_fail (file == NULL || G_IS_FILE (file));

  if (!g_set_object (&self->file, file))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
}
