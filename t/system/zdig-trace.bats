#!/usr/bin/env bats
# zdig +trace over a local hierarchy (root, TLD and zone on loopback, a
# hints file with ";@ FROM TO#PORT" address-map lines) and +nssearch
# (two copies of a zone, one lagging).

bats_require_minimum_version 1.5.0

load ../helpers/common
load ../helpers/servers

setup_file() {
	zk_require_cmd named
	export ZK_SERVERS_REGISTRY=$BATS_FILE_TMPDIR/servers
	local D=$ZKIT_DATA/zdig
	zk_named_start "$BATS_FILE_TMPDIR/root" P_ROOT ".=$D/root.zone" \
		--options 'rrset-order { order none; };'
	zk_named_start "$BATS_FILE_TMPDIR/tld" P_TLD "test=$D/test.zone" \
		--options 'rrset-order { order none; };'
	zk_named_start "$BATS_FILE_TMPDIR/ns1" P_NS1 "zkit.test=$D/zkit.test.zone" \
		--options 'rrset-order { order none; }; querylog yes;'
	zk_named_start "$BATS_FILE_TMPDIR/ns2" P_NS2 "zkit.test=$D/zkit.test-old.zone" \
		--options 'rrset-order { order none; };'
	HINTS=$BATS_FILE_TMPDIR/hints
	{
		cat "$D/hints"
		echo ";@ 127.0.0.2 127.0.0.1#$P_ROOT"
		echo ";@ 127.0.0.3 127.0.0.1#$P_TLD"
		echo ";@ 127.0.0.4 127.0.0.1#$P_NS1"
		echo ";@ 127.0.0.5 127.0.0.1#$P_NS2"
	} >"$HINTS"
	export HINTS P_NS1 P_ROOT P_TLD NS1_DIR=$BATS_FILE_TMPDIR/ns1
}

teardown_file() {
	zk_servers_stop_all
}

setup() {
	zk_require_bin zdig
	Z=$ZKIT_BIN/zdig
}

@test "+trace: each referral from the root down, then the answer" {
	run "$Z" +trace +roothints="$HINTS" +tries=1 +timeout=2 www.zkit.test
	assert_success
	local want
	want=$(
		cat <<-'E'
			.			518400	IN	NS	a.root.test.
			;; Received root hints from HINTS
			test.			172800	IN	NS	ns.tld.test.
			;; Received 87 bytes from 127.0.0.2#53(a.root.test.) in X ms
			zkit.test.		86400	IN	NS	ns1.zkit.test.
			zkit.test.		86400	IN	NS	ns2.zkit.test.
			;; Received 110 bytes from 127.0.0.3#53(ns.tld.test.) in X ms
			www.zkit.test.		3600	IN	A	192.0.2.80
			zkit.test.		3600	IN	NS	ns1.zkit.test.
			zkit.test.		3600	IN	NS	ns2.zkit.test.
			;; Received 126 bytes from 127.0.0.4#53(ns1.zkit.test.) in X ms
		E
	)
	got=$(echo "$output" | grep -v '^;; global\|^; <<>>\|^$' |
		sed -E "s| in [0-9]+ ms$| in X ms|; s|$HINTS|HINTS|")
	[ "$got" = "$want" ]
}

@test "+trace: NXDOMAIN ends the walk; bad hints are an error" {
	run "$Z" +trace +roothints="$HINTS" +tries=1 +timeout=2 nope.zkit.test +nocmd
	assert_success
	assert_line --regexp '^;; Received [0-9]+ bytes from 127\.0\.0\.4#53\(ns1\.zkit\.test\.\) in [0-9]+ ms$'
	assert_line --regexp '^zkit\.test\.		300	IN	SOA	ns1\.zkit\.test\. hostmaster\.zkit\.test\. 2026010101 '
	printf 'garbage\n' >"$BATS_TEST_TMPDIR/bad"
	run -1 "$Z" +trace +roothints="$BATS_TEST_TMPDIR/bad" www.zkit.test
	assert_line --partial ';; root hints: '
	run -1 "$Z" +trace +roothints="$BATS_TEST_TMPDIR/none" www.zkit.test
	assert_line --partial 'cannot open'
}

