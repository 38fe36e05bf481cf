#!/usr/bin/env python3
"""The Flatpak manifests agree with the rest of the tree.

Two manifests: the release, flatpak/<app-id>.json, and the development build,
build-aux/<app-id>.Devel.json. For each:
- it parses;
- its app id: the release's is the desktop file's basename, the metainfo <id>,
  the GSettings schema id and meson.build's base_app_id; the Devel one is that
  with ".Devel", which meson.build gives the development profile;
- its command is the desktop file's Exec binary, an installed meson executable
  in src/app, the metainfo's <binary> and what the D-Bus service starts;
- it runs on org.gnome.Platform with the matching org.gnome.Sdk, both manifests
  on the same version, which is not end of life by RUNTIMES (kept here with the
  date it was last checked), and the README installs that same version;
- finish-args are exactly the sandbox holes Lanchat needs, and no filesystem
  but the Downloads folder (where Save puts offered files);
- the last module builds with meson, with -Dtests=false, and every -D option it
  passes exists; the Devel one with -Dprofile=development;
- the release builds a git source: the repository the metainfo names, the tag
  of meson.build's version, and (once that tag exists here) its commit, as
  build-aux/make-release writes them; no branch, no dir. The Devel manifest
  builds this work tree (a dir source).

usage: test-flatpak.py SOURCE_ROOT
"""

import datetime
import glob
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

REQUIRED_FINISH_ARGS = [
    "--share=network",      # UDP broadcast and unicast, TCP for files
    "--share=ipc",          # X11 shared memory
    "--socket=wayland",
    "--socket=fallback-x11",
    "--device=dri",         # GL rendering
    # Save writes an offered file into Downloads without asking (Save As goes
    # through the file chooser portal and needs nothing); no other folder.
    "--filesystem=xdg-download",
]

# Modules the GNOME runtime already provides: building them again only costs time.
IN_RUNTIME = {"json-glib", "sqlite", "sqlite3", "glib", "gtk", "gtk4", "libadwaita"}

MESON_BUILTIN_OPTIONS = {
    "buildtype", "debug", "optimization", "werror", "warning_level", "strip",
    "default_library", "prefix", "libdir", "bindir", "datadir", "localedir",
    "c_args", "c_link_args", "c_std", "wrap_mode", "unity", "layout",
}

# GNOME runtimes on Flathub and when each stops (stopped) getting updates: the
# end of life of a GNOME runtime comes about when the release two after it
# ships (every six months, March and September, Flathub's EOL a month or so
# later). Checked on RUNTIMES_CHECKED; the dates of supported ones are
# expected, not announced: when one passes, this list needs a look.
RUNTIMES_CHECKED = datetime.date(2026, 12, 1)
RUNTIMES = {
    # version: (end of life, whether that date has been announced)
    "45": (datetime.date(2024, 10, 1), True),
    "46": (datetime.date(2025, 4, 1), True),
    "47": (datetime.date(2025, 10, 1), True),
    "48": (datetime.date(2026, 4, 1), True),
    "49": (datetime.date(2026, 10, 1), True),
    "50": (datetime.date(2027, 4, 1), False),
    "51": (datetime.date(2027, 10, 1), False),
}

REPOSITORY = "https://github.com/lanchat/lanchat"

failures = []


def fail(message):
    failures.append(message)


def ok(message):
    print("ok: " + message)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def balanced_call(text, start):
    """The text of the call whose '(' is at or after start, parentheses balanced."""
    open_at = text.index("(", start)
    depth = 0
    i = open_at
    while i < len(text):
        c = text[i]
        if c == "'":
            i = text.index("'", i + 1)
        elif c == "#":
            i = text.find("\n", i)
            if i < 0:
                break
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return text[open_at:i + 1]
        i += 1
    return text[open_at:]


def desktop_exec_binary(exec_line):
    # Exec=lanchat %U  ->  lanchat; an absolute path counts by its basename.
    words = [w for w in exec_line.split() if not re.fullmatch(r"%[fFuUdDnNickvm]", w)]
    return os.path.basename(words[0]) if words else ""


