#!/usr/bin/env bats
# znotify command line: options and usage errors (no server needed).

load helpers/common

setup() {
	zk_require_bin znotify
	D=$BATS_TEST_TMPDIR
}

@test "-h prints the usage and exits 0" {
	run "$ZKIT_BIN/znotify" -h
	assert_success
	assert_line --index 0 --partial "usage: znotify [-k keyfile | -y [alg:]name:secret] [-s serial]"
	assert_output --partial "minus"
}

@test "-V prints the version" {
	run "$ZKIT_BIN/znotify" --version
	assert_success
	assert_output --regexp '^znotify \(zkit\) [0-9]'
}

@test "no zone: usage error" {
	run "$ZKIT_BIN/znotify"
	assert_failure 1
	assert_line --index 0 "znotify: no zone given"
}

@test "bad options and values" {
	run "$ZKIT_BIN/znotify" --bogus example.
	assert_failure 1
	assert_line --index 0 "znotify: unknown option: --bogus"
	run "$ZKIT_BIN/znotify" -s -1 example. 127.0.0.1
	assert_failure 1
	run "$ZKIT_BIN/znotify" --retries 21 example. 127.0.0.1
	assert_failure 1
	run "$ZKIT_BIN/znotify" --timeout 61 example. 127.0.0.1
	assert_failure 1
	assert_output "znotify: --timeout: 1 to 60 seconds"
	run "$ZKIT_BIN/znotify" example. '@[::1'
	assert_failure 1
}

@test "a bad target address is a usage error" {
	run "$ZKIT_BIN/znotify" example. '127.0.0.1#99999'
	assert_failure 1
}

@test "zone file whose NS are only the MNAME: no target, exit 3" {
	printf '$TTL 300\n@ IN SOA ns1 h 1 2 3 4 5\n@ IN NS ns1\nns1 IN A 127.0.0.1\n' >"$D/z.zone"
	run "$ZKIT_BIN/znotify" -f "$D/z.zone" example.
	assert_failure 3
	assert_output --partial "no target to notify"
}

@test "missing zone file: exit 1" {
	run "$ZKIT_BIN/znotify" -f "$D/nope.zone" example.
	assert_failure 1
	assert_output --partial "nope.zone"
}
