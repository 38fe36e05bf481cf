/* lan-inbox.c — incoming SENDMSG, READMSG and ANSREADMSG.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-inbox"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lan-bounds.h"
#include "lan-inbox.h"
#include "lan-message.h"
#include "lan-sealed.h"

/* Without a sender's BR_ENTRY to date its session, a repeat is looked for this far back. */
#define REPEAT_WINDOW_US ((gint64) G_USEC_PER_SEC * 3600)

/* One peer's newest packet numbers: a ring, searched whole (it is small). A
 * client that restarts within a second reuses packet numbers (they start
 * from the clock), so a peer's BR_ENTRY drops its window; and as that entry
 * may be lost, a repeat is a number *and* a text seen together: a restarted
 * peer's new "packet 1" is shown, a resend of the old one is not. */
typedef struct {
  char    *key;                                   /* "ip:port" */
  guint64  numbers[LAN_MESSENGER_SEEN_PER_PEER];
  guint    texts[LAN_MESSENGER_SEEN_PER_PEER];    /* g_str_hash of the text */
  gboolean unkept[LAN_MESSENGER_SEEN_PER_PEER];   /* shown, not stored: never acknowledged */
  guint    n;
  guint    next;
  GList    link;                                  /* in windows_lru; data = this */
} Window;

struct _LanInbox
{
  GObject               parent_instance;

  LanWire              *wire;
  LanPresence          *presence;
  LanConversationStore *store;
  LanSealed            *sealed;

  GHashTable           *windows;       /* "ip:port" → Window */
  GQueue                windows_lru;   /* least recently heard first */
  GHashTable           *sessions;      /* "ip:port" → gint64* time of its last BR_ENTRY */
};

G_DEFINE_FINAL_TYPE (LanInbox, lan_inbox, G_TYPE_OBJECT)

static void
window_free (Window *window)
{
  g_free (window->key);
  g_free (window);
}

static void
drop_window (LanInbox *self,
             Window   *window)
{
  g_queue_unlink (&self->windows_lru, &window->link);
  g_hash_table_remove (self->windows, window->key);
}

/* TRUE when @packet_no with @text from @key is a repeat; otherwise remembers it. */
static gboolean
seen_before (LanInbox   *self,
             const char *key,
             guint64     packet_no,
             const char *text)
{
  Window *window = g_hash_table_lookup (self->windows, key);
  guint text_hash = g_str_hash (text != NULL ? text : "");

  if (window != NULL)
    {
      for (guint i = 0; i < window->n; i++)
        if (window->numbers[i] == packet_no && window->texts[i] == text_hash)
          return TRUE;
      g_queue_unlink (&self->windows_lru, &window->link);
    }
  else
    {
      if (self->windows_lru.length >= LAN_MESSENGER_SEEN_PEERS)
        drop_window (self, g_queue_peek_head (&self->windows_lru));
      window = g_new0 (Window, 1);
      window->key = g_strdup (key);
      window->link.data = window;
      g_hash_table_insert (self->windows, window->key, window);
    }
  g_queue_push_tail_link (&self->windows_lru, &window->link);

  window->numbers[window->next] = packet_no;
  window->texts[window->next] = text_hash;
  window->unkept[window->next] = FALSE;
  window->next = (window->next + 1) % LAN_MESSENGER_SEEN_PER_PEER;
  window->n = MIN (window->n + 1, LAN_MESSENGER_SEEN_PER_PEER);
  return FALSE;
}

/* Slot of @packet_no in @key's window, or NULL. */
static gboolean *
unkept_slot (LanInbox   *self,
             const char *key,
             guint64     packet_no)
{
  Window *window = g_hash_table_lookup (self->windows, key);

  for (guint i = 0; window != NULL && i < window->n; i++)
    if (window->numbers[i] == packet_no)
      return &window->unkept[i];
  return NULL;
}

static void
forget_window (LanInbox   *self,
               const char *key)
{
  Window *window = g_hash_table_lookup (self->windows, key);

  if (window != NULL)
    drop_window (self, window);
}

