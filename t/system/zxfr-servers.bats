#!/usr/bin/env bats
# zxfr against real servers on loopback: BIND named and Knot knotd. The
# zone text must be what dig prints for the same transfer (dig +onesoa),
# TSIG must work both ways, IXFR deltas applied to the local copy must
# equal a fresh AXFR, --if-newer must ask the SOA first, XoT must work
# with a verified test certificate.

load ../helpers/common
load ../helpers/servers

SECRET=cGFzc3dvcmQtZm9yLXpraXQtdHNpZy10ZXN0cy0xMjM=
KEY=xfr-key:$SECRET
ZONE=$ZKIT_DATA/xfr/example.zone

setup() {
	zk_require_cmd named knotd dig ss
	zk_require_bin zxfr
	D=$BATS_TEST_TMPDIR
}

teardown() {
	zk_servers_stop_all
}

# What dig shows for the transfer: the reference output.
dig_axfr() {
	dig +tries=1 +time=5 @127.0.0.1 -p "$1" "${@:3}" "$2" AXFR +onesoa +nocmd +nocomments +nostats |
		grep -v $'\tTSIG\t'
}

# The zone as a sorted list of records without TTL-format differences.
records() {
	grep -v '^;' "$1" | grep -v '^$' | sort
}

@test "named: AXFR to stdout is what dig prints" {
	zk_named_start "$D/n" NP "example.=$ZONE"
	run "$ZKIT_BIN/zxfr" "@127.0.0.1#$NP" example.
	assert_success
	assert_output "$(dig_axfr "$NP" example.)"
	assert_line --index 0 $'example.\t\t300\tIN\tSOA\tns1.example. hostmaster.example. 2024010101 3600 600 86400 300'
	assert_line $'txt.example.\t\t300\tIN\tTXT\t"hello world" "quote\\"d" "semi;colon"'
}

@test "knotd: AXFR to stdout is what dig prints" {
	zk_knotd_start "$D/k" KP "example.=$ZONE"
	run "$ZKIT_BIN/zxfr" "@127.0.0.1" -p "$KP" example.
	assert_success
	assert_output "$(dig_axfr "$KP" example.)"
}

@test "--no-onesoa prints the closing SOA, as dig does" {
	zk_named_start "$D/n" NP "example.=$ZONE"
	run "$ZKIT_BIN/zxfr" "@127.0.0.1#$NP" --no-onesoa example.
	assert_success
	assert_output "$(dig +tries=1 +time=5 @127.0.0.1 -p "$NP" example. AXFR +nocmd +nocomments +nostats)"
}

@test "named: TSIG-protected zone: refused without the key, transferred with it (-y and -k)" {
	zk_named_start "$D/n" NP --key "$KEY" "example.=$ZONE,transfer=xfr-key"
	run "$ZKIT_BIN/zxfr" "@127.0.0.1#$NP" example.
	assert_failure 3
	assert_output --partial "server answered REFUSED"
	run "$ZKIT_BIN/zxfr" "@127.0.0.1#$NP" -y "hmac-sha256:$KEY" -o "$D/out.zone" example.
	assert_success
	assert_output --partial "TSIG verified"
	diff <(dig_axfr "$NP" example. -y "hmac-sha256:$KEY") "$D/out.zone"
	printf 'key "xfr-key" {\n\talgorithm hmac-sha256;\n\tsecret "%s";\n};\n' "$SECRET" >"$D/key.conf"
	run "$ZKIT_BIN/zxfr" "@127.0.0.1#$NP" -k "$D/key.conf" example.
	assert_success
	assert_output "$(dig_axfr "$NP" example. -y "hmac-sha256:$KEY")"
}

@test "named: a zone it does not serve: NOTAUTH, exit 3, no file written" {
	zk_named_start "$D/n" NP "example.=$ZONE"
	run "$ZKIT_BIN/zxfr" "@127.0.0.1#$NP" -o "$D/out.zone" example.org.
	assert_failure 3
	assert_output "zxfr: 127.0.0.1#$NP: server answered NOTAUTH"
	[ "$(ls -A "$D" | grep -c 'out\.zone')" -eq 0 ]
}

