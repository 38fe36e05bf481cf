#!/usr/bin/env python3
"""The Flatpak manifest agrees with the rest of the tree.

- flatpak/<app-id>.json parses;
- its app id is the desktop file's basename, the metainfo <id>, the GSettings
  schema id and meson.build's app_id;
- its command is the desktop file's Exec binary, an installed meson executable
  in src/app, the metainfo's <binary> and what the D-Bus service starts;
- it runs on org.gnome.Platform with the matching org.gnome.Sdk, and the README
  installs that same runtime version;
- finish-args are exactly the sandbox holes Lanchat needs, and no filesystem;
- the last module builds this source tree with meson, with -Dtests=false, and
  every -D option it passes exists.

usage: test-flatpak.py SOURCE_ROOT
"""

import glob
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

REQUIRED_FINISH_ARGS = [
    "--share=network",      # UDP broadcast and unicast, TCP for files
    "--share=ipc",          # X11 shared memory
    "--socket=wayland",
    "--socket=fallback-x11",
    "--device=dri",         # GL rendering
]

# Modules the GNOME runtime already provides: building them again only costs time.
IN_RUNTIME = {"json-glib", "sqlite", "sqlite3", "glib", "gtk", "gtk4", "libadwaita"}

MESON_BUILTIN_OPTIONS = {
    "buildtype", "debug", "optimization", "werror", "warning_level", "strip",
    "default_library", "prefix", "libdir", "bindir", "datadir", "localedir",
    "c_args", "c_link_args", "c_std", "wrap_mode", "unity", "layout",
}

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


