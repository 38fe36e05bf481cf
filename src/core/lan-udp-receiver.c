/* lan-udp-receiver.c — the reader thread, its ring and the main-context
 * GSource that empties it (or, without the thread, reads the sockets).
 *
 * The only state the thread shares with the main context is the ring (a
 * single-producer single-consumer byte ring: the thread owns head, the
 * main context tail, each published with atomics) and the counters, all
 * atomics. The reads themselves use recvmmsg() because GLib's
 * receive_messages() returns neither IP_PKTINFO (which address and
 * interface a datagram came to) nor the SO_RXQ_OVFL drop counter.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-udp-receiver"

/* recvmmsg() */
#define _GNU_SOURCE

#include "config.h"

#include "lan-udp-receiver.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

/* Larger than any UDP payload over IPv4: a datagram never arrives cut. */
#define DATAGRAM_BUFFER   65536
#define BATCH_SIZE        16
/* Hand datagrams on for at most this long per dispatch: long enough that a
 * frame of the UI between two dispatches doesn't cap the rate, short
 * enough that a flood can't starve the UI. */
#define DELIVER_BUDGET_US 8000
/* The ring: about a second of a 40 000 pkt/s flood of small datagrams, far
 * more than the longest frame; the bytes bound a flood of large ones. */
#define RING_BYTES        (8u * 1024 * 1024)
#define RING_MAX_COUNT    65536
/* Handed on below drawing while the ring has room; above it from an eighth
 * full until a sixty-fourth is left (adapt_priority). */
#define RING_BEHIND_COUNT (RING_MAX_COUNT / 8)
#define RING_BEHIND_BYTES (RING_BYTES / 8)
#define RING_CAUGHT_UP_COUNT (RING_MAX_COUNT / 64)
#define RING_CAUGHT_UP_BYTES (RING_BYTES / 64)
/* Parenthesised: it is multiplied by an index. */
#define CONTROL_SIZE      (CMSG_SPACE (sizeof (struct in_pktinfo)) + CMSG_SPACE (sizeof (guint32)))
#define RECORD_WRAP       G_MAXUINT32
#define ALIGN8(n)         (((n) + 7u) & ~7u)

G_STATIC_ASSERT ((RING_BYTES & (RING_BYTES - 1)) == 0);

typedef struct {
  gint64  time_us;
  guint32 len;     /* RECORD_WRAP: the rest of the ring is unused, go to its start */
  guint32 remote_address;
  guint32 local_address;
  guint16 remote_port;
  guint16 flags;
} RecordHeader;

typedef struct {
  LanUdpReceiverSocket config;
  guint32              ovfl;     /* this socket's SO_RXQ_OVFL count; reader side only */
} Socket;

typedef struct {
  guint8        *buffers;
  guint8        *controls;
  LanDatagram    datagrams[BATCH_SIZE];
} Batch;

typedef struct {
  GSource         source;
  LanUdpReceiver *receiver;
} ReceiverSource;

struct _LanUdpReceiver
{
  Socket            *sockets;
  guint              n_sockets;
  guint16            port;
  guint64            drops_before;
  gboolean           threaded;
  LanUdpDeliverFunc  deliver;
  gpointer           user_data;
  GSource           *source;
  gpointer          *fd_tags;

  /* Read in the reader thread, or on the main context when direct. */
  Batch              batch;

  /* Threaded only. */
  GThread           *thread;
  int                stop_fd;   /* main → thread: stop */
  int                wake_fd;   /* thread → main: the ring has datagrams */
  int                stopping;  /* atomic */
  int                notified;  /* atomic: wake_fd was written since the main context last read it */
  int                failed;    /* atomic: the thread stopped on its own; poll_errno says why */
  int                poll_errno;
  guint8            *ring;
  guint32            head;      /* atomic; written by the thread */
  guint32            tail;      /* atomic; written by the main context */
  guint              count;     /* atomic: records in the ring */
  GMutex             priority_lock;
  gboolean           behind;    /* under priority_lock: dispatched above drawing until caught up */

