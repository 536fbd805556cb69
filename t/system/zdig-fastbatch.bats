#!/usr/bin/env bats
# zdig -f's fast path (cmd/zdig/burst.c): plain UDP lookups of a batch
# share a few sockets and one event loop. Its output must be the normal
# path's (ZDIG_SLOWBATCH=1: one query_run thread per lookup, as before),
# byte for byte once the ID, Query time and WHEN lines are masked; the
# unusual cases (TC=1, timeouts, refused ports, hostile replies) must end
# as the normal path ends them. And -f prints dig's banner per line.

bats_require_minimum_version 1.5.0

load ../helpers/common
load ../helpers/servers

setup_file() {
	zk_require_cmd named knotd dig
	export ZK_SERVERS_REGISTRY=$BATS_FILE_TMPDIR/servers
	# a fixed RRset order, so two runs can be compared line by line
	SECRET=$(zk_random_secret)
	zk_named_start "$BATS_FILE_TMPDIR/named" NAMED_PORT \
		"example=$ZKIT_DATA/msg/example.zone" --key "hmac-sha256:tkey:$SECRET" \
		--options 'rrset-order { order none; };'
	zk_knotd_start "$BATS_FILE_TMPDIR/knotd" KNOT_PORT "example=$ZKIT_DATA/msg/example.zone"
	export NAMED_PORT KNOT_PORT SECRET
}

teardown_file() {
	zk_servers_stop_all
}

setup() {
	zk_require_bin zdig
	Z=$ZKIT_BIN/zdig
	B=$BATS_TEST_TMPDIR/batch
	R=$BATS_TEST_TMPDIR/r
}

mask() {
	sed -E -e '/^;; (Query time|WHEN):/d' -e 's/, id: [0-9]+$/, id: X/' \
		-e 's/<<>> (zdig \(zkit\)|DiG) [^ ]+ <<>>/<<>> X <<>>/'
}

# mixed LINES: answers, CNAME, NXDOMAIN, NODATA, several types and
# display options, some lines for the normal path (+tcp)
mixed() {
	local i
	for ((i = 0; i < $1; i++)); do
		case $((i % 16)) in
		0) echo "example SOA" ;;
		1) echo "www.example A" ;;
		2) echo "nope.example A" ;;
		3) echo "ns1.example MX" ;;
		4) echo "example MX +nocomments" ;;
		5) echo "-t TXT tab.example" ;;
		6) echo "svc.example HTTPS +dnssec" ;;
		7) echo "_sip._tcp.example SRV +short" ;;
		8) echo "example NS +multiline" ;;
		9) echo "sip.example NAPTR +nsid" ;;
		10) echo "x.dn.example A +noedns" ;;
		11) echo "example CAA +norec" ;;
		12) echo "other.test A" ;;
		13) echo "ns1.example +tcp" ;;
		14) echo "loc.example LOC +nostats" ;;
		15) echo "uri.example URI +bufsize=512" ;;
		esac
	done
}

# same PORT: the batch through the fast path equals the normal path's
same() {
	local port=$1
	mixed 2000 >"$B"
	"$Z" @127.0.0.1 -p "$port" +nocookie -f "$B" | mask >"$BATS_TEST_TMPDIR/fast"
	ZDIG_SLOWBATCH=1 "$Z" @127.0.0.1 -p "$port" +nocookie +parallel=1 -f "$B" |
		mask >"$BATS_TEST_TMPDIR/slow"
	[ "$(grep -c '^;; ->>HEADER<<-' "$BATS_TEST_TMPDIR/fast")" -eq 1750 ]
	[ "$(grep -c 'status: NXDOMAIN' "$BATS_TEST_TMPDIR/fast")" -eq 125 ]
	[ "$(grep -c '(TCP)$' "$BATS_TEST_TMPDIR/fast")" -eq 125 ]
	diff "$BATS_TEST_TMPDIR/slow" "$BATS_TEST_TMPDIR/fast"
}

@test "named: 2000 mixed lines print as the normal path prints them, one by one" {
	same "$NAMED_PORT"
}

@test "knotd: 2000 mixed lines print as the normal path prints them, one by one" {
	same "$KNOT_PORT"
}

@test "+json batch: the same objects as the normal path" {
	zk_require_cmd jq
	mixed 160 | grep -v -e +short -e +multiline >"$B"
	"$Z" @127.0.0.1 -p "$NAMED_PORT" +nocookie +json -f "$B" |
		jq -c 'del(.ID, .queryTime, .dateSeconds)' >"$BATS_TEST_TMPDIR/fast"
	ZDIG_SLOWBATCH=1 "$Z" @127.0.0.1 -p "$NAMED_PORT" +nocookie +json -f "$B" |
		jq -c 'del(.ID, .queryTime, .dateSeconds)' >"$BATS_TEST_TMPDIR/slow"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/fast")" -eq "$(wc -l <"$B")" ]
	diff "$BATS_TEST_TMPDIR/slow" "$BATS_TEST_TMPDIR/fast"
}

