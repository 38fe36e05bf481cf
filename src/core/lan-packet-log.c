/* lan-packet-log.c — a ring of compact records; row objects made on demand.
 *
 * The model a view sees is a window [view_first, view_first + view_n) of
 * absolute entry numbers. It moves only when pending changes are flushed
 * (once per main-loop iteration), so between two items-changed emissions the
 * model keeps answering for exactly the rows it last announced, even while
 * a burst appends and evicts underneath.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "lan-packet-log.h"
#include "lan-packet-log-entry-private.h"

typedef struct {
  gint64       time_us;
  GBytes      *bytes;
  char        *detail;
  LanEndpoint  local;
  LanEndpoint  remote;
  guint8       direction;
  guint8       flags;
  guint8       verdict;
} Record;

struct _LanPacketLog
{
  GObject  parent_instance;

  Record  *records;      /* slot of entry n is (n - 1) % capacity */
  guint    allocated;    /* slots allocated so far, grows up to capacity */
  guint    capacity;
  guint64  total;        /* entries ever appended; the newest is number `total` */
  guint64  floor;        /* entries below this number were cleared */
  guint64  dropped;      /* evicted to make room */

  guint64  view_first;
  guint    view_n;
  GSource *flush_source;
  int      legacy;
};

enum {
  PROP_0,
  PROP_CAPACITY,
  PROP_DROPPED,
  PROP_TOTAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LanPacketLog, lan_packet_log, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static guint64
oldest_number (LanPacketLog *self)
{
  guint64 oldest = self->total >= self->capacity ? self->total - self->capacity + 1 : 1;

  return MAX (oldest, self->floor);
}

static Record *
record_for (LanPacketLog *self,
            guint64       number)
{
  if (number < oldest_number (self) || number > self->total)
    return NULL;
  return &self->records[(number - 1) % self->capacity];
}

static void
cancel_flush (LanPacketLog *self)
{
  if (self->flush_source != NULL)
    {
      g_source_destroy (self->flush_source);
      g_clear_pointer (&self->flush_source, g_source_unref);
    }
}

static void
record_clear (Record *record)
{
  g_clear_pointer (&record->bytes, g_bytes_unref);
  g_clear_pointer (&record->detail, g_free);
}

static GType
get_item_type (GListModel *model)
{
  return LAN_TYPE_PACKET_LOG_ENTRY;
}

static guint
get_n_items (GListModel *model)
{
  return LAN_PACKET_LOG (model)->view_n;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  LanPacketLog *self = LAN_PACKET_LOG (model);
  guint64 number;
  Record *record;

  if (position >= self->view_n)
    return NULL;

  number = self->view_first + position;
  record = record_for (self, number);
  if (record == NULL)
    /* Evicted since the view last moved: an empty row until the next flush removes it. */
    return lan_packet_log_entry_new_evicted (number);

  return lan_packet_log_entry_new (number, record->time_us, record->direction,
                                   record->flags, record->local, record->remote,
                                   record->bytes, record->verdict, record->detail,
                                   self->legacy);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
free_records (LanPacketLog *self)
{
  for (guint i = 0; i < self->allocated; i++)
    record_clear (&self->records[i]);
  g_clear_pointer (&self->records, g_free);
  self->allocated = 0;
}

static void
lan_packet_log_finalize (GObject *object)
{
  LanPacketLog *self = LAN_PACKET_LOG (object);

  cancel_flush (self);
  free_records (self);
  G_OBJECT_CLASS (lan_packet_log_parent_class)->finalize (object);
}

static void
lan_packet_log_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  LanPacketLog *self = LAN_PACKET_LOG (object);

  switch (prop_id)
    {
    case PROP_CAPACITY: g_value_set_uint (value, self->capacity); break;
    case PROP_DROPPED: g_value_set_uint64 (value, self->dropped); break;
    case PROP_TOTAL: g_value_set_uint64 (value, self->total); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lan_packet_log_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  LanPacketLog *self = LAN_PACKET_LOG (object);

  switch (prop_id)
    {
    case PROP_CAPACITY: lan_packet_log_set_capacity (self, g_value_get_uint (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lan_packet_log_class_init (LanPacketLogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lan_packet_log_finalize;
  object_class->get_property = lan_packet_log_get_property;
  object_class->set_property = lan_packet_log_set_property;

  properties[PROP_CAPACITY] =
    g_param_spec_uint ("capacity", NULL, NULL, 1, LAN_PACKET_LOG_MAX_CAPACITY,
                       LAN_PACKET_LOG_DEFAULT_CAPACITY,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DROPPED] =
    g_param_spec_uint64 ("dropped", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TOTAL] =
    g_param_spec_uint64 ("total", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lan_packet_log_init (LanPacketLog *self)
{
  self->capacity = LAN_PACKET_LOG_DEFAULT_CAPACITY;
  self->floor = 1;
  self->view_first = 1;
}

LanPacketLog *
lan_packet_log_new (guint capacity)
{
  LanPacketLog *self = g_object_new (LAN_TYPE_PACKET_LOG, NULL);

  if (capacity > 0)
    lan_packet_log_set_capacity (self, capacity);
  return self;
}

void
lan_packet_log_flush (LanPacketLog *self)
{
  guint64 oldest = oldest_number (self);
  guint64 view_end;
  guint removed = 0;
  guint added;
  guint64 dropped_before = self->dropped;

  cancel_flush (self);

  if (oldest > self->view_first)
    {
      removed = (guint) MIN (oldest - self->view_first, (guint64) self->view_n);
      self->view_n -= removed;
      self->view_first = self->view_n > 0 ? self->view_first + removed : oldest;
      if (removed > 0)
        g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);
    }

  view_end = self->view_first + self->view_n;
  added = self->total + 1 > view_end ? (guint) (self->total + 1 - view_end) : 0;
  if (added > 0)
    {
      self->view_n += added;
      g_list_model_items_changed (G_LIST_MODEL (self), self->view_n - added, 0, added);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
    }
  if (dropped_before != self->dropped || removed > 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DROPPED]);
}

static gboolean
flush_idle (gpointer user_data)
{
  LanPacketLog *self = user_data;

  lan_packet_log_flush (self);
  return G_SOURCE_REMOVE;
}

static void
ensure_slot (LanPacketLog *self,
             guint         index)
{
  guint wanted;

  if (index < self->allocated)
    return;
  wanted = MIN (self->capacity, MAX (index + 1, MAX (self->allocated * 2, 1024u)));
  self->records = g_renew (Record, self->records, wanted);
  memset (self->records + self->allocated, 0, sizeof (Record) * (wanted - self->allocated));
  self->allocated = wanted;
}

void
lan_packet_log_append (LanPacketLog      *self,
                       const LanDatagram *datagram,
                       LanVerdict         verdict,
                       const char        *detail)
{
  guint64 number;
  guint index;
  Record *record;

  g_return_if_fail (LAN_IS_PACKET_LOG (self));

  number = ++self->total;
  index = (guint) ((number - 1) % self->capacity);
  ensure_slot (self, index);
  record = &self->records[index];
  if (record->bytes != NULL)
    {
      if (number - self->capacity >= self->floor)
        self->dropped++;
      record_clear (record);
    }

  record->time_us = datagram->time_us;
  record->bytes = g_bytes_new (datagram->data, datagram->len);
  record->detail = g_strdup (detail);
  record->local = datagram->local;
  record->remote = datagram->remote;
  record->direction = datagram->direction;
  record->flags = datagram->flags;
  record->verdict = verdict;

  if (self->flush_source == NULL)
    {
      self->flush_source = g_idle_source_new ();
      g_source_set_callback (self->flush_source, flush_idle, self, NULL);
      g_source_set_static_name (self->flush_source, "[lanchat] packet log flush");
      g_source_attach (self->flush_source, g_main_context_get_thread_default ());
    }
}

void
lan_packet_log_clear (LanPacketLog *self)
{
  guint n = self->view_n;

  g_return_if_fail (LAN_IS_PACKET_LOG (self));

  cancel_flush (self);
  free_records (self);
  self->floor = self->total + 1;
  self->view_first = self->floor;
  self->view_n = 0;
  if (n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, n, 0);
}

guint
lan_packet_log_get_capacity (LanPacketLog *self)
{
  return self->capacity;
}

void
lan_packet_log_set_capacity (LanPacketLog *self,
                             guint         capacity)
{
  Record *old_records;
  guint old_allocated, old_capacity;
  guint64 keep_from, oldest_before;

  g_return_if_fail (LAN_IS_PACKET_LOG (self));

  capacity = CLAMP (capacity, 1, LAN_PACKET_LOG_MAX_CAPACITY);
  if (capacity == self->capacity)
    return;

  lan_packet_log_flush (self);

  /* Re-slot the newest entries that still fit into a ring of the new size. */
  old_records = g_steal_pointer (&self->records);
  old_allocated = self->allocated;
  old_capacity = self->capacity;
  oldest_before = oldest_number (self);
  keep_from = MAX (oldest_before, self->total >= capacity ? self->total - capacity + 1 : 1);
  self->allocated = 0;
  self->capacity = capacity;
  for (guint64 n = keep_from; n <= self->total; n++)
    {
      Record *from = &old_records[(n - 1) % old_capacity];
      guint index = (guint) ((n - 1) % capacity);

      ensure_slot (self, index);
      self->records[index] = *from;
      memset (from, 0, sizeof *from);
    }
  for (guint i = 0; i < old_allocated; i++)
    record_clear (&old_records[i]);
  g_free (old_records);

  self->dropped += keep_from - oldest_before;
  self->floor = MAX (self->floor, keep_from);

  lan_packet_log_flush (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAPACITY]);
}

guint64
lan_packet_log_get_dropped (LanPacketLog *self)
{
  return self->dropped;
}

guint64
lan_packet_log_get_total (LanPacketLog *self)
{
  return self->total;
}

void
lan_packet_log_set_legacy_encoding (LanPacketLog *self,
                                    int           legacy)
{
  self->legacy = legacy;
}

const char *
lan_verdict_to_string (LanVerdict verdict)
{
  static const char * const names[LAN_VERDICT_N] = {
    [LAN_VERDICT_OK] = "ok",
    [LAN_VERDICT_MALFORMED] = "malformed",
    [LAN_VERDICT_DUPLICATE] = "duplicate",
    [LAN_VERDICT_UNMATCHED_REPLY] = "unmatched-reply",
    [LAN_VERDICT_WRONG_ADDRESS] = "wrong-address",
    [LAN_VERDICT_TRUNCATED] = "truncated",
    [LAN_VERDICT_SEND_ERROR] = "send-error",
    [LAN_VERDICT_OWN] = "own",
    [LAN_VERDICT_SPOOFED] = "spoofed",
    [LAN_VERDICT_UNKNOWN_COMMAND] = "unknown-command",
    [LAN_VERDICT_RESEND] = "resend",
    [LAN_VERDICT_REJECTED] = "rejected",
  };

  if ((guint) verdict < LAN_VERDICT_N)
    return names[verdict];
  return "unknown";
}
