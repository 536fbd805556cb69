#!/usr/bin/env bats
# zsign: full signing (NSEC, NSEC3, opt-out; ECDSA, RSA, Ed25519) checked
# by dnssec-verify and ldns-verify-zone, chains against dnssec-signzone's
# (t/data/nsec/*.expect) and RFC 5155 Appendix A, thread-count
# independence, incremental re-signing, smart signing with timed keys,
# offline-KSK key sets, ZONEMD, serial/TTL options, atomic output and bad
# input.

load helpers/common

setup() {
	zk_require_bin zsign zkeygen zkeysign
	N=$ZKIT_DATA/nsec
	D=$(zk_tmpdir zsign)
	cd "$D" || return 1
}

zsign() { "$ZKIT_BIN/zsign" "$@"; }
zkeygen() { "$ZKIT_BIN/zkeygen" "$@"; }
zkeysign() { "$ZKIT_BIN/zkeysign" "$@"; }

# keys ZONE ALG: a KSK and a ZSK in the current directory.
keys() {
	zkeygen -q -a "$2" -f KSK "$1" >/dev/null
	zkeygen -q -a "$2" "$1" >/dev/null
}

# verify FILE ORIGIN: both peers accept the signed zone.
verify() {
	run dnssec-verify -o "$2" "$1"
	assert_success
	assert_output --partial "Zone fully signed"
	run ldns-verify-zone "$1"
	assert_success
	assert_output --partial "Zone is verified and complete"
}

# records TYPE FILE: the records of a type, whitespace normalized.
records() {
	awk -v t="$1" '$0 !~ /^;/ && $4 == t { $1 = $1; print }' "$2"
}

sign_all_chains() {
	zk_require_cmd dnssec-verify ldns-verify-zone
	keys example "$1"
	zsign -q -a -o example -f nsec.signed "$N/chain.zone"
	verify nsec.signed example
	zsign -q -a -o example -3 aabbccdd -H 5 -f nsec3.signed "$N/chain.zone"
	verify nsec3.signed example
	zsign -q -a -o example -3 - -A -f optout.signed "$N/chain.zone"
	verify optout.signed example
	# No RRSIG on delegation NS or glue, DS signed, occluded data unsigned.
	run grep -cE '^(insecure|secure|ns\.secure|ns\.insecure|deep\.occluded\.insecure|x\.dname)\.example\.[[:space:]].*RRSIG[[:space:]]+(NS|A|TXT)[[:space:]]' nsec.signed
	assert_output 0
	run grep -cE '^secure\.example\.[[:space:]].*RRSIG[[:space:]]+DS ' nsec.signed
	assert_output 1
	run grep -cE '^dname\.example\.[[:space:]].*RRSIG[[:space:]]+DNAME ' nsec.signed
	assert_output 1
}

@test "ECDSAP256SHA256: NSEC, NSEC3, NSEC3 opt-out pass dnssec-verify and ldns-verify-zone" {
	sign_all_chains ECDSAP256SHA256
}

@test "RSASHA256: NSEC, NSEC3, NSEC3 opt-out pass dnssec-verify and ldns-verify-zone" {
	sign_all_chains RSASHA256
}

@test "ED25519: NSEC, NSEC3, NSEC3 opt-out pass dnssec-verify and ldns-verify-zone" {
	sign_all_chains ED25519
}

@test "ECDSAP384SHA384 and a two-algorithm zone verify" {
	zk_require_cmd dnssec-verify ldns-verify-zone
	keys example ECDSAP384SHA384
	zsign -q -a -o example -f p384.signed "$N/chain.zone"
	verify p384.signed example
	keys example ED25519
	zsign -q -a -o example -3 - -f two.signed "$N/chain.zone"
	verify two.signed example
	run grep -c $'\tRRSIG\tSOA ' two.signed
	assert_output 2
}

