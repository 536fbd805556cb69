#!/usr/bin/env bash
# golden.sh — regenerate the crafted messages and dig's view of them.
#
#   t/data/msg/golden.sh
#
# Runs crafted.py, then for every well-formed crafted message starts
# t/helpers/responder.py on 127.0.0.1 to send it (with dig's query ID
# patched in), asks dig, and stores dig's output as crafted-NAME.dig:
# "+nocmd" output without the Query time / SERVER / WHEN lines, with the ID
# put back to the message's own (1234), and without dig's ";; Warning:
# query response not set" (a saved message may well be a query), i.e.
# exactly what `zdig --read` must print. Needs dig (BIND 9.18) and python3.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
# shellcheck source=/dev/null
. "$top/t/helpers/servers.bash"
tmp=$(mktemp -d)
export ZK_SERVERS_REGISTRY=$tmp/registry
trap 'zk_servers_stop_all; rm -rf "$tmp"' EXIT

python3 "$here/crafted.py" --outdir "$here"
# Display variants checked for the richest messages: crafted-NAME@VARIANT.dig
# holds dig's output with the options VARIANT ('_' between options).
variants="multiline short nocomments noquestion noall_answer ttlunits nottlid noclass nostats"
rich="options sections tsig"

python3 "$here/crafted.py" --list | while read -r name args; do
	hex=$(grep -v '^#' "$here/crafted-$name.hex" | tr -d ' \n')
	for v in "" $(case " $rich " in *" $name "*) echo "$variants" ;; esac); do
		out=$here/crafted-$name${v:+@$v}.dig
		disp=${v:+$(echo "$v" | sed -E "s/(^|_)/ +/g")}
		zk_responder_start "$tmp/r-$name" rport --udp --reply "$hex" --count 1
		# shellcheck disable=SC2086
		zk_dig "$rport" +nocmd +nocookie $args $disp |
			sed -E -e '/^;; (Query time|SERVER|WHEN):/d' \
				-e '/^;; Warning: query response not set$/d' \
				-e 's/, id: [0-9]+$/, id: 1234/' >"$out"
		zk_server_stop "$tmp/r-$name"
		echo "${out##*/}: $(wc -l <"$out") lines"
	done
done
