# LanTalk build entry points. `make test` is what CI runs (.ci/run calls it).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
DOTNET ?= dotnet
RID ?= linux-x64
CONFIG ?= Release
COMMIT := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
PUBLISH_FLAGS := -c $(CONFIG) -p:SourceRevisionId=$(COMMIT) --nologo
DIST := dist
ART := artifacts
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1

.PHONY: all deps build test test-stages unit-test fuzz-smoke bench-all run chat publish publish-linux publish-win conformance bench bench-peer send-floor smoke load-smoke fuzz clean help

all: build

help:
	@echo "make build        build everything (Debug)"
	@echo "make test         unit + integration tests, published-binary smoke test, conformance, short load run"
	@echo "make run          start the server in the foreground on Data/"
	@echo "make chat         start the console client"
	@echo "make publish      single-file executables into dist/linux-x64 (Native AOT) and dist/win-x64"
	@echo "make conformance  published server + the full conformance suite"
	@echo "make bench        design-32, burst-32, crowd and slow-consumer against the published server"
	@echo "make bench-peer   InspIRCd and lantalk-server side by side (design-32, burst-32, crowd); installs inspircd if missing"
	@echo "make send-floor   CPU per send of a bare C fan-out loop over loopback: the floor under CPU per delivery"
	@echo "make fuzz         longer fuzzing run of the frame decoder and session state machine"

build:
	$(DOTNET) build LanTalk.sln --nologo

# System packages (clang, zlib, tmux, ...): one list in scripts/deps.sh, shared with .ci/run.
deps:
	bash scripts/deps.sh

# Every test there is: NUnit (unit + integration), then the real published binaries.
# deps runs first and alone, so a missing package is named before anything is built.
test: deps
	$(MAKE) --no-print-directory test-stages

test-stages: unit-test fuzz-smoke publish-linux smoke conformance load-smoke publish-win
	@echo "make test: all stages passed"

unit-test:
	@mkdir -p $(ART)
	$(DOTNET) test LanTalk.sln --nologo --logger "trx;LogFilePrefix=results" --results-directory $(ART)/test-results 2>&1 | tee $(ART)/unit-test.log

run:
	$(DOTNET) run --project server -- --data Data

chat:
	$(DOTNET) run --project client -- $(ARGS)

publish: publish-linux publish-win

publish-linux:
	@mkdir -p $(DIST)/$(RID)
	$(DOTNET) publish server/LanTalk.Server.csproj -r $(RID) $(PUBLISH_FLAGS) -o $(ART)/publish/server
	$(DOTNET) publish client/LanTalk.Client.csproj -r $(RID) $(PUBLISH_FLAGS) -o $(ART)/publish/client
	$(DOTNET) publish harness/LanTalk.Harness.csproj -r $(RID) $(PUBLISH_FLAGS) -o $(ART)/publish/harness
	cp $(ART)/publish/server/lantalk-server $(ART)/publish/client/lantalk $(ART)/publish/harness/lantalk-harness $(DIST)/$(RID)/
	@ls -l $(DIST)/$(RID)

# Native AOT cannot cross-compile to Windows from Linux: these are self-contained, single-file, trimmed builds.
publish-win:
	@mkdir -p $(DIST)/win-x64
	$(DOTNET) publish server/LanTalk.Server.csproj -r win-x64 $(PUBLISH_FLAGS) -p:PublishAot=false -p:PublishSingleFile=true -p:SelfContained=true -p:PublishTrimmed=true -o $(ART)/publish/win-server
	$(DOTNET) publish client/LanTalk.Client.csproj -r win-x64 $(PUBLISH_FLAGS) -p:PublishAot=false -p:PublishSingleFile=true -p:SelfContained=true -p:PublishTrimmed=true -o $(ART)/publish/win-client
	cp $(ART)/publish/win-server/lantalk-server.exe $(ART)/publish/win-client/lantalk.exe $(DIST)/win-x64/
	@ls -l $(DIST)/win-x64

smoke:
	bash scripts/smoke.sh $(DIST)/$(RID) 2>&1 | tee $(ART)/smoke.log

conformance: publish-linux
	$(DIST)/$(RID)/lantalk-harness conformance --spawn $(DIST)/$(RID)/lantalk-server 2>&1 | tee $(ART)/conformance.log

load-smoke:
	$(DIST)/$(RID)/lantalk-harness load --spawn $(DIST)/$(RID)/lantalk-server --scenario design-32 --duration 5 --json $(ART)/design-32.json 2>&1 | tee $(ART)/load-smoke.log

# BENCH_RUNS runs of design-32, burst-32, crowd and slow-consumer, then the medians (README quotes them).
BENCH_RUNS ?= 3
bench: publish-linux
	@mkdir -p $(ART)
	for i in $$(seq 1 $(BENCH_RUNS)); do \
	  ($(DIST)/$(RID)/lantalk-harness bench --spawn $(DIST)/$(RID)/lantalk-server --no-progress --json $(ART)/bench-$$i.json 2>&1 | tee $(ART)/bench-$$i.log) || echo "(run $$i missed a target; see its log)"; \
	done
	python3 scripts/bench-median.py $(ART)/bench-*.json | tee $(ART)/bench-median.txt

# Every BENCHMARKS.md scenario, BENCH_RUNS times each, then the medians (capacity takes minutes).
# A missed target is reported in the table and does not stop the other runs.
SCENARIOS ?= design-32 burst-32 crowd slow-consumer private churn server-full capacity
bench-all: publish-linux
	@mkdir -p $(ART)/bench-all
	for i in $$(seq 1 $(BENCH_RUNS)); do for s in $(SCENARIOS); do \
	  ($(DIST)/$(RID)/lantalk-harness load --spawn $(DIST)/$(RID)/lantalk-server --scenario $$s --no-progress --json $(ART)/bench-all/$$s-$$i.json 2>&1 | tee $(ART)/bench-all/$$s-$$i.log | tail -3) || echo "($$s run $$i missed a target; see its log)"; \
	done; done
	python3 scripts/bench-median.py $(ART)/bench-all/*.json | tee $(ART)/bench-all/median.txt

# InspIRCd (Debian's, installed with apt-get when run as root) and lantalk-server driven with the same shapes
# (design-32, burst-32, crowd), BENCH_RUNS times each; one table of medians: CPU and context switches per
# delivery, p50/p99. Not part of make test.
bench-peer: publish-linux
	@mkdir -p $(ART)
	bash scripts/bench-peer.sh $(DIST)/$(RID) $(ART)/bench-peer $(BENCH_RUNS) 2>&1 | tee $(ART)/bench-peer.log

# The floor under CPU per delivery on this machine: a C loop making one send per delivery (scripts/bench-peer/send-floor.c).
send-floor:
	@mkdir -p $(ART)
	$${CC:-cc} -O2 -Wall -o $(ART)/send-floor scripts/bench-peer/send-floor.c
	$(ART)/send-floor 5

# Seeded mutation fuzzing; saved crashes in tests/LanTalk.Fuzz/crashes are replayed first as regressions.
fuzz:
	$(DOTNET) run --project tests/LanTalk.Fuzz -c Release -- --seconds $${FUZZ_SECONDS:-600} --crashes tests/LanTalk.Fuzz/crashes

fuzz-smoke:
	@mkdir -p $(ART)
	$(DOTNET) run --project tests/LanTalk.Fuzz -c Release -- --seconds 20 --crashes tests/LanTalk.Fuzz/crashes 2>&1 | tee $(ART)/fuzz.log

clean:
	rm -rf $(DIST) $(ART)
	$(DOTNET) clean LanTalk.sln --nologo