@test "+trace: an unreachable root is reported, exit 9" {
	printf '. NS a.root.test.\na.root.test. A 127.0.0.2\n;@ 127.0.0.2 127.0.0.1#%s\n' \
		"$(zk_free_port)" >"$BATS_TEST_TMPDIR/h"
	run -9 "$Z" +trace +roothints="$BATS_TEST_TMPDIR/h" +tries=1 +timeout=1 www.zkit.test
	assert_line ';; no servers could be reached'
}

@test "+nssearch: the SOA serial of every authoritative server" {
	run "$Z" @127.0.0.1 -p "$P_NS1" +nssearch +roothints="$HINTS" zkit.test
	assert_success
	assert_line --regexp '^SOA ns1\.zkit\.test\. hostmaster\.zkit\.test\. 2026010101 7200 3600 1209600 300 from server 127\.0\.0\.4 in [0-9]+ ms\.$'
	assert_line --regexp '^SOA ns1\.zkit\.test\. hostmaster\.zkit\.test\. 2026010100 7200 3600 1209600 300 from server 127\.0\.0\.5 in [0-9]+ ms\.$'
	[ "${#lines[@]}" -eq 2 ]
}

# A hints file of ";@" address-map lines only: the root servers come from
# asking @server (or the system resolver), as dig +trace does.
map_only() {
	grep '^;@' "$HINTS" >"$BATS_TEST_TMPDIR/map"
	echo "$BATS_TEST_TMPDIR/map"
}

@test "+trace @server: the root NS set is asked of @server, printed first, then the walk" {
	local map
	map=$(map_only)
	run "$Z" +trace @127.0.0.1 -p "$P_ROOT" +roothints="$map" +tries=1 +timeout=2 www.zkit.test
	assert_success
	local want
	want=$(
		cat <<-E
			; (1 server found)
			.			518400	IN	NS	a.root.test.
			;; Received 68 bytes from 127.0.0.1#$P_ROOT(127.0.0.1) in X ms
			test.			172800	IN	NS	ns.tld.test.
			;; Received 87 bytes from 127.0.0.2#$P_ROOT(a.root.test.) in X ms
			zkit.test.		86400	IN	NS	ns1.zkit.test.
			zkit.test.		86400	IN	NS	ns2.zkit.test.
			;; Received 110 bytes from 127.0.0.3#$P_ROOT(ns.tld.test.) in X ms
			www.zkit.test.		3600	IN	A	192.0.2.80
			zkit.test.		3600	IN	NS	ns1.zkit.test.
			zkit.test.		3600	IN	NS	ns2.zkit.test.
			;; Received 126 bytes from 127.0.0.4#$P_ROOT(ns1.zkit.test.) in X ms
		E
	)
	got=$(echo "$output" | grep -v '^;; global\|^; <<>>\|^$' | sed -E "s| in [0-9]+ ms$| in X ms|")
	[ "$got" = "$want" ]
}

@test "+trace @server: the first block is what dig +trace @server prints" {
	zk_require_cmd dig
	# dig looks the root servers' names up through the system resolver,
	# which knows nothing of a.root.test: only its first block compares.
	run dig +trace @127.0.0.1 -p "$P_ROOT" +tries=1 +timeout=2 www.zkit.test
	local dig_first
	dig_first=$(echo "$output" | grep -v '^;\|^$' | grep -v "couldn't get address" | sed -n 1p)
	[ "$dig_first" = ".			518400	IN	NS	a.root.test." ]
	echo "$output" | grep -qx '; (1 server found)'
	run "$Z" +trace @127.0.0.1 -p "$P_ROOT" +roothints="$(map_only)" +tries=1 +timeout=2 www.zkit.test
	assert_success
	[ "$(echo "$output" | grep -v '^;\|^$' | sed -n 1p)" = "$dig_first" ]
	assert_line '; (1 server found)'
}

