#!/usr/bin/env bats
# Every RR type, loaded by BIND and by us as one zone: the same records.
#
# The zone is built from the every-type rdata corpus (t/data/rdata/
# corpus.tsv: at least one record of each type BIND 9.18 knows, and edge
# cases), one owner per row. named-checkzone -D dumps what BIND loaded;
# zcheck --print --generic turns both BIND's dump and the original text
# into wire records (RFC 3597 hex), which must be identical, record by
# record. MD and MF are left out (BIND refuses these obsolete types in a
# zone; the rdata corpus test covers them), and SOA rows too (one SOA, at
# the apex). Check-names is off: the corpus has names with every escape.

load ../helpers/common

setup() {
	zk_require_bin zcheck
	zk_require_cmd named-checkzone python3
	T=$(zk_tmpdir)
}

as_wire() {
	"$ZKIT_BIN/zcheck" -q -p --generic -W all=ignore -o "$1" "$2" |
		awk -F'\t' '{ $1 = tolower($1); print }' OFS='\t' | sort
}

@test "every type in the rdata corpus: named-checkzone -D loads the same records we do" {
	python3 - "$ZKIT_DATA/rdata/corpus.tsv" "$T/alltypes.zone" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if not l.startswith("#")]
out = ["$ORIGIN .", "$TTL 3600",
       "alltypes.test. IN SOA ns.alltypes.test. admin.alltypes.test. 1 7200 3600 1209600 300",
       "alltypes.test. IN NS ns.alltypes.test.", "ns.alltypes.test. IN A 192.0.2.53"]
n = 0
for r in rows:
    if r[0] in ("SOA", "MD", "MF"):
        continue
    n += 1
    out.append("r%d.alltypes.test. 3600 IN %s %s" % (n, r[0], r[1]))
open(sys.argv[2], "w").write("\n".join(out) + "\n")
PY
	run named-checkzone -k ignore -i local -D -s full -o "$T/bind.zone" alltypes.test "$T/alltypes.zone"
	assert_success
	assert_output --partial "OK"
	as_wire alltypes.test "$T/bind.zone" >"$T/bind.wire"
	as_wire alltypes.test "$T/alltypes.zone" >"$T/ours.wire"
	# every corpus row (but SOA/MD/MF) plus the three apex records
	want=$(($(grep -v '^#' "$ZKIT_DATA/rdata/corpus.tsv" | cut -f1 | grep -cvxE 'SOA|MD|MF') + 3))
	[ "$(wc -l <"$T/ours.wire")" -eq "$want" ]
	# and every type of the corpus is in the zone
	types=$(grep -v '^#' "$ZKIT_DATA/rdata/corpus.tsv" | cut -f1 | grep -vxE 'MD|MF' | sort -u | wc -l)
	[ "$(cut -f4 "$T/ours.wire" | sort -u | wc -l)" -ge "$types" ]
	run diff -u "$T/bind.wire" "$T/ours.wire"
	assert_success
}
