#!/usr/bin/env bats
# zdig against t/helpers/responder.py: truncation and TCP fallback, EDNS
# fallback, timeouts, garbage and mismatched replies.

bats_require_minimum_version 1.5.0

load ../helpers/common
load ../helpers/servers

setup() {
	zk_require_bin zdig
	zk_require_cmd python3
	Z=$ZKIT_BIN/zdig
	R=$BATS_TEST_TMPDIR/r
}

teardown() {
	zk_servers_stop_all
}

zq() {
	"$Z" @127.0.0.1 -p "$PORT" +tries=2 +timeout=1 "$@"
}

@test "TC=1 over UDP: the question is asked again over TCP" {
	zk_responder_start "$R" PORT --mode tc --answer-a 192.0.2.7
	run zq www.example A
	assert_success
	assert_line ';; Truncated, retrying in TCP mode.'
	assert_line --regexp '^www\.example\.		300	IN	A	192\.0\.2\.7$'
	assert_line --partial '(TCP)'
	run grep -c '^udp ' "$R/queries.log"
	assert_output 1
	run grep -c '^tcp ' "$R/queries.log"
	assert_output 1
}

@test "TC=1 with +ignore: the truncated reply is printed, no TCP" {
	zk_responder_start "$R" PORT --mode tc --answer-a 192.0.2.7
	run zq www.example A +ignore
	assert_success
	assert_line --partial 'flags: qr aa tc rd;'
	refute_line ';; Truncated, retrying in TCP mode.'
	run grep -c '^tcp ' "$R/queries.log"
	assert_output 0
}

@test "FORMERR without OPT to an EDNS query: asked again without EDNS" {
	zk_responder_start "$R" PORT --rcode 1
	run zq www.example A
	assert_success
	assert_line ';; FORMERR to EDNS, retrying without EDNS.'
	assert_line --partial 'status: FORMERR'
	[ "$(wc -l <"$R/queries.log")" -eq 2 ]
	# ARCOUNT (octets 10-11) of the first query is 1 (OPT), of the second 0
	[ "$(sed -n 1p "$R/queries.log" | cut -d' ' -f2 | cut -c21-24)" = 0001 ]
	[ "$(sed -n 2p "$R/queries.log" | cut -d' ' -f2 | cut -c21-24)" = 0000 ]
}

@test "+noedns: FORMERR is just printed" {
	zk_responder_start "$R" PORT --rcode 1
	run zq www.example A +noedns
	assert_success
	refute_line --partial 'retrying without EDNS'
	[ "$(wc -l <"$R/queries.log")" -eq 1 ]
}

@test "silent server: bounded tries, exit 9, no servers could be reached" {
	zk_responder_start "$R" PORT --mode silent
	SECONDS=0
	run -9 zq www.example A
	[ "$SECONDS" -le 4 ]
	assert_line ";; communications error to 127.0.0.1#$PORT: timed out"
	assert_line ';; no servers could be reached'
	[ "$(wc -l <"$R/queries.log")" -eq 2 ]
}

@test "unreachable loopback port: exit 9" {
	PORT=$(zk_free_port)
	run -9 zq www.example A
	assert_line --regexp "^;; communications error to 127\.0\.0\.1#$PORT: "
	assert_line ';; no servers could be reached'
}

@test "a reply with a wrong ID is ignored and counted, the right one taken" {
	zk_responder_start "$R" PORT --mode wrong-id-first --answer-a 192.0.2.9
	run zq www.example A
	assert_success
	assert_line --regexp '^www\.example\.		300	IN	A	192\.0\.2\.9$'
	assert_line ';; Ignored 1 reply(ies) that did not match the query: ID mismatch 1'
}

@test "a reply from another port is ignored: timeout, exit 9" {
	zk_responder_start "$R" PORT --mode other-port --answer-a 192.0.2.9
	run -9 zq www.example A
	assert_line --partial 'ignored 2 reply(ies) that did not match the query'
	refute_line --partial '192.0.2.9'
}

@test "garbage replies never crash: ignored (or reported as a bad packet)" {
	for len in 0 5 12 40 300; do
		zk_responder_start "$R.$len" PORT --mode garbage --garbage-len "$len"
		run zq www.example A
		[ "$status" -eq 9 ] || [ "$status" -eq 10 ]
		[ "$status" -lt 128 ]
	done
}

@test "a malformed reply that matches the query is a bad packet, exit 10" {
	# header: QR AA, 1 question (www.example A IN), ANCOUNT 1 but no answer
	zk_responder_start "$R" PORT --reply '0000 8400 0001 0001 0000 0000 03777777076578616d706c6500 0001 0001'
	run -10 zq www.example A +noedns
	assert_line --partial ';; Got bad packet: '
}

@test "+idnin sends a Unicode name as xn--; +idnout prints it back in Unicode" {
	"$Z" -h | grep -q '+\[no\]idnin .*libidn2' || skip "built without libidn2"
	zk_responder_start "$R" PORT --answer-a 192.0.2.5
	run zq 'bücher.example' A +noidnout +noall +answer
	assert_success
	assert_output "$(printf 'xn--bcher-kva.example.\t300\tIN\tA\t192.0.2.5')"
	# the query on the wire: 0d "xn--bcher-kva" 07 "example"
	grep -q '0d786e2d2d62636865722d6b7661076578616d706c6500' "$R/queries.log"
	run zq 'bücher.example' A +idnout +noall +answer
	assert_output "$(printf 'bücher.example.\t300\tIN\tA\t192.0.2.5')"
	run -1 zq 'bü..example' A
}