@test "the NSEC and NSEC3 chains are dnssec-signzone's (t/data/nsec/*.expect)" {
	keys example ECDSAP256SHA256
	zsign -q -o example -f a.signed "$N/chain.zone"
	diff <(records NSEC a.signed) <(records NSEC "$N/nsec.expect")
	zsign -q -o example -3 aabbccdd -H 5 -f b.signed "$N/chain.zone"
	diff <(records NSEC3 b.signed) <(records NSEC3 "$N/nsec3.expect")
	zsign -q -o example -3 aabbccdd -H 5 -A -f c.signed "$N/chain.zone"
	diff <(records NSEC3 c.signed) <(records NSEC3 "$N/nsec3-optout.expect")
	zsign -q -o example -3 - -f d.signed "$N/chain.zone"
	diff <(records NSEC3 d.signed) <(records NSEC3 "$N/nsec3-nosalt.expect")
	run records NSEC3PARAM d.signed
	assert_output "example. 0 IN NSEC3PARAM 1 0 0 -"
}

@test "RFC 5155 Appendix A: every NSEC3 owner hash and the chain order" {
	keys example ECDSAP256SHA256
	# The RFC's zone (signed, with the RFC's chain) as input: salt
	# AABBCCDD, 12 additional iterations, opt-out.
	zsign -q -o example -3 aabbccdd -H 12 -A -f rfc.signed "$N/rfc5155-example.zone"
	# Each NSEC3 record of the RFC (owner, TTL, next hash, bitmap) exactly
	# (the RFC writes hashes in lower case, dnssec-signzone in upper).
	"$ZKIT_BIN/zcheck" -p -o example "$N/rfc5155-example.zone" >rfc.txt || true
	diff <(records NSEC3 rfc.signed | tr a-z A-Z) <(records NSEC3 rfc.txt | tr a-z A-Z)
	# And every hash of the Appendix A list is an owner, in sorted order.
	awk -F'\t' '$3 == "A" { print toupper($2) }' "$N/rfc5155-nsec3-hashes.tsv" | sort >want
	records NSEC3 rfc.signed | cut -d. -f1 >got
	diff want got
	run grep -c . got
	assert_output 12
}

@test "the same bytes for any thread count (Ed25519 and RSA are deterministic)" {
	keys example ED25519
	for t in 1 2 5; do
		zsign -q -t $t --now 20270101000000 -s 20270101000000 -e 20270301000000 -3 ab -f t$t.signed -o example "$N/chain.zone"
	done
	cmp t1.signed t2.signed
	cmp t1.signed t5.signed
	rm -f K*
	keys example RSASHA256
	zsign -q -t 1 --now 20270101000000 -s 20270101000000 -e 20270301000000 -f r1.signed -o example "$N/chain.zone"
	zsign -q -t 3 --now 20270101000000 -s 20270101000000 -e 20270301000000 -f r3.signed -o example "$N/chain.zone"
	cmp r1.signed r3.signed
}

@test "incremental: unchanged signatures retained, changes re-signed, removed keys dropped" {
	zk_require_cmd dnssec-verify ldns-verify-zone
	ksk=$(zkeygen -q -a ECDSAP256SHA256 -f KSK example)
	zsk=$(zkeygen -q -a ECDSAP256SHA256 example)
	zsign -q -o example -f s1 "$N/chain.zone"
	run zsign -o example -f s2 s1
	assert_success
	assert_output --partial "Signatures generated:             0"
	assert_output --partial "Signatures retained:             26"
	assert_output --partial "Signatures dropped:               0"
	# One new name: its A, its NSEC and the previous name's NSEC.
	printf 'new.example. 3600 IN A 192.0.2.200\n' >>s1
	run zsign -o example -f s3 s1
	assert_success
	assert_output --partial "Signatures generated:             3"
	assert_output --partial "Signatures retained:             25"
	assert_output --partial "Signatures dropped:               1"
	verify s3 example
	# A broken signature is not kept: it is replaced.
	awk 'BEGIN { OFS = "\t" } $4 == "RRSIG" && $5 == "MX" { $13 = "AAAA" substr($13, 5) } { print }' s3 >s4
	run zsign -o example -f s5 s4
	assert_output --partial "Signatures generated:             1"
	assert_output --partial "Signatures dropped:               1"
	verify s5 example
	# A ZSK rollover: a new ZSK replaces the old one's signatures (the old
	# ZSK stays published from the input, so the DNSKEY RRset changes).
	new=$(zkeygen -q -a ECDSAP256SHA256 example)
	run zsign -o example -f s6 s5 "$ksk" "$new.key"
	assert_success
	assert_output --partial "Signatures generated:            28"
	assert_output --partial "Signatures retained:              0"
	assert_output --partial "Signatures dropped:              28"
	run grep -c $'\tDNSKEY\t' s6
	assert_output 3
	verify s6 example
	# Expiring within the refresh interval (-i): re-signed.
	zsign -q -o example -s now-1h -e now+2d -f s7 "$N/chain.zone" "$ksk" "$zsk"
	run zsign -o example -i 3d -f s8 s7 "$ksk" "$zsk"
	assert_output --partial "Signatures retained:              0"
	run zsign -o example -i 1d -f s9 s7 "$ksk" "$zsk"
	assert_output --partial "Signatures retained:             26"
}