@test "TSIG in a batch: every reply verified as the normal path does; a wrong secret, exit 11" {
	mixed 320 >"$B"
	# the TSIG record: time signed, MAC and original ID vary
	tmask() { mask | sed -E 's/([[:space:]]TSIG[[:space:]]+hmac-sha256\.).*/\1 X/'; }
	"$Z" @127.0.0.1 -p "$NAMED_PORT" +nocookie -y "hmac-sha256:tkey:$SECRET" -f "$B" |
		tmask >"$BATS_TEST_TMPDIR/fast"
	ZDIG_SLOWBATCH=1 "$Z" @127.0.0.1 -p "$NAMED_PORT" +nocookie -y "hmac-sha256:tkey:$SECRET" \
		-f "$B" | tmask >"$BATS_TEST_TMPDIR/slow"
	diff "$BATS_TEST_TMPDIR/slow" "$BATS_TEST_TMPDIR/fast"
	# signed replies, shown (+short and +nocomments lines show none)
	[ "$(grep -c '^;; TSIG PSEUDOSECTION:$' "$BATS_TEST_TMPDIR/fast")" -eq 280 ]
	! grep -q -e 'TSIG error' -e "Couldn't verify" "$BATS_TEST_TMPDIR/fast"
	run -11 "$Z" @127.0.0.1 -p "$NAMED_PORT" +nocookie -y "hmac-sha256:tkey:$(zk_random_secret)" \
		-f "$B"
	[ "$(grep -cx ';; TSIG error from the server: BADSIG' <<<"$output")" -eq 320 ]
}

# distinct client ports the responder answered
client_ports() {
	grep -o '^sent udp .* to port [0-9]*' "$1/server.log" | awk '{print $NF}' | sort -u | wc -l
}

@test "the fast path shares its sockets; the normal path opens one per query" {
	zk_require_cmd python3
	zk_responder_start "$R" PORT --answer-a 192.0.2.7
	for i in $(seq 1 200); do echo "q$i.example A +short"; done >"$B"
	run "$Z" @127.0.0.1 -p "$PORT" -f "$B"
	assert_success
	[ "${#lines[@]}" -eq 200 ]
	[ "$(printf '%s\n' "${lines[@]}" | sort -u)" = 192.0.2.7 ]
	[ "$(client_ports "$R")" -le 4 ]
	zk_responder_start "$R.slow" PORT --answer-a 192.0.2.7
	ZDIG_SLOWBATCH=1 run "$Z" @127.0.0.1 -p "$PORT" -f "$B"
	assert_success
	# one socket per query (the kernel may hand a port out twice)
	[ "$(client_ports "$R.slow")" -gt 100 ]
}

@test "a reply with a wrong ID is ignored and counted in a batch too" {
	zk_require_cmd python3
	zk_responder_start "$R" PORT --mode wrong-id-first --answer-a 192.0.2.9
	for i in $(seq 1 30); do echo "w$i.example A"; done >"$B"
	run "$Z" @127.0.0.1 -p "$PORT" +parallel=1 +noall +answer -f "$B"
	assert_success
	[ "$(grep -c '	IN	A	192\.0\.2\.9$' <<<"$output")" -eq 30 ]
	[ "$(grep -cx ';; Ignored 1 reply(ies) that did not match the query: ID mismatch 1' <<<"$output")" -eq 30 ]
	# a window of 8: every wrong ID is still counted on some lookup
	run "$Z" @127.0.0.1 -p "$PORT" +parallel=8 +noall +answer -f "$B"
	assert_success
	[ "$(grep -c '	IN	A	192\.0\.2\.9$' <<<"$output")" -eq 30 ]
	[ "$(grep -o 'ID mismatch [0-9]*' <<<"$output" | awk '{ n += $3 } END { print n }')" -eq 30 ]
}

