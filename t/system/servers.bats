#!/usr/bin/env bats
# The server helpers (t/helpers/servers.bash) against real BIND and Knot:
# they start, answer with the zone's data, accept TSIG updates, transfer
# between each other, and leave no process behind.

load ../helpers/common
load ../helpers/servers

ZONE=$ZKIT_DATA/zones/helpers/example.zone
SOA='ns1.example. hostmaster.example. 2026010101 7200 3600 1209600 300'

setup() {
	zk_require_cmd dig ss
	SECRET=$(zk_random_secret)
	KEY=hmac-sha256:tk:$SECRET
}

teardown() {
	zk_servers_stop_all
}

# check_zone PORT: the zone's SOA, NS and A answers, authoritative.
check_zone() {
	run zk_dig "$1" +norec example. SOA
	assert_success
	assert_output --partial 'status: NOERROR'
	assert_output --partial 'flags: qr aa;'
	assert_output --regexp $'example\\.\t+3600\tIN\tSOA\t'"$SOA"
	run zk_dig "$1" +short example. NS
	assert_success
	assert_equal "$(sort <<<"$output")" $'ns1.example.\nns2.example.'
	run zk_dig "$1" +short www.example. A
	assert_output 192.0.2.1
	run zk_dig "$1" +short www.example. AAAA
	assert_output 2001:db8::1
	run zk_dig "$1" +norec nothere.example. A
	assert_output --partial 'status: NXDOMAIN'
}

# update PORT KEYSPEC COMMANDS: nsupdate -y over TCP-or-UDP to 127.0.0.1#PORT.
update() {
	local port=$1 key=$2
	shift 2
	printf 'server 127.0.0.1 %s\nzone example.\n%s\nsend\n' "$port" "$*" |
		nsupdate -t 5 ${key:+-y "$key"}
}

@test "named: starts on a free high port and serves the zone" {
	zk_require_cmd named
	zk_named_start "$BATS_TEST_TMPDIR/n" PORT "example.=$ZONE"
	[ "$PORT" -ge 20000 ]
	[ "$PORT" -le 60999 ]
	check_zone "$PORT"
	run zk_dig "$PORT" +tcp +short www.example. A
	assert_output 192.0.2.1
	# The original zone file is never the one served (updates write a copy).
	[ -f "$BATS_TEST_TMPDIR/n/zones/example.zone" ]
	grep -q "^[[:space:]]*listen-on port $PORT { 127.0.0.1; };" "$BATS_TEST_TMPDIR/n/named.conf"
}

@test "knotd: starts on a free high port and serves the zone" {
	zk_require_cmd knotd
	zk_knotd_start "$BATS_TEST_TMPDIR/k" PORT "example.=$ZONE"
	[ "$PORT" -ge 20000 ]
	[ "$PORT" -le 60999 ]
	check_zone "$PORT"
	run zk_dig "$PORT" +tcp +short www.example. A
	assert_output 192.0.2.1
}

@test "named: a TSIG-signed update is applied, an unsigned one refused" {
	zk_require_cmd named nsupdate
	zk_named_start "$BATS_TEST_TMPDIR/n" PORT "example.=$ZONE,update=tk" --key "$KEY"
	run update "$PORT" "" 'update add evil.example. 300 IN A 192.0.2.66'
	assert_failure
	assert_output --partial REFUSED
	run update "$PORT" "$KEY" 'update add new.example. 300 IN A 192.0.2.99'
	assert_success
	run zk_dig "$PORT" +short new.example. A
	assert_output 192.0.2.99
	run zk_dig "$PORT" +short evil.example. A
	assert_output ''
	# named bumps the serial and journals the change.
	zk_wait_serial "$PORT" example. 2026010102 5
	[ -s "$BATS_TEST_TMPDIR/n/zones/example.zone.jnl" ]
	# A key with the wrong secret is rejected too.
	run update "$PORT" "hmac-sha256:tk:$(zk_random_secret)" 'update add x.example. 300 IN A 192.0.2.5'
	assert_failure
}

