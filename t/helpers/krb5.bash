# krb5.bash — a throwaway MIT Kerberos realm on loopback, for GSS-TSIG
# system tests (RFC 3645). Nothing outside DIR is touched: no /etc, no
# system KDC, no default credential cache.
#
# Source it after servers.bash (it uses its port picker and process
# registry):
#     load ../helpers/servers
#     load ../helpers/krb5
#
#   zk_krb5_start DIR [REALM]
#       create realm REALM (default TEST.ZKIT) in DIR and start its KDC:
#         DIR/krb5.conf   client profile        (exported as KRB5_CONFIG)
#         DIR/kdc.conf    KDC profile           (exported as KRB5_KDC_PROFILE)
#         DIR/principal*  database, master key from a random password
#                         (kdb5_util create -s -P), stash DIR/stash
#         DIR/ccache      default credential cache (exported as KRB5CCNAME)
#         DIR/rcache/     replay caches of acceptors (exported as KRB5RCACHEDIR)
#         DIR/server.log  krb5kdc's output, DIR/kdc.log its log
#       krb5kdc runs in the foreground (-n) as this shell's background child
#       on 127.0.0.1, one free high port for UDP and TCP; its PID is in
#       DIR/server.pid and the registry of servers.bash, so zk_server_stop
#       DIR or zk_servers_stop_all stops it (by PID). Sets ZK_KRB5_DIR,
#       ZK_KRB5_REALM, ZK_KRB5_PORT. Returns once the KDC listens on TCP
#       (at most $ZK_START_WAIT seconds).
#       Exported variables reach every program started afterwards (named,
#       kinit, nsupdate, our tools) and nothing else.
#   zk_krb5_addprinc PRINC...
#       add principals with random keys (PRINC without @REALM: the realm's)
#   zk_krb5_ktadd KEYTAB PRINC...
#       write the principals' current keys to KEYTAB (keys not changed)
#   zk_krb5_kinit PRINC [CCACHE]
#       get a TGT for PRINC from its keys (a client keytab kept in
#       DIR/clients.keytab, made by zk_krb5_addprinc) into CCACHE
#       (default: $KRB5CCNAME)
#   zk_krb5_stop        stop the KDC (zk_server_stop $ZK_KRB5_DIR)
#
# Debian packages: krb5-kdc (krb5kdc, kdb5_util), krb5-admin-server
# (kadmin.local), krb5-user (kinit, klist, kvno).

# kadmin.local with the realm's profile. It exits 0 even when the request
# failed, so any line that is not one of its usual remarks is an error.
zk__kadmin() {
	local out rc=0
	out=$(kadmin.local -r "$ZK_KRB5_REALM" -q "$*" 2>&1) || rc=$?
	if [ $rc -ne 0 ] || grep -vqE '^(Authenticating as principal |No policy specified for |Principal ".*" created\.|Entry for principal .* added to keytab )' <<<"$out"; then
		echo "krb5.bash: kadmin.local '$*' failed:" >&2
		# shellcheck disable=SC2001 # prefix every line
		sed 's/^/  | /' <<<"$out" >&2
		return 1
	fi
}

zk__krb5_princ() {
	case $1 in
	*@*) echo "$1" ;;
	*) echo "$1@$ZK_KRB5_REALM" ;;
	esac
}

zk__krb5_conf() {
	local dir=$1 realm=$2 port=$3 domain
	domain=$(tr '[:upper:]' '[:lower:]' <<<"$realm")
	cat >"$dir/krb5.conf" <<EOF
[libdefaults]
	default_realm = $realm
	dns_lookup_realm = false
	dns_lookup_kdc = false
	rdns = false
	dns_canonicalize_hostname = false
	default_ccache_name = FILE:$dir/ccache
	udp_preference_limit = 1
	ticket_lifetime = 1h
[realms]
	$realm = {
		kdc = tcp/127.0.0.1:$port
		kdc = 127.0.0.1:$port
	}
[domain_realm]
	.$domain = $realm
	$domain = $realm
EOF
	cat >"$dir/kdc.conf" <<EOF
[kdcdefaults]
	kdc_listen = 127.0.0.1:$port
	kdc_tcp_listen = 127.0.0.1:$port
[realms]
	$realm = {
		database_name = $dir/principal
		key_stash_file = $dir/stash
		acl_file = $dir/kadm5.acl
		kdc_listen = 127.0.0.1:$port
		kdc_tcp_listen = 127.0.0.1:$port
		max_life = 10h
		max_renewable_life = 1d
	}
[logging]
	kdc = FILE:$dir/kdc.log
	admin_server = FILE:$dir/kadmin.log
	default = FILE:$dir/krb5lib.log
EOF
	: >"$dir/kadm5.acl"
}

