#!/usr/bin/env bats
# zupdate against Knot DNS (knotd) with TSIG ACLs: adds, deletes,
# prerequisites, each HMAC, the auto policy (knotd answers NOTAUTH to an
# unsigned update it does not allow), BADKEY and BADSIG. Zone contents are
# checked with dig/AXFR.

load ../helpers/common
load ../helpers/servers

ALGS="hmac-md5 hmac-sha1 hmac-sha224 hmac-sha256 hmac-sha384 hmac-sha512"

setup_file() {
	zk_require_cmd knotd dig ss
	export ZK_SERVERS_REGISTRY=$BATS_FILE_TMPDIR/.zk-servers
	local args=() a upd=''
	for a in $ALGS; do
		local sec
		sec=$(zk_random_secret)
		export "SECRET_${a//-/_}=$sec"
		args+=(--key "$a:k-$a:$sec")
		upd+=",update=k-$a"
	done
	zk_knotd_start "$BATS_FILE_TMPDIR/k" KP "example=$ZKIT_DATA/zupdate/example.zone$upd" \
		"${args[@]}"
	export KP
}

teardown_file() {
	ZK_SERVERS_REGISTRY=$BATS_FILE_TMPDIR/.zk-servers zk_servers_stop_all
}

setup() {
	zk_require_cmd knotd dig
	zk_require_bin zupdate
	Z=$ZKIT_BIN/zupdate
}

secret() {
	local v="SECRET_${1//-/_}"
	echo "${!v}"
}

key512() {
	echo "hmac-sha512:k-hmac-sha512:$(secret hmac-sha512)"
}

short() {
	dig +short +tries=1 +time=2 @127.0.0.1 -p "$KP" "$@"
}

zone_data() {
	dig +tries=1 +time=2 @127.0.0.1 -p "$KP" example AXFR +noall +answer |
		awk '$4 != "SOA" {print $1, $2, $4, $5, $6}' | sort
}

upd() {
	printf 'server 127.0.0.1 %s\nzone example.\n%s\nsend\n' "$KP" "$1"
}

@test "knotd: add and delete with TSIG, verified by AXFR" {
	run "$Z" --secure=always -y "$(key512)" <<<"$(upd 'add k1.example. 300 A 192.0.2.1
add k1.example. 300 A 192.0.2.2
add k2.example. 300 MX 10 k1.example.')"
	assert_success
	run zone_data
	assert_line 'k1.example. 300 A 192.0.2.1 '
	assert_line 'k1.example. 300 A 192.0.2.2 '
	assert_line 'k2.example. 300 MX 10 k1.example.'
	run "$Z" --secure=always -y "$(key512)" <<<"$(upd 'del k1.example. A 192.0.2.1
del k2.example.')"
	assert_success
	run zone_data
	refute_line 'k1.example. 300 A 192.0.2.1 '
	assert_line 'k1.example. 300 A 192.0.2.2 '
	refute_output --partial k2.example.
}

@test "knotd: prerequisites hold and fail" {
	run "$Z" --secure=always -y "$(key512)" <<<"$(upd 'prereq nxdomain kp.example.
prereq yxrrset www.example. A 192.0.2.1
add kp.example. 60 TXT "made"')"
	assert_success
	[ "$(short kp.example TXT)" = '"made"' ]
	run "$Z" --secure=always -y "$(key512)" <<<"$(upd 'prereq nxdomain kp.example.
add kp.example. 60 TXT "again"')"
	assert_failure 2
	assert_output --partial 'update failed: YXDOMAIN: prerequisite failed'
	run "$Z" --secure=always -y "$(key512)" <<<"$(upd 'prereq nxrrset kp.example. TXT
add kp.example. 60 TXT "again"')"
	assert_failure 2
	assert_output --partial 'YXRRSET'
	run "$Z" --secure=always -y "$(key512)" <<<"$(upd 'prereq yxrrset kp.example. TXT "other"
add kp.example. 60 TXT "again"')"
	assert_failure 2
	assert_output --partial 'NXRRSET'
	[ "$(short kp.example TXT)" = '"made"' ]
}

@test "knotd: each HMAC" {
	for a in $ALGS; do
		run "$Z" --secure=always -y "$a:k-$a:$(secret "$a")" \
			<<<"$(upd "add kh-$a.example. 60 TXT \"$a\"")"
		assert_success
		[ "$(short "kh-$a.example" TXT)" = "\"$a\"" ]
	done
}

@test "knotd: auto policy retries signed after NOTAUTH; without a key the hint" {
	run "$Z" -d -y "$(key512)" <<<"$(upd 'add ka.example. 60 A 192.0.2.9')"
	assert_success
	assert_line ';; unsigned update refused: retrying signed with key k-hmac-sha512.'
	[ "$(short ka.example A)" = 192.0.2.9 ]
	run "$Z" <<<"$(upd 'add kb.example. 60 A 192.0.2.9')"
	assert_failure 2
	assert_output --partial 'update failed: NOTAUTH:'
	assert_output --partial 'hint: the server may require a signed update'
}

@test "knotd: BADKEY and BADSIG, exit 3" {
	run "$Z" --secure=always -y "hmac-sha512:unknown:$(secret hmac-sha512)" \
		<<<"$(upd 'add kx.example. 60 A 192.0.2.9')"
	assert_failure 3
	assert_output --partial 'update failed: NOTAUTH/BADKEY'
	run "$Z" --secure=always -y "hmac-sha512:k-hmac-sha512:$(zk_random_secret)" \
		<<<"$(upd 'add kx.example. 60 A 192.0.2.9')"
	assert_failure 3
	assert_output --partial 'update failed: NOTAUTH/BADSIG'
	[ -z "$(short kx.example A)" ]
}
