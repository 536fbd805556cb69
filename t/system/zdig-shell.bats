#!/usr/bin/env bats
# zdig -i (interactive shell) driven through a pty (script(1)): the
# prompt, `server` and `set` persisting between lookups, tab completion
# of types and +options, and the history file.

bats_require_minimum_version 1.5.0

load ../helpers/common
load ../helpers/servers

setup_file() {
	zk_require_cmd named script
	export ZK_SERVERS_REGISTRY=$BATS_FILE_TMPDIR/servers
	zk_named_start "$BATS_FILE_TMPDIR/named" NAMED_PORT "example=$ZKIT_DATA/msg/example.zone"
	export NAMED_PORT
}

teardown_file() {
	zk_servers_stop_all
}

setup() {
	zk_require_bin zdig
	Z=$ZKIT_BIN/zdig
	export ZDIG_HISTORY=$BATS_TEST_TMPDIR/history ZDIGRC=/dev/null
}

# type LINE...: each line typed into `zdig -i` on a pty, with pauses so
# that the line editor sees keystrokes as a person types them
pty() {
	{
		sleep 0.5
		for l in "$@"; do
			printf '%b' "$l"
			sleep 0.4
		done
	} | script -qec "$Z -i" /dev/null | tr -d '\r'
}

@test "server and set persist; tab completes types and +options; history is kept" {
	run pty "server 127.0.0.1#$NAMED_PORT\n" 'set +sho\t\n' 'example SO\t\n' 'set +nosho\t +noall +ans\t\n' \
		'www.example\n' 'show\n' 'quit\n'
	assert_success
	assert_line --partial 'zdig> '
	assert_line 'ns1.example. hostmaster.example. 2024010101 7200 3600 1209600 300'
	assert_line 'www.example.		3600	IN	CNAME	example.'
	assert_line "server: 127.0.0.1#$NAMED_PORT"
	grep -q '^example\\040SOA' "$ZDIG_HISTORY"
	grep -q '^set\\040+short' "$ZDIG_HISTORY"
}

@test "errors in the shell are reported and the shell goes on" {
	run pty "server 127.0.0.1#$NAMED_PORT\n" 'example -t BOGUS\n' '+frob\n' 'example SOA +short\n' 'exit\n'
	assert_success
	assert_line ';; unknown type: BOGUS'
	assert_line ';; unknown option: +frob'
	assert_line 'ns1.example. hostmaster.example. 2024010101 7200 3600 1209600 300'
}

@test "+shell in .zdigrc: no arguments on a terminal opens the shell" {
	printf '+shell\n' >"$BATS_TEST_TMPDIR/rc"
	export ZDIGRC=$BATS_TEST_TMPDIR/rc
	{
		sleep 0.5
		printf 'server 127.0.0.1#%s\nexample SOA +short\nquit\n' "$NAMED_PORT"
	} | script -qec "$Z" /dev/null | tr -d '\r' >"$BATS_TEST_TMPDIR/out"
	grep -q 'zdig> ' "$BATS_TEST_TMPDIR/out"
	grep -qx 'ns1.example. hostmaster.example. 2024010101 7200 3600 1209600 300' "$BATS_TEST_TMPDIR/out"
}