def read_manifest(path, label):
    try:
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        fail(f"{label} does not parse: {e}")
        return None
    if not isinstance(manifest, dict):
        fail(f"{label} is not a JSON object")
        return None
    ok(f"{label} parses")
    return manifest


def manifest_id(manifest, label):
    id_keys = [k for k in ("id", "app-id") if k in manifest]
    if len(id_keys) != 1:
        fail(f"{label} must have exactly one of \"id\" and \"app-id\" (has {id_keys})")
        return None
    return manifest[id_keys[0]]


def data_ids(root, app_id):
    """What the files in data/ call the app; fails on child schemas outside it."""
    desktops = sorted(glob.glob(os.path.join(root, "data", "*.desktop.in")))
    desktop_ids = [os.path.basename(p)[:-len(".desktop.in")] for p in desktops]
    metainfos = sorted(glob.glob(os.path.join(root, "data", "*.metainfo.xml.in")))
    schemas = sorted(glob.glob(os.path.join(root, "data", "*.gschema.xml")))

    ids = {}
    if len(desktops) == 1:
        ids["desktop file basename"] = desktop_ids[0]
    else:
        fail(f"want exactly one data/*.desktop.in, found {desktop_ids}")

    metainfo = None
    if len(metainfos) == 1:
        metainfo = ET.parse(metainfos[0]).getroot()
        ids["metainfo <id>"] = (metainfo.findtext("id") or "").strip()
    else:
        fail(f"want exactly one data/*.metainfo.xml.in, found {[os.path.basename(p) for p in metainfos]}")

    if len(schemas) == 1:
        schema_ids = [s.get("id") for s in ET.parse(schemas[0]).getroot().iter("schema")]
        # The app's own schema carries the app id; child schemas extend it.
        ids["gschema id"] = schema_ids[0] if schema_ids else ""
        for sid in schema_ids[1:]:
            if not (sid or "").startswith(app_id + "."):
                fail(f"{os.path.basename(schemas[0])}: schema {sid} is not under {app_id}")
    else:
        fail(f"want exactly one data/*.gschema.xml, found {[os.path.basename(p) for p in schemas]}")
    return ids, metainfo, desktops


def check_command(root, manifest, label, app_id, desktops, metainfo):
    command = manifest.get("command")
    if not isinstance(command, str) or not command:
        fail(f"{label} has no \"command\"")
        command = ""
    commands = {}
    desktop_text = read(desktops[0]) if len(desktops) == 1 else ""
    m = re.search(r"^Exec=(.*)$", desktop_text, re.M)
    if desktop_text:
        commands["desktop file Exec"] = desktop_exec_binary(m.group(1)) if m else ""
        m = re.search(r"^Icon=(.*)$", desktop_text, re.M)
        if not m or m.group(1).strip() != app_id:
            fail(f"desktop file Icon= must be the app id {app_id} (Flatpak exports icons by app id)")

    app_meson = read(os.path.join(root, "src", "app", "meson.build"))
    installed_exes = []
    for m in re.finditer(r"(?<![A-Za-z0-9_])executable\s*\(\s*'([^']+)'", app_meson):
        call = balanced_call(app_meson, m.start())
        if re.search(r"\binstall\s*:\s*true\b", call):
            installed_exes.append(m.group(1))
    if command not in installed_exes:
        fail(f"{label}: command {command!r} is not an installed executable of src/app/meson.build "
             f"(installed: {installed_exes})")
    else:
        ok(f"{label}: command {command!r} is executable('{command}', install: true) in src/app/meson.build")

    if metainfo is not None:
        binaries = [b.text.strip() for b in metainfo.iter("binary") if b.text]
        if binaries:
            commands["metainfo <binary>"] = binaries[0]
        launchables = [l.text.strip() for l in metainfo.iter("launchable") if l.text]
        if launchables != [app_id + ".desktop"]:
            fail(f"metainfo <launchable> is {launchables}, want ['{app_id}.desktop']")
    services = sorted(glob.glob(os.path.join(root, "data", "*.service.in")))
    if len(services) == 1:
        m = re.search(r"^Exec=(.*)$", read(services[0]), re.M)
        commands["D-Bus service Exec"] = desktop_exec_binary(m.group(1)) if m else ""

    wrong = {what: value for what, value in commands.items() if value != command}
    if wrong:
        for what, value in wrong.items():
            fail(f"{label}: command is {command!r} but the {what} runs {value!r}")
    else:
        ok(f"{label}: command {command} = " + " = ".join(commands))


