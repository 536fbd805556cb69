#!/usr/bin/env bats
# Interop of zkeygen/zkeysign with BIND and ldns: zkeygen keys sign zones
# with dnssec-signzone that dnssec-verify accepts (every algorithm);
# dnssec-dsfromkey and zkeysign agree; dnssec-keygen and ldns-keygen keys
# load with the same tag and DS; an offline-KSK keyset fragment passes
# dnssec-verify; TSIG secrets from zkeygen work with named, dig and
# nsupdate.

load ../helpers/common
load ../helpers/servers

setup() {
	zk_require_bin zkeygen zkeysign
	D=$(zk_tmpdir keys)
	cd "$D"
}

teardown() {
	zk_servers_stop_all
}

zkeygen() { "$ZKIT_BIN/zkeygen" "$@"; }
zkeysign() { "$ZKIT_BIN/zkeysign" "$@"; }

zone_head() {
	printf '$TTL 300\n@ IN SOA ns.%s. hostmaster.%s. 1 3600 600 86400 300\n@ IN NS ns.%s.\nns IN A 192.0.2.1\nwww IN A 192.0.2.2\n*.wild IN TXT "x"\n' \
		"$1" "$1" "$1"
}

@test "zkeygen keys of every algorithm sign with dnssec-signzone and pass dnssec-verify" {
	zk_require_cmd dnssec-signzone dnssec-verify dnssec-dsfromkey
	for a in RSASHA1 NSEC3RSASHA1 RSASHA256 RSASHA512 ECDSAP256SHA256 ECDSAP384SHA384 ED25519 ED448; do
		z=$(echo "$a" | tr 'A-Z' 'a-z').example
		ksk=$(zkeygen -a $a -f KSK "$z")
		zsk=$(zkeygen -a $a "$z")
		{ zone_head "$z"; cat "$ksk.key" "$zsk.key"; } >"$z.db"
		n3=()
		[ $a != NSEC3RSASHA1 ] || n3=(-3 -)
		dnssec-signzone "${n3[@]}" -o "$z" -k "$ksk" -f "$z.signed" "$z.db" "$zsk" >/dev/null 2>&1 ||
			{ echo "# dnssec-signzone failed for $a" >&3; false; }
		run dnssec-verify -o "$z" "$z.signed"
		assert_success
		assert_output --partial 'Zone fully signed'
		# Same DS from both tools, for both keys.
		diff <(dnssec-dsfromkey -a SHA-1 -a SHA-256 -a SHA-384 "$ksk.key" 2>/dev/null) \
			<(zkeysign ds -a all "$ksk.key")
		diff <(dnssec-dsfromkey "$zsk.key") <(zkeysign ds "$zsk.key")
		# Zone file input: DNSKEYs from the signed zone.
		diff <(dnssec-dsfromkey -f "$z.signed" "$z" 2>/dev/null) <(zkeysign ds -f "$z.signed" "$z")
	done
}

