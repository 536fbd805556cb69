#!/usr/bin/env bats
# zdig -g: queries signed with GSS-TSIG (RFC 3645) against BIND named with
# tkey-gssapi-keytab and an MIT KDC on loopback (t/helpers/krb5.bash,
# everything in temp dirs): the TKEY negotiation once per server per run,
# each query signed, each reply verified in RFC 8945 §5.2 order, the
# context deleted at the end; a reply changed on the way (a proxy,
# t/data/zdig-gss/tamper-proxy.py) is refused with exit 11. Every process
# is stopped by PID.

load ../helpers/common
load ../helpers/servers
load ../helpers/krb5

setup_file() {
	export ZK_SERVERS_REGISTRY=$BATS_FILE_TMPDIR/.zk-servers
	for c in named dig ss krb5kdc kdb5_util kadmin.local kinit python3; do
		command -v "$c" >/dev/null 2>&1 || return 0 # setup skips each test
	done
	[ -x "$ZKIT_BIN/zdig" ] || return 0
	"$ZKIT_BIN/zdig" -g -h >/dev/null 2>&1 || return 0 # built without GSS-API
	zk_krb5_start "$BATS_FILE_TMPDIR/krb5"
	export ZK_KRB5_DIR ZK_KRB5_REALM ZK_KRB5_PORT
	zk_krb5_addprinc DNS/ns.test.zkit DNS/other.test.zkit host/client1.test.zkit
	zk_krb5_ktadd "$BATS_FILE_TMPDIR/dns.keytab" DNS/ns.test.zkit
	local dir=$BATS_FILE_TMPDIR/n
	mkdir -p "$dir/zones"
	cp "$ZKIT_DATA/gss/test.zkit.zone" "$dir/zones/gss.zone"
	zk_named_start "$dir" NP "placeholder.zkit.=$ZKIT_DATA/gss/test.zkit.zone" \
		--options "tkey-gssapi-keytab \"$BATS_FILE_TMPDIR/dns.keytab\";" \
		--conf-extra "zone \"test.zkit.\" {
	type primary;
	file \"$dir/zones/gss.zone\";
};" || return 1
	zk_wait_serial "$NP" test.zkit. 2026010101 || return 1
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
	zk_require_bin zdig
	"$ZKIT_BIN/zdig" -g -h >/dev/null 2>&1 || skip "zdig built without GSS-API"
	[ -n "${NP:-}" ] || skip "the KDC or named did not start"
	D=$BATS_TEST_TMPDIR
}

zdig() {
	timeout 60 "$ZKIT_BIN/zdig" +time=5 +tries=1 "$@"
}

KEYRE='[0-9]+\.sig-ns\.test\.zkit\.'
SOARE='^test\.zkit\.	+300	IN	SOA	ns\.test\.zkit\. hostmaster\.test\.zkit\. 2026010101 3600 900 604800 300$'

@test "zdig -g: a signed query, the reply verified, the pseudosection shows gss-tsig" {
	run zdig -g @127.0.0.1 -p "$NP" +qr +nocmd +nostats test.zkit. SOA
	assert_success
	# the query as sent carries our TSIG (service name from the SOA MNAME)
	assert_line --index 0 ';; Sending:'
	assert_line --regexp "^$KEYRE +0	ANY	TSIG	gss-tsig\. [0-9]+ 300 [0-9]+ [A-Za-z0-9+/=]+ [0-9]+ NOERROR 0$"
	assert_line --regexp ';; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: [0-9]+$'
	assert_line --regexp "$SOARE"
	# the reply's TSIG, made by named with the context and verified
	[ "$(grep -cE "^$KEYRE +0	ANY	TSIG	gss-tsig\. " <<<"$output")" -eq 2 ]
	[ "$(grep -c '^;; TSIG PSEUDOSECTION:$' <<<"$output")" -eq 2 ]
	refute_output --partial "Couldn't verify"
}

# start_proxy MODE [LOG]: the proxy in front of named; sets PID and PORT.
start_proxy() {
	local pf=$D/proxy.port
	python3 "$ZKIT_DATA/zdig-gss/tamper-proxy.py" "$pf" "$NP" "$@" 3>&- &
	PID=$!
	for _ in $(seq 1 50); do [ -s "$pf" ] && break; sleep 0.1; done
	PORT=$(cat "$pf")
}

stop_proxy() {
	kill "$PID" 2>/dev/null || true
	wait "$PID" 2>/dev/null || true
}

@test "zdig -g: one negotiation (TKEY mode 3) for two lookups, then the deletion (mode 5)" {
	start_proxy log "$D/q.log"
	run zdig -g --gss-server-name ns.test.zkit @127.0.0.1 -p "$PORT" +short test.zkit. SOA ns.test.zkit. A
	stop_proxy
	assert_success
	assert_line 'ns.test.zkit. hostmaster.test.zkit. 2026010101 3600 900 604800 300'
	# Kerberos needs one round trip (no TSIG on the TKEY query); each
	# lookup carries a TSIG; the deletion query is signed (RFC 2930 §4.1)
	run cat "$D/q.log"
	assert_output "qtype 249 arcount 1 tkey-mode 3
qtype 6 arcount 2
qtype 1 arcount 2
qtype 249 arcount 2 tkey-mode 5"
}