@test "CDS and CDNSKEY are signed by the KSK, the rest by the ZSK (RFC 7344 §4.1)" {
	zk_require_cmd dnssec-verify
	ksk=$(zkeygen -q -a ECDSAP256SHA256 -f KSK example)
	zsk=$(zkeygen -q -a ECDSAP256SHA256 example)
	{ cat "$N/chain.zone"; zkeysign cds "$ksk.key"; } >cds.zone
	zsign -q -a -o example -f s cds.zone "$ksk" "$zsk"
	tag() { echo "$1" | sed 's/.*+0*//'; }
	for t in DNSKEY CDS CDNSKEY; do
		run grep -cE "RRSIG	$t 13 1 [0-9]+ [0-9]+ [0-9]+ $(tag "$ksk") " s
		assert_output 1
	done
	run grep -cE "RRSIG	[A-Z]+ 13 [0-9]+ [0-9]+ [0-9]+ [0-9]+ $(tag "$ksk") " s
	assert_output 3
	run grep -cE "RRSIG	SOA 13 1 [0-9]+ [0-9]+ [0-9]+ $(tag "$zsk") " s
	assert_output 1
	run dnssec-verify -o example s
	assert_success
}

@test "incremental NSEC3 opt-out: a new name and a new insecure delegation" {
	zk_require_cmd dnssec-verify ldns-verify-zone
	keys example ECDSAP256SHA256
	zsign -q -o example -3 - -A -f o1 "$N/chain.zone"
	printf 'new.example. 3600 IN A 192.0.2.200\nnewdeleg.example. 3600 IN NS ns1.example.\n' >>o1
	run zsign -o example -3 - -A -f o2 o1
	assert_success
	# The A, its NSEC3, and the NSEC3 whose next hash changed; the
	# unsigned delegation is opted out (RFC 5155 §6): no NSEC3, no RRSIG.
	assert_output --partial "Signatures generated:             3"
	assert_output --partial "Signatures dropped:               1"
	verify o2 example
}

@test "--cache: unchanged signatures kept without verifying, changed data still caught" {
	zk_require_cmd dnssec-verify ldns-verify-zone
	keys example ECDSAP256SHA256
	zsign -q -o example --cache c -f s1 "$N/chain.zone"
	run od -An -c -N4 c
	assert_output --regexp 'Z +S +C +1'
	[ $(( $(stat -c %s c) )) -eq $((4 + 26 * 16)) ]
	run zsign -o example --cache c -f s2 s1
	assert_output --partial "Signatures retained:             26"
	assert_output --partial "Signatures cached:               26"
	# Data changed under an old signature: the cache does not match, the
	# signature does not verify, a new one is made.
	sed 's/192\.0\.2\.25$/192.0.2.26/' s2 >s3
	run zsign -o example --cache c -f s4 s3
	assert_output --partial "Signatures generated:             1"
	assert_output --partial "Signatures cached:               25"
	verify s4 example
	# A damaged cache is ignored.
	echo junk >c
	run zsign -o example --cache c -f s5 s4
	assert_success
	assert_output --partial "is not a zsign cache; ignored"
	assert_output --partial "Signatures retained:             26"
}

