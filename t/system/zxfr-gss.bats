#!/usr/bin/env bats
# zxfr -g: zone transfers signed with GSS-TSIG (RFC 3645) against BIND
# named with tkey-gssapi-keytab and an MIT KDC on loopback
# (t/helpers/krb5.bash, everything in temp dirs).
#
# named 9.18 cannot name a GSS-TSIG key in allow-transfer (the key is
# made by TKEY), so the zone allows any transfer; what is tested is ours:
# the TKEY negotiation, the signed query (named logs "AXFR started: TSIG
# <our key>"), the verification of every message of the stream (the
# summary says how many were signed), the deletion of the context, and a
# stream changed on the way (a proxy flips one octet of message 2) that
# is refused with the old file intact. Every process is stopped by PID.

load ../helpers/common
load ../helpers/servers
load ../helpers/krb5

# gss_named DIR PORT_VAR OPTIONS: named serving test.zkit (SOA MNAME
# ns.test.zkit, 600 padding records: several messages per AXFR).
gss_named() {
	local dir=$1 var=$2 opts=$3 gport
	mkdir -p "$dir/zones"
	cp "$ZKIT_DATA/gss/test.zkit.zone" "$dir/zones/gss.zone"
	zk_named_start "$dir" gport "placeholder.zkit.=$ZKIT_DATA/gss/test.zkit.zone" \
		--options "$opts" \
		--conf-extra "zone \"test.zkit.\" {
	type primary;
	file \"$dir/zones/gss.zone\";
	allow-transfer { any; };
};" || return 1
	zk_wait_serial "$gport" test.zkit. 2026010101 || return 1
	printf -v "$var" '%s' "$gport"
}

# A TCP proxy to named that flips one octet of the second message of
# every AXFR answer (in a padding TXT record: the message still parses,
# only its MAC no longer covers it). Each flip is logged to flips.log.
write_proxy() {
	cat >"$1" <<'EOF'
import socket, struct, sys, threading
lport, dport, log = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]

def frames(sock):
    buf = b''
    while True:
        d = sock.recv(65536)
        if not d:
            return
        buf += d
        while len(buf) >= 2 and len(buf) >= 2 + struct.unpack('!H', buf[:2])[0]:
            n = struct.unpack('!H', buf[:2])[0]
            yield buf[2:2 + n]
            buf = buf[2 + n:]

def qtype(m):
    if len(m) < 12 or struct.unpack('!H', m[4:6])[0] == 0:
        return None
    i = 12
    while i < len(m) and m[i] != 0:
        i += 1 + m[i]
    return struct.unpack('!H', m[i + 1:i + 3])[0] if i + 3 <= len(m) else None

def serve(c):
    u = socket.create_connection(('127.0.0.1', dport))
    st = {'axfr': False, 'n': 0}
    def up():
        for m in frames(c):
            if qtype(m) == 252:
                st['axfr'], st['n'] = True, 0
            u.sendall(struct.pack('!H', len(m)) + m)
        u.shutdown(socket.SHUT_WR)
    threading.Thread(target=up, daemon=True).start()
    try:
        for m in frames(u):
            if st['axfr']:
                st['n'] += 1
                i = m.find(b'padding')
                if st['n'] == 2 and i > 0:
                    m = m[:i] + bytes([m[i] ^ 0x20]) + m[i + 1:]
                    with open(log, 'a') as f:
                        f.write('flipped octet %d of message 2\n' % i)
            c.sendall(struct.pack('!H', len(m)) + m)
    except OSError:
        pass
    c.close()
    u.close()

s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', lport))
s.listen(8)
print('listening', flush=True)
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
EOF
}

