#!/usr/bin/env bats
# znotify against a real named secondary (which must then transfer the new
# serial) and against t/data/xfr/xfr-responder.py answering NOERROR,
# NOTIMP, REFUSED or nothing.

load ../helpers/common
load ../helpers/servers

SECRET=cGFzc3dvcmQtZm9yLXpraXQtdHNpZy10ZXN0cy0xMjM=
KEY=notify-key:$SECRET
ZONE=$ZKIT_DATA/xfr/example.zone

setup() {
	zk_require_cmd named dig python3 ss
	zk_require_bin znotify
	D=$BATS_TEST_TMPDIR
	R=$D/r
	mkdir -p "$R"
}

teardown() {
	zk_servers_stop_all
}

xresp() {
	local deadline=$((SECONDS + 10))
	zk__spawn "$R" python3 "$ZKIT_DATA/xfr/xfr-responder.py" --dir "$R" --timeout 60 "$@"
	while [ ! -s "$R/responder.port" ]; do
		[ $SECONDS -lt $deadline ] || return 1
		sleep 0.05
	done
	PORT=$(cat "$R/responder.port")
}

# The NOTIFY messages the responder got, as hex.
notifies() {
	cut -d' ' -f2 "$R/queries.log"
}

@test "a named secondary acknowledges and then transfers the new serial" {
	zk_named_start "$D/p" PP "example.=$ZONE"
	zk_named_start "$D/s" SP --secondary "example.=127.0.0.1#$PP"
	zk_wait_serial "$SP" example. 2024010101
	cp "$ZKIT_DATA/xfr/example.v2.zone" "$D/p/zones/example.zone"
	zk_server_reload "$D/p"
	zk_wait_serial "$PP" example. 2024010102
	# The secondary refreshes hourly: without NOTIFY it stays behind.
	sleep 1
	[ "$(zk_dig "$SP" +short example. SOA | awk '{print $3}')" = 2024010101 ]
	run "$ZKIT_BIN/znotify" -s 2024010102 example. "127.0.0.1#$SP"
	assert_success
	assert_output --regexp "^127\\.0\\.0\\.1#$SP: acked in [0-9.]+ s, 1 try\$"
	zk_wait_serial "$SP" example. 2024010102 10
}

@test "TSIG-signed NOTIFY to a knotd secondary that requires the key" {
	zk_require_cmd knotd
	zk_named_start "$D/p" PP --key "$KEY" "example.=$ZONE"
	zk_knotd_start "$D/s" SP --key "$KEY" --secondary "example.=127.0.0.1#$PP,key=notify-key"
	zk_wait_serial "$SP" example. 2024010101
	cp "$ZKIT_DATA/xfr/example.v2.zone" "$D/p/zones/example.zone"
	zk_server_reload "$D/p"
	zk_wait_serial "$PP" example. 2024010102
	run "$ZKIT_BIN/znotify" --retries 1 example. "127.0.0.1#$SP"
	assert_failure 2
	run "$ZKIT_BIN/znotify" -y "$KEY" example. "127.0.0.1#$SP"
	assert_success
	assert_output --partial "acked"
	zk_wait_serial "$SP" example. 2024010102 10
}

@test "the NOTIFY message: opcode NOTIFY, AA, SOA question, SOA answer with -s" {
	xresp --notify-rcode 0
	run "$ZKIT_BIN/znotify" -s 77 example. "127.0.0.1#$PORT"
	assert_success
	id=$(notifies | cut -c1-4)
	# ID, flags 2400 (opcode NOTIFY, AA), QD 1, AN 1; question example.
	# SOA IN; answer example. SOA IN TTL 0, RDLENGTH 22: root, root,
	# serial 77 (0x4d), the four timers zero.
	want=${id}2400000100010000000007$(printf example | xxd -p)00'00060001'
	want+=07$(printf example | xxd -p)00'0006000100000000''0016''0000''0000004d'
	want+=00000000000000000000000000000000
	assert_equal "$(notifies)" "$want"
}

