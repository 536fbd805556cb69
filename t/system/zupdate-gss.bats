#!/usr/bin/env bats
# zupdate -g / -o: GSS-TSIG (RFC 3645) updates with real Kerberos on
# loopback: an MIT KDC for the realm TEST.ZKIT (t/helpers/krb5.bash, in a
# temp dir) and BIND named with tkey-gssapi-keytab and a krb5-self /
# krb5-subdomain update policy (the setup of gss-nsupdate.bats).
#
# Covered: adds and deletes for allowed names (checked with dig), REFUSED
# for others and for other principals, unsigned updates REFUSED, the
# service principal from the SOA MNAME / the server's host name /
# --gss-server-name / realm, keytab credentials without a cache, -o and the
# gsstsig/oldgsstsig commands, one context for several sends and its
# deletion (TKEY mode 5), --json, a tampered reply dropped (UDP proxy
# t/data/zupdate-gss/tamper-proxy.py), a context renegotiated when it
# expires (keytab) or the server lost it (BADKEY after a restart), and
# every error explained (no credentials, clock skew, wrong service
# principal, TKEY refused, context expired). The interop check runs the same script with
# BIND's nsupdate -g. Every process is stopped by PID; teardown_file checks
# that none is left.

bats_require_minimum_version 1.5.0

load ../helpers/common
load ../helpers/servers
load ../helpers/krb5

POLICY='update-policy {
		grant TEST.ZKIT krb5-self . A TXT;
		grant TEST.ZKIT krb5-subdomain sub.test.zkit. A TXT;
	};'

# gss_named DIR PORT_VAR OPTIONS [zk_named_start ARGS]: named serving
# test.zkit with the policy (as in gss-nsupdate.bats). Started again in
# the same DIR it keeps the zone and its journal.
gss_named() {
	local dir=$1 var=$2 opts=$3 gport fresh=''
	shift 3
	mkdir -p "$dir/zones"
	if [ ! -e "$dir/zones/gss.zone" ]; then
		cp "$ZKIT_DATA/gss/test.zkit.zone" "$dir/zones/gss.zone"
		fresh=1
	fi
	zk_named_start "$dir" gport "placeholder.zkit.=$ZKIT_DATA/gss/test.zkit.zone" \
		--options "$opts" "$@" \
		--conf-extra "zone \"test.zkit.\" {
	type primary;
	file \"$dir/zones/gss.zone\";
	allow-transfer { any; };
	$POLICY
};" || return 1
	if [ -n "$fresh" ]; then
		zk_wait_serial "$gport" test.zkit. 2026010101 || return 1
	else
		for _ in $(seq 1 75); do
			[ -z "$(dig +short +tries=1 +time=1 @127.0.0.1 -p "$gport" test.zkit SOA)" ] || break
			sleep 0.2
		done
	fi
	printf -v "$var" '%s' "$gport"
}

setup_file() {
	export ZK_SERVERS_REGISTRY=$BATS_FILE_TMPDIR/.zk-servers
	for c in named nsupdate dig ss krb5kdc kdb5_util kadmin.local kinit; do
		command -v "$c" >/dev/null 2>&1 || return 0 # setup skips each test
	done
	[ -x "$ZKIT_BIN/zupdate" ] || return 0
	"$ZKIT_BIN/zupdate" -g </dev/null 2>/dev/null || return 0 # built without GSS-API
	zk_krb5_start "$BATS_FILE_TMPDIR/krb5"
	export ZK_KRB5_DIR ZK_KRB5_REALM ZK_KRB5_PORT
	zk_krb5_addprinc DNS/ns.test.zkit host/client1.test.zkit user1
	zk_krb5_ktadd "$BATS_FILE_TMPDIR/dns.keytab" DNS/ns.test.zkit
	gss_named "$BATS_FILE_TMPDIR/n" NP "tkey-gssapi-keytab \"$BATS_FILE_TMPDIR/dns.keytab\";"
	export NP
	zk_krb5_kinit host/client1.test.zkit
	# For discovery and host names: the resolver is named itself.
	printf 'nameserver 127.0.0.1\n' >"$BATS_FILE_TMPDIR/resolv.conf"
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
	zk_require_bin zupdate
	Z=$ZKIT_BIN/zupdate
	if ! "$Z" -g </dev/null 2>/dev/null; then
		# Built without GSS-API: the one thing to check is that it says so.
		run "$Z" -g </dev/null
		assert_failure 1
		assert_output 'zupdate: -g: GSS-TSIG unavailable: built without GSS-API (install libkrb5-dev and re-run configure)'
		skip 'built without GSS-API'
	fi
	[ -n "${NP:-}" ] || skip 'setup_file did not start the servers'
}

