#!/usr/bin/env bats
# GSS-TSIG (RFC 3645) with real Kerberos on loopback: an MIT KDC for the
# realm TEST.ZKIT (t/helpers/krb5.bash, in a temp dir) and BIND named with
# tkey-gssapi-keytab and a krb5-self / krb5-subdomain update policy.
#
# Two halves on the same servers:
# - the harness proved with BIND's nsupdate -g: allowed names are updated,
#   others REFUSED, an unsigned update REFUSED;
# - our gss module (common/gss.c, driven by `test_gss live SCENARIO`, see
#   t/unit/test_gss.c) does the same and more: TKEY negotiation and
#   deletion (mode 5), signed updates, queries and a multi-message AXFR,
#   tampered replies rejected (TKEY replies too), keytab credentials, the Windows 2000
#   variant, and every error explained (no credentials, unknown service
#   principal, clock skew, TKEY refused, server keytab without the
#   principal, context deleted or expired).
# Every process is stopped by PID; teardown_file checks none is left.

load ../helpers/common
load ../helpers/servers
load ../helpers/krb5

POLICY='update-policy {
		grant TEST.ZKIT krb5-self . A TXT;
		grant TEST.ZKIT krb5-subdomain sub.test.zkit. A TXT;
	};'

# gss_named DIR PORT_VAR OPTIONS: named serving test.zkit with the policy.
# The zone goes in --conf-extra (servers.bash has no update-policy option);
# a placeholder zone from the same file lets zk_named_start wait for it.
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
	$POLICY
};" || return 1
	zk_wait_serial "$gport" test.zkit. 2026010101 || return 1
	printf -v "$var" '%s' "$gport"
}

setup_file() {
	export ZK_SERVERS_REGISTRY=$BATS_FILE_TMPDIR/.zk-servers
	for c in named nsupdate dig ss krb5kdc kdb5_util kadmin.local kinit; do
		command -v "$c" >/dev/null 2>&1 || return 0 # setup skips each test
	done
	zk_krb5_start "$BATS_FILE_TMPDIR/krb5"
	export ZK_KRB5_DIR ZK_KRB5_REALM ZK_KRB5_PORT
	zk_krb5_addprinc DNS/ns.test.zkit DNS/other.test.zkit host/client1.test.zkit user1
	zk_krb5_ktadd "$BATS_FILE_TMPDIR/dns.keytab" DNS/ns.test.zkit
	zk_krb5_ktadd "$BATS_FILE_TMPDIR/other.keytab" DNS/other.test.zkit
	gss_named "$BATS_FILE_TMPDIR/n" NP "tkey-gssapi-keytab \"$BATS_FILE_TMPDIR/dns.keytab\";"
	export NP
	# The client's TGT, in the realm's default cache (KRB5CCNAME).
	zk_krb5_kinit host/client1.test.zkit
	# Every PID we started, for the check in teardown_file.
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
	zk_require_cmd named nsupdate dig ss krb5kdc kdb5_util kadmin.local kinit
	G=$ZKIT_BUILD/t/unit/test_gss
	[ -x "$G" ] || skip "$G not built (make tests BUILD=...)"
	"$G" live available >/dev/null || skip "$("$G" live available)"
	export ZK_GSS_PORT=$NP ZK_GSS_SERVER=ns.test.zkit ZK_GSS_ZONE=test.zkit.
}

# nsupdate_g PORT COMMANDS...: BIND's nsupdate -g (principal from the
# zone's SOA MNAME) against 127.0.0.1#PORT.
nsupdate_g() {
	local port=$1
	shift
	printf 'server 127.0.0.1 %s\nzone test.zkit.\n%s\nsend\n' "$port" "$*" |
		timeout 30 nsupdate -t 5 -g
}

txt() {
	dig +short +tries=1 +time=2 @127.0.0.1 -p "$NP" "$1" TXT
}

ESTABLISHED='^established [0-9]+\.sig-ns\.test\.zkit\. gss-tsig\. client host/client1\.test\.zkit@TEST\.ZKIT expires-in ok$'

