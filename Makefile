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

.PHONY: fault-files load-v3 irctest irc-irssi irc-weechat durability rooms-tmux history-tmux all deps deps-test build test test-stages unit-test fuzz-smoke bench-all run chat publish publish-linux publish-win conformance bench smoke load-smoke discovery-test fuzz clean help faults fault-fd smoke-win soak fault-disk bench-peer send-floor store-floor profile

all: build ## the same as make build

# Every target with its `## ` description; a target without one still appears, marked, so none is hidden.
help: ## this list
	@awk -F':' '/^[a-z][a-z0-9-]*:/ && $$0 !~ /:=/ { d = $$0; if (d ~ /## /) sub(/.*## /, "", d); else d = "(no description)"; \
	  printf "make %-16s %s\n", $$1, d }' $(firstword $(MAKEFILE_LIST))

build: ## build everything (Debug)
	$(DOTNET) build LanTalk.sln --nologo

# System packages (clang, zlib, tmux, ...): one list in scripts/deps.sh, shared with .ci/run.
deps: ## check the system packages (scripts/deps.sh); as root, install the missing ones
	bash scripts/deps.sh

# Every test there is: NUnit (unit + integration), then the real published binaries.
# deps runs first and alone, so a missing package is named before anything is built.
test: deps ## every test CI runs: deps, NUnit, fuzz smoke, published-binary smoke, conformance, load smoke, Windows build
	$(MAKE) --no-print-directory test-stages

test-stages: deps-test unit-test fault-disk fuzz-smoke publish-linux smoke faults conformance load-smoke load-v3 durability rooms-tmux history-tmux irc-irssi irc-weechat irctest fault-fd discovery-test publish-win smoke-win ## the stages of make test without the dependency check
	@echo "make test: all stages passed"

deps-test: ## make test, as a normal user with a PATH lacking clang, must name the package and build nothing
	@mkdir -p $(ART)
	bash scripts/deps-test.sh 2>&1 | tee $(ART)/deps-test.log

unit-test: ## the NUnit suites (unit and integration)
	@mkdir -p $(ART)
	$(DOTNET) test LanTalk.sln --nologo --logger "trx;LogFilePrefix=results" --results-directory $(ART)/test-results 2>&1 | tee $(ART)/unit-test.log

fault-disk: ## the history store and the log file on a really full disk (a 4 MiB tmpfs; root only, SKIP otherwise)
	@mkdir -p $(ART)
	bash scripts/fault-disk.sh 2>&1 | tee $(ART)/fault-disk.log

run: ## start the server in the foreground on Data/
	$(DOTNET) run --project server -- --data Data

chat: ## start the console client (ARGS="localhost --user alice")
	$(DOTNET) run --project client -- $(ARGS)

publish: publish-linux publish-win ## single-file executables into dist/linux-x64 (Native AOT) and dist/win-x64

publish-linux: ## Native AOT executables into dist/linux-x64
	@mkdir -p $(DIST)/$(RID)
	$(DOTNET) publish server/LanTalk.Server.csproj -r $(RID) $(PUBLISH_FLAGS) -o $(ART)/publish/server
	$(DOTNET) publish client/LanTalk.Client.csproj -r $(RID) $(PUBLISH_FLAGS) -o $(ART)/publish/client
	$(DOTNET) publish harness/LanTalk.Harness.csproj -r $(RID) $(PUBLISH_FLAGS) -o $(ART)/publish/harness
	cp $(ART)/publish/server/lantalk-server $(ART)/publish/client/lantalk $(ART)/publish/harness/lantalk-harness $(DIST)/$(RID)/
	@ls -l $(DIST)/$(RID)

# Native AOT cannot cross-compile to Windows from Linux: these are self-contained, single-file, trimmed builds.
publish-win: ## self-contained single-file executables into dist/win-x64
	@mkdir -p $(DIST)/win-x64
	$(DOTNET) publish server/LanTalk.Server.csproj -r win-x64 $(PUBLISH_FLAGS) -p:PublishAot=false -p:PublishSingleFile=true -p:SelfContained=true -p:PublishTrimmed=true -o $(ART)/publish/win-server
	$(DOTNET) publish client/LanTalk.Client.csproj -r win-x64 $(PUBLISH_FLAGS) -p:PublishAot=false -p:PublishSingleFile=true -p:SelfContained=true -p:PublishTrimmed=true -o $(ART)/publish/win-client
	cp $(ART)/publish/win-server/lantalk-server.exe $(ART)/publish/win-client/lantalk.exe $(DIST)/win-x64/
	@ls -l $(DIST)/win-x64

