#!/usr/bin/env python3
"""xfr-responder.py - a zone-transfer server that misbehaves on purpose.

t/helpers/responder.py replays canned messages; a TSIG-signed transfer
cannot be canned, because the first reply's MAC covers the request's MAC
(RFC 8945 §4.3.1), which changes with every query. This one builds the
AXFR of a small generated zone for each query and signs it with the
query's key, then breaks it the way BIND's system tests do (the scenario).

  xfr-responder.py --dir DIR --scenario S [--key NAME:SECRET] [--records N]
                   [--per-msg K] [--serial N] [--count N] [--timeout S]
                   [--notify-rcode N]

Scenarios: ok, unsigned, first-only, badmac, unknown-key, wrong-key,
wrong-qname, id-change, soa-mismatch, soa-mid, tc, eof, unsigned-100,
sign-every-99, garbage, refused, silent, trailing (records after the
closing SOA), not-soa-first, out-of-zone.

UDP and TCP on one port (DIR/responder.port). SOA queries get the zone's
SOA; NOTIFY gets --notify-rcode (0 ack; -1 never answer). Every query is
logged to DIR/queries.log as "udp|tcp HEX". Python standard library only.
"""

import argparse
import base64
import hashlib
import hmac
import os
import select
import socket
import struct
import sys
import time


def wire_name(text):
    out = b""
    for label in text.rstrip(".").split("."):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def read_name(msg, off):
    """Uncompressed or compressed name -> (lower-case wire, next offset)."""
    labels, jumped, end = [], False, None
    while True:
        n = msg[off]
        if n & 0xC0 == 0xC0:
            if not jumped:
                end = off + 2
            off = ((n & 0x3F) << 8) | msg[off + 1]
            jumped = True
            continue
        if n == 0:
            off += 1
            break
        labels.append(msg[off + 1:off + 1 + n].lower())
        off += 1 + n
    w = b"".join(bytes([len(l)]) + l for l in labels) + b"\0"
    return w, (end if jumped else off)


def rr(owner, rtype, rdata, ttl=300, rclass=1):
    return owner + struct.pack("!HHIH", rtype, rclass, ttl, len(rdata)) + rdata


class Key:
    def __init__(self, spec):
        name, secret = spec.split(":", 1)
        self.name = wire_name(name)
        self.secret = base64.b64decode(secret)
        self.alg = wire_name("hmac-sha256")


def tsig_parse(query):
    """(key name wire, MAC) of the query's TSIG, or None."""
    qd, an, ns, ar = struct.unpack("!HHHH", query[4:12])
    off = 12
    for _ in range(qd):
        _, off = read_name(query, off)
        off += 4
    last = None
    for _ in range(an + ns + ar):
        owner, off = read_name(query, off)
        rtype, _, _, rdlen = struct.unpack("!HHIH", query[off:off + 10])
        off += 10
        if rtype == 250:
            rd = query[off:off + rdlen]
            _, p = read_name(rd, 0)
            macsize = struct.unpack("!H", rd[p + 8:p + 10])[0]
            last = (owner, rd[p + 10:p + 10 + macsize])
        off += rdlen
    return last


class Signer:
    """RFC 8945 §4.3 signing of a stream of replies."""

    def __init__(self, key, request_mac, now):
        self.key, self.prior, self.now = key, request_mac, now
        self.first = True
        self.pending = b""  # unsigned messages since the last signed one

    def sign(self, msg, corrupt=False, key=None):
        key = key or self.key
        t = self.now
        data = struct.pack("!H", len(self.prior)) + self.prior + self.pending + msg
        if self.first:
            data += key.name + struct.pack("!HI", 255, 0) + key.alg
            data += t.to_bytes(6, "big") + struct.pack("!HHH", 300, 0, 0)
        else:
            data += t.to_bytes(6, "big") + struct.pack("!H", 300)
        mac = hmac.new(key.secret, data, hashlib.sha256).digest()
        self.prior, self.pending, self.first = mac, b"", False
        if corrupt:
            mac = bytes([mac[0] ^ 0xFF]) + mac[1:]
        rd = key.alg + t.to_bytes(6, "big") + struct.pack("!HH", 300, len(mac)) + mac
        rd += msg[0:2] + struct.pack("!HH", 0, 0)
        ar = struct.unpack("!H", msg[10:12])[0]
        return msg[:10] + struct.pack("!H", ar + 1) + msg[12:] + rr(key.name, 250, rd, 0, 255)

    def skip(self, msg):
        self.pending += msg
        return msg


