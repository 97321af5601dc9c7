#!/usr/bin/env bash
# The event path, bee vs C, in one run: a generator calls getppid() N times; an eBPF program on
# tracepoint/syscalls/sys_enter_getppid writes one 48-byte event per call into a ring buffer
# (bee_ringbuf_reserve, so drops are counted exactly); the events are read and printed as JSON Lines by
#   1. a small C consumer on libbpf's ring_buffer__poll (bench/ringbuf/consumer.c), and
#   2. bee run -o json (through the launcher, bee-cli/target/bee, with the JVM flags it gives `run`),
# each on its own run of the generator. Three cases:
#   steady  N events into a 512 MiB ring (the whole burst fits: CPU per event is the consumer's cost),
#           then bee twice more: -o json with Prometheus metrics on (the object built with -DMETRICS: the
#           ring buffer is a counter_ map, so every event also updates a labelled counter), and the live
#           screen in a real terminal (tmux, 160x45) instead of a file;
#   burst   N_BURST events as fast as the generator goes into a 16 MiB ring: what each consumer drops;
#   long    N_LONG events into a 16 MiB ring: peak RSS of a long stream (the ring's 32 MiB of mapped
#           pages, mapped twice for wrap-around, count for both consumers);
#   plain   the burst with a program written without bee's helper (plain bpf_ringbuf_reserve, -DPLAIN):
#           no consumer can count its drops, so what matters is what arrives;
#   mixed   N_MIXED calls into a program with a ring buffer and a perf buffer (-DPERF): two events per
#           call, read through one wait by both consumers.
# Every case runs ROUNDS times, C and bee alternating; the end prints each row's median and worst run
# (fewest events, most dropped, most CPU per event, most RSS).
# Prints events, events the kernel dropped (counted by the program), events per second, CPU time (the
# whole run's, and per event from the go signal on) and peak RSS (VmHWM, from GNU time) side by side. Needs root, clang,
# libbpf-dev, a C compiler, GNU time, tmux and bee built (mvn package).
#   N=2000000 N_BURST=1000000 N_LONG=10000000 ROUNDS=10 ./scripts/bench-ringbuf.sh
#   CASES="steady burst" N=100000 ROUNDS=1 ./scripts/bench-ringbuf.sh
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-2000000}
N_BURST=${N_BURST:-1000000}
N_LONG=${N_LONG:-10000000}
N_MIXED=${N_MIXED:-1000000}
ROUNDS=${ROUNDS:-5}
CASES=${CASES:-steady burst long plain mixed}
JAR=bee-cli/target/bee.jar
BEE=$PWD/bee-cli/target/bee
[ -f "$JAR" ] && [ -x "$BEE" ] || { echo "build bee first: mvn -B package -DskipTests" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "needs GNU time (apt-get install time)" >&2; exit 1; }
work=$(mktemp -d); trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

java -jar "$JAR" build bench/ringbuf/getppid_events.c -o "$work/getppid_events.o" 2>/dev/null
java -jar "$JAR" build bench/ringbuf/getppid_events.c -o "$work/getppid_metrics.o" --cflags -DMETRICS 2>/dev/null
java -jar "$JAR" build bench/ringbuf/getppid_events.c -o "$work/getppid_16m.o" --cflags -DRING_SIZE=16777216 2>/dev/null
java -jar "$JAR" build bench/ringbuf/getppid_events.c -o "$work/getppid_plain.o" \
  --cflags "-DRING_SIZE=16777216 -DPLAIN" 2>/dev/null
java -jar "$JAR" build bench/ringbuf/getppid_events.c -o "$work/getppid_mixed.o" \
  --cflags "-DRING_SIZE=16777216 -DPERF" 2>/dev/null