def check_runtime(root, manifest, label, today):
    runtime = manifest.get("runtime")
    sdk = manifest.get("sdk")
    version = manifest.get("runtime-version")
    if runtime != "org.gnome.Platform" or sdk != "org.gnome.Sdk":
        fail(f"{label}: runtime/sdk are {runtime}/{sdk}, want org.gnome.Platform/org.gnome.Sdk")
    if not isinstance(version, str) or not re.fullmatch(r"\d+", version):
        fail(f"{label}: runtime-version is {version!r}, want a GNOME release such as \"51\" (a string)")
        return None
    if version not in RUNTIMES:
        newest = max(RUNTIMES, key=int)
        if int(version) > int(newest):
            fail(f"{label}: GNOME {version} is newer than the newest runtime known here ({newest}, "
                 f"list of {RUNTIMES_CHECKED}): add it to RUNTIMES in {os.path.basename(__file__)}")
        else:
            fail(f"{label}: GNOME {version} is long past its end of life")
        return version
    eol, announced = RUNTIMES[version]
    if today >= eol:
        fail(f"{label}: org.gnome.Platform//{version} is end of life since {eol}"
             + ("" if announced else " (expected; the list was checked on "
                f"{RUNTIMES_CHECKED}: check Flathub and update RUNTIMES)")
             + f"; supported now: {[v for v, (d, _) in RUNTIMES.items() if d > today]}")
    else:
        ok(f"{label}: runtime {runtime}//{version}, sdk {sdk}//{version}, supported until "
           f"{'' if announced else 'about '}{eol} (list of {RUNTIMES_CHECKED})")
    return version


def check_sandbox(manifest, label):
    finish_args = manifest.get("finish-args", [])
    if not isinstance(finish_args, list):
        fail(f"{label}: finish-args is not a list")
        finish_args = []
    for arg in finish_args:
        if isinstance(arg, str) and arg.startswith(("--filesystem", "--persist")) and \
                arg not in REQUIRED_FINISH_ARGS:
            fail(f"{label}: finish-args must give no filesystem access: {arg}")
    dupes = sorted({a for a in finish_args if finish_args.count(a) > 1})
    if dupes:
        fail(f"{label}: finish-args repeat {dupes}")
    extra = [a for a in finish_args if a not in REQUIRED_FINISH_ARGS]
    absent = [a for a in REQUIRED_FINISH_ARGS if a not in finish_args]
    if extra:
        fail(f"{label}: finish-args has more than Lanchat needs: {extra}")
    if absent:
        fail(f"{label}: finish-args lacks {absent}")
    if not (extra or absent or dupes):
        ok(f"{label}: finish-args are exactly " + " ".join(REQUIRED_FINISH_ARGS))


