#!/usr/bin/env bats
# zkeysign: DS (RFC 4034 §5.4, RFC 4509 §2.3, RFC 6605, RFC 8080 vectors
# and dnssec-dsfromkey's output), CDS/CDNSKEY (RFC 7344, RFC 8078),
# signed DNSKEY sets (offline KSK), and bad input.

load helpers/common

setup() {
	zk_require_bin zkeysign zkeygen
	K=$ZKIT_DATA/keys
	D=$(zk_tmpdir ks)
	cd "$D"
}

zkeysign() { "$ZKIT_BIN/zkeysign" "$@"; }
zkeygen() { "$ZKIT_BIN/zkeygen" "$@"; }

@test "ds: RFC 4034 §5.4 (SHA-1) and RFC 4509 §2.3 (SHA-256) from a zone file" {
	run zkeysign ds -A -a sha1 -a sha256 -f "$K/rfc4034-dskey.example.com.zone" dskey.example.com
	assert_success
	assert_output "dskey.example.com. IN DS 60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118
dskey.example.com. IN DS 60485 5 2 D4B7D520E7BB5F0F67674A0CCEB1E3E0614B93C4F9E99B8383F6A1E4469DA50A"
	# No SEP bit and no -A: like dnssec-dsfromkey -f, nothing.
	run zkeysign ds -f "$K/rfc4034-dskey.example.com.zone"
	assert_success
	assert_output ''
}

@test "ds: RFC 6605 and RFC 8080 key files give the published DS" {
	run zkeysign ds "$K/Kexample.net.+013+55648.key"
	assert_output 'example.net. IN DS 55648 13 2 B4C8C1FE2E7477127B27115656AD6256F424625BF5C1E2770CE6D6E37DF61D17'
	run zkeysign ds -a sha384 "$K/Kexample.net.+014+10771"
	assert_output 'example.net. IN DS 10771 14 4 72D7B62976CE06438E9C0BF319013CF801F09ECC84B8D7E9495F27E305C6A9B0563A9B5F4D288405C3008A946DF983D6'
	run zkeysign ds "$K/Kexample.com.+015+03613.key" "$K/Kexample.com.+015+35217.private" \
		"$K/Kexample.com.+016+09713" "$K/Kexample.com.+016+38353.key"
	assert_output 'example.com. IN DS 3613 15 2 3AA5AB37EFCE57F737FC1627013FEE07BDF241BD10F3B1964AB55C78E79A304B
example.com. IN DS 35217 15 2 401781B934E392DE492EC77AE2E15D70F6575A1C0BC59C5275C04EBE80C6614C
example.com. IN DS 9713 16 2 6CCF18D5BC5D7FC2FCEB1D59D17321402F2AA8D368048DB93DD811F5CB2B19C7
example.com. IN DS 38353 16 2 645FF078B3568F5852B70CB60E8E696CC77B75BFAAFFC118CF79CBDA1BA28AF4'
}

