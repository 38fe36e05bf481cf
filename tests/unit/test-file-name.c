/* test-file-name.c — names from strangers checked, and "name (1).ext" on disk.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "lan-file-name.h"
#include "lan-test-tmpdir.h"

static void
test_good_names (void)
{
  static const char * const names[] = {
    "report.pdf", "中文名.txt", "写真 2024-05-01.jpg", "family 👨‍👩‍👧.png", ".bashrc",
    "a..b", "...x", "CONSOLE.txt", "COM0", "COM10", "LPT", "icon:1.png", "x~", "a b",
    "Ärger.odt", "نص.txt",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GError) error = NULL;

      if (!lan_file_name_check (names[i], &error))
        g_error ("refused \"%s\": %s", names[i], error->message);
    }
}

static void
assert_refused (const char *name,
                const char *shown_part)
{
  g_autoptr(GError) error = NULL;

  if (lan_file_name_check (name, &error))
    g_error ("accepted \"%s\"", name);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME);
  /* The message shows the name safely: no raw control character in it. */
  for (const char *p = error->message; *p != '\0'; p++)
    g_assert_true ((guchar) *p >= 0x20);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  if (shown_part != NULL && strstr (error->message, shown_part) == NULL)
    g_error ("message for \"%s\" lacks \"%s\": %s", name, shown_part, error->message);
}

static void
test_bad_names (void)
{
  g_autofree char *long_name = g_strnfill (LAN_FILE_NAME_MAX_BYTES + 1, 'x');
  g_autofree char *fits = g_strnfill (LAN_FILE_NAME_MAX_BYTES, 'x');
  g_autoptr(GString) long_utf8 = g_string_new (NULL);

  assert_refused ("", NULL);
  assert_refused (".", NULL);
  assert_refused ("..", NULL);
  assert_refused ("a/b", "a/b");
  assert_refused ("../../.ssh/authorized_keys", NULL);
  assert_refused ("/etc/passwd", "/etc/passwd");
  assert_refused ("a\\b", NULL);
  assert_refused ("..\\..\\boot.ini", NULL);
  assert_refused ("a\nb", NULL);
  assert_refused ("a\tb", NULL);
  assert_refused ("\x1b[2Jcleared", NULL);
  assert_refused ("del\x7f", NULL);
  assert_refused ("nel\xc2\x85", NULL);                  /* C1 control U+0085 */
  assert_refused ("photo\xe2\x80\xaegpj.exe", "<U+202E>"); /* RIGHT-TO-LEFT OVERRIDE */
  assert_refused ("a\xe2\x81\xa6" "b", NULL);            /* LEFT-TO-RIGHT ISOLATE */
  assert_refused ("line\xe2\x80\xa8sep", NULL);
  assert_refused ("\xff\xfe", NULL);                     /* not UTF-8 */
  assert_refused ("nul\xc0\x80", NULL);                  /* an overlong NUL */
  assert_refused ("~", NULL);
  assert_refused ("~root", NULL);
  assert_refused ("C:\\evil.exe", NULL);
  assert_refused ("C:/evil", NULL);
  assert_refused ("c:..", NULL);
  assert_refused ("CON", NULL);
  assert_refused ("con", NULL);
  assert_refused ("Con.txt", NULL);
  assert_refused ("PRN.tar.gz", NULL);
  assert_refused ("aux", NULL);
  assert_refused ("NUL.", NULL);
  assert_refused ("nul.dat", NULL);
  assert_refused ("COM1", NULL);
  assert_refused ("com9.log", NULL);
  assert_refused ("LPT1", NULL);
  assert_refused ("lpt5.txt", NULL);
  assert_refused ("name.", NULL);
  assert_refused ("name ", NULL);
  assert_refused ("name. ", NULL);
  assert_refused (long_name, NULL);

  g_assert_true (lan_file_name_check (fits, NULL));
  /* 255 bytes are the bound, not 255 characters. */
  while (long_utf8->len + 3 <= LAN_FILE_NAME_MAX_BYTES)
    g_string_append (long_utf8, "字");
  g_assert_true (lan_file_name_check (long_utf8->str, NULL));
  g_string_append (long_utf8, "字");
  assert_refused (long_utf8->str, NULL);
}

/* A name that starts like a drive letter ("x:y.txt") is taken as it is:
 * we save on Linux, one component created with openat() inside our own
 * folder, where ':' is an ordinary character, and iptux on Linux sends such
 * names (its folder stream writes "x::y.txt"). "C:" only means a drive to
 * Windows' path parser, which never sees it; mapping it to another
 * character would rename the user's file silently. What makes a name a
 * path ('/', '\\', "..") is still refused, with or without a colon. */
