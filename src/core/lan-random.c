/* lan-random.c — the kernel's CSPRNG, with a small pool so that a burst of
 * packet numbers costs one system call, not one each.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-random"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/random.h>
#include <unistd.h>

#include "lan-random.h"

static gboolean
fill_from_urandom (guint8 *buffer,
                   gsize   len)
{
  int fd = open ("/dev/urandom", O_RDONLY | O_CLOEXEC);
  gsize done = 0;

  if (fd < 0)
    return FALSE;
  while (done < len)
    {
      ssize_t n = read (fd, buffer + done, len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          close (fd);
          return FALSE;
        }
      done += (gsize) n;
    }
  close (fd);
  return TRUE;
}

void
lan_random_fill (void  *buffer,
                 gsize  len)
{
  guint8 *bytes = buffer;
  gsize done = 0;

  while (done < len)
    {
      ssize_t n = getrandom (bytes + done, len - done, 0);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          /* ENOSYS on an old kernel, or a seccomp filter: the device still works. */
          if (!fill_from_urandom (bytes + done, len - done))
            g_error ("no random numbers from the kernel: %s", g_strerror (errno));
          return;
        }
      done += (gsize) n;
    }
}

/* Main-loop only, like the engine that draws from it. */
static guint32 pool[64];
static guint pool_left;

static guint32
next_word (void)
{
  if (pool_left == 0)
    {
      lan_random_fill (pool, sizeof pool);
      pool_left = G_N_ELEMENTS (pool);
    }
  return pool[--pool_left];
}

guint32
lan_random_below (guint32 bound)
{
  guint32 limit;
  guint32 word;

  g_return_val_if_fail (bound > 0, 0);

  /* Reject the top of the range that doesn't divide evenly, so small
   * values aren't favoured. */
  limit = G_MAXUINT32 - (G_MAXUINT32 % bound);
  do
    word = next_word ();
  while (word >= limit);
  return word % bound;
}