@test "keys from dnssec-keygen and ldns-keygen: same tag, same DS, usable as KSK" {
	zk_require_cmd dnssec-keygen ldns-keygen dnssec-dsfromkey
	for a in RSASHA256 ECDSAP256SHA256 ECDSAP384SHA384 ED25519 ED448; do
		b=$(dnssec-keygen -q -a $a -f KSK bind.example 2>/dev/null)
		bits=()
		[[ $a != RSA* ]] || bits=(-b 1024)
		l=$(ldns-keygen -k -a $a "${bits[@]}" ldns.example 2>/dev/null)
		rm -f "$l.ds"
		for k in "$b" "$l"; do
			tag=$((10#${k##*+}))
			run zkeysign ds "$k.key"
			assert_success
			assert_output --regexp " IN DS $tag "
			diff <(dnssec-dsfromkey "$k.key" 2>/dev/null) <(zkeysign ds "$k.key")
			zkeysign keyset -k "$k" -o "$k.frag"
			run zkeysign verify "$k.frag"
			assert_success
		done
	done
}

@test "PEM keys from Knot's keymgr import with the same DNSKEY and DS" {
	zk_require_cmd keymgr
	mkdir kasp
	for a in 13:256 15:256 8:2048; do
		id=$(keymgr -D kasp example.com. generate algorithm=${a%:*} size=${a#*:} ksk=yes | tail -1)
		b=$(zkeygen --pem "kasp/keys/$id.pem" -a "${a%:*}" -f KSK example.com)
		want=$(keymgr -D kasp example.com. dnskey | grep " 257 3 ${a%:*} " | tail -1 |
			sed -E 's/^([^ ]+) DNSKEY /\1 IN DNSKEY /')
		# Knot prints the key in one piece, BIND (and we) in 56-column pieces.
		diff <(echo "$want" | tr -d ' ') <(grep -v '^;' "$b.key" | tr -d ' ')
		tag=$((10#${b##*+}))
		keymgr -D kasp example.com. ds | grep " DS $tag ${a%:*} 2 " | tail -1 |
			awk '{ print $1, "IN", $2, $3, $4, $5, toupper($6) }' >want.ds
		[ -s want.ds ]
		zkeysign ds "$b" | diff want.ds -
	done
}

@test "offline KSK: keyset fragment + ZSK-only signing passes dnssec-verify" {
	zk_require_cmd dnssec-signzone dnssec-verify
	mkdir offline
	ksk=$(zkeygen -K offline -f KSK -a ECDSAP256SHA256 example.com)
	zsk=$(zkeygen -a ECDSAP256SHA256 example.com)
	zkeysign keyset -k "offline/$ksk" -z "$zsk" -o keyset.db
	{ zone_head example.com; echo '$INCLUDE keyset.db'; } >example.com.db
	# Only the ZSK's private key is on the signing host.
	dnssec-signzone -o example.com -O full -f signed.db example.com.db "$zsk" >/dev/null 2>&1
	run dnssec-verify -o example.com signed.db
	assert_success
	assert_output --partial 'Zone fully signed'
	# Without our RRSIG the DNSKEY set has no KSK signature: refused.
	tag=$((10#${ksk##*+}))
	awk -v t="$tag" '!($4 == "RRSIG" && $5 == "DNSKEY" && $11 == t)' signed.db >nosig.db
	run dnssec-verify -o example.com nosig.db
	assert_failure
}

@test "TSIG secrets from zkeygen: named loads the key {} block; dig -k and nsupdate -k use it" {
	zk_require_cmd named dig nsupdate
	zkeygen -t hmac-sha256 upd.key >tsig.conf
	zkeygen -t hmac-sha512 other.key >other.conf
	zone_head example.com >example.com.db
	mkdir srv
	zk_named_start "$D/srv" PORT "example.com=$D/example.com.db,update=upd.key" \
		--conf-extra "include \"$D/tsig.conf\";"
	# A signed query gets a signed, verified answer.
	run dig +tries=1 +time=2 @127.0.0.1 -p "$PORT" -k tsig.conf www.example.com A
	assert_success
	assert_output --partial 'status: NOERROR'
	assert_output --regexp 'upd\.key\.[[:space:]]+0[[:space:]]+ANY[[:space:]]+TSIG[[:space:]]+hmac-sha256\. '
	refute_output --partial 'tsig verify failure'
	# An update signed with it is accepted...
	printf 'server 127.0.0.1 %s\nzone example.com\nupdate add new.example.com 300 A 192.0.2.9\nsend\n' "$PORT" >upd.txt
	run nsupdate -t 4 -k tsig.conf upd.txt
	assert_success
	run zk_dig "$PORT" +short new.example.com A
	assert_output 192.0.2.9
	# ... and one signed with a key named does not know is refused.
	printf 'server 127.0.0.1 %s\nzone example.com\nupdate add bad.example.com 300 A 192.0.2.8\nsend\n' "$PORT" >bad.txt
	run nsupdate -t 4 -k other.conf bad.txt
	assert_failure
	run zk_dig "$PORT" +short bad.example.com A
	assert_output ''
}