@test "replies from another port are ignored: every line times out as the normal path" {
	zk_require_cmd python3
	zk_responder_start "$R" PORT --mode other-port --answer-a 192.0.2.9
	for i in $(seq 1 10); do echo "o$i.example A"; done >"$B"
	run -9 "$Z" @127.0.0.1 -p "$PORT" +tries=2 +timeout=1 -f "$B"
	refute_output --partial 192.0.2.9
	[ "$(grep -c ";; communications error to 127.0.0.1#$PORT: timed out" <<<"$output")" -eq 10 ]
	[ "$(grep -cx ';; ignored 2 reply(ies) that did not match the query' <<<"$output")" -eq 10 ]
	fast=$output
	ZDIG_SLOWBATCH=1 run -9 "$Z" @127.0.0.1 -p "$PORT" +tries=2 +timeout=1 -f "$B"
	[ "$output" = "$fast" ]
}

@test "garbage replies in a batch: as the normal path, never a crash" {
	zk_require_cmd python3
	for i in $(seq 1 5); do echo "g$i.example A"; done >"$B"
	for len in 0 5 12 40 300; do
		zk_responder_start "$R.$len" PORT --mode garbage --garbage-len "$len"
		# no ID to go by (len 0): held against the oldest lookup in
		# flight; with one in flight that is the normal path's own
		par=32
		[ "$len" -gt 1 ] || par=1
		run "$Z" @127.0.0.1 -p "$PORT" +tries=1 +timeout=1 +parallel=$par -f "$B"
		[ "$status" -eq 9 ] || [ "$status" -eq 10 ]
		fast=$output fstatus=$status
		ZDIG_SLOWBATCH=1 run "$Z" @127.0.0.1 -p "$PORT" +tries=1 +timeout=1 -f "$B"
		[ "$status" -eq "$fstatus" ]
		[ "$(mask <<<"$output")" = "$(mask <<<"$fast")" ]
	done
}

@test "TC=1 in a batch: the lookup is asked again over TCP" {
	zk_require_cmd python3
	zk_responder_start "$R" PORT --mode tc --answer-a 192.0.2.7
	printf '%s\n' "t1.example A" "t2.example A +ignore" "t3.example A" >"$B"
	run "$Z" @127.0.0.1 -p "$PORT" +tries=2 +timeout=1 -f "$B"
	assert_success
	[ "$(grep -cx ';; Truncated, retrying in TCP mode.' <<<"$output")" -eq 2 ]
	[ "$(grep -c '^t[13]\.example\.		300	IN	A	192\.0\.2\.7$' <<<"$output")" -eq 2 ]
	[ "$(grep -c '(TCP)$' <<<"$output")" -eq 2 ]
	# +ignore: the truncated reply itself
	assert_line --partial 'flags: qr aa tc rd;'
	[ "$(grep -c '^tcp ' "$R/queries.log")" -eq 2 ]
	fast=$(mask <<<"$output")
	ZDIG_SLOWBATCH=1 run "$Z" @127.0.0.1 -p "$PORT" +tries=2 +timeout=1 -f "$B"
	[ "$(mask <<<"$output")" = "$fast" ]
}

@test "a silent server and a refused port: +timeout/+tries, exit 9, as the normal path" {
	zk_require_cmd python3
	zk_responder_start "$R" PORT --mode silent
	FREE=$(zk_free_port)
	{
		for i in $(seq 1 20); do echo "s$i.example A"; done
		echo "@127.0.0.1 -p $FREE r.example A"
		echo "example SOA +short -p $NAMED_PORT"
	} >"$B"
	SECONDS=0
	run -9 "$Z" @127.0.0.1 -p "$PORT" +tries=2 +timeout=1 -f "$B"
	# 20 lookups in one window: 2 tries of 1 s each, not 20 × 2 s
	[ "$SECONDS" -le 4 ]
	[ "$(grep -c "^;; communications error to 127.0.0.1#$PORT: timed out$" <<<"$output")" -eq 20 ]
	[ "$(grep -cx ';; no servers could be reached' <<<"$output")" -eq 21 ]
	assert_line --regexp "^;; communications error to 127\.0\.0\.1#$FREE: .*connection refused$"
	assert_line 'ns1.example. hostmaster.example. 2024010101 7200 3600 1209600 300'
	[ "$(wc -l <"$R/queries.log")" -eq 40 ]
	fast=$output
	ZDIG_SLOWBATCH=1 run -9 "$Z" @127.0.0.1 -p "$PORT" +tries=2 +timeout=1 -f "$B"
	[ "$output" = "$fast" ]
}

@test "-f prints dig's banner per line" {
	printf '%s\n' "www.example A" "  nope.example    A " "example MX +nocomments" \
		"ns1.example MX" "@127.0.0.1 example SOA +multiline" "example NS" \
		"example TXT +short" >"$B"
	zk_dig "$NAMED_PORT" +nocookie -f "$B" | mask >"$BATS_TEST_TMPDIR/dig"
	"$Z" @127.0.0.1 -p "$NAMED_PORT" +nocookie -f "$B" | mask >"$BATS_TEST_TMPDIR/zdig"
	diff "$BATS_TEST_TMPDIR/dig" "$BATS_TEST_TMPDIR/zdig"
	grep -qx '; <<>> X <<>> nope.example A' "$BATS_TEST_TMPDIR/zdig"
	[ "$(grep -c '<<>> X <<>>' "$BATS_TEST_TMPDIR/zdig")" -eq 6 ]
	# (dig's +short stays on for the lines after it: the last line here)
	# after a lookup of the command line: no second "global options"
	dig @127.0.0.1 -p "$NAMED_PORT" +nocookie example SOA -f "$B" | mask |
		sed -E "s/ -p $NAMED_PORT / -p P /; s/^(; <<>> X <<>> .*) -f .*/\1/" >"$BATS_TEST_TMPDIR/dig"
	"$Z" @127.0.0.1 -p "$NAMED_PORT" +nocookie example SOA -f "$B" | mask |
		sed -E "s/ -p $NAMED_PORT / -p P /; s/^(; <<>> X <<>> .*) -f .*/\1/" >"$BATS_TEST_TMPDIR/zdig"
	diff "$BATS_TEST_TMPDIR/dig" "$BATS_TEST_TMPDIR/zdig"
	[ "$(grep -c ';; global options: +cmd' "$BATS_TEST_TMPDIR/zdig")" -eq 1 ]
}
