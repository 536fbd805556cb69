#!/usr/bin/env bats
# zxfr against hostile transfers (the cases of BIND's xfer/tsig system
# tests), served by t/data/xfr/xfr-responder.py: every one must fail with
# the documented exit code, leave the old output file byte-identical and
# leave no temporary file behind.

load ../helpers/common
load ../helpers/servers

KEY=xfr-key:cGFzc3dvcmQtZm9yLXpraXQtdHNpZy10ZXN0cy0xMjM=

setup() {
	zk_require_cmd python3 ss
	zk_require_bin zxfr
	R=$BATS_TEST_TMPDIR/r
	OUT=$BATS_TEST_TMPDIR/out
	mkdir -p "$R" "$OUT"
	printf '; the good copy\nexample. 300 IN SOA ns.example. admin.example. 1 3600 600 86400 300\nexample. 300 IN NS ns.example.\n' >"$OUT/example.zone"
	cp "$OUT/example.zone" "$BATS_TEST_TMPDIR/orig.zone"
}

teardown() {
	zk_servers_stop_all
}

# xresp SCENARIO [ARG...]: start the responder, set PORT.
xresp() {
	local sc=$1 deadline=$((SECONDS + 10))
	shift
	zk__spawn "$R" python3 "$ZKIT_DATA/xfr/xfr-responder.py" --dir "$R" --scenario "$sc" \
		--timeout 30 "$@"
	while [ ! -s "$R/responder.port" ]; do
		[ $SECONDS -lt $deadline ] || return 1
		sleep 0.05
	done
	PORT=$(cat "$R/responder.port")
}

# The old file is untouched and no temporary file is left.
assert_untouched() {
	cmp "$BATS_TEST_TMPDIR/orig.zone" "$OUT/example.zone"
	run ls -A "$OUT"
	assert_output example.zone
}

# hostile SCENARIO EXIT MESSAGE [responder ARG...]
hostile() {
	local sc=$1 code=$2 msg=$3
	shift 3
	xresp "$sc" --key "$KEY" "$@"
	run "$ZKIT_BIN/zxfr" "@127.0.0.1#$PORT" -y "$KEY" --timeout 3 -o "$OUT/example.zone" example.
	assert_failure "$code"
	assert_output --partial "$msg"
	assert_untouched
}

@test "control: a good signed transfer replaces the file" {
	xresp ok --key "$KEY"
	run "$ZKIT_BIN/zxfr" "@127.0.0.1#$PORT" -y "$KEY" -o "$OUT/example.zone" example.
	assert_success
	assert_output --partial "serial 2024010101"
	assert_output --partial "23 records in 5 messages"
	assert_output --partial "TSIG verified"
	run head -n 1 "$OUT/example.zone"
	assert_output $'example.\t\t300\tIN\tSOA\tns.example. admin.example. 2024010101 3600 600 86400 300'
	# one SOA (zone-file form), the NS and 20 addresses
	[ "$(wc -l <"$OUT/example.zone")" -eq 22 ]
	run ls -A "$OUT"
	assert_output example.zone
}

@test "--progress: records, octets and rate on standard error" {
	xresp ok --per-msg 1 --records 50
	run "$ZKIT_BIN/zxfr" "@127.0.0.1#$PORT" --progress -o "$OUT/example.zone" example.
	assert_success
	assert_output --regexp $'\rzxfr: 53 records, [0-9.]+ (B|KiB), [0-9.]+ (B|KiB|MiB)/s'
}

@test "unsigned transfer when we signed" {
	hostile unsigned 4 "message 1: reply is not signed"
}

@test "partially signed: TSIG on the first message only" {
	hostile first-only 4 "the last 4 messages of the stream are not signed"
}

@test "bad MAC in mid-stream" {
	hostile badmac 4 "message 3: BADSIG"
}

@test "signed with an unknown key" {
	hostile unknown-key 4 "BADKEY"
}

@test "signed with the right key name and a wrong secret" {
	hostile wrong-key 4 "message 1: BADSIG"
}

@test "wrong question name" {
	hostile wrong-qname 5 "message 1 does not answer the query: question"
}

@test "message ID changed from the second message on" {
	hostile id-change 5 "message 2 has ID"
}

@test "final SOA does not match the first" {
	hostile soa-mismatch 5 "SOA with serial 2024010102 in mid-stream (the transfer began with 2024010101)"
}

@test "an SOA in mid-stream" {
	hostile soa-mid 5 "SOA with serial 2024010108 in mid-stream"
}

@test "TC=1 in the stream" {
	hostile tc 5 "truncated message (TC=1) in a TCP transfer"
}

@test "EOF before the closing SOA" {
	hostile eof 2 "the transfer ended before the closing SOA (20 records in 4 messages)"
}

@test "more than 99 unsigned messages in a row" {
	hostile unsigned-100 4 "message 101: reply is not signed: more than 99 unsigned messages in a row" \
		--per-msg 1 --records 150
}

@test "control: 99 unsigned messages between signed ones are allowed" {
	xresp sign-every-99 --key "$KEY" --per-msg 1 --records 250
	run "$ZKIT_BIN/zxfr" "@127.0.0.1#$PORT" -y "$KEY" -o "$OUT/example.zone" example.
	assert_success
	assert_output --partial "253 records in 253 messages"
	[ "$(wc -l <"$OUT/example.zone")" -eq 252 ]
}

@test "garbage after the first message" {
	hostile garbage 5 "message 2 does not answer the query"
}

@test "records after the closing SOA" {
	hostile trailing 5 "records after the closing SOA"
}

@test "first record not the SOA" {
	hostile not-soa-first 5 "the first record is not the zone's SOA"
}

@test "out-of-zone record" {
	hostile out-of-zone 5 "record outside the zone: www.elsewhere."
}

@test "REFUSED with an EDE text" {
	hostile refused 3 "server answered REFUSED (EDE 18 (Prohibited): transfers are not allowed)"
}

@test "a server that never answers: time-out, exit 2" {
	hostile silent 2 "timed out"
}

@test "unsigned transfer without a key is accepted (no key, no TSIG required)" {
	xresp unsigned
	run "$ZKIT_BIN/zxfr" "@127.0.0.1#$PORT" -o "$OUT/example.zone" example.
	assert_success
	[ "$(wc -l <"$OUT/example.zone")" -eq 22 ]
}

@test "--max-records exceeded" {
	xresp ok --key "$KEY"
	run "$ZKIT_BIN/zxfr" "@127.0.0.1#$PORT" -y "$KEY" --max-records 10 -o "$OUT/example.zone" example.
	assert_failure 6
	assert_output --partial "transfer of more than 10 records"
	assert_untouched
}

@test "--max-bytes exceeded" {
	xresp ok --key "$KEY"
	run "$ZKIT_BIN/zxfr" "@127.0.0.1#$PORT" -y "$KEY" --max-bytes 400 -o "$OUT/example.zone" example.
	assert_failure 6
	assert_output --partial "transfer larger than 400 octets"
	assert_untouched
}

@test "killed mid-transfer (SIGTERM): no temporary file left" {
	xresp ok --per-msg 1 --records 100000
	"$ZKIT_BIN/zxfr" "@127.0.0.1#$PORT" -o "$OUT/example.zone" example. 2>/dev/null &
	pid=$!
	for _ in $(seq 1 100); do
		[ "$(ls -A "$OUT" | wc -l)" -gt 1 ] && break
		sleep 0.02
	done
	kill -TERM "$pid"
	wait "$pid" || true
	assert_untouched
}