# script COMMANDS...: the update script for our named.
script() {
	printf 'server 127.0.0.1 %s\nzone test.zkit.\n%s\nsend\n' "$NP" "$*"
}

txt() {
	dig +short +tries=1 +time=2 @127.0.0.1 -p "$NP" "$1" TXT
}

# ---------------------------------------------------------------- updates

@test "-g: krb5-self add and delete, verified with dig" {
	run "$Z" -g <<<"$(script 'update add client1.test.zkit. 60 TXT "zupdate-self"')"
	assert_success
	assert_output ''
	[ "$(txt client1.test.zkit)" = '"zupdate-self"' ]
	run "$Z" -g <<<"$(script 'update delete client1.test.zkit. TXT')"
	assert_success
	[ "$(txt client1.test.zkit)" = '' ]
	# named saw our principal
	grep -q "key host/client1.test.zkit\\\\@TEST.ZKIT: updating zone 'test.zkit/IN': deleting rrset at 'client1.test.zkit' TXT" \
		"$BATS_FILE_TMPDIR/n/server.log"
}

@test "-g: krb5-subdomain add and delete, verified with dig" {
	run "$Z" -g <<<"$(script 'update add a.sub.test.zkit. 60 TXT "zupdate-sub"
update add a.sub.test.zkit. 60 A 192.0.2.7')"
	assert_success
	[ "$(txt a.sub.test.zkit)" = '"zupdate-sub"' ]
	[ "$(dig +short @127.0.0.1 -p "$NP" a.sub.test.zkit A)" = 192.0.2.7 ]
	run "$Z" -g <<<"$(script 'update delete a.sub.test.zkit. A 192.0.2.7')"
	assert_success
	[ "$(dig +short @127.0.0.1 -p "$NP" a.sub.test.zkit A)" = '' ]
	[ "$(txt a.sub.test.zkit)" = '"zupdate-sub"' ]
}

@test "-g: names outside the policy and other principals are REFUSED (exit 2)" {
	run "$Z" -g <<<"$(script 'update add other.test.zkit. 60 TXT "no"')"
	assert_failure 2
	assert_line --index 0 'zupdate: update failed: REFUSED: the server refused the update (not allowed for this client or key) [zone test.zkit., server 127.0.0.1#'"$NP"']'
	[ "$(txt other.test.zkit)" = '' ]
	# user1 may not take client1's name
	zk_krb5_kinit user1 "$BATS_TEST_TMPDIR/user1.cc"
	KRB5CCNAME=$BATS_TEST_TMPDIR/user1.cc run "$Z" -g --json \
		<<<"$(script 'update add client1.test.zkit. 60 TXT "user1"')"
	assert_failure 2
	assert_line --regexp '^\{"zone":"test.zkit.","server":"127.0.0.1#[0-9]+","rcode":"REFUSED","ok":false,"exit":2,"security":"gss-tsig","key":"[0-9]+\.sig-ns\.test\.zkit\.","tsig":"ok","gss_client":"user1@TEST\.ZKIT","gss_server":"ns\.test\.zkit",'
	[ "$(txt client1.test.zkit)" = '' ]
}

@test "unsigned updates are REFUSED: without -g, and never sent signed with --secure=never" {
	run "$Z" <<<"$(script 'update add client1.test.zkit. 60 TXT "unsigned"')"
	assert_failure 2
	assert_output --partial 'update failed: REFUSED: the server refused the update (not allowed for this client or key) (hint: the server may require a signed update'
	run "$Z" -g --secure=never --json <<<"$(script 'update add client1.test.zkit. 60 TXT "unsigned"')"
	assert_failure 2
	assert_line --partial '"rcode":"REFUSED","ok":false,"exit":2,"security":"none",'
	[ "$(txt client1.test.zkit)" = '' ]
}