cc -O2 -o "$work/generator" bench/ringbuf/generator.c
cc -O2 -o "$work/consumer" bench/ringbuf/consumer.c -lbpf
# The launcher's first start after a build may train a class data sharing archive (one for `run`, one for
# the rest): not in a measurement.
"$BEE" version >/dev/null 2>&1 || true
"$BEE" run --help >/dev/null 2>&1 || true   # `run` has an archive of its own

# run ID LABEL READY_TEXT MAP N COMMAND... (@PID@ in the command: the generator, waiting for SIGUSR1)
run() {
  local name=$1 label=$2 ready=$3 map=$4 n=$5; shift 5
  "$work/generator" "$n" 2>"$work/$name.gen" &
  local gen=$!
  sleep 1
  local cmd=("${@//@PID@/$gen}")
  # GNU time reports the consumer's user and system CPU time and its peak RSS once it exits.
  /usr/bin/time -f "%U %S %M" -o "$work/$name.time" "${cmd[@]}" > "$work/$name.out" 2> "$work/$name.err" &
  local cons=$!
  for _ in $(seq 600); do grep -q "$ready" "$work/$name.err" 2>/dev/null && break; sleep 0.05; done
  if ! grep -q "$ready" "$work/$name.err"; then
    echo "$name did not start (left out of this round):" >&2; cat "$work/$name.err" >&2
    kill "$cons" "$gen" 2>/dev/null || true; wait "$cons" "$gen" 2>/dev/null || true
    return 0
  fi
  # A syscall tracepoint takes effect a little after attach returns (the kernel patches the call
  # sites): events in the first moments are missed by any consumer, so both wait a second.
  sleep 1
  local t0 before
  before=$(cpu_so_far "$(pgrep -P "$cons" | head -1)")
  t0=$(date +%s%N)
  kill -USR1 "$gen"
  wait "$gen"
  # A consumer that lost events waits for ones that never come: 10 s after the generator, it is stopped.
  for _ in $(seq 200); do kill -0 "$cons" 2>/dev/null || break; sleep 0.05; done
  pkill -INT -P "$cons" 2>/dev/null || true
  wait "$cons" || true
  local events last dropped
  events=$(grep -cE "\"map\":\"$map\"" "$work/$name.out" || true)
  # The rate runs from the go signal to the last event the consumer printed (its "time" field), so
  # neither start-up nor waiting for stragglers counts.
  last=$(grep -E "\"map\":\"$map\"" "$work/$name.out" | tail -1 | sed 's/^{"time":"\([^"]*\)".*/\1/')
  last=$([ -n "$last" ] && date -d "$last" +%s%N || echo "$t0")
  # Drops as the program counted them: the C consumer prints them, bee's summary shows them as LOST.
  dropped=$(sed -n 's/.* \([0-9]*\) dropped in the kernel.*/\1/p' "$work/$name.err")
  # bee's LOST column (the 7th field: its first number, or unknown), added up over the maps read.
  [ -n "$dropped" ] || dropped=$(awk -v m="^($map)\$" '$1 ~ m { if ($7 !~ /^[0-9]+$/) u = 1; s += $7 }
    END { print u ? "?" : s }' "$work/$name.err")
  case $dropped in *[!0-9]*|"") dropped="?" ;; esac
  report "$label" "$events" "${dropped:-?}" "$t0" "$last" "$work/$name.time" "$before"
  sed "s/^/    /" "$work/$name.gen" "$work/$name.err" >&2
}

# cpu_so_far PID: user + system CPU seconds the process has used so far (0 if it is gone).
cpu_so_far() {
  awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$1/stat" 2>/dev/null || echo 0
}

