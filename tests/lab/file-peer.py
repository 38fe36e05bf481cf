#!/usr/bin/env python3
"""A crafted IPMsg peer that offers and serves hostile files, for tests/lab/test-files*.sh.

Runs INSIDE lab namespaces only: every destination must be in 10.77.0.0/24.

  file-peer.py offer --lanchat IP --outside DIR [--timeout S] [--stall-hold S] [--phases P,...]
      Announce to IP (BR_ENTRY, CAPUTF8OPT|FILEATTACHOPT), then make one offer per phase
      (SENDMSG|SENDCHECKOPT|FILEATTACHOPT|UTF8OPT), each once the previous one was released
      (RELEASEFILES) or after --phase-timeout. Serves the offers on TCP 2425 (GETFILEDATA,
      GETDIRFILES), each case in its own way (see CASES): hostile names, folder streams that
      climb out or lie about sizes, a stall. --outside is a folder outside the receiver's
      download folder: absolute names point into it, so the test can check it stays empty.
  file-peer.py fetch --lanchat IP --packet-no N [--file-ids 0,1,2] [--spread K] [--read-timeout S]
                     [--user U --host H]
      Try to fetch from IP files of offers that were not made to this host: GETFILEDATA and
      GETDIRFILES for packet numbers N-K..N+K and each file id, offset 0, in packets naming
      U@H (by default the user and host of the peer the test offered to: an impostor). Exit 0
      when not one byte was served, 1 otherwise (--expect-served inverts that: a control run).

Prints one JSON object per line: {"event": "offer"|"request"|"served"|"release"|"fetch"|
"done", ...}. The "offer" event lists every case with its packet_no and file_id, so the
test can pair each case with what the receiver printed.
"""
import argparse
import hashlib
import ipaddress
import json
import socket
import sys
import threading
import time

LAB = ipaddress.ip_network("10.77.0.0/24")
PORT = 2425
BR_ENTRY, ANSENTRY, SENDMSG, RECVMSG = 0x01, 0x03, 0x20, 0x21
GETFILEDATA, RELEASEFILES, GETDIRFILES = 0x60, 0x61, 0x62
SENDCHECKOPT, FILEATTACHOPT, UTF8OPT, CAPUTF8OPT = 0x100, 0x00200000, 0x00800000, 0x01000000
REGULAR, DIRECTORY, RETPARENT = 1, 2, 3
USER, HOST, NICK = "hostile", "filepeer", "file-peer"

out_lock = threading.Lock()


def emit(**fields):
    with out_lock:
        print(json.dumps(fields, ensure_ascii=True), flush=True)


def in_lab(addr):
    if ipaddress.ip_address(addr) not in LAB:
        sys.exit("refusing %s: not in %s" % (addr, LAB))


def content(tag, size):
    """Deterministic bytes: the test recomputes nothing, it compares the sha256 we print."""
    seed = hashlib.sha256(tag.encode()).digest()
    out = bytearray()
    block = seed
    while len(out) < size:
        block = hashlib.sha256(block).digest()
        out += block
    return bytes(out[:size])


def header(name, size, attr):
    """One GETDIRFILES header: header-size (4 hex digits, counting itself) :name:size:attr:"""
    if isinstance(name, str):
        name = name.encode("utf-8")
    rest = name.replace(b":", b"::") + b":%x:%x:" % (size, attr)
    return b"%04x:" % (5 + len(rest)) + rest


def entry(name, data):
    return header(name, len(data), REGULAR) + data


def up():
    return header(".", 0, RETPARENT)


def down(name):
    return header(name, 0, DIRECTORY)