@test "NOTIMP (an old server) is reported but not a failure, unless --strict" {
	xresp --notify-rcode 4
	run "$ZKIT_BIN/znotify" example. "127.0.0.1#$PORT"
	assert_success
	assert_output --regexp "NOTIMP \\(the server does not implement NOTIFY\\)"
	run "$ZKIT_BIN/znotify" --strict example. "127.0.0.1#$PORT"
	assert_failure 2
}

@test "REFUSED is a failure" {
	xresp --notify-rcode 5
	run "$ZKIT_BIN/znotify" example. "127.0.0.1#$PORT"
	assert_failure 2
	assert_output --regexp "127\\.0\\.0\\.1#$PORT: REFUSED in"
}

@test "no answer: retries with a doubling wait, then timeout" {
	xresp --notify-rcode -1
	start=$SECONDS
	run "$ZKIT_BIN/znotify" --timeout 1 --retries 2 example. "127.0.0.1#$PORT"
	assert_failure 2
	assert_output "127.0.0.1#$PORT: timeout (no answer after 3 tries)"
	# 1 + 2 + 4 seconds of waiting
	[ $((SECONDS - start)) -ge 6 ]
	[ "$(wc -l <"$R/queries.log")" -eq 3 ]
}

@test "several targets: each reported, the exit status says one failed" {
	xresp --notify-rcode 0
	R2=$D/r2
	mkdir -p "$R2"
	R=$R2 xresp --notify-rcode 5
	P2=$PORT
	PORT=$(cat "$D/r/responder.port")
	run "$ZKIT_BIN/znotify" example. "127.0.0.1#$PORT" "127.0.0.1#$P2"
	assert_failure 2
	assert_line --index 0 --regexp "^127\\.0\\.0\\.1#$PORT: acked"
	assert_line --index 1 --regexp "^127\\.0\\.0\\.1#$P2: REFUSED"
}

@test "targets derived from the zone file: NS minus the MNAME and this host" {
	xresp --notify-rcode 0
	host=$(hostname)
	cat >"$D/z.zone" <<-EOT
	\$TTL 300
	@	IN	SOA	ns1 hostmaster 9 3600 600 86400 300
	@	IN	NS	ns1
	@	IN	NS	ns2
	@	IN	NS	$host.
	ns1	IN	A	127.0.0.1
	ns2	IN	A	127.0.0.1
	$host.	IN	A	127.0.0.9
	EOT
	run "$ZKIT_BIN/znotify" -f "$D/z.zone" -p "$PORT" --timeout 1 --retries 0 example.
	assert_success
	assert_output --regexp "^ns2\\.example\\. \\(127\\.0\\.0\\.1#$PORT\\): acked"
	[ "${#lines[@]}" -eq 1 ]
	# The SOA of the file went out, serial 9.
	notifies | grep -q '00000009'
}

@test "targets derived by query (@server): NS and glue from the server" {
	xresp --notify-rcode 0
	T=$PORT
	cat >"$D/z.zone" <<-EOT
	\$TTL 300
	@	IN	SOA	ns1 hostmaster 9 3600 600 86400 300
	@	IN	NS	ns1
	@	IN	NS	ns2
	ns1	IN	A	127.0.0.1
	ns2	IN	A	127.0.0.1
	EOT
	zk_named_start "$D/n" NP "example.=$D/z.zone"
	run "$ZKIT_BIN/znotify" "@127.0.0.1#$NP" -p "$T" example.
	assert_success
	assert_output --regexp "^ns2\\.example\\. \\(127\\.0\\.0\\.1#$T\\): acked"
	[ "${#lines[@]}" -eq 1 ]
}

@test "--json: one object per target" {
	xresp --notify-rcode 0
	run "$ZKIT_BIN/znotify" --json example. "127.0.0.1#$PORT"
	assert_success
	assert_output --regexp "^\\{\"target\":\"127\\.0\\.0\\.1#$PORT\",\"address\":\"127\\.0\\.0\\.1#$PORT\",\"result\":\"acked\",\"tries\":1,\"ms\":[0-9]+\\}\$"
}