# Read-only and full disks, kill -9 during the first start, no libssl, read-only logs: PASS/FAIL/SKIP lines.
# The mount steps need root and print SKIP without it; everything mounted is unmounted on exit. About 2 minutes.
# The quick stages of make faults (data files that are not files or are links; the piped client and SIGTERM).
fault-files: publish-linux ## data files that are FIFOs, directories or links, the piped client's SIGTERM, stdout and stderr in one file, a low open-file limit, against the published binaries (seconds)
	@mkdir -p $(ART)
	bash scripts/faults.sh $(DIST)/$(RID) file_kinds client_signal shared_output low_fd_limit 2>&1 | tee $(ART)/fault-files.log

faults: publish-linux ## fault injection against the published server: read-only/full disk, kill -9, no libssl (root), data files in the wrong state, and fault-files' stages; about 30 s (part of make test)
	@mkdir -p $(ART)
	bash scripts/faults.sh $(DIST)/$(RID) 2>&1 | tee $(ART)/faults.log

# Windows smoke: the win-x64 server under wine with Linux clients, and the win-x64 client against the Linux server.
smoke-win: publish-linux publish-win ## the win-x64 server and client under Wine, chatting with the Linux ones (part of make test)
	@mkdir -p $(ART)
	bash scripts/smoke-wine.sh $(DIST)/win-x64 $(DIST)/$(RID) 2>&1 | tee $(ART)/smoke-win.log

# Fault test: the published server out of file descriptors must back off, log a count, and recover.
fault-fd: publish-linux ## the published server at its open-files limit backs off, logs a count and recovers
	@mkdir -p $(ART)
	bash scripts/fault-fd.sh $(DIST)/$(RID) 2>&1 | tee $(ART)/fault-fd.log

# Not part of make test: SOAK_SECONDS of design-32 plus one `user add` a second, printing the server's RSS curve.
SOAK_SECONDS ?= 1800
soak: publish-linux ## SOAK_SECONDS (1800) of design-32 plus a user add a second; prints the RSS curve
	@mkdir -p $(ART)
	bash scripts/soak.sh $(DIST)/$(RID) $(SOAK_SECONDS) 2>&1 | tee $(ART)/soak.log

smoke: ## copies each published binary alone into a temp dir and chats through it
	bash scripts/smoke.sh $(DIST)/$(RID) 2>&1 | tee $(ART)/smoke.log

conformance: publish-linux ## published server + the full conformance suite
	$(DIST)/$(RID)/lantalk-harness conformance --spawn $(DIST)/$(RID)/lantalk-server 2>&1 | tee $(ART)/conformance.log

# Discovery on real network stacks: two network namespaces, avahi as an independent peer, lantalk doctor's
# diagnoses (issue 16). Needs root; prints SKIP with the reason otherwise. About a minute.
discovery-test: publish-linux ## mDNS discovery, avahi and lantalk doctor in network namespaces (root; SKIP otherwise)
	@mkdir -p $(ART)
	bash scripts/discovery-test.sh $(DIST)/$(RID) 2>&1 | tee $(ART)/discovery.log

# Issue 13's done-means: two users, each with two lantalk windows in tmux, chatting in two rooms (PASS/FAIL lines).
rooms-tmux: publish-linux ## two users x two lantalk windows in tmux chatting in two rooms, checked with capture-pane
	@mkdir -p $(ART)
	ROOMS_TMUX_SCREENS=$(ART)/rooms-tmux-screens bash scripts/rooms-tmux.sh $(DIST)/$(RID) 2>&1 | tee $(ART)/rooms-tmux.log

# Issue 14's done-means: alice's lantalk frozen (a sleeping laptop) until the server drops her, then a server restart;
# each time she reconnects by herself and sees bob's missed lines once, in order, under "— missed while away —".
history-tmux: publish-linux ## a sleeping laptop and a server restart in tmux: lantalk reconnects and shows what was missed (~30 s)
	@mkdir -p $(ART)
	HISTORY_TMUX_SCREENS=$(ART)/history-tmux-screens bash scripts/history-tmux.sh $(DIST)/$(RID) 2>&1 | tee $(ART)/history-tmux.log

