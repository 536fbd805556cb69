#!/usr/bin/env bats
# zcheck: golden zones (t/data/zones/*.zone -> .out and .findings), output
# formats, -W, exit codes, options.

load helpers/common

setup() {
	zk_require_bin zcheck
	Z=$ZKIT_BIN/zcheck
	ZONES=$ZKIT_DATA/zones
	T=$(zk_tmpdir)
}

# Run zcheck the way the golden files were made.
golden() {
	local b=$1
	cd "$ZONES" || return 1
	"$Z" -q -p -o example.com --max-ttl 1w "$b.zone" >"$T/$b.out" 2>"$T/$b.findings"
}

@test "golden zones: --print output and findings match, exit code follows the findings" {
	local n=0 z b rc want
	for z in "$ZONES"/*.zone; do
		b=$(basename "$z" .zone)
		rc=0
		golden "$b" || rc=$?
		diff -u "$ZONES/$b.out" "$T/$b.out"
		diff -u "$ZONES/$b.findings" "$T/$b.findings"
		want=0
		grep -q ': error: ' "$ZONES/$b.findings" && want=1
		[ "$rc" -eq "$want" ] || { echo "$b: exit $rc, want $want"; return 1; }
		n=$((n + 1))
	done
	[ "$n" -ge 16 ]
}

@test "every check has a golden zone that triggers it, and clean.zone triggers none" {
	local code
	[ ! -s "$ZONES/clean.findings" ]
	while read -r code _; do
		grep -q "\[$code\]\$" "$ZONES"/*.findings || { echo "no zone triggers $code"; return 1; }
	done < <("$Z" --list-checks)
}

@test "clean zone: every directive; canonical --print" {
	cd "$ZONES"
	run "$Z" -q -p -o example.com clean.zone
	assert_success
	assert_line --index 0 $'example.com.\t3600\tIN\tNS\tns1.example.com.'
	assert_line $'inc.example.com.\t3600\tIN\tA\t192.0.2.200'
	assert_line $'host3.example.com.\t3600\tIN\tA\t192.0.2.3'
	assert_line $'gen.example.com.\t3600\tIN\tTYPE65280\t\\# 3 010203'
	assert_line $'ns1.example.com.\t300\tIN\tAAAA\t2001:db8::53'
	[ "${#lines[@]}" -eq 20 ]
}

@test "--generic prints RFC 3597 rdata" {
	cd "$ZONES"
	run "$Z" -q -p --generic -o example.com clean.zone
	assert_success
	assert_line $'host1.example.com.\t3600\tIN\tA\t\\# 4 C0000201'
}

@test "text findings: file:line:col: severity: message [code]" {
	cd "$ZONES"
	run "$Z" -o example.com syntax.zone
	assert_failure 1
	assert_line "syntax.zone:7:6: error: unknown RR type 'AAA' [syntax]"
	assert_line "syntax.zone:10:20: error: unbalanced ')' [syntax]"
	assert_line "zcheck: 3 records, 5 errors, 0 warnings, 0 notes"
}

@test "-W changes a severity; --strict exits 2 on warnings only" {
	cd "$ZONES"
	run "$Z" -q -o example.com out-of-zone.zone
	assert_success
	assert_output --partial "warning: stray.example.net. is outside the zone"
	run "$Z" -q --strict -o example.com out-of-zone.zone
	assert_failure 2
	run "$Z" -q -W out-of-zone=error -o example.com out-of-zone.zone
	assert_failure 1
	assert_output --partial "error: stray.example.net."
	run "$Z" -q --strict -W out-of-zone=ignore -o example.com out-of-zone.zone
	assert_success
	assert_output ""
	run "$Z" -q -W cname-and-other=info -W cname-apex=ignore -W cname-multiple=warn \
		-o example.com cname.zone
	assert_success
	assert_line "cname.zone:8: info: both.example.com. has a CNAME and TXT data [cname-and-other]"
}

@test "exit codes: 3 usage, 4 unreadable input" {
	run "$Z"
	assert_failure 3
	run "$Z" --format xml x.zone
	assert_failure 3
	assert_output --partial "unknown format 'xml'"
	run "$Z" -W nosuch=error x.zone
	assert_failure 3
	run "$Z" -W syntax=loud x.zone
	assert_failure 3
	run "$Z" --parse-only -p x.zone
	assert_failure 3
	run "$Z" "$T/does-not-exist.zone"
	assert_failure 4
	assert_output --partial "cannot read $T/does-not-exist.zone"
}

@test "--format json: one object per finding and a summary" {
	cd "$ZONES"
	run "$Z" --format json -o example.com targets.zone
	assert_failure 1
	assert_line --index 0 '{"type":"finding","code":"target-cname","severity":"warning","file":"targets.zone","line":5,"column":0,"message":"NS target alias.example.com. is a CNAME"}'
	assert_line '{"type":"summary","records":10,"errors":2,"warnings":3,"infos":0,"exit":1}'
	[ "${#lines[@]}" -eq 6 ]
}

@test "--format sarif: SARIF 2.1.0 with rules and results" {
	cd "$ZONES"
	run "$Z" --format sarif -o example.com glue.zone
	assert_failure 1
	echo "$output" >"$T/out.sarif"
	python3 - "$T/out.sarif" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["version"] == "2.1.0"
run = d["runs"][0]
assert run["tool"]["driver"]["name"] == "zcheck"
ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
res = run["results"]
assert [r["ruleId"] for r in res] == ["glue-missing", "glue-missing", "glue-extra", "occluded", "occluded"], res
for r in res:
    assert ids[r["ruleIndex"]] == r["ruleId"]
loc = res[0]["locations"][0]["physicalLocation"]
assert loc["artifactLocation"]["uri"] == "glue.zone" and loc["region"]["startLine"] == 5
assert res[0]["level"] == "error" and res[2]["level"] == "warning"
EOF
}

@test "--format github: workflow annotations" {
	cd "$ZONES"
	run "$Z" --format github -o example.com ttl.zone
	assert_success
	assert_line "::warning file=ttl.zone,line=4,title=ttl-rfc1035::using RFC1035 TTL semantics"
	run "$Z" --format github -o example.com wildcard.zone
	assert_failure 1
	assert_line --partial "::notice file=wildcard.zone,line=6,title=wildcard-ent::b.example.com. exists"
}

@test "--parse-only: errors only, no zone checks" {
	cd "$ZONES"
	run "$Z" -q --parse-only -o example.com glue.zone
	assert_success
	assert_output ""
	run "$Z" -q --parse-only -o example.com syntax.zone
	assert_failure 1
	assert_line "syntax.zone:6:7: error: bad A record: bad IPv4 address '192.0.2.300' [syntax]"
}

@test "--no-include refuses \$INCLUDE; --max-errors bounds the report" {
	cd "$ZONES"
	run "$Z" -q --no-include -o example.com clean.zone
	assert_failure 1
	assert_line "clean.zone:27:1: error: \$INCLUDE is disabled for this input [syntax]"
	for i in $(seq 1 30); do echo "x$i BOGUS 1"; done >"$T/many.zone"
	run "$Z" -q --parse-only --max-errors 7 -o example.com "$T/many.zone"
	assert_failure 1
	[ "$(grep -c 'unknown RR type' <<<"$output")" -eq 7 ]
	assert_line --partial "too many errors (7); stopped parsing"
}

@test "without -o the apex is the first SOA's owner" {
	printf '$TTL 1h\nexample.org. SOA ns.example.org. h.example.org. 1 7200 1800 1209600 3600\nexample.org. NS ns.example.org.\nns.example.org. A 192.0.2.1\n' >"$T/o.zone"
	run "$Z" -q -p "$T/o.zone"
	assert_success
	assert_line --index 0 $'example.org.\t3600\tIN\tNS\tns.example.org.'
}

@test "--list-checks shows codes with severities after -W" {
	run "$Z" --list-checks -W glue-extra=error
	assert_success
	assert_line --regexp '^glue-extra +error '
	assert_line --regexp '^syntax +error '
	assert_line --regexp '^wildcard-ent +info '
}

@test "-h, -V" {
	run "$Z" -h
	assert_success
	assert_output --partial "usage: zcheck"
	run "$Z" -V
	assert_success
	assert_output --regexp '^zcheck \(zkit\) [0-9]'
}