@test "default cache OUTPUT.zsigcache: in-place re-sign, tampered signature caught, --no-cache" {
	zk_require_cmd dnssec-verify ldns-verify-zone
	keys example ECDSAP256SHA256
	zsign -q -o example -f s "$N/chain.zone"
	run od -An -c -N4 s.zsigcache
	assert_output --regexp 'Z +S +C +1'
	[ $(( $(stat -c %s s.zsigcache) )) -eq $((4 + 26 * 16)) ]
	# In place, as a signed zone is maintained: a new name, the old
	# signatures taken from the cache without verifying.
	printf 'new.example.\t3600\tIN\tA\t192.0.2.99\n' >>s
	run zsign -o example -f s s
	assert_success
	assert_output --partial "Signatures generated:             3"
	assert_output --partial "Signatures retained:             25"
	assert_output --partial "Signatures cached:               25"
	verify s example
	# A tampered signature (one base64 digit of an A RRSIG changed) is not
	# in the cache: it is verified, fails and is replaced.
	awk -F'\t' 'BEGIN { OFS = "\t" } !done && $4 == "RRSIG" && $5 ~ /^A / {
		n = split($5, f, " "); c = substr(f[n], 5, 1); r = (c == "A" ? "B" : "A")
		f[n] = substr(f[n], 1, 4) r substr(f[n], 6); $5 = f[1]
		for (i = 2; i <= n; i++) $5 = $5 " " f[i]; done = 1 } { print }' s >t
	run diff s t
	assert_failure
	cp t t.orig
	cp s.zsigcache t.zsigcache
	run zsign -o example -f t t
	assert_success
	assert_output --partial "Signatures generated:             1"
	assert_output --partial "Signatures cached:               27"
	verify t example
	# --no-cache: every old signature verified, no cache written.
	cp t.orig u
	run zsign -o example --no-cache -f u u
	assert_success
	assert_output --partial "Signatures generated:             1"
	assert_output --partial "Signatures cached:                0"
	[ ! -e u.zsigcache ]
	verify u example
	# Standard output: no cache.
	zsign -q -o example -f - "$N/chain.zone" >v
	[ ! -e -.zsigcache ]
}

@test "RSA private key: one damaged field of eight is refused (RFC 8017 3.2 relations)" {
	zkeygen -q -a RSASHA256 example >/dev/null
	k=$(ls Kexample.+008+*.private)
	k=${k%.private}
	run zsign -q -o example -f - "$N/chain.zone" "$k"
	assert_success
	for fld in Modulus PublicExponent PrivateExponent Prime1 Prime2 Exponent1 Exponent2 Coefficient; do
		mkdir -p "bad$fld"
		cp "$k.key" "bad$fld/"
		# One base64 digit of the field changed.
		awk -v F="$fld:" '$1 == F { c = substr($2, 3, 1); $2 = substr($2, 1, 2) (c == "Q" ? "R" : "Q") substr($2, 4) } { print }' \
			"$k.private" >"bad$fld/$k.private"
		run cmp -s "$k.private" "bad$fld/$k.private"
		assert_failure
		run zsign -q -o example -f - "$N/chain.zone" "bad$fld/$k"
		assert_failure 1
		assert_output --partial "cannot read key"
	done
}

@test "-u switches the chain of a signed zone; without it the chain is kept" {
	keys example ECDSAP256SHA256
	zsign -q -o example -f nsec "$N/chain.zone"
	run zsign -o example -3 - -f still nsec
	assert_success
	assert_output --partial "keeping it (-u switches to NSEC3)"
	run grep -c $'\tNSEC3\t' still
	assert_output 0
	zsign -q -o example -u -3 - -f n3 nsec
	run grep -c $'\tNSEC\t' n3
	assert_output 0
	run grep -c $'\tNSEC3PARAM\t1 0 0 -' n3
	assert_output 1
	zsign -q -o example -u -f back n3
	run grep -c $'\tNSEC3' back
	assert_output 0
	zk_require_cmd dnssec-verify
	run dnssec-verify -o example back
	assert_success
}

