# wslctl: `make` builds build/wslctl and build/wslctl-net; `make check` runs every test
# (unit, end-to-end, and both again under ASan+UBSan); `make run` shows the main job.

VERSION  := 0.1.0
PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
LIBEXECDIR ?= $(PREFIX)/libexec/wslctl
DATADIR  ?= $(PREFIX)/share/wslctl
MANDIR   ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/site-functions
DESTDIR  ?=
BUILD    ?= build
SAN      ?=

CC       ?= cc
CFLAGS   ?= -O2 -g
WARN     := -std=c11 -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wvla -Wstrict-prototypes \
            -Wmissing-prototypes -Wno-unused-parameter -Wno-format-truncation
DEFS     := -D_GNU_SOURCE -DWSLCTL_VERSION='"$(VERSION)"' -DWSLCTL_DATADIR='"$(DATADIR)"' \
            -DWSLCTL_LIBEXEC='"$(LIBEXECDIR)"'
# The installed binary also looks for its data and wslctl-net relative to itself, so a
# DESTDIR staging tree or a moved prefix works like the final place.
DEFS     += -DWSLCTL_DATADIR_REL='"$(shell realpath -m --relative-to=$(BINDIR) $(DATADIR))"' \
            -DWSLCTL_LIBEXEC_REL='"$(shell realpath -m --relative-to=$(BINDIR) $(LIBEXECDIR))"'
ifeq ($(SAN),1)
CFLAGS   := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
LDFLAGS  += -fsanitize=address,undefined
endif

# wslctl links only what config/enable/disable/check need; wslctl-net adds the rest.
CORE_PKGS := inih jansson zlib
NET_PKGS  := $(CORE_PKGS) libcurl libarchive libcrypto
PKG_CFLAGS   = $(shell pkg-config --cflags $(NET_PKGS) 2>/dev/null)
CORE_LIBS    = $(shell pkg-config --libs $(CORE_PKGS) 2>/dev/null)
NET_LIBS     = $(shell pkg-config --libs $(NET_PKGS) 2>/dev/null)
CMOCKA_LIBS  = $(shell pkg-config --libs cmocka 2>/dev/null)