# Each case: name offered (bytes, UTF-8 unless hostile), attr, size announced in the offer,
# how it is served, and what the receiver must do:
#   refuse  - a JSON line with a "why", nothing saved under that name
#   save    - saved whole; "saved_as" is the file name it must get in the download folder
#   either  - saved or refused, but nothing may escape the download folder
def make_cases(outside):
    ok = content("ok", 65536)
    small = b"escaped!\n"
    cases = []

    def add(phase, case, name, attr, size, serve, expect, **extra):
        if isinstance(name, str):
            name = name.encode("utf-8")
        cases.append(dict(phase=phase, case=case, name=name, attr=attr, size=size,
                          serve=serve, expect=expect, **extra))

    # Phase "names": plain files whose offered names are hostile. Each is refused before a
    # byte is asked for; if one were fetched, its data says so.
    hostile = [
        ("slash", "../escaped-slash.txt"),
        ("subdir", "sub/escaped-subdir.txt"),
        ("dotdot", ".."),
        ("dot", "."),
        ("absolute", outside + "/escaped-absolute.txt"),
        ("backslash", "..\\escaped-backslash.txt"),
        ("control", "escaped-ctl\x01.txt"),
        ("escape-seq", "escaped-\x1b[31mred.txt"),
        ("del", "escaped-\x7f.txt"),
        ("reserved-con", "CON"),
        ("reserved-aux", "aux.txt"),
        ("reserved-com1", "com1.log"),
        ("too-long", "escaped-" + "x" * 300 + ".txt"),
        ("tilde", "~escaped"),
        ("trailing-dot", "escaped."),
        ("trailing-space", "escaped "),
    ]
    for case, name in hostile:
        add("names", case, name, REGULAR, len(small), ("exact", small), "refuse")
    # Not UTF-8 although the offer says UTF8OPT: refused, or decoded with replacement
    # characters (never raw bytes on disk).
    add("names", "bad-utf8", b"badutf8-\xff\xfe.txt", REGULAR, len(small), ("exact", small), "either")

    # Phase "good": names that are fine, and must not overwrite anything.
    add("good", "ok", "ok.txt", REGULAR, len(ok), ("exact", ok), "save", saved_as="ok.txt")
    add("good", "colon", "colon:name.txt", REGULAR, len(ok), ("exact", ok), "save",
        saved_as="colon:name.txt")
    # No drive on Linux: "C:" before a name is two ordinary characters (iptux sends such names).
    add("good", "drive", "C:drive.txt", REGULAR, 1000, ("exact", ok[:1000]), "save", saved_as="C:drive.txt")
    add("good", "unicode", "日本語 ✓.txt", REGULAR, 1000, ("exact", ok[:1000]), "save",
        saved_as="日本語 ✓.txt")
    # The test made "exists.txt" (a regular file) and "link.txt" (a dangling symlink into
    # --outside) in the download folder beforehand.
    add("good", "exists", "exists.txt", REGULAR, 1000, ("exact", ok[:1000]), "save",
        saved_as="exists (1).txt")
    add("good", "symlink", "link.txt", REGULAR, 1000, ("exact", ok[:1000]), "save",
        saved_as="link (1).txt")
    add("good", "empty", "empty.txt", REGULAR, 0, ("exact", b""), "save", saved_as="empty.txt")
    # The same name again in the next offer: "same (1).txt".
    add("good", "same-1", "same.txt", REGULAR, 100, ("exact", ok[:100]), "save", saved_as="same.txt")
    add("again", "same-2", "same.txt", REGULAR, 200, ("exact", ok[:200]), "save",
        saved_as="same (1).txt")

    # Phase "folders": streams that try to climb out.
    inner = content("inner", 3000)
    good_tree = (down("tree") + entry("a.txt", inner) + down("sub") + entry("b.txt", inner[:10])
                 + up() + entry("colon:inside.txt", b"") + up())
    add("folders", "tree", "tree", DIRECTORY, 0, ("raw", good_tree), "save", saved_as="tree",
        tree={"a.txt": hashlib.sha256(inner).hexdigest(),
              "sub/b.txt": hashlib.sha256(inner[:10]).hexdigest(),
              "colon:inside.txt": hashlib.sha256(b"").hexdigest()})
    add("folders", "climb-first", "climb-first", DIRECTORY, 0,
        ("raw", up() + entry("escaped-climb-first.txt", small)), "refuse")
    add("folders", "climb-above", "climb-above", DIRECTORY, 0,
        ("raw", down("climb-above") + entry("in.txt", small) + up() + up()
         + entry("escaped-climb-above.txt", small)), "refuse")
    add("folders", "entry-dotdot", "entry-dotdot", DIRECTORY, 0,
        ("raw", down("entry-dotdot") + entry("../escaped-entry-dotdot.txt", small) + up()), "refuse")
    add("folders", "dir-dotdot", "dir-dotdot", DIRECTORY, 0,
        ("raw", down("dir-dotdot") + down("..") + down("..") + entry("escaped-dir-dotdot.txt", small)
         + up() + up() + up()), "refuse")
    add("folders", "entry-absolute", "entry-absolute", DIRECTORY, 0,
        ("raw", down("entry-absolute") + entry(outside + "/escaped-entry-absolute.txt", small) + up()),
        "refuse")
    add("folders", "entry-nul", "entry-nul", DIRECTORY, 0,
        ("raw", down("entry-nul") + entry(b"a\0/../../escaped-entry-nul.txt", small) + up()), "refuse")
    add("folders", "entry-control", "entry-control", DIRECTORY, 0,
        ("raw", down("entry-control") + entry("escaped-\x1b]0;title\x07.txt", small) + up()), "refuse")
    # The stream's own top header names another place than the offer did.
    add("folders", "top-renamed", "top-renamed", DIRECTORY, 0,
        ("raw", down("../escaped-top-renamed") + entry("x.txt", small) + up()), "either")

    # Phase "lies": sizes that are not true.
    add("lies", "more", "more.bin", REGULAR, 1000, ("exact", ok[:1000] + b"EXTRA" * 200), "either",
        saved_sha256=hashlib.sha256(ok[:1000]).hexdigest())
    add("lies", "fewer", "fewer.bin", REGULAR, 100000, ("close-after", ok[:5000]), "refuse")
    add("lies", "none", "none.bin", REGULAR, 1000, ("close-after", b""), "refuse")
    add("lies", "dir-more", "dir-more", DIRECTORY, 0,
        ("raw", down("dir-more") + header("f.txt", 10, REGULAR) + b"0123456789" + b"ABCDEFGHIJ"
         + up()), "refuse")
    add("lies", "dir-fewer", "dir-fewer", DIRECTORY, 0,
        ("raw", down("dir-fewer") + header("f.txt", 5000, REGULAR) + small), "refuse")
    add("lies", "dir-none", "dir-none", DIRECTORY, 0, ("raw", b""), "refuse")
    add("lies", "dir-unended", "dir-unended", DIRECTORY, 0,
        ("raw", down("dir-unended") + entry("f.txt", small)), "refuse")

    # Phase "stall": silence with the connection open; the file sends nothing at all (one
    # that had sent some bytes would be tried again by receive, resuming: twice the wait),
    # the folder a header and part of a file.
    add("stall", "stall", "stall.bin", REGULAR, 100000, ("stall", b""), "refuse")
    add("stall", "dir-stall", "dir-stall", DIRECTORY, 0,
        ("stall", down("dir-stall") + header("f.txt", 5000, REGULAR) + small), "refuse")
    return cases


