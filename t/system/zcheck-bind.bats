#!/usr/bin/env bats
# zcheck against BIND: the same zone text must give the same records.
#
# 1. named-checkzone -D -s full dumps what BIND loaded (-i local: no DNS
#    lookups of out-of-zone names, which would wait on the network);
#    zcheck --print --generic of that dump and of the original file must be
#    the same wire records (owners compared case-insensitively, rdata as
#    \# hex).
# 2. Each line zcheck prints in presentation form, read back by
#    named-rrchecker -u, must be the wire data zcheck has (our printer
#    against BIND's parser, with no zkit code on the reading side).

load ../helpers/common

setup() {
	zk_require_bin zcheck
	zk_require_cmd named-checkzone named-rrchecker python3
	Z=$ZKIT_BIN/zcheck
	T=$(zk_tmpdir)
}

# as_wire ORIGIN FILE: one sorted line per record, owner lower-cased.
as_wire() {
	"$Z" -q -p --generic -W all=ignore -o "$1" "$2" | awk -F'\t' '{ $1 = tolower($1); print }' OFS='\t' | sort
}

# same_as_bind ORIGIN FILE: BIND loads FILE (else zcheck must find an
# error too) and both give the same records.
same_as_bind() {
	local origin=$1 file=$2 name
	name=$(basename "$file")
	if ! named-checkzone -i local -q -D -s full -o "$T/$name.bind" "$origin" "$file" >/dev/null 2>&1; then
		if "$Z" -q -o "$origin" "$file" >/dev/null 2>&1; then
			echo "$name: BIND rejects it, zcheck finds no error"
			return 1
		fi
		echo "# $name: rejected by both" >&3
		return 0
	fi
	as_wire "$origin" "$T/$name.bind" >"$T/$name.bind.wire"
	as_wire "$origin" "$file" >"$T/$name.wire"
	[ -s "$T/$name.wire" ] || { echo "$name: no records"; return 1; }
	diff -u "$T/$name.bind.wire" "$T/$name.wire" || { echo "$name differs from BIND"; return 1; }
	echo "# $name: $(wc -l <"$T/$name.wire") records identical" >&3
}

@test "golden zones: the same records as named-checkzone -D" {
	cd "$ZKIT_DATA/zones"
	for f in *.zone; do
		same_as_bind example.com "$f"
	done
}

@test "RFC example zones: the same records as named-checkzone -D" {
	cd "$ZKIT_DATA/zones/rfc"
	same_as_bind example rfc5155-example.zone
	same_as_bind example rfc8976-a2-example.zone
	same_as_bind uri.arpa rfc8976-a4-uri.arpa.zone
	same_as_bind root-servers.net rfc8976-a5-root-servers.net.zone
}

@test "a generated TLD-like zone (20000 records): the same records as BIND" {
	"$ZKIT_SRC/scripts/bench/gen-zone" -o tld. 20000 >"$T/tld.zone"
	same_as_bind tld "$T/tld.zone"
}

@test "zcheck's presentation output reads back in BIND to the same wire data" {
	local f
	for f in "$ZKIT_DATA/zones/clean.zone" "$ZKIT_DATA/zones/rfc/rfc8976-a2-example.zone"; do
		cd "$(dirname "$f")"
		"$Z" -q -p -W all=ignore "$(basename "$f")" -o "$(sed -n 's/^; zcheck-origin: //p' "$f" | head -1 | grep . || echo example.)" >"$T/p.txt"
		"$Z" -q -p --generic -W all=ignore "$(basename "$f")" -o "$(sed -n 's/^; zcheck-origin: //p' "$f" | head -1 | grep . || echo example.)" >"$T/g.txt"
		[ "$(wc -l <"$T/p.txt")" -gt 10 ]
		python3 - "$T/p.txt" "$T/g.txt" <<'EOF'
import subprocess, sys
pres = open(sys.argv[1]).read().splitlines()
gen = open(sys.argv[2]).read().splitlines()
assert len(pres) == len(gen)
for p, g in zip(pres, gen):
    owner, ttl, cls, typ, rdata = p.split("\t", 4)
    out = subprocess.run(["named-rrchecker", "-u"], input="%s %s %s\n" % (cls, typ, rdata),
                         capture_output=True, text=True)
    assert out.returncode == 0, (p, out.stderr)
    bind = out.stdout.strip().split("\t")[2]
    ours = g.split("\t", 4)[4]
    assert bind.replace(" ", "").upper() == ours.replace(" ", "").upper(), (p, bind, ours)
print("ok", len(pres))
EOF
	done
}