@test "--if-newer with TSIG: the SOA query is signed and its answer verified" {
	zk_named_start "$D/n" NP --key "$KEY" "example.=$ZONE,transfer=xfr-key"
	run "$ZKIT_BIN/zxfr" "@127.0.0.1#$NP" -y "$KEY" -o "$D/out.zone" example.
	assert_success
	run "$ZKIT_BIN/zxfr" "@127.0.0.1#$NP" -y "$KEY" --if-newer -o "$D/out.zone" example.
	assert_success
	assert_output --partial "up to date (serial 2024010101, server 2024010101)"
	# A wrong secret: named answers the SOA query NOTAUTH/BADSIG.
	run "$ZKIT_BIN/zxfr" "@127.0.0.1#$NP" -y "xfr-key:$(zk_random_secret)" --if-newer \
		-o "$D/out.zone" example.
	assert_failure
	assert_output --partial "BADSIG"
}

@test "named: a wrong secret gets BADSIG back, exit 4" {
	zk_named_start "$D/n" NP --key "$KEY" "example.=$ZONE,transfer=xfr-key"
	run "$ZKIT_BIN/zxfr" "@127.0.0.1#$NP" -y "xfr-key:$(zk_random_secret)" example.
	assert_failure 4
	assert_output --partial "server answered NOTAUTH: server rejected our TSIG: BADSIG"
}

@test "knotd: TSIG-signed AXFR" {
	zk_knotd_start "$D/k" KP --key "$KEY" "example.=$ZONE,transfer=xfr-key"
	run "$ZKIT_BIN/zxfr" "@127.0.0.1#$KP" -y "$KEY" -o "$D/out.zone" example.
	assert_success
	assert_output --partial "TSIG verified"
	diff <(dig_axfr "$KP" example. -y "hmac-sha256:$KEY") "$D/out.zone"
}

@test "the written file loads in named-checkzone with the same records" {
	zk_require_cmd named-checkzone
	zk_named_start "$D/n" NP "example.=$ZONE"
	run "$ZKIT_BIN/zxfr" "@127.0.0.1#$NP" -o "$D/out.zone" example.
	assert_success
	named-checkzone -q -D -o "$D/a.txt" example. "$ZONE"
	named-checkzone -q -D -o "$D/b.txt" example. "$D/out.zone"
	cmp "$D/a.txt" "$D/b.txt"
}

@test "--json: one JSON object per record" {
	zk_named_start "$D/n" NP "example.=$ZONE"
	run "$ZKIT_BIN/zxfr" "@127.0.0.1#$NP" --json example.
	assert_success
	assert_line --index 0 '{"name":"example.","ttl":300,"class":"IN","type":"SOA","rdata":"ns1.example. hostmaster.example. 2024010101 3600 600 86400 300"}'
	assert_line '{"name":"txt.example.","ttl":300,"class":"IN","type":"TXT","rdata":"\"hello world\" \"quote\\\"d\" \"semi;colon\""}'
	[ "${#lines[@]}" -eq "$(dig_axfr "$NP" example. | wc -l)" ]
	if command -v python3 >/dev/null; then
		printf '%s\n' "${lines[@]}" | python3 -c 'import sys, json; [json.loads(l) for l in sys.stdin]'
	fi
}

@test "--if-newer: up to date without a transfer, then transferred after a change" {
	zk_named_start "$D/n" NP "example.=$ZONE"
	run "$ZKIT_BIN/zxfr" "@127.0.0.1#$NP" -o "$D/out.zone" example.
	assert_success
	cp "$D/out.zone" "$D/before.zone"
	: >"$D/n/queries-before"
	run "$ZKIT_BIN/zxfr" "@127.0.0.1#$NP" --if-newer -o "$D/out.zone" example.
	assert_success
	assert_output --partial "example. is up to date (serial 2024010101, server 2024010101)"
	cmp "$D/before.zone" "$D/out.zone"
	cp "$ZKIT_DATA/xfr/example.v2.zone" "$D/n/zones/example.zone"
	zk_server_reload "$D/n"
	zk_wait_serial "$NP" example. 2024010102
	run "$ZKIT_BIN/zxfr" "@127.0.0.1#$NP" --if-newer -o "$D/out.zone" example.
	assert_success
	assert_output --partial "serial 2024010102"
	diff <(dig_axfr "$NP" example.) "$D/out.zone"
}

