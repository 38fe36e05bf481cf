/* lan-cli.h — what the lanchat-cli commands share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "lan-messenger.h"

G_BEGIN_DECLS

enum {
  LAN_CLI_EXIT_OK = 0,
  LAN_CLI_EXIT_FAILED = 1,
  LAN_CLI_EXIT_USAGE = 2,
  LAN_CLI_EXIT_CANNOT_LISTEN = 3,
};

typedef struct _LanCli LanCli;

struct _LanCli
{
  /* Options */
  int                port;
  char              *bind;
  char             **targets;
  char              *nick;
  char              *group;
  char              *user;
  char              *host;
  LanLegacyEncoding  legacy;
  int                retry_budget_ms;
  int                answer_delay_ms;
  double             wait;
  int                expect;
  gboolean           json;
  int                count;
  gboolean           wait_reply;
  gboolean           messages_only;
  char              *pcap;
  char              *pcapng;
  char              *template;
  double             drop;
  char              *history;
  gboolean           follow_moves;
  char              *peer;
  char              *search;
  char             **files;
  char              *dir;
  char              *accept_files;
  double             timeout;

  const char * const *args;
  int                n_args;

  /* Running */
  GMainLoop         *loop;
  LanMessenger      *messenger;
  guint              deadline_source;
  guint              sigint_source;
  guint              sigterm_source;
  void             (*on_deadline) (LanCli *cli);
  gboolean           finished;
  int                exit_code;
  gpointer           command_data;
  gpointer           files_data;   /* send --file (lan-cli-files.c) */
  gpointer           accept_data;  /* receive, bot --accept-files (lan-cli-receive.c) */
};

typedef struct {
  const char *name;
  gboolean  (*check_args) (LanCli *cli, GError **error);
  void      (*run)        (LanCli *cli);
  void      (*cleanup)    (LanCli *cli);
  /* Runs even when the engine could not start: the start error is what it reports. */
  gboolean    runs_unstarted;
  /* Runs without an engine (no socket): reads files only. */
  gboolean    offline;
} LanCliCommand;

/* Returns: (transfer none) */
const LanCliCommand *lan_cli_find_command (const char *name);
void                 lan_cli_finish       (LanCli     *cli,
                                           int         exit_code);
/* Call @func (or finish with LAN_CLI_EXIT_FAILED) after @seconds. */
void                 lan_cli_set_deadline (LanCli     *cli,
                                           double      seconds,
                                           void      (*func) (LanCli *cli));
void                 lan_cli_print_json   (JsonNode   *node);
void                 lan_cli_clear        (LanCli     *cli);

/* lan-cli-history.c */
gboolean             lan_cli_history_check_args (LanCli  *cli,
                                                 GError **error);
void                 lan_cli_history_run        (LanCli  *cli);

/* lan-cli-send.c */
gboolean             lan_cli_send_check_args (LanCli  *cli,
                                              GError **error);
void                 lan_cli_send_run        (LanCli  *cli);
void                 lan_cli_send_cleanup    (LanCli  *cli);

/* lan-cli-doctor.c */
gboolean             lan_cli_doctor_check_args (LanCli  *cli,
                                                GError **error);
void                 lan_cli_doctor_run        (LanCli  *cli);

/* lan-cli-files.c: send --file. Offers cli->files to @peer with @text (may be NULL). */
void                 lan_cli_files_send         (LanCli     *cli,
                                                 LanPeer    *peer,
                                                 const char *text);
void                 lan_cli_files_send_cleanup (LanCli     *cli);

/* lan-cli-receive.c: accept every offer into @dir (made if missing) until stopped;
 * with @idle_s >= 0, finish after that many seconds of nothing. */
gboolean             lan_cli_accept_files_start (LanCli     *cli,
                                                 const char *dir,
                                                 double      idle_s,
                                                 GError    **error);
void                 lan_cli_accept_files_stop  (LanCli     *cli);

G_END_DECLS
