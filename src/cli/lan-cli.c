/* lan-cli.c — lanchat-cli: options, the engine, and the main loop.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-cli"

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

#include "lan-cli.h"
#include "lan-display-text.h"
#include "lan-json-text.h"

static gboolean
on_quit_signal (gpointer user_data)
{
  LanCli *cli = user_data;

  lan_cli_finish (cli, LAN_CLI_EXIT_OK);
  return G_SOURCE_CONTINUE;
}

void
lan_cli_finish (LanCli *cli,
                int     exit_code)
{
  if (cli->finished)
    return;
  cli->finished = TRUE;
  cli->exit_code = exit_code;
  g_main_loop_quit (cli->loop);
}

static gboolean
on_deadline (gpointer user_data)
{
  LanCli *cli = user_data;

  cli->deadline_source = 0;
  if (cli->on_deadline != NULL)
    cli->on_deadline (cli);
  else
    lan_cli_finish (cli, LAN_CLI_EXIT_FAILED);
  return G_SOURCE_REMOVE;
}

void
lan_cli_set_deadline (LanCli   *cli,
                      double    seconds,
                      void    (*func) (LanCli *cli))
{
  g_clear_handle_id (&cli->deadline_source, g_source_remove);
  cli->on_deadline = func;
  cli->deadline_source = g_timeout_add ((guint) (seconds * 1000), on_deadline, cli);
}

void
lan_cli_print_json (JsonNode *node)
{
  /* Strings from the network: no raw bidi override or C1 control reaches
   * the terminal, and packet numbers stay unsigned. */
  g_autofree char *text = lan_json_to_display_string (node);

  g_print ("%s\n", text);
}

/* The history failed while running: said at once, since from now on
 * messages are not acknowledged (see lan-inbox.c). */
static void
on_history_error (LanMessenger *messenger,
                  GParamSpec   *pspec,
                  gpointer      user_data)
{
  g_autofree char *history_error = NULL;

  g_object_get (messenger, "history-error", &history_error, NULL);
  if (history_error != NULL)
    g_printerr ("lanchat-cli: %s\n", history_error);
}

static const char *summary =
  N_("Commands:\n"
     "  peers [--wait S] [--expect N] [--json]\n"
     "        announce, listen for S seconds (default 3), print each peer as it answers;\n"
     "        with --expect, exit as soon as N peers are known (1 if fewer by the deadline)\n"
     "  send [--wait S] [--count N] [--wait-reply] PEER TEXT\n"
     "        send TEXT to PEER (an address, address:port or nickname) and wait for the\n"
     "        acknowledgement; exit 0 only when delivered. --count sends N numbered copies\n"
     "  send [--timeout S] PEER [TEXT] --file PATH [--file PATH…]\n"
     "        offer files and folders to PEER; exit 0 once PEER has fetched every one and\n"
     "        released the offer (or not within 2 s: iptux never does), 1 if declined,\n"
     "        expired, or nothing moved for S seconds (default 300)\n"
     "  receive --dir DIR [--wait S]\n"
     "        stay online, accept every offer, save into DIR (never over a file: a new\n"
     "        name \"name (1).ext\"), print one JSON object per line per file or folder\n"
     "        saved (path, size, sha256) or refused / failed (why); with --wait, exit\n"
     "        after S seconds of nothing (1 if anything failed)\n"
     "  listen [--messages] [--pcap FILE | --pcapng FILE]\n"
     "        stay online and print each packet as a JSON object per line;\n"
     "        with --messages, each message shown instead; with --pcap or --pcapng,\n"
     "        every packet also written to FILE for Wireshark or tcpdump (pcapng:\n"
     "        with its direction and, as a comment, its verdict)\n"
     "  bot [--template T] [--drop FRACTION] [--accept-files DIR]\n"
     "        stay online and answer every message from a template ({text}, {length},\n"
     "        {nickname}); --drop pretends to lose that fraction of what arrives;\n"
     "        --accept-files also fetches every offer into DIR, as receive does\n"
     "  doctor [--wait S] [--json] [ADDRESS]\n"
     "        why can't I see someone? announce (and ask ADDRESS), wait S seconds\n"
     "        (default 3), print each finding and what to do; exit 1 on a problem\n"
     "  --history FILE history [--peer IDENTITY] [--search WORDS] [--json]\n"
     "        print stored messages, oldest first: of one conversation (user@host,\n"
     "        or * for Everyone), containing every word (any language, substrings too);\n"
     "        no network is used\n"
     "\n"
     "Exit status: 0 success, 1 failed (not delivered, not found), 2 usage, 3 cannot listen.");