def record(file_id, case):
    name = case["name"].replace(b":", b"::")
    return b"%d:%s:%x:%x:%x:\a" % (file_id, name, case["size"], 1700000000, case["attr"])


class Peer:
    def __init__(self, args):
        self.args = args
        self.packet_no = int(time.time()) % 100000 * 100
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.udp.bind(("0.0.0.0", PORT))
        self.udp.settimeout(0.1)
        self.offers = {}      # packet no -> {file id: case}
        self.released = set()
        self.acked = set()
        self.lock = threading.Lock()
        self.stalls = []

    def next_no(self):
        self.packet_no += 1
        return self.packet_no

    def send(self, command, extra, to, no=None):
        in_lab(to)
        no = no if no is not None else self.next_no()
        head = b"1:%d:%s:%s:%d:" % (no, USER.encode(), HOST.encode(), command)
        self.udp.sendto(head + extra, (to, PORT))
        return no

    def entry_extra(self):
        return NICK.encode() + b"\0lab\0\nUN:%s\nHN:%s\nNN:%s\nGN:lab\n\0" % (
            USER.encode(), HOST.encode(), NICK.encode())

    def handle_udp(self, data, source):
        fields = data.split(b":", 5)
        if len(fields) != 6:
            return None
        try:
            no, command = int(fields[1]), int(fields[4])
        except ValueError:
            return None
        mode = command & 0xFF
        if mode == BR_ENTRY:
            self.send(ANSENTRY | CAPUTF8OPT | FILEATTACHOPT, self.entry_extra(), source[0])
        elif mode == SENDMSG and command & SENDCHECKOPT:
            self.send(RECVMSG, b"%d\0" % no, source[0])
        elif mode == RECVMSG:
            named = fields[5].split(b"\0")[0]
            if named.isdigit():
                self.acked.add(int(named))
        elif mode == RELEASEFILES:
            named = fields[5].split(b"\0")[0]
            try:
                released = int(named)
            except ValueError:
                released = None
            emit(event="release", packet_no=released, raw=named.decode("ascii", "replace"))
            with self.lock:
                self.released.add(released)
        return mode

    def pump(self, seconds):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            try:
                data, source = self.udp.recvfrom(65536)
            except socket.timeout:
                continue
            if ipaddress.ip_address(source[0]) in LAB:
                self.handle_udp(data, source)

    def announce(self, deadline):
        lanchat = self.args.lanchat
        while time.monotonic() < deadline:
            self.send(BR_ENTRY | CAPUTF8OPT | FILEATTACHOPT, self.entry_extra(), lanchat)
            end = time.monotonic() + 1.0
            while time.monotonic() < end:
                try:
                    data, source = self.udp.recvfrom(65536)
                except socket.timeout:
                    continue
                if source[0] == lanchat and self.handle_udp(data, source) == ANSENTRY:
                    return True
        return False

    def offer(self, phase, cases):
        files = {}
        body = b""
        for i, case in enumerate(cases):
            files[i + 1] = case
            body += record(i + 1, case)
        text = ("hostile offer: %s" % phase).encode()
        no = self.next_no()
        with self.lock:
            self.offers[no] = files
        emit(event="offer", phase=phase, packet_no=no,
             cases=[dict(case=c["case"], file_id=fid, name=c["name"].decode("utf-8", "backslashreplace"),
                         directory=c["attr"] == DIRECTORY, size=c["size"], expect=c["expect"],
                         saved_as=c.get("saved_as"), tree=c.get("tree"),
                         saved_sha256=c.get("saved_sha256", hashlib.sha256(c["serve"][1]).hexdigest()
                                            if c["expect"] == "save" else None))
                    for fid, c in files.items()])
        command = SENDMSG | SENDCHECKOPT | FILEATTACHOPT | UTF8OPT
        extra = text + b"\0" + body + b"\0"
        for _ in range(4):
            self.send(command, extra, self.args.lanchat, no=no)
            end = time.monotonic() + 1.0
            while no not in self.acked and time.monotonic() < end:
                self.pump(0.1)
            if no in self.acked:
                break
        return no

    # TCP

    def serve(self, conn, source):
        conn.settimeout(10)
        data = b""
        try:
            # The request is one whole packet, with or without a NUL at its end: read until
            # the NUL, or until it has been quiet for a moment after the first bytes.
            while b"\0" not in data and len(data) < 8192:
                piece = conn.recv(8192)
                if not piece:
                    break
                data += piece
                conn.settimeout(0.3)
        except socket.timeout:
            pass
        except OSError:
            conn.close()
            return
        fields = data.split(b"\0")[0].split(b":", 5)
        if len(fields) != 6:
            emit(event="request", bad=data.decode("latin-1"))
            conn.close()
            return
        try:
            command = int(fields[4])
            parts = [int(p, 16) for p in fields[5].split(b":") if p]
        except ValueError:
            emit(event="request", bad=data.decode("latin-1"))
            conn.close()
            return
        mode = command & 0xFF
        packet, file_id = (parts + [None, None])[:2]
        offset = parts[2] if len(parts) > 2 else 0
        with self.lock:
            case = self.offers.get(packet, {}).get(file_id)
        emit(event="request", cmd={GETFILEDATA: "GETFILEDATA", GETDIRFILES: "GETDIRFILES"}.get(mode, mode),
             packet_no=packet, file_id=file_id, offset=offset, source=source[0],
             case=case["case"] if case else None)
        if case is None:
            conn.close()
            return
        how, payload = case["serve"]
        if mode == GETFILEDATA:
            payload = payload[offset:]
        sent = 0
        closed_by = "us"
        started = time.monotonic()
        try:
            conn.settimeout(10)
            if payload:
                conn.sendall(payload)
                sent = len(payload)
            if how == "stall":
                # Hold the connection open and silent until the receiver gives up.
                conn.settimeout(self.args.stall_hold)
                try:
                    closed_by = "peer" if conn.recv(1) == b"" else "peer-sent-data"
                except socket.timeout:
                    closed_by = "us-after-hold"
                except OSError:
                    closed_by = "peer"
        except OSError as e:
            closed_by = "peer (%s)" % e.__class__.__name__
        emit(event="served", case=case["case"], packet_no=packet, file_id=file_id, bytes=sent,
             closed_by=closed_by, seconds=round(time.monotonic() - started, 2))
        try:
            conn.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        conn.close()

    def listen_tcp(self):
        self.tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.tcp.bind(("0.0.0.0", PORT))
        self.tcp.listen(16)

        def loop():
            while True:
                try:
                    conn, source = self.tcp.accept()
                except OSError:
                    return
                if ipaddress.ip_address(source[0]) not in LAB:
                    conn.close()
                    continue
                threading.Thread(target=self.serve, args=(conn, source), daemon=True).start()

        threading.Thread(target=loop, daemon=True).start()