@test "--if-newer: a local copy newer than the server (serial arithmetic) is not replaced" {
	zk_named_start "$D/n" NP "example.=$ZONE"
	# 2024010101 + 2^31 - 1 wraps: in RFC 1982 terms it is newer.
	sed 's/2024010101/4171493748/' "$ZONE" >"$D/out.zone"
	cp "$D/out.zone" "$D/before.zone"
	run "$ZKIT_BIN/zxfr" "@127.0.0.1#$NP" --if-newer -o "$D/out.zone" example.
	assert_success
	assert_output --partial "up to date (serial 4171493748, server 2024010101)"
	cmp "$D/before.zone" "$D/out.zone"
}

# ixfr_case SERVER: v1 by AXFR, then v2 and v3 by IXFR, each equal to AXFR.
ixfr_case() {
	local kind=$1 P
	if [ "$kind" = named ]; then
		zk_named_start "$D/s" P "example.=$ZONE,ixfr"
	else
		zk_knotd_start "$D/s" P "example.=$ZONE,ixfr"
	fi
	run "$ZKIT_BIN/zxfr" "@127.0.0.1#$P" -o "$D/out.zone" example.
	assert_success
	for v in 2 3; do
		cp "$ZKIT_DATA/xfr/example.v$v.zone" "$D/s/zones/example.zone"
		zk_server_reload "$D/s"
		zk_wait_serial "$P" example. "202401010$v"
		run "$ZKIT_BIN/zxfr" "@127.0.0.1#$P" --ixfr -o "$D/out.zone" example.
		assert_success
		assert_output --partial "serial 202401010$v"
		assert_output --partial "IXFR applied"
		diff <(records <(dig_axfr "$P" example.)) <(records "$D/out.zone")
	done
	# Nothing new: up to date, file untouched.
	cp "$D/out.zone" "$D/before.zone"
	run "$ZKIT_BIN/zxfr" "@127.0.0.1#$P" --ixfr -o "$D/out.zone" example.
	assert_success
	assert_output --partial "up to date (serial 2024010103)"
	cmp "$D/before.zone" "$D/out.zone"
}

@test "named (ixfr-from-differences): IXFR deltas applied equal a fresh AXFR" {
	ixfr_case named
}

@test "knotd (zonefile-load: difference): IXFR deltas applied equal a fresh AXFR" {
	ixfr_case knotd
}

@test "IXFR over UDP first (--udp), TCP when it does not fit" {
	zk_named_start "$D/s" P "example.=$ZONE,ixfr"
	run "$ZKIT_BIN/zxfr" "@127.0.0.1#$P" -o "$D/out.zone" example.
	cp "$ZKIT_DATA/xfr/example.v2.zone" "$D/s/zones/example.zone"
	zk_server_reload "$D/s"
	zk_wait_serial "$P" example. 2024010102
	run "$ZKIT_BIN/zxfr" "@127.0.0.1#$P" --ixfr --udp -o "$D/out.zone" example.
	assert_success
	assert_output --partial "IXFR applied"
	diff <(records <(dig_axfr "$P" example.)) <(records "$D/out.zone")
}

@test "IXFR falls back to AXFR when the deltas do not apply to the local copy" {
	zk_named_start "$D/s" P "example.=$ZONE,ixfr"
	run "$ZKIT_BIN/zxfr" "@127.0.0.1#$P" -o "$D/out.zone" example.
	cp "$ZKIT_DATA/xfr/example.v2.zone" "$D/s/zones/example.zone"
	zk_server_reload "$D/s"
	zk_wait_serial "$P" example. 2024010102
	# Our copy lost the record v2 deletes (mail A 192.0.2.25).
	grep -v '192.0.2.25' "$D/out.zone" >"$D/x" && mv "$D/x" "$D/out.zone"
	run "$ZKIT_BIN/zxfr" "@127.0.0.1#$P" --ixfr -o "$D/out.zone" example.
	assert_success
	assert_output --partial "the differences do not apply: mail.example. A to delete is not in"
	assert_output --partial "falling back to AXFR"
	diff <(records <(dig_axfr "$P" example.)) <(records "$D/out.zone")
}

@test "IXFR of a serial the server has no journal for: full zone in AXFR form" {
	zk_named_start "$D/s" P "example.=$ZONE,ixfr"
	run "$ZKIT_BIN/zxfr" "@127.0.0.1#$P" --ixfr=5 example.
	assert_success
	assert_output "$(dig_axfr "$P" example.)"
}