@test "knotd: a TSIG-signed update is applied, an unsigned one refused" {
	zk_require_cmd knotd nsupdate
	zk_knotd_start "$BATS_TEST_TMPDIR/k" PORT "example.=$ZONE,update=tk" --key "$KEY"
	run update "$PORT" "" 'update add evil.example. 300 IN A 192.0.2.66'
	assert_failure
	# Knot answers an update no ACL allows with NOTAUTH (named: REFUSED).
	assert_output --partial 'update failed: NOTAUTH'
	run update "$PORT" "$KEY" 'update add new.example. 300 IN A 192.0.2.99'
	assert_success
	run zk_dig "$PORT" +short new.example. A
	assert_output 192.0.2.99
	zk_wait_serial "$PORT" example. 2026010102 5
}

@test "transfer=KEY: AXFR needs the key (named and knotd)" {
	zk_require_cmd named knotd
	zk_named_start "$BATS_TEST_TMPDIR/n" NP "example.=$ZONE,transfer=tk" --key "$KEY"
	zk_knotd_start "$BATS_TEST_TMPDIR/k" KP "example.=$ZONE,transfer=tk" --key "$KEY"
	for p in "$NP" "$KP"; do
		run zk_dig "$p" example. AXFR
		assert_output --partial 'Transfer failed.'
		run zk_dig "$p" +nocmd +nostats -y "$KEY" example. AXFR
		assert_success
		# 9 records plus the closing SOA; each message carries a TSIG.
		assert_equal "$(grep -c $'\tSOA\t' <<<"$output")" 2
		assert_equal "$(grep -c $'\tIN\t\\(A\\|AAAA\\|NS\\|MX\\|TXT\\|SOA\\)\t' <<<"$output")" 10
		assert_output --partial $'tk.\t\t\t0\tANY\tTSIG\thmac-sha256.'
	done
}

@test "secondary named transfers from primary knotd, NOTIFY brings updates" {
	zk_require_cmd named knotd nsupdate
	# The secondary's port is chosen first: the primary notifies it.
	NP=$(zk_free_port)
	zk_knotd_start "$BATS_TEST_TMPDIR/k" KP --key "$KEY" \
		"example.=$ZONE,update=tk,transfer=tk,notify=127.0.0.1#$NP,key=tk"
	zk_named_start "$BATS_TEST_TMPDIR/n" PORT --port "$NP" --key "$KEY" \
		--secondary "example.=127.0.0.1#$KP,key=tk"
	assert_equal "$PORT" "$NP"
	zk_wait_serial "$NP" example. 2026010101
	check_zone "$NP"
	grep -q "transferred serial 2026010101: TSIG 'tk'" "$BATS_TEST_TMPDIR/n/server.log"
	run update "$KP" "$KEY" 'update add new.example. 300 IN A 192.0.2.99'
	assert_success
	# No polling by the secondary (refresh is 7200 s): only NOTIFY explains it.
	zk_wait_serial "$NP" example. 2026010102
	run zk_dig "$NP" +short new.example. A
	assert_output 192.0.2.99
	grep -q "notify from 127.0.0.1#[0-9]*: serial 2026010102" "$BATS_TEST_TMPDIR/n/server.log"
}

@test "secondary knotd transfers from primary named" {
	zk_require_cmd named knotd
	KP=$(zk_free_port)
	zk_named_start "$BATS_TEST_TMPDIR/n" NP "example.=$ZONE,notify=127.0.0.1#$KP"
	zk_knotd_start "$BATS_TEST_TMPDIR/k" PORT --port "$KP" --secondary "example.=127.0.0.1#$NP"
	zk_wait_serial "$KP" example. 2026010101
	check_zone "$KP"
}

@test "ixfr: a reloaded zone file is served as an IXFR delta (named and knotd)" {
	zk_require_cmd named knotd
	zk_named_start "$BATS_TEST_TMPDIR/n" NP "example.=$ZONE,ixfr"
	zk_knotd_start "$BATS_TEST_TMPDIR/k" KP "example.=$ZONE,ixfr"
	for d in n k; do
		sed -e 's/2026010101 ; serial/2026010102 ; serial/' -e 's/^www\tIN\tA\t192.0.2.1/www\tIN\tA\t192.0.2.2/' \
			"$ZONE" >"$BATS_TEST_TMPDIR/$d/zones/example.zone"
		# named compares file mtimes (second resolution) on reload.
		touch -d '+2 seconds' "$BATS_TEST_TMPDIR/$d/zones/example.zone"
		zk_server_reload "$BATS_TEST_TMPDIR/$d"
	done
	for p in "$NP" "$KP"; do
		zk_wait_serial "$p" example. 2026010102
		run zk_dig "$p" +nocmd +nostats example. IXFR=2026010101
		assert_success
		# RFC 1995 §4: SOA new, SOA old, deleted, SOA new, added, SOA new.
		run awk '!/^;/ && NF {print $4, $5}' <<<"$output"
		assert_output $'SOA ns1.example.\nSOA ns1.example.\nA 192.0.2.1\nSOA ns1.example.\nA 192.0.2.2\nSOA ns1.example.'
	done
}

