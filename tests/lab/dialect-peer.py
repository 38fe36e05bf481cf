#!/usr/bin/env python3
# A crafted IPMsg peer in the shape of FeiQ or of IP Messenger for Windows, for
# tests/lab/test-dialects.sh. Inside the lab only: it refuses to send anywhere but
# 10.77.0.0/24.
#
#   feiq:  GBK fields, version "1_lbt6_0#128#<MAC>#0#0#0#4001#9", no UTF-8 block, no option
#          bits on its entry; it reads every datagram as GBK.
#   ipmsg: CP932 legacy fields and a UTF-8 block (draft 14), CAPUTF8OPT on its entry; a
#          message with UTF8OPT is UTF-8, one without is CP932.
#
# It announces itself to --lanchat, checks the ANSENTRY (names decoded in its charset), sends
# its messages (each must be acknowledged with RECVMSG naming its packet number), answers any
# BR_ENTRY with its own ANSENTRY, acknowledges what it gets, and waits for a SENDMSG whose text,
# decoded as the shape would, is --expect-reply. Prints one line per event; exits 0 when all held.
import argparse
import ipaddress
import socket
import sys
import time

LAB = ipaddress.ip_network("10.77.0.0/24")
BR_ENTRY, ANSENTRY, SENDMSG, RECVMSG = 0x01, 0x03, 0x20, 0x21
SENDCHECKOPT, SECRETOPT, READCHECKOPT = 0x100, 0x200, 0x100000
UTF8OPT, CAPUTF8OPT = 0x00800000, 0x01000000

ap = argparse.ArgumentParser()
ap.add_argument("shape", choices=["feiq", "ipmsg"])
ap.add_argument("--lanchat", required=True)
ap.add_argument("--expect-nick", required=True)
ap.add_argument("--expect-group", required=True)
ap.add_argument("--expect-reply", required=True)
ap.add_argument("--replies", type=int, default=1, help="how many such replies to wait for")
ap.add_argument("--timeout", type=float, default=30.0)
args = ap.parse_args()

if ipaddress.ip_address(args.lanchat) not in LAB:
    sys.exit("refusing %s: not in %s" % (args.lanchat, LAB))

if args.shape == "feiq":
    VERSION = "1_lbt6_0#128#000C29D68D8F#0#0#0#4001#9"
    USER, HOST, NICK, GROUP = "feiq", "PC-01", "飞秋用户", "研发部"
    CHARSET = "gb18030"
    ENTRY_OPTIONS = 0
    # (text, options, charset it is written in)
    MESSAGES = [("你好，我是飞秋", SENDCHECKOPT, "gb18030")]
else:
    VERSION = "1"
    USER, HOST, NICK, GROUP = "yamada", "ipm-pc", "山田太郎", "営業部"
    CHARSET = "cp932"
    ENTRY_OPTIONS = CAPUTF8OPT
    MESSAGES = [("会議は三時です", SENDCHECKOPT | UTF8OPT, "utf-8"),
                ("こんにちは", SENDCHECKOPT, "cp932"),
                ("封緘の秘密", SENDCHECKOPT | SECRETOPT | READCHECKOPT | UTF8OPT, "utf-8")]

failures = []


def say(*parts):
    print(args.shape + ":", *parts, flush=True)


def fail(text):
    failures.append(text)
    say("FAIL", text)


packet_no = int(time.time()) % 100000 * 10


def build(command, extra):
    global packet_no
    packet_no += 1
    head = "%s:%d:%s:%s:%d:" % (VERSION, packet_no, USER, HOST, command)
    return packet_no, head.encode(CHARSET) + extra


def entry_extra():
    extra = NICK.encode(CHARSET) + b"\0" + GROUP.encode(CHARSET) + b"\0"
    if args.shape == "ipmsg":
        extra += ("\nUN:%s\nHN:%s\nNN:%s\nGN:%s\n" % (USER, HOST, NICK, GROUP)).encode("utf-8") + b"\0"
    return extra


def parse(data):
    fields = data.split(b":", 5)
    if len(fields) != 6:
        return None
    try:
        return {"no": int(fields[1]), "command": int(fields[4]), "extra": fields[5],
                "user": fields[2], "host": fields[3]}
    except ValueError:
        return None


sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind(("0.0.0.0", 2425))
sock.settimeout(0.2)


def send(command, extra, to):
    if ipaddress.ip_address(to[0]) not in LAB:
        sys.exit("refusing %s: not in %s" % (to[0], LAB))
    no, data = build(command, extra)
    sock.sendto(data, (to[0], 2425))
    return no