@test "+trace without @server asks the system resolver; +roothints naming servers wins over @server" {
	printf 'nameserver 127.0.0.1\n' >"$BATS_TEST_TMPDIR/resolv.conf"
	ZDIG_RESOLV_CONF=$BATS_TEST_TMPDIR/resolv.conf run "$Z" +trace -p "$P_ROOT" \
		+roothints="$(map_only)" +tries=1 +timeout=2 www.zkit.test +nocmd
	assert_success
	assert_line --index 0 '.			518400	IN	NS	a.root.test.'
	assert_line --index 1 --regexp "^;; Received 68 bytes from 127\.0\.0\.1#$P_ROOT\(127\.0\.0\.1\) in [0-9]+ ms$"
	assert_line 'www.zkit.test.		3600	IN	A	192.0.2.80'
	# a hints file with NS records: @server (here a closed port) is not asked
	run "$Z" +trace @127.0.0.1 -p "$(zk_free_port)" +roothints="$HINTS" +trace-port=53 \
		+tries=1 +timeout=1 www.zkit.test +nocmd
	assert_success
	assert_line --index 0 '.			518400	IN	NS	a.root.test.'
	assert_line --index 1 ";; Received root hints from $HINTS"
	assert_line 'www.zkit.test.		3600	IN	A	192.0.2.80'
}

@test "+trace @server: no root NS set from @server is exit 9" {
	run -9 "$Z" +trace @127.0.0.1 -p "$P_TLD" +tries=1 +timeout=1 www.zkit.test +nocmd
	assert_line --index 0 ";; no root NS set from 127.0.0.1#$P_TLD(127.0.0.1): status REFUSED"
	assert_line --index 1 ';; no servers could be reached'
	run -9 "$Z" +trace @127.0.0.1 -p "$(zk_free_port)" +tries=1 +timeout=1 www.zkit.test +nocmd
	assert_line --index 0 --regexp '^;; communications error to 127\.0\.0\.1#[0-9]+\(127\.0\.0\.1\): '
	assert_line --index 1 ';; no servers could be reached'
}

@test "+trace +color: painted lines, the same text without the escapes" {
	local map
	map=$(map_only)
	run "$Z" +trace @127.0.0.1 -p "$P_ROOT" +roothints="$map" +tries=1 +timeout=2 www.zkit.test +nocmd +color
	assert_success
	local colored=$output
	assert_line --index 0 $'\e[36m.\e[0m\t\t\t\e[35m518400\e[0m\t\e[34mIN\e[0m\t\e[33mNS\e[0m\t\e[32ma.root.test.\e[0m'
	assert_line --index 1 --regexp $'^\e\\[2m;; Received 68 bytes from .* ms\e\\[0m$'
	run "$Z" +trace @127.0.0.1 -p "$P_ROOT" +roothints="$map" +tries=1 +timeout=2 www.zkit.test +nocmd +nocolor
	[ "$(echo "$colored" | sed 's/\x1b\[[0-9;]*m//g; s/ in [0-9]* ms/ in X ms/')" = "$(echo "$output" | sed 's/ in [0-9]* ms/ in X ms/')" ]
	[[ $output != *$'\e'* ]]
}

@test "+trace sets DO as dig does; a later +nodnssec clears it" {
	local log=$NS1_DIR/server.log
	run "$Z" +trace +roothints="$HINTS" +tries=1 +timeout=2 do1.zkit.test
	assert_success
	# named's query log: "query: NAME IN A -E(0)D..." when DO is set
	grep -q 'query: do1.zkit.test IN A -E(0)D' "$log"
	run "$Z" +trace +nodnssec +roothints="$HINTS" +tries=1 +timeout=2 do2.zkit.test
	assert_success
	grep -q 'query: do2.zkit.test IN A -E(0)' "$log"
	run ! grep -q 'query: do2.zkit.test IN A -E(0)D' "$log"
}