@test "zk_free_port: in range, free for UDP and TCP, not handed out twice" {
	zk_require_cmd ss
	local ports=() p
	for _ in 1 2 3 4 5 6 7 8; do
		p=$(zk_free_port)
		[ "$p" -ge 20000 ]
		[ "$p" -le 60999 ]
		[ -z "$(ss -Hlntu "( sport = :$p )")" ]
		ports+=("$p")
	done
	assert_equal "$(printf '%s\n' "${ports[@]}" | sort -u | wc -l)" 8
}

@test "a port taken between pick and bind is retried on another port" {
	zk_require_cmd named python3
	# Something else holds a port; make the picker offer it first.
	zk_responder_start "$BATS_TEST_TMPDIR/r" BUSY --mode silent --timeout 60
	local real_pick
	real_pick=$(declare -f zk_free_port)
	eval "${real_pick/zk_free_port/zk_real_free_port}"
	zk_free_port() {
		if [ ! -e "$BATS_TEST_TMPDIR/offered" ]; then
			touch "$BATS_TEST_TMPDIR/offered"
			echo "$BUSY"
		else
			zk_real_free_port
		fi
	}
	zk_named_start "$BATS_TEST_TMPDIR/n" PORT "example.=$ZONE" 2>"$BATS_TEST_TMPDIR/err"
	run cat "$BATS_TEST_TMPDIR/err"
	assert_output "servers.bash: named could not bind port $BUSY, retrying"
	[ "$PORT" != "$BUSY" ]
	check_zone "$PORT"
	# The first named found the port taken; its log is kept.
	run cat "$BATS_TEST_TMPDIR/n/server.log.1"
	assert_output --partial "127.0.0.1#$BUSY"
	assert_output --partial 'unable to listen on any configured interfaces'
	run cat "$BATS_TEST_TMPDIR/n/server.log"
	assert_output --partial "listening on IPv4 interface lo, 127.0.0.1#$PORT"
}

@test "a zone that does not load: start fails with the log tail, nothing left" {
	zk_require_cmd named knotd
	printf 'example. 3600 IN A 192.0.2.1\n' >"$BATS_TEST_TMPDIR/bad.zone"
	ZK_START_WAIT=5 run zk_named_start "$BATS_TEST_TMPDIR/n" PORT "example.=$BATS_TEST_TMPDIR/bad.zone"
	assert_failure
	assert_output --partial 'named failed to start'
	assert_output --partial 'zone example/IN: has 0 SOA records'
	ZK_START_WAIT=5 run zk_knotd_start "$BATS_TEST_TMPDIR/k" PORT "example.=$BATS_TEST_TMPDIR/bad.zone"
	assert_failure
	assert_output --partial 'knotd failed to start'
	assert_output --partial 'missing SOA at the zone apex'
	[ ! -e "$BATS_TEST_TMPDIR/n/server.pid" ]
	[ ! -e "$BATS_TEST_TMPDIR/k/server.pid" ]
}

@test "stop: every PID we started is gone, no child process is left" {
	zk_require_cmd named knotd python3 ps
	zk_named_start "$BATS_TEST_TMPDIR/n" NP "example.=$ZONE"
	zk_knotd_start "$BATS_TEST_TMPDIR/k" KP "example.=$ZONE"
	zk_responder_start "$BATS_TEST_TMPDIR/r" RP --timeout 60
	local pids=() p
	for d in n k r; do
		p=$(zk_server_pid "$BATS_TEST_TMPDIR/$d")
		kill -0 "$p"
		pids+=("$p")
	done
	# Each is a direct child of this test's shell.
	run ps -o comm= --ppid "$BASHPID"
	assert_output --partial named
	assert_output --partial knotd
	assert_output --partial python3
	# The responder's own idea of its PID is the one we recorded.
	assert_equal "$(cat "$BATS_TEST_TMPDIR/r/responder.pid")" "${pids[2]}"
	zk_server_stop "$BATS_TEST_TMPDIR/n"
	refute kill -0 "${pids[0]}" 2>/dev/null
	run zk_dig "$NP" +short www.example. A
	assert_failure
	zk_servers_stop_all
	for p in "${pids[@]}"; do
		refute kill -0 "$p" 2>/dev/null
	done
	run ps -o pid=,comm= --ppid "$BASHPID"
	refute_output --partial named
	refute_output --partial knotd
	refute_output --partial python3
	# Stopping again is harmless.
	zk_servers_stop_all
	zk_server_stop "$BATS_TEST_TMPDIR/k"
}

