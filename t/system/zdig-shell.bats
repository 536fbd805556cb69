#!/usr/bin/env bats
# zdig -i (interactive shell) driven through a pty (script(1)): the
# prompt, `server` and `set` persisting between lookups, tab completion
# of types and +options, the history file; and colour, on by default on
# a terminal only.

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
	# a pty turns colour on by default: these tests read plain lines
	# (the colour tests below unset it)
	export NO_COLOR=1
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

# on_tty CMD...: CMD's standard output on a pty
on_tty() {
	script -qec "$*" /dev/null </dev/null | tr -d '\r'
}

@test "colour: on by default on a terminal, never through a pipe; NO_COLOR and +nocolor" {
	unset NO_COLOR
	local q="$Z @127.0.0.1 -p $NAMED_PORT example SOA +nocmd +nostats"
	local soa=$'\e[36mexample.\e[0m\t\t\e[35m3600\e[0m\t\e[34mIN\e[0m\t\e[33mSOA\e[0m\t\e[32mns1.example. hostmaster.example. 2024010101 7200 3600 1209600 300\e[0m'
	run on_tty "$q"
	assert_success
	assert_line "$soa"
	assert_line $'\e[1m;; ANSWER SECTION:\e[0m'
	assert_line --regexp $'^\e\\[1m;; ->>HEADER<<- opcode: QUERY, status: \e\\[0m\e\\[1;32mNOERROR\e\\[0m\e\\[1m, id: [0-9]+\e\\[0m$'
	# the same lookup through a pipe: not one escape, and the same text
	local tty_text=$output
	run bash -c "$q | cat"
	assert_success
	[[ $output != *$'\e'* ]]
	local mask='s/id: [0-9]*/id: N/; s/COOKIE: [0-9a-f]*/COOKIE: X/'
	[ "$(echo "$tty_text" | sed 's/\x1b\[[0-9;]*m//g' | sed "$mask")" = "$(echo "$output" | sed "$mask")" ]
	# the cookie line, painted, still gets its " (good)" inside the colour
	echo "$tty_text" | grep -q $'^\e\\[2m; COOKIE: [0-9a-f]* (good)\e\\[0m$'
	# +nocolor, and NO_COLOR (non-empty), turn the default off
	run on_tty "$q +nocolor"
	[[ $output != *$'\e'* ]]
	assert_line 'example.		3600	IN	SOA	ns1.example. hostmaster.example. 2024010101 7200 3600 1209600 300'
	run on_tty "NO_COLOR=1 $q"
	[[ $output != *$'\e'* ]]
	assert_line 'example.		3600	IN	SOA	ns1.example. hostmaster.example. 2024010101 7200 3600 1209600 300'
	# an empty NO_COLOR is not set (no-color.org); an explicit +color beats NO_COLOR
	run on_tty "NO_COLOR= $q"
	assert_line "$soa"
	run on_tty "NO_COLOR=1 $q +color"
	assert_line "$soa"
	# +qr: the query as sent, painted the same way, and still without
	# ";; Got answer:" or the RA warning before it
	run bash -c "$q +qr +color"
	assert_line --index 0 $'\e[1m;; Sending:\e[0m'
	assert_line --index 1 --regexp $'^\e\\[1m;; ->>HEADER<<- opcode: QUERY, status: \e\\[0m\e\\[1;32mNOERROR'
	assert_line --index 2 $'\e[2m;; flags: rd ad; QUERY: 1, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 1\e[0m'
	assert_line --index 3 $'\e[1m;; OPT PSEUDOSECTION:\e[0m'
	assert_line --regexp $'^\e\\[2m;; QUERY SIZE: [0-9]+\e\\[0m$'
	local qr_color=$output
	run bash -c "$q +qr +nocolor"
	[ "$(echo "$qr_color" | sed 's/\x1b\[[0-9;]*m//g' | sed "$mask")" = "$(echo "$output" | sed "$mask")" ]
	# +json on a terminal: never an escape
	run on_tty "$q +json"
	[[ $output != *$'\e'* ]]
	[[ ${lines[0]} == '{"ID":'* ]]
}

@test "colour in the shell: answers and errors painted on a terminal" {
	unset NO_COLOR
	run pty "server 127.0.0.1#$NAMED_PORT\n" 'example SOA +short\n' '+frob\n' 'quit\n'
	assert_success
	assert_line --partial $'\e[32mns1.example. hostmaster.example. 2024010101 7200 3600 1209600 300\e[0m'
	assert_line --partial $'\e[1;31m;; unknown option: +frob\e[0m'
	NO_COLOR=1 run pty "server 127.0.0.1#$NAMED_PORT\n" 'example SOA +short\n' 'quit\n'
	assert_line 'ns1.example. hostmaster.example. 2024010101 7200 3600 1209600 300'
	run pty "server 127.0.0.1#$NAMED_PORT\n" 'set +nocolor\n' 'example SOA +short\n' 'quit\n'
	assert_line 'ns1.example. hostmaster.example. 2024010101 7200 3600 1209600 300'
}
