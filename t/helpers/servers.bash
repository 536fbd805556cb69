# servers.bash — real DNS servers (BIND named, Knot knotd) and the scriptable
# test responder (responder.py) on 127.0.0.1, for system tests and benchmarks.
#
# Source it from bats (`load ../helpers/servers`) or from plain bash
# (`. t/helpers/servers.bash`). Functions return non-zero and print a
# diagnostic (with the server's log tail) on failure; nothing here exits.
#
#   zk_named_start DIR PORT_VAR [ARG...]   start BIND named
#   zk_knotd_start DIR PORT_VAR [ARG...]   start Knot knotd
#       DIR       a fresh or empty directory owned by this server: config,
#                 zone copies, journals, log (DIR/server.log), pid
#                 (DIR/server.pid). Zone files given are COPIED into
#                 DIR/zones/, so updates never touch the originals.
#       PORT_VAR  name of a variable set to the chosen port (random free
#                 port in 20000-60999, free for UDP and TCP; retried if the
#                 server can't bind it). A variable, not output: the server
#                 must be started by the calling shell so it can be stopped.
#     ARGs:
#       ZONE=FILE[,OPT...]      a primary zone loaded from FILE
#       --secondary ZONE=IP#PORT[,OPT...]
#                               a secondary zone transferred from IP#PORT
#                               (same as ZONE=,primary=IP#PORT)
#       --key [ALG:]NAME:SECRET a TSIG key (dig -y order; ALG defaults to
#                               hmac-sha256; NAME:ALG:SECRET is accepted too)
#       --port N                use port N instead of a random one
#       --conf-extra TEXT       appended verbatim to the config file (named:
#                               top-level statements; knotd: YAML sections)
#       --options TEXT          (named only) statements added inside
#                               options { }
#     zone OPTs (repeatable where it makes sense):
#       update=KEY|any          allow dynamic update signed by KEY (any: from
#                               127.0.0.1 unsigned)
#       transfer=KEY|any|none   who may transfer the zone (default any;
#                               knotd: any address in 127.0.0.0/8)
#       notify=IP#PORT          send NOTIFY there when the zone changes
#                               (only to listed targets: named notify explicit)
#       primary=IP#PORT         make the zone a secondary of IP#PORT
#       key=KEY                 TSIG key for messages we send for this zone
#                               (NOTIFY, SOA/AXFR/IXFR to the primary);
#                               knotd also requires it on NOTIFY it accepts
#       ixfr                    serve IXFR from zone-file differences
#                               (named ixfr-from-differences, knot
#                               zonefile-load: difference) after a reload
#     Returns once every zone answers over UDP and TCP: primaries with an
#     authoritative SOA, secondaries with any reply (use zk_wait_serial for
#     their data). Fails early on a zone that did not load; retries (up to
#     5 ports) when the port was taken, keeping the failed attempt's log as
#     DIR/server.log.N. Waits at most $ZK_START_WAIT (15) seconds.
#     named runs as `named -g -n 1 -c DIR/named.conf` (foreground, one
#     worker, or $ZK_NAMED_WORKERS; no rndc channel, no recursion, no
#     validation); knotd as
#     `knotd -c DIR/knot.conf` with one worker of each kind. Neither needs
#     root. For servers that point at each other, pick one port first:
#         NP=$(zk_free_port)
#         zk_knotd_start "$D/k" KP "example.=$Z,notify=127.0.0.1#$NP"
#         zk_named_start "$D/n" NP --port "$NP" --secondary "example.=127.0.0.1#$KP"
#
#   zk_responder_start DIR PORT_VAR [responder.py ARG...]
#                               start t/helpers/responder.py in DIR
#   zk_server_stop DIR          SIGTERM the PID in DIR/server.pid, wait up to
#                               $ZK_STOP_WAIT (10) s, then SIGKILL that PID
#                               only (PID and start time are checked, so a
#                               recycled PID is never signalled)
#   zk_server_reload DIR        SIGHUP (named and knotd reload zones)
#   zk_servers_stop_all         stop every server started in this scope
#                               (the bats test, setup_file, or the script)
#   zk_server_pid DIR           print the PID
#   zk_server_log DIR [N]       print the last N (40) log lines
#   zk_free_port                print a random port free for UDP and TCP
#   zk_dig PORT ARG...          dig @127.0.0.1 -p PORT with bounded waits
#   zk_wait_serial PORT ZONE SERIAL [SECONDS]
#                               poll until ZONE's SOA serial is SERIAL
#   zk_random_secret            print a random base64 32-octet TSIG secret
#
# Scope: servers are listed in $ZK_SERVERS_REGISTRY, by default a file in
# BATS_TEST_TMPDIR (in a test), BATS_FILE_TMPDIR (in setup_file) or a
# temp file for plain scripts (which should `trap zk_servers_stop_all EXIT`).
# Background processes close bats' fd 3 so a leftover can't hang bats.
# Everything here is safe under `set -e` and `set -u` (bats runs tests
# with errexit; bench scripts may use nounset).

