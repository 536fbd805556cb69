#!/usr/bin/env bats
# zupdate without a real server: options, the command language (show,
# syntax errors, nothing lost), and exchanges with the hostile test
# responder (t/helpers/responder.py): unsigned and forged replies to a
# signed update, silence, error rcodes, --json, TCP, SIG(0) on the wire,
# and the interactive mode through a pty.

bats_require_minimum_version 1.5.0

load helpers/common
load helpers/servers

# A TSIG key for the responder tests (the responder cannot sign).
KEY=hmac-sha256:k:cGFzc3dvcmQtZm9yLXpraXQtdHNpZy10ZXN0cy0xMjM=

# An UPDATE reply for zone example. carrying a TSIG of key "k." with a
# made-up MAC: a forgery (the responder patches the ID in).
FORGED=0000a8000001000000000001076578616d706c650000060001
FORGED+=016b0000fa00ff00000000003d0b686d61632d73686132353600
FORGED+=00006b000000012c0020
FORGED+=4141414141414141414141414141414141414141414141414141414141414141
FORGED+=000000000000

setup() {
	zk_require_bin zupdate
	Z=$ZKIT_BIN/zupdate
	R=$BATS_TEST_TMPDIR/r
}

teardown() {
	zk_servers_stop_all
}

upd() {
	printf 'server 127.0.0.1 %s\nzone example.\nadd a.example. 60 A 192.0.2.1\nsend\n' "$1"
}

@test "-h, -V, unknown options" {
	run "$Z" -h
	assert_success
	assert_output --partial 'usage: zupdate [-d] [-D] [-v]'
	assert_output --partial '--secure=MODE'
	run "$Z" -V
	assert_success
	assert_output --regexp '^zupdate \(zkit\) '
	run "$Z" -Q
	assert_failure 1
	assert_line 'zupdate: unknown option: -Q'
	run "$Z" --secure=sometimes
	assert_failure 1
	assert_line 'zupdate: --secure=sometimes: want auto, always or never'
	run "$Z" -k a -y b:c
	assert_failure 1
	assert_line 'zupdate: -k and -y cannot be used together'
	run "$Z" -t x
	assert_failure 1
	run "$Z" -y 'nosecret'
	assert_failure 1
	assert_output --partial 'zupdate: key:'
	run "$Z" -k /nonexistent/key.conf </dev/null
	assert_failure 1
	assert_output --partial '/nonexistent/key.conf'
}

@test "show: every prerequisite and update form, origin and ttl (golden)" {
	run "$Z" "$ZKIT_DATA/zupdate/show.txt"
	# quit with a pending update: said, and exit 1
	assert_failure 1
	assert_line 'zupdate: quit: the pending update (11 records) was not sent (no `send` or blank line after it)'
	run --separate-stderr "$Z" "$ZKIT_DATA/zupdate/show.txt"
	[ "$output" = "$(cat "$ZKIT_DATA/zupdate/show.out")" ]
}

