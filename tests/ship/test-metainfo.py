#!/usr/bin/env python3
"""The metainfo, the DOAP file and the README say what Flathub, GNOME Software and
a GNOME Circle reviewer look for, and agree with each other and with the tree.

- data/<app-id>.metainfo.xml.in: <developer id><name> (not <developer_name>); light
  and dark primary <branding> colours in the icon's hue; a summary of at most 35
  characters; homepage, bugtracker, vcs-browser and contact URLs of the project's
  repository (a translate URL only once there is a platform); screenshots at the tag
  of this version, every one a file in data/screenshots/ of at most 1000x700, and
  every file there shown; a release entry for meson.build's version, with notes,
  newest first; a description that says messages and files cross the network
  unencrypted; the display length it requires;
- `appstreamcli validate --pedantic` on it (and on the merged, built one) reports
  nothing but the issues listed in ALLOWED_ISSUES, each with its reason;
- lanchat.doap: name, short description (the metainfo's summary), homepage and bug
  database (the metainfo's), programming language C, platforms GTK 4 and
  libadwaita, a maintainer;
- README.md has a Code of Conduct section linking GNOME's.

usage: test-metainfo.py SOURCE_ROOT [BUILT_METAINFO]
  APPSTREAMCLI: the validator (default: appstreamcli on PATH; absent: that part skipped)
"""

import colorsys
import os
import re
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET

REPOSITORY = "https://github.com/lanchat/lanchat"
SCREENSHOT_BASE = "https://raw.githubusercontent.com/lanchat/lanchat/"
MAX_SCREENSHOT = (1000, 700)
MAX_SUMMARY = 35
CONDUCT_URL = "https://conduct.gnome.org"

# (tag, hint or None, why it is not ours to fix, applies(validator version) -> bool)
ALLOWED_ISSUES = [
    ("cid-contains-uppercase-letter", None,
     "reverse-DNS app ids keep the project's capitals, as org.gnome.TextEditor does; "
     "Flathub accepts them and the id cannot change without losing users' settings",
     lambda v: True),
    ("unknown-tag", "developer",
     "<developer> came with AppStream 1.0; older validators (Debian 12 has 0.16) do not know it",
     lambda v: v < (1, 0)),
]

DOAP = "http://usefulinc.com/ns/doap#"
FOAF = "http://xmlns.com/foaf/0.1/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

failures = []


def fail(message):
    failures.append(message)


def ok(message):
    print("ok: " + message)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def text_of(element):
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def version_key(version):
    return tuple(int(p) if p.isdigit() else 0 for p in re.split(r"[.-]", version))


def rgb(colour):
    return tuple(int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))


def luminance(colour):
    def channel(c):
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def hue_distance(a, b):
    d = abs(a - b) % 1.0
    return min(d, 1.0 - d) * 360


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", head[16:24])