ZK_HELPERS=${ZK_HELPERS:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
ZK_START_WAIT=${ZK_START_WAIT:-15}
ZK_STOP_WAIT=${ZK_STOP_WAIT:-10}

zk__err() {
	echo "servers.bash: $*" >&2
}

zk__registry() {
	if [ -n "${ZK_SERVERS_REGISTRY:-}" ]; then
		echo "$ZK_SERVERS_REGISTRY"
	elif [ -n "${BATS_TEST_TMPDIR:-}" ]; then
		echo "$BATS_TEST_TMPDIR/.zk-servers"
	elif [ -n "${BATS_FILE_TMPDIR:-}" ]; then
		echo "$BATS_FILE_TMPDIR/.zk-servers"
	else
		echo "${TMPDIR:-/tmp}/zk-servers.$$"
	fi
}

# Start time (clock ticks since boot) of a PID: with the PID it names one
# process, so we never signal a recycled PID.
zk__starttime() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	# shellcheck disable=SC2086 # split the fields on purpose
	set -- $stat
	echo "${20}"
}

# Ours: PID exists (a zombie too) and started at START. An empty START
# (the process was gone before we could read it) is never ours.
zk__ours() {
	local pid=$1 start=$2 stat
	[ -n "$start" ] || return 1
	stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	# shellcheck disable=SC2086 # split the fields on purpose
	set -- $stat
	[ "${20}" = "$start" ]
}

# Alive: ours and not a zombie.
zk__alive() {
	local stat
	zk__ours "$1" "$2" || return 1
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	[ "${stat:0:1}" != Z ]
}

zk_random_secret() {
	head -c 32 /dev/urandom | base64
}

zk__port_free() {
	[ -z "$(ss -Hlntu "( sport = :$1 )" 2>/dev/null)" ] || return 1
	# Ports handed out but maybe not bound yet by their server.
	! grep -qx "$1" "$(zk__registry).ports" 2>/dev/null
}

zk_free_port() {
	local port
	for _ in $(seq 1 200); do
		port=$((20000 + (RANDOM * 32768 + RANDOM) % 41000))
		if zk__port_free "$port"; then
			echo "$port" >>"$(zk__registry).ports"
			echo "$port"
			return 0
		fi
	done
	zk__err "no free port found"
	return 1
}

zk_dig() {
	local port=$1
	shift
	dig +tries=1 +time=2 @127.0.0.1 -p "$port" "$@"
}

zk_server_pid() {
	local pid
	read -r pid _ <"$1/server.pid" 2>/dev/null || return 1
	echo "$pid"
}

zk_server_log() {
	tail -n "${2:-40}" "$1/server.log" 2>/dev/null
}

