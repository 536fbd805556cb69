#!/usr/bin/env bats
# t/helpers/common.bash: repository and build paths, skips that name the
# missing package, per-test directories.

load helpers/common

# run_bats BODY: run a one-test bats file that loads common.bash by its
# absolute path from outside the tree, without make's environment.
run_bats() {
	local f=$BATS_TEST_TMPDIR/inner.bats
	# The teardown restores PATH for bats itself after a test that hid it.
	printf 'load %q/t/helpers/common\nteardown() { PATH=%q; }\n@test "inner" {\n%s\n}\n' \
		"$ZKIT_SRC" "$PATH" "$1" >"$f"
	run env -u ZKIT_SRC -u ZKIT_BUILD -u ZKIT_BIN -u ZKIT_DATA ${2:+"$2"} bats --tap "$f"
}

@test "ZKIT_SRC is the repository root, found from the helper's own path" {
	[ -f "$ZKIT_SRC/Makefile" ]
	[ -f "$ZKIT_SRC/t/helpers/common.bash" ]
	assert_equal "$ZKIT_DATA" "$ZKIT_SRC/t/data"
	run_bats 'echo "# src=$ZKIT_SRC bin=$ZKIT_BIN" >&3'
	assert_success
	assert_line "# src=$ZKIT_SRC bin=$ZKIT_SRC/build/bin"
	assert_line 'ok 1 inner'
}

@test "ZKIT_BUILD and ZKIT_BIN from the environment win (make check, SANITIZE)" {
	run_bats 'echo "# bin=$ZKIT_BIN" >&3' ZKIT_BUILD=/x/build/san
	assert_line '# bin=/x/build/san/bin'
	run_bats 'echo "# bin=$ZKIT_BIN" >&3' ZKIT_BIN=/y/bin
	assert_line '# bin=/y/bin'
}

@test "zk_require_cmd: present commands pass, a missing one skips naming the package" {
	zk_require_cmd bash sed
	run_bats 'PATH=/nonexistent zk_require_cmd knotd; echo not reached >&3'
	assert_success
	assert_output $'1..1\nok 1 inner # skip knotd not installed (apt-get install knot)'
	run_bats 'PATH=/nonexistent zk_require_cmd named-checkzone'
	assert_line 'ok 1 inner # skip named-checkzone not installed (apt-get install bind9-utils)'
	run_bats 'PATH=/nonexistent zk_require_cmd kdig'
	assert_line 'ok 1 inner # skip kdig not installed (apt-get install knot-dnsutils)'
}

@test "zk_require_bin: a tool that is not built skips" {
	run_bats 'zk_require_bin zk-no-such-tool' ZKIT_BIN=/nonexistent/bin
	assert_line 'ok 1 inner # skip /nonexistent/bin/zk-no-such-tool not built (make BUILD=...)'
}

@test "zk_tmpdir: fresh directories under the test's own temp dir" {
	a=$(zk_tmpdir)
	b=$(zk_tmpdir zone)
	[ -d "$a" ]
	[ -d "$b" ]
	[ "$a" != "$b" ]
	assert_equal "${a%/*}" "$BATS_TEST_TMPDIR"
	[[ ${b##*/} == zone.* ]]
}

@test "bats-assert and bats-support are loaded" {
	run echo hello
	assert_success
	assert_output hello
	refute_output world
}