def check_metainfo(root, metainfo, app_id, version):
    # --- developer
    if metainfo.find("developer_name") is not None:
        fail("metainfo: <developer_name> is deprecated: use <developer id=\"…\"><name>")
    developer = metainfo.find("developer")
    if developer is None:
        fail("metainfo: no <developer id=\"…\"><name>…</name></developer>")
    else:
        dev_id = developer.get("id", "")
        name = (developer.findtext("name") or "").strip()
        if not dev_id or not app_id.startswith(dev_id + "."):
            fail(f"metainfo: <developer id=\"{dev_id}\"> is not a reverse-DNS prefix of {app_id}")
        elif not name:
            fail("metainfo: <developer> has no <name>")
        else:
            ok(f"developer {dev_id}: {name}")

    # --- branding, in the icon's colours
    icon = read(os.path.join(root, "data", "icons", "hicolor", "scalable", "apps", app_id + ".svg"))
    icon_hues = []
    for colour in set(re.findall(r"#[0-9a-fA-F]{6}\b", icon)):
        h, l, s = colorsys.rgb_to_hls(*rgb(colour))
        if s > 0.3:
            icon_hues.append((h, colour))
    colours = {}
    for c in metainfo.iterfind("branding/color"):
        if c.get("type") == "primary":
            colours[c.get("scheme_preference")] = (c.text or "").strip()
    for scheme in ("light", "dark"):
        colour = colours.get(scheme)
        if colour is None:
            fail(f"metainfo: no <branding><color type=\"primary\" scheme_preference=\"{scheme}\">")
            continue
        if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
            fail(f"metainfo: branding colour {colour!r} is not #rrggbb")
            continue
        hue = colorsys.rgb_to_hls(*rgb(colour))[0]
        near = [c for h, c in icon_hues if hue_distance(h, hue) <= 15]
        if not near:
            fail(f"metainfo: {scheme} branding {colour} is in none of the icon's hues "
                 f"({sorted(c for _, c in icon_hues)})")
        else:
            ok(f"{scheme} branding {colour}: the hue of the icon's {near[0]}")
    if "light" in colours and "dark" in colours and all(
            re.fullmatch(r"#[0-9a-fA-F]{6}", colours[s]) for s in ("light", "dark")):
        light, dark = luminance(colours["light"]), luminance(colours["dark"])
        # A banner behind the icon: light enough for dark text, dark enough for light text.
        if light < 0.3 or dark > 0.15:
            fail(f"metainfo: branding luminance light {light:.2f} (want >= 0.3), "
                 f"dark {dark:.2f} (want <= 0.15)")

    # --- summary
    summary = (metainfo.findtext("summary") or "").strip()
    if not summary or len(summary) > MAX_SUMMARY or summary.endswith("."):
        fail(f"metainfo: summary {summary!r} ({len(summary)} characters): want 1 to "
             f"{MAX_SUMMARY}, no full stop")
    else:
        ok(f"summary {summary!r}, {len(summary)} characters")

    # --- URLs
    urls = {u.get("type"): (u.text or "").strip() for u in metainfo.iterfind("url")}
    want = {
        "homepage": REPOSITORY,
        "vcs-browser": REPOSITORY,
        "bugtracker": REPOSITORY + "/issues",
        "contact": None,
    }
    for kind, expected in want.items():
        url = urls.get(kind)
        if not url:
            fail(f"metainfo: no <url type=\"{kind}\">")
        elif not url.startswith("https://"):
            fail(f"metainfo: <url type=\"{kind}\"> {url} is not https")
        elif expected is not None and url != expected:
            fail(f"metainfo: <url type=\"{kind}\"> is {url}, want {expected}")
        elif expected is None and not url.startswith(REPOSITORY):
            fail(f"metainfo: <url type=\"{kind}\"> {url} is not the project's ({REPOSITORY})")
    if "translate" in urls and not urls["translate"].startswith("https://"):
        fail(f"metainfo: <url type=\"translate\"> {urls['translate']} is not https")
    if not [f for f in failures if "<url" in f]:
        ok("urls " + ", ".join(sorted(urls)))

    # --- screenshots
    shots_dir = os.path.join(root, "data", "screenshots")
    base = f"{SCREENSHOT_BASE}v{version}/data/screenshots/"
    shown = set()
    defaults = 0
    for shot in metainfo.iterfind("screenshots/screenshot"):
        if shot.get("type") == "default":
            defaults += 1
        if not (shot.findtext("caption") or "").strip():
            fail("metainfo: a screenshot has no <caption>")
        for image in shot.iterfind("image"):
            url = (image.text or "").strip()
            if not url.startswith(base):
                fail(f"metainfo: screenshot {url} is not at the tag v{version} ({base}…)")
                continue
            name = url[len(base):]
            shown.add(name)
            path = os.path.join(shots_dir, name)
            size = png_size(path) if os.path.isfile(path) else None
            if size is None:
                fail(f"metainfo: screenshot {name} is not a PNG in data/screenshots/")
            elif size[0] > MAX_SCREENSHOT[0] or size[1] > MAX_SCREENSHOT[1]:
                fail(f"data/screenshots/{name} is {size[0]}x{size[1]}, more than "
                     f"{MAX_SCREENSHOT[0]}x{MAX_SCREENSHOT[1]}")
            else:
                ok(f"screenshot {name} {size[0]}x{size[1]} at v{version}")
    if defaults != 1:
        fail(f"metainfo: {defaults} default screenshots, want 1")
    unshown = sorted(set(os.listdir(shots_dir)) - shown) if os.path.isdir(shots_dir) else []
    if unshown:
        fail(f"data/screenshots/ has pictures the metainfo does not show: {unshown}")

    # --- releases
    releases = list(metainfo.iterfind("releases/release"))
    if not releases:
        fail("metainfo: no <release>")
    else:
        first = releases[0]
        if first.get("version") != version:
            fail(f"metainfo: the newest release is {first.get('version')}, but meson.build "
                 f"says {version}: add its entry (build-aux/make-release checks it)")
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", first.get("date", "")):
            fail(f"metainfo: release {first.get('version')} has no date YYYY-MM-DD")
        notes = first.find("description")
        if notes is None or not (list(notes.iterfind("p")) or list(notes.iterfind("ul/li"))):
            fail(f"metainfo: release {first.get('version')} has no notes")
        keys = [version_key(r.get("version", "")) for r in releases]
        if keys != sorted(keys, reverse=True):
            fail("metainfo: releases are not newest first")
        if not [f for f in failures if "release" in f]:
            ok(f"release {version} of {first.get('date')} with notes, newest first")

    # --- honesty about the wire
    description = text_of(metainfo.find("description"))
    if not re.search(r"\bunencrypted\b", description, re.I) or "iptux" not in description \
            or "FeiQ" not in description:
        fail("metainfo: the description must say plainly that messages and files cross the "
             "network unencrypted, as with iptux and FeiQ")
    else:
        ok("the description says the traffic is unencrypted")

    # --- device support (measured by ship-window-size)
    lengths = [d for d in metainfo.iterfind("requires/display_length") if d.get("compare") == "ge"]
    if len(lengths) != 1 or not (lengths[0].text or "").strip().isdigit():
        fail("metainfo: want one <requires><display_length compare=\"ge\">N</display_length> "
             "(ship-window-size checks that the window fits it)")
    else:
        ok(f"requires a display of at least {lengths[0].text.strip()} (ship-window-size)")

    return summary, urls


