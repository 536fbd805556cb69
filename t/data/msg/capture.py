#!/usr/bin/env python3
"""capture.py - capture real responses of BIND named as hex test vectors.

  capture.py all [--outdir DIR]
      Start named (from PATH) on 127.0.0.1 at a free high port in a
      temporary directory, serving t/data/msg/example.zone, send every query
      of QUERIES over UDP, and write each response to DIR/named-NAME.hex
      (default: this script's directory). named is stopped by its PID.
      Re-run it to refresh the vectors after a BIND upgrade.

  capture.py query --port P [--tcp] [--do] [--nsid] [--cookie] [--noedns]
                   [--bufsize N] [--opcode N] [--class C] [--norec] QNAME QTYPE
      Send one query to 127.0.0.1#P and print the raw response as hex on
      stdout (used by t/system/zdig-vs-dig.bats next to dig).

Only the Python 3 standard library is used. The queries mimic dig 9.18's
defaults (RD and AD set, EDNS version 0 with a 1232-octet buffer) so that
dig and this script get the same answer for the same arguments.
"""
import argparse
import base64
import hashlib
import hmac
import os
import random
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))

TYPES = {'A': 1, 'NS': 2, 'CNAME': 5, 'SOA': 6, 'PTR': 12, 'HINFO': 13, 'MX': 15,
         'TXT': 16, 'RP': 17, 'AAAA': 28, 'LOC': 29, 'SRV': 33, 'NAPTR': 35,
         'DNAME': 39, 'DS': 43, 'SSHFP': 44, 'RRSIG': 46, 'NSEC': 47,
         'DNSKEY': 48, 'TLSA': 52, 'SVCB': 64, 'HTTPS': 65, 'ANY': 255,
         'URI': 256, 'CAA': 257, 'TYPE65280': 65280}
CLASSES = {'IN': 1, 'CH': 3}

# name, qname, qtype, options
QUERIES = [
    ('soa', 'example.', 'SOA', {}),
    ('ns', 'example.', 'NS', {}),
    ('mx', 'example.', 'MX', {}),
    ('txt', 'example.', 'TXT', {}),
    ('caa', 'example.', 'CAA', {}),
    ('dnskey', 'example.', 'DNSKEY', {}),
    ('cname', 'www.example.', 'A', {}),
    ('aaaa', 'ns1.example.', 'AAAA', {}),
    ('srv', '_sip._tcp.example.', 'SRV', {}),
    ('naptr', 'sip.example.', 'NAPTR', {}),
    ('sshfp', 'sip.example.', 'SSHFP', {}),
    ('tlsa', 'sip.example.', 'TLSA', {}),
    ('hinfo', 'sip.example.', 'HINFO', {}),
    ('loc', 'loc.example.', 'LOC', {}),
    ('ds', 'd.example.', 'DS', {}),
    ('svcb', 'svc.example.', 'SVCB', {}),
    ('https', 'svc.example.', 'HTTPS', {}),
    ('uri', 'uri.example.', 'URI', {}),
    ('ptr', 'ptr.example.', 'PTR', {}),
    ('dname', 'x.dn.example.', 'A', {}),
    ('rp', 'rp.example.', 'RP', {}),
    ('longname', 'a-very-long-label-name-that-keeps-going-on-and-on-and-on-012345.x.example.',
     'TXT', {}),
    ('unknown', 'unk.example.', 'TYPE65280', {}),
    ('tab', 'tab.example.', 'TXT', {}),
    ('nxdomain', 'nope.example.', 'A', {}),
    ('nodata', 'ns1.example.', 'MX', {}),
    ('refused', 'other.test.', 'A', {}),
    ('prohibited', 'closed.', 'SOA', {}),
    ('big-tc', 'big.example.', 'A', {'bufsize': 512}),
    ('big', 'big.example.', 'A', {}),
    ('nsid', 'example.', 'SOA', {'nsid': True}),
    ('cookie', 'example.', 'SOA', {'cookie': True}),
    ('do', 'example.', 'DNSKEY', {'do': True}),
    ('noedns', 'example.', 'A', {'noedns': True}),
    ('badvers', 'example.', 'SOA', {'version': 1}),
    ('chaos', 'version.bind.', 'TXT', {'class': 'CH'}),
    ('notify', 'example.', 'SOA', {'opcode': 4, 'norec': True}),
    ('update', 'example.', 'SOA', {'opcode': 5, 'norec': True}),
    ('tsig', 'example.', 'SOA', {'tsig': True}),
]

