#!/usr/bin/env python3
"""crafted.py - build the hand-made test messages of t/data/msg.

  crafted.py [--outdir DIR]     write crafted-NAME.hex for every message

These cover what named will not send on its own: every EDNS option with
the text dig prints for it, TSIG, odd header bits, extended and unknown
rcodes, UPDATE sections, and malformed messages (bad-*.hex) with the error
zdig must report. golden.sh sends the well-formed ones to dig (through
t/helpers/responder.py) and stores dig's output next to them as
crafted-NAME.dig. Python 3 standard library only.
"""
import argparse
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def name(n):
    out = b''
    for label in n.rstrip('.').split('.'):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b'\0'


def rr(owner, rtype, rclass, ttl, rdata):
    return name(owner) + struct.pack('!HHIH', rtype, rclass, ttl, len(rdata)) + rdata


def opt(udp=1232, ext=0, ver=0, flags=0, opts=b''):
    return b'\0' + struct.pack('!HHIH', 41, udp, (ext << 24) | (ver << 16) | flags,
                               len(opts)) + opts


def o(code, data):
    return struct.pack('!HH', code, len(data)) + data


def msg(mid=1234, flags=0x8180, q=(), an=(), ns=(), ar=()):
    q, an, ns, ar = list(q), list(an), list(ns), list(ar)
    return struct.pack('!HHHHHH', mid, flags, len(q), len(an), len(ns), len(ar)) + \
        b''.join(q + an + ns + ar)


def question(n, t=1, c=1):
    return name(n) + struct.pack('!HH', t, c)


A = bytes([192, 0, 2, 1])
SOA = name('ns1.example.com.') + name('hostmaster.example.com.') + \
    struct.pack('!IIIII', 2024010101, 7200, 3600, 1209600, 300)
TSIG = name('hmac-sha256.') + struct.pack('!HIH', 0, 1700000000, 300) + \
    struct.pack('!H', 32) + bytes(range(32)) + struct.pack('!HHH', 1234, 0, 0)

OPTIONS = (o(3, b'ns1') + o(10, bytes(range(24))) +
           o(15, struct.pack('!H', 18) + b'go away') + o(15, struct.pack('!H', 27)) +
           o(15, struct.pack('!H', 40) + b'x\x01y') + o(12, bytes(5)) +
           o(11, struct.pack('!H', 75)) + o(9, struct.pack('!I', 3600 * 30)) +
           o(8, bytes([0, 1, 24, 0, 192, 0, 2])) +
           o(8, bytes([0, 2, 56, 0]) + bytes.fromhex('20010db8000000')) +
           o(99, b'ab\x00c') + o(9, b'') + o(11, b'') + o(14, bytes([1, 2, 3, 4])) +
           o(13, name('example.')) + o(16, b'\x00\x05') + o(5, b'\x08\x0d'))

# name: (message, dig arguments to ask for it, zdig display options)
GOOD = {
    # Every EDNS option dig names, unknown ones as hex; Z bit; EDNS MBZ.
    'options': (msg(flags=0x8580 | 0x0040, q=[question('example.com.')],
                    an=[rr('example.com.', 1, 1, 300, A),
                        rr('averyveryveryverylongname.example.com.', 1, 1, 86400, A)],
                    ar=[opt(flags=0x8000 | 0x0011, opts=OPTIONS)]),
                'example.com A'),
    # tc ad cd, RD without RA, all sections, multiline SOA.
    'sections': (msg(flags=0x8100 | 0x0200 | 0x20 | 0x10, q=[question('example.com.', 255)],
                     an=[rr('example.com.', 6, 1, 3600, SOA),
                         rr('example.com.', 15, 1, 3600, struct.pack('!H', 10) +
                            name('mail.example.com.')),
                         rr('example.com.', 16, 1, 60, b'\x05hello\x0aworld "x"\\'),
                         rr('example.com.', 1, 1, 300, A)],
                     ns=[rr('example.com.', 2, 1, 3600, name('ns1.example.com.'))],
                     ar=[rr('ns1.example.com.', 28, 1, 3600,
                            bytes.fromhex('20010db8000000000000000000000001')),
                         opt(flags=0x8000)]),
                 'example.com ANY +notcp +ignore'),
    # TSIG pseudosection after OPT.
    'tsig': (msg(flags=0x8180, q=[question('example.com.')],
                 an=[rr('example.com.', 1, 1, 300, A)],
                 ar=[opt(), rr('key.example.', 250, 255, 0, TSIG)]),
             'example.com A'),
    # Extended rcodes through OPT: BADVERS, BADCOOKIE, unknown.
    'badvers': (msg(flags=0x8000, q=[question('example.com.')], ar=[opt(ext=1)]),
                'example.com A'),
    'badcookie': (msg(flags=0x8000 | 7, q=[question('example.com.')], ar=[opt(ext=1)]),
                  'example.com A'),
    'rcode30': (msg(flags=0x8000 | 14, q=[question('example.com.')], ar=[opt(ext=1)]),
                'example.com A'),
    'rcode12': (msg(flags=0x8000 | 12, q=[question('example.com.')]), 'example.com A'),
    # No flags at all, NXDOMAIN, no OPT.
    'noflags': (msg(flags=0x0003, q=[question('example.com.')]), 'example.com A'),
    # No question section.
    'noquestion': (msg(flags=0x8180, an=[rr('example.com.', 1, 1, 300, A)]), 'example.com A'),
}