static void
test_drive_letter_names (void)
{
  static const char * const names[] = { "x:y.txt", "C:", "c:evil.exe", "time 12:30.txt", ":x", "a:b:c" };
  g_autoptr(LanTestTmpdir) dir = lan_test_tmpdir_new ("lan-file-name");
  g_autoptr(GFile) folder = g_file_new_for_path (lan_test_tmpdir_get_path (dir));

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GFile) unique = NULL;
      g_autoptr(GFile) parent = NULL;
      g_autofree char *base = NULL;
      g_autofree char *path = NULL;
      int fd;

      if (!lan_file_name_check (names[i], &error))
        g_error ("refused \"%s\": %s", names[i], error->message);
      /* Saved under that very name, inside the folder. */
      unique = lan_file_name_unique (folder, names[i], ".part", &error);
      g_assert_no_error (error);
      base = g_file_get_basename (unique);
      g_assert_cmpstr (base, ==, names[i]);
      parent = g_file_get_parent (unique);
      g_assert_true (g_file_equal (parent, folder));
      path = g_file_get_path (unique);
      fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL, 0600);
      g_assert_cmpint (fd, >=, 0);
      g_assert_true (g_close (fd, NULL));
    }
}

static GFile *
make (LanTestTmpdir *dir,
      const char    *name)
{
  g_autofree char *path = lan_test_tmpdir_file (dir, name);
  /* Not g_file_set_contents: its temporary name would be too long for the
   * longest names made here. */
  int fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL, 0600);

  if (fd < 0)
    g_error ("can't create %s: %s", path, g_strerror (errno));
  g_assert_true (g_close (fd, NULL));
  return g_file_new_for_path (path);
}

static char *
unique_name (GFile      *folder,
             const char *name,
             const char *part_suffix)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = lan_file_name_unique (folder, name, part_suffix, &error);
  g_autoptr(GFile) parent = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (file);
  parent = g_file_get_parent (file);
  g_assert_true (g_file_equal (parent, folder));
  return g_file_get_basename (file);
}

static void
test_unique (void)
{
  g_autoptr(LanTestTmpdir) dir = lan_test_tmpdir_new ("lan-file-name");
  g_autoptr(GFile) folder = g_file_new_for_path (lan_test_tmpdir_get_path (dir));
  g_autofree char *n0 = NULL, *n1 = NULL, *n2 = NULL, *n3 = NULL, *n4 = NULL;
  g_autofree char *n5 = NULL, *n6 = NULL, *n7 = NULL;

  n0 = unique_name (folder, "a.txt", ".part");
  g_assert_cmpstr (n0, ==, "a.txt");
  g_object_unref (make (dir, "a.txt"));
  n1 = unique_name (folder, "a.txt", ".part");
  g_assert_cmpstr (n1, ==, "a (1).txt");
  /* A partial download of "a (1).txt" holds that name too. */
  g_object_unref (make (dir, "a (1).txt.part"));
  n2 = unique_name (folder, "a.txt", ".part");
  g_assert_cmpstr (n2, ==, "a (2).txt");
  /* Without a suffix, only the file itself counts. */
  n3 = unique_name (folder, "a.txt", NULL);
  g_assert_cmpstr (n3, ==, "a (1).txt");

  g_object_unref (make (dir, ".bashrc"));
  n4 = unique_name (folder, ".bashrc", NULL);
  g_assert_cmpstr (n4, ==, ".bashrc (1)");
  g_object_unref (make (dir, "backup.tar.gz"));
  n5 = unique_name (folder, "backup.tar.gz", NULL);
  g_assert_cmpstr (n5, ==, "backup (1).tar.gz");
  g_object_unref (make (dir, "README"));
  n6 = unique_name (folder, "README", NULL);
  g_assert_cmpstr (n6, ==, "README (1)");

  /* A dangling symlink is in the way: writing through it would land
   * wherever it points. */
  {
    g_autofree char *link = lan_test_tmpdir_file (dir, "link.txt");

    g_assert_cmpint (symlink ("/nonexistent/lanchat-target", link), ==, 0);
  }
  n7 = unique_name (folder, "link.txt", NULL);
  g_assert_cmpstr (n7, ==, "link (1).txt");
}