# The second run has io_uring switched off (LANTALK_IO_URING=0): the one-send-per-copy path a kernel without it takes.
load-smoke: ## a 5 s design-32 load run against the published server, then one with io_uring off
	$(DIST)/$(RID)/lantalk-harness load --spawn $(DIST)/$(RID)/lantalk-server --scenario design-32 --duration 5 --json $(ART)/design-32.json 2>&1 | tee $(ART)/load-smoke.log
	LANTALK_IO_URING=0 $(DIST)/$(RID)/lantalk-harness load --spawn $(DIST)/$(RID)/lantalk-server --scenario design-32 --duration 5 --json $(ART)/design-32-no-io-uring.json 2>&1 | tee -a $(ART)/load-smoke.log

# The v3 scenarios, shortened: a load run fails only on correctness (loss, duplicates, order, cross-room
# deliveries, a wrong replay), never on a latency target, so a slower CI machine does not make it flaky.
V3_SCENARIOS ?= rooms sessions history-join offline-flush
load-v3: publish-linux ## the v3 load scenarios, 5 s each (rooms, sessions, history-join, offline-flush): loss 0, nothing twice, in order
	@mkdir -p $(ART); : > $(ART)/load-v3.log; rc=0; \
	for s in $(V3_SCENARIOS); do \
	  if $(DIST)/$(RID)/lantalk-harness load --spawn $(DIST)/$(RID)/lantalk-server --scenario $$s --duration 5 --no-progress --json $(ART)/v3-$$s.json > $(ART)/load-v3-$$s.out 2>&1; \
	  then echo "PASS load-v3: $$s"; else echo "FAIL load-v3: $$s (see $(ART)/load-v3-$$s.out)"; sed 's/^/  /' $(ART)/load-v3-$$s.out | tail -20; rc=1; fi | tee -a $(ART)/load-v3.log; \
	  grep -q "^FAIL load-v3: $$s" $(ART)/load-v3.log && rc=1; \
	done; exit $$rc

# Issue 14's promise, short enough for CI (well under a minute): 32 senders x DURABILITY_MESSAGES in a burst, SIGKILL
# of the published server at 40 % acknowledged, a restart on the same data directory, and every acknowledged
# message read back through v3 History: loss 0, duplicates 0. The full run is `--scenario durability` (2,000 each).
DURABILITY_MESSAGES ?= 500
durability: publish-linux ## kill -9 mid-burst and restart: every acknowledged message in history exactly once (< 1 min)
	@mkdir -p $(ART)
	$(DIST)/$(RID)/lantalk-harness load --spawn $(DIST)/$(RID)/lantalk-server --scenario durability --messages $(DURABILITY_MESSAGES) --no-progress --json $(ART)/durability.json 2>&1 | tee $(ART)/durability.log

# BENCH_RUNS runs of design-32, burst-32, crowd and slow-consumer, then the medians (docs/PERFORMANCE.md records them).
BENCH_RUNS ?= 3
bench: publish-linux ## design-32, burst-32, crowd and slow-consumer, BENCH_RUNS times, with medians
	@mkdir -p $(ART)
	for i in $$(seq 1 $(BENCH_RUNS)); do \
	  ($(DIST)/$(RID)/lantalk-harness bench --spawn $(DIST)/$(RID)/lantalk-server --no-progress --json $(ART)/bench-$$i.json 2>&1 | tee $(ART)/bench-$$i.log) || echo "(run $$i missed a target; see its log)"; \
	done
	python3 scripts/bench-median.py $(ART)/bench-*.json | tee $(ART)/bench-median.txt

