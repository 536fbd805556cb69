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
		--options 'rrset-order { order none; };'
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
	export HINTS P_NS1
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