@test "--verify: a zone with NS and a correct ZONEMD passes; a wrong ZONEMD fails, old file kept" {
	zk_require_cmd ldns-signzone
	cp "$ZONE" "$D/z.zone"
	echo 'example. 300 IN ZONEMD 2024010101 1 1 000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000' >>"$D/z.zone"
	zk_named_start "$D/n" NP "example.=$D/z.zone"
	echo '; old' >"$D/out.zone"
	run "$ZKIT_BIN/zxfr" "@127.0.0.1#$NP" --verify -o "$D/out.zone" example.
	assert_failure 7
	assert_output --partial "ZONEMD"
	[ "$(cat "$D/out.zone")" = "; old" ]
	[ "$(ls -A "$D" | grep -c '^\.out\.zone')" -eq 0 ]
	# The right digest, computed by ldns (ZONEMD without signing).
	cp "$ZONE" "$D/z2.zone"
	ldns-signzone -Z -z 1:1 -o example. "$D/z2.zone"
	grep -P '\tZONEMD\t' "$D/z2.zone.signed" >>"$D/z2.zone"
	zk_named_start "$D/n2" NP2 "example.=$D/z2.zone"
	run "$ZKIT_BIN/zxfr" "@127.0.0.1#$NP2" --verify -o "$D/out.zone" example.
	assert_success
	grep -q ZONEMD "$D/out.zone"
}

@test "XoT (RFC 9103): named with a test certificate, verified; a wrong CA fails" {
	zk_require_cmd openssl
	cd "$D"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
		-subj /CN=zkit-test-ca -keyout ca.key -out ca.pem 2>/dev/null
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=ns.example.test \
		-keyout srv.key -out srv.csr 2>/dev/null
	printf 'subjectAltName=DNS:ns.example.test,IP:127.0.0.1\n' >ext.cnf
	openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
		-extfile ext.cnf -out srv.pem 2>/dev/null
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
		-subj /CN=other-ca -keyout other.key -out other.pem 2>/dev/null
	TP=$(zk_free_port)
	zk_named_start "$D/n" NP \
		--conf-extra "tls test-tls { cert-file \"$D/srv.pem\"; key-file \"$D/srv.key\"; };" \
		--options "listen-on port $TP tls test-tls { 127.0.0.1; };" "example.=$ZONE"
	run "$ZKIT_BIN/zxfr" "@127.0.0.1#$TP" --tls-ca "$D/ca.pem" --tls-hostname ns.example.test example.
	assert_success
	assert_output "$(dig_axfr "$NP" example.)"
	run "$ZKIT_BIN/zxfr" "@127.0.0.1#$TP" --tls-ca "$D/other.pem" -o "$D/out.zone" example.
	assert_failure 2
	[ ! -e "$D/out.zone" ]
	# Opportunistic (no verification), port 853 style.
	run "$ZKIT_BIN/zxfr" "@127.0.0.1" -p "$TP" --tls example.
	assert_success
	assert_output "$(dig_axfr "$NP" example.)"
}

@test "1M-record zone from named: complete, flat memory" {
	[ -z "${ZK_QUICK:-}" ] || skip "ZK_QUICK set"
	python3 "$ZKIT_SRC/scripts/bench/gen-zone" -o big.test. 1000000 >"$D/big.zone"
	ZK_START_WAIT=120 zk_named_start "$D/n" NP "big.test.=$D/big.zone"
	run /usr/bin/time -f 'rss %M' "$ZKIT_BIN/zxfr" "@127.0.0.1#$NP" --timeout 60 -o "$D/out.zone" big.test.
	assert_success
	want=$(grep -cv '^\$' "$D/big.zone")
	[ "$(wc -l <"$D/out.zone")" -eq "$want" ]
	rss=$(sed -n 's/^rss //p' <<<"$output")
	# ASan's shadow memory alone passes 20 MiB: the bound holds for the
	# real build (make check); SANITIZE=1 checks completeness only.
	if [ "${ZKIT_SANITIZE:-}" != 1 ]; then
		[ "$rss" -lt 20480 ]
	fi
	# The same set of records as dig's transfer.
	dig +tries=1 +time=60 @127.0.0.1 -p "$NP" big.test. AXFR +onesoa +nocmd +nocomments +nostats |
		sort >"$D/dig.txt"
	sort "$D/out.zone" | cmp - "$D/dig.txt"
}