def validator_version(appstreamcli):
    out = subprocess.run([appstreamcli, "--version"], capture_output=True, text=True).stdout
    m = re.search(r"(\d+)\.(\d+)(?:\.(\d+))?", out)
    return tuple(int(x or 0) for x in m.groups()) if m else (0, 0, 0)


def validate(appstreamcli, path, label):
    version = validator_version(appstreamcli)
    run = subprocess.run([appstreamcli, "validate", "--pedantic", "--no-net", "--format=yaml", path],
                         capture_output=True, text=True)
    issues = []
    for block in re.split(r"\n- ", "\n" + run.stdout.split("Issues:", 1)[-1]):
        tag = re.search(r"^(?:- )?tag: (\S+)", block, re.M)
        if tag is None:
            continue
        severity = re.search(r"^\s*severity: (\S+)", block, re.M)
        hint = re.search(r"^\s*hint: (.*)$", block, re.M)
        issues.append((tag.group(1), severity.group(1) if severity else "?",
                       hint.group(1).strip() if hint else ""))
    bad = []
    for tag, severity, hint in issues:
        allowed = [a for a in ALLOWED_ISSUES
                   if a[0] == tag and (a[1] is None or a[1] == hint) and a[3](version)]
        if allowed:
            print(f"# {label}: {severity} {tag} {hint}: allowed: {allowed[0][2]}")
        else:
            bad.append(f"{severity} {tag} {hint}")
    if run.returncode != 0 and not bad:
        bad.append(f"appstreamcli exited {run.returncode}: {run.stderr.strip() or run.stdout.strip()}")
    if bad:
        print(run.stdout)
        fail(f"appstreamcli {'.'.join(map(str, version))} validate --pedantic {label}: " + "; ".join(bad))
    else:
        ok(f"appstreamcli {'.'.join(map(str, version))} validate --pedantic {label}: "
           f"nothing but the {len(issues)} allowed")


