/* test-locale.c — the app's window in another language.
 *
 * Runs under run-ui-test.sh (loopback-only network namespace, Xvfb, a
 * private session bus, GSETTINGS_BACKEND=memory) like test-window, with the
 * language from the command line:
 *
 *   test-locale --tap LANG        (LANG is zh_CN or ja)
 *
 * The catalogues are the build tree's, named by LANCHAT_LOCALEDIR the way
 * main.c takes them (meson writes po/<lang>/LC_MESSAGES/lanchat.mo). The
 * process runs in LANG.UTF-8 where that locale is generated, otherwise in
 * C.UTF-8 with LANGUAGE=LANG, which glibc's gettext honours too (in plain
 * "C" it would not).
 *
 * The app's messenger listens on 127.0.0.2 and a second LanMessenger in
 * this process on 127.0.0.3; they exchange a message each so that the
 * screenshot, screenshots/main-window-LANG.png, shows a real conversation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-test-locale"

#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "lan-application.h"
#include "lan-history.h"
#include "lan-message-row.h"
#include "lan-notice.h"
#include "lan-peer-row.h"
#include "lan-preferences-window.h"
#include "lan-window.h"

#include "ui-test-support.h"

/* What a person reading the language sees; the strings are written out
 * here, not looked up, so a catalogue that is not loaded fails the test. */
typedef struct {
  const char *language;
  const char *locale;               /* as locale-gen names it */
  const char *app_nickname;
  const char *app_group;
  const char *bob_nickname;
  const char *bob_group;
  const char *sent_text;
  const char *reply_text;
  const char *search_placeholder;   /* "Search people" */
  const char *everyone;             /* "Everyone" */
  const char *delivered;            /* "Delivered" */
  const char *composer_placeholder; /* "Message %s" with bob's nickname */
  const char *preferences_title;    /* "Preferences" */
  const char *moved_notice;         /* "%s is now at %s (was %s)" with bob, BOB_KEY, OLD_BOB_KEY */
} Language;

/* Where bob was before, in the notice stored before the app starts. */
#define OLD_BOB_KEY "127.0.0.9:2425"
#define STORED_NOTICE_TEXT "Stored in English: bob moved"

static const Language languages[] = {
  {
    .language = "zh_CN",
    .locale = "zh_CN.UTF-8",
    .app_nickname = "李华",
    .app_group = "研发部",
    .bob_nickname = "王小明",
    .bob_group = "市场部",
    .sent_text = "你好！下午三点在三楼会议室开会，别忘了带上周的报告。",
    .reply_text = "好的，收到。我会准时到。",
    .search_placeholder = "搜索联系人",
    .everyone = "所有人",
    .delivered = "已送达",
    .composer_placeholder = "发消息给 王小明",
    .preferences_title = "首选项",
    .moved_notice = "王小明 现在的地址是 127.0.0.3:2425（原为 127.0.0.9:2425）",
  },
  {
    .language = "ja",
    .locale = "ja_JP.UTF-8",
    .app_nickname = "佐藤花子",
    .app_group = "開発部",
    .bob_nickname = "山田太郎",
    .bob_group = "営業部",
    .sent_text = "お疲れさまです。15時から3階の会議室で打ち合わせをお願いします。",
    .reply_text = "承知しました。資料を持って行きます。",
    .search_placeholder = "ユーザーを検索",
    .everyone = "全員",
    .delivered = "配信済み",
    .composer_placeholder = "山田太郎 さんへのメッセージ",
    .preferences_title = "設定",
    .moved_notice = "山田太郎 のアドレスが 127.0.0.3:2425 に変わりました (以前は 127.0.0.9:2425)",
  },
};

static const Language *lang;
static LanApplication *app;
static LanMessenger *bob;
static char *data_home;

static LanMessenger *
app_messenger (void)
{
  return lan_application_get_messenger (app);
}

static LanWindow *
get_window (void)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  g_assert_nonnull (windows);
  g_assert_true (LAN_IS_WINDOW (windows->data));
  return LAN_WINDOW (windows->data);
}

static gboolean
window_shows_label (gpointer data)
{
  return find_widget (GTK_WIDGET (get_window ()), is_label_with_text, data) != NULL;
}

static void
ensure_bob (void)
{
  g_autoptr(GError) error = NULL;

  if (bob == NULL)
    {
      bob = bob_new (lang->bob_nickname, lang->bob_group);
      lan_messenger_start (bob, &error);
      g_assert_no_error (error);
    }

  wait_acquainted (app_messenger (), bob, lang->bob_nickname, "the other person");
}

