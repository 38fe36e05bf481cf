/* lan-bounds.h — how much of each table the network may fill.
 *
 * Anyone on the LAN can send us datagrams, so every table they feed has a
 * bound by count (and by bytes where that is cheap to track), and when a
 * bound is reached the oldest or least recently used entry goes, never the
 * process. They live here together so that a reader can see at once what a
 * flood can cost.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

/* Peers listed at once (LanPeerList); the one heard from least recently makes room. */
#define LAN_PEER_LIST_DEFAULT_MAX        4096
/* Each of a peer's names (nickname, user, host, group) is cut to this many
 * bytes when it comes in, so the list is bounded by bytes too: 4096 peers
 * hold at most 4 MiB of names however large the announcements. */
#define LAN_PEER_MAX_NAME_BYTES          256

/* Extra targets the user may add (a /20 at most); not fed by the network, but
 * every one of them gets each announcement. */
#define LAN_MESSENGER_MAX_TARGETS        4096
/* Extra targets go out this many at a time, so a /20 doesn't burst 4096 datagrams. */
#define LAN_MESSENGER_TARGETS_PER_TICK   64
#define LAN_MESSENGER_TARGET_TICK_MS     10

/* Messages waiting for an acknowledgement (LanSender), in all and per peer:
 * one peer that never answers can't take more than a quarter of the room
 * (a burst of 500 to one peer, as `lanchat-cli send --count 500` does, fits). */
#define LAN_MESSENGER_MAX_PENDING        4096
#define LAN_MESSENGER_MAX_PENDING_PER_PEER 1024

/* Delayed ANSENTRY answers waiting (LanPresence), one per source address at most. */
#define LAN_MESSENGER_MAX_ANSWERS        1024

/* Duplicate window (LanInbox): the last packet numbers seen from each peer,
 * and the peers for which a window is kept (least recently heard go first). */
#define LAN_MESSENGER_SEEN_PER_PEER      128
#define LAN_MESSENGER_SEEN_PEERS         4096
/* Senders whose session start (their BR_ENTRY) the inbox remembers, to date
 * the window in which a stored message counts as a repeat. */
#define LAN_MESSENGER_MAX_SESSIONS       LAN_PEER_LIST_DEFAULT_MAX

/* Our own packet numbers remembered (LanWire), to tell our broadcasts coming
 * back from spoofed ones. */
#define LAN_MESSENGER_OWN_WINDOW         1024

/* Conversations kept in memory (LanConversationStore), least recently used
 * go first; one asked for again is loaded from history. A conversation that
 * someone else still holds (the UI) stays alive and is found again. */
#define LAN_MESSENGER_MAX_CONVERSATIONS  256
/* Messages per conversation in memory; history keeps the rest. */
#define LAN_CONVERSATION_MAX_MESSAGES    5000
/* Bytes of message text per conversation in memory (the oldest go first, as
 * by count): 256 conversations can pin at most 256 MiB even of 64 KB messages. */
#define LAN_CONVERSATION_MAX_BYTES       (1024 * 1024)
/* Messages loaded from history into a conversation. */
#define LAN_CONVERSATION_LOAD_LIMIT      500
/* Peers whose last saved name and address the store remembers, so that a
 * flood of repeated entries costs no disk writes. */
#define LAN_MESSENGER_MAX_SAVED_PEERS    LAN_PEER_LIST_DEFAULT_MAX
/* A person's names, address and dialect are written to history at most this
 * often (lan-peer-seen-pacer.h), for at most this many people at a time. */
#define LAN_PEER_SEEN_PACE_MS            1000
#define LAN_PEER_SEEN_PACER_MAX          LAN_PEER_LIST_DEFAULT_MAX

/* Queued messages (LanOutbox) that go out to a returning person at once:
 * the next ones follow as these are acknowledged, so an announcement (real
 * or forged) never releases more than this many datagrams and their resends. */
#define LAN_OUTBOX_FLUSH_AT_ONCE         16
/* How long a peer that was asked (Refresh, the check while watching, a move)
 * has to answer before it counts as gone: above the 4 s answer delay. */
#define LAN_IDENTITY_PROBE_MS            6000
/* While the window is open (watching), this often the peers quiet for as
 * long are asked whether they are still there, at most this many each time. */
#define LAN_IDENTITY_WATCH_S             60
#define LAN_IDENTITY_WATCH_ASK           64

/* Our packet numbers (LanWire): the first is the clock in seconds plus a
 * random offset below this (2^24: still below 2^32 for 32-bit readers such as
 * iptux until 2106), each next one the last plus a random step in 1..this, so
 * a blind forger can neither guess a number nor the one after one it saw. */
#define LAN_PACKET_NO_START_SPREAD       (1u << 24)
#define LAN_PACKET_NO_MAX_STEP           16

/* Answers per source address (LanRateLimit): addresses whose bucket is kept
 * (least recently heard go first; one evicted starts again with a full
 * bucket, which costs a flood 4096 other addresses per extra burst); the
 * share of the bytes a source sent us that it earns back in answers; a
 * steady refill for quiet peers; and the most a bucket holds (a burst of
 * 500 acknowledgements, as `lanchat-cli send --count 500` asks for, fits).
 * Under a flood from one spoofed address the victim gets at most half the
 * flood's bytes plus the refill plus one burst. */
#define LAN_RATE_LIMIT_SOURCES           4096
#define LAN_RATE_LIMIT_EARN_PERCENT      50
#define LAN_RATE_LIMIT_BYTES_PER_S       2048
#define LAN_RATE_LIMIT_BURST_BYTES       16384
/* What our own messages (sends, resends, outbox flushes) leave in a bucket
 * for answers: a peer that restarts while we resend to it is still answered
 * when it announces itself (a few ANSENTRY), so it learns who we are. */
