#!/usr/bin/env bats
# zdig +tls (DNS over TLS, RFC 7858) against named 9.18 `listen-on tls`
# with a test CA made here: opportunistic TLS, verification of the chain
# and of the name or address, and the failures.

bats_require_minimum_version 1.5.0

load ../helpers/common
load ../helpers/servers

setup_file() {
	zk_require_cmd named openssl
	export ZK_SERVERS_REGISTRY=$BATS_FILE_TMPDIR/servers
	T=$BATS_FILE_TMPDIR/pki
	mkdir -p "$T"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/ca.key" \
		-out "$T/ca.pem" -days 2 -subj /CN=zkit-test-ca 2>/dev/null
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/srv.key" \
		-out "$T/srv.csr" -subj /CN=ns.zkit.test 2>/dev/null
	printf 'subjectAltName=DNS:ns.zkit.test,IP:127.0.0.1\n' >"$T/ext"
	openssl x509 -req -in "$T/srv.csr" -CA "$T/ca.pem" -CAkey "$T/ca.key" -CAcreateserial \
		-out "$T/srv.pem" -days 2 -extfile "$T/ext" 2>/dev/null
	# another CA, to be refused
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/ca2.key" \
		-out "$T/ca2.pem" -days 2 -subj /CN=other-ca 2>/dev/null
	TLS_PORT=$(zk_free_port)
	zk_named_start "$BATS_FILE_TMPDIR/named" NAMED_PORT "example=$ZKIT_DATA/msg/example.zone" \
		--conf-extra "tls zt { key-file \"$T/srv.key\"; cert-file \"$T/srv.pem\"; };" \
		--options "listen-on port $TLS_PORT tls zt { 127.0.0.1; };"
	export NAMED_PORT TLS_PORT T
}

teardown_file() {
	zk_servers_stop_all
}

setup() {
	zk_require_bin zdig
	Z=$ZKIT_BIN/zdig
}

zq() {
	"$Z" @127.0.0.1 -p "$TLS_PORT" +tries=1 +timeout=3 "$@"
}

SOA='ns1.example. hostmaster.example. 2024010101 7200 3600 1209600 300'

@test "+tls: opportunistic DoT, SERVER line says TLS" {
	run zq +tls example SOA
	assert_success
	assert_line ";; SERVER: 127.0.0.1#$TLS_PORT(127.0.0.1) (TLS)"
	assert_line --regexp '^example\.		3600	IN	SOA	ns1\.example\. '
}

@test "+tls output equals dig +tls (masked)" {
	zk_require_cmd dig
	local m='/^; <<>> /d;/^;; (Query time|WHEN):/d;s/, id: [0-9]+$/, id: X/;s/^; COOKIE: [0-9a-f]+/; COOKIE: X/'
	dig @127.0.0.1 -p "$TLS_PORT" +tls +tries=1 +timeout=3 example SOA | sed -E "$m" >"$BATS_TEST_TMPDIR/d"
	zq +tls example SOA | sed -E "$m" >"$BATS_TEST_TMPDIR/z"
	diff "$BATS_TEST_TMPDIR/d" "$BATS_TEST_TMPDIR/z"
}

@test "+tls-ca: the chain and the IP address (no +tls-hostname) are verified" {
	run zq +tls-ca="$T/ca.pem" example SOA +short
	assert_success
	assert_output "$SOA"
	run zq +tls-ca="$T/ca.pem" +tls-hostname=ns.zkit.test example SOA +short
	assert_success
	assert_output "$SOA"
}

@test "+tls-ca: a certificate of another CA or another name is refused, exit 9" {
	run -9 zq +tls-ca="$T/ca2.pem" example SOA +short
	assert_line --partial 'certificate verification failed'
	run -9 zq +tls-ca="$T/ca.pem" +tls-hostname=other.zkit.test example SOA +short
	assert_line --partial 'certificate verification failed'
}

@test "@host name: the certificate must carry that name" {
	printf '127.0.0.1 ns.zkit.test\n127.0.0.1 bad.zkit.test\n' >"$BATS_TEST_TMPDIR/hosts"
	printf 'nameserver 127.0.0.1\n' >"$BATS_TEST_TMPDIR/resolv.conf"
	export CARES_HOSTS=$BATS_TEST_TMPDIR/hosts ZDIG_RESOLV_CONF=$BATS_TEST_TMPDIR/resolv.conf
	run "$Z" @ns.zkit.test -p "$TLS_PORT" -4 +tls-ca="$T/ca.pem" +tries=1 +timeout=3 example SOA +short
	assert_success
	assert_output "$SOA"
	run -9 "$Z" @bad.zkit.test -p "$TLS_PORT" -4 +tls-ca="$T/ca.pem" +tries=1 +timeout=3 example SOA +short
	assert_line --partial 'certificate verification failed'
}

@test "+json over DoT names the TLS version and cipher" {
	zk_require_cmd jq
	run zq +tls example SOA +json
	assert_success
	[ "$(echo "$output" | jq -r .transport)" = TLS ]
	echo "$output" | jq -r .tls | grep -q '^TLSv1\.[23]/'
}

@test "+tls to a plain DNS port fails cleanly" {
	run -9 "$Z" @127.0.0.1 -p "$NAMED_PORT" +tls +tries=1 +timeout=2 example SOA
	assert_line ';; no servers could be reached'
}
