#!/usr/bin/env bash
# The event path, bee vs C, in one run: a generator calls getppid() N times; an eBPF program on
# tracepoint/syscalls/sys_enter_getppid writes one 48-byte event per call into a ring buffer; the
# events are read and printed as JSON Lines by
#   1. a small C consumer on libbpf's ring_buffer__poll (bench/ringbuf/consumer.c), and
#   2. bee run -o json,
# each on its own run of the generator; then bee run twice more on the same events:
#   3. -o json with Prometheus metrics on (the object built with -DMETRICS: the ring buffer is a
#      counter_ map, so every event also updates a labelled counter), and
#   4. the live screen in a real terminal (tmux), stdout a 160x45 terminal instead of a file.
# Prints events, lost events, events per second and CPU time per event side by side. Needs root,
# clang, libbpf-dev, a C compiler, tmux and bee built (mvn package).
#   N=5000000 ./scripts/bench-ringbuf.sh
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-2000000}
JAR=bee-cli/target/bee.jar
[ -f "$JAR" ] || { echo "build bee first: mvn -B package -DskipTests" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }
work=$(mktemp -d); trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

java -jar "$JAR" build bench/ringbuf/getppid_events.c -o "$work/getppid_events.o" 2>/dev/null
java -jar "$JAR" build bench/ringbuf/getppid_events.c -o "$work/getppid_metrics.o" --cflags -DMETRICS 2>/dev/null
cc -O2 -o "$work/generator" bench/ringbuf/generator.c
cc -O2 -o "$work/consumer" bench/ringbuf/consumer.c -lbpf

# run ID LABEL READY_TEXT MAP COMMAND... (@PID@ in the command: the generator, waiting for SIGUSR1)
run() {
  local name=$1 label=$2 ready=$3 map=$4; shift 4
  "$work/generator" "$N" 2>"$work/$name.gen" &
  local gen=$!
  sleep 1
  local cmd=("${@//@PID@/$gen}")
  # `times` in the wrapper shell reports the consumer's user and system CPU time once it exits.
  bash -c '"$@" > '"$work/$name.out"' 2> '"$work/$name.err"'; times > '"$work/$name.times" _ "${cmd[@]}" &
  local cons=$!
  for _ in $(seq 600); do grep -q "$ready" "$work/$name.err" 2>/dev/null && break; sleep 0.05; done
  grep -q "$ready" "$work/$name.err" || { echo "$name did not start:" >&2; cat "$work/$name.err" >&2; exit 1; }
  # A syscall tracepoint takes effect a little after attach returns (the kernel patches the call
  # sites): events in the first moments are missed by any consumer, so both wait a second.
  sleep 1
  local t0
  t0=$(date +%s%N)
  kill -USR1 "$gen"
  wait "$gen"
  wait "$cons"
  local events cpu last
  events=$(grep -c "\"map\":\"$map\"" "$work/$name.out" || true)
  # The rate runs from the go signal to the last event the consumer printed (its "time" field), so
  # neither start-up nor waiting for stragglers counts.
  last=$(grep "\"map\":\"$map\"" "$work/$name.out" | tail -1 | sed 's/^{"time":"\([^"]*\)".*/\1/')
  last=$(date -d "$last" +%s%N)
  cpu=$(tail -1 "$work/$name.times" | awk '{ split($1,u,"m"); split($2,s,"m"); print u[1]*60 + u[2] + s[1]*60 + s[2] }' | tr -d s)
  awk -v n="$label" -v e="$events" -v N="$N" -v t0="$t0" -v t1="$last" -v cpu="$cpu" 'BEGIN {
    wall = (t1 - t0) / 1e9; if (wall <= 0) wall = 0.001;
    printf "%-22s %10d %8d %9.2f %12.0f %9.2f %14.2f\n", n, e, N - e, wall, e / wall, cpu, (e > 0 ? cpu * 1e6 / e : 0) }'
  sed "s/^/    /" "$work/$name.gen" "$work/$name.err" >&2
}

echo "N=$N getppid() calls, one 48-byte event each, printed as JSON Lines to a file"
printf "%-22s %10s %8s %9s %12s %9s %14s\n" consumer events lost time_s events/s cpu_s cpu_us/event
run c "libbpf C consumer" attached print_events "$work/consumer" "$work/getppid_events.o" @PID@ "$N"
run bee "bee run -o json" "bee: running" print_events java -jar "$JAR" run "$work/getppid_events.o" -o json \
  --set target_pid=@PID@ --max-events "$N" --duration "$(( N / 50000 + 60 ))s" --prom-port 0
port=$(( 20000 + RANDOM % 20000 ))
run metrics "bee -o json + metrics" "bee: running" counter_events java -jar "$JAR" run "$work/getppid_metrics.o" \
  -o json --set target_pid=@PID@ --max-events "$N" --duration "$(( N / 50000 + 60 ))s" \
  --prom-address 127.0.0.1 --prom-port "$port"

# The screen: bee in a tmux terminal, stderr (progress and summary) to a file. The screen shows no
# event times, so the rate runs from the go signal to bee's exit; events come from the summary.
gen_screen() {
  "$work/generator" "$N" 2>"$work/screen.gen" &
  local gen=$!
  sleep 1
  tmux -L beebench kill-server 2>/dev/null || true
  tmux -L beebench new-session -d -x 160 -y 45 "bash -c 'java -jar $JAR run $work/getppid_events.o \
    --set target_pid=$gen --max-events $N --duration $(( N / 50000 + 60 ))s --prom-port 0 \
    2> $work/screen.err; times > $work/screen.times'"
  for _ in $(seq 600); do grep -q "bee: running" "$work/screen.err" 2>/dev/null && break; sleep 0.05; done
  grep -q "bee: running" "$work/screen.err" || { echo "screen did not start:" >&2; cat "$work/screen.err" >&2; exit 1; }
  sleep 1
  local t0 t1 events cpu
  t0=$(date +%s%N)
  kill -USR1 "$gen"
  wait "$gen"
  for _ in $(seq 1200); do [ -s "$work/screen.times" ] && break; sleep 0.05; done
  t1=$(date +%s%N)
  tmux -L beebench kill-server 2>/dev/null || true
  events=$(awk '$1 == "print_events" { print $4 }' "$work/screen.err")
  cpu=$(tail -1 "$work/screen.times" | awk '{ split($1,u,"m"); split($2,s,"m"); print u[1]*60 + u[2] + s[1]*60 + s[2] }' | tr -d s)
  awk -v n="bee run (screen)" -v e="${events:-0}" -v N="$N" -v t0="$t0" -v t1="$t1" -v cpu="$cpu" 'BEGIN {
    wall = (t1 - t0) / 1e9; if (wall <= 0) wall = 0.001;
    printf "%-22s %10d %8d %9.2f %12.0f %9.2f %14.2f\n", n, e, N - e, wall, e / wall, cpu, (e > 0 ? cpu * 1e6 / e : 0) }'
  sed "s/^/    /" "$work/screen.gen" "$work/screen.err" >&2
}
if command -v tmux >/dev/null; then gen_screen; else echo "(no tmux: screen run skipped)" >&2; fi