@test "-S: keys chosen by their timing metadata (ZSK rollover in progress)" {
	zk_require_cmd dnssec-verify ldns-verify-zone
	ksk=$(zkeygen -q -a ECDSAP256SHA256 -f KSK example)
	old=$(zkeygen -q -a ECDSAP256SHA256 -P now-30d -A now-30d -I now-1d -D now+7d example)
	cur=$(zkeygen -q -a ECDSAP256SHA256 -P now-10d -A now-1d example)
	next=$(zkeygen -q -a ECDSAP256SHA256 -P now-1h -A now+20d example)
	gone=$(zkeygen -q -a ECDSAP256SHA256 -P now-90d -A now-90d -I now-60d -D now-30d example)
	tag() { echo "$1" | sed 's/.*+0*//'; }
	run zsign -S -o example -f s "$N/chain.zone"
	assert_success
	verify s example
	# Published: KSK, old (until deleted), current, next. Not: gone.
	run grep -c $'\tDNSKEY\t' s
	assert_output 4
	# Signing: the current ZSK everything, the KSK the DNSKEY RRset.
	run grep -cE "RRSIG	SOA 13 1 [0-9]+ [0-9]+ [0-9]+ $(tag "$cur") " s
	assert_output 1
	run grep -cE "RRSIG	[A-Z0-9]+ 13 [0-9] [0-9]+ [0-9]+ [0-9]+ ($(tag "$old")|$(tag "$next")|$(tag "$gone")) " s
	assert_output 0
	run grep -cE "RRSIG	DNSKEY 13 1 [0-9]+ [0-9]+ [0-9]+ $(tag "$ksk") " s
	assert_output 1
}

@test "-S: a key past its Delete time leaves the DNSKEY RRset of a signed zone" {
	zkeygen -q -a ED25519 -f KSK example >/dev/null
	old=$(zkeygen -q -a ED25519 -P now-30d -A now-30d -I now+1d -D now+5d example)
	zkeygen -q -a ED25519 -P now-1d -A now+1d example >/dev/null
	zsign -q -S -o example -f s1 "$N/chain.zone"
	run grep -c $'\tDNSKEY\t' s1
	assert_output 3
	# Ten days later the old ZSK is deleted, also from the signed input.
	zsign -q -S --now now+10d -o example -f s2 s1
	run grep -c $'\tDNSKEY\t' s2
	assert_output 2
	run grep -c "$(grep -v '^;' "$old.key" | awk '{ print $NF }')" s2
	assert_output 0
}

@test "-S: a revoked KSK gets the REVOKE flag and signs the DNSKEY RRset (RFC 5011)" {
	zk_require_cmd dnssec-verify ldns-verify-zone
	zkeygen -q -a ED25519 -f KSK -P now-30d -A now-30d -R now-1d example >/dev/null
	zkeygen -q -a ED25519 -f KSK example >/dev/null
	zkeygen -q -a ED25519 example >/dev/null
	zsign -q -S -o example -f s "$N/chain.zone"
	run dnssec-verify -o example s
	assert_success
	assert_output --partial "KSKs: 1 active, 0 stand-by, 1 revoked"
	run ldns-verify-zone s
	assert_success
	run grep -c $'\tDNSKEY\t385 3 15 ' s
	assert_output 1
	run grep -c $'\tRRSIG\tDNSKEY ' s
	assert_output 2
}

@test "--keyset: an offline-signed DNSKEY RRset is used as it is" {
	zk_require_cmd dnssec-verify ldns-verify-zone
	ksk=$(zkeygen -q -a ECDSAP256SHA256 -f KSK example)
	zsk=$(zkeygen -q -a ECDSAP256SHA256 example)
	zkeysign keyset -k "$ksk" -z "$zsk" -e +60d -o keyset
	mkdir zsk-only && cp "$zsk".* zsk-only/
	run zsign -K zsk-only -o example --keyset keyset -f s "$N/chain.zone" "$zsk.key"
	assert_success
	verify s example
	# The DNSKEY RRSIG is the keyset's, byte for byte.
	diff <(records RRSIG keyset | grep ' DNSKEY ' | tr -d ' ') \
		<(records RRSIG s | grep ' DNSKEY ' | tr -d ' ')
	# A keyset that ends before the zone signatures is refused.
	zkeysign keyset -k "$ksk" -z "$zsk" -e +10d -o short
	run zsign -o example --keyset short -f bad "$N/chain.zone" "$zsk.key"
	assert_failure 1
	assert_output --partial "expires before the zone signatures"
	[ ! -e bad ]
	# A keyset that does not verify is refused.
	# (a key added to the set after it was signed)
	extra=$(zkeygen -q -a ECDSAP256SHA256 example)
	{ cat keyset; grep -v '^;' "$extra.key"; } >broken
	run zsign -o example --keyset broken -f bad "$N/chain.zone" "$zsk.key"
	assert_failure 1
	assert_output --partial "does not verify"
	[ ! -e bad ]
}