@test "--secure=auto: unsigned first, GSS-TSIG after REFUSED; always: signed at once" {
	run "$Z" -d -g <<<"$(script 'update add b.sub.test.zkit. 60 TXT "auto"')"
	assert_success
	assert_line --index 0 ';; sending the update for test.zkit. (unsigned)'
	assert_line ';; unsigned update refused: retrying signed with key GSS-TSIG'
	assert_line --regexp '^;; negotiating a GSS-TSIG context with 127\.0\.0\.1#[0-9]+ \(service DNS/ns\.test\.zkit, gss-tsig\)$'
	assert_line ';; sending the update for test.zkit. (GSS-TSIG-signed)'
	run "$Z" -d -g --secure=always <<<"$(script 'update add b.sub.test.zkit. 60 TXT "always"')"
	assert_success
	refute_line --partial '(unsigned)'
	assert_line ';; sending the update for test.zkit. (GSS-TSIG-signed)'
	run txt b.sub.test.zkit
	assert_line '"auto"'
	assert_line '"always"'
}

@test "--json: security gss-tsig, the context's key, the reply verified" {
	run "$Z" -g --secure=always --json <<<"$(script 'update add j.sub.test.zkit. 60 TXT "json"')"
	assert_success
	assert_output --regexp '^\{"zone":"test\.zkit\.","server":"127\.0\.0\.1#[0-9]+","rcode":"NOERROR","ok":true,"exit":0,"security":"gss-tsig","key":"[0-9]+\.sig-ns\.test\.zkit\.","tsig":"ok","gss_client":"host/client1\.test\.zkit@TEST\.ZKIT","gss_server":"ns\.test\.zkit","ignored_replies":0,"time_ms":[0-9.]+,"prereqs":0,"updates":1,"error":null\}$'
}

@test "one context for several sends, deleted at the end (TKEY mode 5)" {
	run "$Z" -d -g --secure=always <<<"server 127.0.0.1 $NP
zone test.zkit.
update add m1.sub.test.zkit. 60 TXT \"one\"
send
update add m2.sub.test.zkit. 60 TXT \"two\"
send
answer"
	assert_success
	[ "$(grep -c '^;; negotiating a GSS-TSIG context' <<<"$output")" = 1 ]
	[ "$(grep -c '^;; sending the update for test.zkit. (GSS-TSIG-signed)' <<<"$output")" = 2 ]
	assert_line --regexp '^;; GSS-TSIG context [0-9]+\.sig-ns\.test\.zkit\. established with 127\.0\.0\.1#[0-9]+ as host/client1\.test\.zkit@TEST\.ZKIT, valid for [0-9]+ s$'
	assert_line --regexp '^;; GSS-TSIG context [0-9]+\.sig-ns\.test\.zkit\. deleted on 127\.0\.0\.1#[0-9]+ \(TKEY mode 5\)$'
	# the last answer carries the context's TSIG
	assert_line ';; TSIG PSEUDOSECTION:'
	assert_output --regexp $'[0-9]+\\.sig-ns\\.test\\.zkit\\.[ \t]+0\tANY\tTSIG\tgss-tsig\\. '
	[ "$(txt m1.sub.test.zkit)" = '"one"' ]
	[ "$(txt m2.sub.test.zkit)" = '"two"' ]
}