# Split a key spec into zk__kalg zk__kname zk__ksecret.
zk__parse_key() {
	local a b c
	IFS=: read -r a b c <<<"$1"
	if [ -z "$c" ]; then
		zk__kalg=hmac-sha256 zk__kname=$a zk__ksecret=$b
	elif [[ $a == hmac-* ]]; then
		zk__kalg=$a zk__kname=$b zk__ksecret=$c
	else
		zk__kalg=$b zk__kname=$a zk__ksecret=$c
	fi
	zk__kname=${zk__kname%.}
	if [ -z "$zk__kname" ] || [ -z "$zk__ksecret" ]; then
		zk__err "bad key spec: $1 (want [alg:]name:secret)"
		return 1
	fi
}

# Parse the common start arguments into zk__zones (lines "name|file|opts"),
# zk__keys (specs), zk__extra, zk__options, zk__fixed_port.
zk__parse_args() {
	zk__zones=() zk__keys=() zk__extra='' zk__options='' zk__fixed_port=''
	local a z rest
	while [ $# -gt 0 ]; do
		case $1 in
		--key)
			zk__parse_key "$2" || return 1
			zk__keys+=("$zk__kalg:$zk__kname:$zk__ksecret")
			shift 2
			;;
		--secondary)
			z=${2%%=*} rest=${2#*=}
			zk__zones+=("${z%.}.||primary=$rest")
			shift 2
			;;
		--port) zk__fixed_port=$2 && shift 2 ;;
		--conf-extra) zk__extra+=$2$'\n' && shift 2 ;;
		--options) zk__options+=$2$'\n' && shift 2 ;;
		*=*)
			a=$1 z=${a%%=*} rest=${a#*=}
			zk__zones+=("${z%.}.|${rest%%,*}|$([[ $rest == *,* ]] && echo "${rest#*,}")")
			shift
			;;
		*)
			zk__err "unknown argument: $1"
			return 1
			;;
		esac
	done
	[ ${#zk__zones[@]} -gt 0 ] || {
		zk__err "no zone given"
		return 1
	}
}

# Copy primary zone files into DIR/zones; set zk__zfile to the copy.
zk__zone_file() {
	local dir=$1 name=$2 file=$3
	zk__zfile="$dir/zones/${name%.}.zone"
	[ "$name" != . ] || zk__zfile="$dir/zones/root.zone"
	if [ -n "$file" ]; then
		cp "$file" "$zk__zfile" || return 1
	fi
}

# named: one zone statement from "name|file|opts".
zk__named_zone() {
	local dir=$1 name file opts o upd='' xfr='' notify='' primary='' key='' ixfr=''
	IFS='|' read -r name file opts <<<"$2"
	local IFS=,
	for o in $opts; do
		case $o in
		update=any) upd+='127.0.0.1; ' ;;
		update=*) upd+="key \"${o#*=}\"; " ;;
		transfer=any) xfr+='any; ' ;;
		transfer=none) xfr+='none; ' ;;
		transfer=*) xfr+="key \"${o#*=}\"; " ;;
		notify=*) notify+="${o#*=} " ;;
		primary=*) primary=${o#*=} ;;
		key=*) key=${o#*=} ;;
		ixfr) ixfr=1 ;;
		'') ;;
		*)
			zk__err "unknown zone option: $o"
			return 1
			;;
		esac
	done
	unset IFS
	zk__zone_file "$dir" "$name" "$file" || return 1
	local kq='' t
	[ -z "$key" ] || kq=" key \"$key\""
	echo "zone \"$name\" {"
	if [ -n "$primary" ]; then
		echo "	type secondary;"
		echo "	primaries { ${primary%#*} port ${primary##*#}$kq; };"
	else
		echo "	type primary;"
	fi
	echo "	file \"$zk__zfile\";"
	[ -z "$upd" ] || echo "	allow-update { $upd};"
	echo "	allow-transfer { ${xfr:-any; }};"
	if [ -n "$notify" ]; then
		echo "	notify explicit;"
		printf '	also-notify {'
		for t in $notify; do printf ' %s port %s%s;' "${t%#*}" "${t##*#}" "$kq"; done
		echo ' };'
	else
		echo "	notify no;"
	fi
	[ -z "$ixfr" ] || echo "	ixfr-from-differences yes;"
	echo "};"
}