@test "ds: keys from dnssec-keygen and ldns-keygen give dnssec-dsfromkey's DS (stored)" {
	for d in bind ldns; do
		for k in "$K/$d"/*.key; do zkeysign ds -a sha1 -a sha256 -a sha384 "$k"; done >"$d.out"
		diff "$K/$d/expected.ds" "$d.out"
		for k in "$K/$d"/*.key; do zkeysign ds -a all "$k"; done | diff "$K/$d/expected.ds" -
	done
}

@test "an ldns-keygen ECDSA key whose 32-octet scalar was written as 31 octets loads and signs" {
	k=$K/ldns-short/Kldns.example.+013+22635
	zkeysign ds -a sha256 "$k.key" | diff "$K/ldns-short/expected.ds" -
	# the private key is used: a key set signed with it verifies
	run zkeysign keyset -k "$k" -o set.db
	assert_success
	grep -q 'RRSIG	DNSKEY 13 2 ' set.db
	run zkeysign verify set.db
	assert_success
}

@test "ds: byte-identical to dnssec-dsfromkey (-T, -C, -f, -A, stdin) on fresh keys" {
	zk_require_cmd dnssec-dsfromkey
	for a in RSASHA256 ECDSAP384SHA384 ED25519; do
		b=$(zkeygen -a $a -f KSK example.org)
		diff <(dnssec-dsfromkey "$b.key") <(zkeysign ds "$b.key")
		diff <(dnssec-dsfromkey -T 300 -a SHA-384 -a SHA-1 "$b.key" 2>/dev/null) \
			<(zkeysign ds -T 300 -a SHA-384 -a SHA-1 "$b.key")
		diff <(dnssec-dsfromkey -C "$b.key") <(zkeysign cds --no-cdnskey "$b.key")
	done
	zkeygen example.org >/dev/null
	zkeygen -f KSK -f REVOKE example.org >/dev/null
	{ echo '$TTL 300'; cat Kexample.org.*.key; } >zone.db
	diff <(dnssec-dsfromkey -f zone.db example.org 2>/dev/null) <(zkeysign ds -f zone.db example.org)
	diff <(dnssec-dsfromkey -A -f zone.db example.org 2>/dev/null) <(zkeysign ds -A -f zone.db example.org)
	diff <(dnssec-dsfromkey -f - example.org <zone.db 2>/dev/null) <(zkeysign ds -f - example.org <zone.db)
	# The revoked key is never there; the ZSK only with -A.
	[ "$(zkeysign ds -f zone.db | wc -l)" -eq 3 ]
	[ "$(zkeysign ds -A -f zone.db | wc -l)" -eq 4 ]
}

@test "ds -f -: DNSKEYs as zdig/dig print them, from stdin" {
	printf ';; ANSWER SECTION:\nexample.com.\t3600\tIN\tDNSKEY\t257 3 15 l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQw AQEX1SxZJA4=\nexample.com.\t3600\tIN\tRRSIG\tDNSKEY 15 2 3600 20150819220000 20150729220000 3613 example.com. oL9krJun7xfBOIWcGHi7mag5/hdZrKWw15jPGrHpjQeRAvTdszaPD+QLs3fx8A4M3e23mRZ9VrbpMngwcrqNAg==\n' >dig.out
	run zkeysign ds -f - <dig.out
	assert_success
	assert_output 'example.com. IN DS 3613 15 2 3AA5AB37EFCE57F737FC1627013FEE07BDF241BD10F3B1964AB55C78E79A304B'
}

@test "cds: CDS and CDNSKEY for a KSK; RFC 8078 delete form" {
	run zkeysign cds -T 3600 "$K/Kexample.com.+015+03613.key"
	assert_success
	assert_output 'example.com. 3600 IN CDS 3613 15 2 3AA5AB37EFCE57F737FC1627013FEE07BDF241BD10F3B1964AB55C78E79A304B
example.com. 3600 IN CDNSKEY 257 3 15 l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4='
	run zkeysign cds --no-cds "$K/Kexample.com.+015+03613.key"
	assert_output 'example.com. IN CDNSKEY 257 3 15 l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4='
	run zkeysign cds --delete example.com
	assert_success
	assert_output 'example.com. IN CDS 0 0 0 00
example.com. IN CDNSKEY 0 3 0 AA=='
	run zkeysign ds --delete example.com
	assert_failure 1
}

@test "keyset: the RFC 8080 keys give the golden, deterministic fragment" {
	run zkeysign keyset -k "$K/Kexample.com.+015+03613" -z "$K/Kexample.com.+015+35217.key" \
		-s 20150729220000 -e 20150819220000
	assert_success
	assert_output "$(cat "$K/rfc8080-keyset.golden")"
	run zkeysign verify -t 20150801000000 "$K/rfc8080-keyset.golden"
	assert_success
	assert_output "$K/rfc8080-keyset.golden: 2 DNSKEY(s), 1 valid RRSIG(s)"
	run zkeysign verify -t 20150901000000 "$K/rfc8080-keyset.golden"
	assert_failure 2
	assert_output --partial 'signature expired'
	# BIND signs the same RRset with the same key to the same bytes.
	zk_require_cmd dnssec-signzone
	cp "$K"/Kexample.com.+015+* .
	{ printf '$TTL 3600\n@ SOA ns h 1 3600 600 86400 300\n@ NS ns\n'; cat Kexample.com.*.key; } >z.db
	sig=$(dnssec-signzone -D -P -z -o example.com -s 20150729220000 -e 20150819220000 -f - z.db \
		Kexample.com.+015+03613 Kexample.com.+015+35217 2>/dev/null |
		awk '$4 == "RRSIG" && $5 == "DNSKEY" && $11 == 3613 { print $13 $14 }')
	[ -n "$sig" ]
	grep -q "3613 example.com. ${sig:0:56} ${sig:56}\$" "$K/rfc8080-keyset.golden"
}

@test "keyset: several KSKs, -L, -o file written atomically, verify catches tampering" {
	k1=$(zkeygen -f KSK -a ED25519 example.net)
	k2=$(zkeygen -f KSK -a ECDSAP256SHA256 example.net)
	z=$(zkeygen -a ED25519 example.net)
	run zkeysign keyset -k "$k1" -k "$k2" -z "$z" -L 600 -o frag.db
	assert_success
	assert_output ''
	[ "$(grep -c $'\tIN\tDNSKEY\t' frag.db)" -eq 3 ]
	[ "$(grep -c $'\tIN\tRRSIG\tDNSKEY ' frag.db)" -eq 2 ]
	grep -q $'^example.net.\t600\tIN\tDNSKEY\t256 3 15 ' frag.db
	run zkeysign verify frag.db
	assert_success
	assert_output 'frag.db: 3 DNSKEY(s), 2 valid RRSIG(s)'
	# A key added after signing breaks every signature.
	other=$(zkeygen -a ED25519 example.net)
	grep -v '^;' "$other.key" >>frag.db
	run zkeysign verify frag.db
	assert_failure 2
	assert_line --regexp '^zkeysign: RRSIG by key [0-9]+: ED25519 signature does not verify$'
	ls -a | grep -vq tmp
}

@test "keyset: bad input, one line each" {
	k=$(zkeygen -f KSK example.net)
	o=$(zkeygen -f KSK example.org)
	run zkeysign keyset -k "$k" -z "$o"
	assert_failure 2
	assert_output "zkeysign: $o: key is for another zone than $k"
	run zkeysign keyset -k "$k" -z "$k"
	assert_failure 1
	assert_output "zkeysign: $k: the same key is given twice"
	cp "$k.key" Konly.key
	run zkeysign keyset -k Konly
	assert_failure 3
	assert_output 'zkeysign: Konly.private: No such file or directory'
	head -2 "$k.private" >Ktrunc.private
	cp "$k.key" Ktrunc.key
	run zkeysign keyset -k Ktrunc
	assert_failure 2
	assert_output 'zkeysign: Ktrunc.private: PrivateKey is missing (truncated file?)'
	run zkeysign keyset -k "$k" -s 20300101000000 -e 20200101000000
	assert_failure 1
	assert_output 'zkeysign: end time is not after start time'
	run zkeysign keyset
	assert_failure 1
}

@test "bad key files: garbled, wrong algorithm, mismatched pair, unreadable" {
	a=$(zkeygen -a ED25519 -f KSK example.com)
	b=$(zkeygen -a ED25519 -f KSK example.com)
	# Mismatched .key/.private pair.
	cp "$a.key" Kmix.key
	cp "$b.private" Kmix.private
	run zkeysign keyset -k Kmix
	assert_failure 2
	assert_output 'zkeysign: Kmix.private: private key does not match the public key'
	# Wrong algorithm number in the .private.
	cp "$a.key" Kalg.key
	sed 's/^Algorithm: 15 (ED25519)/Algorithm: 13 (ECDSAP256SHA256)/' "$a.private" >Kalg.private
	run zkeysign keyset -k Kalg
	assert_failure 2
	assert_output 'zkeysign: Kalg.private:2: algorithm 13 does not match the public key'"'"'s 15'
	# Garbled base64.
	cp "$a.key" Kgarb.key
	sed 's/^PrivateKey: ../PrivateKey: *!/' "$a.private" >Kgarb.private
	run zkeysign keyset -k Kgarb
	assert_failure 2
	assert_output 'zkeysign: Kgarb.private:3: bad base64 in PrivateKey'
	# Garbled public key and an unknown algorithm in the .key.
	sed 's/ 257 3 15 / 257 3 15 !!/' "$a.key" >Kbad.key
	run zkeysign ds Kbad.key
	assert_failure 2
	assert_output --regexp '^zkeysign: Kbad\.key: bad DNSKEY rdata: '
	sed 's/ 257 3 15 / 257 3 99 /' "$a.key" >Kbad.key
	run zkeysign ds Kbad.key
	assert_failure 2
	assert_output 'zkeysign: Kbad.key: algorithm 99 is not supported'
	# Unreadable.
	run zkeysign ds /nonexistent/Kx.+013+00001.key
	assert_failure 3
	assert_output 'zkeysign: /nonexistent/Kx.+013+00001.key: No such file or directory'
	if [ "$(id -u)" -ne 0 ]; then
		chmod 000 "$a.key"
		run zkeysign ds "$a.key"
		assert_failure 3
		assert_output --partial 'Permission denied'
	fi
	# A SIG(0) KEY has no DS.
	h=$(zkeygen -T KEY -n HOST host.example.com)
	run zkeysign ds "$h.key"
	assert_failure 2
	assert_output "zkeysign: $h.key: a KEY record (SIG(0) key) has no DS"
}

@test "usage" {
	run zkeysign
	assert_failure 1
	run zkeysign frobnicate
	assert_failure 1
	assert_output "zkeysign: unknown command 'frobnicate' (ds, cds, keyset, verify)"
	run zkeysign ds -a md5 x
	assert_failure 1
	assert_output "zkeysign: unknown digest 'md5' (sha1, sha256, sha384, all)"
	run zkeysign --help
	assert_success
	assert_output --partial 'usage: zkeysign ds'
}