# report LABEL EVENTS DROPPED T0_NS T1_NS TIME_FILE CPU_BEFORE_GO: one row of the table. cpu_s is the
# whole run's CPU time (start-up, ring set-up, reading, exit); us/event is the steady state: the CPU
# time from the go signal to the end, per event, so that neither the JVM's start-up nor the kernel's
# allocation of the ring (charged to the process that creates the map) counts.
report() {
  local row
  row=$(tail -1 "$6" | awk -v n="$1" -v e="$2" -v d="$3" -v t0="$4" -v t1="$5" -v pre="$7" '{
    cpu = $1 + $2; wall = (t1 - t0) / 1e9; if (wall <= 0) wall = 0.001;
    printf "%-22s %10d %9s %9.2f %12.0f %9.2f %10.2f %9.1f\n", n, e, d, wall, e / wall, cpu,
      (e > 0 ? (cpu - pre) * 1e6 / e : 0), $3 / 1024 }')
  echo "$row"
  printf '%s\t%s\n' "$case_name" "$row" >> "$work/cases"
}

# The median and the worst run of every row, from all rounds.
summarize() {
  echo
  echo "medians and worst runs over $ROUNDS rounds (worst: fewest events, most dropped, most us/event, most RSS)"
  printf "%-8s %-22s %10s %10s %9s %9s %10s %10s %9s %9s\n" case consumer events worst dropped worst \
    us/event worst rss_MiB worst
  awk -F'\t' '{ print $1 "\t" substr($2, 1, 22) "\t" substr($2, 23) }' "$work/cases" | \
  awk -F'\t' '
    { key = $1 "\t" $2; if (!(key in seen)) { seen[key] = 1; order[++k] = key }
      split($3, f, " "); n[key]++; ev[key, n[key]] = f[1]; dr[key, n[key]] = f[2]; us[key, n[key]] = f[6];
      rss[key, n[key]] = f[7] }
    function med(a, key, c,   i, j, t, v) { for (i = 1; i <= c; i++) v[i] = a[key, i] + 0;
      for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
      return c % 2 ? v[(c + 1) / 2] : (v[c / 2] + v[c / 2 + 1]) / 2 }
    function ext(a, key, c, most,   i, r) { r = a[key, 1] + 0;
      for (i = 2; i <= c; i++) if (most ? a[key, i] + 0 > r : a[key, i] + 0 < r) r = a[key, i] + 0; return r }
    END { for (i = 1; i <= k; i++) { key = order[i]; c = n[key]; split(key, kk, "\t");
      d = (dr[key, 1] == "?") ? "?" : med(dr, key, c); dw = (dr[key, 1] == "?") ? "?" : ext(dr, key, c, 1);
      printf "%-8s %-22s %10d %10d %9s %9s %10.2f %10.2f %9.1f %9.1f\n", kk[1], kk[2], med(ev, key, c),
        ext(ev, key, c, 0), d, dw, med(us, key, c), ext(us, key, c, 1), med(rss, key, c), ext(rss, key, c, 1) } }'
}

header() {
  echo
  echo "$1"
  printf "%-22s %10s %9s %9s %12s %9s %10s %9s\n" consumer events dropped time_s events/s cpu_s us/event rss_MiB
}

c_run() { # ID LABEL OBJECT N
  run "$1" "$2" attached print_events "$4" "$work/consumer" "$3" @PID@ "$4"
}
bee_run() { # ID LABEL OBJECT N [MAPS [EVENTS]]
  run "$1" "$2" "bee: running" "${5:-print_events}" "$4" "$BEE" run "$3" -o json \
    --set target_pid=@PID@ --max-events "${6:-$4}" --duration "$(( $4 / 50000 + 60 ))s" --prom-port 0
}

steady() {
  header "steady: N=$N getppid() calls, one 48-byte event each, 512 MiB ring, JSON Lines to a file"
  c_run c "libbpf C consumer" "$work/getppid_events.o" "$N"
  bee_run bee "bee run -o json" "$work/getppid_events.o" "$N"
  port=$(( 20000 + RANDOM % 20000 ))
  run metrics "bee -o json + metrics" "bee: running" counter_events "$N" "$BEE" run "$work/getppid_metrics.o" \
    -o json --set target_pid=@PID@ --max-events "$N" --duration "$(( N / 50000 + 60 ))s" \
    --prom-address 127.0.0.1 --prom-port "$port"
  if command -v tmux >/dev/null; then gen_screen; else echo "(no tmux: screen run skipped)" >&2; fi
}

