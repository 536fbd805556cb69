#!/usr/bin/env bats
# zxfr command line: options, usage errors, exit codes that need no server.

load helpers/common

setup() {
	zk_require_bin zxfr
	D=$BATS_TEST_TMPDIR
}

@test "-h prints the usage and exits 0" {
	run "$ZKIT_BIN/zxfr" -h
	assert_success
	assert_line --index 0 --partial "usage: zxfr [@server[#port]]"
	assert_output --partial "--if-newer"
	assert_output --partial "Exit status: 0 transferred or up to date"
}

@test "-V prints the version" {
	run "$ZKIT_BIN/zxfr" -V
	assert_success
	assert_output --regexp '^zxfr \(zkit\) [0-9]'
}

@test "no zone: usage error, exit 1" {
	run "$ZKIT_BIN/zxfr" @127.0.0.1
	assert_failure 1
	assert_line --index 0 "zxfr: no zone given"
}

@test "two zones: usage error" {
	run "$ZKIT_BIN/zxfr" example. example.org.
	assert_failure 1
	assert_line --index 0 "zxfr: unexpected argument: example.org. (one zone only)"
}

@test "unknown option" {
	run "$ZKIT_BIN/zxfr" --frobnicate example.
	assert_failure 1
	assert_line --index 0 "zxfr: unknown option: --frobnicate"
}

@test "--udp is for IXFR only" {
	run "$ZKIT_BIN/zxfr" --udp example.
	assert_failure 1
	assert_output "zxfr: --udp is for IXFR only (AXFR is TCP, RFC 5936 §4.2)"
}

@test "--ixfr without a serial or -o file" {
	run "$ZKIT_BIN/zxfr" --ixfr example.
	assert_failure 1
	assert_output "zxfr: --ixfr needs a serial (--ixfr=N) or an existing -o file"
}

@test "--verify needs -o; --json not with -o" {
	run "$ZKIT_BIN/zxfr" --verify example.
	assert_failure 1
	assert_output --partial "--verify checks the file before it is replaced: give -o"
	run "$ZKIT_BIN/zxfr" --json -o "$D/x" example.
	assert_failure 1
	assert_output --partial "--json prints to standard output: not with -o"
}

@test "--strict applies to --verify only; -h lists both" {
	run "$ZKIT_BIN/zxfr" --strict -o "$D/x" example.
	assert_failure 1
	assert_output "zxfr: --strict applies to --verify"
	[ ! -e "$D/x" ]
	run "$ZKIT_BIN/zxfr" -h
	assert_success
	assert_line "  --verify            check the zone (zcheck's rules, ZONEMD) before replacing"
	assert_line "  --strict            with --verify: warnings fail too"
}

@test "bad values: port, serial, timeout, limits, -y, -k" {
	run "$ZKIT_BIN/zxfr" -p 0 example.
	assert_failure 1
	run "$ZKIT_BIN/zxfr" --ixfr=4294967296 example.
	assert_failure 1
	run "$ZKIT_BIN/zxfr" --timeout 0 example.
	assert_failure 1
	assert_output "zxfr: --timeout: 1 to 3600 seconds"
	run "$ZKIT_BIN/zxfr" --max-records 0 example.
	assert_failure 1
	run "$ZKIT_BIN/zxfr" --max-bytes x example.
	assert_failure 1
	run "$ZKIT_BIN/zxfr" -y 'nocolon' example.
	assert_failure 1
	assert_output --partial "zxfr: -y:"
	run "$ZKIT_BIN/zxfr" -k "$D/missing.key" example.
	assert_failure 1
	assert_output --partial "missing.key"
	run "$ZKIT_BIN/zxfr" -c BOGUS example.
	assert_failure 1
	assert_output "zxfr: -c: unknown class BOGUS"
}

@test "bad zone name" {
	run "$ZKIT_BIN/zxfr" "a..b."
	assert_failure 1
	assert_output --partial "zxfr: a..b.:"
}

@test "nothing listening: exit 2, the old file kept, no temporary file" {
	zk_require_cmd python3
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	echo '; good' >"$D/z.zone"
	run "$ZKIT_BIN/zxfr" "@127.0.0.1#$port" --timeout 2 -o "$D/z.zone" example.
	assert_failure 2
	assert_output --partial "127.0.0.1#$port"
	[ "$(cat "$D/z.zone")" = "; good" ]
	[ "$(ls -A "$D")" = z.zone ]
}

@test "-o in a directory that does not exist: exit 7" {
	zk_require_cmd python3
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	run "$ZKIT_BIN/zxfr" "@127.0.0.1#$port" -o "$D/no/such/dir/z.zone" example.
	assert_failure 7
	assert_output --partial "cannot create a temporary file next to"
}

@test "--if-newer with an unreadable local zone file: exit 7" {
	printf 'example. 300 IN SOA ns. h. (1 2\n' >"$D/z.zone"
	run "$ZKIT_BIN/zxfr" @127.0.0.1#9 --if-newer -o "$D/z.zone" example.
	assert_failure 7
}