#define LAN_RATE_LIMIT_RESERVE_BYTES     2048
/* An automatic (away) reply goes to one address at most this often. */
#define LAN_AUTO_REPLY_INTERVAL_S        60

/* History written for strangers (LanHistoryBudget): senders we never wrote
 * to. Each may add this many rows and bytes of text a minute, and all of
 * them together this many: a flood of made-up senders writes at most 300
 * rows and 2 MiB a minute, whatever its size. Known people (we wrote to
 * them, now or in a stored conversation) are never throttled. Strangers
 * whose minute is tracked (least recently heard go first), and people we
 * wrote to remembered as known. */
#define LAN_HISTORY_STRANGER_ROWS_PER_MIN   20
#define LAN_HISTORY_STRANGER_BYTES_PER_MIN  (256 * 1024)
#define LAN_HISTORY_STRANGERS_ROWS_PER_MIN  300
#define LAN_HISTORY_STRANGERS_BYTES_PER_MIN (2 * 1024 * 1024)
#define LAN_HISTORY_STRANGERS_KEPT          4096
#define LAN_HISTORY_KNOWN_MAX               65536

/* Offers made to us (lan-inbox.c) and fetching them (lan-messenger-fetch.c,
 * lan-file-fetch.c): the attachment records kept per incoming message (a
 * 64 KiB datagram holds some thousands; the rest are dropped and the log
 * says so); fetches running at once from one peer and in all (more wait,
 * queued, in the order asked); the read buffer of one fetch, so memory
 * does not grow with the file; how long a connect may take, how long the
 * sender may send nothing before the fetch fails, and how long we wait
 * after the last announced byte for the sender to close (bytes after the
 * announced size fail the fetch). */
#define LAN_OFFER_MAX_INCOMING_FILES     1000
#define LAN_FETCH_MAX_PER_PEER           4
#define LAN_FETCH_MAX_TOTAL              16
/* Two of them a file fetch (one is read into while the other is written,
 * see lan-file-fetch.c), one a folder's: 4 MiB a fetch, 64 MiB at most
 * over the 16. A buffer written in the pool costs one round trip through
 * the main loop and GIO's pool, so bigger ones keep the disk busy longer
 * (bench-files: 1 MiB buffers gave 921-979 MiB/s, 2 MiB ones 985-1067 in
 * the same hour). */
#define LAN_FETCH_BUFFER_BYTES           (2 * 1024 * 1024)
/* What one write(2) of a fetched file takes of a buffer (lan-file-write.h). */
#define LAN_FETCH_WRITE_BYTES            (256 * 1024)
/* When a fetch's writes leave GIO's pool for the main loop and when they go
 * back (lan-file-write.h): after this many pool writes in a row of at least
 * a piece at this speed or more (a page-cache write here: 3 GB/s), and for
 * at most this long a buffer (2 MiB at 500 MiB/s) before the rest goes back;
 * after a write that went over, this many fast ones again, twice as many
 * after each further one, up to the last (1 GiB of 2 MiB buffers). */
#define LAN_FETCH_INLINE_AFTER           2
#define LAN_FETCH_INLINE_MIN_MIB_S       500
#define LAN_FETCH_INLINE_BUDGET_US       4000
#define LAN_FETCH_INLINE_AFTER_SLOW      8
#define LAN_FETCH_INLINE_AFTER_MAX       512
#define LAN_FETCH_CONNECT_TIMEOUT_MS     10000
#define LAN_FETCH_STALL_MS               30000
#define LAN_FETCH_CLOSE_GRACE_MS         1000
/* A resume asks for this many bytes before the .part's end again and checks
 * them: a sender that sends from another place (iptux always starts at 0)
 * is asked again from the start instead of corrupting the file. */
#define LAN_FETCH_RESUME_CHECK_BYTES     4096

/* Files over TCP, the serving side (LanFileOffers, LanFileServer). Offers we
 * make are ours, not the network's, but each one pins files for a peer:
 * at most this many open in all and per peer (a new one past the bound
 * retires the oldest, which then counts as expired), each of at most this
 * many files, each open for a day unless released or withdrawn. */
#define LAN_MAX_OFFERS                   1024
#define LAN_MAX_OFFERS_PER_PEER          64
#define LAN_MAX_OFFER_FILES              100
#define LAN_OFFER_LIFETIME_S             (24 * 60 * 60)
/* Connections to the file server at once, in all and per remote address;
 * one past a bound is closed at once (a log row says so). Each holds one
 * buffer of LAN_FILE_SERVE_BUFFER_BYTES: 32 connections pin 8 MiB at most. */
#define LAN_FILE_SERVE_MAX_CONNECTIONS   32
#define LAN_FILE_SERVE_MAX_PER_PEER      4
#define LAN_FILE_SERVE_BUFFER_BYTES      (256 * 1024)
/* The request (one IPMsg packet) must arrive within this many bytes and
 * milliseconds; a transfer that moves nothing for LAN_FILE_SERVE_STALL_MS
 * (the peer stopped reading) fails. */
#define LAN_FILE_SERVE_MAX_REQUEST       8192
#define LAN_FILE_SERVE_REQUEST_MS        10000
#define LAN_FILE_SERVE_STALL_MS          60000
/* Ended transfers of the file server kept in the messenger's list: a peer
 * an offer went to may ask for it again and again, each time a transfer. */
#define LAN_FILE_SERVE_KEPT_TRANSFERS    200

/* Peers listed from an announcement and never heard from again
 * (LanPeerExpiry): asked once they have been quiet this long, and removed
 * if still silent as long after; a made-up one is gone within three times
 * this. Above the 4 s answer delay of the peer asked. */
#define LAN_PEER_CONFIRM_MS                 10000
