#!/usr/bin/env bats
# zsign end to end: the signed zone served by named on loopback, validated
# by delv with our DS (from zkeysign ds) as the trust anchor, queried with
# dig +dnssec. (zdig +dnssec will replace dig once zdig sends queries.)

load ../helpers/common
load ../helpers/servers

setup() {
	zk_require_bin zsign zkeygen zkeysign
	zk_require_cmd named delv dig
	D=$(zk_tmpdir interop)
	cd "$D" || return 1
}

teardown() {
	zk_servers_stop_all
}

# serve_and_validate ALG ZSIGN-OPTIONS...
serve_and_validate() {
	local alg=$1 ds
	shift
	"$ZKIT_BIN/zkeygen" -q -a "$alg" -f KSK example.com >ksk
	"$ZKIT_BIN/zkeygen" -q -a "$alg" example.com >/dev/null
	"$ZKIT_BIN/zsign" -q -a -o example.com -f example.com.signed "$@" \
		"$ZKIT_DATA/demo/example.com.zone"
	zk_named_start "$D/named" PORT "example.com.=$D/example.com.signed"
	# The DS for the parent, as the trust anchor (RFC 4034 §5).
	ds=$("$ZKIT_BIN/zkeysign" ds -a sha256 "$(cat ksk).key" | awk '{ print $4, $5, $6, $7 }')
	set -- $ds
	cat >anchor <<EOF
trust-anchors {
	example.com. static-ds $1 $2 $3 "$4";
};
EOF
	run delv @127.0.0.1 -p "$PORT" -a anchor +root=example.com www.example.com A
	assert_success
	assert_output --partial "; fully validated"
	assert_output --partial "www.example.com."
	# NXDOMAIN proven by the chain.
	run delv @127.0.0.1 -p "$PORT" -a anchor +root=example.com nope.example.com A
	assert_output --partial "; negative response, fully validated"
	# A delegation: the DS is signed and validated.
	run delv @127.0.0.1 -p "$PORT" -a anchor +root=example.com sub.example.com DS
	assert_output --partial "; fully validated"
	run zk_dig "$PORT" +dnssec +norec www.example.com A
	assert_success
	assert_output --partial "RRSIG"
	assert_output --partial "flags: qr aa"
}

@test "ECDSAP256SHA256 NSEC zone validates with delv through named" {
	serve_and_validate ECDSAP256SHA256
}

@test "ED25519 NSEC3 (no salt) zone validates with delv through named" {
	serve_and_validate ED25519 -3 -
}

@test "RSASHA256 NSEC3 opt-out zone validates with delv through named" {
	serve_and_validate RSASHA256 -3 - -A
}