  guint64            kernel_drops;  /* atomic */
  guint64            queue_drops;   /* atomic */
};

static void
add_atomic64 (guint64 *counter,
              guint64  n)
{
  __atomic_add_fetch (counter, n, __ATOMIC_RELAXED);
}

static guint64
get_atomic64 (guint64 *counter)
{
  return __atomic_load_n (counter, __ATOMIC_RELAXED);
}

static void
read_control (struct msghdr *hdr,
              guint32       *local,
              int           *ifindex,
              guint32       *ovfl)
{
  for (struct cmsghdr *cmsg = CMSG_FIRSTHDR (hdr); cmsg != NULL; cmsg = CMSG_NXTHDR (hdr, cmsg))
    {
      if (cmsg->cmsg_level == IPPROTO_IP && cmsg->cmsg_type == IP_PKTINFO)
        {
          struct in_pktinfo info;

          memcpy (&info, CMSG_DATA (cmsg), sizeof info);
          *local = ntohl (info.ipi_addr.s_addr);
          *ifindex = info.ipi_ifindex;
        }
      else if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SO_RXQ_OVFL)
        memcpy (ovfl, CMSG_DATA (cmsg), sizeof *ovfl);
    }
}

static void
update_kernel_drops (LanUdpReceiver *self)
{
  guint64 total = self->drops_before;

  for (guint i = 0; i < self->n_sockets; i++)
    total += self->sockets[i].ovfl;
  __atomic_store_n (&self->kernel_drops, total, __ATOMIC_RELAXED);
}

/* Reads one batch from @socket into self->batch; returns how many datagrams
 * were kept (0 too when the batch was all another interface's), -1 when
 * there was nothing to read. *full: the batch was full, read again. */