# The TSIG key named knows (RFC 8945; secret from os.urandom once, fixed so
# that the capture is reproducible apart from the time signed).
TSIG_NAME = 'zkit-test-key.'
TSIG_SECRET = base64.b64decode('c2VjcmV0LWZvci16a2l0LWNhcHR1cmUtdGVzdHMtb25seQ==')


def tsig_sign(msg, now=None):
    """Append a TSIG RR (hmac-sha256) to a query, RFC 8945 §4.3."""
    alg = wire_name('hmac-sha256.')
    key = wire_name(TSIG_NAME)
    now = int(time.time()) if now is None else now
    timers = struct.pack('!HIH', now >> 32, now & 0xffffffff, 300)
    variables = key + struct.pack('!HI', 255, 0) + alg + timers + struct.pack('!HH', 0, 0)
    mac = hmac.new(TSIG_SECRET, msg + variables, hashlib.sha256).digest()
    rdata = alg + timers + struct.pack('!H', len(mac)) + mac + msg[:2] + struct.pack('!HH', 0, 0)
    rr = key + struct.pack('!HHIH', 250, 255, 0, len(rdata)) + rdata
    arcount = struct.unpack('!H', msg[10:12])[0] + 1
    return msg[:10] + struct.pack('!H', arcount) + msg[12:] + rr


def wire_name(name):
    out = b''
    for label in name.rstrip('.').split('.'):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b'\0'


def build_query(qname, qtype, o):
    qid = random.randrange(65536)
    opcode = o.get('opcode', 0)
    flags = (opcode << 11)
    if opcode == 0:
        flags |= 0x0020  # AD, as dig sets it
    if not o.get('norec'):
        flags |= 0x0100  # RD
    qt = TYPES[qtype] if qtype in TYPES else int(qtype.replace('TYPE', ''))
    qc = CLASSES[o.get('class', 'IN')]
    q = wire_name(qname) + struct.pack('!HH', qt, qc)
    ar = b''
    arcount = 0
    if not o.get('noedns'):
        opts = b''
        if o.get('nsid'):
            opts += struct.pack('!HH', 3, 0)
        if o.get('cookie'):
            opts += struct.pack('!HH', 10, 8) + bytes(random.randrange(256) for _ in range(8))
        ttl = (o.get('version', 0) << 16) | (0x8000 if o.get('do') else 0)
        ar = b'\0' + struct.pack('!HHIH', 41, o.get('bufsize', 1232), ttl, len(opts)) + opts
        arcount = 1
    hdr = struct.pack('!HHHHHH', qid, flags, 1, 0, 0, arcount)
    if o.get('tsig'):
        return qid, tsig_sign(hdr + q + ar)
    return qid, hdr + q + ar


def ask(port, msg, tcp=False, timeout=3.0):
    if tcp:
        with socket.create_connection(('127.0.0.1', port), timeout=timeout) as s:
            s.sendall(struct.pack('!H', len(msg)) + msg)
            hdr = b''
            while len(hdr) < 2:
                hdr += s.recv(2 - len(hdr))
            n = struct.unpack('!H', hdr)[0]
            data = b''
            while len(data) < n:
                chunk = s.recv(n - len(data))
                if not chunk:
                    break
                data += chunk
            return data
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(timeout)
    try:
        s.sendto(msg, ('127.0.0.1', port))
        while True:
            data, _ = s.recvfrom(65535)
            if data[:2] == msg[:2]:
                return data
    finally:
        s.close()


def to_hex(data, comment):
    lines = ['# ' + c for c in comment]
    h = data.hex()
    lines += [h[i:i + 64] for i in range(0, len(h), 64)]
    return '\n'.join(lines) + '\n'


def free_port():
    for _ in range(100):
        port = random.randrange(20000, 61000)
        try:
            for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
                s = socket.socket(socket.AF_INET, kind)
                s.bind(('127.0.0.1', port))
                s.close()
            return port
        except OSError:
            continue
    raise SystemExit('capture.py: no free port')