zk__named_conf() {
	local dir=$1 port=$2 k z
	cat <<EOF
options {
	directory "$dir";
	pid-file "$dir/named.pid";
	session-keyfile "$dir/session.key";
	managed-keys-directory "$dir";
	dump-file "$dir/named.dump";
	statistics-file "$dir/named.stats";
	listen-on port $port { 127.0.0.1; };
	listen-on-v6 { none; };
	reuseport no;
	recursion no;
	dnssec-validation no;
	masterfile-format text;
	notify-source 127.0.0.1;
	transfer-source 127.0.0.1;
	$zk__options
};
controls { };
EOF
	for k in ${zk__keys[@]+"${zk__keys[@]}"}; do
		IFS=: read -r zk__kalg zk__kname zk__ksecret <<<"$k"
		printf 'key "%s" {\n\talgorithm %s;\n\tsecret "%s";\n};\n' \
			"$zk__kname" "$zk__kalg" "$zk__ksecret"
	done
	for z in "${zk__zones[@]}"; do
		zk__named_zone "$dir" "$z" || return 1
	done
	printf '%s' "$zk__extra"
}

# knotd: remote ids are made from address and key so they are unique.
zk__knot_remote_id() {
	local id="r_$1_${2:-nokey}"
	echo "${id//[^A-Za-z0-9_]/_}"
}