def soa_rdata(serial):
    return (wire_name("ns.example.") + wire_name("admin.example.")
            + struct.pack("!IIIII", serial, 3600, 600, 86400, 300))


def zone_records(zone, args):
    z = wire_name(zone)
    recs = [rr(z, 2, wire_name("ns.example."))]
    for i in range(args.records):
        recs.append(rr(wire_name("h%d.%s" % (i, zone)), 1, bytes([192, 0, 2, i % 256])))
    return z, recs


def build_stream(query, args, key):
    qid = query[0:2]
    qname, qend = read_name(query, 12)
    qtype = struct.unpack("!H", query[qend:qend + 2])[0]
    zone = args.zone
    z, recs = zone_records(zone, args)
    sc = args.scenario
    soa = rr(z, 6, soa_rdata(args.serial))
    body = [soa] + recs + [soa]
    if sc == "soa-mismatch":
        body[-1] = rr(z, 6, soa_rdata(args.serial + 1))
    if sc == "soa-mid":
        body.insert(len(body) // 2, rr(z, 6, soa_rdata(args.serial + 7)))
    if sc == "trailing":
        body.append(rr(wire_name("late." + zone), 1, bytes([192, 0, 2, 99])))
    if sc == "not-soa-first":
        body = recs[:1] + body
    if sc == "out-of-zone":
        body.insert(2, rr(wire_name("www.elsewhere."), 1, bytes([192, 0, 2, 98])))
    per = max(1, args.per_msg)
    chunks = [body[i:i + per] for i in range(0, len(body), per)]
    if sc == "trailing":  # the extra record in the same message as the SOA
        chunks[-2:] = [chunks[-2] + chunks[-1]] if len(chunks) > 1 else chunks[-1:]
    question = wire_name(zone if sc != "wrong-qname" else "other." + zone)
    question += struct.pack("!HH", 252 if qtype == 252 else qtype, 1)
    msgs = []
    for i, c in enumerate(chunks):
        mid = qid
        if sc == "id-change" and i > 0:
            mid = bytes([qid[0], qid[1] ^ 1])
        flags = 0x8400
        if sc == "tc" and i == 1:
            flags |= 0x0200
        qd = question if i == 0 else b""
        msgs.append(mid + struct.pack("!HHHHH", flags, 1 if i == 0 else 0, len(c), 0, 0)
                    + qd + b"".join(c))
    if sc == "eof":
        msgs = msgs[:-1]
    if sc == "refused":
        ede = struct.pack("!H", 18) + b"transfers are not allowed"
        opt = b"\0" + struct.pack("!HHIH", 41, 1232, 0, len(ede) + 4)
        opt += struct.pack("!HH", 15, len(ede)) + ede
        msgs = [qid + struct.pack("!HHHHH", 0x8405, 1, 0, 0, 1) + question + opt]
    # TSIG
    req = tsig_parse(query)
    if req is None or key is None or sc == "unsigned":
        out = msgs
    else:
        signer = Signer(key, req[1], int(time.time()))
        other = Key("other-key:" + base64.b64encode(key.secret).decode())
        wrong = Key(args.key.split(":", 1)[0] + ":" + base64.b64encode(b"wrong" * 8).decode())
        out = []
        for i, m in enumerate(msgs):
            last = i == len(msgs) - 1
            if sc == "first-only" and i > 0:
                out.append(signer.skip(m))
            elif sc == "badmac" and i == len(msgs) // 2:
                out.append(signer.sign(m, corrupt=True))
            elif sc == "unknown-key":
                out.append(signer.sign(m, key=other))
            elif sc == "wrong-key":
                out.append(signer.sign(m, key=wrong))
            elif sc == "unsigned-100" and 0 < i < 101 and not last:
                out.append(signer.skip(m))
            elif sc == "sign-every-99" and i % 100 != 0 and not last:
                out.append(signer.skip(m))
            else:
                out.append(signer.sign(m))
    if sc == "garbage":
        # The query's ID, then noise: it must fail in the parser.
        out = out[:1] + [qid + bytes((i * 37 + 11) % 256 for i in range(62))]
    return out


def reply_simple(query, args, key, opcode):
    """SOA query or NOTIFY: one message, signed when the query was."""
    qid = query[0:2]
    qname, qend = read_name(query, 12)
    question = query[12:qend + 4]
    if opcode == 4:
        rcode = args.notify_rcode
        if rcode < 0:
            return None
        msg = qid + struct.pack("!HHHHH", 0xA400 | rcode, 1, 0, 0, 0) + question
    else:
        z = wire_name(args.zone)
        msg = qid + struct.pack("!HHHHH", 0x8400, 1, 1, 0, 0) + question
        msg += rr(z, 6, soa_rdata(args.serial))
    req = tsig_parse(query)
    if req is not None and key is not None:
        msg = Signer(key, req[1], int(time.time())).sign(msg)
    return msg


def log(args, proto, data):
    with open(os.path.join(args.dir, "queries.log"), "a") as f:
        f.write("%s %s\n" % (proto, data.hex()))


def recv_exact(conn, n):
    buf = b""
    while len(buf) < n:
        chunk = conn.recv(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return buf


def serve_tcp(conn, args, key):
    conn.settimeout(5)
    try:
        head = recv_exact(conn, 2)
        if head is None:
            return
        query = recv_exact(conn, struct.unpack("!H", head)[0])
        if query is None:
            return
        log(args, "tcp", query)
        opcode = (query[2] >> 3) & 0xF
        qname, qend = read_name(query, 12)
        qtype = struct.unpack("!H", query[qend:qend + 2])[0]
        if args.scenario == "silent":
            time.sleep(args.timeout)
            return
        if qtype in (251, 252) and opcode == 0:
            msgs = build_stream(query, args, key)
        else:
            m = reply_simple(query, args, key, opcode)
            msgs = [m] if m else []
        for m in msgs:
            conn.sendall(struct.pack("!H", len(m)) + m)
        print("tcp: sent %d messages" % len(msgs), flush=True)
    except OSError as e:
        print("tcp: %s" % e, flush=True)
    finally:
        conn.close()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dir", required=True)
    p.add_argument("--scenario", default="ok")
    p.add_argument("--key")
    p.add_argument("--zone", default="example.")
    p.add_argument("--records", type=int, default=20)
    p.add_argument("--per-msg", type=int, default=5)
    p.add_argument("--serial", type=int, default=2024010101)
    p.add_argument("--notify-rcode", type=int, default=0)
    p.add_argument("--count", type=int, default=0)
    p.add_argument("--timeout", type=float, default=30.0)
    args = p.parse_args()
    key = Key(args.key) if args.key else None

    # A free UDP port whose TCP twin may be taken: try another pair.
    for _ in range(100):
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        udp.bind(("127.0.0.1", 0))
        port = udp.getsockname()[1]
        tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            tcp.bind(("127.0.0.1", port))
            break
        except OSError:
            tcp.close()
            udp.close()
    else:
        sys.exit("xfr-responder: no port free for both UDP and TCP")
    tcp.listen(8)
    with open(os.path.join(args.dir, "responder.pid"), "w") as f:
        f.write("%d\n" % os.getpid())
    with open(os.path.join(args.dir, "responder.port.tmp"), "w") as f:
        f.write("%d\n" % port)
    os.rename(os.path.join(args.dir, "responder.port.tmp"),
              os.path.join(args.dir, "responder.port"))
    print("listening on 127.0.0.1 port %d, scenario %s" % (port, args.scenario), flush=True)
    deadline = time.monotonic() + min(args.timeout, 600)
    n = 0
    while time.monotonic() < deadline and (not args.count or n < args.count):
        ready, _, _ = select.select([udp, tcp], [], [], max(0.05, deadline - time.monotonic()))
        for s in ready:
            n += 1
            if s is udp:
                data, peer = udp.recvfrom(65535)
                log(args, "udp", data)
                if args.scenario == "silent":
                    continue
                opcode = (data[2] >> 3) & 0xF
                m = reply_simple(data, args, key, opcode)
                if m:
                    udp.sendto(m, peer)
            else:
                conn, _ = tcp.accept()
                serve_tcp(conn, args, key)
    return 0


if __name__ == "__main__":
    sys.exit(main())
