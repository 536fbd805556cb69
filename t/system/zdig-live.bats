#!/usr/bin/env bats
# zdig live queries against real named and knotd, output compared with
# dig 9.18's for the same questions to the same server. Masked: the
# banner, the message ID, the COOKIE value (random on both sides), and
# dig's Query time and WHEN lines.

bats_require_minimum_version 1.5.0

load ../helpers/common
load ../helpers/servers

setup_file() {
	zk_require_cmd named knotd dig
	export ZK_SERVERS_REGISTRY=$BATS_FILE_TMPDIR/servers
	zk_named_start "$BATS_FILE_TMPDIR/named" NAMED_PORT \
		"example=$ZKIT_DATA/msg/example.zone" \
		--options 'server-id "zkit-test"; rrset-order { order none; };'
	zk_knotd_start "$BATS_FILE_TMPDIR/knot" KNOT_PORT \
		"example=$ZKIT_DATA/msg/example.zone"
	export NAMED_PORT KNOT_PORT
}

teardown_file() {
	zk_servers_stop_all
}

setup() {
	zk_require_bin zdig
	zk_require_cmd dig
	Z=$ZKIT_BIN/zdig
}

mask() {
	sed -E -e '/^; <<>> /d' -e '/^;; (Query time|WHEN):/d' -e 's/, id: [0-9]+$/, id: X/' \
		-e 's/^; COOKIE: [0-9a-f]+/; COOKIE: X/'
}

# compare PORT ARG...: the same arguments to both tools
compare() {
	local port=$1 tmp=$BATS_TEST_TMPDIR
	shift
	dig @127.0.0.1 -p "$port" +tries=2 +timeout=3 "$@" | mask >"$tmp/dig.out"
	"$Z" @127.0.0.1 -p "$port" +tries=2 +timeout=3 "$@" | mask >"$tmp/zdig.out"
	if ! diff "$tmp/dig.out" "$tmp/zdig.out" >"$tmp/diff"; then
		echo "zdig differs from dig for $*:"
		cat "$tmp/diff"
		return 1
	fi
}

QUERIES=(
	"example SOA" "example NS" "example MX" "example TXT" "example CAA" "example DNSKEY"
	"www.example A" "_sip._tcp.example SRV" "sip.example NAPTR" "sip.example SSHFP"
	"sip.example TLSA" "sip.example HINFO" "loc.example LOC" "d.example DS"
	"svc.example SVCB" "svc.example HTTPS" "uri.example URI" "ptr.example PTR"
	"x.dn.example A" "rp.example RP" "tab.example TXT" "nope.example A" "ns1.example MX"
	"other.test A" "big.example A"
)

each_query() {
	local port=$1 qt
	shift
	for qt in "${QUERIES[@]}"; do
		# shellcheck disable=SC2086
		compare "$port" $qt "$@" || return 1
	done
}

@test "named: default output equals dig's for every record type" {
	each_query "$NAMED_PORT"
}

@test "knotd: default output equals dig's for every record type" {
	each_query "$KNOT_PORT"
}

@test "named and knotd: +short equals dig's" {
	each_query "$NAMED_PORT" +short
	each_query "$KNOT_PORT" +short
}

@test "named: +tcp, +nocookie, +multiline, +noall +answer, +nsid equal dig's" {
	each_query "$NAMED_PORT" +tcp
	compare "$NAMED_PORT" example SOA +nocookie
	compare "$NAMED_PORT" example DNSKEY +multiline
	compare "$NAMED_PORT" example SOA +noall +answer
	compare "$NAMED_PORT" example SOA +nsid
	compare "$NAMED_PORT" example SOA +nocomments
	compare "$NAMED_PORT" example SOA +nostats
	compare "$NAMED_PORT" example DNSKEY +dnssec +nocrypto
	compare "$KNOT_PORT" example SOA +nsid +tcp
}

@test "header bits and EDNS options as sent (+qr) equal dig's" {
	compare "$NAMED_PORT" example SOA +qr +nocookie
	compare "$NAMED_PORT" example SOA +qr +nocookie +cd +noad +norec +aaflag
	compare "$NAMED_PORT" example SOA +qr +nocookie +nsid +expire +subnet=192.0.2.0/24
	compare "$NAMED_PORT" example SOA +qr +nocookie +dnssec +bufsize=4096
	compare "$NAMED_PORT" example SOA +qr +noedns
	compare "$NAMED_PORT" example SOA +qr +nocookie +edns=0
}

@test "several lookups in one command, per-lookup options, as dig" {
	compare "$NAMED_PORT" example SOA +nocookie www.example A +short
	compare "$NAMED_PORT" +short example SOA www.example -t MX
	compare "$NAMED_PORT" -t TXT example -q tab.example
}