@test "syntax errors: file:line and a clear message, nothing sent, exit 1" {
	local f=$BATS_TEST_TMPDIR/cmds
	while IFS='|' read -r line msg; do
		printf 'server 127.0.0.1 9\nzone example.\nadd ok.example. 60 A 192.0.2.1\n%s\nsend\n' \
			"$line" >"$f"
		run "$Z" "$f"
		assert_failure 1
		assert_line "zupdate: $f:4: $msg"
		assert_line "zupdate: $f:4: stopped; the pending update (1 record) was not sent"
	done <<'EOF'
frobnicate x|unknown command 'frobnicate'
add x.example. 60 A 300.1.1.1|bad A data: bad IPv4 address '300.1.1.1'
add x.example. A 192.0.2.1|add: a TTL is needed (or set one with `ttl`)
add x.example. 60 A|add: record data is needed
add x.example. 60 AXFR \# 0|add: AXFR is a meta type, not zone data
add x.example. 60 CH A 192.0.2.1|class mismatch: CH (the update's class is IN; use `class CH` first)
add x..example. 60 A 192.0.2.1|bad name 'x..example.': empty label at position 3 in name
prereq maybe x.example.|prereq: unknown kind 'maybe' (nxdomain, yxdomain, nxrrset, yxrrset)
prereq nxdomain x.example. A|prereq: extra text after the name: 'A'
prereq nxrrset x.example. A 192.0.2.1|prereq nxrrset takes no record data
prereq yxrrset x.example.|prereq: a type is needed
update replace x.example.|update: want add or delete, not 'replace'
class ANY|class: ANY and NONE are not zone classes
EOF
}

@test "end of input without send: said, exit 1; a blank line sends" {
	run "$Z" <<<'zone example.
add a.example. 60 A 192.0.2.1'
	assert_failure 1
	assert_output 'zupdate: end of input: the pending update (1 record) was not sent (no `send` or blank line after it)'
	# send with nothing pending: nothing happens
	run "$Z" -d <<<'send

send'
	assert_success
	assert_output $';; nothing to send\n;; nothing to send'
}

@test "a record outside the zone is caught before sending (NOTZONE)" {
	run "$Z" <<<'server 127.0.0.1 9
zone example.
add a.example.net. 60 A 192.0.2.1
send'
	assert_failure 1
	assert_output --partial 'update failed: a.example.net. is not in zone example. (the server would answer NOTZONE)'
}

@test "unsigned replies to a signed update are dropped: no valid reply, exit 3" {
	zk_require_cmd python3 ss
	zk_responder_start "$R" PORT --udp
	run timeout 20 "$Z" --secure=always -y "$KEY" -u 1 -r 1 <<<"$(upd "$PORT")"
	assert_failure 3
	assert_output --partial "update failed: 127.0.0.1#$PORT: no valid reply after 2 tries; 2 replies dropped because not validly signed (last: unsigned reply (rcode NOERROR): reply is not signed (the request was signed))"
	[ "$(wc -l <"$R/queries.log")" -eq 2 ]
}

@test "a forged TSIG reply is dropped (BADSIG), exit 3" {
	zk_require_cmd python3 ss
	zk_responder_start "$R" PORT --udp --reply "$FORGED"
	run timeout 20 "$Z" --secure=always -y "$KEY" -u 1 -r 0 -d <<<"$(upd "$PORT")"
	assert_failure 3
	assert_output --partial ';; dropped a reply that is not validly signed: forged reply (rcode NOERROR): BADSIG: the MAC does not verify'
	assert_output --partial '1 reply dropped because not validly signed'
}

@test "a silent server: bounded time-out, exit 4" {
	zk_require_cmd python3 ss
	zk_responder_start "$R" PORT --udp --mode silent
	SECONDS=0
	run timeout 20 "$Z" -u 1 -r 2 <<<"$(upd "$PORT")"
	assert_failure 4
	assert_output --partial "update failed: 127.0.0.1#$PORT: no reply after 3 tries"
	[ "$SECONDS" -lt 8 ]
	[ "$(wc -l <"$R/queries.log")" -eq 3 ]
	# -t bounds the whole update
	SECONDS=0
	run timeout 20 "$Z" -t 1 -u 5 <<<"$(upd "$PORT")"
	assert_failure 4
	[ "$SECONDS" -lt 4 ]
}

@test "error rcodes are explained in one line (exit 2)" {
	zk_require_cmd python3 ss
	while IFS='|' read -r rc text; do
		zk_responder_start "$R.$rc" PORT --udp --rcode "$rc"
		run timeout 20 "$Z" --secure=never -u 1 <<<"$(upd "$PORT")"
		assert_failure 2
		assert_line --partial "zupdate: update failed: $text [zone example., server 127.0.0.1#$PORT]"
		zk_server_stop "$R.$rc"
	done <<'EOF'
1|FORMERR: the server could not parse the update
2|SERVFAIL: the server failed while applying the update
4|NOTIMP: the server does not implement dynamic update
9|NOTAUTH: the server is not authoritative for the zone or did not accept the request's signature
10|NOTZONE: a record is outside the zone named in the update
EOF
	zk_responder_start "$R" PORT --udp --rcode 5
	run timeout 20 "$Z" -u 1 <<<"$(upd "$PORT")"
	assert_failure 2
	assert_output --partial 'REFUSED: the server refused the update (not allowed for this client or key) (hint: the server may require a signed update'
}

@test "--json: one object per send" {
	zk_require_cmd python3 ss
	zk_responder_start "$R" PORT --udp --mode reply,reply,silent
	run --separate-stderr timeout 20 "$Z" --json -u 1 -r 0 <<<"server 127.0.0.1 $PORT
zone example.
add a.example. 60 A 192.0.2.1
send
prereq nxdomain b.example.
add b.example. 60 A 192.0.2.2
send
add c.example. 60 A 192.0.2.3
send"
	assert_failure 4
	[ "${#lines[@]}" -eq 3 ]
	[[ ${lines[0]} == '{"zone":"example.","server":"127.0.0.1#'$PORT'","rcode":"NOERROR","ok":true,"exit":0,"security":"none","tsig":null,"ignored_replies":0,"time_ms":'*',"prereqs":0,"updates":1,"error":null}' ]]
	[[ ${lines[1]} == *'"prereqs":1,"updates":1,"error":null}' ]]
	[[ ${lines[2]} == *'"rcode":null,"ok":false,"exit":4,'*'"error":"127.0.0.1#'$PORT': no reply after 1 try"}' ]]
}

@test "-v and large updates go over TCP" {
	zk_require_cmd python3 ss
	zk_responder_start "$R" PORT --tcp
	run timeout 20 "$Z" -v <<<"$(upd "$PORT")"
	assert_success
	grep -q '^tcp ' "$R/queries.log"
	zk_server_stop "$R"
	# over 512 octets: straight to TCP (the responder serves both)
	zk_responder_start "$R.2" PORT
	local f=$BATS_TEST_TMPDIR/big i
	{
		echo "server 127.0.0.1 $PORT"
		echo "zone example."
		for i in $(seq 1 20); do echo "add t$i.example. 60 TXT \"$(printf '%040d' "$i")\""; done
		echo send
	} >"$f"
	run timeout 20 "$Z" "$f"
	assert_success
	[ "$(cut -d' ' -f1 "$R.2/queries.log")" = tcp ]
}

@test "SIG(0): each algorithm signs the request (RFC 2931 record on the wire)" {
	zk_require_cmd python3 ss
	local k base tag alg
	for k in "$ZKIT_DATA"/zupdate/sig0/K*.private; do
		base=$(basename "$k" .private)
		alg=${base#*+}
		alg=${alg%%+*}
		tag=${base##*+}
		zk_responder_start "$R.$alg" PORT --udp
		run timeout 20 "$Z" --secure=always -k "$k" <<<"$(upd "$PORT")"
		assert_success
		local q
		q=$(cut -d' ' -f2 "$R.$alg/queries.log")
		# ARCOUNT 1; SIG RR: root owner, type 24, class ANY, TTL 0; rdata:
		# type covered 0, algorithm, labels 0, original TTL 0, ... key tag,
		# signer host.example.
		[ "${q:20:4}" = 0001 ]
		[[ $q == *00001800ff00000000????0000$(printf '%02x' $((10#$alg)))0000000000????????????????$(printf '%04x' $((10#$tag)))04686f7374076578616d706c6500* ]]
		zk_server_stop "$R.$alg"
	done
}

@test "interactive: prompt, commands, show, history file (through a pty)" {
	zk_require_cmd script
	local home=$BATS_TEST_TMPDIR/home
	mkdir -p "$home"
	run env HOME="$home" TERM=dumb timeout 20 script -qec "$Z" /dev/null <<<'zone example.
add a.example. 60 A 192.0.2.1
show
quit'
	assert_output --partial '> '
	assert_output --partial 'Outgoing update query:'
	assert_output --regexp $'a\\.example\\.\t+60\tIN\tA\t192\\.0\\.2\\.1'
	assert_output --partial 'quit: the pending update (1 record) was not sent'
	[ -f "$home/.zupdate_history" ]
	# libedit's format: a header line, blanks as \040
	grep -qx 'add\\040a.example.\\04060\\040A\\040192.0.2.1' "$home/.zupdate_history"
}

@test "interactive: tab completes commands, prerequisite kinds and types" {
	zk_require_cmd script
	local home=$BATS_TEST_TMPDIR/home
	mkdir -p "$home"
	run env HOME="$home" TERM=xterm timeout 20 script -qec "$Z" /dev/null <<<$'zon\texample.\nprereq nxd\ta.example.\nprereq nxr\ta.example. AAA\t\nsh\t\nkey\nquit'
	assert_output --partial 'Outgoing update query:'
	assert_output --regexp $'a\\.example\\.\t+0\tNONE\tANY'
	assert_output --regexp $'a\\.example\\.\t+0\tNONE\tAAAA'
	assert_output --partial 'quit: the pending update (2 records) was not sent'
}

@test "a failed send: the update is shown as not applied, show prints it, the next one starts afresh" {
	local port
	port=$(zk_free_port)
	run timeout 20 "$Z" -u 1 -r 0 <<<"server 127.0.0.1 $port
zone example.
add a.example. 60 A 192.0.2.1
send
show
add b.example. 60 A 192.0.2.2
show
quit"
	assert_failure 1
	assert_line 'Not applied:'
	assert_line 'Last failed update (not applied):'
	assert_line 'Outgoing update query:'
	# the second show holds only b
	[ "$(grep -c $'^a\\.example\\.' <<<"$output")" -eq 2 ]
	[ "$(grep -c $'^b\\.example\\.' <<<"$output")" -eq 1 ]
}

@test "over TCP too, a forged reply is dropped and the wait stays bounded" {
	zk_require_cmd python3 ss
	zk_responder_start "$R" PORT --tcp --reply "$FORGED"
	SECONDS=0
	run timeout 20 "$Z" -v -t 2 --secure=always -y "$KEY" <<<"$(upd "$PORT")"
	assert_failure 3
	assert_output --partial "update failed: 127.0.0.1#$PORT: no valid reply over TCP in time; 1 reply dropped because not validly signed (last: forged reply (rcode NOERROR): BADSIG"
	[ "$SECONDS" -lt 6 ]
}

@test "-l: local-host only, the port from -p" {
	zk_require_cmd python3 ss
	zk_responder_start "$R" PORT --udp
	run timeout 20 "$Z" -l -p "$PORT" -d <<<'zone example.
add a.example. 60 A 192.0.2.1
send'
	assert_success
	assert_output --partial "update applied (zone example., server 127.0.0.1#$PORT"
}
