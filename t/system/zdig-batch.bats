#!/usr/bin/env bats
# zdig -f (batch, concurrent, printed in input order), JSON Lines, and
# lookups without @server through the resolver configuration
# (ZDIG_RESOLV_CONF points zdig at a test resolv.conf).

bats_require_minimum_version 1.5.0

load ../helpers/common
load ../helpers/servers

setup_file() {
	zk_require_cmd named dig
	export ZK_SERVERS_REGISTRY=$BATS_FILE_TMPDIR/servers
	zk_named_start "$BATS_FILE_TMPDIR/named" NAMED_PORT \
		"example=$ZKIT_DATA/msg/example.zone"
	export NAMED_PORT
}

teardown_file() {
	zk_servers_stop_all
}

setup() {
	zk_require_bin zdig
	Z=$ZKIT_BIN/zdig
	B=$BATS_TEST_TMPDIR/batch
}

lines() {
	local i
	for ((i = 0; i < $1; i++)); do
		printf '%s\n' "example SOA" "www.example A" "nope.example A" "# a comment" "" \
			"-t TXT tab.example" "ns1.example +tcp" "svc.example HTTPS +dnssec"
	done
}

@test "-f: every line answered, in input order, as dig -f +short" {
	lines 50 >"$B"
	zk_dig "$NAMED_PORT" +short -f "$B" >"$BATS_TEST_TMPDIR/dig.out"
	run "$Z" @127.0.0.1 -p "$NAMED_PORT" +short -f "$B"
	assert_success
	assert_output "$(cat "$BATS_TEST_TMPDIR/dig.out")"
	[ "${#lines[@]}" -eq 250 ]
	run "$Z" @127.0.0.1 -p "$NAMED_PORT" +short +parallel=1 -f "$B"
	assert_output "$(cat "$BATS_TEST_TMPDIR/dig.out")"
}

@test "-f with +json: JSON Lines, one object per query, in order" {
	zk_require_cmd jq
	lines 10 >"$B"
	run "$Z" @127.0.0.1 -p "$NAMED_PORT" +json -f "$B"
	assert_success
	[ "${#lines[@]}" -eq 60 ]
	[ "$(echo "${lines[0]}" | jq -r .QNAME)" = example. ]
	[ "$(echo "${lines[1]}" | jq -r .QNAME)" = www.example. ]
	[ "$(echo "${lines[2]}" | jq -r .RCODE)" = 3 ]
	[ "$(echo "${lines[3]}" | jq -r .QTYPEname)" = TXT ]
	[ "$(echo "${lines[4]}" | jq -r .transport)" = TCP ]
	[ "$(echo "${lines[59]}" | jq -r .QTYPEname)" = HTTPS ]
	printf '%s\n' "${lines[@]}" | jq -c . >/dev/null
}

@test "-f: a missing file exits 8, a bad line exits 1 naming the line" {
	run -8 "$Z" @127.0.0.1 -p "$NAMED_PORT" -f "$BATS_TEST_TMPDIR/nope"
	assert_output --partial 'nope: No such file or directory'
	printf 'example SOA\nexample -t NOSUCHTYPE\n' >"$B"
	run -1 "$Z" @127.0.0.1 -p "$NAMED_PORT" -f "$B"
	assert_output "zdig: $B:2: unknown type: NOSUCHTYPE"
}

@test "-f: an unreachable server for one line does not stop the others; exit 9" {
	printf 'example SOA +short\n@127.0.0.1 -p %s example SOA +tries=1 +timeout=1\nwww.example +short\n' \
		"$(zk_free_port)" >"$B"
	run -9 "$Z" @127.0.0.1 -p "$NAMED_PORT" -f "$B"
	assert_line --index 0 'ns1.example. hostmaster.example. 2024010101 7200 3600 1209600 300'
	assert_line ';; no servers could be reached'
	assert_line 'example.'
}

@test "no @server: the servers, search list and ndots of resolv.conf" {
	printf 'nameserver 127.0.0.1\nsearch nosuch.example example\noptions ndots:2 timeout:1 attempts:1\n' \
		>"$BATS_TEST_TMPDIR/resolv.conf"
	export ZDIG_RESOLV_CONF=$BATS_TEST_TMPDIR/resolv.conf
	run "$Z" -p "$NAMED_PORT" example SOA
	assert_success
	assert_line ";; SERVER: 127.0.0.1#$NAMED_PORT(127.0.0.1) (UDP)"
	refute_line --partial 'server found'
	# +search: ns1 → ns1.nosuch.example (NXDOMAIN) → ns1.example
	run "$Z" -p "$NAMED_PORT" ns1 +search +short
	assert_success
	assert_output '192.0.2.1'
	run "$Z" -p "$NAMED_PORT" ns1 +search +noall +question
	assert_output ';ns1.example.			IN	A'
	run "$Z" -p "$NAMED_PORT" ns1 +nosearch +short
	assert_output ''
	# a missing resolv.conf named explicitly is an error, exit 9
	ZDIG_RESOLV_CONF=$BATS_TEST_TMPDIR/none run -9 "$Z" -p "$NAMED_PORT" example SOA
	assert_output --partial ';; no servers: '
}

@test "@server by host name through the hosts file (c-ares), -4" {
	printf '127.0.0.1 ns.zkit.test\n' >"$BATS_TEST_TMPDIR/hosts"
	printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' >"$BATS_TEST_TMPDIR/resolv.conf"
	export ZDIG_RESOLV_CONF=$BATS_TEST_TMPDIR/resolv.conf CARES_HOSTS=$BATS_TEST_TMPDIR/hosts
	run "$Z" @ns.zkit.test -p "$NAMED_PORT" -4 example SOA
	assert_success
	assert_line ";; SERVER: 127.0.0.1#$NAMED_PORT(ns.zkit.test) (UDP)"
	assert_line '; (1 server found)'
}

@test "-f without @server: every line through resolv.conf, concurrently" {
	printf 'nameserver 127.0.0.1\noptions timeout:2 attempts:1\n' >"$BATS_TEST_TMPDIR/resolv.conf"
	export ZDIG_RESOLV_CONF=$BATS_TEST_TMPDIR/resolv.conf
	for i in $(seq 1 100); do echo "example SOA"; done >"$B"
	run "$Z" -p "$NAMED_PORT" +short -f "$B"
	assert_success
	[ "${#lines[@]}" -eq 100 ]
	[ "$(printf '%s\n' "${lines[@]}" | sort -u)" = 'ns1.example. hostmaster.example. 2024010101 7200 3600 1209600 300' ]
}

@test "+json: a lookup without a reply is an error object; diagnostics on stderr" {
	zk_require_cmd jq
	printf 'example SOA\n@127.0.0.1 -p %s www.example +tries=1 +timeout=1\nwww.example\n' \
		"$(zk_free_port)" >"$B"
	run -9 --separate-stderr "$Z" @127.0.0.1 -p "$NAMED_PORT" +json -f "$B"
	[ "${#lines[@]}" -eq 3 ]
	[ "$(echo "${lines[0]}" | jq -r .QNAME)" = example. ]
	[ "$(echo "${lines[1]}" | jq -r .QNAME)" = www.example ]
	[ "$(echo "${lines[1]}" | jq -r .exitCode)" = 9 ]
	echo "${lines[1]}" | jq -r .error | grep -q 'no servers could be reached'
	[ "$(echo "${lines[2]}" | jq -r .QNAME)" = www.example. ]
	[[ $stderr == *"zdig: www.example: communications error to 127.0.0.1#"* ]]
}