@test "-x builds the reverse name; -c, -t as dig" {
	# a 24-character question name: dig's ';' is outside its columns
	compare "$NAMED_PORT" -x 192.0.2.1
	compare "$NAMED_PORT" -x 2001:db8::1
	compare "$NAMED_PORT" -c CH -t TXT version.bind
	"$Z" @127.0.0.1 -p "$NAMED_PORT" -x 192.0.2.1 +qr +nocookie | grep -qx ';1.2.0.192.in-addr.arpa.		IN	PTR'
}

@test "truncated UDP reply is retried over TCP, as dig; +ignore keeps it" {
	compare "$NAMED_PORT" big.example A +bufsize=512
	run "$Z" @127.0.0.1 -p "$NAMED_PORT" big.example A +bufsize=512
	assert_line ';; Truncated, retrying in TCP mode.'
	assert_line --partial '(TCP)'
	run "$Z" @127.0.0.1 -p "$NAMED_PORT" big.example A +bufsize=512 +ignore
	assert_line --partial 'flags: qr aa tc rd'
	assert_line --partial '(UDP)'
	refute_line ';; Truncated, retrying in TCP mode.'
}

@test "+json is one RFC 8427 object per lookup, with server and size" {
	zk_require_cmd jq
	run "$Z" @127.0.0.1 -p "$NAMED_PORT" example SOA www.example A +json
	assert_success
	[ "${#lines[@]}" -eq 2 ]
	[ "$(echo "${lines[0]}" | jq -r .QNAME)" = example. ]
	[ "$(echo "${lines[0]}" | jq -r '.answerRRs[0].TYPEname')" = SOA ]
	[ "$(echo "${lines[0]}" | jq -r .server)" = "127.0.0.1#$NAMED_PORT" ]
	[ "$(echo "${lines[1]}" | jq -r .QNAME)" = www.example. ]
	[ "$(echo "${lines[1]}" | jq -r .transport)" = UDP ]
}

@test "+short +identify names the server" {
	run "$Z" @127.0.0.1 -p "$NAMED_PORT" example SOA +short +identify
	assert_success
	assert_output --regexp "^ns1\.example\. hostmaster\.example\. 2024010101 7200 3600 1209600 300 from server 127\.0\.0\.1 in [0-9]+ ms\.$"
}

@test "exit codes: 0 on NXDOMAIN, 12 with +fail-rcode, 9 with no reply" {
	run "$Z" @127.0.0.1 -p "$NAMED_PORT" nope.example A
	assert_success
	assert_line --partial 'status: NXDOMAIN'
	run "$Z" @127.0.0.1 -p "$NAMED_PORT" nope.example A +fail-rcode
	[ "$status" -eq 12 ]
	run "$Z" @127.0.0.1 -p "$NAMED_PORT" example SOA +fail-rcode
	assert_success
	run -9 "$Z" @127.0.0.1 -p "$(zk_free_port)" example SOA +tries=1 +timeout=1
	assert_line --regexp '^;; communications error to 127\.0\.0\.1#[0-9]+: '
	assert_line ';; no servers could be reached'
}

@test "+keepalive, +opcode, +cookie=HEX, +edns=N, +zflag, +tries/+retry as dig (query and reply)" {
	compare "$NAMED_PORT" example SOA +qr +keepalive +tcp
	compare "$NAMED_PORT" example SOA +qr +opcode=NOTIFY
	compare "$NAMED_PORT" example SOA +qr +cookie=0102030405060708
	compare "$NAMED_PORT" example SOA +qr +edns=1
	compare "$NAMED_PORT" example SOA +qr +zflag
	compare "$NAMED_PORT" example SOA +tries=1 +retry=0
	compare "$NAMED_PORT" example SOA +header-only +noquestion
}

@test "+padding pads the query to the block size (RFC 7830)" {
	run "$Z" @127.0.0.1 -p "$NAMED_PORT" example SOA +qr +padding=64
	assert_success
	assert_line ';; QUERY SIZE: 64'
	run "$Z" @127.0.0.1 -p "$NAMED_PORT" www.example A +qr +padding=128 +nocookie
	assert_line ';; QUERY SIZE: 128'
}

@test "-b source address and -4/-6" {
	run "$Z" @127.0.0.1 -p "$NAMED_PORT" -b 127.0.0.1 example SOA +short
	assert_success
	assert_output 'ns1.example. hostmaster.example. 2024010101 7200 3600 1209600 300'
	run "$Z" @127.0.0.1 -p "$NAMED_PORT" -4 example SOA +short
	assert_success
	run -9 "$Z" @127.0.0.1 -p "$NAMED_PORT" -6 example SOA +short +tries=1 +timeout=1
}