@test "ZONEMD (RFC 8976): computed over the signed zone, signed, verified" {
	zk_require_cmd ldns-verify-zone dnssec-verify
	keys example ECDSAP256SHA256
	zsign -q -a -Z sha384 -o example -3 - -f z "$N/chain.zone"
	run grep -c $'\tZONEMD\t2024010101 1 1 ' z
	assert_output 1
	run grep -cE $'\tRRSIG\tZONEMD ' z
	assert_output 1
	run ldns-verify-zone -Z z
	assert_success
	verify z example
	# Re-signed unchanged: the digest and its signature stay.
	zsign -q -o example -f z2 z
	diff <(records ZONEMD z) <(records ZONEMD z2)
	diff <(records RRSIG z | grep ' ZONEMD ') <(records RRSIG z2 | grep ' ZONEMD ')
	zsign -q -Z sha512 -o example -u -f z3 z
	run grep -c $'\tZONEMD\t2024010101 1 2 ' z3
	assert_output 1
	run ldns-verify-zone -Z z3
	assert_success
}

@test "-N serial, -M max TTL, -T DNSKEY TTL, -D DNSSEC records only" {
	keys example ECDSAP256SHA256
	zsign -q -N increment -M 1800 -T 600 -o example -f a "$N/chain.zone"
	run awk '$4 == "SOA" { print $2, $7 }' a
	assert_output "1800 2024010102"
	run awk '$2 > 1800' a
	assert_output ''
	run awk '$4 == "DNSKEY" { print $2 }' a
	assert_output $'600\n600'
	zsign -q -N unixtime --now 2100000000 -o example -f b "$N/chain.zone"
	run awk '$4 == "SOA" { print $7 }' b
	assert_output 2100000000
	zsign -q -N date --now 20301231120000 -o example -f c "$N/chain.zone"
	run awk '$4 == "SOA" { print $7 }' c
	assert_output 2030123100
	zsign -q -D -o example -f d "$N/chain.zone"
	run awk '$4 != "RRSIG" && $4 != "NSEC" { print $4 }' d
	assert_output ''
	run grep -c $'\tRRSIG\t' d
	assert_output 26
}

@test "validity: -s/-e absolute and relative, -X for DNSKEY, -j jitter" {
	keys example ED25519
	zsign -q --now 20270101000000 -s 20270101000000 -e +30d -X 20270601000000 -o example -f a "$N/chain.zone"
	run awk '$4 == "RRSIG" && $5 == "SOA" { print $9, $10 }' a
	assert_output "20270131000000 20270101000000"
	run awk '$4 == "RRSIG" && $5 == "DNSKEY" { print $9 }' a
	assert_output "20270601000000"
	zsign -q --now 20270101000000 -s 20270101000000 -e 20270131000000 -j 5d -o example -f j "$N/chain.zone"
	run sh -c "awk '\$4 == \"RRSIG\" { print \$9 }' j | sort -u | wc -l"
	[ "$output" -gt 5 ]
	run awk '$4 == "RRSIG" && ($9 > "20270131000000" || $9 < "20270126000000")' j
	assert_output ''
}

