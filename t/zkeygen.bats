#!/usr/bin/env bats
# zkeygen: DNSSEC/SIG(0) key files in BIND's format, TSIG secrets, PEM
# import, refusals. Format checks compare with dnssec-keygen's own files.

load helpers/common

setup() {
	zk_require_bin zkeygen zkeysign
	D=$(zk_tmpdir keys)
	cd "$D"
}

zkeygen() { "$ZKIT_BIN/zkeygen" "$@"; }
zkeysign() { "$ZKIT_BIN/zkeysign" "$@"; }

# The record line of a .key file (no comments).
keyline() { grep -v '^;' "$1.key"; }

@test "default key: ECDSAP256SHA256 zone key, BIND file names, mode 0600 private" {
	run zkeygen example.com
	assert_success
	assert_output --regexp '^Kexample\.com\.\+013\+[0-9]{5}$'
	base=$output
	[ -f "$base.key" ] && [ -f "$base.private" ]
	assert_equal "$(stat -c %a "$base.private")" 600
	run keyline "$base"
	assert_output --regexp '^example\.com\. IN DNSKEY 256 3 13 [A-Za-z0-9+/= ]+$'
	run head -3 "$base.private"
	assert_line --index 0 'Private-key-format: v1.3'
	assert_line --index 1 'Algorithm: 13 (ECDSAP256SHA256)'
	assert_line --index 2 --regexp '^PrivateKey: [A-Za-z0-9+/]{43}=$'
	# The tag in the name is the key's tag (as BIND computes it).
	tag=$((10#${base##*+}))
	zk_require_cmd dnssec-dsfromkey
	run dnssec-dsfromkey "$base.key"
	assert_output --regexp "^example\.com\. IN DS $tag 13 2 "
}

@test "the .key and .private layout is dnssec-keygen's, field for field" {
	zk_require_cmd dnssec-keygen
	for a in RSASHA256 ECDSAP384SHA384 ED448; do
		t='-L 300 -P 20260101000000 -A 20260102000000 -R 20270101000000 -I 20261201000000 -D 20270201000000'
		ours=$(zkeygen -a $a -f KSK $t example.net)
		bind=$(dnssec-keygen -q -a $a -f KSK $t example.net 2>/dev/null)
		# Same lines once the key material, tag and creation time are masked.
		mask='s/keyid [0-9]+/keyid N/; s/^(example\.net\. 300 IN DNSKEY 257 3 [0-9]+) .*/\1 KEY/; /Created/d; s/^([A-Za-z0-9]+): [A-Za-z0-9+\/=]+$/\1: X/'
		diff <(sed -E "$mask" "$bind.key") <(sed -E "$mask" "$ours.key")
		diff <(sed -E "$mask" "$bind.private") <(sed -E "$mask" "$ours.private")
	done
	run cat "$ours.key"
	assert_line --index 0 --regexp '^; This is a key-signing key, keyid [0-9]+, for example\.net\.$'
	assert_line --index 2 '; Publish: 20260101000000 (Thu Jan  1 00:00:00 2026)'
	assert_line --index 3 '; Activate: 20260102000000 (Fri Jan  2 00:00:00 2026)'
}

@test "every algorithm by name and by number; RSA defaults to 2048 bits" {
	for a in RSASHA1:5 NSEC3RSASHA1:7 RSASHA256:8 RSASHA512:10 ECDSAP256SHA256:13 \
		ECDSAP384SHA384:14 ED25519:15 ED448:16; do
		name=${a%:*} num=${a#*:}
		b=$(zkeygen -a "$name" alg.example)
		[[ $b == Kalg.example.+$(printf %03d "$num")+* ]]
		grep -q "^Algorithm: $num ($name)\$" "$b.private"
		b=$(zkeygen -a "$num" num.example)
		grep -q "IN DNSKEY 256 3 $num " "$b.key"
	done
	b=$(zkeygen -a RSASHA256 rsa.example)
	# 2048-bit modulus: 256 octets, 344 base64 characters.
	run grep -c '^Modulus: [A-Za-z0-9+/]\{342\}==$' "$b.private"
	assert_output 1
}

@test "unsafe and unknown choices are refused with one clear line and no files" {
	run zkeygen -a RSASHA256 -b 512 example.com
	assert_failure 1
	assert_output 'zkeygen: 512-bit RSA keys are unsafe: use at least 1024 bits (2048 recommended)'
	run zkeygen -a RSASHA256 -b 8192 example.com
	assert_failure 1
	assert_output 'zkeygen: RSA keys are limited to 4096 bits'
	run zkeygen -a ECDSAP256SHA256 -b 384 example.com
	assert_failure 1
	assert_output 'zkeygen: ECDSAP256SHA256 keys have a fixed size of 256 bits'
	run zkeygen -a FOO example.com
	assert_failure 1
	assert_output "zkeygen: unknown algorithm 'FOO'"
	run zkeygen -a 1 example.com
	assert_failure 1
	assert_output 'zkeygen: algorithm 1 (RSAMD5) is not supported'
	run zkeygen -a 99 example.com
	assert_failure 1
	assert_output 'zkeygen: algorithm 99 is not supported'
	run zkeygen -f ZSK example.com
	assert_failure 1
	run zkeygen -K "$D/missing" example.com
	assert_failure 3
	assert_output --partial "$D/missing: No such file or directory"
	run zkeygen
	assert_failure 1
	[ -z "$(ls "$D")" ]
}

@test "KSK, revoked KSK and TTL flags" {
	b=$(zkeygen -f KSK -L 86400 example.com)
	run keyline "$b"
	assert_output --regexp '^example\.com\. 86400 IN DNSKEY 257 3 13 '
	head -1 "$b.key" | grep -q '^; This is a key-signing key'
	b=$(zkeygen -f KSK -f REVOKE example.com)
	run keyline "$b"
	assert_output --regexp '^example\.com\. IN DNSKEY 385 3 13 '
	head -1 "$b.key" | grep -q '^; This is a revoked key-signing key'
	grep -q '^Revoke: [0-9]\{14\}$' "$b.private"
}

@test "-T KEY -n HOST: a SIG(0) KEY record, no DNSKEY comments (as dnssec-keygen)" {
	b=$(zkeygen -T KEY -n HOST -a ED25519 host.example.com)
	run cat "$b.key"
	assert_output --regexp '^host\.example\.com\. IN KEY 512 3 15 [A-Za-z0-9+/]{43}=$'
	b=$(zkeygen -T KEY -n USER user.example.com)
	keyline "$b" | grep -q ' IN KEY 0 3 13 '
	run zkeygen -n HOST host.example.com
	assert_failure 1
	assert_output --partial 'DNSKEY keys are always -n ZONE'
	zk_require_cmd dnssec-keygen
	bind=$(dnssec-keygen -q -T KEY -n HOST -a ED25519 host.example.com 2>/dev/null)
	diff <(sed -E 's/[A-Za-z0-9+\/]{43}=$/X/' "$bind.key") \
		<(sed -E 's/[A-Za-z0-9+\/]{43}=$/X/' "$(ls Khost.example.com.+015+*.key | grep -v "$bind" | head -1)")
}

@test "timing: relative dates, none" {
	now=$(date -u +%s)
	b=$(zkeygen -P +1d -A +2d -I +1w -D none example.com)
	pub=$(sed -n 's/^Publish: //p' "$b.private")
	act=$(sed -n 's/^Activate: //p' "$b.private")
	[ "$(date -u -d "${pub:0:8} ${pub:8:2}:${pub:10:2}:${pub:12:2}" +%s)" -ge $((now + 86400)) ]
	[ "$(date -u -d "${act:0:8} ${act:8:2}:${act:10:2}:${act:12:2}" +%s)" -ge $((now + 172800)) ]
	grep -q '^Inactive: ' "$b.private"
	run grep -c '^Delete' "$b.private"
	assert_output 0
	# -A alone: published when it becomes active (dnssec-keygen).
	b=$(zkeygen -A 20300101000000 example.com)
	grep -q '^Publish: 20300101000000$' "$b.private"
	run zkeygen -P tomorrow example.com
	assert_failure 1
	assert_output "zkeygen: bad Publish time 'tomorrow'"
}

@test "PEM import (openssl, Knot keymgr style) and tag clash refusal" {
	zk_require_cmd openssl
	openssl genpkey -algorithm ED25519 -out ed.pem 2>/dev/null
	b=$(zkeygen --pem ed.pem -f KSK example.org)
	[[ $b == Kexample.org.+015+* ]]
	# The public key is the one openssl derives from the PEM.
	pub=$(openssl pkey -in ed.pem -pubout -outform DER 2>/dev/null | tail -c 32 | base64)
	keyline "$b" | grep -qF "257 3 15 $pub"
	# The same key again (or its revoked form) clashes with the first.
	run zkeygen --pem ed.pem -f KSK example.org
	assert_failure 2
	assert_output --regexp "^zkeygen: ed\.pem: key tag [0-9]+ is already used in \.$"
	run zkeygen --pem ed.pem -f KSK -f REVOKE example.org
	assert_failure 2
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out rsa.pem 2>/dev/null
	b=$(zkeygen --pem rsa.pem -a RSASHA512 example.org)
	[[ $b == Kexample.org.+010+* ]]
	run zkeygen --pem rsa.pem -a ED25519 example.org
	assert_failure 2
	assert_output 'zkeygen: rsa.pem: PEM key does not fit algorithm 15'
	echo garbage >bad.pem
	run zkeygen --pem bad.pem example.org
	assert_failure 2
	assert_output 'zkeygen: bad.pem: no usable PEM private key (encrypted keys are not supported)'
	# What was written reads back: zkeysign finds the same tag.
	run zkeysign ds "$b.key"
	assert_success
	assert_output --regexp "^example\.org\. IN DS $((10#${b##*+})) 10 2 [0-9A-F]{64}$"
}

@test "TSIG secret, BIND form (tsig-keygen) with the digest's length by default" {
	run zkeygen -t hmac-sha256 tsig.example
	assert_success
	assert_line --index 0 'key "tsig.example" {'
	assert_line --index 1 '	algorithm hmac-sha256;'
	assert_line --index 2 --regexp '^	secret "[A-Za-z0-9+/]{43}=";$'
	assert_line --index 3 '};'
	for a in md5:16 sha1:20 sha224:28 sha256:32 sha384:48 sha512:64; do
		out=$(zkeygen -t "hmac-${a%:*}" --format nsupdate-y k)
		[[ $out == hmac-${a%:*}:k:* ]]
		[ "$(printf %s "${out##*:}" | base64 -d | wc -c)" -eq "${a#*:}" ]
	done
	out=$(zkeygen -t hmac-sha512 -b 128 --format nsupdate-y k)
	[ "$(printf %s "${out##*:}" | base64 -d | wc -c)" -eq 16 ]
	run zkeygen -t hmac-sha256
	assert_line --index 0 'key "tsig-key" {'
	zk_require_cmd named-checkconf
	zkeygen -t hmac-sha384 k1 >named.conf
	named-checkconf named.conf
}

@test "TSIG secret: knot, nsupdate -y and json forms; bad choices" {
	run zkeygen -t hmac-sha256 --format knot k2
	assert_success
	assert_line --index 0 --regexp '^# hmac-sha256:k2:[A-Za-z0-9+/]{43}=$'
	assert_line --index 1 'key:'
	assert_line --index 2 '  - id: k2'
	assert_line --index 3 '    algorithm: hmac-sha256'
	assert_line --index 4 --regexp '^    secret: [A-Za-z0-9+/]{43}=$'
	run zkeygen -t hmac-sha1 --format json k3
	assert_success
	zk_require_cmd jq
	assert_equal "$(jq -r .name <<<"$output")" k3
	assert_equal "$(jq -r .algorithm <<<"$output")" hmac-sha1
	assert_equal "$(jq -r .secret <<<"$output" | base64 -d | wc -c)" 20
	run zkeygen -t hmac-sha3 k
	assert_failure 1
	assert_output --partial "unknown TSIG algorithm 'hmac-sha3'"
	run zkeygen -t hmac-sha256 --format xml k
	assert_failure 1
	run zkeygen -t hmac-sha256 -b 2048 k
	assert_failure 1
	assert_output 'zkeygen: TSIG secret size must be 8..1024 bits, not 2048'
}

@test "-h and -V" {
	run zkeygen -h
	assert_success
	assert_output --partial 'usage: zkeygen'
	run zkeygen -V
	assert_success
	assert_output --regexp '^zkeygen \(zkit\) '
}
