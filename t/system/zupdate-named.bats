#!/usr/bin/env bats
# zupdate against BIND named: adds, deletes, every prerequisite kind with
# success and failure, each HMAC, key files, the --secure policies, TSIG
# failures (BADKEY, BADSIG, BADTIME), REFUSED without a key, a server that
# is down, discovery of zone and primary through a resolv.conf pointing at
# named (with fall-back to another NS), BIND's man-page scripts unchanged,
# and the wire nsupdate sends. Zone contents are checked with dig/AXFR
# after each update.

bats_require_minimum_version 1.5.0

load ../helpers/common
load ../helpers/servers

ALGS="hmac-md5 hmac-sha1 hmac-sha224 hmac-sha256 hmac-sha384 hmac-sha512"

setup_file() {
	zk_require_cmd named dig ss
	export ZK_SERVERS_REGISTRY=$BATS_FILE_TMPDIR/.zk-servers
	local args=() a upd=''
	for a in $ALGS; do
		local sec
		sec=$(zk_random_secret)
		export "SECRET_${a//-/_}=$sec"
		args+=(--key "$a:k-$a:$sec")
		upd+=",update=k-$a"
	done
	zk_named_start "$BATS_FILE_TMPDIR/n" NP \
		"example=$ZKIT_DATA/zupdate/example.zone$upd" \
		"example.com=$ZKIT_DATA/zupdate/example.com.zone,update=any" \
		"fallback.test=$ZKIT_DATA/zupdate/fallback.zone,update=any" \
		"${args[@]}"
	export NP
	printf 'nameserver 127.0.0.1\n' >"$BATS_FILE_TMPDIR/resolv.conf"
}

teardown_file() {
	ZK_SERVERS_REGISTRY=$BATS_FILE_TMPDIR/.zk-servers zk_servers_stop_all
}

setup() {
	zk_require_cmd named dig
	zk_require_bin zupdate
	Z=$ZKIT_BIN/zupdate
}

secret() {
	local v="SECRET_${1//-/_}"
	echo "${!v}"
}

key256() {
	echo "hmac-sha256:k-hmac-sha256:$(secret hmac-sha256)"
}

# zone records, no SOA, sorted
zone_data() {
	dig +tries=1 +time=2 @127.0.0.1 -p "$NP" "$1" AXFR +noall +answer |
		awk '$4 != "SOA" {print $1, $2, $4, $5, $6, $7}' | sort
}

short() {
	dig +short +tries=1 +time=2 @127.0.0.1 -p "$NP" "$@"
}

upd() {
	printf 'server 127.0.0.1 %s\nzone example.\n%s\nsend\n' "$NP" "$1"
}

@test "add, delete an RR, delete an RRset, delete a name: zone checked by AXFR" {
	run "$Z" -y "$(key256)" <<<"$(upd 'update add a1.example. 300 A 192.0.2.11
update add a1.example. 300 A 192.0.2.12
update add a1.example. 300 TXT "first" "second"
add a2.example. 600 IN AAAA 2001:db8::2')"
	assert_success
	assert_output ''
	run zone_data example
	assert_line 'a1.example. 300 A 192.0.2.11  '
	assert_line 'a1.example. 300 A 192.0.2.12  '
	assert_line 'a1.example. 300 TXT "first" "second" '
	assert_line 'a2.example. 600 AAAA 2001:db8::2  '

	run "$Z" -y "$(key256)" <<<"$(upd 'update delete a1.example. A 192.0.2.11')"
	assert_success
	[ "$(short a1.example A)" = 192.0.2.12 ]
	run "$Z" -y "$(key256)" <<<"$(upd 'update delete a1.example. A')"
	assert_success
	[ -z "$(short a1.example A)" ]
	[ "$(short a1.example TXT)" = '"first" "second"' ]
	run "$Z" -y "$(key256)" <<<"$(upd 'del a1.example.
del a2.example.')"
	assert_success
	run zone_data example
	refute_output --partial a1.example.
	refute_output --partial a2.example.
}

@test "every prerequisite kind: success applies the update, failure names the rcode" {
	run "$Z" -y "$(key256)" <<<"$(upd 'add p.example. 300 A 192.0.2.20')"
	assert_success
	# kind | holds for p.example. (exists with A 192.0.2.20) | rcode when it fails
	while IFS='|' read -r ok bad rcode; do
		run "$Z" --secure=always -y "$(key256)" <<<"$(upd "prereq $ok
del mark.example. TXT
add mark.example. 60 TXT \"$ok\"")"
		assert_success
		[ "$(short mark.example TXT)" = "\"$ok\"" ]
		run "$Z" --secure=always -y "$(key256)" <<<"$(upd "prereq $bad