static int
read_batch (LanUdpReceiver *self,
            Socket         *socket,
            gboolean       *full)
{
  struct mmsghdr msgs[BATCH_SIZE];
  struct iovec iovs[BATCH_SIZE];
  struct sockaddr_in addrs[BATCH_SIZE];
  guint32 ovfl = socket->ovfl;
  gint64 now;
  int n, kept = 0;

  memset (msgs, 0, sizeof msgs);
  for (guint i = 0; i < BATCH_SIZE; i++)
    {
      iovs[i].iov_base = self->batch.buffers + (gsize) i * DATAGRAM_BUFFER;
      iovs[i].iov_len = DATAGRAM_BUFFER;
      msgs[i].msg_hdr.msg_iov = &iovs[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
      msgs[i].msg_hdr.msg_name = &addrs[i];
      msgs[i].msg_hdr.msg_namelen = sizeof addrs[i];
      msgs[i].msg_hdr.msg_control = self->batch.controls + (gsize) i * CONTROL_SIZE;
      msgs[i].msg_hdr.msg_controllen = CONTROL_SIZE;
    }

  *full = FALSE;
  n = recvmmsg (socket->config.fd, msgs, BATCH_SIZE, MSG_DONTWAIT, NULL);
  if (n <= 0)
    return -1;
  *full = n == BATCH_SIZE;

  now = g_get_real_time ();
  for (int i = 0; i < n; i++)
    {
      LanDatagram *datagram = &self->batch.datagrams[kept];
      guint32 local = 0;
      int ifindex = 0;

      read_control (&msgs[i].msg_hdr, &local, &ifindex, &ovfl);
      if (socket->config.ifindex != 0 && ifindex != socket->config.ifindex)
        continue;
      memset (datagram, 0, sizeof *datagram);
      datagram->time_us = now;
      datagram->direction = LAN_DIRECTION_IN;
      datagram->local.address = local;
      datagram->local.port = self->port;
      datagram->remote.address = ntohl (addrs[i].sin_addr.s_addr);
      datagram->remote.port = ntohs (addrs[i].sin_port);
      datagram->data = iovs[i].iov_base;
      datagram->len = msgs[i].msg_len;
      if (msgs[i].msg_hdr.msg_flags & MSG_TRUNC)
        datagram->flags |= LAN_DATAGRAM_TRUNCATED;
      if (local == 0xffffffffu || socket->config.broadcast)
        datagram->flags |= LAN_DATAGRAM_BROADCAST;
      kept++;
    }
  if (ovfl != socket->ovfl)
    {
      socket->ovfl = ovfl;
      update_kernel_drops (self);
    }
  return kept;
}

/* Thread side: copy @datagram into the ring, or count it dropped. */
static gboolean
ring_push (LanUdpReceiver    *self,
           const LanDatagram *datagram)
{
  guint32 need = ALIGN8 (sizeof (RecordHeader) + (guint32) datagram->len);
  guint32 head = self->head;
  guint32 tail = __atomic_load_n (&self->tail, __ATOMIC_ACQUIRE);
  guint32 offset = head & (RING_BYTES - 1);
  guint32 contiguous = RING_BYTES - offset;
  guint32 skip = contiguous < need ? contiguous : 0;
  RecordHeader header;

  if ((head + skip + need) - tail > RING_BYTES ||
      __atomic_load_n (&self->count, __ATOMIC_ACQUIRE) >= RING_MAX_COUNT)
    {
      add_atomic64 (&self->queue_drops, 1);
      return FALSE;
    }
  if (skip != 0)
    {
      /* Too short for a header: the reader skips it by the same rule. */
      if (contiguous >= sizeof header)
        {
          RecordHeader wrap = { .len = RECORD_WRAP };

          memcpy (self->ring + offset, &wrap, sizeof wrap);
        }
      head += skip;
      offset = 0;
    }

  header.time_us = datagram->time_us;
  header.len = (guint32) datagram->len;
  header.remote_address = datagram->remote.address;
  header.local_address = datagram->local.address;
  header.remote_port = datagram->remote.port;
  header.flags = (guint16) datagram->flags;
  memcpy (self->ring + offset, &header, sizeof header);
  memcpy (self->ring + offset + sizeof header, datagram->data, datagram->len);

  __atomic_store_n (&self->head, head + need, __ATOMIC_RELEASE);
  __atomic_add_fetch (&self->count, 1, __ATOMIC_RELEASE);
  return TRUE;
}

static void
notify_main (LanUdpReceiver *self)
{
  guint64 one = 1;

  /* Pairs with the fence in source_dispatch: the head stored before is
   * seen by the main side, or this exchange sees its clear and writes. */
  __atomic_thread_fence (__ATOMIC_SEQ_CST);
  if (__atomic_exchange_n (&self->notified, 1, __ATOMIC_SEQ_CST) == 0)
    (void) !write (self->wake_fd, &one, sizeof one);
}

/* Below drawing, a frame that takes longer than the ring's headroom would
 * cost datagrams: GTK's GL renderer on a software rasterizer (llvmpipe)
 * takes 100–300 ms a frame on a busy two-core machine, and the window
 * redraws as long as the log grows. So once the ring is an eighth full the
 * datagrams go first, and the window draws again when they are handed on:
 * under a flood it draws less often rather than lose what it shows. Called
 * by the thread after it adds (a source below a ready one is not even
 * prepared, so only the thread can see the ring fill while the main side
 * draws) and by the main side after it hands on; the lock keeps the
 * priority what the flag says. */
static void
adapt_priority (LanUdpReceiver *self)
{
  guint count = __atomic_load_n (&self->count, __ATOMIC_ACQUIRE);
  guint32 bytes = __atomic_load_n (&self->head, __ATOMIC_ACQUIRE) -
                  __atomic_load_n (&self->tail, __ATOMIC_ACQUIRE);

  g_mutex_lock (&self->priority_lock);
  if (!self->behind && (count >= RING_BEHIND_COUNT || bytes >= RING_BEHIND_BYTES))
    {
      self->behind = TRUE;
      g_source_set_priority (self->source, G_PRIORITY_DEFAULT);
    }
  else if (self->behind && count <= RING_CAUGHT_UP_COUNT && bytes <= RING_CAUGHT_UP_BYTES)
    {
      self->behind = FALSE;
      g_source_set_priority (self->source, G_PRIORITY_DEFAULT_IDLE);
    }
  g_mutex_unlock (&self->priority_lock);
}

static gpointer
reader_thread (gpointer data)
{
  LanUdpReceiver *self = data;
  struct pollfd *fds = g_new0 (struct pollfd, self->n_sockets + 1);

  for (guint i = 0; i < self->n_sockets; i++)
    {
      fds[i].fd = self->sockets[i].config.fd;
      fds[i].events = POLLIN;
    }
  fds[self->n_sockets].fd = self->stop_fd;
  fds[self->n_sockets].events = POLLIN;

  while (!__atomic_load_n (&self->stopping, __ATOMIC_ACQUIRE))
    {
      if (poll (fds, self->n_sockets + 1, -1) < 0)
        {
          guint64 one = 1;

          if (errno == EINTR)
            continue;
          /* The main side warns and reads the sockets itself from now on. */
          self->poll_errno = errno;
          __atomic_store_n (&self->failed, 1, __ATOMIC_RELEASE);
          (void) !write (self->wake_fd, &one, sizeof one);
          break;
        }
      if (fds[self->n_sockets].revents != 0)
        break;

      for (guint i = 0; i < self->n_sockets; i++)
        {
          gboolean full = TRUE;

          if (fds[i].revents == 0)
            continue;
          /* Bounded, so that one flooded socket cannot starve the others
           * nor the stop request. */
          for (guint round = 0; full && round < 64; round++)
            {
              int kept = read_batch (self, &self->sockets[i], &full);

              for (int j = 0; j < kept; j++)
                ring_push (self, &self->batch.datagrams[j]);
              if (kept > 0)
                {
                  adapt_priority (self);
                  notify_main (self);
                }
            }
        }
    }

  g_free (fds);
  return NULL;
}

/* Main side: hand on what the ring holds, until @deadline. */
static void
deliver_ring (LanUdpReceiver *self,
              GSource        *source,
              gint64          deadline)
{
  guint32 tail = self->tail;
  guint32 head = __atomic_load_n (&self->head, __ATOMIC_ACQUIRE);
  guint delivered = 0;

  while (tail != head && !g_source_is_destroyed (source))
    {
      guint32 offset = tail & (RING_BYTES - 1);
      guint32 contiguous = RING_BYTES - offset;
      RecordHeader header;
      LanDatagram datagram = { 0 };

      if (contiguous < sizeof header)
        {
          tail += contiguous;
          continue;
        }
      memcpy (&header, self->ring + offset, sizeof header);
      if (header.len == RECORD_WRAP)
        {
          tail += contiguous;
          continue;
        }

      datagram.time_us = header.time_us;
      datagram.direction = LAN_DIRECTION_IN;
      datagram.flags = header.flags;
      datagram.local.address = header.local_address;
      datagram.local.port = self->port;
      datagram.remote.address = header.remote_address;
      datagram.remote.port = header.remote_port;
      datagram.data = self->ring + offset + sizeof header;
      datagram.len = header.len;
      self->deliver (&datagram, self->user_data);

      /* Published only now: the handler read the datagram in place. */
      tail += ALIGN8 (sizeof header + header.len);
      __atomic_store_n (&self->tail, tail, __ATOMIC_RELEASE);
      __atomic_sub_fetch (&self->count, 1, __ATOMIC_RELEASE);
      /* The clock is read every few datagrams: it is not free. */
      if (++delivered % 16 == 0 && g_get_monotonic_time () >= deadline)
        break;
      if (tail == head)
        head = __atomic_load_n (&self->head, __ATOMIC_ACQUIRE);
    }
  __atomic_store_n (&self->tail, tail, __ATOMIC_RELEASE);
}

/* Main side, without the thread: read the sockets until @deadline. */
static void
deliver_direct (LanUdpReceiver *self,
                GSource        *source,
                gint64          deadline)
{
  for (guint i = 0; i < self->n_sockets && !g_source_is_destroyed (source); i++)
    {
      gboolean full = TRUE;

      if (!(g_source_query_unix_fd (source, self->fd_tags[i]) & G_IO_IN))
        continue;
      for (guint batch = 0; full && !g_source_is_destroyed (source) &&
                            (batch == 0 || g_get_monotonic_time () < deadline); batch++)
        {
          int kept = read_batch (self, &self->sockets[i], &full);

          for (int j = 0; j < kept && !g_source_is_destroyed (source); j++)
            self->deliver (&self->batch.datagrams[j], self->user_data);
        }
    }
}

static gboolean
ring_ready (LanUdpReceiver *self)
{
  return __atomic_load_n (&self->head, __ATOMIC_ACQUIRE) != self->tail;
}

static gboolean
source_prepare (GSource *source,
                int     *timeout)
{
  LanUdpReceiver *self = ((ReceiverSource *) source)->receiver;

  *timeout = -1;
  return self->threaded && ring_ready (self);
}

static gboolean
source_check (GSource *source)
{
  LanUdpReceiver *self = ((ReceiverSource *) source)->receiver;

  if (self->threaded)
    return ring_ready (self) || (g_source_query_unix_fd (source, self->fd_tags[0]) & G_IO_IN);
  for (guint i = 0; i < self->n_sockets; i++)
    if (g_source_query_unix_fd (source, self->fd_tags[i]) & G_IO_IN)
      return TRUE;
  return FALSE;
}

/* The thread is gone (poll failed): join it, then read the sockets on the
 * main context as without a thread. */
static void
fall_back_to_direct (LanUdpReceiver *self,
                     GSource        *source)
{
  g_warning ("the UDP reader thread stopped (poll: %s); reading on the main loop",
             g_strerror (self->poll_errno));
  g_thread_join (g_steal_pointer (&self->thread));
  g_source_remove_unix_fd (source, self->fd_tags[0]);
  g_free (self->fd_tags);
  self->fd_tags = g_new0 (gpointer, self->n_sockets);
  for (guint i = 0; i < self->n_sockets; i++)
    self->fd_tags[i] = g_source_add_unix_fd (source, self->sockets[i].config.fd, G_IO_IN);
  self->threaded = FALSE;
}

static gboolean
source_dispatch (GSource     *source,
                 GSourceFunc  callback,
                 gpointer     user_data)
{
  LanUdpReceiver *self = ((ReceiverSource *) source)->receiver;
  gint64 deadline = g_get_monotonic_time () + DELIVER_BUDGET_US;

  if (self->threaded)
    {
      guint64 value;

      /* Read, then clear: a write between the two is seen by this
       * dispatch, and every datagram after it writes again. */
      (void) !read (self->wake_fd, &value, sizeof value);
      __atomic_store_n (&self->notified, 0, __ATOMIC_SEQ_CST);
      /* Store then load of another variable: without a full fence the load
       * of head may pass the store, and a push in between goes unseen. */
      __atomic_thread_fence (__ATOMIC_SEQ_CST);
      deliver_ring (self, source, deadline);
      if (!g_source_is_destroyed (source))
        adapt_priority (self);
      if (__atomic_load_n (&self->failed, __ATOMIC_ACQUIRE) && !ring_ready (self))
        fall_back_to_direct (self, source);
    }
  else
    deliver_direct (self, source, deadline);
  return G_SOURCE_CONTINUE;
}

static void
receiver_destroy (LanUdpReceiver *self)
{
  if (self->stop_fd >= 0)
    close (self->stop_fd);
  if (self->wake_fd >= 0)
    close (self->wake_fd);
  g_mutex_clear (&self->priority_lock);
  g_free (self->ring);
  g_free (self->batch.buffers);
  g_free (self->batch.controls);
  g_free (self->sockets);
  g_free (self->fd_tags);
  g_free (self);
}

static void
source_finalize (GSource *source)
{
  /* Freed with the source, not before: the handler may free the receiver
   * from inside a dispatch that still walks the ring. */
  receiver_destroy (((ReceiverSource *) source)->receiver);
}

static GSourceFuncs source_funcs = {
  .prepare = source_prepare,
  .check = source_check,
  .dispatch = source_dispatch,
  .finalize = source_finalize,
};

gboolean
lan_udp_receiver_default_threaded (void)
{
  return g_strcmp0 (g_getenv ("LANCHAT_UDP_THREAD"), "0") != 0;
}

LanUdpReceiver *
lan_udp_receiver_new (const LanUdpReceiverSocket *sockets,
                      guint                       n_sockets,
                      guint16                     port,
                      guint64                     drops_before,
                      gboolean                    threaded,
                      GMainContext               *context,
                      LanUdpDeliverFunc           deliver,
                      gpointer                    user_data)
{
  LanUdpReceiver *self;
  guint n_fds;

  g_return_val_if_fail (n_sockets > 0, NULL);

  self = g_new0 (LanUdpReceiver, 1);
  self->sockets = g_new0 (Socket, n_sockets);
  for (guint i = 0; i < n_sockets; i++)
    self->sockets[i].config = sockets[i];
  self->n_sockets = n_sockets;
  self->port = port;
  self->drops_before = drops_before;
  self->kernel_drops = drops_before;
  self->deliver = deliver;
  self->user_data = user_data;
  self->stop_fd = -1;
  self->wake_fd = -1;
  g_mutex_init (&self->priority_lock);
  self->batch.buffers = g_malloc ((gsize) BATCH_SIZE * DATAGRAM_BUFFER);
  self->batch.controls = g_malloc0 ((gsize) BATCH_SIZE * CONTROL_SIZE);

  if (threaded)
    {
      self->stop_fd = eventfd (0, EFD_NONBLOCK | EFD_CLOEXEC);
      self->wake_fd = eventfd (0, EFD_NONBLOCK | EFD_CLOEXEC);
      if (self->stop_fd < 0 || self->wake_fd < 0)
        {
          g_warning ("eventfd: %s; reading on the main loop", g_strerror (errno));
          threaded = FALSE;
        }
    }
  self->threaded = threaded;

  self->source = g_source_new (&source_funcs, sizeof (ReceiverSource));
  ((ReceiverSource *) self->source)->receiver = self;
  g_source_set_static_name (self->source, "[lanchat] transport");
  /* Below drawing and input: under a flood there is always something to
   * hand on, and at the default priority it would starve the window's
   * redraws and the packet log's once-an-iteration flush alike. With the
   * thread, waiting costs no datagram (until the ring fills: adapt_priority). */
  g_source_set_priority (self->source, G_PRIORITY_DEFAULT_IDLE);
  n_fds = threaded ? 1 : n_sockets;
  self->fd_tags = g_new0 (gpointer, n_fds);
  for (guint i = 0; i < n_fds; i++)
    self->fd_tags[i] = g_source_add_unix_fd (self->source,
                                             threaded ? self->wake_fd : sockets[i].fd, G_IO_IN);

  /* Attached before the thread starts: the thread may set its priority. */
  g_source_attach (self->source, context);
  if (threaded)
    {
      self->ring = g_malloc (RING_BYTES);
      self->thread = g_thread_new ("lanchat-udp-reader", reader_thread, self);
    }
  return self;
}

void
lan_udp_receiver_free (LanUdpReceiver *self)
{
  GSource *source;

  if (self == NULL)
    return;
  if (self->thread != NULL)
    {
      guint64 one = 1;

      __atomic_store_n (&self->stopping, 1, __ATOMIC_RELEASE);
      (void) !write (self->stop_fd, &one, sizeof one);
      g_thread_join (g_steal_pointer (&self->thread));
    }
  source = g_steal_pointer (&self->source);
  g_source_destroy (source);
  /* The last reference, unless a dispatch is running: then GLib frees it,
   * and the receiver with it, when the dispatch returns. */
  g_source_unref (source);
}

guint64
lan_udp_receiver_get_kernel_drops (LanUdpReceiver *self)
{
  return get_atomic64 (&self->kernel_drops);
}

guint64
lan_udp_receiver_get_queue_drops (LanUdpReceiver *self)
{
  return get_atomic64 (&self->queue_drops);
}
