#!/usr/bin/env python3
"""spoof-proxy.py PORTFILE UPSTREAM_PORT - a UDP proxy in front of a real
server that answers every query first itself, with a fake unsigned
NOERROR (an off-path spoofer winning the race), then relays the real
server's reply. A client must drop the fake and wait for the signed reply
(the Windows 2000 secure-update paper's step 7). Exits after 60 s."""
import socket
import struct
import sys
import time

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(s.getsockname()[1]))
import os
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
up = ("127.0.0.1", int(sys.argv[2]))
s.settimeout(1)
end = time.time() + 60
while time.time() < end:
    try:
        q, peer = s.recvfrom(65535)
    except socket.timeout:
        continue
    # header: same ID, QR, the query's opcode, NOERROR; question copied
    flags = 0x8000 | (struct.unpack("!H", q[2:4])[0] & 0x7800)
    qd = struct.unpack("!H", q[4:6])[0]
    off = 12
    for _ in range(qd):
        while q[off] != 0:
            off += 1 + q[off]
        off += 5
    fake = q[0:2] + struct.pack("!HHHHH", flags, qd, 0, 0, 0) + q[12:off]
    s.sendto(fake, peer)
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.settimeout(5)
    u.sendto(q, up)
    try:
        r, _ = u.recvfrom(65535)
        s.sendto(r, peer)
    except socket.timeout:
        pass
    u.close()