static gboolean
parse_legacy (const char  *option_name,
              const char  *value,
              gpointer     data,
              GError     **error)
{
  LanCli *cli = data;

  if (!lan_legacy_encoding_from_string (value, &cli->legacy))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Unknown encoding “%s”: use GB18030 or CP932"), value);
      return FALSE;
    }
  return TRUE;
}

/* Without --follow-moves nothing waiting goes to a new address: say so. */
static void
on_move_question (LanIdentity *identity,
                  LanPeer     *peer,
                  const char  *old_key,
                  guint        n_waiting,
                  LanCli      *cli)
{
  g_autofree char *who = lan_display_text (lan_peer_get_identity (peer), LAN_DISPLAY_TEXT_TERMINAL, 100);

  g_printerr (g_dngettext (GETTEXT_PACKAGE,
                           "lanchat-cli: %s is now at %s (was %s, which no longer answers); "
                           "%u waiting message stays queued (--follow-moves sends it there)\n",
                           "lanchat-cli: %s is now at %s (was %s, which no longer answers); "
                           "%u waiting messages stay queued (--follow-moves sends them there)\n",
                           n_waiting),
              who, lan_peer_get_key (peer), old_key, n_waiting);
}

static gboolean
start_messenger (LanCli  *cli,
                 GError **error)
{
  cli->messenger = lan_messenger_new ();
  g_object_set (cli->messenger,
                "port", (guint) cli->port,
                "bind-address", cli->bind,
                "legacy-encoding", (int) cli->legacy,
                "retry-budget-ms", (guint) cli->retry_budget_ms,
                "simulated-loss", cli->drop,
                NULL);
  if (cli->nick != NULL)
    g_object_set (cli->messenger, "nickname", cli->nick, NULL);
  if (cli->group != NULL)
    g_object_set (cli->messenger, "group", cli->group, NULL);
  if (cli->user != NULL)
    g_object_set (cli->messenger, "user-name", cli->user, NULL);
  if (cli->host != NULL)
    g_object_set (cli->messenger, "host-name", cli->host, NULL);
  if (cli->history != NULL)
    g_object_set (cli->messenger, "history-path", cli->history, NULL);
  if (cli->answer_delay_ms >= 0)
    g_object_set (cli->messenger, "answer-delay-max-ms", (guint) cli->answer_delay_ms, NULL);
  lan_identity_set_follow_moves (lan_messenger_get_identity (cli->messenger), cli->follow_moves);
  g_signal_connect (lan_messenger_get_identity (cli->messenger), "move-question",
                    G_CALLBACK (on_move_question), cli);

  for (guint i = 0; cli->targets != NULL && cli->targets[i] != NULL; i++)
    if (!lan_messenger_add_target (cli->messenger, cli->targets[i], error))
      return FALSE;

  return lan_messenger_start (cli->messenger, error);
}