zk_krb5_start() {
	local dir=$1 realm=${2:-TEST.ZKIT} port try pid start deadline c
	for c in krb5kdc kdb5_util kadmin.local kinit; do
		command -v "$c" >/dev/null 2>&1 || {
			echo "krb5.bash: $c not installed (apt-get install krb5-kdc krb5-admin-server krb5-user)" >&2
			return 1
		}
	done
	mkdir -p "$dir/rcache" || return 1
	dir=$(cd "$dir" && pwd)
	ZK_KRB5_DIR=$dir ZK_KRB5_REALM=$realm
	export KRB5_CONFIG=$dir/krb5.conf KRB5_KDC_PROFILE=$dir/kdc.conf
	export KRB5CCNAME=FILE:$dir/ccache KRB5RCACHEDIR=$dir/rcache
	# Keep the tools away from any system keytab.
	export KRB5_KTNAME=FILE:$dir/default.keytab KRB5_CLIENT_KTNAME=FILE:$dir/default-client.keytab
	for try in 1 2 3 4 5; do
		port=$(zk_free_port) || return 1
		zk__krb5_conf "$dir" "$realm" "$port"
		if [ ! -e "$dir/principal" ]; then
			kdb5_util -r "$realm" create -s -P "$(head -c 24 /dev/urandom | base64)" \
				>"$dir/kdb5_util.log" 2>&1 || {
				echo "krb5.bash: kdb5_util create failed:" >&2
				sed 's/^/  | /' "$dir/kdb5_util.log" >&2
				return 1
			}
		fi
		[ ! -e "$dir/server.log" ] || mv "$dir/server.log" "$dir/server.log.$((try - 1))"
		zk__spawn "$dir" krb5kdc -n -r "$realm"
		read -r pid start <"$dir/server.pid"
		deadline=$((SECONDS + ZK_START_WAIT))
		while zk__alive "$pid" "$start" && [ $SECONDS -lt $deadline ]; do
			# Listening on TCP: the KDC is up (it binds UDP first).
			if ss -Hlntp "( sport = :$port )" 2>/dev/null | grep -q "pid=$pid,"; then
				# shellcheck disable=SC2034 # for the caller
				ZK_KRB5_PORT=$port
				return 0
			fi
			sleep 0.1
		done
		zk_server_stop "$dir" >/dev/null 2>&1 || true
		if grep -qiE 'address already in use|cannot bind' "$dir/server.log" "$dir/kdc.log" 2>/dev/null; then
			echo "krb5.bash: krb5kdc could not bind port $port, retrying" >&2
			continue
		fi
		break
	done
	echo "krb5.bash: krb5kdc failed to start in $dir; log tail:" >&2
	tail -n 20 "$dir/server.log" "$dir/kdc.log" 2>/dev/null | sed 's/^/  | /' >&2
	return 1
}

zk_krb5_addprinc() {
	local p
	for p in "$@"; do
		p=$(zk__krb5_princ "$p")
		zk__kadmin "addprinc -randkey $p" || return 1
		# The client keytab lets zk_krb5_kinit get tickets without a
		# password; -norandkey keeps the key the KDC has.
		zk__kadmin "ktadd -norandkey -k $ZK_KRB5_DIR/clients.keytab $p" || return 1
	done
}

zk_krb5_ktadd() {
	local kt=$1 p
	shift
	for p in "$@"; do
		zk__kadmin "ktadd -norandkey -k $kt $(zk__krb5_princ "$p")" || return 1
	done
}

zk_krb5_kinit() {
	local p ccache=${2:-$KRB5CCNAME} out
	p=$(zk__krb5_princ "$1")
	if ! out=$(kinit -k -t "$ZK_KRB5_DIR/clients.keytab" -c "$ccache" "$p" 2>&1); then
		echo "krb5.bash: kinit $p failed: $out" >&2
		return 1
	fi
}

zk_krb5_stop() {
	zk_server_stop "$ZK_KRB5_DIR"
}