@test "the service principal: SOA MNAME with no server, the server's host name, --gss-server-name, realm" {
	# No server, no zone: zone and primary (ns.test.zkit) from the resolver.
	run "$Z" -D -g --secure=always --resolv-conf "$BATS_FILE_TMPDIR/resolv.conf" -p "$NP" \
		<<<$'update add p1.sub.test.zkit. 60 TXT "mname"\nsend'
	assert_success
	assert_line ";; GSS-TSIG service principal DNS/ns.test.zkit (from the zone's SOA MNAME)"
	# server given by its host name
	run "$Z" -D -g --secure=always --resolv-conf "$BATS_FILE_TMPDIR/resolv.conf" -p "$NP" \
		<<<$'server ns.test.zkit\nzone test.zkit\nupdate add p2.sub.test.zkit. 60 TXT "host"\nsend'
	assert_success
	assert_line ';; GSS-TSIG service principal DNS/ns.test.zkit (from the server command)'
	# an address, the name given; and the realm command
	run "$Z" -D -g --secure=always --gss-server-name ns.test.zkit. <<<"realm TEST.ZKIT
$(script 'update add p3.sub.test.zkit. 60 TXT "option"')"
	assert_success
	assert_line ';; GSS-TSIG service principal DNS/ns.test.zkit (from --gss-server-name)'
	assert_line --regexp '^;; negotiating a GSS-TSIG context with .* \(service DNS/ns\.test\.zkit@TEST\.ZKIT, gss-tsig\)$'
	run txt p1.sub.test.zkit
	assert_output '"mname"'
	run txt p2.sub.test.zkit
	assert_output '"host"'
	run txt p3.sub.test.zkit
	assert_output '"option"'
}

@test "--keytab --principal: unattended, no credential cache used or made" {
	KRB5CCNAME=FILE:$BATS_TEST_TMPDIR/none run "$Z" -g --secure=always --json \
		--keytab "$ZK_KRB5_DIR/clients.keytab" --principal host/client1.test.zkit@TEST.ZKIT \
		<<<"$(script 'update add k.sub.test.zkit. 60 TXT "keytab"')"
	assert_success
	assert_output --partial '"ok":true,"exit":0,"security":"gss-tsig",'
	assert_output --partial '"gss_client":"host/client1.test.zkit@TEST.ZKIT"'
	[ "$(txt k.sub.test.zkit)" = '"keytab"' ]
	[ ! -e "$BATS_TEST_TMPDIR/none" ]
	# a keytab without the client principal is refused at once
	run "$Z" -g --keytab "$ZK_KRB5_DIR/clients.keytab" </dev/null
	assert_failure 1
	assert_output 'zupdate: --keytab needs --principal (the client principal in it)'
}

@test "-o and oldgsstsig: the Windows 2000 variant (gss.microsoft.com); gsstsig" {
	run "$Z" -o --secure=always <<<"$(script 'update add w1.sub.test.zkit. 60 TXT "win"')
answer"
	assert_success
	assert_output --regexp $'[0-9]+\\.sig-ns\\.test\\.zkit\\.[ \t]+0\tANY\tTSIG\tgss\\.microsoft\\.com\\. '
	run "$Z" -d --secure=always <<<"oldgsstsig
$(script 'update add w2.sub.test.zkit. 60 TXT "oldgsstsig"')
gsstsig
update add w3.sub.test.zkit. 60 TXT \"gsstsig\"
send"
	assert_success
	assert_line --regexp 'service DNS/ns\.test\.zkit, Windows 2000 variant gss\.microsoft\.com\)$'
	assert_line --regexp 'service DNS/ns\.test\.zkit, gss-tsig\)$'
	[ "$(grep -c '^;; GSS-TSIG context .* deleted on' <<<"$output")" = 2 ]
	[ "$(txt w1.sub.test.zkit)" = '"win"' ]
	[ "$(txt w2.sub.test.zkit)" = '"oldgsstsig"' ]
	[ "$(txt w3.sub.test.zkit)" = '"gsstsig"' ]
}