# axfr_reply ZONE: one AXFR response message (hex, ID 0: the responder
# patches it) holding the records read from stdin as "owner [TTL] TYPE
# data" with absolute names; TYPE is SOA, NS, A or CNAME, TTL 300 if not
# given.
axfr_reply() {
	python3 -c '
import socket, struct, sys
def name(n):
    return b"".join(bytes([len(l)]) + l.encode() for l in n.rstrip(".").split(".") if l) + b"\0"
T = {"A": 1, "NS": 2, "CNAME": 5, "SOA": 6}
zone = sys.argv[1]
rrs = b""
n = 0
for line in sys.stdin:
    f = line.split()
    if not f:
        continue
    ttl = 300
    if f[1].isdigit():
        ttl = int(f.pop(1))
    t = f[1]
    if t == "A":
        rd = socket.inet_aton(f[2])
    elif t in ("NS", "CNAME"):
        rd = name(f[2])
    else:
        rd = name(f[2]) + name(f[3]) + struct.pack("!5I", *map(int, f[4:9]))
    rrs += name(f[0]) + struct.pack("!HHIH", T[t], 1, ttl, len(rd)) + rd
    n += 1
hdr = struct.pack("!6H", 0, 0x8400, 1, n, 0, 0)
print((hdr + name(zone) + struct.pack("!HH", 252, 1) + rrs).hex())
' "$1"
}

@test "--verify runs zcheck's rules: an error fails and keeps the old file; a clean zone passes" {
	# named loads an MX whose target is an address (check-mx warn);
	# zcheck calls it an error [target-address].
	cp "$ZONE" "$D/err.zone"
	echo 'bad IN MX 10 192.0.2.1.' >>"$D/err.zone"
	zk_named_start "$D/n" NP "example.=$D/err.zone"
	echo '; old' >"$D/out.zone"
	run "$ZKIT_BIN/zxfr" "@127.0.0.1#$NP" --verify -o "$D/out.zone" example.
	assert_failure 7
	assert_line --index 0 --regexp "^zxfr: $D/out.zone:[0-9]+: error: MX target 192\.0\.2\.1\. is an address, not a host name \[target-address\]$"
	assert_line --index 1 "zxfr: 127.0.0.1#$NP: verify: 1 error, 0 warnings in the received zone"
	[ "${#lines[@]}" -eq 2 ]
	[ "$(cat "$D/out.zone")" = "; old" ]
	[ "$(ls -A "$D" | grep -c '^\.out\.zone')" -eq 0 ]
	# The clean zone replaces it, silently, and zcheck agrees with it.
	zk_named_start "$D/n2" NP2 "example.=$ZONE"
	run "$ZKIT_BIN/zxfr" "@127.0.0.1#$NP2" --verify -o "$D/out.zone" example.
	assert_success
	assert_output "zxfr: example. serial 2024010101 from 127.0.0.1#$NP2: AXFR, 19 records in 1 messages (530 octets)"
	records "$D/out.zone" >"$D/got"
	[ "$(wc -l <"$D/got")" -eq 18 ]
	run "$ZKIT_BIN/zcheck" -o example. "$D/out.zone"
	assert_success
}

