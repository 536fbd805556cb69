#!/usr/bin/env bats
# BIND proves the rdata corpus: t/data/rdata/corpus.tsv (named-rrchecker -u
# and -p for every row of corpus.in) and t/data/rdata/multiline.tsv (dig
# +multiline from a named serving every row) are regenerated here with the
# installed BIND and must equal the committed files, which test_rdata
# checks our text and wire forms against.

load ../helpers/common
load ../helpers/servers

@test "rdata corpus: named-rrchecker agrees with t/data/rdata/corpus.tsv" {
	zk_require_cmd named-rrchecker
	d=$(zk_tmpdir corpus)
	run "$ZKIT_SRC/scripts/gen-rdata-corpus" "$ZKIT_DATA/rdata/corpus.in" "$d/corpus.tsv"
	assert_success
	run diff -u "$ZKIT_DATA/rdata/corpus.tsv" "$d/corpus.tsv"
	assert_success
	# Every type named-rrchecker lists has a row.
	for t in $(named-rrchecker -T); do
		grep -q "^$t	" "$d/corpus.tsv" || fail "no corpus row for $t"
	done
}

@test "rdata corpus: dig +multiline agrees with t/data/rdata/multiline.tsv" {
	zk_require_cmd named dig python3
	d=$(zk_tmpdir multiline)
	port=$(zk_free_port)
	run "$ZKIT_SRC/scripts/gen-rdata-corpus" --multiline "$ZKIT_DATA/rdata/corpus.tsv" \
		"$d/multiline.tsv" "$port"
	assert_success
	run diff -u "$ZKIT_DATA/rdata/multiline.tsv" "$d/multiline.tsv"
	assert_success
}

@test "rdata corpus: RFC 9460 Appendix D vectors give BIND's wire form" {
	zk_require_cmd named-rrchecker
	while IFS=$'\t' read -r fig _ rec len hex; do
		case $fig in '#'*) continue ;; esac
		rdata=${rec#* * }
		type=${rec#* }
		type=${type%% *}
		run bash -c "printf 'IN %s %s\n' '$type' \"\$1\" | named-rrchecker -u" _ "$rdata"
		assert_success
		want=$(printf '%s' "$hex" | tr a-f A-F)
		assert_output --partial "\\# $len $want"
	done <"$ZKIT_DATA/rdata/rfc9460-d2-vectors.tsv"
}
