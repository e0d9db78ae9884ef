# Aftersales — the two commands of the README, and the pieces they are made of.
#   make run    install, build, load demo data on first start, serve on http://127.0.0.1:8080
#   make test   install, build, run every test (unit, API on SQLite and PostgreSQL, browser)
BUILD   ?= build
JOBS    ?= $(shell nproc)
LISTEN  ?= 127.0.0.1:8080
DATA    ?= ./data
BIN      = $(BUILD)/aftersales

.PHONY: run test deps build backend web unit api e2e bench soak fuzz clean

run: deps build
	@$(BIN) demo --data-dir $(DATA) --log-level warn
	@echo
	@echo "Aftersales is starting on http://$(LISTEN)  (Ctrl-C to stop)"
	@echo
	@exec $(BIN) serve --data-dir $(DATA) --listen $(LISTEN) --web-dir web/dist

test: deps build
	@bash scripts/test.sh

deps:
	@bash scripts/install-deps.sh

build: backend web

backend:
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAFTERSALES_BUILD_BENCH=OFF > /dev/null
	@ninja -C $(BUILD) -j $(JOBS)

web:
	@bash scripts/build-web.sh

bench: deps
	@cmake -S . -B $(BUILD)-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DAFTERSALES_BUILD_BENCH=ON -DAFTERSALES_BUILD_TESTS=OFF > /dev/null
	@ninja -C $(BUILD)-bench -j $(JOBS) bench_domain
	@$(BUILD)-bench/bench/bench_domain
	@$(MAKE) --no-print-directory backend
	@bash bench/http_bench.sh
	@bash bench/http_bench.sh --postgres

# Long robustness runs: 50 kill -9 crashes while clients write, then SOAK_MINUTES of mixed load
# watching memory and file descriptors for growth (scripts/soak.sh, docs/RELIABILITY.md).
SOAK_MINUTES ?= 30
soak: deps build
	@AFTERSALES_CRASH_KILLS=50 node --test tests/api/crash.test.mjs
	@SOAK_MINUTES=$(SOAK_MINUTES) bash scripts/soak.sh

# libFuzzer harnesses (fuzz/, docs/RELIABILITY.md): built with clang in build-fuzz, each replays
# fuzz/regressions/<name>/ and then fuzzes for FUZZ_SECONDS; fails if any input crashes.
FUZZ_SECONDS ?= 60
FUZZ_JOBS    ?= $(JOBS)
FUZZERS      ?= http_request json_body calendar attachment
fuzz:
	@bash scripts/install-deps.sh clang libclang-rt-dev  # libFuzzer is only recommended by clang
	@CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=Fuzz -DAFTERSALES_BUILD_FUZZ=ON \
	  -DAFTERSALES_BUILD_TESTS=OFF -DAFTERSALES_BUILD_BENCH=OFF > /dev/null
	@nice -n 10 ninja -C build-fuzz -j $(FUZZ_JOBS) fuzzers
	@FUZZ_BUILD=build-fuzz FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZERS="$(FUZZERS)" bash fuzz/run.sh

clean:
	rm -rf $(BUILD) $(BUILD)-bench build-fuzz web/dist