int
main (int   argc,
      char *argv[])
{
  LanCli cli = {
    .port = 2425,
    .wait = -1,
    .retry_budget_ms = 30000,
    .answer_delay_ms = -1,
    .count = 1,
  };
  GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &cli.port, N_("UDP and TCP port (default 2425)"), N_("PORT") },
    { "bind", 'b', 0, G_OPTION_ARG_STRING, &cli.bind, N_("Listen on this IPv4 address only (default: all)"), N_("ADDRESS") },
    { "target", 't', 0, G_OPTION_ARG_STRING_ARRAY, &cli.targets,
      N_("Also announce to this host, broadcast address, range (a-b) or block (a/n); repeatable"), N_("TARGET") },
    { "nick", 'n', 0, G_OPTION_ARG_STRING, &cli.nick, N_("Nickname (default: login name)"), N_("NAME") },
    { "group", 'g', 0, G_OPTION_ARG_STRING, &cli.group, N_("Group name"), N_("GROUP") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &cli.user, N_("User name in packets (default: login name)"), N_("USER") },
    { "host", 0, 0, G_OPTION_ARG_STRING, &cli.host, N_("Host name in packets (default: this machine's)"), N_("HOST") },
    { "encoding", 'e', 0, G_OPTION_ARG_CALLBACK, parse_legacy,
      N_("Encoding for peers that don't use UTF-8: GB18030 (default) or CP932"), N_("ENCODING") },
    { "retry-budget", 0, 0, G_OPTION_ARG_INT, &cli.retry_budget_ms,
      N_("Give up on a message after this many milliseconds (default 30000)"), N_("MS") },
    { "answer-delay", 0, 0, G_OPTION_ARG_INT, &cli.answer_delay_ms,
      N_("Answer announcements within this many milliseconds (default 1000)"), N_("MS") },
    { "history", 0, 0, G_OPTION_ARG_FILENAME, &cli.history,
      N_("Keep conversations and undelivered messages in this SQLite file"), N_("FILE") },
    { "follow-moves", 0, 0, G_OPTION_ARG_NONE, &cli.follow_moves,
      N_("Send waiting messages to a person's new address once the old one no longer answers"), NULL },
    { "peer", 0, 0, G_OPTION_ARG_STRING, &cli.peer, N_("history: only the conversation with this identity (user@host)"), N_("IDENTITY") },
    { "search", 's', 0, G_OPTION_ARG_STRING, &cli.search, N_("history: only messages containing every one of these words"), N_("WORDS") },
    { "wait", 'w', 0, G_OPTION_ARG_DOUBLE, &cli.wait,
      N_("peers, send, doctor: seconds to wait (default 3, 30 and 3); receive: exit after this many seconds of nothing"),
      N_("SECONDS") },
    { "expect", 0, 0, G_OPTION_ARG_INT, &cli.expect, N_("peers: stop once this many are known"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &cli.json, N_("peers, history: one JSON object per line; doctor: one JSON array"), NULL },
    { "count", 'c', 0, G_OPTION_ARG_INT, &cli.count, N_("send: send N numbered messages at once"), N_("N") },
    { "wait-reply", 0, 0, G_OPTION_ARG_NONE, &cli.wait_reply, N_("send: then wait for an answer and print it"), NULL },
    { "messages", 'm', 0, G_OPTION_ARG_NONE, &cli.messages_only, N_("listen: print messages instead of packets"), NULL },
    { "pcap", 0, 0, G_OPTION_ARG_FILENAME, &cli.pcap, N_("listen: also write every packet to FILE (pcap)"), N_("FILE") },
    { "pcapng", 0, 0, G_OPTION_ARG_FILENAME, &cli.pcapng,
      N_("listen: also write every packet to FILE (pcapng, with directions and verdicts)"), N_("FILE") },
    { "template", 0, 0, G_OPTION_ARG_STRING, &cli.template, N_("bot: the answer (default “Your data was {length} bytes long”)"), N_("TEXT") },
    { "drop", 0, 0, G_OPTION_ARG_DOUBLE, &cli.drop, N_("bot, listen: pretend to lose this fraction (0–1) of what arrives"), N_("FRACTION") },
    { "file", 'f', 0, G_OPTION_ARG_FILENAME_ARRAY, &cli.files,
      N_("send: offer this file or folder (repeatable)"), N_("PATH") },
    { "timeout", 0, 0, G_OPTION_ARG_DOUBLE, &cli.timeout,
      N_("send --file: give up when nothing moved for this many seconds (default 300)"), N_("SECONDS") },
    { "dir", 'd', 0, G_OPTION_ARG_FILENAME, &cli.dir, N_("receive: save what is offered into DIR"), N_("DIR") },
    { "accept-files", 0, 0, G_OPTION_ARG_FILENAME, &cli.accept_files,
      N_("bot: also accept every offer and save it into DIR"), N_("DIR") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  const LanCliCommand *command;
  int status;

  setlocale (LC_ALL, "");
  /* As the app: an uninstalled build has its catalogues in build/po. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("LANCHAT_LOCALEDIR") != NULL && *g_getenv ("LANCHAT_LOCALEDIR") != '\0'
                                   ? g_getenv ("LANCHAT_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  /* Each line is a complete record for whoever reads the pipe. */
  setvbuf (stdout, NULL, _IOLBF, 0);

  context = g_option_context_new (_("COMMAND [ARGUMENTS…] — chat on the local network (IPMsg)"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _(summary));
  {
    /* A group of our own so that the --encoding callback gets the LanCli. */
    GOptionGroup *group = g_option_group_new ("lanchat", "", "", &cli, NULL);

    g_option_group_add_entries (group, entries);
    g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
    g_option_context_set_main_group (context, group);
  }

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("lanchat-cli: %s\n", error->message);
      return LAN_CLI_EXIT_USAGE;
    }
  if (argc < 2)
    {
      g_printerr (_("lanchat-cli: a command is needed: peers, send, receive, listen, bot, doctor or history (see --help)\n"));
      return LAN_CLI_EXIT_USAGE;
    }
  command = lan_cli_find_command (argv[1]);
  if (command == NULL)
    {
      g_printerr (_("lanchat-cli: unknown command “%s”: use peers, send, receive, listen, bot, doctor or history\n"), argv[1]);
      return LAN_CLI_EXIT_USAGE;
    }
  if (cli.port < 1 || cli.port > 65535)
    {
      g_printerr (_("lanchat-cli: --port must be between 1 and 65535\n"));
      return LAN_CLI_EXIT_USAGE;
    }
  if (cli.pcap != NULL && cli.pcapng != NULL)
    {
      g_printerr (_("lanchat-cli: --pcap and --pcapng: choose one\n"));
      return LAN_CLI_EXIT_USAGE;
    }
  if (cli.drop < 0.0 || cli.drop > 1.0)
    {
      g_printerr (_("lanchat-cli: --drop must be between 0 and 1\n"));
      return LAN_CLI_EXIT_USAGE;
    }
  cli.args = (const char * const *) argv + 2;
  cli.n_args = argc - 2;
  if (!command->check_args (&cli, &error))
    {
      g_printerr ("lanchat-cli %s: %s\n", command->name, error->message);
      return LAN_CLI_EXIT_USAGE;
    }

  cli.loop = g_main_loop_new (NULL, FALSE);
  if (command->offline)
    {
      command->run (&cli);
      status = cli.exit_code;
      g_main_loop_unref (cli.loop);
      lan_cli_clear (&cli);
      return status;
    }
  if (!start_messenger (&cli, &error) &&
      !(command->runs_unstarted && lan_messenger_get_error (cli.messenger) != NULL))
    {
      g_printerr ("lanchat-cli: %s\n", error->message);
      status = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT)
               ? LAN_CLI_EXIT_USAGE : LAN_CLI_EXIT_CANNOT_LISTEN;
      g_clear_object (&cli.messenger);
      g_main_loop_unref (cli.loop);
      lan_cli_clear (&cli);
      return status;
    }

  on_history_error (cli.messenger, NULL, NULL);
  g_signal_connect (cli.messenger, "notify::history-error", G_CALLBACK (on_history_error), NULL);
  cli.sigint_source = g_unix_signal_add (SIGINT, on_quit_signal, &cli);
  cli.sigterm_source = g_unix_signal_add (SIGTERM, on_quit_signal, &cli);

  command->run (&cli);
  if (!cli.finished)
    g_main_loop_run (cli.loop);

  g_clear_handle_id (&cli.deadline_source, g_source_remove);
  g_clear_handle_id (&cli.sigint_source, g_source_remove);
  g_clear_handle_id (&cli.sigterm_source, g_source_remove);
  if (command->cleanup != NULL)
    command->cleanup (&cli);
  /* Say goodbye (BR_EXIT) and let the last log lines out. */
  lan_messenger_stop (cli.messenger);
  lan_packet_log_flush (lan_messenger_get_packet_log (cli.messenger));
  g_clear_object (&cli.messenger);
  g_main_loop_unref (cli.loop);
  status = cli.exit_code;
  lan_cli_clear (&cli);
  return status;
}

void
lan_cli_clear (LanCli *cli)
{
  g_clear_pointer (&cli->bind, g_free);
  g_clear_pointer (&cli->targets, g_strfreev);
  g_clear_pointer (&cli->nick, g_free);
  g_clear_pointer (&cli->group, g_free);
  g_clear_pointer (&cli->user, g_free);
  g_clear_pointer (&cli->host, g_free);
  g_clear_pointer (&cli->template, g_free);
  g_clear_pointer (&cli->pcap, g_free);
  g_clear_pointer (&cli->pcapng, g_free);
  g_clear_pointer (&cli->history, g_free);
  g_clear_pointer (&cli->peer, g_free);
  g_clear_pointer (&cli->search, g_free);
  g_clear_pointer (&cli->files, g_strfreev);
  g_clear_pointer (&cli->dir, g_free);
  g_clear_pointer (&cli->accept_files, g_free);
}
