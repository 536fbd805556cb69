#!/usr/bin/env bats
# zdig TSIG (RFC 8945): -y and -k against named, every failure reported
# with exit 11: wrong secret (BADSIG), wrong name (BADKEY), clock skew
# (BADTIME, zdig under faketime), truncation, an unsigned reply to a
# signed query, and a signed TC=1 reply cut short (CVE-2020-8622).

bats_require_minimum_version 1.5.0

load ../helpers/common
load ../helpers/servers

setup_file() {
	zk_require_cmd named
	export ZK_SERVERS_REGISTRY=$BATS_FILE_TMPDIR/servers
	SECRET=$(zk_random_secret)
	SECRET2=$(zk_random_secret)
	zk_named_start "$BATS_FILE_TMPDIR/named" NAMED_PORT \
		"example=$ZKIT_DATA/msg/example.zone" \
		--key "hmac-sha256:tkey:$SECRET" --key "hmac-sha512-256:tkey512:$SECRET2" \
		--key "hmac-md5:md5key:$SECRET"
	export NAMED_PORT SECRET SECRET2
}

teardown_file() {
	zk_servers_stop_all
}

setup() {
	zk_require_bin zdig
	Z=$ZKIT_BIN/zdig
}

teardown() {
	[ -z "${R:-}" ] || zk_server_stop "$R" || true
}

zq() {
	"$Z" @127.0.0.1 -p "$NAMED_PORT" +tries=1 +timeout=2 "$@"
}

@test "-y: a good key verifies; the TSIG pseudosection is shown" {
	run zq example SOA -y "hmac-sha256:tkey:$SECRET"
	assert_success
	assert_line --partial 'status: NOERROR'
	assert_line ';; TSIG PSEUDOSECTION:'
	assert_line --regexp '^tkey\.			0	ANY	TSIG	hmac-sha256\. [0-9]+ 300 32 .* NOERROR 0$'
	refute_line --partial "Couldn't verify"
	run zq example SOA -y "tkey:$SECRET" +short
	assert_success
	assert_output 'ns1.example. hostmaster.example. 2024010101 7200 3600 1209600 300'
}

@test "-y: hmac-md5 and truncated hmac-sha512-256 keys verify" {
	run zq example SOA -y "hmac-md5:md5key:$SECRET" +short
	assert_success
	assert_output 'ns1.example. hostmaster.example. 2024010101 7200 3600 1209600 300'
	run zq example SOA -y "hmac-sha512-256:tkey512:$SECRET2"
	assert_success
	assert_line --regexp '^tkey512\.		0	ANY	TSIG	hmac-sha512\. [0-9]+ 300 32 '
}

@test "-k: BIND key file (key { } block) verifies" {
	cat >"$BATS_TEST_TMPDIR/k.conf" <<-K
		key "tkey" {
		 	algorithm hmac-sha256;
		 	secret "$SECRET";
		};
	K
	run zq example SOA -k "$BATS_TEST_TMPDIR/k.conf" +short
	assert_success
	assert_output 'ns1.example. hostmaster.example. 2024010101 7200 3600 1209600 300'
}

@test "wrong secret: BADSIG from the server, exit 11" {
	run -11 zq example SOA -y "hmac-sha256:tkey:$(zk_random_secret)"
	assert_line ';; TSIG error from the server: BADSIG'
	assert_line --partial 'status: NOTAUTH'
}

@test "wrong key name: BADKEY, exit 11" {
	run -11 zq example SOA -y "hmac-sha256:nosuchkey:$SECRET" +short
	assert_line ';; TSIG error from the server: BADKEY'
}

@test "a truncated MAC the server does not accept: BADTRUNC, exit 11" {
	run -11 zq example SOA -y "hmac-sha256-128:tkey:$SECRET" +short
	assert_line ';; TSIG error from the server: BADTRUNC'
}

@test "clock skew: BADTIME, exit 11" {
	zk_require_cmd faketime
	# faketime preloads a library; ASan wants to come first unless told
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
	run -11 faketime -f +1h "$Z" @127.0.0.1 -p "$NAMED_PORT" +tries=1 +timeout=2 example SOA \
		-y "hmac-sha256:tkey:$SECRET"
	assert_line ';; TSIG error from the server: BADTIME'
}

@test "an unsigned reply to a signed query: exit 11" {
	zk_require_cmd python3
	R=$BATS_TEST_TMPDIR/r
	zk_responder_start "$R" RPORT --answer-a 192.0.2.1
	run -11 "$Z" @127.0.0.1 -p "$RPORT" +tries=1 +timeout=2 www.example -y "tkey:$SECRET"
	assert_line --regexp "^;; Couldn't verify signature: "
	assert_line --regexp '^www\.example\.		300	IN	A	192\.0\.2\.1$'
}

@test "CVE-2020-8622: a signed TC=1 reply cut short by one octet is a clean error" {
	zk_require_cmd python3
	R=$BATS_TEST_TMPDIR/r
	# header (QR AA TC, 1 question, ARCOUNT 1), www.example A IN, then a
	# TSIG RR for tkey. whose RDATA is one octet shorter than RDLENGTH.
	hex=$(python3 -c '
import struct
q = b"\x03www\x07example\x00" + struct.pack("!HH", 1, 1)
alg = b"\x0bhmac-sha256\x00"
rd = alg + struct.pack("!HIHH", 0, 1700000000, 300, 32) + b"\x11" * 32 + struct.pack("!HHH", 0, 0, 0)
tsig = b"\x04tkey\x00" + struct.pack("!HHIH", 250, 255, 0, len(rd)) + rd[:-1]
hdr = struct.pack("!HHHHHH", 0, 0x8600, 1, 0, 0, 1)
print((hdr + q + tsig).hex())')
	zk_responder_start "$R" RPORT --reply "$hex"
	run -10 "$Z" @127.0.0.1 -p "$RPORT" +tries=1 +timeout=2 www.example -y "tkey:$SECRET" +ignore +noedns
	assert_line --partial ';; Got bad packet: '
	run -10 "$Z" @127.0.0.1 -p "$RPORT" +tries=1 +timeout=2 www.example -y "tkey:$SECRET" +noedns
	assert_line --partial ';; Got bad packet: '
}
