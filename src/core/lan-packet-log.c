/* lan-packet-log.c — a ring of compact records; row objects made on demand.
 *
 * The model a view sees is a window [view_first, view_first + view_n) of
 * absolute entry numbers. It moves only when pending changes are flushed
 * (once per main-loop iteration), so between two items-changed emissions the
 * model keeps answering for exactly the rows it last announced, even while
 * a burst appends and evicts underneath.
 *
 * A record is 40 bytes; the datagram's bytes and the detail text go to an
 * arena of large chunks (lan-packet-log-arena.c), so logging a datagram
 * costs a memcpy and no allocation, and a million entries cost what their
 * bytes weigh plus 40 MB.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-packet-log"

#include "config.h"

#include <string.h>

#include "lan-ipmsg.h"
#include "lan-packet-log.h"
#include "lan-packet-log-arena.h"

enum {
  RECORD_USED = 1 << 0,
  RECORD_HAS_DETAIL = 1 << 1,
};

typedef struct {
  gint64   time_us;
  LanArenaRef where;      /* the bytes, then the detail NUL-terminated */
  guint32  len;
  guint32  local_address;
  guint32  remote_address;
  guint16  local_port;
  guint16  remote_port;
  guint8   direction;
  guint8   flags;
  guint8   verdict;
  guint8   state;
} Record;

G_STATIC_ASSERT (sizeof (Record) <= 40);

struct _LanPacketLog
{
  GObject  parent_instance;

  Record  *records;      /* slot of entry n is (n - 1) % capacity */
  guint    allocated;    /* slots allocated so far, grows up to capacity */
  guint    capacity;
  guint64  total;        /* entries ever appended; the newest is number `total` */
  guint64  floor;        /* entries below this number were cleared or evicted for bytes */
  guint64  dropped;      /* evicted to make room */
  guint64  dropped_notified;
  LanArena arena;
  gsize    byte_budget;

