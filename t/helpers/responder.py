#!/usr/bin/env python3
"""responder.py - a scriptable, misbehaving DNS responder for client tests.

Listens on 127.0.0.1 (UDP and/or TCP, one port for both) and answers each
query according to a mode. Python 3 standard library only.

  responder.py --dir DIR [--port N] [--udp] [--tcp] [--mode M[,M...]]
               [--reply HEX]... [--reply-file FILE] [--answer-a IP]...
               [--rcode N] [--keep-id] [--delay SEC] [--garbage-len N]
               [--close-after N] [--count N] [--timeout SEC]

Files in DIR: responder.pid, responder.port (written once listening),
queries.log (one line per query received: "udp HEX" or "tcp HEX"), and
events on stdout ("sent udp 37 bytes from port N to port M: HEX"; TCP
lines show the framed stream).

The reply: the --reply messages (hex; spaces and colons ignored) and the
--reply-file lines (one hex message per line, '#' comments), in order, each
with the query's ID patched in unless --keep-id. Without any, one message
is built from the query: QR AA, RD copied, --rcode, the question copied,
and one A record (TTL 300) per --answer-a.

Modes (the Nth query uses the Nth mode of the list; the last one repeats):
  reply           send the reply messages (UDP: one datagram each;
                  TCP: a stream of length-prefixed messages, e.g. AXFR)
  garbage         --garbage-len (32) pseudo-random bytes, starting with the
                  query ID unless --keep-id
  tc              UDP: header with TC=1 plus the question only; TCP: reply
  wrong-id-first  the first message with a different ID, then the reply
  silent          never answer (the query is still logged)
  other-port      UDP: the reply from another source port; TCP: reply
  close           TCP: send the first --close-after (0) bytes of the
                  framed reply, then close; UDP: reply

Without --udp/--tcp both are served. It exits after --count queries (0: no
limit) or --timeout seconds (default 30, at most 600), whichever is first.
"""

import argparse
import os
import random
import select
import socket
import struct
import sys
import time

MODES = ("reply", "garbage", "tc", "wrong-id-first", "silent", "other-port", "close")


def parse_hex(text):
    clean = "".join(c for c in text if c not in " \t:\n\r")
    return bytes.fromhex(clean)


def question_end(msg):
    """Offset just past the question section (QDCOUNT entries)."""
    qdcount = struct.unpack("!H", msg[4:6])[0]
    off = 12
    for _ in range(qdcount):
        while off < len(msg):
            n = msg[off]
            if n == 0:
                off += 1
                break
            if n & 0xC0 == 0xC0:
                off += 2
                break
            off += 1 + n
        off += 4
    return min(off, len(msg))


def synthesize(query, args):
    if len(query) < 12:
        return b""
    flags_in = struct.unpack("!H", query[2:4])[0]
    flags = 0x8000 | (flags_in & 0x7800) | 0x0400 | (flags_in & 0x0100)
    flags |= args.rcode & 0xF
    qend = question_end(query)
    qdcount = struct.unpack("!H", query[4:6])[0]
    head = query[0:2] + struct.pack("!HHHHH", flags, qdcount, len(args.answer_a), 0, 0)
    answers = b""
    for ip in args.answer_a:
        answers += struct.pack("!HHHIH", 0xC00C, 1, 1, 300, 4) + socket.inet_aton(ip)
    return head + query[12:qend] + answers


def patch_id(msg, query, args, flip=False):
    if len(msg) < 2 or len(query) < 2:
        return msg
    qid = query[0:2] if not args.keep_id else msg[0:2]
    if flip:
        qid = bytes([qid[0] ^ 0x5A, qid[1] ^ 0xA5])
    return qid + msg[2:]


def replies_for(query, args):
    if args.messages:
        return [patch_id(m, query, args) for m in args.messages]
    return [synthesize(query, args)]


def truncated(query, args):
    """Header with TC=1 and the question only, from the first reply."""
    msg = replies_for(query, args)[0]
    if len(msg) < 12:
        return msg
    qend = question_end(msg)
    flags = struct.unpack("!H", msg[2:4])[0] | 0x0200
    return msg[0:2] + struct.pack("!HHHHH", flags, struct.unpack("!H", msg[4:6])[0],
                                  0, 0, 0) + msg[12:qend]


def garbage(query, args):
    rng = random.Random(args.garbage_len)
    data = bytes(rng.randrange(256) for _ in range(args.garbage_len))
    if not args.keep_id and len(query) >= 2 and len(data) >= 2:
        data = query[0:2] + data[2:]
    return data


def messages_for(mode, query, args):
    if mode == "silent":
        return []
    if mode == "garbage":
        return [garbage(query, args)]
    msgs = replies_for(query, args)
    if mode == "wrong-id-first":
        return [patch_id(msgs[0], query, args, flip=True)] + msgs
    return msgs


def event(text):
    print(text, flush=True)


def log_query(args, proto, data):
    with open(os.path.join(args.dir, "queries.log"), "a") as f:
        f.write("%s %s\n" % (proto, data.hex()))