add mark.example. 60 TXT \"never\"")"
		assert_failure 2
		assert_output --partial "update failed: $rcode: prerequisite failed"
		assert_output --partial 'Not applied:'
		assert_output --partial $'mark.example.\t\t60\tIN\tTXT\t"never"'
		[ "$(short mark.example TXT)" = "\"$ok\"" ]
	done <<'EOF'
yxdomain p.example.|yxdomain nop.example.|NXDOMAIN
nxdomain nop.example.|nxdomain p.example.|YXDOMAIN
yxrrset p.example. A|yxrrset p.example. MX|NXRRSET
yxrrset p.example. IN A 192.0.2.20|yxrrset p.example. A 192.0.2.99|NXRRSET
nxrrset p.example. MX|nxrrset p.example. A|YXRRSET
EOF
}

@test "each HMAC: md5, sha1, sha224, sha256, sha384, sha512" {
	for a in $ALGS; do
		run "$Z" --secure=always --json -y "$a:k-$a:$(secret "$a")" \
			<<<"$(upd "add h-$a.example. 60 TXT \"$a\"")"
		assert_success
		assert_output --partial '"rcode":"NOERROR","ok":true,"exit":0,"security":"tsig"'
		assert_output --partial "\"key\":\"k-$a.\",\"tsig\":\"ok\""
		[ "$(short "h-$a.example" TXT)" = "\"$a\"" ]
	done
}

@test "-k with a named.conf key block, and the key command" {
	local d
	d=$(zk_tmpdir)
	printf '# made for this test\nkey "k-hmac-sha384" {\n\talgorithm hmac-sha384;\n\tsecret "%s";\n};\n' \
		"$(secret hmac-sha384)" >"$d/tsig.key"
	run "$Z" --secure=always -k "$d/tsig.key" <<<"$(upd 'add kf.example. 60 A 192.0.2.30')"
	assert_success
	[ "$(short kf.example A)" = 192.0.2.30 ]
	run "$Z" --secure=always <<<"key hmac-sha1:k-hmac-sha1 $(secret hmac-sha1)
$(upd 'add kc.example. 60 A 192.0.2.31')"
	assert_success
	[ "$(short kc.example A)" = 192.0.2.31 ]
}

@test "--secure=auto: unsigned first, signed after REFUSED; always; never" {
	run "$Z" -d -y "$(key256)" <<<"$(upd 'add auto.example. 60 A 192.0.2.40')"
	assert_success
	assert_line ';; sending the update for example. (unsigned)'
	assert_line ';; unsigned update refused: retrying signed with key k-hmac-sha256.'
	assert_line ';; sending the update for example. (TSIG-signed)'
	[ "$(short auto.example A)" = 192.0.2.40 ]

	run "$Z" -d --secure=always -y "$(key256)" <<<"$(upd 'add always.example. 60 A 192.0.2.41')"
	assert_success
	refute_line ';; sending the update for example. (unsigned)'
	assert_line ';; sending the update for example. (TSIG-signed)'

	run "$Z" -d --secure=never -y "$(key256)" <<<"$(upd 'add never.example. 60 A 192.0.2.42')"
	assert_failure 2
	assert_output --partial 'update failed: REFUSED: the server refused the update'
	refute_output --partial 'TSIG-signed'
	[ -z "$(short never.example A)" ]

	# always without any key: nothing is sent
	run "$Z" --secure=always <<<"$(upd 'add never.example. 60 A 192.0.2.42')"
	assert_failure 1
	assert_output --partial '--secure=always but no key'
}

@test "REFUSED without a key: the hint says a key may be needed" {
	run "$Z" <<<"$(upd 'add nokey.example. 60 A 192.0.2.50')"
	assert_failure 2
	assert_output --partial 'update failed: REFUSED: the server refused the update (not allowed for this client or key) (hint: the server may require a signed update: give a key with -k FILE or -y [alg:]name:secret) [zone example., server 127.0.0.1#'
}

@test "wrong key name: BADKEY, exit 3" {
	run "$Z" --secure=always -y "hmac-sha256:nosuchkey:$(secret hmac-sha256)" \
		<<<"$(upd 'add bad.example. 60 A 192.0.2.51')"
	assert_failure 3
	assert_output --partial 'update failed: NOTAUTH/BADKEY: the server does not know our TSIG key'
	# the right name with the wrong algorithm is BADKEY too
	run "$Z" --secure=always -y "hmac-sha512:k-hmac-sha256:$(secret hmac-sha256)" \
		<<<"$(upd 'add bad.example. 60 A 192.0.2.51')"
	assert_failure 3
	assert_output --partial 'NOTAUTH/BADKEY'
	[ -z "$(short bad.example A)" ]
}