# ---------------------------------------------------------------- harness

@test "harness: the KDC issues a ticket for DNS/ns.test.zkit, named holds its key" {
	run klist
	assert_success
	assert_output --partial 'Default principal: host/client1.test.zkit@TEST.ZKIT'
	run kvno DNS/ns.test.zkit
	assert_success
	assert_output 'DNS/ns.test.zkit@TEST.ZKIT: kvno = 1'
	run klist -k "$BATS_FILE_TMPDIR/dns.keytab"
	assert_output --partial '1 DNS/ns.test.zkit@TEST.ZKIT'
	# Nothing of ours outside the temp dir.
	[[ $KRB5_CONFIG == "$BATS_FILE_TMPDIR"/* ]]
	[[ $KRB5CCNAME == FILE:"$BATS_FILE_TMPDIR"/* ]]
	grep -q "GSS-API): yes" "$BATS_FILE_TMPDIR/n/server.log"
}

@test "nsupdate -g: krb5-self and krb5-subdomain names are updated" {
	run nsupdate_g "$NP" 'update add client1.test.zkit. 60 TXT "nsupdate-self"'
	assert_success
	run nsupdate_g "$NP" 'update add a.sub.test.zkit. 60 TXT "nsupdate-sub"'
	assert_success
	run txt client1.test.zkit
	assert_output --partial '"nsupdate-self"'
	run txt a.sub.test.zkit
	assert_output '"nsupdate-sub"'
	grep -q "key host/client1.test.zkit\\\\@TEST.ZKIT: updating zone 'test.zkit/IN': adding an RR at 'a.sub.test.zkit' TXT" \
		"$BATS_FILE_TMPDIR/n/server.log"
}

@test "nsupdate -g: names outside the policy are REFUSED" {
	run nsupdate_g "$NP" 'update add nsother.test.zkit. 60 TXT "no"'
	assert_failure
	assert_output --partial 'update failed: REFUSED'
	# another principal of the realm may not take client1's name
	zk_krb5_kinit user1 "$BATS_TEST_TMPDIR/user1.cc"
	KRB5CCNAME=$BATS_TEST_TMPDIR/user1.cc run nsupdate_g "$NP" \
		'update add client1.test.zkit. 60 TXT "nsupdate-user1"'
	assert_failure
	assert_output --partial 'update failed: REFUSED'
	run txt nsother.test.zkit
	assert_output ''
	run txt client1.test.zkit
	refute_output --partial 'nsupdate-user1'
}

@test "nsupdate: an unsigned update is REFUSED" {
	run bash -c "printf 'server 127.0.0.1 $NP\nzone test.zkit.\nupdate add client1.test.zkit. 60 TXT \"unsigned\"\nsend\n' | nsupdate -t 5"
	assert_failure
	assert_output --partial 'update failed: REFUSED'
	run txt client1.test.zkit
	refute_output --partial unsigned
}

# ---------------------------------------------------------------- our module

@test "gss: TKEY negotiation, then deletion of the context (mode 5)" {
	run "$G" live negotiate
	assert_success
	assert_line --index 0 --regexp "$ESTABLISHED"
	assert_line --index 1 'deleted: yes'
}

@test "gss: signed updates succeed for allowed names and are REFUSED for others" {
	run "$G" live update client1 gss-self
	assert_success
	assert_line --regexp "$ESTABLISHED"
	assert_line 'reply: verified'
	assert_line 'update client1: NOERROR'
	assert_line 'deleted: yes'
	run "$G" live update b.sub gss-sub
	assert_success
	assert_line 'update b.sub: NOERROR'
	run "$G" live update gssother nope
	assert_success
	assert_line 'reply: verified'
	assert_line 'update gssother: REFUSED'
	run txt client1.test.zkit
	assert_output --partial '"gss-self"'
	run txt b.sub.test.zkit
	assert_output '"gss-sub"'
	run txt gssother.test.zkit
	assert_output ''
	# named saw our principal
	grep -q "key host/client1.test.zkit\\\\@TEST.ZKIT: updating zone 'test.zkit/IN': adding an RR at 'b.sub.test.zkit' TXT \"gss-sub\"" \
		"$BATS_FILE_TMPDIR/n/server.log"
}

@test "gss: another principal is REFUSED for client1's name" {
	zk_krb5_kinit user1 "$BATS_TEST_TMPDIR/user1.cc"
	KRB5CCNAME=$BATS_TEST_TMPDIR/user1.cc run "$G" live update client1 gss-user1
	assert_success
	assert_line --regexp '^established .* client user1@TEST\.ZKIT '
	assert_line 'update client1: REFUSED'
	run txt client1.test.zkit
	refute_output --partial gss-user1
}

@test "gss: keytab credentials, no credential cache (unattended clients)" {
	KRB5CCNAME=FILE:$BATS_TEST_TMPDIR/none ZK_GSS_KEYTAB=$ZK_KRB5_DIR/clients.keytab \
		ZK_GSS_PRINCIPAL=host/client1.test.zkit@TEST.ZKIT run "$G" live update c.sub gss-keytab
	assert_success
	assert_line --regexp "$ESTABLISHED"
	assert_line 'update c.sub: NOERROR'
	run txt c.sub.test.zkit
	assert_output '"gss-keytab"'
	# the user's cache was not created or touched
	[ ! -e "$BATS_TEST_TMPDIR/none" ]
}

@test "gss: a tampered reply is rejected, the real one accepted" {
	run "$G" live tamper
	assert_success
	assert_line 'flag flipped: BADSIG: the MAC does not verify'
	assert_line 'answer changed: BADSIG: the MAC does not verify'
	assert_line 'MAC changed: BADSIG: the MAC does not verify'
	assert_line 'original: verified'
}

@test "gss: a TKEY reply changed on the way is refused, the genuine one accepted" {
	run "$G" live tkey-hostile
	assert_success
	assert_line 'before negotiation: no established GSS-TSIG context'
	assert_line 'other ID: not a reply to our TKEY query'
	assert_line 'mode 2: the TKEY reply has mode 2, not 3'
	assert_line --partial 'TKEY error: TKEY error BADKEY: the server could not accept our GSS-API token'
	assert_line 'other algorithm: the TKEY reply names another algorithm'
	assert_line 'no TKEY record: the TKEY reply has no TKEY record for our key'
	# RFC 3645 §4.1.3: the reply that completes the context is signed with it
	assert_line "unsigned: the server's final TKEY reply is not signed (RFC 3645 §4.1.3)"
	assert_line "MAC changed: the server's final TKEY reply: BADSIG: the MAC does not verify"
	assert_line 'genuine: established'
	assert_line 'deleted: yes'
}

@test "gss: a signed query and a signed multi-message AXFR (zdig/zxfr -g)" {
	run "$G" live query
	assert_success
	assert_line 'reply: verified'
	assert_line 'query: NOERROR, 1 answer'
	run "$G" live axfr
	assert_success
	assert_line --regexp '^axfr: [2-9] messages \([0-9]+ signed\), 6[0-9][0-9] records, verified$'
	grep -q "AXFR started: TSIG [0-9]*.sig-ns.test.zkit" "$BATS_FILE_TMPDIR/n/server.log"
}

@test "gss: the Windows 2000 variant (-o: gss.microsoft.com)" {
	ZK_GSS_WINDOWS=1 run "$G" live update d.sub gss-win
	assert_success
	assert_line --regexp '^established [0-9]+\.sig-ns\.test\.zkit\. gss\.microsoft\.com\. client '
	assert_line 'update d.sub: NOERROR'
	assert_line 'deleted: yes'
	run txt d.sub.test.zkit
	assert_output '"gss-win"'
}

@test "gss: a context the server deleted meets BADKEY, explained" {
	run "$G" live forgotten
	assert_success
	assert_line 'update after deletion: the server no longer knows the GSS-TSIG context (BADKEY): it expired or was deleted; negotiate a new one'
	assert_line 'rcode: NOTAUTH'
}

@test "gss: a context past its end is not used" {
	run "$G" live expired
	assert_success
	assert_line 'sign: the GSS-TSIG context expired 5 s ago: negotiate a new one'
}

# ---------------------------------------------------------------- errors

@test "gss errors: no credentials" {
	KRB5CCNAME=FILE:$BATS_TEST_TMPDIR/none run "$G" live negotiate
	assert_failure
	assert_output "error: negotiate: cannot get Kerberos credentials: no Kerberos credentials: run kinit first, or give a client keytab and principal (No Kerberos credentials available (default cache: FILE:$BATS_TEST_TMPDIR/none))"
}

@test "gss errors: unknown service principal, unknown realm" {
	ZK_GSS_SERVER=nosuch.test.zkit run "$G" live negotiate
	assert_failure
	assert_output "error: negotiate: GSS-API negotiation with DNS/nosuch.test.zkit failed: the KDC does not know that service principal: it must be DNS/<the server's FQDN as in its SOA MNAME> (try: kvno DNS/<fqdn>) (Server DNS/nosuch.test.zkit@TEST.ZKIT not found in Kerberos database)"
	ZK_GSS_REALM=OTHER.REALM run "$G" live negotiate
	assert_failure
	assert_output --partial 'GSS-API negotiation with DNS/ns.test.zkit@OTHER.REALM failed: the KDC has no path to the service'"'"'s realm'
}

@test "gss errors: clock skew" {
	zk_require_cmd faketime
	# A cache with only the TGT: the service ticket request shows the skew.
	zk_krb5_kinit host/client1.test.zkit "$BATS_TEST_TMPDIR/skew.cc"
	export KRB5CCNAME=FILE:$BATS_TEST_TMPDIR/skew.cc
	# faketime preloads a library: an ASan build (SANITIZE=1) must allow it.
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
	# Ahead of the KDC: it refuses the ticket request.
	run faketime -f +10m "$G" live negotiate
	assert_failure
	assert_output --partial 'failed: the clocks of this host, the KDC and the DNS server must agree within 5 minutes (use NTP) (Clock skew too great)'
	# Behind it: the KDC refuses the request, or (when the ticket's start
	# is checked first) the ticket is not yet valid; both say why.
	run faketime -f -10m "$G" live negotiate
	assert_failure
	assert_output --regexp "(this host's clock is behind the KDC's: clocks must agree within 5 minutes|the clocks of this host, the KDC and the DNS server must agree within 5 minutes)"
	# With a service ticket in hand, only named sees the skew.
	kvno DNS/ns.test.zkit
	run faketime -f +10m "$G" live negotiate
	assert_failure
	assert_output --partial 'TKEY error BADKEY: the server could not accept our GSS-API token: clock skew over 5 minutes'
}

@test "gss errors: a server without GSS-TSIG refuses TKEY" {
	gss_named "$BATS_TEST_TMPDIR/plain" PP ''
	ZK_GSS_PORT=$PP run "$G" live negotiate
	assert_failure
	assert_output 'error: negotiate: the server answered the TKEY query with REFUSED: GSS-TSIG is not enabled there (BIND: tkey-gssapi-keytab or tkey-gssapi-credential)'
	# nsupdate -g fails there too: the harness, not our tool
	run nsupdate_g "$PP" 'update add client1.test.zkit. 60 TXT "x"'
	assert_failure
	assert_output --partial 'REFUSED'
	zk_server_stop "$BATS_TEST_TMPDIR/plain"
}

@test "gss errors: the server's keytab lacks DNS/<server>" {
	gss_named "$BATS_TEST_TMPDIR/wrongkt" WP "tkey-gssapi-keytab \"$BATS_FILE_TMPDIR/other.keytab\";"
	ZK_GSS_PORT=$WP run "$G" live negotiate
	assert_failure
	assert_output --partial 'error: negotiate: TKEY error BADKEY: the server could not accept our GSS-API token: '
	assert_output --partial 'a server keytab without the service principal'
	run nsupdate_g "$WP" 'update add client1.test.zkit. 60 TXT "x"'
	assert_failure
	zk_server_stop "$BATS_TEST_TMPDIR/wrongkt"
}