def check_doap(root, summary, urls):
    path = os.path.join(root, "lanchat.doap")
    if not os.path.isfile(path):
        fail("no lanchat.doap")
        return
    try:
        project = ET.parse(path).getroot()
    except ET.ParseError as e:
        fail(f"lanchat.doap does not parse: {e}")
        return
    if project.tag != f"{{{DOAP}}}Project":
        fail(f"lanchat.doap: the root is {project.tag}, want doap:Project")
        return

    def resource(tag):
        e = project.find(f"{{{DOAP}}}{tag}")
        return e.get(f"{{{RDF}}}resource") if e is not None else None

    name = (project.findtext(f"{{{DOAP}}}name") or "").strip()
    shortdesc = (project.findtext(f"{{{DOAP}}}shortdesc") or "").strip()
    if name != "Lanchat":
        fail(f"lanchat.doap: name {name!r}, want 'Lanchat'")
    if shortdesc != summary:
        fail(f"lanchat.doap: shortdesc {shortdesc!r} is not the metainfo's summary {summary!r}")
    if resource("homepage") != urls.get("homepage"):
        fail(f"lanchat.doap: homepage {resource('homepage')} is not the metainfo's {urls.get('homepage')}")
    if resource("bug-database") != urls.get("bugtracker"):
        fail(f"lanchat.doap: bug-database {resource('bug-database')} is not the metainfo's "
             f"{urls.get('bugtracker')}")
    languages = [(e.text or "").strip() for e in project.iterfind(f"{{{DOAP}}}programming-language")]
    if "C" not in languages:
        fail(f"lanchat.doap: programming-language {languages}, want C")
    platforms = [(e.text or "").strip() for e in project.iterfind(f"{{{DOAP}}}platform")]
    for platform in ("GTK 4", "libadwaita"):
        if platform not in platforms:
            fail(f"lanchat.doap: no <platform>{platform}</platform> (has {platforms})")
    maintainers = [(p.findtext(f"{{{FOAF}}}name") or "").strip()
                   for p in project.iterfind(f"{{{DOAP}}}maintainer/{{{FOAF}}}Person")]
    if not [m for m in maintainers if m]:
        fail("lanchat.doap: no <maintainer><foaf:Person><foaf:name>")
    if not [f for f in failures if "doap" in f]:
        ok(f"lanchat.doap: {name}, {shortdesc!r}, C, {', '.join(platforms)}, maintained by "
           + ", ".join(maintainers))


def check_readme(root):
    readme = read(os.path.join(root, "README.md"))
    m = re.search(r"^## Code of Conduct\n(.*?)(?=^## |\Z)", readme, re.M | re.S)
    if m is None:
        fail("README.md has no '## Code of Conduct' section")
    elif CONDUCT_URL not in m.group(1):
        fail(f"README.md's Code of Conduct section does not link {CONDUCT_URL}")
    else:
        ok("README.md: Code of Conduct, GNOME's")


def main():
    if len(sys.argv) not in (2, 3):
        print(__doc__.split("usage: ", 1)[1], file=sys.stderr)
        return 2
    root = os.path.abspath(sys.argv[1])
    built = sys.argv[2] if len(sys.argv) == 3 else None

    meson = read(os.path.join(root, "meson.build"))
    m = re.search(r"^base_app_id\s*=\s*'([^']+)'", meson, re.M)
    app_id = m.group(1) if m else "io.github.lanchat.Lanchat"
    m = re.search(r"project\([^)]*?\bversion\s*:\s*'([^']+)'", meson, re.S)
    version = m.group(1) if m else ""

    source = os.path.join(root, "data", app_id + ".metainfo.xml.in")
    metainfo = ET.parse(source).getroot()
    if (metainfo.findtext("id") or "").strip() != app_id:
        fail(f"metainfo <id> is not {app_id}")
    summary, urls = check_metainfo(root, metainfo, app_id, version)

    appstreamcli = os.environ.get("APPSTREAMCLI") or shutil.which("appstreamcli")
    if appstreamcli:
        validate(appstreamcli, source, os.path.basename(source))
        if built:
            validate(appstreamcli, built, "the built " + os.path.basename(built))
    else:
        print("# appstreamcli not found (build-aux/setup.sh installs appstream): not validated")

    check_doap(root, summary, urls)
    check_readme(root)

    if failures:
        for f in failures:
            print("FAIL: " + f)
        return 1
    print("all metainfo checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