void
lan_inbox_session_started (LanInbox   *self,
                           const char *key)
{
  gint64 *start = g_new (gint64, 1);

  forget_window (self, key);
  *start = g_get_real_time ();
  /* Forgetting is safe, it only widens the window in which history counts a repeat. */
  if (g_hash_table_size (self->sessions) >= LAN_MESSENGER_MAX_SESSIONS)
    g_hash_table_remove_all (self->sessions);
  g_hash_table_replace (self->sessions, g_strdup (key), start);
}

void
lan_inbox_session_ended (LanInbox   *self,
                         const char *key)
{
  forget_window (self, key);
}

static gboolean
stored_before (LanInbox   *self,
               const char *key,
               guint64     packet_no,
               const char *text)
{
  gint64 *session_start = g_hash_table_lookup (self->sessions, key);
  /* A sender's new session (its BR_ENTRY) may reuse packet numbers. */
  gint64 since = session_start != NULL ? *session_start : g_get_real_time () - REPEAT_WINDOW_US;

  return lan_conversation_store_is_repeat (self->store, key, packet_no, text, since);
}

static void
reply_ack (LanInbox         *self,
           LanPacketContext *context)
{
  g_autofree char *number = g_strdup_printf ("%" G_GUINT64_FORMAT, context->packet->packet_no);
  g_autoptr(GBytes) ack = lan_wire_build (self->wire, lan_wire_next_packet_no (self->wire),
                                          LAN_IPMSG_RECVMSG,
                                          (const guint8 *) number, strlen (number) + 1);

  lan_packet_context_reply (context, context->from, ack);
}

/* Acknowledged means kept: with a history that has failed (disk full, a
 * corrupt page, locked), a message can't be kept across a restart, so it is
 * shown but not acknowledged, and its sender reports it undelivered rather
 * than lost in silence. Its resends aren't acknowledged either. The same
 * for a stranger's message over the history budget (lan-history-budget.h).
 * Without a history by the user's choice, acknowledging on receipt stays
 * the rule. */
static gboolean
history_lost (LanInbox *self)
{
  return lan_conversation_store_get_history (self->store) == NULL &&
         lan_conversation_store_get_error (self->store) != NULL;
}

static void
reply_away (LanInbox         *self,
            LanPacketContext *context,
            LanPeer          *peer)
{
  const char *away_text = lan_presence_get_away_text (self->presence);
  guint32 command = LAN_IPMSG_SENDMSG | LAN_IPMSG_AUTORETOPT;
  const char *text = away_text != NULL && *away_text != '\0'
                     ? away_text : _("I am away from my computer right now.");
  LanDialect dialect = lan_wire_peer_dialect (self->wire, peer);
  g_autoptr(GBytes) body = lan_dialect_encode (&dialect, LAN_DIALECT_PEER_TEXT, text, &command, NULL);
  g_autoptr(GByteArray) extra = g_byte_array_new ();
  g_autoptr(GBytes) datagram = NULL;
  g_autoptr(LanMessage) message = NULL;
  guint64 packet_no = lan_wire_next_packet_no (self->wire);

  g_byte_array_append (extra, g_bytes_get_data (body, NULL), (guint) g_bytes_get_size (body));
  g_byte_array_append (extra, (const guint8 *) "", 1);
  datagram = lan_wire_build_to (self->wire, &dialect, packet_no, command, extra->data, extra->len);
  message = lan_message_new (LAN_DIRECTION_OUT, lan_peer_get_key (peer), text,
                             g_get_real_time (), packet_no);
  lan_message_set_auto_reply (message, TRUE);
  lan_message_set_attempts (message, 1);
  lan_message_set_state (message, LAN_MESSAGE_SENT);
  lan_conversation_store_add (self->store, lan_peer_get_identity (peer), lan_peer_get_key (peer), message);
  lan_packet_context_reply (context, context->from, datagram);
}