setup_file() {
	export ZK_SERVERS_REGISTRY=$BATS_FILE_TMPDIR/.zk-servers
	for c in named dig ss krb5kdc kdb5_util kadmin.local kinit python3; do
		command -v "$c" >/dev/null 2>&1 || return 0 # setup skips each test
	done
	[ -x "$ZKIT_BIN/zxfr" ] || return 0
	"$ZKIT_BIN/zxfr" -g --help >/dev/null 2>&1 || return 0 # built without GSS-API
	zk_krb5_start "$BATS_FILE_TMPDIR/krb5"
	export ZK_KRB5_DIR ZK_KRB5_REALM ZK_KRB5_PORT
	zk_krb5_addprinc DNS/ns.test.zkit DNS/other.test.zkit host/client1.test.zkit
	zk_krb5_ktadd "$BATS_FILE_TMPDIR/dns.keytab" DNS/ns.test.zkit
	gss_named "$BATS_FILE_TMPDIR/n" NP "tkey-gssapi-keytab \"$BATS_FILE_TMPDIR/dns.keytab\";"
	export NP
	zk_krb5_kinit host/client1.test.zkit
	cat "$BATS_FILE_TMPDIR"/krb5/server.pid "$BATS_FILE_TMPDIR"/n/server.pid >"$BATS_FILE_TMPDIR/pids"
}

teardown_file() {
	local pid start left=''
	ZK_SERVERS_REGISTRY=$BATS_FILE_TMPDIR/.zk-servers zk_servers_stop_all
	[ -f "$BATS_FILE_TMPDIR/pids" ] || return 0
	while read -r pid start; do
		! zk__alive "$pid" "$start" || left+=" $pid"
	done <"$BATS_FILE_TMPDIR/pids"
	if [ -n "$left" ]; then
		echo "processes left behind:$left" >&2
		return 1
	fi
}

setup() {
	zk_require_cmd named dig ss krb5kdc kdb5_util kadmin.local kinit python3
	zk_require_bin zxfr
	"$ZKIT_BIN/zxfr" -g --help >/dev/null 2>&1 || skip "zxfr built without GSS-API"
	[ -n "${NP:-}" ] || skip "the KDC or named did not start"
	D=$BATS_TEST_TMPDIR
}

teardown() {
	# Servers a test started itself (the proxy, a second named).
	local d
	for d in "$BATS_TEST_TMPDIR"/proxy "$BATS_TEST_TMPDIR"/plain; do
		[ ! -e "$d/server.pid" ] || zk_server_stop "$d"
	done
}

zxfr() {
	timeout 60 "$ZKIT_BIN/zxfr" "$@"
}

KEYRE='[0-9]+\.sig-ns\.test\.zkit\.'

@test "zxfr -g: AXFR signed with GSS-TSIG, every message verified, context deleted" {
	run zxfr -v -g "@127.0.0.1" -p "$NP" test.zkit.
	assert_success
	# the service name comes from the zone's SOA MNAME, as nsupdate -g
	assert_line --regexp '^zxfr: negotiating a GSS-TSIG context \(service DNS/ns\.test\.zkit, from the zone.s SOA MNAME; gss-tsig\)$'
	assert_line --regexp "^zxfr: GSS-TSIG context $KEYRE established with 127\.0\.0\.1#$NP as host/client1\.test\.zkit@TEST\.ZKIT, valid for [0-9]+ s$"
	assert_line --regexp "^zxfr: test\.zkit\. serial 2026010101 from 127\.0\.0\.1#$NP: AXFR, 605 records in ([2-9]|[1-9][0-9]) messages \([0-9]+ octets\), GSS-TSIG verified \(gss-tsig ok, ([2-9]|[1-9][0-9]) of \1 messages signed\)$"
	assert_line --regexp "^zxfr: GSS-TSIG context $KEYRE deleted \(TKEY mode 5\)$"
	# the zone itself: SOA first, 600 padding records, the closing SOA not
	# printed (--onesoa)
	[ "$(grep -c 'IN	TXT	"padding" "record" ' <<<"$output")" -eq 600 ]
	assert_line --regexp '^test\.zkit\.	+300	IN	SOA	ns\.test\.zkit\. hostmaster\.test\.zkit\. 2026010101 3600 900 604800 300$'
	[ "$(grep -c '	SOA	' <<<"$output")" -eq 1 ]
	# named saw the transfer signed with our key, and the deletion
	grep -qE "AXFR started: TSIG [0-9]+\.sig-ns\.test\.zkit" "$BATS_FILE_TMPDIR/n/server.log"
}

