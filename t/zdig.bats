#!/usr/bin/env bats
# zdig command line without servers: usage errors (exit 1), option
# parsing (+no forms, prefixes, values), ~/.zdigrc, and the help text.
# Live lookups are tested in t/system/zdig-*.bats.

bats_require_minimum_version 1.5.0

load helpers/common

setup() {
	zk_require_bin zdig
	Z=$ZKIT_BIN/zdig
	D=$ZKIT_DATA/msg
	export ZDIGRC=/dev/null
}

@test "usage errors exit 1 with one line naming the problem" {
	run -1 "$Z" -p 0 example
	assert_line --index 0 'zdig: bad port: 0'
	run -1 "$Z" -p 70000 example
	assert_line --index 0 'zdig: bad port: 70000'
	run -1 "$Z" @127.0.0.1#99999 example
	assert_line --index 0 'zdig: bad server: @127.0.0.1#99999'
	run -1 "$Z" -t NOSUCHTYPE example
	assert_line --index 0 'zdig: unknown type: NOSUCHTYPE'
	run -1 "$Z" -c NOSUCHCLASS example
	assert_line --index 0 'zdig: unknown class: NOSUCHCLASS'
	run -1 "$Z" -x 1.2.3 example
	assert_line --index 0 'zdig: -x needs an IPv4 or IPv6 address: 1.2.3'
	run -1 "$Z" -q
	assert_line --index 0 'zdig: -q needs an argument'
	run -1 "$Z" -Z
	assert_line --index 0 'zdig: unknown option: -Z'
	run -1 "$Z" example +tries=0
	assert_line --index 0 'zdig: +tries=0: a number from 1 to 100'
	run -1 "$Z" example +timeout
	assert_line --index 0 'zdig: +timeout needs a value (+timeout=...)'
	run -1 "$Z" example +tcp=1
	assert_line --index 0 'zdig: +tcp takes no value'
	run -1 "$Z" example +subnet=300.1.1.1/8
	assert_line --index 0 'zdig: +subnet=300.1.1.1/8: bad address'
	run -1 "$Z" example +subnet=192.0.2.0/33
	assert_line --index 0 'zdig: +subnet=192.0.2.0/33: bad prefix length'
	run -1 "$Z" example +cookie=0102
	assert_line --index 0 'zdig: +cookie=0102: 8, or 16 to 40 octets in hex (RFC 7873 §4)'
	run -1 "$Z" example +opcode=BOGUS
	assert_line --index 0 'zdig: +opcode=BOGUS: an opcode name or 0..15'
	run -1 "$Z" example +t
	assert_line --index 0 --partial 'zdig: ambiguous option: +t (matches: +tcp +timeout +tls '
}

@test "TSIG key arguments: bad -y and missing -k are usage errors" {
	run -1 "$Z" -y nocolon example
	assert_line --index 0 --partial 'zdig: -y: '
	run -1 "$Z" -y "hmac-sha999:k:AAAA" example
	assert_line --index 0 --partial 'zdig: -y: '
	run -1 "$Z" -k "$BATS_TEST_TMPDIR/none.key" example
	assert_line --index 0 --partial 'zdig: -k: '
}

@test "+options: prefixes, +no forms, dig's short aliases (+cd +ad +rd +aa)" {
	# display options act on --read too
	run "$Z" --read "$D/named-soa.hex" +sho
	assert_success
	run "$Z" --read "$D/named-soa.hex" +short
	local short=$output
	run "$Z" --read "$D/named-soa.hex" +noall +answer +nottlid
	assert_success
	run "$Z" --read "$D/named-soa.hex" +cd +ad +rd +aa +nocd +noad +nord +noaa +short
	assert_success
	assert_output "$short"
}

@test "~/.zdigrc (ZDIGRC) gives defaults; the command line wins; -r ignores it" {
	run "$Z" --read "$D/named-soa.hex" +short
	local short=$output
	printf '+short\n# a comment line is ignored\n' >"$BATS_TEST_TMPDIR/rc"
	ZDIGRC=$BATS_TEST_TMPDIR/rc run "$Z" --read "$D/named-soa.hex"
	assert_success
	assert_output "$short"
	ZDIGRC=$BATS_TEST_TMPDIR/rc run "$Z" --read "$D/named-soa.hex" +noshort
	assert_line --partial ';; ->>HEADER<<-'
	ZDIGRC=$BATS_TEST_TMPDIR/rc run "$Z" -r --read "$D/named-soa.hex"
	assert_line --partial ';; ->>HEADER<<-'
	printf '+frobnicate\n' >"$BATS_TEST_TMPDIR/rc"
	ZDIGRC=$BATS_TEST_TMPDIR/rc run -1 "$Z" --read "$D/named-soa.hex"
	assert_line --index 0 'zdig: unknown option: +frobnicate (in .zdigrc)'
}