@test "--verify: warnings are printed and pass; with --strict they fail (exit 7, old file kept)" {
	# An MX to a CNAME: named warns and loads it, zcheck warns [target-cname].
	cp "$ZONE" "$D/warn.zone"
	echo 'alias IN MX 10 www' >>"$D/warn.zone"
	zk_named_start "$D/n" NP "example.=$D/warn.zone"
	echo '; old' >"$D/out.zone"
	run "$ZKIT_BIN/zxfr" "@127.0.0.1#$NP" --verify --strict -o "$D/out.zone" example.
	assert_failure 7
	assert_line --index 0 --regexp "^zxfr: $D/out.zone:[0-9]+: warning: MX target www\.example\. is a CNAME \[target-cname\]$"
	assert_line --index 1 "zxfr: 127.0.0.1#$NP: verify: 0 errors, 1 warning in the received zone (--strict)"
	[ "$(cat "$D/out.zone")" = "; old" ]
	[ "$(ls -A "$D" | grep -c '^\.out\.zone')" -eq 0 ]
	run "$ZKIT_BIN/zxfr" "@127.0.0.1#$NP" --verify -o "$D/out.zone" example.
	assert_success
	assert_line --index 0 --regexp "^zxfr: $D/out.zone:[0-9]+: warning: MX target www\.example\. is a CNAME \[target-cname\]$"
	assert_line --index 1 --partial "zxfr: example. serial 2024010101 from 127.0.0.1#$NP: AXFR, 20 records"
	[ "${#lines[@]}" -eq 2 ]
	# The line named is where the record is in the file written.
	line=$(echo "${lines[0]}" | sed -E 's/^[^:]*:[^:]*:([0-9]+):.*/\1/')
	sed -n "${line}p" "$D/out.zone" | grep -q $'^alias\\.example\\.\t.*\tMX\t10 www\\.example\\.$'
	# -q keeps the warnings quiet; --strict needs --verify.
	run "$ZKIT_BIN/zxfr" "@127.0.0.1#$NP" --verify -q -o "$D/out.zone" example.
	assert_success
	assert_output ""
	grep -q '^alias' "$D/out.zone"
	run "$ZKIT_BIN/zxfr" "@127.0.0.1#$NP" --strict -o "$D/out.zone" example.
	assert_failure 1
	assert_output "zxfr: --strict applies to --verify"
}

@test "--verify: a transfer with a CNAME beside other data fails, old file byte-identical" {
	# No server loads such a zone: the scripted responder sends it.
	hex=$(axfr_reply example. <<-'Z'
		example. SOA ns.example. admin.example. 7 3600 600 86400 300
		example. NS ns.example.
		ns.example. A 192.0.2.1
		www.example. CNAME web.example.
		www.example. A 192.0.2.80
		example. SOA ns.example. admin.example. 7 3600 600 86400 300
	Z
	)
	zk_responder_start "$D/r" RP --tcp --reply "$hex"
	printf '; the good copy\n' >"$D/out.zone"
	cp "$D/out.zone" "$D/orig.zone"
	run "$ZKIT_BIN/zxfr" "@127.0.0.1#$RP" --verify --timeout 3 -o "$D/out.zone" example.
	assert_failure 7
	assert_line --index 0 --regexp "^zxfr: $D/out.zone:[0-9]+: error: www\.example\. has a CNAME and A data \[cname-and-other\]$"
	assert_line --index 1 "zxfr: 127.0.0.1#$RP: verify: 1 error, 0 warnings in the received zone"
	cmp "$D/orig.zone" "$D/out.zone"
	[ "$(ls -A "$D" | grep -c '^\.out\.zone')" -eq 0 ]
	# Without --verify the same transfer is written as it came.
	zk_responder_start "$D/r2" RP2 --tcp --reply "$hex"
	run "$ZKIT_BIN/zxfr" "@127.0.0.1#$RP2" --timeout 3 -o "$D/out.zone" example.
	assert_success
	grep -Pq '^www\.example\.\t+300\tIN\tCNAME\tweb\.example\.$' "$D/out.zone"
	grep -Pq '^www\.example\.\t+300\tIN\tA\t192\.0\.2\.80$' "$D/out.zone"
}

@test "--verify: a parser warning on the written file names it, with line and column" {
	# RFC 2181 §8: a TTL with the top bit set is read as 0 (a warning).
	hex=$(axfr_reply example. <<-'Z'
		example. SOA ns.example. admin.example. 7 3600 600 86400 300
		example. NS ns.example.
		ns.example. 2147483648 A 192.0.2.1
		example. SOA ns.example. admin.example. 7 3600 600 86400 300
	Z
	)
	zk_responder_start "$D/r" RP --tcp --reply "$hex"
	run "$ZKIT_BIN/zxfr" "@127.0.0.1#$RP" --verify --timeout 3 -o "$D/out.zone" example.
	assert_success
	assert_line --index 0 "zxfr: $D/out.zone:3:14: warning: TTL 2147483648 > MAXTTL, setting TTL to 0 [ttl-too-large]"
	assert_line --index 1 --partial "zxfr: example. serial 7 from 127.0.0.1#$RP: AXFR"
	[ "${#lines[@]}" -eq 2 ]
	grep -Pq '^ns\.example\.\t+2147483648\sIN\tA\t192\.0\.2\.1$' "$D/out.zone"
}