def check_entry(packet, who):
    """The names in an ANSENTRY, read as this client reads them."""
    sections = packet["extra"].split(b"\0")
    try:
        nick = sections[0].decode(CHARSET)
        group = sections[1].decode(CHARSET) if len(sections) > 1 else ""
    except UnicodeDecodeError as e:
        fail("ANSENTRY from %s: names not %s: %r (%s)" % (who, CHARSET, packet["extra"], e))
        return
    if nick != args.expect_nick or group != args.expect_group:
        fail("ANSENTRY from %s reads as %r / %r in %s, want %r / %r"
             % (who, nick, group, CHARSET, args.expect_nick, args.expect_group))
    else:
        say("ANSENTRY from %s: %s / %s in %s" % (who, nick, group, CHARSET))
    if args.shape == "feiq":
        # FeiQ decodes the whole datagram as GBK: nothing in it may be other bytes.
        try:
            packet["extra"].decode(CHARSET)
        except UnicodeDecodeError as e:
            fail("ANSENTRY from %s is not GBK as a whole: %r (%s)" % (who, packet["extra"], e))
    elif len(sections) > 2 and sections[2].startswith(b"\n"):
        block = sections[2].decode("utf-8", "replace")
        if "\nNN:%s\n" % args.expect_nick not in block:
            fail("ANSENTRY from %s: UTF-8 block %r lacks NN:%s" % (who, block, args.expect_nick))


send(BR_ENTRY | ENTRY_OPTIONS, entry_extra(), (args.lanchat, 2425))
entry_answered = False
pending = {}        # packet no -> text, waiting for RECVMSG
replies_seen = 0
sent_messages = False
deadline = time.monotonic() + args.timeout
next_entry = time.monotonic() + 2.0

while time.monotonic() < deadline:
    if entry_answered and not sent_messages:
        for text, options, charset in MESSAGES:
            no = send(SENDMSG | options, text.encode(charset) + b"\0", (args.lanchat, 2425))
            pending[no] = text
        sent_messages = True
    if not entry_answered and time.monotonic() > next_entry:
        # Lost, or not answered yet: announce again, as a client would on Refresh.
        send(BR_ENTRY | ENTRY_OPTIONS, entry_extra(), (args.lanchat, 2425))
        next_entry = time.monotonic() + 2.0
    if sent_messages and not pending and replies_seen >= args.replies:
        break
    try:
        data, source = sock.recvfrom(65536)
    except socket.timeout:
        continue
    if ipaddress.ip_address(source[0]) not in LAB:
        continue
    packet = parse(data)
    if packet is None:
        continue
    mode, options = packet["command"] & 0xff, packet["command"] & ~0xff
    if mode == BR_ENTRY:
        send(ANSENTRY | ENTRY_OPTIONS, entry_extra(), source)
    elif mode == ANSENTRY and source[0] == args.lanchat and not entry_answered:
        entry_answered = True
        check_entry(packet, source[0])
    elif mode == RECVMSG:
        named = packet["extra"].split(b"\0")[0].decode("ascii", "replace")
        if named.isdigit() and int(named) in pending:
            say("RECVMSG for %s (%s)" % (named, pending.pop(int(named))))
    elif mode == SENDMSG:
        if options & SENDCHECKOPT:
            send(RECVMSG, b"%d\0" % packet["no"], source)
        body = packet["extra"].split(b"\0")[0]
        charset = "utf-8" if args.shape == "ipmsg" and options & UTF8OPT else CHARSET
        if args.shape == "feiq" and options & UTF8OPT:
            fail("SENDMSG from %s has UTF8OPT, which FeiQ never announced" % source[0])
        try:
            text = body.decode(charset)
        except UnicodeDecodeError as e:
            fail("SENDMSG from %s not %s: %r (%s)" % (source[0], charset, body, e))
            continue
        say("SENDMSG from %s in %s: %s" % (source[0], charset, text))
        if text == args.expect_reply:
            replies_seen += 1

if not entry_answered:
    fail("no ANSENTRY from %s" % args.lanchat)
for no, text in pending.items():
    fail("message %d (%s) never acknowledged" % (no, text))
if replies_seen < args.replies:
    fail("%d of %d SENDMSGs reading %r in its charset" % (replies_seen, args.replies, args.expect_reply))
say("done" if not failures else "failed: %d" % len(failures))
sys.exit(1 if failures else 0)