@test "plain bash (set -euo pipefail) sources servers.bash; an EXIT trap stops all" {
	zk_require_cmd named
	cat >"$BATS_TEST_TMPDIR/bench.sh" <<-EOF
		set -euo pipefail
		. "$ZKIT_SRC/t/helpers/servers.bash"
		trap zk_servers_stop_all EXIT
		zk_named_start "$BATS_TEST_TMPDIR/n" P "example.=$ZONE"
		echo "pid=\$(zk_server_pid "$BATS_TEST_TMPDIR/n") self=\$\$"
		zk_dig "\$P" +short www.example. A
	EOF
	run env -u BATS_TEST_TMPDIR -u BATS_FILE_TMPDIR -u ZK_SERVERS_REGISTRY \
		bash "$BATS_TEST_TMPDIR/bench.sh"
	assert_success
	assert_line --index 1 192.0.2.1
	pid=$(sed -n 's/^pid=\([0-9]*\) .*/\1/p' <<<"$output")
	self=$(sed -n 's/.* self=\([0-9]*\)$/\1/p' <<<"$output")
	[ -n "$pid" ]
	refute kill -0 "$pid" 2>/dev/null
	# The script's registry (in TMPDIR, named after its PID) is cleaned up.
	[ ! -e "${TMPDIR:-/tmp}/zk-servers.$self" ]
	[ ! -e "${TMPDIR:-/tmp}/zk-servers.$self.ports" ]
}

@test "a UDP port shared through SO_REUSEPORT with another process is refused" {
	zk_require_cmd knotd python3
	P=$(zk_free_port)
	# Another process holds UDP P with SO_REUSEPORT, as a knotd would.
	python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
open(sys.argv[2], "w").close()
time.sleep(60)' "$P" "$BATS_TEST_TMPDIR/bound" 3>&- &
	holder=$!
	for _ in $(seq 1 100); do
		[ ! -e "$BATS_TEST_TMPDIR/bound" ] || break
		sleep 0.1
	done
	ZK_START_WAIT=5 run zk_knotd_start "$BATS_TEST_TMPDIR/k" PORT --port "$P" "example.=$ZONE"
	kill "$holder"
	wait "$holder" || true
	assert_failure
	assert_output --partial "servers.bash: port $P is shared with another process: "
	assert_output --partial "pid=$holder"
	[ ! -e "$BATS_TEST_TMPDIR/k/server.pid" ]
}

@test "stop: SIGKILL after ZK_STOP_WAIT for a process that ignores SIGTERM" {
	zk_require_cmd python3
	D=$BATS_TEST_TMPDIR/stubborn
	mkdir -p "$D"
	zk__spawn "$D" python3 -c 'import signal, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
print("ready", flush=True)
time.sleep(120)'
	pid=$(zk_server_pid "$D")
	for _ in $(seq 1 100); do
		! grep -q ready "$D/server.log" || break
		sleep 0.1
	done
	ZK_STOP_WAIT=1 run zk_server_stop "$D"
	assert_success
	assert_output "servers.bash: PID $pid ($D) ignored SIGTERM for 1s: SIGKILL"
	refute kill -0 "$pid" 2>/dev/null
}

@test "stop: a recycled PID (other start time) is never signalled" {
	D=$BATS_TEST_TMPDIR/recycled
	mkdir -p "$D"
	sleep 60 3>&- &
	victim=$!
	# Same PID, but not the process that was started: start time differs.
	echo "$victim 1" >"$D/server.pid"
	echo "$D" >>"$(zk__registry)"
	zk_servers_stop_all
	kill -0 "$victim"
	[ ! -e "$D/server.pid" ]
	kill "$victim"
	wait "$victim" || true
}