@test "a tampered reply is dropped, the genuine one taken; only tampered ones: exit 3" {
	zk_require_cmd python3
	local pf=$BATS_TEST_TMPDIR/proxy.port pid port
	python3 "$ZKIT_DATA/zupdate-gss/tamper-proxy.py" "$pf" "$NP" tamper-first 3>&- &
	pid=$!
	for _ in $(seq 1 50); do [ -s "$pf" ] && break; sleep 0.1; done
	port=$(cat "$pf")
	run "$Z" -d -g --secure=always <<<"server 127.0.0.1 $port
zone test.zkit.
update add t1.sub.test.zkit. 60 TXT \"tamper\"
send"
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	assert_success
	assert_line ';; dropped a reply that is not validly signed: forged reply (rcode REFUSED): BADSIG: the MAC does not verify'
	assert_line --partial ';; update applied (zone test.zkit., server 127.0.0.1#'
	[ "$(txt t1.sub.test.zkit)" = '"tamper"' ]

	rm -f "$pf"
	python3 "$ZKIT_DATA/zupdate-gss/tamper-proxy.py" "$pf" "$NP" tamper-only 3>&- &
	pid=$!
	for _ in $(seq 1 50); do [ -s "$pf" ] && break; sleep 0.1; done
	port=$(cat "$pf")
	run "$Z" -g --secure=always -u 1 -r 0 <<<"server 127.0.0.1 $port
zone test.zkit.
update add t2.sub.test.zkit. 60 TXT \"tamper\"
send"
	assert_failure 3
	assert_line --index 0 "zupdate: update failed: 127.0.0.1#$port: no valid reply after 1 try; 1 reply dropped because not validly signed (last: forged reply (rcode REFUSED): BADSIG: the MAC does not verify) [zone test.zkit., server 127.0.0.1#$port]"
	# A retry repeats the request's MAC: GSS-API on the server takes it for
	# a replay and answers BADSIG (unsigned, by design; the proxy changed
	# its rcode too).
	run "$Z" -g --secure=always -u 1 -r 1 <<<"server 127.0.0.1 $port
zone test.zkit.
update add t3.sub.test.zkit. 60 TXT \"tamper\"
send"
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	assert_failure 3
	assert_line --index 0 "zupdate: update failed: REFUSED/BADSIG: the server could not verify our GSS-TSIG signature; before that 1 reply was dropped because not validly signed (last: forged reply (rcode REFUSED): BADSIG: the MAC does not verify) [zone test.zkit., server 127.0.0.1#$port]"
}

# ---------------------------------------------------------------- errors

@test "error: no credentials (exit 3, hint: kinit or --keytab/--principal)" {
	KRB5CCNAME=FILE:$BATS_TEST_TMPDIR/none run "$Z" -g --secure=always <<<"$(script 'update add client1.test.zkit. 60 TXT "x"')"
	assert_failure 3
	assert_line --index 0 "zupdate: update failed: GSS-TSIG: cannot get Kerberos credentials: no Kerberos credentials: run kinit first, or give a client keytab and principal (No Kerberos credentials available (default cache: FILE:$BATS_TEST_TMPDIR/none)) [hint: run kinit, or give --keytab FILE --principal PRINCIPAL] [zone test.zkit., server 127.0.0.1#$NP]"
	assert_line 'Not applied:'
}

@test "error: wrong service principal names where the name came from" {
	run "$Z" -g --secure=always --gss-server-name nosuch.test.zkit <<<"$(script 'update add client1.test.zkit. 60 TXT "x"')"
	assert_failure 3
	assert_line --index 0 "zupdate: update failed: GSS-TSIG: GSS-API negotiation with DNS/nosuch.test.zkit failed: the KDC does not know that service principal: it must be DNS/<the server's FQDN as in its SOA MNAME> (try: kvno DNS/<fqdn>) (Server DNS/nosuch.test.zkit@TEST.ZKIT not found in Kerberos database) [the name nosuch.test.zkit came from --gss-server-name; give the right one with --gss-server-name NAME] [zone test.zkit., server 127.0.0.1#$NP]"
	run "$Z" -g --secure=always --realm OTHER.REALM <<<"$(script 'update add client1.test.zkit. 60 TXT "x"')"
	assert_failure 3
	assert_line --index 0 --partial "zupdate: update failed: GSS-TSIG: GSS-API negotiation with DNS/ns.test.zkit@OTHER.REALM failed: the KDC has no path to the service's realm"
}