@test "-h names every option of the issue and the exit codes" {
	run "$Z" -h
	assert_success
	for o in tcp vc ignore tries retry timeout bufsize edns dnssec cdflag adflag rdflag recurse \
		aaflag qr nsid subnet cookie padding expire keepalive opcode header-only short \
		multiline comments question answer authority additional stats cmd identify ttlid \
		ttlunits class all search ndots trace nssearch tls tls-ca tls-hostname tls-certfile \
		tls-keyfile json idnin idnout color fail-rcode parallel roothints trace-port shell; do
		assert_line --partial "+[no]$o "
	done
	assert_line --partial '11 TSIG'
	assert_line --partial '12 rcode not NOERROR with +fail-rcode'
	for o in '-4, -6' '-b ADDR' '-x ADDR' '-k FILE' '-y [ALG:]NAME:SECRET' '-f FILE' '-i ' '--read FILE'; do
		assert_line --partial -- "$o"
	done
}

@test "the man page is clean mdoc and names every +option" {
	zk_require_cmd mandoc
	run mandoc -Tlint -W warning "$ZKIT_SRC/man/zdig.1"
	assert_success
	for o in tcp ignore tries retry timeout bufsize edns dnssec nsid subnet cookie padding \
		expire keepalive opcode header-only short multiline identify search ndots trace \
		nssearch tls tls-ca json fail-rcode parallel roothints trace-port shell; do
		grep -q "^\.It Cm +\[no\]$o" "$ZKIT_SRC/man/zdig.1" || grep -q "^\.It Cm +$o" "$ZKIT_SRC/man/zdig.1" || {
			echo "zdig.1 lacks +$o"
			return 1
		}
	done
}

@test "-g: GSS-TSIG options checked; no Kerberos credentials is exit 11 before any query" {
	"$Z" -g -h >/dev/null 2>&1 || skip "zdig built without GSS-API"
	run "$Z" -h
	for o in '-g, --gsstsig' '--oldgsstsig' '--keytab FILE --principal P' '--realm REALM' '--gss-server-name NAME'; do
		assert_line --partial -- "$o"
	done
	run "$Z" -g -y hmac-sha256:k:cGFzc3dvcmQ= example.
	assert_failure 1
	assert_line --index 0 'zdig: -g (GSS-TSIG) and a TSIG key (-k, -y) exclude each other'
	run "$Z" --gss-server-name ns.example example.
	assert_failure 1
	assert_line --index 0 'zdig: --keytab, --principal, --realm and --gss-server-name are for -g'
	run "$Z" -g --keytab=/x example.
	assert_failure 1
	assert_line --index 0 'zdig: --keytab needs --principal (the client principal in it)'
	run "$Z" -g --realm= example.
	assert_failure 1
	assert_line --index 0 'zdig: bad --realm: '
	# the credentials are looked for first: nothing is sent to port 9
	KRB5CCNAME=FILE:$BATS_TEST_TMPDIR/none run "$Z" -g --gss-server-name ns.example \
		@127.0.0.1 -p 9 +tries=1 +time=1 +nocmd example.
	assert_failure 11
	assert_output --partial ';; GSS-TSIG: cannot get Kerberos credentials: no Kerberos credentials: run kinit first'
	assert_output --partial '[hint: run kinit, or give --keytab FILE --principal PRINCIPAL]'
	[ ! -e "$BATS_TEST_TMPDIR/none" ]
}

@test "colour: off through a pipe unless +color; NO_COLOR only changes the default; last option wins" {
	local f=$D/named-soa.hex sgr=$'\e[32mns1.example. hostmaster.example. 2024010101 7200 3600 1209600 300\e[0m'
	local plain='ns1.example. hostmaster.example. 2024010101 7200 3600 1209600 300'
	# bats captures stdout: not a terminal, so no colour by default
	run "$Z" --read "$f" +short
	assert_output "$plain"
	run "$Z" --read "$f" +short +color
	assert_output "$sgr"
	# NO_COLOR (https://no-color.org) turns off the default only
	NO_COLOR=1 run "$Z" --read "$f" +short +color
	assert_output "$sgr"
	NO_COLOR=1 run "$Z" --read "$f" +short
	assert_output "$plain"
	run "$Z" --read "$f" +short +color +nocolor
	assert_output "$plain"
	run "$Z" --read "$f" +short +nocolor +color
	assert_output "$sgr"
	# .zdigrc may ask for it; the command line still wins
	printf '+color\n' >"$BATS_TEST_TMPDIR/rc"
	ZDIGRC=$BATS_TEST_TMPDIR/rc run "$Z" --read "$f" +short
	assert_output "$sgr"
	ZDIGRC=$BATS_TEST_TMPDIR/rc run "$Z" --read "$f" +short +nocolor
	assert_output "$plain"
	# +json: never an escape, whatever was asked
	ZDIGRC=$BATS_TEST_TMPDIR/rc run "$Z" --read "$f" +json +color
	assert_success
	[[ $output != *$'\e'* ]]
	[[ $output == '{"ID":'* ]]
}