/* The records of an offer (SENDMSG|FILEATTACHOPT) with their names decoded
 * as the message text is, so the app and the CLI show files, not an empty
 * bubble. An unreadable list leaves the message without files and says why
 * in the log; records past the bound are dropped, and the log says that too. */
static void
set_offered_files (LanInbox         *self,
                   LanPacketContext *context,
                   LanPeer          *peer,
                   LanMessage       *message)
{
  const LanIpmsgPacket *packet = context->packet;
  LanIpmsgScan scratch;
  const LanIpmsgScan *scan = lan_ipmsg_packet_get_scan (packet, &scratch);
  const guint8 *extra = g_bytes_get_data (packet->extra, NULL);
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;
  guint offered;

  if (!(LAN_IPMSG_OPTIONS (packet->command) & LAN_IPMSG_FILEATTACHOPT) || !scan->has_file_list)
    return;
  files = lan_ipmsg_parse_file_list (extra + (scan->file_list.offset - scan->extra.offset),
                                     scan->file_list.length, &error);
  if (files == NULL)
    {
      lan_packet_context_verdict (context, LAN_VERDICT_MALFORMED,
                                  _("message shown without its files: the attachment list is unreadable (%s)"),
                                  error->message);
      return;
    }
  offered = files->len;
  if (files->len > LAN_OFFER_MAX_INCOMING_FILES)
    g_ptr_array_set_size (files, LAN_OFFER_MAX_INCOMING_FILES);
  for (guint i = 0; i < files->len; i++)
    {
      LanIpmsgFile *file = g_ptr_array_index (files, i);
      char *decoded = lan_wire_decode (self->wire, peer, packet, (const guint8 *) file->name, strlen (file->name));

      g_free (file->name);
      file->name = decoded;
    }
  if (offered > files->len)
    lan_packet_context_verdict (context, LAN_VERDICT_REJECTED,
                                _("%u files offered: only the first %u are kept"),
                                offered, files->len);
  lan_message_set_files (message, files);
}

static void
handle_sendmsg (LanPacketContext *context,
                gpointer          user_data)
{
  LanInbox *self = user_data;
  const LanIpmsgPacket *packet = context->packet;
  guint32 options = LAN_IPMSG_OPTIONS (packet->command);
  gboolean no_ack = (options & (LAN_IPMSG_BROADCASTOPT | LAN_IPMSG_AUTORETOPT)) != 0;
  gboolean wants_ack = (options & LAN_IPMSG_SENDCHECKOPT) && !no_ack &&
                       lan_sealed_may_acknowledge (packet->command);
  g_autofree char *from_key = lan_endpoint_to_string (context->from);
  g_autoptr(LanPeer) transient = NULL;
  g_autoptr(LanMessage) message = NULL;
  g_autofree char *text = lan_wire_decode_section (self->wire, context->peer, packet, 0);
  g_autofree char *shown = NULL;
  LanPeer *peer = context->peer;
  gboolean kept;

  /* A repeat in this session, or one we stored before a restart. */
  if (seen_before (self, from_key, packet->packet_no, text) ||
      stored_before (self, from_key, packet->packet_no, text))
    {
      gboolean *unkept = unkept_slot (self, from_key, packet->packet_no);

      lan_wire_get_stats (self->wire)->duplicates++;
      if (wants_ack && !history_lost (self) && (unkept == NULL || !*unkept))
        reply_ack (self, context);
      lan_packet_context_verdict (context, LAN_VERDICT_DUPLICATE,
                                  _("repeat of packet %llu from %s: acknowledged again, not shown"),
                                  (unsigned long long) packet->packet_no, from_key);
      return;
    }

  if (peer == NULL && !(options & LAN_IPMSG_NOADDLISTOPT))
    peer = lan_presence_add_sender (self->presence, context);
  else if (peer == NULL)
    {
      /* NOADDLISTOPT: show the message, keep the sender out of the list. */
      transient = lan_presence_make_peer (self->presence, context->from, packet);
      peer = transient;
    }

  shown = lan_sealed_shown_text (packet, text);
  message = lan_message_new (LAN_DIRECTION_IN, from_key, shown, g_get_real_time (), packet->packet_no);
  lan_sealed_arrived (self->sealed, message, context->from, packet);
  lan_message_set_broadcast (message, (options & LAN_IPMSG_BROADCASTOPT) != 0);
  lan_message_set_auto_reply (message, (options & LAN_IPMSG_AUTORETOPT) != 0);
  set_offered_files (self, context, peer, message);
  /* Committed before the acknowledgement below goes out: acknowledged means kept. */
  kept = lan_conversation_store_add (self->store, lan_peer_get_identity (peer), from_key, message) ||
         (lan_conversation_store_get_history (self->store) == NULL && !history_lost (self));
  if (!kept)
    {
      gboolean *unkept = unkept_slot (self, from_key, packet->packet_no);

      if (unkept != NULL)
        *unkept = TRUE;
    }
  lan_packet_context_arrival (context, peer, message);

  if (wants_ack && kept)
    reply_ack (self, context);
  if (lan_presence_get_away (self->presence) && !(options & (LAN_IPMSG_AUTORETOPT | LAN_IPMSG_BROADCASTOPT)) &&
      lan_rate_limit_auto_reply_due (lan_wire_get_rate_limit (self->wire), context->from, g_get_monotonic_time ()))
    reply_away (self, context, peer);
}