  LanPacketCounters counters;
  gboolean counters_dirty;

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

enum {
  COUNTERS_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

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
record_release (LanPacketLog *self,
                Record       *record)
{
  if (record->state & RECORD_USED)
    lan_arena_release (&self->arena, record->where);
  record->state = 0;
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
  const guint8 *data;
  g_autoptr(GBytes) bytes = NULL;

  if (position >= self->view_n)
    return NULL;

  number = self->view_first + position;
  record = record_for (self, number);
  if (record == NULL || !(record->state & RECORD_USED))
    /* Evicted since the view last moved: an empty row until the next flush removes it. */
    return lan_packet_log_entry_new_evicted (number);

  /* A copy: the arena's bytes are reused once the ring turns. */
  data = lan_arena_get (&self->arena, record->where);
  bytes = g_bytes_new (data, record->len);
  return lan_packet_log_entry_new (number, record->time_us, record->direction, record->flags,
                                   (LanEndpoint) { record->local_address, record->local_port },
                                   (LanEndpoint) { record->remote_address, record->remote_port },
                                   bytes, record->verdict,
                                   (record->state & RECORD_HAS_DETAIL) ? (const char *) data + record->len : NULL,
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
  /* The arena goes as a whole: no need to release record by record. */
  lan_arena_clear (&self->arena);
  g_clear_pointer (&self->records, g_free);
  self->allocated = 0;
}

static void
lan_packet_log_finalize (GObject *object)
{
  LanPacketLog *self = LAN_PACKET_LOG (object);

  cancel_flush (self);
  free_records (self);
  lan_arena_finish (&self->arena);
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

  signals[COUNTERS_CHANGED] =
    g_signal_new ("counters-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
lan_packet_log_init (LanPacketLog *self)
{
  self->capacity = LAN_PACKET_LOG_DEFAULT_CAPACITY;
  self->byte_budget = lan_packet_log_get_byte_budget (self->capacity);
  self->floor = 1;
  self->view_first = 1;
  lan_arena_init (&self->arena);
}

LanPacketLog *
lan_packet_log_new (guint capacity)
{
  LanPacketLog *self = g_object_new (LAN_TYPE_PACKET_LOG, NULL);

  if (capacity > 0)
    lan_packet_log_set_capacity (self, capacity);
  return self;
}

gsize
lan_packet_log_get_byte_budget (guint capacity)
{
  /* 512 bytes an entry is over twice a typical IPMsg datagram, so the count
   * is what limits ordinary traffic; the floor leaves a small log room for
   * a few hundred full-size datagrams. */
  return MAX ((gsize) 64 * 1024 * 1024, (gsize) capacity * 512);
}

void
lan_packet_log_flush (LanPacketLog *self)
{
  guint64 oldest = oldest_number (self);
  guint64 view_end;
  guint removed = 0;
  guint added;

  g_return_if_fail (LAN_IS_PACKET_LOG (self));

  cancel_flush (self);

  /* Keep ourselves alive: a handler may drop the last reference. */
  g_object_ref (self);

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
  if (self->dropped != self->dropped_notified)
    {
      self->dropped_notified = self->dropped;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DROPPED]);
    }
  if (self->counters_dirty)
    {
      self->counters_dirty = FALSE;
      g_signal_emit (self, signals[COUNTERS_CHANGED], 0);
    }

  g_object_unref (self);
}

static gboolean
flush_idle (gpointer user_data)
{
  LanPacketLog *self = user_data;

  lan_packet_log_flush (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_flush (LanPacketLog *self)
{
  if (self->flush_source != NULL)
    return;
  self->flush_source = g_idle_source_new ();
  g_source_set_callback (self->flush_source, flush_idle, self, NULL);
  g_source_set_static_name (self->flush_source, "[lanchat] packet log flush");
  /* Above the transport's socket (G_PRIORITY_DEFAULT_IDLE): a flood keeps
   * the socket ready, and the flush must still come once an iteration. */
  g_source_set_priority (self->flush_source, G_PRIORITY_DEFAULT);
  g_source_attach (self->flush_source, g_main_context_get_thread_default ());
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

/* Drop the oldest entries until the arena is within budget, never the newest. */
static void
evict_for_bytes (LanPacketLog *self)
{
  while (lan_arena_get_allocated (&self->arena) > self->byte_budget)
    {
      guint64 oldest = oldest_number (self);
      Record *record;

      if (oldest >= self->total)
        break;
      record = &self->records[(oldest - 1) % self->capacity];
      record_release (self, record);
      self->floor = oldest + 1;
      self->dropped++;
    }
}

/* @has_command: @command is the datagram's (the caller parsed it, or the
 * peek read it); otherwise it counts in no command. */
static void
count (LanPacketLog      *self,
       const LanDatagram *datagram,
       LanVerdict         verdict,
       gboolean           has_command,
       guint32            command)
{
  LanPacketCounters *counters = &self->counters;
  gboolean in = datagram->direction == LAN_DIRECTION_IN;

  /* A transfer's summary repeats its request, which was counted when it
   * was read or written. */
  if (datagram->flags & LAN_DATAGRAM_TRANSFER)
    return;
  if (in)
    {
      counters->packets_in++;
      counters->bytes_in += datagram->len;
    }
  else
    {
      counters->packets_out++;
      counters->bytes_out += datagram->len;
    }
  if ((guint) verdict < LAN_VERDICT_N)
    counters->verdicts[verdict]++;
  switch (verdict)
    {
    case LAN_VERDICT_MALFORMED: counters->malformed++; break;
    case LAN_VERDICT_DUPLICATE: counters->duplicates++; break;
    case LAN_VERDICT_RESEND: counters->resends++; break;
    default: break;
    }
  if (has_command)
    {
      if (in)
        counters->commands_in[LAN_IPMSG_MODE (command)]++;
      else
        counters->commands_out[LAN_IPMSG_MODE (command)]++;
    }
  self->counters_dirty = TRUE;
}

/* Details can quote what a peer sent; a line of it is enough. */
#define MAX_DETAIL 1024

static gsize
detail_length (const char *detail)
{
  gsize len = strnlen (detail, MAX_DETAIL + 1);
  const char *cut;

  if (len <= MAX_DETAIL)
    return len;
  /* Cut before the character that straddles the limit, keeping valid UTF-8. */
  cut = g_utf8_find_prev_char (detail, detail + MAX_DETAIL + 1);
  return cut != NULL ? (gsize) (cut - detail) : 0;
}

static void
append (LanPacketLog      *self,
        const LanDatagram *datagram,
        LanVerdict         verdict,
        const char        *detail,
        gboolean           has_command,
        guint32            command)
{
  guint64 number;
  guint index;
  Record *record;
  gsize detail_len;
  gsize len;
  guint8 *stored;

  count (self, datagram, verdict, has_command, command);

  number = ++self->total;
  index = (guint) ((number - 1) % self->capacity);
  ensure_slot (self, index);
  record = &self->records[index];
  if (record->state & RECORD_USED)
    {
      if (number - self->capacity >= self->floor)
        self->dropped++;
      record_release (self, record);
    }

  /* No UDP datagram is larger; whoever claims otherwise is cut, not trusted. */
  len = MIN (datagram->len, (gsize) LAN_IPMSG_MAX_DATAGRAM);
  detail_len = detail != NULL ? detail_length (detail) : 0;
  stored = lan_arena_alloc (&self->arena, len + (detail != NULL ? detail_len + 1 : 0), &record->where);
  if (len > 0)
    memcpy (stored, datagram->data, len);
  if (detail != NULL)
    {
      memcpy (stored + len, detail, detail_len);
      stored[len + detail_len] = '\0';
    }

  record->time_us = datagram->time_us;
  record->len = (guint32) len;
  record->local_address = datagram->local.address;
  record->local_port = datagram->local.port;
  record->remote_address = datagram->remote.address;
  record->remote_port = datagram->remote.port;
  record->direction = datagram->direction;
  record->flags = datagram->flags | (len < datagram->len ? LAN_DATAGRAM_TRUNCATED : 0);
  record->verdict = verdict;
  record->state = RECORD_USED | (detail != NULL ? RECORD_HAS_DETAIL : 0);

  evict_for_bytes (self);
  schedule_flush (self);
}

void
lan_packet_log_append (LanPacketLog      *self,
                       const LanDatagram *datagram,
                       LanVerdict         verdict,
                       const char        *detail)
{
  guint32 command = 0;
  gboolean has_command;

  g_return_if_fail (LAN_IS_PACKET_LOG (self));
  g_return_if_fail (datagram != NULL);

  has_command = verdict != LAN_VERDICT_MALFORMED &&
                lan_packet_peek_command (datagram->data, datagram->len, &command);
  append (self, datagram, verdict, detail, has_command, command);
}

void
lan_packet_log_append_parsed (LanPacketLog         *self,
                              const LanDatagram    *datagram,
                              const LanIpmsgPacket *packet,
                              LanVerdict            verdict,
                              const char           *detail)
{
  g_return_if_fail (LAN_IS_PACKET_LOG (self));
  g_return_if_fail (datagram != NULL);

  /* The caller's parse already said what the command is: the bytes are
   * copied, never read. */
  append (self, datagram, verdict, detail, packet != NULL && verdict != LAN_VERDICT_MALFORMED,
          packet != NULL ? packet->command : 0);
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
  memset (&self->counters, 0, sizeof self->counters);
  self->counters_dirty = FALSE;
  if (n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, n, 0);
  g_signal_emit (self, signals[COUNTERS_CHANGED], 0);
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
  self->byte_budget = lan_packet_log_get_byte_budget (capacity);
  for (guint64 n = keep_from; n <= self->total; n++)
    {
      Record *from = &old_records[(n - 1) % old_capacity];
      guint index = (guint) ((n - 1) % capacity);

      ensure_slot (self, index);
      self->records[index] = *from;
      from->state = 0;
    }
  for (guint i = 0; i < old_allocated; i++)
    record_release (self, &old_records[i]);
  g_free (old_records);

  self->dropped += keep_from - oldest_before;
  self->floor = MAX (self->floor, keep_from);
  evict_for_bytes (self);

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

const LanPacketCounters *
lan_packet_log_get_counters (LanPacketLog *self)
{
  g_return_val_if_fail (LAN_IS_PACKET_LOG (self), NULL);

  return &self->counters;
}

void
lan_packet_log_reset_counters (LanPacketLog *self)
{
  g_return_if_fail (LAN_IS_PACKET_LOG (self));

  memset (&self->counters, 0, sizeof self->counters);
  self->counters_dirty = TRUE;
  schedule_flush (self);
}

void
lan_packet_log_set_legacy_encoding (LanPacketLog *self,
                                    int           legacy)
{
  self->legacy = legacy;
}

gboolean
lan_packet_peek_command (const guint8 *data,
                         gsize         len,
                         guint32      *command)
{
  LanIpmsgScan scan;

  /* The header is all it reads: a counter sees every datagram. The
   * version and packet number need not read for the command to count. */
  lan_ipmsg_scan_header (data, len, &scan);
  if (!scan.command_valid)
    return FALSE;
  *command = scan.command;
  return TRUE;
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
