#!/usr/bin/env python3
"""tamper-proxy.py PORTFILE UPSTREAM_PORT MODE - a proxy in front of a
real server on 127.0.0.1 for GSS-TSIG tests (RFC 3645). TCP (the TKEY
negotiation and deletion) is relayed unchanged, and so are UDP replies to
queries. Over UDP each reply to an UPDATE is changed on the way: its rcode
set to REFUSED, the TSIG left as it was, so that its MAC no longer matches
(an on-path attacker).

MODE tamper-first: the changed reply, then the genuine one (a client must
                   drop the first and take the second);
     tamper-only:  only the changed reply.
Writes the port it listens on (UDP and TCP) to PORTFILE; exits after 60 s.
Python 3 standard library only."""
import os
import select
import socket
import sys
import threading
import time

portfile, upstream, mode = sys.argv[1], ("127.0.0.1", int(sys.argv[2])), sys.argv[3]
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
    sys.exit("tamper-proxy: no port free for both UDP and TCP")
tcp.listen(8)
with open(portfile + ".tmp", "w") as f:
    f.write(str(port))
os.rename(portfile + ".tmp", portfile)
end = time.time() + 60


def relay(client):
    up = socket.create_connection(upstream, timeout=10)
    socks = [client, up]
    try:
        while time.time() < end:
            r, _, _ = select.select(socks, [], [], 1)
            for s in r:
                data = s.recv(65536)
                if not data:
                    return
                (up if s is client else client).sendall(data)
    finally:
        up.close()
        client.close()


def tampered(reply):
    b = bytearray(reply)
    b[3] = (b[3] & 0xF0) | 5  # rcode REFUSED
    return bytes(b)


while time.time() < end:
    r, _, _ = select.select([udp, tcp], [], [], 1)
    if tcp in r:
        c, _ = tcp.accept()
        threading.Thread(target=relay, args=(c,), daemon=True).start()
    if udp in r:
        q, peer = udp.recvfrom(65535)
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.settimeout(5)
        u.sendto(q, upstream)
        try:
            real, _ = u.recvfrom(65535)
        except socket.timeout:
            u.close()
            continue
        u.close()
        if (q[2] >> 3) & 0xF != 5:  # not an UPDATE
            udp.sendto(real, peer)
            continue
        udp.sendto(tampered(real), peer)
        if mode == "tamper-first":
            udp.sendto(real, peer)