@test "error: clock skew (Kerberos, and the TSIG time: BADTIME)" {
	zk_require_cmd faketime
	zk_krb5_kinit host/client1.test.zkit "$BATS_TEST_TMPDIR/skew.cc"
	export KRB5CCNAME=FILE:$BATS_TEST_TMPDIR/skew.cc
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
	# Ahead of the KDC: it refuses the service ticket.
	run faketime -f +10m "$Z" -g --secure=always <<<"$(script 'update add client1.test.zkit. 60 TXT "x"')"
	assert_failure 3
	assert_line --index 0 --partial 'zupdate: update failed: GSS-TSIG: GSS-API negotiation with DNS/ns.test.zkit failed: the clocks of this host, the KDC and the DNS server must agree within 5 minutes (use NTP) (Clock skew too great)'
	# With a service ticket in hand, named sees the skew in the TKEY.
	kvno DNS/ns.test.zkit >/dev/null
	run faketime -f +10m "$Z" -g --secure=always <<<"$(script 'update add client1.test.zkit. 60 TXT "x"')"
	assert_failure 3
	assert_line --index 0 --partial 'zupdate: update failed: GSS-TSIG: TKEY error BADKEY: the server could not accept our GSS-API token: clock skew over 5 minutes'
	# Kerberos agrees, the TSIG clock does not: named's signed TKEY reply
	# is outside the fudge.
	run "$Z" -g --secure=always --clock-skew 1000 <<<"$(script 'update add client1.test.zkit. 60 TXT "x"')"
	assert_failure 3
	assert_line --index 0 "zupdate: update failed: GSS-TSIG: the server's final TKEY reply: BADTIME: reply signed 1000 s behind our clock (fudge 300) [zone test.zkit., server 127.0.0.1#$NP]"
	[ "$(txt client1.test.zkit)" = '' ]
}

@test "error: a server without GSS-TSIG refuses TKEY" {
	gss_named "$BATS_TEST_TMPDIR/plain" PP ''
	run "$Z" -g --secure=always <<<"server 127.0.0.1 $PP
zone test.zkit.
update add client1.test.zkit. 60 TXT \"x\"
send"
	zk_server_stop "$BATS_TEST_TMPDIR/plain"
	assert_failure 3
	assert_line --index 0 "zupdate: update failed: GSS-TSIG: the server answered the TKEY query with REFUSED: GSS-TSIG is not enabled there (BIND: tkey-gssapi-keytab or tkey-gssapi-credential) [zone test.zkit., server 127.0.0.1#$PP]"
}

@test "error: the context expired (a 20 s ticket), and no new one without kinit" {
	kinit -l 20s -k -t "$ZK_KRB5_DIR/clients.keytab" -c "$BATS_TEST_TMPDIR/short.cc" \
		host/client1.test.zkit@TEST.ZKIT
	KRB5CCNAME=FILE:$BATS_TEST_TMPDIR/short.cc run "$Z" -d -g --secure=always < <(
		script 'update add e1.sub.test.zkit. 60 TXT "before"'
		sleep 21
		echo 'update add e2.sub.test.zkit. 60 TXT "after"'
		echo send
	)
	assert_failure 3
	assert_line --regexp '^;; GSS-TSIG context [0-9]+\.sig-ns\.test\.zkit\. expired: negotiating a new one$'
	assert_line --regexp '^zupdate: update failed: GSS-TSIG: the context expired and a new one failed: .*the Kerberos ticket expired: run kinit again'
	[ "$(txt e1.sub.test.zkit)" = '"before"' ]
	[ "$(txt e2.sub.test.zkit)" = '' ]
}

@test "keytab credentials renew themselves: an expired context is negotiated anew" {
	local kt=$BATS_TEST_TMPDIR/client2.keytab
	# host/client2's tickets live 20 s (its maximum ticket life).
	kadmin.local -r TEST.ZKIT -q "addprinc -randkey -maxlife 20s host/client2.test.zkit" >/dev/null 2>&1
	kadmin.local -r TEST.ZKIT -q "ktadd -k $kt host/client2.test.zkit" >/dev/null 2>&1
	[ -s "$kt" ]
	KRB5CCNAME=FILE:$BATS_TEST_TMPDIR/none run "$Z" -d -g --secure=always \
		--keytab "$kt" --principal host/client2.test.zkit < <(
		printf 'server 127.0.0.1 %s\nzone test.zkit.\nupdate add client2.test.zkit. 60 TXT "first"\nsend\n' "$NP"
		sleep 21
		printf 'update add client2.test.zkit. 60 TXT "second"\nsend\n'
	)
	assert_success
	assert_line --regexp '^;; GSS-TSIG context [0-9]+\.sig-ns\.test\.zkit\. established with 127\.0\.0\.1#[0-9]+ as host/client2\.test\.zkit@TEST\.ZKIT, valid for (1[0-9]|20) s$'
	assert_line --regexp '^;; GSS-TSIG context [0-9]+\.sig-ns\.test\.zkit\. expired: negotiating a new one$'
	[ "$(grep -c '^;; negotiating a GSS-TSIG context' <<<"$output")" = 2 ]
	run txt client2.test.zkit
	assert_line '"first"'
	assert_line '"second"'
	[ ! -e "$BATS_TEST_TMPDIR/none" ]
}