def handle_udp(sock, args, nquery):
    data, peer = sock.recvfrom(65535)
    log_query(args, "udp", data)
    mode = args.modes[min(nquery, len(args.modes) - 1)]
    if args.delay:
        time.sleep(args.delay)
    if mode == "tc":
        msgs = [truncated(data, args)]
    else:
        msgs = messages_for(mode, data, args)
    out = sock
    if mode == "other-port" and msgs:
        out = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        out.bind(("127.0.0.1", 0))
    for m in msgs:
        out.sendto(m, peer)
        event("sent udp %d bytes from port %d to port %d: %s"
              % (len(m), out.getsockname()[1], peer[1], m.hex()))
    if out is not sock:
        out.close()


def recv_exact(conn, n):
    buf = b""
    while len(buf) < n:
        chunk = conn.recv(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return buf


def handle_tcp(conn, args, nquery, deadline):
    """Serve the queries on one connection; return how many were read."""
    count = 0
    try:
        while time.monotonic() < deadline:
            conn.settimeout(max(0.1, deadline - time.monotonic()))
            head = recv_exact(conn, 2)
            if head is None:
                break
            query = recv_exact(conn, struct.unpack("!H", head)[0])
            if query is None:
                break
            log_query(args, "tcp", query)
            mode = args.modes[min(nquery + count, len(args.modes) - 1)]
            count += 1
            if args.delay:
                time.sleep(args.delay)
            stream = b"".join(struct.pack("!H", len(m)) + m
                              for m in messages_for(mode, query, args))
            if mode == "close":
                conn.sendall(stream[:args.close_after])
                event("sent tcp %d bytes, closing: %s"
                      % (min(len(stream), args.close_after), stream[:args.close_after].hex()))
                break
            if stream:
                conn.sendall(stream)
                event("sent tcp %d bytes: %s" % (len(stream), stream.hex()))
            if args.count and nquery + count >= args.count:
                break
    except (socket.timeout, OSError) as e:
        event("tcp connection: %s" % e)
    conn.close()
    return count


def bind_sockets(args):
    """A UDP and/or TCP socket on one port (random when --port 0)."""
    for _ in range(50):
        udp = tcp = None
        try:
            port = args.port
            if args.udp:
                udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                udp.bind(("127.0.0.1", port))
                port = udp.getsockname()[1]
            if args.tcp:
                tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                tcp.bind(("127.0.0.1", port))
                tcp.listen(8)
                port = tcp.getsockname()[1]
            return udp, tcp, port
        except OSError:
            for s in (udp, tcp):
                if s:
                    s.close()
            if args.port:
                raise
    raise OSError("no port free for both UDP and TCP")


def write_file(path, text):
    with open(path + ".tmp", "w") as f:
        f.write(text + "\n")
    os.rename(path + ".tmp", path)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--dir", required=True)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--udp", action="store_true")
    p.add_argument("--tcp", action="store_true")
    p.add_argument("--mode", default="reply")
    p.add_argument("--reply", action="append", default=[])
    p.add_argument("--reply-file")
    p.add_argument("--answer-a", action="append", default=[])
    p.add_argument("--rcode", type=int, default=0)
    p.add_argument("--keep-id", action="store_true")
    p.add_argument("--delay", type=float, default=0.0)
    p.add_argument("--garbage-len", type=int, default=32)
    p.add_argument("--close-after", type=int, default=0)
    p.add_argument("--count", type=int, default=0)
    p.add_argument("--timeout", type=float, default=30.0)
    args = p.parse_args()

    args.modes = args.mode.split(",")
    for m in args.modes:
        if m not in MODES:
            p.error("unknown mode %r (one of %s)" % (m, ", ".join(MODES)))
    if not args.udp and not args.tcp:
        args.udp = args.tcp = True
    args.messages = [parse_hex(h) for h in args.reply]
    if args.reply_file:
        with open(args.reply_file) as f:
            for line in f:
                line = line.split("#", 1)[0].strip()
                if line:
                    args.messages.append(parse_hex(line))
    deadline = time.monotonic() + min(max(args.timeout, 0.1), 600.0)

    write_file(os.path.join(args.dir, "responder.pid"), str(os.getpid()))
    udp, tcp, port = bind_sockets(args)
    write_file(os.path.join(args.dir, "responder.port"), str(port))
    event("listening on 127.0.0.1 port %d (%s), modes %s"
          % (port, "+".join(n for n, s in (("udp", udp), ("tcp", tcp)) if s), args.mode))

    nquery = 0
    socks = [s for s in (udp, tcp) if s]
    while not args.count or nquery < args.count:
        left = deadline - time.monotonic()
        if left <= 0:
            event("timeout after %d queries" % nquery)
            break
        ready, _, _ = select.select(socks, [], [], left)
        for s in ready:
            if s is udp:
                handle_udp(udp, args, nquery)
                nquery += 1
            else:
                conn, _ = tcp.accept()
                nquery += handle_tcp(conn, args, nquery, deadline)
    event("exiting after %d queries" % nquery)
    return 0


if __name__ == "__main__":
    sys.exit(main())
