#!/usr/bin/env python3
"""po/POTFILES.in is complete and xgettext reads it cleanly.

1. Every file under src/ (*.c, *.h, *.ui) and data/ (*.in, *.gschema.xml) that
   holds a translatable string is listed in po/POTFILES.in; every listed file
   exists and is listed once.
2. No translatable C string is glued to a format macro such as
   G_GUINT64_FORMAT: xgettext stops at the macro, so translators get half a
   message and the real one is never translated.
3. xgettext over POTFILES.in, with the arguments of meson's 'glib' preset (the
   ones `meson compile lanchat-pot` uses), prints no warning, and finds a
   message in every listed file.
4. Every language in po/LINGUAS has a po/<lang>.po that `msgfmt --check` accepts.

usage: test-potfiles.py SOURCE_ROOT
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

GETTEXT_PACKAGE = "lanchat"

# meson's i18n module, PRESET_ARGS['glib'] (mesonbuild/modules/i18n.py).
XGETTEXT_GLIB_PRESET = [
    "--from-code=UTF-8",
    "--add-comments",
    "--keyword=_",
    "--keyword=N_",
    "--keyword=C_:1c,2",
    "--keyword=NC_:1c,2",
    "--keyword=g_dcgettext:2",
    "--keyword=g_dngettext:2,3",
    "--keyword=g_dpgettext2:2c,3",
    "--flag=N_:1:pass-c-format",
    "--flag=C_:2:pass-c-format",
    "--flag=NC_:2:pass-c-format",
    "--flag=g_dngettext:2:pass-c-format",
    "--flag=g_strdup_printf:1:c-format",
    "--flag=g_string_printf:2:c-format",
    "--flag=g_string_append_printf:2:c-format",
    "--flag=g_error_new:3:c-format",
    "--flag=g_set_error:4:c-format",
    "--flag=g_markup_printf_escaped:1:c-format",
    "--flag=g_log:3:c-format",
    "--flag=g_print:1:c-format",
    "--flag=g_printerr:1:c-format",
    "--flag=g_printf:1:c-format",
    "--flag=g_fprintf:2:c-format",
    "--flag=g_sprintf:2:c-format",
    "--flag=g_snprintf:3:c-format",
]

C_KEYWORDS = r"(?:_|N_|C_|NC_|Q_|gettext|ngettext|dgettext|dngettext|g_dgettext|g_dngettext|g_dcgettext|g_dpgettext|g_dpgettext2)"
C_CALL = re.compile(r"(?<![A-Za-z0-9_])" + C_KEYWORDS + r"\s*\(")
C_STRING = r'"(?:[^"\\\n]|\\.)*"'
C_ARG = r"(?:[A-Za-z_][A-Za-z0-9_]*|" + C_STRING + r")"
# keyword ( [leading args ,]  "literal" ["literal"...]  IDENTIFIER
C_GLUED_MACRO = re.compile(
    r"(?<![A-Za-z0-9_])" + C_KEYWORDS + r"\s*\(\s*(?:" + C_ARG + r"\s*,\s*)*"
    r"(?:" + C_STRING + r"\s*)+([A-Za-z_][A-Za-z0-9_]*)"
)
# <inttypes.h> macros are the ones xgettext understands ("%<PRIu64>").
INTTYPES_MACRO = re.compile(r"PRI[diouxX](?:8|16|32|64|LEAST\d+|FAST\d+|MAX|PTR)")

UI_TRANSLATABLE = re.compile(r"""translatable\s*=\s*["'](?:yes|true|1)["']""")
DESKTOP_TRANSLATABLE = re.compile(r"^_?(?:Name|GenericName|Comment|Keywords|X-GNOME-FullName)\s*=", re.M)
METAINFO_TRANSLATABLE = re.compile(r"<_?(?:name|summary|p|li|caption|developer_name)\b")
SCHEMA_TRANSLATABLE = re.compile(r"<(?:summary|description)\b")
INTLTOOL_TRANSLATABLE = re.compile(r"^_[A-Za-z-]+\s*=|<_[A-Za-z]", re.M)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def strip_c_comments(text):
    # Keep string literals intact; blank out comments (keeping newlines).
    out = []
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c == '"' or c == "'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def has_translatable(rel, text):
    """Does this file hold a string a translator must see?"""
    if rel.endswith((".c", ".h")):
        return C_CALL.search(strip_c_comments(text)) is not None
    if rel.endswith(".ui"):
        return UI_TRANSLATABLE.search(text) is not None
    if rel.endswith(".gschema.xml"):
        # Without gettext-domain nothing in a schema is translated at run time.
        return "gettext-domain" in text and SCHEMA_TRANSLATABLE.search(text) is not None
    if rel.endswith(".desktop.in"):
        return DESKTOP_TRANSLATABLE.search(text) is not None
    if rel.endswith((".metainfo.xml.in", ".appdata.xml.in")):
        return METAINFO_TRANSLATABLE.search(text) is not None
    if rel.endswith(".in"):
        # Other templates (the D-Bus service, ...) only if marked intltool-style.
        return INTLTOOL_TRANSLATABLE.search(text) is not None
    return False


def candidate_files(root):
    for top, exts in (("src", (".c", ".h", ".ui")), ("data", (".in", ".gschema.xml"))):
        base = os.path.join(root, top)
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name.endswith(exts):
                    yield os.path.relpath(os.path.join(dirpath, name), root).replace(os.sep, "/")


def read_potfiles(root):
    entries = []
    for lineno, line in enumerate(read(os.path.join(root, "po", "POTFILES.in")).splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        # A leading [encoding: ...] or [type: ...] tag is allowed by xgettext.
        line = re.sub(r"^\[[^\]]*\]\s*", "", line)
        entries.append((lineno, line))
    return entries


def read_linguas(root):
    path = os.path.join(root, "po", "LINGUAS")
    if not os.path.exists(path):
        return []
    return [w for line in read(path).splitlines() for w in line.split("#", 1)[0].split()]


def main():
    if len(sys.argv) != 2:
        print("usage: test-potfiles.py SOURCE_ROOT", file=sys.stderr)
        return 2
    root = os.path.abspath(sys.argv[1])
    failures = []

    # --- 1. POTFILES.in lists exactly what exists, and everything that needs it
    entries = read_potfiles(root)
    listed = set()
    for lineno, rel in entries:
        if rel in listed:
            failures.append(f"po/POTFILES.in:{lineno}: {rel} is listed twice")
        listed.add(rel)
        if not os.path.isfile(os.path.join(root, rel)):
            failures.append(f"po/POTFILES.in:{lineno}: {rel} does not exist")

    missing = []
    for rel in candidate_files(root):
        try:
            text = read(os.path.join(root, rel))
        except UnicodeDecodeError:
            failures.append(f"{rel} is not UTF-8 (xgettext reads sources as --from-code=UTF-8)")
            continue
        if has_translatable(rel, text) and rel not in listed:
            missing.append(rel)
    if missing:
        failures.append("files with translatable strings missing from po/POTFILES.in "
                        "(add these lines):\n" + "\n".join("    " + m for m in missing))
    else:
        print(f"ok: po/POTFILES.in lists all {len(listed)} files with translatable strings")

    # --- 2. no format macro glued into a translatable string
    glued = []
    for rel in candidate_files(root):
        if not rel.endswith((".c", ".h")):
            continue
        text = strip_c_comments(read(os.path.join(root, rel)))
        for m in C_GLUED_MACRO.finditer(text):
            macro = m.group(1)
            if INTTYPES_MACRO.fullmatch(macro):
                continue
            line = text.count("\n", 0, m.start()) + 1
            glued.append(f"    {rel}:{line}: {' '.join(m.group(0).split())}")
    if glued:
        failures.append(
            "translatable strings glued to a macro: xgettext extracts only the part before\n"
            "  the macro, so the message is never translated (write %zu for a gsize, and\n"
            "  %llu with an (unsigned long long) cast or PRIu64 for a guint64):\n"
            + "\n".join(glued))
    else:
        print("ok: no translatable string is glued to a format macro")

    # --- 3. xgettext runs clean over POTFILES.in
    xgettext = shutil.which("xgettext")
    if xgettext is None:
        print("# SKIP xgettext check: xgettext not found (install gettext)")
    else:
        with tempfile.TemporaryDirectory(prefix="lanchat-pot.") as tmp:
            existing = [rel for _, rel in entries if os.path.isfile(os.path.join(root, rel))]
            potfiles = os.path.join(tmp, "POTFILES")
            with open(potfiles, "w", encoding="utf-8") as f:
                f.write("\n".join(existing) + "\n")
            cmd = [xgettext, "--package-name=" + GETTEXT_PACKAGE, "--directory=" + root,
                   "--files-from=" + potfiles, "--output-dir=" + tmp,
                   "--output=" + GETTEXT_PACKAGE + ".pot"] + XGETTEXT_GLIB_PRESET
            proc = subprocess.run(cmd, capture_output=True, text=True)
            pot = os.path.join(tmp, GETTEXT_PACKAGE + ".pot")
            if proc.returncode != 0 or proc.stderr.strip():
                failures.append(f"xgettext exited {proc.returncode} with output "
                                "(a warning is a bug to fix):\n"
                                + "\n".join("    " + l for l in proc.stderr.splitlines()))
            elif not os.path.exists(pot):
                failures.append("xgettext found no translatable string at all")
            else:
                pot_text = read(pot)
                n = len(re.findall(r"^msgid ", pot_text, re.M)) - 1
                referenced = set(re.findall(r"^#: (.*)$", pot_text, re.M))
                refs = set()
                for line in referenced:
                    for ref in line.split():
                        refs.add(ref.rsplit(":", 1)[0])
                empty = [rel for rel in existing if rel not in refs]
                if empty:
                    failures.append("listed in po/POTFILES.in but xgettext finds no message in them "
                                    "(drop them, or mark their strings):\n"
                                    + "\n".join("    " + e for e in empty))
                print(f"ok: xgettext (meson 'glib' preset) reads POTFILES.in cleanly: {n} messages")

    # --- 4. translations compile
    msgfmt = shutil.which("msgfmt")
    for lang in read_linguas(root):
        po = os.path.join(root, "po", lang + ".po")
        if not os.path.isfile(po):
            failures.append(f"po/LINGUAS lists {lang} but po/{lang}.po does not exist")
            continue
        if msgfmt is None:
            print(f"# SKIP msgfmt --check po/{lang}.po: msgfmt not found")
            continue
        proc = subprocess.run([msgfmt, "--check", "--output-file=" + os.devnull, po],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            failures.append(f"msgfmt --check po/{lang}.po failed:\n"
                            + "\n".join("    " + l for l in proc.stderr.splitlines()))
        else:
            print(f"ok: po/{lang}.po passes msgfmt --check")

    if failures:
        for f in failures:
            print("FAIL: " + f)
        return 1
    print("all POTFILES checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