@test "wrong secret: BADSIG, exit 3" {
	run "$Z" --secure=always -y "hmac-sha256:k-hmac-sha256:$(zk_random_secret)" \
		<<<"$(upd 'add bad.example. 60 A 192.0.2.52')"
	assert_failure 3
	assert_output --partial 'update failed: NOTAUTH/BADSIG: the server could not verify our TSIG: wrong secret'
	[ -z "$(short bad.example A)" ]
}

@test "skewed clock: BADTIME, exit 3" {
	run "$Z" --secure=always --clock-skew 3600 -y "$(key256)" \
		<<<"$(upd 'add bad.example. 60 A 192.0.2.53')"
	assert_failure 3
	assert_output --partial 'update failed: NOTAUTH/BADTIME: our clock and the server'"'"'s differ'
	[ -z "$(short bad.example A)" ]
}

@test "server down: connection refused, exit 4, the update shown as not applied" {
	local port
	port=$(zk_free_port)
	run timeout 20 "$Z" -u 1 -r 1 <<<"server 127.0.0.1 $port
zone example.
add down.example. 60 A 192.0.2.54
send"
	assert_failure 4
	assert_output --partial "update failed: 127.0.0.1#$port: connection refused (server down?)"
	assert_output --partial $'down.example.\t\t60\tIN\tA\t192.0.2.54'
}

@test "discovery: zone and primary from a resolv.conf pointing at named (-D shows the steps)" {
	run "$Z" -D --resolv-conf "$BATS_FILE_TMPDIR/resolv.conf" -p "$NP" -y "$(key256)" <<'EOF'
update add deep.d1.d2.example. 60 A 192.0.2.60
send
EOF
	assert_success
	assert_line ";; finding the zone: SOA query for deep.d1.d2.example. to 127.0.0.1#$NP"
	assert_line ';;   zone example., primary (SOA MNAME) ns.example.'
	assert_line ";; update goes to 127.0.0.1#$NP"
	[ "$(short deep.d1.d2.example A)" = 192.0.2.60 ]
	# the environment variable works the same way
	ZUPDATE_RESOLV_CONF=$BATS_FILE_TMPDIR/resolv.conf run "$Z" -p "$NP" -y "$(key256)" <<'EOF'
update add env.example. 60 A 192.0.2.61

EOF
	assert_success
	[ "$(short env.example A)" = 192.0.2.61 ]
}

@test "discovery: the primary is down, the zone's other NS takes the update" {
	run "$Z" -D --resolv-conf "$BATS_FILE_TMPDIR/resolv.conf" -p "$NP" -u 1 -r 0 <<'EOF'
update add fb.fallback.test. 60 A 192.0.2.70
send
EOF
	assert_success
	assert_line ';;   zone fallback.test., primary (SOA MNAME) dead.fallback.test.'
	assert_line ';; the primary did not answer: trying the zone'"'"'s other name servers'
	assert_line ';; trying name server ns.fallback.test.'
	[ "$(short fb.fallback.test A)" = 192.0.2.70 ]
}

@test "discovery fails clearly: no SOA anywhere, exit 5" {
	run "$Z" --resolv-conf "$BATS_FILE_TMPDIR/resolv.conf" -p "$NP" <<'EOF'
update add x.nowhere.invalid. 60 A 192.0.2.1
send
EOF
	assert_failure 5
	assert_output --partial 'update failed: could not find the zone:'
	run --separate-stderr "$Z" --json --resolv-conf "$BATS_FILE_TMPDIR/resolv.conf" -p "$NP" <<'EOF'
update add x.nowhere.invalid. 60 A 192.0.2.1
send
EOF
	assert_failure 5
	[[ $output == '{"zone":null,"server":null,"rcode":null,"ok":false,"exit":5,"security":"none",'* ]]
	[[ $output == *'"error":"could not find the zone: '* ]]
}