static void
test_unique_long (void)
{
  g_autoptr(LanTestTmpdir) dir = lan_test_tmpdir_new ("lan-file-name");
  g_autoptr(GFile) folder = g_file_new_for_path (lan_test_tmpdir_get_path (dir));
  g_autoptr(GString) name = g_string_new (NULL);
  g_autofree char *first = NULL, *second = NULL;

  /* Three-byte characters up to the bound, with an extension. */
  while (name->len + 3 + 4 <= LAN_FILE_NAME_MAX_BYTES)
    g_string_append (name, "字");
  g_string_append (name, ".txt");
  g_assert_true (lan_file_name_check (name->str, NULL));

  g_object_unref (make (dir, name->str));
  first = unique_name (folder, name->str, NULL);
  g_assert_cmpuint (strlen (first), <=, LAN_FILE_NAME_MAX_BYTES);
  g_assert_true (g_utf8_validate (first, -1, NULL));
  g_assert_true (g_str_has_suffix (first, " (1).txt"));
  g_assert_true (lan_file_name_check (first, NULL));

  /* With a part suffix, the part file's name has to fit as well. */
  second = unique_name (folder, name->str, ".part");
  g_assert_cmpuint (strlen (second) + strlen (".part"), <=, LAN_FILE_NAME_MAX_BYTES);
  g_assert_true (g_utf8_validate (second, -1, NULL));
  g_assert_true (g_str_has_suffix (second, ".txt"));
  g_assert_cmpstr (second, !=, name->str);
  {
    g_autofree char *part = g_strconcat (second, ".part", NULL);

    g_object_unref (make (dir, part));
  }
}

/* A name that is nearly all "extension" ("a.<250 bytes>") passes the
 * check, so it must be saveable: with the part suffix its extension alone
 * leaves no room for a stem, and the whole name is cut instead. */
static void
test_unique_long_extension (void)
{
  g_autoptr(LanTestTmpdir) dir = lan_test_tmpdir_new ("lan-file-name");
  g_autoptr(GFile) folder = g_file_new_for_path (lan_test_tmpdir_get_path (dir));
  g_autoptr(GString) name = g_string_new ("a.");
  g_autofree char *first = NULL, *second = NULL;

  while (name->len < LAN_FILE_NAME_MAX_BYTES - 3)
    g_string_append_c (name, 'x');
  g_assert_true (lan_file_name_check (name->str, NULL));

  first = unique_name (folder, name->str, ".part");
  g_assert_cmpuint (strlen (first) + strlen (".part"), <=, LAN_FILE_NAME_MAX_BYTES);
  g_assert_true (g_str_has_prefix (first, "a.xxx"));
  g_assert_true (lan_file_name_check (first, NULL));
  {
    g_autofree char *part = g_strconcat (first, ".part", NULL);

    g_object_unref (make (dir, part));
  }
  second = unique_name (folder, name->str, ".part");
  g_assert_cmpstr (second, !=, first);
  g_assert_cmpuint (strlen (second) + strlen (".part"), <=, LAN_FILE_NAME_MAX_BYTES);
  g_assert_true (g_str_has_suffix (second, " (1)"));
  g_assert_true (lan_file_name_check (second, NULL));
}

static void
test_unique_exhausted (void)
{
  g_autoptr(LanTestTmpdir) dir = lan_test_tmpdir_new ("lan-file-name");
  g_autoptr(GFile) folder = g_file_new_for_path (lan_test_tmpdir_get_path (dir));
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *last = NULL;

  g_object_unref (make (dir, "x.bin"));
  for (guint i = 1; i < LAN_FILE_NAME_MAX_TRIES; i++)
    {
      g_autofree char *name = g_strdup_printf ("x (%u).bin", i);

      g_object_unref (make (dir, name));
    }
  last = unique_name (folder, "x.bin", NULL);
  g_assert_cmpstr (last, ==, "x (1000).bin");
  g_object_unref (make (dir, last));

  file = lan_file_name_unique (folder, "x.bin", NULL, &error);
  g_assert_null (file);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "x.bin"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/file-name/good", test_good_names);
  g_test_add_func ("/file-name/bad", test_bad_names);
  g_test_add_func ("/file-name/drive-letter", test_drive_letter_names);
  g_test_add_func ("/file-name/unique", test_unique);
  g_test_add_func ("/file-name/unique-long", test_unique_long);
  g_test_add_func ("/file-name/unique-long-extension", test_unique_long_extension);
  g_test_add_func ("/file-name/unique-exhausted", test_unique_exhausted);

  return g_test_run ();
}
