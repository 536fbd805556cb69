#!/usr/bin/env bats
# zdig --read: saved messages printed as dig prints them, every display
# option, input forms (hex, raw wire, stdin), errors and exit codes.
#
# t/data/msg/crafted-NAME[@VARIANT].dig is dig 9.18's own output for the
# message crafted-NAME.hex (golden.sh re-creates them with a real dig);
# named-*.hex are responses captured from named (capture.py).

bats_require_minimum_version 1.5.0

load helpers/common

D=$ZKIT_DATA/msg

setup() {
	zk_require_bin zdig
	Z=$ZKIT_BIN/zdig
}

# The display options a golden file name stands for: "@noall_answer" is
# "+noall +answer".
variant_opts() {
	local b=${1##*/}
	b=${b%.dig}
	[[ $b == *@* ]] || return 0
	echo "${b#*@}" | sed -E 's/(^|_)/ +/g'
}

# TSIG record text differs from BIND's in rdata.c (a trailing space after
# an empty other-data field); compare those lines without it.
strip_tsig_trailing() {
	sed -E '/\tTSIG\t|\tTSIG | TSIG /s/ +$//'
}

@test "zdig -V and --version print the version" {
	run "$Z" -V
	assert_success
	assert_output "zdig (zkit) 0.1.0"
	run "$Z" --version
	assert_success
	assert_output "zdig (zkit) 0.1.0"
}

@test "zdig -h lists --read, every +option and the exit codes" {
	run "$Z" -h
	assert_success
	assert_line --partial "zdig --read FILE [+[no]option ...]"
	for o in additional all answer authority class cmd comments crypto json multiline \
		question rrcomments short stats ttlid ttlunits; do
		assert_line --partial "+[no]$o "
	done
	assert_line --partial "10 malformed message"
	run "$Z" --help
	assert_success
}

@test "usage errors exit 1 with one line and a hint" {
	run "$Z" --read
	assert_failure 1
	assert_line --index 0 "zdig: --read needs a FILE argument"
	run "$Z" --read "$D/named-soa.hex" +frobnicate
	assert_failure 1
	assert_line --index 0 "zdig: unknown option: +frobnicate"
	run "$Z" --bogus
	assert_failure 1
	assert_line --index 0 "zdig: unknown option: --bogus"
	run "$Z" -t NOSUCHTYPE example.com
	assert_failure 1
	assert_line --index 0 "zdig: unknown type: NOSUCHTYPE"
}

@test "+options match unique prefixes, +a is ambiguous" {
	run "$Z" --read "$D/named-soa.hex" +a
	assert_failure 1
	assert_line --index 0 "zdig: ambiguous option: +a (matches: +aaflag +aaonly +additional +adflag +all +answer +authority)"
	run "$Z" --read "$D/named-soa.hex" +noau
	assert_success
	run "$Z" --read "$D/crafted-sections.hex" +mul
	assert_success
	assert_output "$(cat "$D/crafted-sections@multiline.dig")"
	run "$Z" --read "$D/crafted-sections.hex" +noal +ans
	assert_success
	assert_output "$(cat "$D/crafted-sections@noall_answer.dig")"
}

@test "every crafted message and display variant prints exactly as dig 9.18" {
	local f n opts want got count=0
	for f in "$D"/crafted-*.dig; do
		n=${f##*/}
		n=${n%.dig}
		n=${n%@*}
		[[ $f != *tsig@multiline* ]] || continue # see the TSIG test below
		opts=$(variant_opts "$f")
		# shellcheck disable=SC2086
		got=$("$Z" --read "$D/$n.hex" $opts | strip_tsig_trailing)
		want=$(strip_tsig_trailing <"$f")
		if [ "$got" != "$want" ]; then
			echo "zdig --read $n.hex$opts differs from dig:"
			diff <(echo "$want") <(echo "$got") || true
			return 1
		fi
		count=$((count + 1))
	done
	[ "$count" -ge 30 ]
}

@test "TSIG pseudosection in +multiline: all but the record's rdata layout" {
	run "$Z" --read "$D/crafted-tsig.hex" +multiline
	assert_success
	assert_output --partial ";; TSIG PSEUDOSECTION:"
	assert_line --partial "key.example.		0 ANY TSIG hmac-sha256. 1700000000 300 32 "
	diff <(grep -v 'TSIG hmac\|^	' "$D/crafted-tsig@multiline.dig") \
		<("$Z" --read "$D/crafted-tsig.hex" +multiline | grep -v 'TSIG hmac\|^	')
}

@test "UPDATE: ZONE, PREREQUISITE and UPDATE sections, empty rdata" {
	run "$Z" --read "$D/crafted-update.hex"
	assert_success
	assert_output "$(printf '%s\n' \
		';; Got answer:' \
		';; ->>HEADER<<- opcode: UPDATE, status: NOERROR, id: 1234' \
		';; flags: qr; ZONE: 1, PREREQ: 1, UPDATE: 2, ADDITIONAL: 0' \
		'' \
		';; ZONE SECTION:' \
		';example.com.			IN	SOA' \
		'' \
		';; PREREQUISITE SECTION:' \
		'a.example.com.		0	NONE	A	' \
		'' \
		';; UPDATE SECTION:' \
		'b.example.com.		0	ANY	ANY	' \
		'c.example.com.		3600	IN	AAAA	::' \
		'' \
		';; MSG SIZE  rcvd: 120')"
}

@test "NOTIFY and captured named opcodes" {
	run "$Z" --read "$D/crafted-notify.hex"
	assert_success
	assert_line --index 1 ";; ->>HEADER<<- opcode: NOTIFY, status: NOERROR, id: 1234"
	assert_line --index 2 ";; flags: qr aa; QUERY: 1, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 0"
	run "$Z" --read "$D/named-notify.hex"
	assert_success
	assert_line --partial "opcode: NOTIFY, status: NOERROR"
	run "$Z" --read "$D/named-update.hex"
	assert_success
	assert_line --partial "opcode: UPDATE, status: REFUSED"
	assert_line ";; ZONE SECTION:"
}

@test "+short prints rdata only" {
	run "$Z" --read "$D/named-mx.hex" +short
	assert_success
	assert_output "$(printf '20 mail2.example.net.\n10 mail.example.')"
	run "$Z" --read "$D/named-nxdomain.hex" +short
	assert_success
	assert_output ""
}

@test "+json is RFC 8427-shaped JSON" {
	zk_require_cmd python3 jq
	run "$Z" --read "$D/named-soa.hex" +json
	assert_success
	echo "$output" | python3 -m json.tool >/dev/null
	[ "$(echo "$output" | wc -l)" -eq 1 ]
	[ "$(echo "$output" | jq -r .QNAME)" = "example." ]
	[ "$(echo "$output" | jq -r .QTYPEname)" = "SOA" ]
	[ "$(echo "$output" | jq -r .QR)" = "1" ]
	[ "$(echo "$output" | jq -r .AA)" = "1" ]
	[ "$(echo "$output" | jq -r .ANCOUNT)" = "1" ]
	[ "$(echo "$output" | jq -r .ARCOUNT)" = "1" ]
	[ "$(echo "$output" | jq -r '.answerRRs[0].rdataSOA')" = \
		"ns1.example. hostmaster.example. 2024010101 7200 3600 1209600 300" ]
	[ "$(echo "$output" | jq -r '.answerRRs[0].TTL')" = "3600" ]
	[ "$(echo "$output" | jq -r '.additionalRRs[0].TYPEname')" = "OPT" ]
	[ "$(echo "$output" | jq -r '.additionalRRs[0].EDNS.udp')" = "1232" ]
	run "$Z" --read "$D/crafted-options.hex" +json
	assert_success
	[ "$(echo "$output" | jq -r '.additionalRRs[0].EDNS.options[0].text')" = 'NSID: 6e 73 31 ("ns1")' ]
	[ "$(echo "$output" | jq -r '.additionalRRs[0].EDNS.DO')" = "true" ]
	run "$Z" --read "$D/crafted-tsig.hex" +json
	assert_success
	[ "$(echo "$output" | jq -r '.additionalRRs[1].TYPEname')" = "TSIG" ]
	run "$Z" --read "$D/crafted-update.hex" +json
	assert_success
	[ "$(echo "$output" | jq -r '.Opcode')" = "5" ]
	[ "$(echo "$output" | jq -r '.authorityRRs | length')" = "2" ]
}

@test "every captured named response prints, in every display mode" {
	local f o
	for f in "$D"/named-*.hex; do
		for o in "" +multiline +short +json +nocomments "+noall +answer" +ttlunits +nocrypto; do
			# shellcheck disable=SC2086
			run "$Z" --read "$f" $o
			if [ "$status" -ne 0 ]; then
				echo "zdig --read ${f##*/} $o: exit $status: $output"
				return 1
			fi
		done
	done
}

@test "malformed messages: one line on stderr with the offset, exit 10" {
	local f n want count=0
	for f in "$D"/bad-*.hex; do
		n=${f%.hex}
		want="zdig: $f: $(cat "$n.err")"
		run --separate-stderr "$Z" --read "$f"
		if [ "$status" -ne 10 ] || [ "$stderr" != "$want" ] || [ -n "$output" ]; then
			echo "${f##*/}: exit $status"
			echo "stderr: $stderr"
			echo "want:   $want"
			echo "stdout: $output"
			return 1
		fi
		count=$((count + 1))
	done
	[ "$count" -ge 9 ]
}

@test "raw wire input and stdin give the same output as hex" {
	local tmp
	tmp=$(zk_tmpdir)
	grep -v '^#' "$D/named-ns.hex" | xxd -r -p >"$tmp/ns.bin"
	run "$Z" --read "$tmp/ns.bin"
	assert_success
	local want=$output
	run "$Z" --read "$D/named-ns.hex"
	assert_output "$want"
	run bash -c "'$Z' --read - <'$tmp/ns.bin'"
	assert_output "$want"
	run bash -c "'$Z' --read=- <'$D/named-ns.hex'"
	assert_output "$want"
	assert_line ";; MSG SIZE  rcvd: 132"
}

@test "hex input: xxd -p layout, ; and # comments, any whitespace" {
	local tmp
	tmp=$(zk_tmpdir)
	grep -v '^#' "$D/named-soa.hex" | xxd -r -p | xxd -p >"$tmp/a.hex"
	{
		echo "; a comment line"
		grep -v '^#' "$D/named-soa.hex" | sed -E 's/(..)/\1 /g; s/$/ # trailing note/'
	} >"$tmp/b.hex"
	run "$Z" --read "$tmp/a.hex"
	assert_success
	local want=$output
	run "$Z" --read "$tmp/b.hex"
	assert_success
	assert_output "$want"
	run "$Z" --read "$D/named-soa.hex"
	assert_output "$want"
}

@test "input errors: odd hex, empty input, missing file" {
	local tmp
	tmp=$(zk_tmpdir)
	printf 'abc\n' >"$tmp/odd.hex"
	run --separate-stderr "$Z" --read "$tmp/odd.hex"
	assert_failure 10
	[ "$stderr" = "zdig: $tmp/odd.hex: odd number of hex digits (3)" ]
	: >"$tmp/empty"
	run --separate-stderr "$Z" --read "$tmp/empty"
	assert_failure 9
	[ "$stderr" = "zdig: $tmp/empty: no message (empty input)" ]
	run --separate-stderr "$Z" --read "$tmp/nope"
	assert_failure 8
	[ "$stderr" = "zdig: $tmp/nope: No such file or directory" ]
	head -c 70000 /dev/zero | tr '\0' 'x' >"$tmp/big"
	run --separate-stderr "$Z" --read "$tmp/big"
	assert_failure 10
	[ "$stderr" = "zdig: $tmp/big: 70000 octets is longer than any DNS message (65535)" ]
}

@test "+nocrypto, +nocmd, +nostats on captured DNSKEY" {
	run "$Z" --read "$D/named-dnskey.hex" +noall +answer +nocrypto
	assert_success
	assert_output "$(printf "example.\t\t3600\tIN\tDNSKEY\t257 3 13 [key id = 2371]")"
	run "$Z" --read "$D/named-dnskey.hex" +nocmd +nostats
	assert_success
	refute_line --partial "MSG SIZE"
	assert_line ";; ANSWER SECTION:"
}

@test "+rrcomments: the DNSKEY comment after the record, as dig prints it" {
	# dig 9.18 prints the key comment after two spaces in one-line mode
	# (the text comes from rdata.c).
	run "$Z" --read "$D/named-dnskey.hex" +noall +answer +rrcomments
	assert_success
	assert_output --partial "KGQ==  ; KSK; alg = ECDSAP256SHA256 ; key id = 2371"
	run "$Z" --read "$D/named-dnskey.hex" +noall +answer +multiline
	assert_success
	assert_output --partial "; KSK; alg = ECDSAP256SHA256 ; key id = 2371"
	run "$Z" --read "$D/named-dnskey.hex" +noall +answer +multiline +norrcomments
	assert_success
	refute_output --partial "key id"
}

@test "TSIG-signed response from named: TSIG pseudosection after the sections" {
	run "$Z" --read "$D/named-tsig.hex"
	assert_success
	assert_line --index 2 ";; flags: qr aa rd; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 2"
	assert_line ";; TSIG PSEUDOSECTION:"
	assert_line --regexp '^zkit-test-key\.		0	ANY	TSIG	hmac-sha256\. [0-9]+ 300 32 [A-Za-z0-9+/=]{44} [0-9]+ NOERROR 0 ?$'
	refute_line ";; ADDITIONAL SECTION:"
	run "$Z" --read "$D/named-tsig.hex" +noadditional
	assert_success
	refute_line ";; TSIG PSEUDOSECTION:"
}

# +color (zdig(1), COLOURS): ANSI SGR sequences around each kind of text;
# without them the text is the +nocolor text byte for byte.

@test "+color: the escape sequences of the colour scheme, line by line" {
	export ZDIGRC=/dev/null
	run "$Z" --read "$D/crafted-sections.hex" +color
	assert_success
	assert_line --index 0 $'\e[1m;; Got answer:\e[0m'
	assert_line --index 1 $'\e[1m;; ->>HEADER<<- opcode: QUERY, status: \e[0m\e[1;32mNOERROR\e[0m\e[1m, id: 1234\e[0m'
	assert_line --index 2 $'\e[2m;; flags: qr tc rd ad cd; QUERY: 1, ANSWER: 4, AUTHORITY: 1, ADDITIONAL: 2\e[0m'
	assert_line --index 3 $'\e[1;33m;; WARNING: recursion requested but not available\e[0m'
	assert_line --index 4 $'\e[1m;; OPT PSEUDOSECTION:\e[0m'
	assert_line --index 5 $'\e[2m; EDNS: version: 0, flags: do; udp: 1232\e[0m'
	assert_line --index 6 $'\e[1m;; QUESTION SECTION:\e[0m'
	assert_line --index 7 $'\e[2m;example.com.\t\t\tIN\tANY\e[0m'
	assert_line --index 8 $'\e[1m;; ANSWER SECTION:\e[0m'
	assert_line --index 10 $'\e[36mexample.com.\e[0m\t\t\e[35m3600\e[0m\t\e[34mIN\e[0m\t\e[33mMX\e[0m\t\e[32m10 mail.example.com.\e[0m'
	assert_line $'\e[36mns1.example.com.\e[0m\t\e[35m3600\e[0m\t\e[34mIN\e[0m\t\e[33mAAAA\e[0m\t\e[32m2001:db8::1\e[0m'
	# empty lines stay empty, the tool's own MSG SIZE line plain
	assert_line ';; MSG SIZE  rcvd: 317'
	# the status word by rcode: NXDOMAIN a warning, REFUSED a failure
	run "$Z" --read "$D/named-nxdomain.hex" +color
	assert_line --index 1 --partial $'status: \e[0m\e[1;33mNXDOMAIN\e[0m\e[1m, id: '
	run "$Z" --read "$D/named-refused.hex" +color
	assert_line --index 1 --partial $'status: \e[0m\e[1;31mREFUSED\e[0m\e[1m, id: '
	# the TSIG pseudosection title and record
	run "$Z" --read "$D/named-tsig.hex" +color
	assert_line $'\e[1m;; TSIG PSEUDOSECTION:\e[0m'
	assert_line --partial $'\e[36mzkit-test-key.\e[0m\t\t\e[35m0\e[0m\t\e[34mANY\e[0m\t\e[33mTSIG\e[0m\t\e[32mhmac-sha256. '
}

@test "+color +multiline and +short: each rdata line painted on its own" {
	export ZDIGRC=/dev/null
	run "$Z" --read "$D/named-dnskey.hex" +color +multiline +noall +answer
	assert_success
	assert_line --index 0 $'\e[36mexample.\e[0m\t\t\e[35m3600\e[0m \e[34mIN\e[0m\t\e[33mDNSKEY\e[0m \e[32m257 3 13 (\e[0m'
	assert_line --index 1 $'\e[32m\t\t\t\tmdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+Gq\e[0m'
	assert_line --index 3 $'\e[32m\t\t\t\t) ; KSK; alg = ECDSAP256SHA256 ; key id = 2371\e[0m'
	run "$Z" --read "$D/named-soa.hex" +color +short
	assert_success
	assert_output $'\e[32mns1.example. hostmaster.example. 2024010101 7200 3600 1209600 300\e[0m'
	run "$Z" --read "$D/named-soa.hex" +color +short +multiline
	assert_success
	assert_line --index 0 $'\e[32mns1.example. hostmaster.example. (\e[0m'
}

@test "+color: without its escapes, every message prints as with +nocolor, byte for byte" {
	export ZDIGRC=/dev/null
	local f v n=0
	for f in "$D"/crafted-*.hex "$D"/named-*.hex; do
		for v in "" "+multiline" "+short" "+short +multiline" "+noall +answer" "+ttlunits" \
			"+nocomments" "+noclass" "+nottlid" "+nottlid +noclass" "+norrcomments +nocrypto"; do
			# shellcheck disable=SC2086
			"$Z" --read "$f" $v +nocolor >"$BATS_TEST_TMPDIR/plain" 2>&1 || true
			# shellcheck disable=SC2086
			"$Z" --read "$f" $v +color 2>&1 | sed 's/\x1b\[[0-9;]*m//g' >"$BATS_TEST_TMPDIR/strip" || true
			cmp "$BATS_TEST_TMPDIR/plain" "$BATS_TEST_TMPDIR/strip" ||
				{ echo "differs: $f $v"; return 1; }
			grep -q $'\e' "$BATS_TEST_TMPDIR/plain" && { echo "escape in +nocolor: $f $v"; return 1; }
			n=$((n + 1))
		done
	done
	[ "$n" -gt 400 ]
}

@test "+color never paints +json" {
	export ZDIGRC=/dev/null
	local f
	for f in "$D/crafted-sections.hex" "$D/named-dnskey.hex" "$D/named-nxdomain.hex"; do
		run "$Z" --read "$f" +json +nocolor
		local plain=$output
		run "$Z" --read "$f" +json +color
		assert_success
		assert_output "$plain"
		[[ $output != *$'\e'* ]]
		[[ $output == '{"ID":'* ]]
	done
}