/* ---- cases ---------------------------------------------------------- */

/* The strings of the window's own template and of C code are both
 * translated: the search entry's placeholder and the Everyone row. */
static void
test_window_translated (void)
{
  LanWindow *window;
  g_autofree char *placeholder = NULL;

  wait_until (app_window_is_mapped, app, "the window to be mapped");
  window = get_window ();

  g_object_get (lan_window_get_search_entry (window), "placeholder-text", &placeholder, NULL);
  g_assert_cmpstr (placeholder, ==, lang->search_placeholder);
  wait_until (window_shows_label, (gpointer) lang->everyone, "the Everyone row, translated");
}

typedef struct {
  LanMessage *message;
  const char *text;
} RowWait;

static gboolean
row_says (gpointer data)
{
  RowWait *wait = data;
  GtkWidget *row = find_widget (lan_window_get_message_list_view (get_window ()),
                                is_row_of_message, wait->message);

  return row != NULL && gtk_widget_get_mapped (row) &&
         g_strcmp0 (lan_message_row_get_state_text (LAN_MESSAGE_ROW (row)), wait->text) == 0;
}

static gboolean
conversation_ends_with (gpointer data)
{
  LanMessage *message = last_message (lan_messenger_get_conversation (app_messenger (), BOB_KEY));

  return message != NULL && g_strcmp0 (lan_message_get_text (message), data) == 0;
}

/* A message each way; the bubble's state and the composer's placeholder
 * come from the catalogue, the texts from the people. */
static void
test_conversation_translated (void)
{
  LanWindow *window;
  LanConversation *conversation;
  LanPeer *app_as_seen_by_bob;
  g_autoptr(GError) error = NULL;
  g_autoptr(LanMessage) reply = NULL;
  RowWait wait;

  ensure_bob ();
  window = get_window ();
  lan_window_open_conversation (window, BOB_KEY);
  conversation = lan_window_get_conversation (window);
  g_assert_nonnull (conversation);

  g_assert_cmpstr (gtk_label_get_text (lan_window_get_composer_placeholder (window)), ==, lang->composer_placeholder);

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (lan_window_get_composer (window)),
                            lang->sent_text, -1);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.send", NULL);
  wait.message = last_message (conversation);
  g_assert_nonnull (wait.message);
  g_assert_cmpstr (lan_message_get_text (wait.message), ==, lang->sent_text);
  wait.text = lang->delivered;
  wait_until (row_says, &wait, "the bubble to say Delivered, translated");

  app_as_seen_by_bob = lan_peer_list_lookup (lan_messenger_get_peers (bob), APP_KEY);
  g_assert_nonnull (app_as_seen_by_bob);
  reply = lan_messenger_send (bob, app_as_seen_by_bob, lang->reply_text, &error);
  g_assert_no_error (error);
  wait_until (conversation_ends_with, (gpointer) lang->reply_text, "the reply");

  /* Only loopback is up in the test's namespace, so the window rightly
   * says there is no network; a person on a LAN never sees that banner,
   * and the screenshot is for them. */
  gtk_revealer_set_reveal_child (lan_window_get_network_banner (window), FALSE);
  wait_frames (GTK_WIDGET (window));
  {
    g_autofree char *name = g_strdup_printf ("main-window-%s.png", lang->language);
    save_screenshot (GTK_WIDGET (window), name);
  }
}

/* Before the app starts: a notice in its history, as an earlier session in
 * English kept it (kind, arguments and the English line). */
static void
store_english_notice (void)
{
  const char * const args[] = { lang->bob_nickname, BOB_KEY, OLD_BOB_KEY, NULL };
  g_autofree char *path = g_build_filename (data_home, "lanchat", "history.sqlite", NULL);
  g_autoptr(LanMessage) notice = lan_notice_new (LAN_NOTICE_MOVED, args, g_get_real_time () - G_USEC_PER_SEC);
  g_autofree char *json = lan_notice_to_json (notice);
  g_autoptr(GError) error = NULL;
  g_autoptr(LanHistory) history = lan_history_open (path, &error);

  g_assert_no_error (error);
  g_assert_true (lan_history_add_notice (history, "bob@bobs-laptop", STORED_NOTICE_TEXT,
                                         lan_message_get_time (notice), json, &error));
  g_assert_no_error (error);
}

/* The notice stored in English is shown in this language: rendered from
 * its kind and arguments, not the text it was stored with. */
