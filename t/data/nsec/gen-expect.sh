#!/bin/sh
# Regenerate the dnssec-signzone expectations for chain.zone (BIND 9.18):
#   cd t/data/nsec && ./gen-expect.sh
# Keys are made in a temporary directory and thrown away: kept are the NSEC
# and NSEC3 records and the public DNSKEY records (chain-dnskey.zone: the
# signer adds them at the apex, so the apex bitmaps list DNSKEY).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$here/chain.zone" "$tmp/"
cd "$tmp"
dnssec-keygen -q -a ECDSAP256SHA256 -n ZONE example >/dev/null
dnssec-keygen -q -f KSK -a ECDSAP256SHA256 -n ZONE example >/dev/null
sign() { # output, extra options
	out=$1
	shift
	dnssec-signzone -q -o example -S -K . -f signed "$@" chain.zone >/dev/null
	{
		echo "; dnssec-signzone ${*:-(NSEC)}, $(named -v)"
		named-checkzone -q -D -o - example signed |
		    awk '$4 == "NSEC" || $4 == "NSEC3"'
	} >"$here/$out"
}
sign nsec.expect
{
	echo "; the public keys the expectations were made with"
	named-checkzone -q -D -o - example signed | awk '$4 == "DNSKEY"'
} >"$here/chain-dnskey.zone"
sign nsec3.expect -3 aabbccdd -H 5
sign nsec3-nosalt.expect -3 - -H 0
sign nsec3-optout.expect -3 aabbccdd -H 5 -A