burst() {
  header "burst: N_BURST=$N_BURST getppid() calls as fast as they go into a 16 MiB ring"
  c_run cburst "libbpf C consumer" "$work/getppid_16m.o" "$N_BURST"
  bee_run beeburst "bee run -o json" "$work/getppid_16m.o" "$N_BURST"
}

long() {
  header "long: N_LONG=$N_LONG getppid() calls into a 16 MiB ring, peak RSS"
  c_run clong "libbpf C consumer" "$work/getppid_16m.o" "$N_LONG"
  bee_run beelong "bee run -o json" "$work/getppid_16m.o" "$N_LONG"
}

plain() {
  header "plain: N_BURST=$N_BURST calls into a 16 MiB ring, a program without bee's helper (drops unknown)"
  c_run cplain "libbpf C consumer" "$work/getppid_plain.o" "$N_BURST"
  bee_run beeplain "bee run -o json" "$work/getppid_plain.o" "$N_BURST"
}

mixed() {
  header "mixed: N_MIXED=$N_MIXED calls, each an event in a 16 MiB ring and one in a perf buffer"
  run cmixed "libbpf C consumer" attached "print_(events|perf)" "$N_MIXED" "$work/consumer" \
    "$work/getppid_mixed.o" @PID@ "$(( 2 * N_MIXED ))"
  bee_run beemixed "bee run -o json" "$work/getppid_mixed.o" "$N_MIXED" "print_(events|perf)" "$(( 2 * N_MIXED ))"
}

# The screen: bee in a tmux terminal, stderr (progress and summary) to a file. The screen shows no
# event times, so the rate runs from the go signal to bee's exit; events come from the summary.
gen_screen() {
  "$work/generator" "$N" 2>"$work/screen.gen" &
  local gen=$!
  sleep 1
  tmux -L beebench kill-server 2>/dev/null || true
  tmux -L beebench new-session -d -x 160 -y 45 "bash -c '/usr/bin/time -f \"%U %S %M\" -o $work/screen.time \
    $BEE run $work/getppid_events.o --set target_pid=$gen --max-events $N --duration $(( N / 50000 + 60 ))s \
    --prom-port 0 2> $work/screen.err'"
  for _ in $(seq 600); do grep -q "bee: running" "$work/screen.err" 2>/dev/null && break; sleep 0.05; done
  grep -q "bee: running" "$work/screen.err" || { echo "screen did not start:" >&2; cat "$work/screen.err" >&2; exit 1; }
  sleep 1
  local t0 t1 before
  before=$(cpu_so_far "$(pgrep -n -f "bee.jar run .*target_pid=$gen")")
  t0=$(date +%s%N)
  kill -USR1 "$gen"
  wait "$gen"
  for _ in $(seq 1200); do [ -s "$work/screen.time" ] && break; sleep 0.05; done
  t1=$(date +%s%N)
  tmux -L beebench kill-server 2>/dev/null || true
  local events dropped
  events=$(awk '$1 == "print_events" { print $4 }' "$work/screen.err")
  dropped=$(awk '$1 == "print_events" { print $(NF-1) }' "$work/screen.err")
  report "bee run (screen)" "${events:-0}" "${dropped:-?}" "$t0" "$t1" "$work/screen.time" "$before"
  sed "s/^/    /" "$work/screen.gen" "$work/screen.err" >&2
}

for round in $(seq "$ROUNDS"); do
  echo; echo "=== round $round of $ROUNDS"
  for c in $CASES; do
    case_name=$c
    case $c in steady|burst|long|plain|mixed) "$c" ;;
      *) echo "unknown case $c (steady, burst, long, plain, mixed)" >&2; exit 2 ;; esac
  done
done
summarize
