# zkit — hand-written, non-recursive Makefile.
#
#   make                 build libzkit.a and every tool into build/bin/
#   make check           unit + CLI + system tests, fuzz replay, lint
#   make SANITIZE=1 ...  the same with ASan+UBSan (objects in build/san/)
#   make WERROR=1 ...    warnings are errors (CI)
#   make fuzz            libFuzzer targets with clang (build/fuzz/)
#   make demo | bench | install | uninstall | clean | distclean
#
# Sources are found by wildcard: a new common/x.c, cmd/<tool>/*.c,
# t/unit/test_*.c or t/fuzz/fuzz_*.c needs no edit here.

SHELL := /bin/bash
.DEFAULT_GOAL := all
.DELETE_ON_ERROR:

# Goals that must work without a configured tree.
NOCONF_GOALS := clean distclean help
ifeq ($(MAKECMDGOALS),)
NEED_CONFIG := yes
else ifneq ($(filter-out $(NOCONF_GOALS),$(MAKECMDGOALS)),)
NEED_CONFIG := yes
endif

ifeq ($(NEED_CONFIG),yes)
include config.mk
endif

# A fresh clone has neither configure nor config.mk: make them, after the
# build dependencies are present (install-deps says what it installs).
configure: configure.ac
	@scripts/install-deps --if-missing build
	autoreconf -fi

config.mk config.h: configure config.mk.in
	@scripts/install-deps --if-missing build
	./configure $(CONFIGURE_FLAGS)

# ---------------------------------------------------------------- flags
# BUILD picks the build directory (parallel work trees may each use their own).
BUILD ?= build
B := $(BUILD)
ifeq ($(SANITIZE),1)
B := $(BUILD)/san
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
            -fno-sanitize-recover=undefined
endif

WARN := -std=c11 -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes \
        -Wmissing-prototypes
ifeq ($(WERROR),1)
WARN += -Werror
endif

CFLAGS ?= $(CFLAGS_CONF)
DEPCFLAGS := $(OPENSSL_CFLAGS) $(CARES_CFLAGS) $(JANSSON_CFLAGS) $(EDIT_CFLAGS) \
             $(IDN2_CFLAGS) $(GSSAPI_CFLAGS)
ALL_CPPFLAGS := -I. -Icommon -D_DEFAULT_SOURCE $(CPPFLAGS_CONF) $(CPPFLAGS) \
                $(DEPCFLAGS)
ALL_CFLAGS := $(WARN) $(CFLAGS) $(SANFLAGS) -MMD -MP
ALL_LDFLAGS := $(LDFLAGS_CONF) $(LDFLAGS) $(SANFLAGS)
LIBS := $(OPENSSL_LIBS) $(CARES_LIBS) $(JANSSON_LIBS) $(EDIT_LIBS) \
        $(IDN2_LIBS) $(GSSAPI_LIBS) -lpthread -lm

# ---------------------------------------------------------------- sources
COMMON_SRC := $(wildcard common/*.c)
COMMON_OBJ := $(COMMON_SRC:%.c=$(B)/obj/%.o)
LIB := $(B)/libzkit.a

TOOLS := $(patsubst cmd/%/main.c,%,$(wildcard cmd/*/main.c))
BINS := $(TOOLS:%=$(B)/bin/%)

UNIT_SRC := $(wildcard t/unit/test_*.c)
UNIT_BINS := $(UNIT_SRC:t/unit/%.c=$(B)/t/unit/%)

FUZZ_SRC := $(wildcard t/fuzz/fuzz_*.c)
FUZZ_NAMES := $(FUZZ_SRC:t/fuzz/%.c=%)
REPLAY_BINS := $(FUZZ_NAMES:%=$(B)/t/fuzz/replay_%)