def last_module(root, manifest, label, want_opts):
    modules = manifest.get("modules")
    if not isinstance(modules, list) or not modules:
        fail(f"{label} has no modules")
        return None
    for mod in modules[:-1]:
        name = mod.get("name") if isinstance(mod, dict) else str(mod)
        if name in IN_RUNTIME:
            fail(f"{label}: module {name} is already in the GNOME runtime: drop it")
    last = modules[-1]
    if not isinstance(last, dict):
        fail(f"{label}: the last module must be inline, not {last!r}")
        return None
    if last.get("buildsystem") != "meson":
        fail(f"{label}: the last module ({last.get('name')}) has buildsystem "
             f"{last.get('buildsystem')!r}, want meson")
    opts = last.get("config-opts", [])
    for want in ["-Dtests=false"] + want_opts:
        if want not in opts:
            fail(f"{label}: the last module's config-opts {opts} lack {want}")
    known = set(MESON_BUILTIN_OPTIONS)
    for name in ("meson_options.txt", "meson.options"):
        path = os.path.join(root, name)
        if os.path.exists(path):
            known |= set(re.findall(r"option\s*\(\s*'([^']+)'", read(path)))
    for opt in opts:
        m = re.fullmatch(r"-D([A-Za-z0-9_:.-]+)=.*", opt)
        if m is None:
            continue
        if m.group(1) not in known and not m.group(1).startswith("b_"):
            fail(f"{label}: config-opts {opt}: meson has no option {m.group(1)!r}")
    if not [f for f in failures if f.startswith(label) and ("last module" in f or "config-opts" in f)]:
        ok(f"{label}: the last module ({last.get('name')}) builds with meson, {' '.join(opts)}")
    return last


def git(root, *args):
    try:
        run = subprocess.run(["git", "-C", root] + list(args), capture_output=True, text=True)
    except OSError:
        return None
    return run.stdout.strip() if run.returncode == 0 else None


def check_release_source(root, last, label, version):
    sources = [s for s in last.get("sources", []) if isinstance(s, dict)]
    gits = [s for s in sources if s.get("type") == "git"]
    others = [s.get("type") for s in sources if s.get("type") != "git"]
    if len(gits) != 1 or others:
        fail(f"{label}: the last module must build one git source (a release has no dir source), "
             f"has {[s.get('type') for s in sources]}")
        return
    source = gits[0]
    tag = f"v{version}"
    if source.get("url") != REPOSITORY + ".git":
        fail(f"{label}: git url {source.get('url')!r}, want {REPOSITORY}.git (the metainfo's vcs-browser)")
    for key in ("branch", "path"):
        if key in source:
            fail(f"{label}: the git source has a {key!r}: a release names its tag and commit")
    if source.get("tag") != tag:
        fail(f"{label}: git tag {source.get('tag')!r}, want {tag!r} (meson.build's version; "
             f"build-aux/make-release writes it)")
    commit = source.get("commit")
    if commit is not None and not re.fullmatch(r"[0-9a-f]{40}", str(commit)):
        fail(f"{label}: git commit {commit!r} is not a full hash")
        return
    tagged = git(root, "rev-parse", "-q", "--verify", f"refs/tags/{tag}^{{commit}}")
    if tagged and commit is None and git(root, "rev-parse", "HEAD") == tagged:
        # The release commit itself: no tree can name its own hash; the
        # commit make-release makes after it does.
        ok(f"{label}: builds {REPOSITORY} at {tag}, this very commit")
    elif tagged:
        if commit != tagged:
            fail(f"{label}: {tag} is commit {tagged} here, the manifest says {commit}: "
                 f"run build-aux/make-release {version}")
        else:
            ok(f"{label}: builds {REPOSITORY} at {tag}, commit {commit} (the tag's)")
    elif commit is None:
        ok(f"{label}: builds {REPOSITORY} at {tag}; not tagged yet here, so no commit: "
           f"build-aux/make-release {version} tags it and writes the commit")
    elif git(root, "cat-file", "-e", f"{commit}^{{commit}}") is not None:
        fail(f"{label}: commit {commit} is here but {tag} is not: tag it with build-aux/make-release")
    else:
        ok(f"{label}: builds {REPOSITORY} at {tag}, commit {commit} (neither in this checkout)")


def check_dir_source(root, last, label, manifest_path):
    dirs = [s for s in last.get("sources", []) if isinstance(s, dict) and s.get("type") == "dir"]
    here = os.path.dirname(manifest_path)
    if not any(os.path.isdir(os.path.join(here, s.get("path", "")))
               and os.path.samefile(os.path.join(here, s.get("path", "")), root) for s in dirs):
        fail(f"{label}: the last module ({last.get('name')}) does not build this tree: want a source "
             f"{{\"type\": \"dir\", \"path\": \"..\"}} (relative to {os.path.relpath(here, root)}/), "
             f"have {last.get('sources')}")
    else:
        ok(f"{label}: builds this work tree")


