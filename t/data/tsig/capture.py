#!/usr/bin/env python3
"""Capture real TSIG exchanges between dig and named for t/unit/test_tsig.c.

RFC 8945 has no test vectors, so the known answers are BIND's own: this
starts named on 127.0.0.1 with TSIG keys, puts a logging proxy between dig
and named, and writes every message that crossed it as hex, one file per
exchange (<name>.query.hex, <name>.reply.hex; AXFR replies as
<name>.reply.N.hex). Re-run it to refresh the captures:

    python3 t/data/tsig/capture.py t/data/tsig

The keys (named.keys) are test secrets made for this purpose only.
"""
import os, signal, socket, subprocess, sys, tempfile, threading, time

OUT = sys.argv[1] if len(sys.argv) > 1 else "."
KEYS = {
    "hmac-sha256": ("tsig-sha256.test.", "hmac-sha256",
                    "cGFzc3dvcmQtZm9yLXpraXQtdHNpZy10ZXN0cy0xMjM="),
    "hmac-sha256-128": ("tsig-trunc.test.", "hmac-sha256-128",
                        "dHJ1bmNhdGVkLW1hYy1zZWNyZXQtZm9yLXpraXQ="),
    # The client truncates, named's key wants the full MAC: named answers
    # BADTRUNC (RFC 8945 §5.2.4), signed.
    "badtrunc": ("tsig-sha256.test.", "hmac-sha256-128",
                 "cGFzc3dvcmQtZm9yLXpraXQtdHNpZy10ZXN0cy0xMjM="),
    "hmac-md5": ("tsig-md5.test.", "hmac-md5", "bWQ1LXNlY3JldC1mb3ItemtpdA=="),
    "hmac-sha1": ("tsig-sha1.test.", "hmac-sha1", "c2hhMS1zZWNyZXQtZm9yLXpraXQ="),
    "hmac-sha512": ("tsig-sha512.test.", "hmac-sha512",
                    "c2hhNTEyLXNlY3JldC1mb3ItemtpdC10ZXN0cy0wMTIzNDU2Nzg5YWJjZGVm"),
}
ZONE = """$TTL 300
@ IN SOA ns.example. admin.example. 1 3600 600 86400 300
@ IN NS ns.example.
ns IN A 192.0.2.1
"""


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def main():
    d = tempfile.mkdtemp()
    port, pport = free_port(), free_port()
    with open(os.path.join(d, "example.zone"), "w") as f:
        f.write(ZONE)
        # Enough records that AXFR needs several TCP messages.
        for i in range(3000):
            f.write("h%d IN TXT \"%s\"\n" % (i, "x" * 60))
    conf = "options { directory \"%s\"; listen-on port %d { 127.0.0.1; };" \
           " listen-on-v6 { none; }; recursion no; pid-file none;" \
           " allow-transfer { any; }; };\n" % (d, port)
    names = set()
    for label, (kname, alg, sec) in KEYS.items():
        if label == "badtrunc":
            continue
        if kname in names:
            continue
        names.add(kname)
        a = alg
        conf += "key \"%s\" { algorithm %s; secret \"%s\"; };\n" % (kname, a, sec)
    conf += "zone \"example\" { type primary; file \"example.zone\"; };\n"
    with open(os.path.join(d, "named.conf"), "w") as f:
        f.write(conf)
    named = subprocess.Popen(["named", "-g", "-c", os.path.join(d, "named.conf")],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            r = subprocess.run(["dig", "+tries=1", "+time=1", "-p", str(port),
                                "@127.0.0.1", "example", "SOA"], capture_output=True)
            if b"status: NOERROR" in r.stdout:
                break
            time.sleep(0.1)
        log = []
        stop = threading.Event()

        def udp_proxy():
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.bind(("127.0.0.1", pport))
            s.settimeout(0.2)
            while not stop.is_set():
                try:
                    q, addr = s.recvfrom(65535)
                except socket.timeout:
                    continue
                u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                u.settimeout(3)
                u.sendto(q, ("127.0.0.1", port))
                r, _ = u.recvfrom(65535)
                log.append(("udp", q, [r]))
                s.sendto(r, addr)

        def recv_exact(c, n):
            b = b""
            while len(b) < n:
                x = c.recv(n - len(b))
                if not x:
                    return None
                b += x
            return b

        def tcp_proxy():
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", pport))
            s.listen(4)
            s.settimeout(0.2)
            while not stop.is_set():
                try:
                    c, _ = s.accept()
                except socket.timeout:
                    continue
                up = socket.create_connection(("127.0.0.1", port))
                n = recv_exact(c, 2)
                q = recv_exact(c, int.from_bytes(n, "big"))
                up.sendall(n + q)
                up.settimeout(2)
                replies = []
                while True:
                    try:
                        n = recv_exact(up, 2)
                    except (socket.timeout, ConnectionResetError):
                        break
                    if n is None:
                        break
                    r = recv_exact(up, int.from_bytes(n, "big"))
                    if r is None:
                        break
                    replies.append(r)
                    try:
                        c.sendall(n + r)
                    except OSError:
                        pass
                log.append(("tcp", q, replies))
                c.close()
                up.close()

        threads = [threading.Thread(target=udp_proxy), threading.Thread(target=tcp_proxy)]
        for t in threads:
            t.start()
        time.sleep(0.3)
        for label, (kname, alg, sec) in KEYS.items():
            del log[:]
            subprocess.run(["dig", "+tries=1", "+time=3", "-p", str(pport), "@127.0.0.1",
                            "-y", "%s:%s:%s" % (alg, kname, sec), "example", "SOA"],
                           capture_output=True, check=True)
            proto, q, rs = log[0]
            open(os.path.join(OUT, label + ".query.hex"), "w").write(q.hex() + "\n")
            open(os.path.join(OUT, label + ".reply.hex"), "w").write(rs[0].hex() + "\n")
        del log[:]
        kname, alg, sec = KEYS["hmac-sha256"]
        subprocess.run(["dig", "+tries=1", "+time=5", "-p", str(pport), "@127.0.0.1",
                        "-y", "%s:%s:%s" % (alg, kname, sec), "example", "AXFR"],
                       capture_output=True, check=True)
        for _ in range(100):  # the proxy logs once the server goes quiet
            if log:
                break
            time.sleep(0.1)
        proto, q, rs = log[0]
        open(os.path.join(OUT, "axfr.query.hex"), "w").write(q.hex() + "\n")
        for i, r in enumerate(rs):
            open(os.path.join(OUT, "axfr.reply.%d.hex" % i), "w").write(r.hex() + "\n")
        print("captured %d AXFR messages" % len(rs))
        stop.set()
        for t in threads:
            t.join()
    finally:
        named.send_signal(signal.SIGTERM)
        named.wait(timeout=10)


if __name__ == "__main__":
    main()