static void
handle_readmsg (LanPacketContext *context,
                gpointer          user_data)
{
  /* Sealed messages are not sent yet; a READMSG names nothing we wait on. */
  g_autofree char *text = lan_ipmsg_packet_dup_section (context->packet, 0);
  guint64 number = 0;

  if (text != NULL && g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, &number, NULL))
    lan_packet_context_verdict (context, LAN_VERDICT_UNMATCHED_REPLY,
                                _("read notice for packet %llu; we sent no sealed message"),
                                (unsigned long long) number);
  else
    lan_packet_context_verdict (context, LAN_VERDICT_UNMATCHED_REPLY, NULL);
}

static void
handle_delmsg (LanPacketContext *context,
               gpointer          user_data)
{
}

static void
lan_inbox_dispose (GObject *object)
{
  LanInbox *self = LAN_INBOX (object);

  if (self->wire != NULL)
    lan_wire_clear_handlers (self->wire, self);
  G_OBJECT_CLASS (lan_inbox_parent_class)->dispose (object);
}

static void
lan_inbox_finalize (GObject *object)
{
  LanInbox *self = LAN_INBOX (object);

  /* The links live in the windows, which the table frees. */
  g_queue_init (&self->windows_lru);
  g_clear_pointer (&self->windows, g_hash_table_unref);
  g_clear_pointer (&self->sessions, g_hash_table_unref);
  g_clear_object (&self->wire);
  g_clear_object (&self->presence);
  g_clear_object (&self->store);
  g_clear_object (&self->sealed);
  G_OBJECT_CLASS (lan_inbox_parent_class)->finalize (object);
}

static void
lan_inbox_class_init (LanInboxClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = lan_inbox_dispose;
  G_OBJECT_CLASS (klass)->finalize = lan_inbox_finalize;
}

static void
lan_inbox_init (LanInbox *self)
{
  self->windows = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) window_free);
  g_queue_init (&self->windows_lru);
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

LanInbox *
lan_inbox_new (LanWire              *wire,
               LanPresence          *presence,
               LanConversationStore *store)
{
  LanInbox *self = g_object_new (LAN_TYPE_INBOX, NULL);

  self->wire = g_object_ref (wire);
  self->presence = g_object_ref (presence);
  self->store = g_object_ref (store);
  lan_wire_set_handler (wire, LAN_IPMSG_SENDMSG, handle_sendmsg, self);
  lan_wire_set_handler (wire, LAN_IPMSG_READMSG, handle_readmsg, self);
  self->sealed = lan_sealed_new (wire);
  lan_wire_set_handler (wire, LAN_IPMSG_DELMSG, handle_delmsg, self);
  return self;
}