def run_offer(args):
    in_lab(args.lanchat)
    cases = make_cases(args.outside.rstrip("/"))
    phases = args.phases.split(",")
    peer = Peer(args)
    peer.listen_tcp()
    deadline = time.monotonic() + args.timeout
    if not peer.announce(min(deadline, time.monotonic() + 10)):
        emit(event="done", ok=False, why="no ANSENTRY from %s" % args.lanchat)
        return 1
    unreleased = []
    for phase in phases:
        chosen = [c for c in cases if c["phase"] == phase]
        if not chosen:
            sys.exit("unknown phase %s" % phase)
        no = peer.offer(phase, chosen)
        if no not in peer.acked:
            emit(event="unacknowledged", phase=phase, packet_no=no)
        end = min(deadline, time.monotonic() + args.phase_timeout)
        while no not in peer.released and time.monotonic() < end:
            peer.pump(0.1)
        if no not in peer.released:
            unreleased.append(no)
            emit(event="unreleased", phase=phase, packet_no=no)
    # Let the last "served" events (a stall being given up) come out.
    peer.pump(0.5)
    emit(event="done", ok=not unreleased, unreleased=unreleased)
    return 0 if not unreleased else 1


def try_fetch(lanchat, command, extra, timeout, user, host):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    got = 0
    try:
        s.connect((lanchat, PORT))
    except OSError as e:
        return 0, "connect failed (%s)" % e.__class__.__name__
    try:
        no = int(time.time() * 1000) % 1000000000
        s.sendall(b"1:%d:%s:%s:%d:%s\0" % (no, user.encode(), host.encode(), command, extra))
        while True:
            piece = s.recv(65536)
            if not piece:
                return got, "closed"
            got += len(piece)
    except socket.timeout:
        return got, "timeout"
    except OSError as e:
        return got, "reset (%s)" % e.__class__.__name__
    finally:
        s.close()


