#!/usr/bin/env bats
# The scriptable test responder (t/helpers/responder.py): each mode does
# what it says, checked with BIND's dig as the client.

load ../helpers/common
load ../helpers/servers

QNAME_HEX=03777777076578616d706c6500 # www.example.
AXFR=$ZKIT_DATA/zones/helpers/axfr-example.hex

setup() {
	zk_require_cmd python3 dig ss
	R=$BATS_TEST_TMPDIR/r
}

teardown() {
	zk_servers_stop_all
}

# rdig ARG...: dig at the responder, one try, bounded.
rdig() {
	dig +tries=1 +time=2 @127.0.0.1 -p "$PORT" "$@"
}

# The ID dig printed, as 4 hex digits.
dig_id_hex() {
	printf '%04x' "$(sed -n 's/.*, id: \([0-9]*\)$/\1/p' <<<"$output" | tail -n 1)"
}

# hex WORD...: join hex groups written with spaces for reading.
hex() {
	tr -d ' ' <<<"$*"
}

# The ID of the (first) query the responder logged.
dig_id_hex_from_log() {
	cut -d' ' -f2 "$R/queries.log" | cut -c1-4
}

@test "reply: a synthesized answer, and the exact query is logged" {
	zk_responder_start "$R" PORT --answer-a 192.0.2.7 --count 1 --timeout 30
	[ "$(cat "$R/responder.port")" = "$PORT" ]
	run rdig +norec +noedns www.example. A
	assert_success
	assert_output --partial 'status: NOERROR'
	assert_output --partial 'flags: qr aa;'
	assert_output --regexp $'www\\.example\\.\t+300\tIN\tA\t192\\.0\\.2\\.7'
	id=$(dig_id_hex)
	# dig's query: ID, flags AD only (+norec, dig sets AD), QD=1, the question.
	run cat "$R/queries.log"
	assert_output "udp $(hex "$id 0020 0001 0000 0000 0000 $QNAME_HEX 0001 0001")"
	# The reply: QR AA, one A record with a pointer to the question name.
	run grep '^sent udp' "$R/server.log"
	assert_output --regexp ": $(hex "$id 8400 0001 0001 0000 0000 $QNAME_HEX 0001 0001" \
		"c00c 0001 0001 0000012c 0004 c0000207")\$"
}

@test "--rcode: the synthesized reply carries it" {
	zk_responder_start "$R" PORT --rcode 3 --count 1 --timeout 30
	run rdig nothere.example. A
	assert_success
	assert_output --partial 'status: NXDOMAIN'
	assert_output --partial 'ANSWER: 0,'
}

@test "--reply HEX with --keep-id: dig sees the ID mismatch and keeps waiting" {
	zk_responder_start "$R" PORT --keep-id --timeout 30 \
		--reply "abcd 8400 0001 0000 0000 0000 ${QNAME_HEX} 0001 0001"
	run rdig +noedns www.example. A
	assert_failure 9
	assert_output --regexp ';; Warning: ID mismatch: expected ID [0-9]+, got 43981'
	assert_output --partial 'timed out'
}

@test "--reply HEX: the query ID is patched in" {
	zk_responder_start "$R" PORT --timeout 30 \
		--reply "abcd 8403 0001 0000 0000 0000 ${QNAME_HEX} 0001 0001"
	run rdig +noedns www.example. A
	assert_success
	assert_output --partial 'status: NXDOMAIN'
	refute_output --partial 'mismatch'
}

@test "garbage: dig reports a bad packet, the bytes are ours" {
	zk_responder_start "$R" PORT --mode garbage --garbage-len 32 --count 1 --timeout 30
	run rdig www.example. A
	assert_output --partial ';; Got bad packet:'
	assert_output --partial '32 bytes'
	refute_output --partial 'ANSWER SECTION'
	# The dump dig printed is what the responder sent, ID first.
	sent=$(sed -n 's/^sent udp 32 bytes from port [0-9]* to port [0-9]*: //p' "$R/server.log")
	dumped=$(grep -E '^([0-9a-f]{2} ){2}' <<<"$output" | cut -c1-48 | tr -d ' \n')
	assert_equal "$dumped" "$sent"
	assert_equal "${sent:0:4}" "$(dig_id_hex_from_log)"
}

@test "wrong-id-first: dig warns about the first, accepts the second" {
	zk_responder_start "$R" PORT --mode wrong-id-first --answer-a 192.0.2.7 --timeout 30
	run rdig www.example. A
	assert_success
	assert_output --regexp ';; Warning: ID mismatch: expected ID [0-9]+, got [0-9]+'
	assert_output --regexp $'www\\.example\\.\t+300\tIN\tA\t192\\.0\\.2\\.7'
	assert_equal "$(grep -c '^sent udp' "$R/server.log")" 2
}