@test "the server lost the context (restarted): BADKEY, a new context, the update applied" {
	local d=$BATS_TEST_TMPDIR/restart out=$BATS_TEST_TMPDIR/out zpid rc=0
	local kt="tkey-gssapi-keytab \"$BATS_FILE_TMPDIR/dns.keytab\";"
	gss_named "$d" RP "$kt"
	mkfifo "$BATS_TEST_TMPDIR/in"
	# fd 3 closed: bats waits for it; fd 4 (the pipe) closed for named.
	"$Z" -d -g --secure=always <"$BATS_TEST_TMPDIR/in" >"$out" 2>&1 3>&- &
	zpid=$!
	exec 4>"$BATS_TEST_TMPDIR/in"
	printf 'server 127.0.0.1 %s\nzone test.zkit.\nupdate add r1.sub.test.zkit. 60 TXT "one"\nsend\n' "$RP" >&4
	for _ in $(seq 1 100); do
		[ "$(dig +short @127.0.0.1 -p "$RP" r1.sub.test.zkit TXT)" != '"one"' ] || break
		sleep 0.1
	done
	# named saves negotiated keys in <view>.tsigkeys at shutdown and loads
	# them at start: without that file it has forgotten the context.
	zk_server_stop "$d"
	find "$d" -name '*.tsigkeys' >"$BATS_TEST_TMPDIR/saved"
	[ -s "$BATS_TEST_TMPDIR/saved" ]
	xargs rm -f <"$BATS_TEST_TMPDIR/saved"
	gss_named "$d" RP2 "$kt" --port "$RP" 4>&-
	printf 'update add r2.sub.test.zkit. 60 TXT "two"\nsend\n' >&4
	exec 4>&-
	wait "$zpid" || rc=$?
	zk_server_stop "$d"
	run cat "$out"
	[ "$rc" = 0 ]
	assert_line --regexp '^;; the server no longer knows the GSS-TSIG context [0-9]+\.sig-ns\.test\.zkit\.: negotiating a new one$'
	[ "$(grep -c '^;; negotiating a GSS-TSIG context' <<<"$output")" = 2 ]
	assert_line --partial ';; update applied (zone test.zkit.'
	grep -q "adding an RR at 'r2.sub.test.zkit' TXT" "$d/server.log"
}

@test "usage errors: -g with -k/-y, gsstsig with an argument" {
	run "$Z" -g -y hmac-sha256:k:c2VjcmV0 </dev/null
	assert_failure 1
	assert_output 'zupdate: -g and -k/-y cannot be used together'
	run "$Z" <<<'gsstsig now'
	assert_failure 1
	assert_output 'zupdate: stdin:1: gsstsig takes no argument'
}

# ---------------------------------------------------------------- interop

# The same script with BIND's nsupdate -g and with zupdate -g: the same
# names are added, the same one is refused. nsupdate proves the harness.
@test "interop: the same script with nsupdate -g and zupdate -g" {
	local tool out
	for tool in nsupdate zupdate; do
		local cmd=(timeout 30 nsupdate -t 5 -g)
		[ $tool = nsupdate ] || cmd=("$Z" -t 5 -g)
		run "${cmd[@]}" <<<"server 127.0.0.1 $NP
zone test.zkit.
update add i-$tool.sub.test.zkit. 60 TXT \"$tool\"
update add client1.test.zkit. 60 TXT \"$tool\"
send
update add nope-$tool.test.zkit. 60 TXT \"$tool\"
send"
		assert_failure
		assert_output --partial 'REFUSED'
		[ "$(txt "i-$tool.sub.test.zkit")" = "\"$tool\"" ]
		[ "$(txt "nope-$tool.test.zkit")" = '' ]
		run txt client1.test.zkit
		assert_line "\"$tool\""
	done
}