@test "bad input: missing keys, expired keys, wrong zone, broken input: error, no output" {
	run zsign -o example -f out "$N/chain.zone"
	assert_failure 1
	assert_output --partial "no keys for example. found in ."
	[ ! -e out ]
	k=$(zkeygen -q -a ECDSAP256SHA256 -P now-60d -A now-60d -I now-1d example)
	run zsign -o example -f out "$N/chain.zone" "$k"
	assert_failure 1
	assert_output --partial "is inactive since"
	[ ! -e out ]
	o=$(zkeygen -q -a ECDSAP256SHA256 example.org)
	run zsign -o example -f out "$N/chain.zone" "$o"
	assert_failure 1
	assert_output --partial "key is for zone example.org., not example."
	[ ! -e out ]
	run zsign -o example -f out "$N/chain.zone" Kmissing.+013+00001
	assert_failure 1
	assert_output --partial "cannot read key"
	[ ! -e out ]
	z=$(zkeygen -q -a ECDSAP256SHA256 example)
	printf 'example. 3600 IN SOA ns1.example. h.example. 1 2 3 4 5\nexample. 3600 IN RRSIG A 13 1 3600 2026 broken\n' >broken.zone
	run zsign -o example -f out broken.zone "$z"
	assert_failure 1
	assert_output --partial "broken.zone:2"
	[ ! -e out ]
	run zsign -o example -H 51 -3 - -f out "$N/chain.zone" "$z"
	assert_failure 3
	assert_output --partial "above 50 are refused"
	ls -A | grep -v '^K' | grep -v '^broken.zone$' | { ! grep .; }
}

@test "atomic output: kill -9 while signing leaves the old file and no temporary file" {
	zk_require_cmd python3
	keys big.test ECDSAP256SHA256
	"$ZKIT_SRC/scripts/bench/gen-zone" -o big.test 60000 >big.zone
	echo "old contents" >out.signed
	cp out.signed before
	for delay in 0.3 0.8 1.5; do
		zsign -q -t 1 -o big.test -f out.signed big.zone &
		pid=$!
		sleep $delay
		kill -9 $pid 2>/dev/null || true
		wait $pid 2>/dev/null || true
		# Either the old file or a complete new one, never a part.
		if ! cmp -s out.signed before; then
			tail -1 out.signed | grep -q . && grep -c $'\tSOA\t' out.signed | grep -qx 1
			cp before out.signed
		fi
		run ls -A
		refute_output --partial ".zsign-"
	done
}

@test "atomic output: a full disk (ENOSPC) leaves the old file byte-identical" {
	[ "$(id -u)" = 0 ] || skip "needs root to mount a small tmpfs"
	keys big.test ECDSAP256SHA256
	"$ZKIT_SRC/scripts/bench/gen-zone" -o big.test 5000 >big.zone
	mkdir small
	mount -t tmpfs -o size=256k tmpfs small || skip "cannot mount tmpfs"
	echo "old contents" >small/out.signed
	run zsign -q -o big.test -f small/out.signed big.zone
	ls -A small >listing
	cat small/out.signed >after
	umount small
	assert_failure 2
	assert_output --partial "No space left on device"
	[ "$(cat after)" = "old contents" ]
	run cat listing
	assert_output "out.signed"
}

@test "usage: no zone file, bad options, --help, --version" {
	run zsign
	assert_failure 3
	assert_output --partial "no zone file given"
	run zsign -N sometimes z
	assert_failure 3
	run zsign -A z
	assert_failure 3
	assert_output --partial "-A and -H need -3"
	run zsign -s 20260101000000 -e 20251201000000 z
	assert_failure 3
	run zsign --help
	assert_success
	assert_output --partial "usage: zsign"
	run zsign -V
	assert_success
	assert_output --regexp '^zsign \('
}

@test "progress line with --progress (on by default on a terminal), summary line" {
	keys example ECDSAP256SHA256
	run zsign --progress -o example -f s "$N/chain.zone"
	assert_success
	assert_output --regexp $'\rzsign: signing [0-9]+/26 RRsets'
	assert_output --regexp 'zsign: signed example\.: 26 signatures in [0-9.]+ s \([0-9]+/s, [0-9]+ threads\)'
	run zsign -q -o example -f s2 "$N/chain.zone"
	assert_output ''
}

@test "man page: mandoc -Tlint clean" {
	zk_require_cmd mandoc
	run mandoc -Tlint -W warning "$ZKIT_SRC/man/zsign.1"
	assert_success
	assert_output ''
}