MAN := $(wildcard man/*.1 man/*.7)

all: $(BINS)

$(B)/obj/%.o: %.c config.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(LIB): $(COMMON_OBJ)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

define tool_rules
$(1)_OBJ := $$(patsubst %.c,$(B)/obj/%.o,$$(wildcard cmd/$(1)/*.c))
$(B)/bin/$(1): $$($(1)_OBJ) $(LIB)
	@mkdir -p $$(@D)
	$$(CC) $$(ALL_LDFLAGS) -o $$@ $$($(1)_OBJ) $(LIB) $$(LIBS)
endef
$(foreach t,$(TOOLS),$(eval $(call tool_rules,$(t))))

# Unit tests: one cmocka binary per t/unit/test_<module>.c.
$(B)/t/unit/%: $(B)/obj/t/unit/%.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(LIB) $(CMOCKA_LIBS) $(LIBS)

# Fuzz targets double as corpus-replay programs in `make check`.
$(B)/t/fuzz/replay_%: $(B)/obj/t/fuzz/%.o $(B)/obj/t/fuzz/replay.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $(B)/obj/t/fuzz/$*.o $(B)/obj/t/fuzz/replay.o \
	    $(LIB) $(LIBS)

tests: $(BINS) $(UNIT_BINS) $(REPLAY_BINS)

# ---------------------------------------------------------------- checks
RUN_TESTS = ZKIT_BUILD=$(CURDIR)/$(B) ZKIT_SANITIZE=$(SANITIZE) scripts/run-tests

# Test dependencies first (cmocka, bats, the peers), then a reconfigure if
# configure ran before cmocka was there, then the test programs: in that
# order, also under make -j.
check-deps:
	@scripts/install-deps --if-missing test
ifneq ($(HAVE_CMOCKA),yes)
	./configure $(CONFIGURE_FLAGS)
endif

check check-unit check-cli check-system: check-deps
	@$(MAKE) --no-print-directory tests
	@$(RUN_TESTS) --$(patsubst check-%,%,$(patsubst check,all,$@))

demo: $(BINS)
	@ZKIT_BUILD=$(CURDIR)/$(B) scripts/demo

bench: $(BINS)
	@scripts/install-deps --if-missing bench
	@ZKIT_BUILD=$(CURDIR)/$(B) scripts/bench/run-all

# ---------------------------------------------------------------- fuzzing
FUZZ_CC ?= clang
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer-no-link,address,undefined
FUZZ_OBJ := $(COMMON_SRC:%.c=build/fuzz/obj/%.o)

build/fuzz/obj/%.o: %.c config.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(ALL_CPPFLAGS) -std=c11 $(FUZZ_FLAGS) -MMD -MP -c -o $@ $<

build/fuzz/libzkit.a: $(FUZZ_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

build/fuzz/%: build/fuzz/obj/t/fuzz/%.o build/fuzz/libzkit.a
	$(FUZZ_CC) -fsanitize=fuzzer,address,undefined -o $@ $< \
	    build/fuzz/libzkit.a $(LIBS)

fuzz: $(FUZZ_NAMES:%=build/fuzz/%)
	@echo "fuzz targets: $(FUZZ_NAMES:%=build/fuzz/%)"
	@echo "run one: build/fuzz/<target> t/fuzz/corpus/<target>"

# ---------------------------------------------------------------- install
# PREFIX on the make command line overrides configure's --prefix.
ifdef PREFIX
bindir := $(PREFIX)/bin
mandir := $(PREFIX)/share/man
endif
INSTALL ?= install
install: $(BINS)
	$(INSTALL) -d $(DESTDIR)$(bindir) $(DESTDIR)$(mandir)/man1 $(DESTDIR)$(mandir)/man7
	$(INSTALL) -m 755 $(BINS) $(DESTDIR)$(bindir)/
	for m in $(MAN); do \
	  s=$${m##*.}; $(INSTALL) -m 644 $$m $(DESTDIR)$(mandir)/man$$s/ || exit 1; \
	done

uninstall:
	rm -f $(TOOLS:%=$(DESTDIR)$(bindir)/%)
	for m in $(MAN); do \
	  s=$${m##*.}; rm -f $(DESTDIR)$(mandir)/man$$s/$${m##*/}; \
	done

clean:
	rm -rf build

distclean: clean
	rm -rf config.mk config.h config.h.in config.h.in~ config.log \
	    config.status configure configure~ aclocal.m4 autom4te.cache

help:
	@sed -n '2,9p' Makefile | sed 's/^# \{0,1\}//'

.PHONY: all tests check check-deps check-unit check-cli check-system demo \
        bench fuzz install uninstall clean distclean help
.PRECIOUS: $(B)/obj/%.o build/fuzz/obj/%.o

-include $(COMMON_OBJ:.o=.d) $(foreach t,$(TOOLS),$($(t)_OBJ:.o=.d))
-include $(UNIT_SRC:%.c=$(B)/obj/%.d) $(FUZZ_SRC:%.c=$(B)/obj/%.d)