def main():
    if len(sys.argv) != 2:
        print("usage: test-flatpak.py SOURCE_ROOT", file=sys.stderr)
        return 2
    root = os.path.abspath(sys.argv[1])

    # --- the ids everything else uses
    m = re.search(r"^base_app_id\s*=\s*'([^']+)'", read(os.path.join(root, "meson.build")), re.M)
    meson_app_id = m.group(1) if m else None
    if meson_app_id is None:
        fail("meson.build: no `app_id = '...'` line")
        meson_app_id = "io.github.lanchat.Lanchat"

    manifests = sorted(glob.glob(os.path.join(root, "flatpak", "*.json")))
    manifest_path = os.path.join(root, "flatpak", meson_app_id + ".json")
    if manifest_path not in manifests:
        fail(f"no flatpak/{meson_app_id}.json (found: {[os.path.basename(p) for p in manifests]})")
        return report()
    try:
        with open(manifest_path, encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        fail(f"flatpak/{meson_app_id}.json does not parse: {e}")
        return report()
    if not isinstance(manifest, dict):
        fail("the manifest is not a JSON object")
        return report()
    ok("manifest parses")

    # --- app id
    id_keys = [k for k in ("id", "app-id") if k in manifest]
    if len(id_keys) != 1:
        fail(f"the manifest must have exactly one of \"id\" and \"app-id\" (has {id_keys})")
        return report()
    app_id = manifest[id_keys[0]]

    desktops = sorted(glob.glob(os.path.join(root, "data", "*.desktop.in")))
    desktop_ids = [os.path.basename(p)[:-len(".desktop.in")] for p in desktops]
    metainfos = sorted(glob.glob(os.path.join(root, "data", "*.metainfo.xml.in")))
    schemas = sorted(glob.glob(os.path.join(root, "data", "*.gschema.xml")))
    services = sorted(glob.glob(os.path.join(root, "data", "*.service.in")))

    ids = {"meson.build app_id": meson_app_id}
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

    wrong = {what: value for what, value in ids.items() if value != app_id}
    if wrong:
        for what, value in wrong.items():
            fail(f"manifest {id_keys[0]} is {app_id!r} but the {what} is {value!r}")
    else:
        ok(f"app id {app_id} = " + " = ".join(ids))

    # --- command
    command = manifest.get("command")
    if not isinstance(command, str) or not command:
        fail("the manifest has no \"command\"")
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
        fail(f"command {command!r} is not an installed executable of src/app/meson.build "
             f"(installed: {installed_exes})")
    else:
        ok(f"command {command!r} is executable('{command}', install: true) in src/app/meson.build")

    if metainfo is not None:
        binaries = [b.text.strip() for b in metainfo.iter("binary") if b.text]
        if binaries:
            commands["metainfo <binary>"] = binaries[0]
        launchables = [l.text.strip() for l in metainfo.iter("launchable") if l.text]
        if launchables != [app_id + ".desktop"]:
            fail(f"metainfo <launchable> is {launchables}, want ['{app_id}.desktop']")
    if len(services) == 1:
        m = re.search(r"^Exec=(.*)$", read(services[0]), re.M)
        commands["D-Bus service Exec"] = desktop_exec_binary(m.group(1)) if m else ""

    wrong = {what: value for what, value in commands.items() if value != command}
    if wrong:
        for what, value in wrong.items():
            fail(f"manifest command is {command!r} but the {what} runs {value!r}")
    else:
        ok(f"command {command} = " + " = ".join(commands))

    # --- runtime
    runtime = manifest.get("runtime")
    sdk = manifest.get("sdk")
    version = manifest.get("runtime-version")
    if runtime != "org.gnome.Platform" or sdk != "org.gnome.Sdk":
        fail(f"runtime/sdk are {runtime}/{sdk}, want org.gnome.Platform/org.gnome.Sdk")
    if not isinstance(version, str) or not re.fullmatch(r"\d+", version):
        fail(f"runtime-version is {version!r}, want a GNOME release such as \"47\" (a string)")
    else:
        ok(f"runtime {runtime}//{version}, sdk {sdk}//{version}")
        readme = read(os.path.join(root, "README.md"))
        mentioned = set(re.findall(r"org\.gnome\.(?:Platform|Sdk)//(\S+?)(?=[\s`]|$)", readme))
        if mentioned and mentioned != {version}:
            fail(f"README.md installs org.gnome.Platform/Sdk {sorted(mentioned)} "
                 f"but the manifest uses {version}")

    # --- sandbox
    finish_args = manifest.get("finish-args", [])
    if not isinstance(finish_args, list):
        fail("finish-args is not a list")
        finish_args = []
    for arg in finish_args:
        if isinstance(arg, str) and arg.startswith(("--filesystem", "--persist")):
            fail(f"finish-args must give no filesystem access: {arg}")
    dupes = sorted({a for a in finish_args if finish_args.count(a) > 1})
    if dupes:
        fail(f"finish-args repeat {dupes}")
    extra = [a for a in finish_args if a not in REQUIRED_FINISH_ARGS]
    absent = [a for a in REQUIRED_FINISH_ARGS if a not in finish_args]
    if extra:
        fail(f"finish-args has more than Lanchat needs: {extra}")
    if absent:
        fail(f"finish-args lacks {absent}")
    if not (extra or absent or dupes):
        ok("finish-args are exactly " + " ".join(REQUIRED_FINISH_ARGS))

    # --- modules
    modules = manifest.get("modules")
    if not isinstance(modules, list) or not modules:
        fail("the manifest has no modules")
        return report()
    for mod in modules[:-1]:
        name = mod.get("name") if isinstance(mod, dict) else str(mod)
        if name in IN_RUNTIME:
            fail(f"module {name} is already in the GNOME runtime: drop it")
    last = modules[-1]
    if not isinstance(last, dict):
        fail(f"the last module must be inline, not {last!r}")
        return report()
    if last.get("buildsystem") != "meson":
        fail(f"the last module ({last.get('name')}) has buildsystem {last.get('buildsystem')!r}, want meson")
    opts = last.get("config-opts", [])
    if "-Dtests=false" not in opts:
        fail(f"the last module's config-opts {opts} lack -Dtests=false")
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
            fail(f"config-opts {opt}: meson has no option {m.group(1)!r}")
    dirs = [s for s in last.get("sources", []) if isinstance(s, dict) and s.get("type") == "dir"]
    here = os.path.dirname(manifest_path)
    if not any(os.path.isdir(os.path.join(here, s.get("path", "")))
               and os.path.samefile(os.path.join(here, s.get("path", "")), root) for s in dirs):
        fail(f"the last module ({last.get('name')}) does not build this tree: want a source "
             f"{{\"type\": \"dir\", \"path\": \"..\"}} (relative to flatpak/), have {last.get('sources')}")
    if not [f for f in failures if "last module" in f or "config-opts" in f]:
        ok(f"the last module ({last.get('name')}) builds this tree with meson, {' '.join(opts)}")

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
