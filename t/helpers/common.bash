# common.bash — loaded by every bats file:
#     t/*.bats:         load helpers/common
#     t/system/*.bats:  load ../helpers/common
#                       load ../helpers/servers   (real servers, responder)
#
# Sets:
#   ZKIT_SRC   the repository root (found from this file's path)
#   ZKIT_BUILD the build directory (from `make check`, else $ZKIT_SRC/build;
#              SANITIZE=1 builds live in build/san and make exports that)
#   ZKIT_BIN   our binaries ($ZKIT_BUILD/bin unless set)
#   ZKIT_DATA  $ZKIT_SRC/t/data
# Provides:
#   zk_require_cmd CMD...  skip the test, naming the Debian package, when a
#                          peer program is missing (scripts/run-tests counts
#                          a skip as a failure when CI=true)
#   zk_require_bin TOOL... skip when one of our tools is not built yet
#   zk_tmpdir [NAME]       make and print a fresh directory for this test
#                          (under BATS_TEST_TMPDIR, removed by bats)
# and bats-support + bats-assert (assert_success, assert_output, ...).

ZKIT_SRC=${ZKIT_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
ZKIT_BUILD=${ZKIT_BUILD:-$ZKIT_SRC/build}
ZKIT_BIN=${ZKIT_BIN:-$ZKIT_BUILD/bin}
ZKIT_DATA=$ZKIT_SRC/t/data
export ZKIT_SRC ZKIT_BUILD ZKIT_BIN ZKIT_DATA

ZK_BATS_LIB=${ZK_BATS_LIB:-/usr/lib/bats}
# shellcheck source=/dev/null
source "$ZK_BATS_LIB/bats-support/load.bash"
# shellcheck source=/dev/null
source "$ZK_BATS_LIB/bats-assert/load.bash"

# Debian package that ships each peer program.
zk__package_of() {
	case $1 in
	named | named-rrchecker) echo bind9 ;;
	named-* | dnssec-* | rndc* | nsec3hash | ddns-confgen | tsig-keygen) echo bind9-utils ;;
	dig | nsupdate | delv | host | nslookup) echo bind9-dnsutils ;;
	knotd | knotc | keymgr | kjournalprint | kcatalogprint | kzonecheck | kzonesign) echo knot ;;
	kdig | knsupdate | khost) echo knot-dnsutils ;;
	drill | ldns-*) echo ldnsutils ;;
	python3) echo python3 ;;
	ss) echo iproute2 ;;
	pgrep | ps) echo procps ;;
	mandoc) echo mandoc ;;
	krb5kdc | kdb5_util) echo krb5-kdc ;;
	kadmin.local) echo krb5-admin-server ;;
	kinit | klist | kvno) echo krb5-user ;;
	faketime) echo faketime ;;
	*) echo "the package providing $1" ;;
	esac
}

zk_require_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 ||
			skip "$c not installed (apt-get install $(zk__package_of "$c"))"
	done
}

zk_require_bin() {
	local t
	for t in "$@"; do
		[ -x "$ZKIT_BIN/$t" ] || skip "$ZKIT_BIN/$t not built (make BUILD=...)"
	done
}

zk_tmpdir() {
	local base=${BATS_TEST_TMPDIR:-${BATS_FILE_TMPDIR:-}} d
	if [ -n "$base" ]; then
		d=$(mktemp -d "$base/${1:-tmp}.XXXXXX") || return 1
	else
		d=$(mktemp -d "${TMPDIR:-/tmp}/zk-${1:-tmp}.XXXXXX") || return 1
	fi
	echo "$d"
}