def main():
    if len(sys.argv) != 2:
        print("usage: test-flatpak.py SOURCE_ROOT", file=sys.stderr)
        return 2
    root = os.path.abspath(sys.argv[1])
    today = datetime.date.today()

    # --- the ids everything else uses
    meson = read(os.path.join(root, "meson.build"))
    m = re.search(r"^base_app_id\s*=\s*'([^']+)'", meson, re.M)
    meson_app_id = m.group(1) if m else None
    if meson_app_id is None:
        fail("meson.build: no `base_app_id = '...'` line")
        meson_app_id = "io.github.lanchat.Lanchat"
    if not re.search(r"if profile == 'development'\s*\n\s*app_id = base_app_id \+ '\.Devel'", meson):
        fail("meson.build: the development profile does not make app_id base_app_id + '.Devel'")
    m = re.search(r"project\([^)]*?\bversion\s*:\s*'([^']+)'", meson, re.S)
    version = m.group(1) if m else ""

    release_path = os.path.join(root, "flatpak", meson_app_id + ".json")
    devel_id = meson_app_id + ".Devel"
    devel_path = os.path.join(root, "build-aux", devel_id + ".json")
    manifests = sorted(glob.glob(os.path.join(root, "flatpak", "*.json")))
    if manifests != [release_path]:
        fail(f"want flatpak/{meson_app_id}.json alone (found: {[os.path.basename(p) for p in manifests]})")
    versions = {}
    ids, metainfo, desktops = data_ids(root, meson_app_id)
    for path, label, want_id in ((release_path, "release manifest", meson_app_id),
                                 (devel_path, "Devel manifest", devel_id)):
        if not os.path.isfile(path):
            fail(f"no {os.path.relpath(path, root)}")
            continue
        manifest = read_manifest(path, label)
        if manifest is None:
            continue
        app_id = manifest_id(manifest, label)
        if app_id != want_id:
            fail(f"{label}: id is {app_id!r}, want {want_id!r}")
        if want_id == meson_app_id:
            wrong = {what: value for what, value in ids.items() if value != app_id}
            for what, value in wrong.items():
                fail(f"{label}: id is {app_id!r} but the {what} is {value!r}")
            if not wrong:
                ok(f"{label}: app id {app_id} = meson.build base_app_id = " + " = ".join(ids))
        else:
            ok(f"{label}: app id {app_id}, the development profile's")
        check_command(root, manifest, label, meson_app_id, desktops, metainfo)
        versions[label] = check_runtime(root, manifest, label, today)
        check_sandbox(manifest, label)
        if want_id == meson_app_id:
            last = last_module(root, manifest, label, [])
            if last is not None:
                if "-Dprofile=development" in last.get("config-opts", []):
                    fail(f"{label}: a release is not built with -Dprofile=development")
                check_release_source(root, last, label, version)
        else:
            last = last_module(root, manifest, label, ["-Dprofile=development"])
            if last is not None:
                check_dir_source(root, last, label, path)

    known = {v for v in versions.values() if v}
    if len(known) > 1:
        fail(f"the manifests use different runtimes: {versions}")
    elif known:
        version_used = known.pop()
        readme = read(os.path.join(root, "README.md"))
        mentioned = set(re.findall(r"org\.gnome\.(?:Platform|Sdk)//(\S+?)(?=[\s`]|$)", readme))
        if mentioned and mentioned != {version_used}:
            fail(f"README.md installs org.gnome.Platform/Sdk {sorted(mentioned)} "
                 f"but the manifests use {version_used}")

    return report()


def report():
    if failures:
        for f in failures:
            print("FAIL: " + f)
        return 1
    print("all Flatpak manifest checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