zk__knot_conf() {
	local dir=$1 port=$2 k z name file opts o ol user='' acls remotes=() r
	local zone_text='' acl_text='' seen=' '
	[ "$(id -u)" = 0 ] || user="    user: $(id -un):$(id -gn)"
	for z in "${zk__zones[@]}"; do
		local upd=() xfr=() notify=() primary='' key='' ixfr=''
		IFS='|' read -r name file opts <<<"$z"
		IFS=, read -ra ol <<<"$opts"
		for o in ${ol[@]+"${ol[@]}"}; do
			case $o in
			update=*) upd+=("${o#*=}") ;;
			transfer=*) xfr+=("${o#*=}") ;;
			notify=*) notify+=("${o#*=}") ;;
			primary=*) primary=${o#*=} ;;
			key=*) key=${o#*=} ;;
			ixfr) ixfr=1 ;;
			*)
				zk__err "unknown zone option: $o"
				return 1
				;;
			esac
		done
		zk__zone_file "$dir" "$name" "$file" || return 1
		[ ${#xfr[@]} -gt 0 ] || xfr=(any)
		acls=()
		for o in ${upd[@]+"${upd[@]}"}; do acls+=("update:$o"); done
		for o in "${xfr[@]}"; do [ "$o" = none ] || acls+=("transfer:$o"); done
		[ -z "$primary" ] || acls+=("notify:${key:-any}")
		zone_text+="  - domain: $name"$'\n'"    file: $zk__zfile"$'\n'
		if [ ${#acls[@]} -gt 0 ]; then
			zone_text+="    acl: ["
			for o in "${acls[@]}"; do
				r="acl_${o//[^A-Za-z0-9_]/_}"
				zone_text+="$r, "
				if [[ $seen != *" $r "* ]]; then
					seen+="$r "
					acl_text+="  - id: $r"$'\n'"    action: ${o%%:*}"$'\n'
					if [ "${o#*:}" = any ]; then
						acl_text+="    address: 127.0.0.0/8"$'\n'
					else
						acl_text+="    key: ${o#*:}"$'\n'
					fi
				fi
			done
			zone_text="${zone_text%, }]"$'\n'
		fi
		if [ -n "$primary" ]; then
			r=$(zk__knot_remote_id "$primary" "$key")
			remotes+=("$r|$primary|$key")
			zone_text+="    master: $r"$'\n'
		fi
		if [ ${#notify[@]} -gt 0 ]; then
			zone_text+="    notify: ["
			for o in "${notify[@]}"; do
				r=$(zk__knot_remote_id "$o" "$key")
				remotes+=("$r|$o|$key")
				zone_text+="$r, "
			done
			zone_text="${zone_text%, }]"$'\n'
		fi
		[ -z "$ixfr" ] || zone_text+="    zonefile-load: difference"$'\n'
	done
	cat <<EOF
server:
    rundir: $dir
    pidfile: $dir/knot.pid
    listen: 127.0.0.1@$port
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1
$user
control:
    listen: $dir/knot.sock
log:
  - target: stderr
    any: info
database:
    storage: $dir
    journal-db: $dir/journal
    kasp-db: $dir/kasp
    timer-db: $dir/timers
    catalog-db: $dir/catalog
EOF
	if [ ${#zk__keys[@]} -gt 0 ]; then
		echo "key:"
		for k in "${zk__keys[@]}"; do
			IFS=: read -r zk__kalg zk__kname zk__ksecret <<<"$k"
			printf '  - id: %s\n    algorithm: %s\n    secret: %s\n' \
				"$zk__kname" "$zk__kalg" "$zk__ksecret"
		done
	fi
	if [ ${#remotes[@]} -gt 0 ]; then
		echo "remote:"
		seen=' '
		for r in "${remotes[@]}"; do
			IFS='|' read -r o z k <<<"$r"
			[[ $seen != *" $o "* ]] || continue
			seen+="$o "
			printf '  - id: %s\n    address: %s@%s\n' "$o" "${z%#*}" "${z##*#}"
			[ -z "$k" ] || printf '    key: %s\n' "$k"
		done
	fi
	[ -z "$acl_text" ] || printf 'acl:\n%s' "$acl_text"
	cat <<EOF
template:
  - id: default
    storage: $dir/zones
    semantic-checks: on
zone:
$zone_text
EOF
	printf '%s' "$zk__extra"
}

# PORT_VAR is set with printf -v from inside the start functions: it must
# not be one of their local names (it would set the local instead).
zk__check_var() {
	case $1 in
	'' | *[!A-Za-z0-9_]* | [0-9]*)
		zk__err "bad variable name: '$1'"
		return 1
		;;
	kind | dir | port_var | port | try | rc | conf | deadline | pid | start)
		zk__err "PORT_VAR '$1' clashes with a local name; use another"
		return 1
		;;
	esac
}

zk__register() {
	echo "$1" >>"$(zk__registry)"
}

# Run "$@" in the background as this shell's child, with fd 3 closed and
# output to DIR/server.log; record PID and start time in DIR/server.pid.
zk__spawn() {
	local dir=$1
	shift
	"$@" </dev/null >>"$dir/server.log" 2>&1 3>&- &
	local pid=$!
	echo "$pid $(zk__starttime "$pid")" >"$dir/server.pid"
	zk__register "$dir"
}

zk__bind_failed() {
	grep -qiE 'address (already )?in use|could not listen|unable to listen|cannot bind|failed to bind' \
		"$1/server.log" 2>/dev/null
}

# A zone file the server refused: no point waiting for it.
zk__load_failed() {
	grep -qE 'not loaded due to errors|error: .* zone event .load. failed' \
		"$1/server.log" 2>/dev/null
}

# knotd binds UDP with SO_REUSEPORT: a process that took the same port
# with SO_REUSEPORT a moment earlier would silently share it. True when
# PID and another process both have a socket on PORT (pids are visible
# for our own processes, so this needs no root).
zk__port_shared() {
	local owners
	owners=$(ss -Hlntup "( sport = :$1 )" 2>/dev/null | grep -o 'pid=[0-9]*' | sort -u) || true
	if grep -qx "pid=$2" <<<"$owners" && [ "$owners" != "pid=$2" ]; then
		zk__err "port $1 is shared with another process: ${owners//$'\n'/ }"
		return 0
	fi
	return 1
}

# Poll until every zone answers (primaries: authoritative SOA, NOERROR),
# over UDP and then TCP. Fails early if the server died or could not bind.
zk__wait_ready() {
	local dir=$1 port=$2 deadline=$((SECONDS + ZK_START_WAIT)) z name file opts pid start out
	read -r pid start <"$dir/server.pid"
	for z in "${zk__zones[@]}"; do
		IFS='|' read -r name file opts <<<"$z"
		while :; do
			if zk__bind_failed "$dir"; then
				return 2
			fi
			if ! zk__alive "$pid" "$start"; then
				# named logs a bind failure and exits at once: the
				# log may only now hold the line the check above
				# looked for.
				if zk__bind_failed "$dir"; then
					return 2
				fi
				zk__err "server in $dir exited during start-up"
				return 1
			fi
			if zk__port_shared "$port" "$pid"; then
				return 2
			fi
			if zk__load_failed "$dir"; then
				zk__err "server in $dir could not load a zone"
				return 1
			fi
			out=$(dig +tries=1 +time=1 +norec @127.0.0.1 -p "$port" "$name" SOA 2>&1) || true
			if [ -n "$file" ]; then
				[[ $out == *"status: NOERROR"*"flags: qr aa"* ]] &&
					[[ $out == *$'\tSOA\t'* ]] && break
			elif [[ $out == *"->>HEADER<<-"* ]]; then
				break
			fi
			if [ $SECONDS -ge $deadline ]; then
				zk__err "server in $dir: no answer for $name on port $port in ${ZK_START_WAIT}s"
				# shellcheck disable=SC2001 # prefix every line
				sed 's/^/  dig: /' <<<"$out" >&2
				return 1
			fi
			sleep 0.1
		done
	done
	while ! dig +tcp +tries=1 +time=1 +norec @127.0.0.1 -p "$port" "$name" SOA >/dev/null 2>&1; do
		if [ $SECONDS -ge $deadline ]; then
			zk__err "server in $dir: no TCP answer on port $port"
			return 1
		fi
		sleep 0.1
	done
	! zk__bind_failed "$dir" || return 2
	! zk__port_shared "$port" "$pid" || return 2
}

# zk__start KIND DIR PORT_VAR ARGS...: shared start/retry loop.
zk__start() {
	local kind=$1 dir=$2 port_var=$3 port try rc conf
	shift 3
	zk__check_var "$port_var" || return 1
	mkdir -p "$dir/zones" || return 1
	dir=$(cd "$dir" && pwd)
	zk__parse_args "$@" || return 1
	for try in 1 2 3 4 5; do
		port=${zk__fixed_port:-$(zk_free_port)} || return 1
		# A failed attempt's log is kept as server.log.N.
		[ ! -e "$dir/server.log" ] || mv "$dir/server.log" "$dir/server.log.$((try - 1))"
		case $kind in
		named)
			conf=$dir/named.conf
			zk__named_conf "$dir" "$port" >"$conf" || return 1
			zk__spawn "$dir" named -g -n "${ZK_NAMED_WORKERS:-1}" -c "$conf"
			;;
		knotd)
			conf=$dir/knot.conf
			zk__knot_conf "$dir" "$port" >"$conf" || return 1
			zk__spawn "$dir" knotd -c "$conf"
			;;
		esac
		rc=0
		zk__wait_ready "$dir" "$port" || rc=$?
		if [ $rc -eq 0 ]; then
			printf -v "$port_var" '%s' "$port"
			return 0
		fi
		zk_server_stop "$dir" >/dev/null 2>&1 || true
		if [ $rc -ne 2 ] || [ -n "$zk__fixed_port" ]; then
			break
		fi
		echo "servers.bash: $kind could not bind port $port, retrying" >&2
	done
	zk__err "$kind failed to start in $dir; config $conf; log tail:"
	zk_server_log "$dir" 30 | sed 's/^/  | /' >&2
	return 1
}

zk_named_start() {
	zk__start named "$@"
}

zk_knotd_start() {
	zk__start knotd "$@"
}

zk_responder_start() {
	local dir=$1 port_var=$2 deadline=$((SECONDS + ZK_START_WAIT)) pid start port
	shift 2
	zk__check_var "$port_var" || return 1
	mkdir -p "$dir" || return 1
	rm -f "$dir/responder.port" "$dir/responder.pid"
	: >"$dir/server.log"
	zk__spawn "$dir" python3 "$ZK_HELPERS/responder.py" --dir "$dir" "$@"
	read -r pid start <"$dir/server.pid"
	while [ ! -s "$dir/responder.port" ]; do
		if ! zk__alive "$pid" "$start" || [ $SECONDS -ge $deadline ]; then
			zk__err "responder in $dir did not start; log tail:"
			zk_server_log "$dir" 20 | sed 's/^/  | /' >&2
			zk_server_stop "$dir" >/dev/null 2>&1 || true
			return 1
		fi
		sleep 0.05
	done
	read -r port <"$dir/responder.port"
	printf -v "$port_var" '%s' "$port"
}

zk_server_stop() {
	local dir=$1 pid start deadline reg
	read -r pid start <"$dir/server.pid" 2>/dev/null || return 0
	if zk__alive "$pid" "$start"; then
		kill -TERM "$pid" 2>/dev/null || true
		deadline=$((SECONDS + ZK_STOP_WAIT))
		while zk__alive "$pid" "$start" && [ $SECONDS -lt $deadline ]; do
			sleep 0.1
		done
		if zk__alive "$pid" "$start"; then
			zk__err "PID $pid ($dir) ignored SIGTERM for ${ZK_STOP_WAIT}s: SIGKILL"
			kill -KILL "$pid" 2>/dev/null || true
			deadline=$((SECONDS + 5))
			while zk__alive "$pid" "$start" && [ $SECONDS -lt $deadline ]; do
				sleep 0.1
			done
		fi
	fi
	# Reap it if it is our child and has exited (never wait on another).
	if zk__ours "$pid" "$start" && ! zk__alive "$pid" "$start"; then
		wait "$pid" 2>/dev/null || true
	fi
	rm -f "$dir/server.pid"
	reg=$(zk__registry)
	if [ -f "$reg" ]; then
		grep -vxF "$dir" "$reg" >"$reg.tmp" || true
		mv "$reg.tmp" "$reg"
	fi
	! zk__alive "$pid" "$start"
}

zk_servers_stop_all() {
	local reg dir rc=0
	reg=$(zk__registry)
	[ -f "$reg" ] || return 0
	while read -r dir; do
		[ -n "$dir" ] || continue
		zk_server_stop "$dir" || rc=1
	done < <(cat "$reg")
	rm -f "$reg" "$reg.ports"
	return $rc
}

zk_server_reload() {
	local pid start
	read -r pid start <"$1/server.pid" || return 1
	zk__alive "$pid" "$start" && kill -HUP "$pid"
}

zk_wait_serial() {
	local port=$1 zone=$2 serial=$3 deadline=$((SECONDS + ${4:-15})) got
	while :; do
		got=$(dig +short +tries=1 +time=1 +norec @127.0.0.1 -p "$port" "$zone" SOA 2>/dev/null |
			awk '{print $3}')
		[ "$got" != "$serial" ] || return 0
		if [ $SECONDS -ge $deadline ]; then
			zk__err "$zone on port $port: serial ${got:-none}, want $serial"
			return 1
		fi
		sleep 0.2
	done
}
