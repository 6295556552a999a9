# Steward — build, run and test. `make run` and `make test` do all the set-up on a fresh
# Debian 12 machine with the Swift toolchain.
SHELL := /bin/bash
export LANG ?= C.UTF-8
export LC_ALL ?= C.UTF-8

# postgresql-15: the PostgreSQL backend's tests start throwaway servers (scripts/pg-throwaway.sh);
# its client programs (pg_dump, pg_restore, psql) back up and inspect a PostgreSQL database.
APT_PACKAGES := libncurses-dev libsqlite3-dev libargon2-dev libssl-dev sqlite3 tmux curl jq wrk postgresql-15 postgresql-client-15
BIN := .build/debug/steward
RELEASE_BIN := .build/release/steward
# Where `make install` puts bin/steward; DESTDIR stages it for packaging.
PREFIX ?= /usr/local
INSTALL_BIN := $(DESTDIR)$(PREFIX)/bin/steward

.PHONY: deps build release run test test-unit test-e2e bench install uninstall clean

deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "missing Debian packages:$$missing"; echo "run: sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

build: deps
	swift build

release: deps
	swift build -c release

run: build
	$(BIN) console --demo

test: deps
	swift build --build-tests
	swift test --skip-build
	bash scripts/test-postgres.sh
	@if [ -d Tests/e2e ]; then for t in Tests/e2e/*.sh; do echo "== $$t"; STEWARD_BIN=$(BIN) bash $$t || exit 1; done; fi
	$(MAKE) --no-print-directory fuzz

# Schemathesis against the live server, bounded (Tests/fuzz/run-schemathesis.sh).
.PHONY: fuzz
fuzz: build
	STEWARD_BIN=$(BIN) bash Tests/fuzz/run-schemathesis.sh

# The binary carries everything it reads but the database: the common-password list, the
# demo set and the themes are compiled in, so it runs from any folder. It is linked with
# --static-swift-stdlib so it also runs where no Swift toolchain is installed; it needs only
# the Debian libraries `deps` lists (libsqlite3, libncursesw, libargon2, libssl). The copy
# is stripped (about 77 MB instead of 137); the unstripped one stays in .build/release.
install: deps
	swift build -c release --static-swift-stdlib
	install -d "$(DESTDIR)$(PREFIX)/bin"
	install -s -m 0755 "$$(swift build -c release --static-swift-stdlib --show-bin-path)/steward" "$(INSTALL_BIN)"
	@echo "installed $(INSTALL_BIN)"

uninstall:
	rm -f "$(INSTALL_BIN)"

bench: release
	bash bench/run.sh

clean:
	rm -rf .build