static void
test_notice_translated (void)
{
  LanWindow *window;

  ensure_bob ();
  window = get_window ();
  lan_window_open_conversation (window, BOB_KEY);
  wait_until (window_shows_label, (gpointer) lang->moved_notice, "the notice, translated");
  g_assert_null (find_widget (GTK_WIDGET (window), is_label_with_text, STORED_NOTICE_TEXT));
}

static gboolean
log_pane_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (lan_window_get_log_pane (get_window ())));
}

/* The packet log, for a person to look at: its columns and status line are
 * the narrowest place for longer words. */
static void
test_log_pane_screenshot (void)
{
  LanWindow *window;
  g_autofree char *name = NULL;

  ensure_bob ();
  window = get_window ();
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-log", NULL);
  wait_until (log_pane_mapped, NULL, "the log pane");
  wait_frames (GTK_WIDGET (window));
  name = g_strdup_printf ("log-pane-%s.png", lang->language);
  save_screenshot (GTK_WIDGET (window), name);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-log", NULL);
}

static void
test_preferences_translated (void)
{
  GtkWindow *preferences;
  g_autofree char *general = NULL;
  g_autofree char *network = NULL;

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  preferences = find_preferences_window ();
  g_assert_nonnull (preferences);
  g_assert_cmpstr (gtk_window_get_title (preferences), ==, lang->preferences_title);

  wait_frames (GTK_WIDGET (preferences));
  general = g_strdup_printf ("preferences-general-%s.png", lang->language);
  save_screenshot (GTK_WIDGET (preferences), general);

  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (preferences), "network");
  wait_frames (GTK_WIDGET (preferences));
  network = g_strdup_printf ("preferences-network-%s.png", lang->language);
  save_screenshot (GTK_WIDGET (preferences), network);

  gtk_window_destroy (preferences);
}

/* ---- setup ---------------------------------------------------------- */

/* The language's own locale if it is generated here, otherwise C.UTF-8
 * with LANGUAGE: the messages are the same, only dates and character
 * classes differ. Set in the environment so that gtk_init()'s
 * setlocale (LC_ALL, "") keeps it. */
static const char *
choose_locale (void)
{
  const char *chosen = setlocale (LC_ALL, lang->locale) != NULL ? lang->locale : "C.UTF-8";

  g_setenv ("LC_ALL", chosen, TRUE);
  g_setenv ("LANGUAGE", lang->language, TRUE);
  /* Han characters in the glyphs of this language, not another's. */
  g_setenv ("PANGO_LANGUAGE", lang->language, TRUE);
  return chosen;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *catalogue = NULL;
  const char *language = NULL;
  const char *localedir = g_getenv ("LANCHAT_LOCALEDIR");
  const char *locale;
  int result;

  /* The language is the one argument GTest leaves. */
  for (int i = 1; i < argc; i++)
    if (argv[i][0] != '-')
      language = argv[i];
  for (gsize i = 0; language != NULL && i < G_N_ELEMENTS (languages); i++)
    if (g_str_equal (languages[i].language, language))
      lang = &languages[i];
  if (lang == NULL)
    {
      g_printerr ("usage: test-locale [--tap] LANGUAGE (zh_CN or ja)\n");
      return 2;
    }

  if (localedir == NULL || *localedir == '\0')
    localedir = LOCALEDIR;
  catalogue = g_build_filename (localedir, lang->language, "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  if (!g_file_test (catalogue, G_FILE_TEST_IS_REGULAR))
    {
      /* A TAP plan of 0 with SKIP: meson counts exit status 77 as an error here. */
      g_print ("1..0 # SKIP no catalogue at %s (built without gettext?)\n", catalogue);
      return 0;
    }

  locale = choose_locale ();
  data_home = make_data_home ();

  /* Not gtk_test_init(): it sets a locale of its own. */
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_test_message ("locale %s, LANGUAGE=%s, catalogue %s", locale, lang->language, catalogue);

  configure_settings (lang->app_nickname, lang->app_group);
  store_english_notice ();
  app = start_app ();

  g_test_add_func ("/ui/locale/window", test_window_translated);
  g_test_add_func ("/ui/locale/conversation", test_conversation_translated);
  g_test_add_func ("/ui/locale/notice", test_notice_translated);
  g_test_add_func ("/ui/locale/log-pane", test_log_pane_screenshot);
  g_test_add_func ("/ui/locale/preferences", test_preferences_translated);

  result = g_test_run ();

  finish (app, bob, data_home);

  return result;
}