NAMED_CONF = '''options {{
	directory "{dir}";
	pid-file "{dir}/named.pid";
	listen-on port {port} {{ 127.0.0.1; }};
	listen-on-v6 {{ none; }};
	recursion no;
	server-id "zkit-test";
	version "zkit-test";
	notify no;
	dnssec-validation no;
}};
controls {{ }};
key "{keyname}" {{ algorithm hmac-sha256; secret "{secret}"; }};
zone "example" {{ type primary; file "{dir}/example.zone"; }};
zone "closed" {{ type primary; file "{dir}/closed.zone"; allow-query {{ none; }}; }};
'''

CLOSED_ZONE = '''$TTL 300
@ SOA ns hostmaster 1 3600 600 86400 300
  NS ns
ns A 192.0.2.53
'''


def capture_all(outdir):
    named = shutil.which('named') or '/usr/sbin/named'
    tmp = tempfile.mkdtemp(prefix='zkit-capture-')
    port = free_port()
    shutil.copy(os.path.join(HERE, 'example.zone'), os.path.join(tmp, 'example.zone'))
    with open(os.path.join(tmp, 'closed.zone'), 'w') as f:
        f.write(CLOSED_ZONE)
    with open(os.path.join(tmp, 'named.conf'), 'w') as f:
        f.write(NAMED_CONF.format(dir=tmp, port=port, keyname=TSIG_NAME.rstrip('.'),
                                  secret=base64.b64encode(TSIG_SECRET).decode()))
    log = open(os.path.join(tmp, 'named.log'), 'w')
    proc = subprocess.Popen([named, '-g', '-c', os.path.join(tmp, 'named.conf')],
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        _, probe = build_query('example.', 'SOA', {})
        for _ in range(100):
            try:
                ask(port, probe, timeout=0.2)
                break
            except OSError:
                if proc.poll() is not None:
                    raise SystemExit('capture.py: named exited; see ' + tmp)
                time.sleep(0.1)
        else:
            raise SystemExit('capture.py: named does not answer')
        version = subprocess.run([named, '-v'], capture_output=True, text=True).stdout.strip()
        for name, qname, qtype, o in QUERIES:
            _, q = build_query(qname, qtype, o)
            data = ask(port, q)
            desc = ' '.join('%s=%s' % kv for kv in sorted(o.items()))
            path = os.path.join(outdir, 'named-%s.hex' % name)
            with open(path, 'w') as f:
                f.write(to_hex(data, ['response of %s to %s %s %s' % (version, qname, qtype, desc),
                                      'captured by t/data/msg/capture.py all']))
            print('%-12s %5d octets  %s' % (name, len(data), path))
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description='capture named responses as hex')
    sub = ap.add_subparsers(dest='cmd', required=True)
    a = sub.add_parser('all')
    a.add_argument('--outdir', default=HERE)
    q = sub.add_parser('query')
    q.add_argument('--port', type=int, required=True)
    q.add_argument('--tcp', action='store_true')
    q.add_argument('--do', action='store_true')
    q.add_argument('--nsid', action='store_true')
    q.add_argument('--cookie', action='store_true')
    q.add_argument('--noedns', action='store_true')
    q.add_argument('--norec', action='store_true')
    q.add_argument('--bufsize', type=int)
    q.add_argument('--opcode', type=int)
    q.add_argument('--class', dest='qclass')
    q.add_argument('qname')
    q.add_argument('qtype')
    args = ap.parse_args()
    if args.cmd == 'all':
        capture_all(args.outdir)
        return
    o = {k: v for k, v in (('do', args.do), ('nsid', args.nsid), ('cookie', args.cookie),
                           ('noedns', args.noedns), ('norec', args.norec),
                           ('bufsize', args.bufsize), ('opcode', args.opcode),
                           ('class', args.qclass)) if v}
    _, msg = build_query(args.qname, args.qtype, o)
    try:
        data = ask(args.port, msg, tcp=args.tcp)
    except OSError as e:
        print('capture.py: no reply: %s' % e, file=sys.stderr)
        sys.exit(9)
    sys.stdout.write(data.hex() + '\n')


if __name__ == '__main__':
    main()