@test "BIND's nsupdate man-page scripts run unchanged" {
	run "$Z" --resolv-conf "$BATS_FILE_TMPDIR/resolv.conf" -p "$NP" \
		"$ZKIT_DATA/zupdate/bind-man-1.txt"
	assert_success
	[ -z "$(short oldhost.example.com A)" ]
	[ "$(short newhost.example.com A)" = 172.16.1.1 ]
	run zone_data example.com
	assert_line 'newhost.example.com. 86400 A 172.16.1.1  '
	run "$Z" --resolv-conf "$BATS_FILE_TMPDIR/resolv.conf" -p "$NP" \
		<"$ZKIT_DATA/zupdate/bind-man-2.txt"
	assert_success
	[ "$(short nickname.example.com CNAME)" = somehost.example.com. ]
	# the prerequisite now fails
	run "$Z" --resolv-conf "$BATS_FILE_TMPDIR/resolv.conf" -p "$NP" \
		<"$ZKIT_DATA/zupdate/bind-man-2.txt"
	assert_failure 2
	assert_output --partial 'YXDOMAIN'
}

@test "answer prints the signed reply; the zone's SOA serial moved" {
	local before after
	before=$(short example SOA | awk '{print $3}')
	run "$Z" -y "$(key256)" --secure=always <<<"$(upd 'add ans.example. 60 A 192.0.2.80')
answer"
	assert_success
	assert_line 'Answer:'
	assert_output --regexp ';; ->>HEADER<<- opcode: UPDATE, status: NOERROR, id: [0-9]+'
	assert_line ';; TSIG PSEUDOSECTION:'
	assert_output --regexp $'k-hmac-sha256\\.\t+0\tANY\tTSIG\thmac-sha256\\. '
	after=$(short example SOA | awk '{print $3}')
	[ "$after" -gt "$before" ]
}

@test "the update on the wire is the one nsupdate sends" {
	zk_require_cmd nsupdate python3
	local r1=$BATS_TEST_TMPDIR/r1 r2=$BATS_TEST_TMPDIR/r2 p1 p2
	zk_responder_start "$r1" P1 --udp --count 1 --timeout 20
	zk_responder_start "$r2" P2 --udp --count 1 --timeout 20
	printf 'server 127.0.0.1 %s\n' "$P1" | cat - "$ZKIT_DATA/zupdate/prereqs.txt" |
		nsupdate -t 3 || true
	printf 'server 127.0.0.1 %s\n' "$P2" | cat - "$ZKIT_DATA/zupdate/prereqs.txt" |
		"$Z" -t 3 || true
	zk_server_stop "$r1"
	zk_server_stop "$r2"
	p1=$(cut -d' ' -f2 "$r1/queries.log" | cut -c5-)
	p2=$(cut -d' ' -f2 "$r2/queries.log" | cut -c5-)
	[ -n "$p1" ]
	[ "$p1" = "$p2" ]
	[ "0000$p2" = "$(grep -v '^#' "$ZKIT_DATA/zupdate/prereqs.nsupdate.hex")" ]
}

@test "a spoofed unsigned reply is dropped while waiting for the signed one" {
	zk_require_cmd python3
	local pf=$BATS_TEST_TMPDIR/proxy.port pid port
	python3 "$ZKIT_DATA/zupdate/spoof-proxy.py" "$pf" "$NP" 3>&- &
	pid=$!
	for _ in $(seq 1 50); do [ -s "$pf" ] && break; sleep 0.1; done
	port=$(cat "$pf")
	run "$Z" -d --secure=always -y "$(key256)" <<<"server 127.0.0.1 $port
zone example.
add spoof.example. 60 A 192.0.2.90
send"
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	assert_success
	assert_line --partial ';; dropped a reply that is not validly signed: unsigned reply (rcode NOERROR)'
	assert_line --partial ';; update applied (zone example., server 127.0.0.1#'
	[ "$(short spoof.example A)" = 192.0.2.90 ]
}

@test "zone given, no server: the primary comes from the zone's SOA" {
	run "$Z" -D --resolv-conf "$BATS_FILE_TMPDIR/resolv.conf" -p "$NP" -y "$(key256)" <<'EOF2'
zone example.
add zonly.example. 60 A 192.0.2.91
send
EOF2
	assert_success
	assert_line ";; finding the zone: SOA query for example. to 127.0.0.1#$NP"
	assert_line ';; resolving the primary ns.example'
	[ "$(short zonly.example A)" = 192.0.2.91 ]
}

@test "local: the source address of the update" {
	run "$Z" -y "$(key256)" <<<"server 127.0.0.1 $NP
local 127.0.0.1
zone example.
add local.example. 60 A 192.0.2.92
send"
	assert_success
	[ "$(short local.example A)" = 192.0.2.92 ]
	run "$Z" <<<"local example.net"
	assert_failure 1
	assert_output --partial 'local: want an address, not a host name'
}