@test "tc: UDP gets TC=1 with the question only, dig retries over TCP" {
	zk_responder_start "$R" PORT --mode tc --answer-a 192.0.2.7 --timeout 30
	run rdig www.example. A
	assert_success
	assert_output --partial ';; Truncated, retrying in TCP mode.'
	assert_output --partial '(TCP)'
	assert_output --regexp $'www\\.example\\.\t+300\tIN\tA\t192\\.0\\.2\\.7'
	run cut -d' ' -f1 "$R/queries.log"
	assert_output $'udp\ntcp'
	# QR AA TC RD, QD=1 and nothing else.
	run grep '^sent udp' "$R/server.log"
	assert_output --regexp ": [0-9a-f]{4}$(hex "8700 0001 0000 0000 0000 $QNAME_HEX 0001 0001")\$"
}

@test "silent: no answer, dig times out, the query is still logged" {
	zk_responder_start "$R" PORT --mode silent --timeout 30
	run rdig www.example. A
	assert_failure 9
	assert_output --partial 'communications error to 127.0.0.1#'"$PORT"': timed out'
	assert_equal "$(wc -l <"$R/queries.log")" 1
	run grep -c '^sent' "$R/server.log"
	assert_output 0
}

@test "silent,reply: the Nth query gets the Nth mode (dig's retry succeeds)" {
	zk_responder_start "$R" PORT --mode silent,reply --answer-a 192.0.2.7 --timeout 30
	run dig +tries=2 +time=1 @127.0.0.1 -p "$PORT" +short www.example. A
	assert_success
	assert_output --partial 'timed out'
	assert_line 192.0.2.7
	assert_equal "$(wc -l <"$R/queries.log")" 2
}

@test "other-port: the reply comes from another source port" {
	zk_responder_start "$R" PORT --mode other-port --answer-a 192.0.2.7 --timeout 30
	# dig's connected socket never sees it.
	run rdig www.example. A
	assert_failure 9
	assert_output --partial 'timed out'
	# An unconnected socket does: the reply, from a port that is not PORT.
	run python3 - "$PORT" <<-'EOF'
		import socket, struct, sys
		port = int(sys.argv[1])
		q = struct.pack("!HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0)
		q += b"\x03www\x07example\x00\x00\x01\x00\x01"
		s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
		s.settimeout(5)
		s.sendto(q, ("127.0.0.1", port))
		data, src = s.recvfrom(512)
		print(src[1] != port, data.hex())
	EOF
	assert_success
	assert_output "True $(hex "1234 8500 0001 0001 0000 0000 $QNAME_HEX 0001 0001" \
		"c00c 0001 0001 0000012c 0004 c0000207")"
}

@test "a TCP stream of canned messages: dig reads a 3-message AXFR" {
	zk_responder_start "$R" PORT --tcp --reply-file "$AXFR" --count 1 --timeout 30
	run rdig +nocmd example. AXFR
	assert_success
	assert_output --partial ';; XFR size: 6 records (messages 3, bytes 345)'
	run awk '!/^;/ && NF {print $1, $4, $5}' <<<"$output"
	assert_output "$(printf '%s\n' 'example. SOA ns1.example.' 'example. NS ns1.example.' \
		'ns1.example. A 127.0.0.1' 'www.example. A 192.0.2.1' \
		'txt.example. TXT "zkit' 'example. SOA ns1.example.')"
	# UDP is not served with --tcp.
	[ -z "$(ss -Hlnu "( sport = :$PORT )")" ]
}

@test "close: the TCP connection ends early, dig reports end of file" {
	zk_responder_start "$R" PORT --mode close --close-after 10 --answer-a 192.0.2.7 --timeout 30
	run rdig +tcp www.example. A
	assert_failure 9
	assert_output --partial 'communications error to 127.0.0.1#'"$PORT"': end of file'
	run grep '^sent tcp' "$R/server.log"
	# 2-octet length (45), then the first 8 octets: ID, QR AA RD, QD=1, AN=1.
	assert_output --regexp '^sent tcp 10 bytes, closing: 002d[0-9a-f]{4}850000010001$'
}

@test "the responder stops by itself: after --count queries, after --timeout" {
	zk_responder_start "$R" PORT --count 1 --timeout 60
	pid=$(zk_server_pid "$R")
	run rdig www.example. A
	assert_success
	for _ in $(seq 1 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	refute kill -0 "$pid" 2>/dev/null
	run tail -n 1 "$R/server.log"
	assert_output 'exiting after 1 queries'

	zk_responder_start "$R.2" PORT --timeout 1
	pid=$(zk_server_pid "$R.2")
	for _ in $(seq 1 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	refute kill -0 "$pid" 2>/dev/null
	run tail -n 2 "$R.2/server.log"
	assert_output $'timeout after 0 queries\nexiting after 0 queries'
}

@test "bad arguments: an unknown mode is refused before listening" {
	run python3 "$ZKIT_SRC/t/helpers/responder.py" --dir "$BATS_TEST_TMPDIR" --mode bogus
	assert_failure 2
	assert_output --partial "unknown mode 'bogus'"
	[ ! -e "$BATS_TEST_TMPDIR/responder.port" ]
}