# UPDATE and NOTIFY: dig refuses other opcodes, so these have no .dig file;
# t/zdig_read.bats holds the expected text (nsupdate's layout).
OTHER = {
    'update': msg(flags=0x8000 | (5 << 11), q=[question('example.com.', 6)],
                  an=[rr('a.example.com.', 1, 254, 0, b'')],
                  ns=[rr('b.example.com.', 255, 255, 0, b''),
                      rr('c.example.com.', 28, 1, 3600, bytes(16))]),
    'notify': msg(flags=0x8400 | (4 << 11), q=[question('example.com.', 6)]),
}

# Malformed: what zdig --read must say (after "zdig: FILE: ").
BAD = {
    'loop': (msg(q=[b'\xc0\x0c' + struct.pack('!HH', 1, 1)]),
             'offset 12: question name: compression pointer to 12 does not point backward'),
    'forward': (msg(q=[b'\xc0\x20' + struct.pack('!HH', 1, 1)]) + bytes(20),
                'offset 12: question name: compression pointer to 32 does not point backward'),
    'rdlen': (msg(q=[question('example.com.')], an=[rr('example.com.', 1, 1, 300, A)])[:-2],
              'offset 50: RDLENGTH 4 runs past the end of the message (2 octets left)'),
    'counts': (msg(q=[question('example.com.')])[:4] + b'\x00\x05' +
               msg(q=[question('example.com.')])[6:],
               'offset 29: QUESTION count 5 but the message ends after 1'),
    'opt-twice': (msg(q=[question('example.com.')], ar=[opt(), opt()]),
                  'offset 40: second OPT record (first at offset 29)'),
    'tsig-not-last': (msg(q=[question('example.com.')],
                          ar=[rr('key.example.', 250, 255, 0, TSIG), opt()]),
                      'offset 29: TSIG record is not the last one in the message'),
    'trailing': (msg(q=[question('example.com.')]) + b'\xde\xad\xbe\xef',
                 'offset 29: 4 octets after the last record'),
    'header': (b'\x04\xd2\x81\x80\x00', 'offset 5: message of 5 octets is shorter than the '
               '12-octet header'),
    'cookie': (msg(q=[question('example.com.')], ar=[opt(opts=o(10, bytes(9)))]),
               'offset 40: malformed OPT option: COOKIE must be 8 or 16 to 40 octets'),
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--outdir', default=HERE)
    ap.add_argument('--list', action='store_true', help='print "name dig-args" lines')
    args = ap.parse_args()
    if args.list:
        for k, (_, digargs) in GOOD.items():
            print(k, digargs)
        return
    for k, (m, _) in GOOD.items():
        with open(os.path.join(args.outdir, 'crafted-%s.hex' % k), 'w') as f:
            f.write('# crafted by t/data/msg/crafted.py\n' + m.hex() + '\n')
    for k, m in OTHER.items():
        with open(os.path.join(args.outdir, 'crafted-%s.hex' % k), 'w') as f:
            f.write('# crafted by t/data/msg/crafted.py\n' + m.hex() + '\n')
    for k, (m, err) in BAD.items():
        with open(os.path.join(args.outdir, 'bad-%s.hex' % k), 'w') as f:
            f.write('# crafted by t/data/msg/crafted.py; zdig --read says:\n# %s\n%s\n' %
                    (err, m.hex()))
        with open(os.path.join(args.outdir, 'bad-%s.err' % k), 'w') as f:
            f.write(err + '\n')


if __name__ == '__main__':
    main()