@test "zxfr -g -o: the file is written; the same records as dig's AXFR" {
	run zxfr -g "@127.0.0.1" -p "$NP" -o "$D/test.zone" test.zkit.
	assert_success
	assert_output --regexp "^zxfr: test\.zkit\. serial 2026010101 from 127\.0\.0\.1#$NP: AXFR, 605 records in [0-9]+ messages \([0-9]+ octets\), GSS-TSIG verified \(gss-tsig ok, [0-9]+ of [0-9]+ messages signed\)$"
	dig +tries=1 +time=5 +onesoa +nocomments +nostats +nocmd -p "$NP" @127.0.0.1 test.zkit. AXFR |
		awk 'NF' | sort >"$D/dig.sorted"
	grep -v '^;' "$D/test.zone" | awk 'NF' | sort >"$D/ours.sorted"
	[ "$(wc -l <"$D/ours.sorted")" -eq 604 ]
	diff <(awk '{print $1, $4}' "$D/dig.sorted") <(awk '{print $1, $4}' "$D/ours.sorted")
	ls "$D" >"$D/ls"
	run grep -c '^test.zone' "$D/ls"
	assert_output 1
}

@test "zxfr -g: IXFR up to date and --if-newer, signed and verified" {
	run zxfr -g -v "@127.0.0.1" -p "$NP" --ixfr=2026010101 test.zkit.
	assert_success
	assert_line 'zxfr: test.zkit. is up to date (serial 2026010101)'
	assert_line --regexp "^zxfr: GSS-TSIG context $KEYRE deleted \(TKEY mode 5\)$"
	zxfr -g "@127.0.0.1" -p "$NP" -o "$D/z.zone" test.zkit. 2>/dev/null
	cp "$D/z.zone" "$D/before"
	run zxfr -g "@127.0.0.1" -p "$NP" -o "$D/z.zone" --if-newer test.zkit.
	assert_success
	assert_output 'zxfr: test.zkit. is up to date (serial 2026010101, server 2026010101)'
	cmp "$D/before" "$D/z.zone"
}

@test "zxfr --oldgsstsig: the Windows 2000 variant (gss.microsoft.com)" {
	run zxfr -v --oldgsstsig "@127.0.0.1" -p "$NP" -o "$D/w.zone" test.zkit.
	assert_success
	assert_line --partial '(service DNS/ns.test.zkit, from the zone'"'"'s SOA MNAME; Windows 2000 variant gss.microsoft.com)'
	assert_line --regexp 'AXFR, 605 records in [0-9]+ messages \([0-9]+ octets\), GSS-TSIG verified \(gss\.microsoft\.com ok, '
}

@test "zxfr -g --keytab --principal: no credential cache needed" {
	KRB5CCNAME=FILE:$D/none run zxfr -g "@127.0.0.1" -p "$NP" -o "$D/k.zone" \
		--keytab "$ZK_KRB5_DIR/clients.keytab" --principal host/client1.test.zkit@TEST.ZKIT test.zkit.
	assert_success
	assert_output --partial 'GSS-TSIG verified (gss-tsig ok'
	[ ! -e "$D/none" ]
}

