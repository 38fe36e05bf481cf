#!/usr/bin/env python3
"""Tiny IPMsg/UDP helper for the Lanchat lab (runs INSIDE lab namespaces only).

  ipmsg-probe.py entry --to IP [--port 2425] [--bind ADDR] [--sport N] [--timeout S]
      send BR_ENTRY "1:<no>:labprobe:labhost:1:probe\\0lab\\0" to IP; wait for an
      ANSENTRY (command & 0xff == 3) from IP; print every packet received. Exit 0 if one came.
      (iptux answers to port 2425 of the sender's address, whatever the source port:
      probe from another host with --sport 2425.)
      With --expect-nick NICK [--expect-group G] --encoding ENC: only an ANSENTRY whose
      nickname (and group) read as NICK (G) in ENC counts, and the whole datagram must
      decode in ENC (iptux writes one charset per datagram).
  ipmsg-probe.py message --to IP [--text TEXT] [--timeout S] [--sport N]
      send SENDMSG|SENDCHECKOPT; wait for RECVMSG naming our packet-no. Exit 0 if acked.
  ipmsg-probe.py bcast --to ADDR --count N [--port P]
      send N plain datagrams "lab-N" to ADDR (broadcast allowed).
  ipmsg-probe.py recv --count N [--port P] [--timeout S]
      receive until N datagrams came; print "recv FROM LEN"; exit 0 if N came.
  ipmsg-probe.py raw --to IP --packet '1:7:u:h:1:nick\\0grp\\0' [--sport N] [--linger S]
      send one datagram as given (Python escapes), print what comes back within --linger.
  ipmsg-probe.py sniff [--port P] [--timeout S]
      bind 0.0.0.0:P and print every datagram for S seconds.

The lab forbids traffic outside 10.77.0.0/24 and loopback: every destination is checked.
"""
import argparse
import ipaddress
import socket
import sys
import time

LAB_NET = ipaddress.ip_network("10.77.0.0/24")
LOOP_NET = ipaddress.ip_network("127.0.0.0/8")


def allowed(addr):
    a = ipaddress.ip_address(addr)
    if a not in LAB_NET and a not in LOOP_NET:
        sys.exit("refusing to send to %s: outside the lab" % addr)


def show(data, src):
    parts = data.split(b":", 5)
    cmd = ""
    if len(parts) >= 5:
        try:
            c = int(parts[4])
            cmd = " cmd=0x%02x flags=0x%08x" % (c & 0xFF, c & 0xFFFFFF00)
        except ValueError:
            pass
    print("recv %s:%d len=%d%s %r" % (src[0], src[1], len(data), cmd, data), flush=True)


def command_of(data):
    parts = data.split(b":", 5)
    if len(parts) < 5:
        return None, parts
    try:
        return int(parts[4]), parts
    except ValueError:
        return None, parts


def sock(bind, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    s.bind((bind, port))
    return s


def wait(s, deadline, want):
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        s.settimeout(left)
        try:
            data, src = s.recvfrom(65536)
        except socket.timeout:
            return False
        show(data, src)
        if want(data, src):
            return True


def finish(s, ok, linger):
    if ok and linger > 0:
        wait(s, time.monotonic() + linger, lambda d, src: False)
    return 0 if ok else 1


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["entry", "message", "bcast", "recv", "sniff", "raw"])
    p.add_argument("--text", default="hello from the lab")
    p.add_argument("--packet", help="raw: the datagram, with Python escapes (\\0, \\x07)")
    p.add_argument("--linger", type=float, default=0.0,
                   help="after success, keep printing what arrives for this many seconds")
    p.add_argument("--to")
    p.add_argument("--port", type=int, default=2425)
    p.add_argument("--bind", default="0.0.0.0")
    p.add_argument("--sport", type=int, default=0)
    p.add_argument("--count", type=int, default=1)
    p.add_argument("--expect-nick")
    p.add_argument("--expect-group")
    p.add_argument("--encoding", default="utf-8")
    p.add_argument("--timeout", type=float, default=3.0)
    a = p.parse_args()
    deadline = time.monotonic() + a.timeout

    if a.mode in ("recv", "sniff"):
        s = sock(a.bind, a.port)
        got = 0
        while got < a.count or a.mode == "sniff":
            left = deadline - time.monotonic()
            if left <= 0:
                break
            s.settimeout(left)
            try:
                data, src = s.recvfrom(65536)
            except socket.timeout:
                break
            got += 1
            show(data, src)
        return 0 if (a.mode == "sniff" or got >= a.count) else 1

    allowed(a.to)
    s = sock(a.bind, a.sport)
    pno = int(time.time()) % 1000000
    if a.mode == "raw":
        pkt = a.packet.encode("latin-1").decode("unicode_escape").encode("latin-1")
        s.sendto(pkt, (a.to, a.port))
        print("sent %r" % pkt, flush=True)
        return finish(s, True, a.linger)
    if a.mode == "bcast":
        for i in range(a.count):
            s.sendto(b"lab-%d" % i, (a.to, a.port))
        print("sent %d to %s:%d" % (a.count, a.to, a.port))
        return 0
    if a.mode == "entry":
        pkt = b"1:%d:labprobe:labhost:1:probe\0lab\0" % pno
        s.sendto(pkt, (a.to, a.port))
        print("sent %r" % pkt, flush=True)

        def want(data, src):
            c, parts = command_of(data)
            if c is None or (c & 0xFF) != 3 or src[0] != a.to:
                return False
            if a.expect_nick is None:
                return True
            try:
                data.decode(a.encoding)
                sections = parts[5].split(b"\0")
                nick = sections[0].decode(a.encoding)
                group = sections[1].decode(a.encoding) if len(sections) > 1 else ""
            except (UnicodeDecodeError, IndexError):
                print("answer does not decode as %s" % a.encoding, flush=True)
                return False
            print("answer in %s: nickname %s, group %s" % (a.encoding, nick, group), flush=True)
            return nick == a.expect_nick and (a.expect_group is None or group == a.expect_group)

        return finish(s, wait(s, deadline, want), a.linger)
    if a.mode == "message":
        pkt = b"1:%d:labprobe:labhost:%d:%s\0" % (pno, 0x20 | 0x100, a.text.encode())
        s.sendto(pkt, (a.to, a.port))
        print("sent %r" % pkt, flush=True)

        def want(data, src):
            c, parts = command_of(data)
            return (c is not None and (c & 0xFF) == 0x21 and src[0] == a.to
                    and parts[5].split(b"\0")[0] == b"%d" % pno)

        return finish(s, wait(s, deadline, want), a.linger)
    return 2


if __name__ == "__main__":
    sys.exit(main())