@test "zdig -g: several lookups share one context (one TKEY negotiation)" {
	run zdig -g @127.0.0.1 -p "$NP" +short +qr test.zkit. SOA ns.test.zkit. A test.zkit. NS
	assert_success
	# three signed queries, all with the same key name
	[ "$(grep -cE "^$KEYRE +0	ANY	TSIG	gss-tsig\. " <<<"$output")" -eq 3 ]
	[ "$(grep -oE "^$KEYRE" <<<"$output" | sort -u | wc -l)" -eq 1 ]
	assert_line 'ns.test.zkit. hostmaster.test.zkit. 2026010101 3600 900 604800 300'
}

@test "zdig -g in a batch (-f): every line signed and verified" {
	printf 'test.zkit. SOA\nns.test.zkit. A\ntest.zkit. NS\n' >"$D/batch"
	run zdig -g @127.0.0.1 -p "$NP" +nocmd +nostats -f "$D/batch"
	assert_success
	[ "$(grep -c '^;; TSIG PSEUDOSECTION:$' <<<"$output")" -eq 3 ]
	refute_output --partial "Couldn't verify"
}

@test "zdig --oldgsstsig: the Windows 2000 variant (gss.microsoft.com)" {
	run zdig --oldgsstsig @127.0.0.1 -p "$NP" +nocmd +nostats test.zkit. SOA
	assert_success
	assert_line --regexp "^$KEYRE +0	ANY	TSIG	gss\.microsoft\.com\. [0-9]+ 300 [0-9]+ "
	assert_line --regexp "$SOARE"
}

@test "zdig -g --keytab --principal: no credential cache needed" {
	KRB5CCNAME=FILE:$D/none run zdig -g @127.0.0.1 -p "$NP" +nocmd +nostats \
		--keytab "$ZK_KRB5_DIR/clients.keytab" --principal host/client1.test.zkit@TEST.ZKIT test.zkit. SOA
	assert_success
	assert_line --regexp "^$KEYRE +0	ANY	TSIG	gss-tsig\. "
	assert_line --regexp "$SOARE"
	[ ! -e "$D/none" ]
}

@test "zdig -g --gss-server-name: the service principal named explicitly" {
	run zdig -g --gss-server-name ns.test.zkit. @127.0.0.1 -p "$NP" +nocmd +nostats test.zkit. SOA
	assert_success
	assert_line --regexp "$SOARE"
	# a principal the KDC does not know: the error says where the name came from
	run zdig -g --gss-server-name nosuch.test.zkit @127.0.0.1 -p "$NP" +nocmd test.zkit. SOA
	assert_failure 11
	assert_output --partial ";; GSS-TSIG: GSS-API negotiation with DNS/nosuch.test.zkit failed: the KDC does not know that service principal"
	assert_output --partial '[the name nosuch.test.zkit came from --gss-server-name; give the right one with --gss-server-name NAME]'
	# a principal named's keytab lacks: named refuses the token
	run zdig -g --gss-server-name other.test.zkit @127.0.0.1 -p "$NP" +nocmd test.zkit. SOA
	assert_failure 11
	assert_output --partial 'TKEY error BADKEY: the server could not accept our GSS-API token'
}

@test "zdig -g errors: no credentials (exit 11), exclusive options (exit 1)" {
	KRB5CCNAME=FILE:$D/none run zdig -g @127.0.0.1 -p "$NP" +nocmd test.zkit. SOA
	assert_failure 11
	assert_output --partial ';; GSS-TSIG: cannot get Kerberos credentials: no Kerberos credentials: run kinit first'
	assert_output --partial '[hint: run kinit, or give --keytab FILE --principal PRINCIPAL]'
	run zdig -g -y hmac-sha256:k:cGFzc3dvcmQ= @127.0.0.1 test.zkit.
	assert_failure 1
	assert_line --index 0 'zdig: -g (GSS-TSIG) and a TSIG key (-k, -y) exclude each other'
	run zdig --keytab /x @127.0.0.1 test.zkit.
	assert_failure 1
	assert_line --index 0 'zdig: --keytab, --principal, --realm and --gss-server-name are for -g'
	run zdig -g --keytab /x @127.0.0.1 test.zkit.
	assert_failure 1
	assert_line --index 0 'zdig: --keytab needs --principal (the client principal in it)'
	printf 'test.zkit. SOA -y hmac-sha256:k:cGFzc3dvcmQ=\n' >"$D/batch"
	run zdig -g @127.0.0.1 -p "$NP" -f "$D/batch"
	assert_failure 1
	assert_output "zdig: $D/batch:1: -g (GSS-TSIG) and a TSIG key (-k, -y) exclude each other"
}

@test "zdig -g: a reply changed on the way is rejected, exit 11" {
	start_proxy tamper
	# the proxy passes the TKEY exchange untouched and sets the rcode of
	# the answer to REFUSED
	run zdig -g --gss-server-name ns.test.zkit @127.0.0.1 -p "$PORT" +nocmd +nostats test.zkit. SOA
	stop_proxy
	assert_failure 11
	assert_line --regexp ';; ->>HEADER<<- opcode: QUERY, status: REFUSED, id: [0-9]+$'
	assert_line ";; Couldn't verify signature: BADSIG: the MAC does not verify"
}