ENTRY_SRC := cli/main.c cli/commands_net.c cli/commands_exec.c
LIB_SRC   := $(filter-out $(ENTRY_SRC),$(wildcard cli/*.c))
LIB_OBJ   := $(LIB_SRC:cli/%.c=$(BUILD)/obj/%.o)
UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

ALL_CFLAGS = $(WARN) $(DEFS) $(PKG_CFLAGS) $(CFLAGS) -MMD -MP

.PHONY: all deps check unit e2e sanitize bench run install uninstall clean kernel-test bench-kernel deb deb-test FORCE \
	fuzz fuzz-quick valgrind stress
all: $(BUILD)/wslctl $(BUILD)/wslctl-net $(BUILD)/wslctl.1

# The compiled-in paths: a different PREFIX (make install PREFIX=/usr) rebuilds what uses them.
$(BUILD)/.paths: FORCE
	@mkdir -p $(@D)
	@echo "$(VERSION) $(BINDIR) $(DATADIR) $(LIBEXECDIR)" | cmp -s - $@ || \
		echo "$(VERSION) $(BINDIR) $(DATADIR) $(LIBEXECDIR)" >$@
$(BUILD)/obj/main.o $(BUILD)/obj/commands_exec.o: $(BUILD)/.paths

$(BUILD)/wslctl.1: packaging/wslctl.1.scd | $(BUILD)/.deps-build
	@echo "  SCDOC   $@"
	@scdoc <$< >$@

$(BUILD)/.deps-build: packaging/deps.sh
	@mkdir -p $(@D)
	@sh packaging/deps.sh build
	@touch $@
$(BUILD)/.deps-test: packaging/deps.sh
	@mkdir -p $(@D)
	@sh packaging/deps.sh build test
	@touch $@
deps: $(BUILD)/.deps-build

$(BUILD)/obj/%.o: cli/%.c | $(BUILD)/.deps-build
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libwslctl.a: $(LIB_OBJ)
	@rm -f $@
	@$(AR) rcs $@ $^

$(BUILD)/wslctl: $(BUILD)/obj/main.o $(BUILD)/obj/commands_exec.o $(BUILD)/libwslctl.a
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(CORE_LIBS)

$(BUILD)/wslctl-net: $(BUILD)/obj/main.o $(BUILD)/obj/commands_net.o $(BUILD)/libwslctl.a
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(NET_LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libwslctl.a | $(BUILD)/.deps-test
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -Icli -o $@ $< $(BUILD)/libwslctl.a $(LDFLAGS) $(NET_LIBS) $(CMOCKA_LIBS)

unit: $(UNIT_BIN)
	@sh tests/run-unit.sh $(UNIT_BIN)

e2e: all | $(BUILD)/.deps-test
	@WSLCTL=$(abspath $(BUILD)/wslctl) sh tests/run-e2e.sh

sanitize:
	@$(MAKE) --no-print-directory BUILD=build/asan SAN=1 unit e2e

check: $(BUILD)/.deps-test
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory unit e2e
	@$(MAKE) --no-print-directory sanitize
	@$(MAKE) --no-print-directory fuzz-quick

# libFuzzer targets (tests/fuzz/README): fuzz-quick replays every seed and tries 2000
# new inputs per target; fuzz runs each target FUZZ_SECONDS, two at a time.
FUZZ_SECONDS ?= 600
fuzz-quick:
	@sh tests/fuzz/run.sh $(BUILD) 0 2
fuzz:
	@sh tests/fuzz/run.sh $(BUILD) $(FUZZ_SECONDS) 2
# The e2e suite under valgrind memcheck; stress adds it to the long fuzz runs.
valgrind: all
	@sh packaging/deps.sh stress
	@sh tests/stress/valgrind.sh $(BUILD)
stress: valgrind fuzz

bench: all
	@sh packaging/deps.sh build test bench
	@WSLCTL=$(abspath $(BUILD)/wslctl) sh bench/run.sh

# Not part of bench: four full builds of Debian's 6.12 kernel (29 minutes on 2 cores).
bench-kernel: all
	@sh packaging/deps.sh build test bench
	@WSLCTL=$(abspath $(BUILD)/wslctl) sh bench/run.sh bench/kernel_build.sh

# Not part of check: unpacks Debian's 6.12 source, builds it and boots it under QEMU.
kernel-test:
	@BUILD=$(BUILD) sh tests/kernel/kernel-test.sh

run: all
	@sh packaging/deps.sh run
	@WSLCTL=$(abspath $(BUILD)/wslctl) sh tests/demo.sh

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(DATADIR) \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 755 $(BUILD)/wslctl $(DESTDIR)$(BINDIR)/wslctl
	install -m 755 $(BUILD)/wslctl-net $(DESTDIR)$(LIBEXECDIR)/wslctl-net
	for d in kernel-config patches; do \
		find $$d -type d -exec install -d $(DESTDIR)$(DATADIR)/{} \; && \
		find $$d -type f -exec install -m 644 {} $(DESTDIR)$(DATADIR)/{} \; || exit 1; \
	done
	install -m 644 $(BUILD)/wslctl.1 $(DESTDIR)$(MANDIR)/man1/wslctl.1
	install -m 644 packaging/completion/wslctl.bash $(DESTDIR)$(BASHCOMPDIR)/wslctl
	install -m 644 packaging/completion/_wslctl $(DESTDIR)$(ZSHCOMPDIR)/_wslctl

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/wslctl $(DESTDIR)$(MANDIR)/man1/wslctl.1 \
		$(DESTDIR)$(BASHCOMPDIR)/wslctl $(DESTDIR)$(ZSHCOMPDIR)/_wslctl
	rm -rf $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(DATADIR)

# The Debian package, built from a copy of the tree (dpkg-buildpackage wants debian/ on top).
DEB_DIR := $(BUILD)/deb
deb:
	@sh packaging/deps.sh build deb
	@rm -rf $(DEB_DIR) && mkdir -p $(DEB_DIR)/wslctl-$(VERSION)
	@tar --exclude=./build --exclude=./.git -cf - . | tar -C $(DEB_DIR)/wslctl-$(VERSION) -xf -
	@cp -R packaging/debian $(DEB_DIR)/wslctl-$(VERSION)/debian
	@cd $(DEB_DIR)/wslctl-$(VERSION) && dpkg-buildpackage -us -uc -b -Jauto >../build.log 2>&1 || \
		{ tail -40 ../build.log; echo "deb: failed, see $(DEB_DIR)/build.log"; exit 1; }
	@ls $(DEB_DIR)/*.deb

# Unpacks the built package into a scratch root and runs it from there (see README).
deb-test: deb
	@sh tests/deb-test.sh $(DEB_DIR)

clean:
	rm -rf build

-include $(LIB_OBJ:.o=.d) $(BUILD)/obj/main.d $(BUILD)/obj/commands_net.d $(BUILD)/obj/commands_exec.d $(UNIT_BIN:=.d)