# Every BENCHMARKS.md scenario, BENCH_RUNS times each, then the medians (capacity takes minutes).
# A missed target is reported in the table and does not stop the other runs.
SCENARIOS ?= design-32 burst-32 crowd slow-consumer private churn server-full sessions rooms capacity
bench-all: publish-linux ## every BENCHMARKS.md scenario, BENCH_RUNS times, with medians (minutes)
	@mkdir -p $(ART)/bench-all
	for i in $$(seq 1 $(BENCH_RUNS)); do for s in $(SCENARIOS); do \
	  ($(DIST)/$(RID)/lantalk-harness load --spawn $(DIST)/$(RID)/lantalk-server --scenario $$s --no-progress --json $(ART)/bench-all/$$s-$$i.json 2>&1 | tee $(ART)/bench-all/$$s-$$i.log | tail -3) || echo "($$s run $$i missed a target; see its log)"; \
	done; done
	python3 scripts/bench-median.py $(ART)/bench-all/*.json | tee $(ART)/bench-all/median.txt

# InspIRCd (Debian's, installed with apt-get when run as root) and lantalk-server driven with the same shapes
# (design-32, burst-32, crowd), BENCH_RUNS times each; one table of medians: CPU and context switches per
# delivery, p50/p99. Not part of make test.
bench-peer: publish-linux ## InspIRCd and lantalk-server side by side (design-32, burst-32, crowd); installs inspircd as root
	@mkdir -p $(ART)
	bash scripts/bench-peer.sh $(DIST)/$(RID) $(ART)/bench-peer $(BENCH_RUNS) 2>&1 | tee $(ART)/bench-peer.log

# The floor under CPU per delivery on this machine: a C loop making one send per delivery (scripts/bench-peer/send-floor.c).
send-floor: ## CPU per send of a bare C fan-out loop over loopback: the floor under CPU per delivery
	@mkdir -p $(ART)
	$${CC:-cc} -O2 -Wall -o $(ART)/send-floor scripts/bench-peer/send-floor.c
	$(ART)/send-floor 5

# The floor under the history store's CPU per message: SQLite alone, from C, on a history.db the server made
# (scripts/bench-peer/store-floor.c); linked against the same libsqlite3.a as the server.
store-floor: publish-linux ## CPU per row and per commit of SQLite alone on the server's schema: the floor under the store's cost
	rm -rf $(ART)/store-floor && mkdir -p $(ART)/store-floor/template
	$(DIST)/$(RID)/lantalk-server history bench --data $(ART)/store-floor/template --count 1 > /dev/null
	$${CC:-cc} -O2 -Wall -o $(ART)/store-floor/store-floor scripts/bench-peer/store-floor.c -l:libsqlite3.a -lm -lpthread -ldl
	$(ART)/store-floor/store-floor $(ART)/store-floor/template/history.db $(ART)/store-floor

# perf of the published server (symbols kept) during one scenario: make profile SCENARIO=crowd MODE=irc.
profile: publish-linux ## perf profile of the server during SCENARIO (design-32) over MODE (load or irc), our frames named
	bash scripts/profile-server.sh $${SCENARIO:-design-32} $${MODE:-load} $(ART)/profile

# irctest (the IRC conformance suite; pinned copy outside the repo) against the published server's IRC gateway.
# Our controller (scripts/irctest/lantalk_controller.py) starts dist/linux-x64/lantalk-server per test. About 2 min.
IRCTEST_DIR ?= ../shared/vendor/irctest
IRCTEST_MODULES ?= connection_registration pingpong cap sasl isupport away away_notify lusers messages join part topic names list who echo_message message_tags monitor chathistory labeled_responses
irctest: publish-linux ## irctest's selection (IRCTEST_MODULES) against the IRC gateway; score in artifacts/irctest.log
	@mkdir -p $(ART)
	bash scripts/irctest.sh $(abspath $(DIST)/$(RID)/lantalk-server) $(IRCTEST_DIR) "$(IRCTEST_MODULES)" 2>&1 | tee $(ART)/irctest.log

# irssi (a real IRC client) in tmux logs in with SASL, joins #lobby and chats with a lantalk client both ways.
irc-irssi: publish-linux ## irssi and lantalk chat through the IRC gateway in tmux (public, private, /me); PASS/FAIL in artifacts/irc-irssi.log
	@mkdir -p $(ART)
	bash scripts/irc-irssi.sh $(DIST)/$(RID) 2>&1 | tee $(ART)/irc-irssi.log

# weechat (headless, driven through its FIFO, checked through its log files) chats with a lantalk client.
irc-weechat: publish-linux ## weechat and lantalk chat through the IRC gateway (public, private, /me, replay on JOIN, topic, away); PASS/FAIL in artifacts/irc-weechat.log
	@mkdir -p $(ART)
	bash scripts/irc-weechat.sh $(DIST)/$(RID) 2>&1 | tee $(ART)/irc-weechat.log

# Seeded mutation fuzzing; saved crashes in tests/LanTalk.Fuzz/crashes are replayed first as regressions.
fuzz: ## a longer fuzzing run (FUZZ_SECONDS, default 600)
	$(DOTNET) run --project tests/LanTalk.Fuzz -c Release -- --seconds $${FUZZ_SECONDS:-600} --crashes tests/LanTalk.Fuzz/crashes

fuzz-smoke: ## a 20 s fuzzing run (part of make test)
	@mkdir -p $(ART)
	$(DOTNET) run --project tests/LanTalk.Fuzz -c Release -- --seconds 20 --crashes tests/LanTalk.Fuzz/crashes 2>&1 | tee $(ART)/fuzz.log

clean: ## remove dist/, artifacts/ and build outputs
	rm -rf $(DIST) $(ART)
	$(DOTNET) clean LanTalk.sln --nologo