def run_fetch(args):
    in_lab(args.lanchat)
    ids = [int(x) for x in args.file_ids.split(",")]
    total = 0
    for packet in range(args.packet_no - args.spread, args.packet_no + args.spread + 1):
        for fid in ids:
            for command, extra in ((GETFILEDATA, b"%x:%x:0" % (packet, fid)),
                                   (GETDIRFILES, b"%x:%x" % (packet, fid))):
                got, how = try_fetch(args.lanchat, command, extra, args.read_timeout, args.user, args.host)
                total += got
                emit(event="fetch", cmd="GETFILEDATA" if command == GETFILEDATA else "GETDIRFILES",
                     packet_no=packet, file_id=fid, bytes=got, result=how)
    emit(event="done", served_bytes=total)
    if args.expect_served:
        return 0 if total > 0 else 1
    return 0 if total == 0 else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["offer", "fetch"])
    ap.add_argument("--lanchat", required=True)
    ap.add_argument("--outside", default="/nonexistent-outside")
    ap.add_argument("--phases", default="names,good,again,folders,lies,stall")
    ap.add_argument("--timeout", type=float, default=100.0)
    ap.add_argument("--phase-timeout", type=float, default=20.0)
    ap.add_argument("--stall-hold", type=float, default=90.0)
    ap.add_argument("--packet-no", type=int, default=0)
    ap.add_argument("--file-ids", default="0,1,2")
    ap.add_argument("--spread", type=int, default=0)
    ap.add_argument("--expect-served", action="store_true")
    ap.add_argument("--user", default="labb", help="fetch: the user name in the request")
    ap.add_argument("--host", default="b", help="fetch: the host name in the request")
    ap.add_argument("--read-timeout", type=float, default=2.0,
                    help="fetch: how long one attempt waits for bytes")
    args = ap.parse_args()
    if args.mode == "offer":
        return run_offer(args)
    return run_fetch(args)


if __name__ == "__main__":
    sys.exit(main())
