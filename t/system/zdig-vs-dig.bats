#!/usr/bin/env bats
# zdig --read against dig 9.18 on real named responses.
#
# named serves t/data/msg/example.zone (many record types) on 127.0.0.1.
# For each query, capture.py takes the raw response over UDP and dig asks
# the same question; `zdig --read` of the raw response must print what dig
# printed, once the lines that differ between two queries are masked: the
# ID, and dig's Query time, SERVER and WHEN lines (no cookies are sent).

bats_require_minimum_version 1.5.0

load ../helpers/common
load ../helpers/servers

setup_file() {
	zk_require_cmd named dig python3
	export ZK_SERVERS_REGISTRY=$BATS_FILE_TMPDIR/servers
	zk_named_start "$BATS_FILE_TMPDIR/named" NAMED_PORT \
		"example=$ZKIT_DATA/msg/example.zone" \
		--options 'server-id "zkit-test"; rrset-order { order none; };'
	export NAMED_PORT
}

teardown_file() {
	zk_servers_stop_all
}

setup() {
	zk_require_bin zdig
	zk_require_cmd named dig python3
	Z=$ZKIT_BIN/zdig
	C=$ZKIT_DATA/msg/capture.py
}

mask() {
	sed -E -e '/^;; (Query time|SERVER|WHEN):/d' -e 's/, id: [0-9]+$/, id: X/'
}

# compare QNAME QTYPE [QUERY-FLAG...] [-- DISPLAY-OPTION...]
# Query flags (both tools): --do, --nsid, --noedns, --norec, --bufsize=N.
compare() {
	local q=$1 t=$2 copts=() dopts=() disp=()
	shift 2
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		case $1 in
		--do) copts+=(--do) dopts+=(+dnssec) ;;
		--nsid) copts+=(--nsid) dopts+=(+nsid) ;;
		--noedns) copts+=(--noedns) dopts+=(+noedns) ;;
		--norec) copts+=(--norec) dopts+=(+norec) ;;
		--bufsize=*) copts+=(--bufsize "${1#*=}") dopts+=(+bufsize="${1#*=}" +ignore +notcp) ;;
		esac
		shift
	done
	[ $# -eq 0 ] || shift
	disp=("$@")
	local tmp=$BATS_TEST_TMPDIR
	python3 "$C" query --port "$NAMED_PORT" "${copts[@]}" "$q" "$t" >"$tmp/raw.hex"
	zk_dig "$NAMED_PORT" +nocmd +nocookie "${dopts[@]}" "${disp[@]}" "$q" "$t" | mask >"$tmp/dig.out"
	"$Z" --read "$tmp/raw.hex" "${disp[@]}" | mask >"$tmp/zdig.out"
	if ! diff "$tmp/dig.out" "$tmp/zdig.out" >"$tmp/diff"; then
		echo "zdig --read differs from dig for $q $t ${copts[*]} ${disp[*]}:"
		cat "$tmp/diff"
		return 1
	fi
}

QUERIES=(
	"example SOA" "example NS" "example MX" "example TXT" "example CAA" "example DNSKEY"
	"www.example A" "_sip._tcp.example SRV" "sip.example NAPTR" "sip.example SSHFP"
	"sip.example TLSA" "sip.example HINFO" "loc.example LOC" "d.example DS"
	"svc.example SVCB" "svc.example HTTPS" "uri.example URI" "ptr.example PTR"
	"x.dn.example A" "rp.example RP" "tab.example TXT" "nope.example A" "ns1.example MX"
	"other.test A" "big.example A"
	"a-very-long-label-name-that-keeps-going-on-and-on-and-on-012345.x.example TXT"
)

each_query() {
	local qt
	for qt in "${QUERIES[@]}"; do
		# shellcheck disable=SC2086
		compare $qt -- "$@" || return 1
	done
}

@test "default display equals dig for every record type" {
	each_query
}

@test "+short equals dig" {
	each_query +short
}

@test "+multiline equals dig" {
	each_query +multiline
}

@test "+nocomments, +noquestion, +noall +answer equal dig" {
	each_query +nocomments
	each_query +noquestion +noadditional
	each_query +noall +answer
}

@test "+ttlunits, +nottlid, +noclass equal dig" {
	each_query +ttlunits
	each_query +nottlid
	each_query +noclass
}

@test "unknown type (RFC 3597) in +multiline equals dig" {
	# dig splits the \# hex in parentheses in multiline mode.
	compare unk.example TYPE65280
	compare unk.example TYPE65280 -- +multiline
}

@test "NSID, DO, no EDNS, no recursion, truncation equal dig" {
	compare example SOA --nsid
	compare example DNSKEY --do -- +multiline
	compare example DNSKEY -- +multiline +norrcomments
	compare example DNSKEY -- +nocrypto
	compare example A --noedns
	compare example SOA --norec
	compare big.example A --bufsize=512
	grep -q "flags: qr aa tc rd" "$BATS_TEST_TMPDIR/zdig.out"
}

@test "+rrcomments on one line, +multiline +norrcomments equal dig" {
	# Record comments and their absence are rdata.c's text.
	compare example DNSKEY -- +rrcomments
	compare example SOA -- +rrcomments
	compare example SOA -- +multiline +norrcomments
}

@test "+json of every response is well-formed JSON with the right counts" {
	zk_require_cmd jq
	local qt q t out
	for qt in "${QUERIES[@]}"; do
		read -r q t <<<"$qt"
		python3 "$C" query --port "$NAMED_PORT" "$q" "$t" >"$BATS_TEST_TMPDIR/raw.hex"
		out=$("$Z" --read "$BATS_TEST_TMPDIR/raw.hex" +json)
		echo "$out" | python3 -m json.tool >/dev/null
		[ "$(echo "$out" | jq -r .QNAME)" = "${q%.}." ]
		[ "$(echo "$out" | jq '(.answerRRs // []) | length')" = "$(echo "$out" | jq .ANCOUNT)" ]
		[ "$(echo "$out" | jq '(.additionalRRs // []) | length')" = "$(echo "$out" | jq .ARCOUNT)" ]
	done
}