@test "zxfr -g --gss-server-name: the service principal named explicitly" {
	run zxfr -v -g "@127.0.0.1" -p "$NP" --gss-server-name ns.test.zkit. -o "$D/n.zone" test.zkit.
	assert_success
	assert_line --partial '(service DNS/ns.test.zkit, from --gss-server-name; gss-tsig)'
	# a principal the KDC does not know: the error says where the name came from
	run zxfr -g "@127.0.0.1" -p "$NP" --gss-server-name nosuch.test.zkit test.zkit.
	assert_failure 4
	assert_output --partial "zxfr: 127.0.0.1#$NP: GSS-TSIG: GSS-API negotiation with DNS/nosuch.test.zkit failed: the KDC does not know that service principal"
	assert_output --partial '[the name nosuch.test.zkit came from --gss-server-name; give the right one with --gss-server-name NAME]'
	# a principal named's keytab lacks: named refuses the token (TKEY BADKEY)
	run zxfr -g "@127.0.0.1" -p "$NP" --gss-server-name other.test.zkit test.zkit.
	assert_failure 4
	assert_output --partial 'TKEY error BADKEY: the server could not accept our GSS-API token'
}

@test "zxfr -g errors: no credentials, a server without GSS-TSIG, exclusive options" {
	KRB5CCNAME=FILE:$D/none run zxfr -g "@127.0.0.1" -p "$NP" test.zkit.
	assert_failure 4
	assert_output --partial 'GSS-TSIG: cannot get Kerberos credentials: no Kerberos credentials: run kinit first'
	assert_output --partial '[hint: run kinit, or give --keytab FILE --principal PRINCIPAL]'
	gss_named "$D/plain" PP ''
	run zxfr -g "@127.0.0.1" -p "$PP" -o "$D/p.zone" test.zkit.
	assert_failure 4
	assert_output "zxfr: 127.0.0.1#$PP: GSS-TSIG: the server answered the TKEY query with REFUSED: GSS-TSIG is not enabled there (BIND: tkey-gssapi-keytab or tkey-gssapi-credential)"
	[ ! -e "$D/p.zone" ]
	run zxfr -g -y hmac-sha256:k:cGFzc3dvcmQ= test.zkit.
	assert_failure 1
	assert_output 'zxfr: -g (GSS-TSIG) and a TSIG key (-k, -y) exclude each other'
	run zxfr --keytab /x test.zkit.
	assert_failure 1
	assert_output 'zxfr: --keytab, --principal, --realm and --gss-server-name are for -g'
	run zxfr -g --keytab /x test.zkit.
	assert_failure 1
	assert_output 'zxfr: --keytab needs --principal (the client principal in it)'
}

@test "zxfr -g: a stream changed on the way fails, the old file is intact" {
	local pp
	mkdir -p "$D/proxy"
	write_proxy "$D/flip.py"
	pp=$(zk_free_port)
	zk__spawn "$D/proxy" python3 "$D/flip.py" "$pp" "$NP" "$D/flips.log"
	for _ in $(seq 1 100); do
		grep -q listening "$D/proxy/server.log" 2>/dev/null && break
		sleep 0.1
	done
	printf '; the good copy\ntest.zkit. 300 IN SOA ns.test.zkit. h.test.zkit. 1 3600 900 604800 300\n' >"$D/t.zone"
	cp "$D/t.zone" "$D/orig"
	# the proxy passes the TKEY exchange untouched, then breaks message 2
	run zxfr -g "@127.0.0.1" -p "$pp" --gss-server-name ns.test.zkit -o "$D/t.zone" test.zkit.
	assert_failure 4
	assert_output "zxfr: 127.0.0.1#$pp: message 2: BADSIG: the MAC does not verify"
	grep -q '^flipped octet [0-9]* of message 2$' "$D/flips.log"
	cmp "$D/orig" "$D/t.zone"
	[ "$(ls "$D" | grep -c '^t\.zone')" -eq 1 ] # no temporary file left
	# through the same proxy without -g the change goes unnoticed: the
	# signature is what caught it
	run zxfr "@127.0.0.1" -p "$pp" test.zkit.
	assert_success
	assert_output --partial '"Padding" "record"'
}
