#!/usr/bin/env python3
"""tamper-proxy.py PORTFILE UPSTREAM_PORT MODE [LOG] - a TCP proxy in front
of a real server on 127.0.0.1 for zdig's GSS-TSIG tests (RFC 3645).

MODE tamper: TKEY queries (the negotiation and the deletion, qtype 249)
             and their replies pass unchanged; the reply to any other
             query has its rcode set to REFUSED on the way, the TSIG left
             as it was, so its MAC no longer matches (an on-path attacker).
     log:    nothing changed; each query is logged to LOG as
             "qtype N arcount N" plus " tkey-mode N" for TKEY (RFC 2930
             §2.5: 3 GSS-API negotiation, 5 deletion).
Writes its port to PORTFILE; exits after 60 s. Python 3 standard library
only."""
import os
import socket
import struct
import sys
import threading
import time

portfile, upstream, mode = sys.argv[1], ("127.0.0.1", int(sys.argv[2])), sys.argv[3]
logfile = sys.argv[4] if len(sys.argv) > 4 else None
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0))
srv.listen(8)
with open(portfile + ".tmp", "w") as f:
    f.write(str(srv.getsockname()[1]))
os.rename(portfile + ".tmp", portfile)


def frames(sock):
    buf = b""
    while True:
        d = sock.recv(65536)
        if not d:
            return
        buf += d
        while len(buf) >= 2 and len(buf) >= 2 + struct.unpack("!H", buf[:2])[0]:
            n = struct.unpack("!H", buf[:2])[0]
            yield buf[2:2 + n]
            buf = buf[2 + n:]


def qtype(m):
    if len(m) < 12 or struct.unpack("!H", m[4:6])[0] == 0:
        return None
    i = 12
    while i < len(m) and m[i] != 0:
        i += 1 + m[i]
    return struct.unpack("!H", m[i + 1:i + 3])[0] if i + 3 <= len(m) else None


def skip_name(m, i):
    while i < len(m):
        if m[i] == 0:
            return i + 1
        if m[i] & 0xC0 == 0xC0:
            return i + 2
        i += 1 + m[i]
    return len(m)


def describe(m):
    """'qtype N arcount N[ tkey-mode N]' for a query."""
    qd, an, ns, ar = struct.unpack("!4H", m[4:12])
    out = "qtype %s arcount %d" % (qtype(m), ar)
    i = 12
    for _ in range(qd):
        i = skip_name(m, i) + 4
    for _ in range(an + ns + ar):
        i = skip_name(m, i)
        t, _, _, rdlen = struct.unpack("!HHIH", m[i:i + 10])
        i += 10
        if t == 249:
            j = skip_name(m, i) + 8
            out += " tkey-mode %d" % struct.unpack("!H", m[j:j + 2])[0]
        i += rdlen
    return out


def serve(c):
    u = socket.create_connection(upstream, timeout=10)
    st = {"tkey": True}

    def up():
        try:
            for m in frames(c):
                st["tkey"] = qtype(m) == 249
                if logfile:
                    with open(logfile, "a") as f:
                        f.write(describe(m) + "\n")
                u.sendall(struct.pack("!H", len(m)) + m)
            u.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    threading.Thread(target=up, daemon=True).start()
    try:
        for m in frames(u):
            if mode == "tamper" and not st["tkey"] and len(m) >= 12:
                m = m[:3] + bytes([(m[3] & 0xF0) | 5]) + m[4:]
            c.sendall(struct.pack("!H", len(m)) + m)
    except OSError:
        pass
    c.close()
    u.close()


srv.settimeout(1)
end = time.time() + 60
while time.time() < end:
    try:
        c, _ = srv.accept()
    except socket.timeout:
        continue
    c.settimeout(10)
    threading.Thread(target=serve, args=(c,), daemon=True).start()
