#!/usr/bin/env bash
# Start-up of every common bee command against the tool a user would otherwise reach for, in one run:
# rounds alternate bee and its yardstick; medians and ratios are printed. bee runs through its
# launcher (bee-cli/target/bee) as users run it, with a fresh cache so the first round also shows
# the cost of making the class data sharing archive (excluded from the medians: ROUNDS+1 runs).
#   yardsticks: a JVM printing "hi" (same JDK as the launcher picks), a C libbpf loader doing what
#   `bee run X.o --duration 0` does, clang + llvm-strip with bee's flags, and skopeo copy for push/pull.
# Needs root, clang, llvm, libbpf-dev, a C compiler, skopeo, docker-registry; bee built (mvn package).
#   ROUNDS=11 ./scripts/bench-startup.sh
#   CASES="list tag rmi push pull" ./scripts/bench-startup.sh   (a subset, in this order)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-9}
bee=$PWD/bee-cli/target/bee
[ -x "$bee" ] || { echo "build bee first: mvn -B package -DskipTests" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }
work=$(mktemp -d)
cleanup() { [ -n "${reg:-}" ] && kill "$reg" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
export BEE_HOME=$work/home BEE_STORAGE=$work/store

# The JDK the launcher picks, for the JVM floor.
java=$(BEE_CDS=off BEE_JAVA_OPTS=-XshowSettings:properties "$bee" --help 2>&1 | sed -n 's/^ *java.home = //p' | head -1)/bin/java
javac=$(dirname "$java")/javac
[ -x "$javac" ] || javac=javac
"$javac" -d "$work" bench/startup/Hello.java
cc -O2 -o "$work/loader" bench/startup/loader.c -lbpf

"$bee" build bpf-examples/opensnoop/opensnoop.c -o "$work/opensnoop.o" >/dev/null 2>&1   # also caches vmlinux.h
"$bee" build bpf-examples/execsnoop/execsnoop.c -o "$work/execsnoop.o" >/dev/null 2>&1
inc=$BEE_HOME/cache
vmlinux_dir=$(dirname "$(find "$inc" -name vmlinux.h | head -1)")
headers_dir=$(dirname "$(find "$inc" -name bee_types.h | head -1)")
arch=$(uname -m | sed 's/x86_64/x86/; s/aarch64/arm64/')

# A registry for push and pull.
port=$(( 20000 + RANDOM % 20000 ))
mkdir -p "$work/registry"
printf 'version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n' "$work/registry" "$port" > "$work/registry.yml"
docker-registry serve "$work/registry.yml" >/dev/null 2>&1 &
reg=$!
for _ in $(seq 100); do curl -s "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.1; done
"$bee" build bpf-examples/opensnoop/opensnoop.c "127.0.0.1:$port/bench/opensnoop:v1" -o "$work/o2.o" >/dev/null 2>&1
skopeo copy --dest-tls-verify=false "oci:$BEE_STORAGE:127.0.0.1:$port/bench/opensnoop:v1" \
  "docker://127.0.0.1:$port/bench/skopeo:v1" >/dev/null 2>&1 || true

ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
declare -A times
add() { times[$1]="${times[$1]:-} $2"; }

all=(help version describe list tag rmi run build push pull)
# shellcheck disable=SC2206
pairs=(${CASES:-${all[*]}})
for p in "${pairs[@]}"; do
  case " ${all[*]} " in *" $p "*) ;; *) echo "unknown case '$p' (cases: ${all[*]})" >&2; exit 2 ;; esac
done
bee_cmd() {
  case $1 in
    help) "$bee" --help ;;
    version) "$bee" --version ;;
    describe) "$bee" describe "$work/opensnoop.o" ;;
    list) "$bee" list ;;
    tag) "$bee" tag "127.0.0.1:$port/bench/opensnoop:v1" "bench/tagged:$2" ;;
    rmi) "$bee" rmi "bench/tagged:$2" ;;
    run) "$bee" run "$work/execsnoop.o" --duration 0 --no-tty --prom-port 0 ;;
    build) "$bee" build bpf-examples/opensnoop/opensnoop.c -o "$work/b.o" ;;
    push) "$bee" push --plain-http "127.0.0.1:$port/bench/opensnoop:v1" ;;
    pull) "$bee" pull --plain-http "127.0.0.1:$port/bench/opensnoop:v1" ;;
  esac
}
ref_cmd() {
  case $1 in
    help|version|describe|list|tag|rmi) "$java" -XX:TieredStopAtLevel=1 -cp "$work" Hello ;;
    run) "$work/loader" "$work/execsnoop.o" ;;
    build) clang -g -O2 -target bpf -D__TARGET_ARCH_$arch -I"$vmlinux_dir" -I"$headers_dir" \
             -c bpf-examples/opensnoop/opensnoop.c -o "$work/c.o" && llvm-strip -g "$work/c.o" ;;
    push) skopeo copy --dest-tls-verify=false "oci:$BEE_STORAGE:127.0.0.1:$port/bench/opensnoop:v1" \
            "docker://127.0.0.1:$port/bench/skopeo:v1" ;;
    pull) skopeo copy --src-tls-verify=false "docker://127.0.0.1:$port/bench/skopeo:v1" "oci:$work/pulled:x" ;;
  esac
}
ref_name() {
  case $1 in
    help|version|describe|list|tag|rmi) echo "JVM hello world" ;;
    run) echo "C libbpf loader" ;;
    build) echo "clang + llvm-strip" ;;
    push|pull) echo "skopeo copy" ;;
  esac
}

rm -rf "$BEE_HOME/cache"/*.jsa
for r in $(seq 0 "$ROUNDS"); do
  for p in "${pairs[@]}"; do
    # What rmi removes is tagged outside the timing when tag is not among the cases.
    if [ "$p" = rmi ] && [[ " ${pairs[*]} " != *" tag "* ]]; then
      bee_cmd tag "$r" >/dev/null 2>&1 || true
    fi
    # What a pull needs absent is removed outside the timing.
    if [ "$p" = pull ]; then
      "$bee" rmi "127.0.0.1:$port/bench/opensnoop:v1" >/dev/null 2>&1 || true
      rm -rf "$work/pulled"
    fi
    b=$(ms bee_cmd "$p" "$r")
    y=$(ms ref_cmd "$p")
    if [ "$r" = 0 ]; then
      echo "round 0 (class sharing archive being made): $p ${b} ms" >&2
      continue
    fi
    add "bee_$p" "$b"
    add "ref_$p" "$y"
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
echo "$ROUNDS rounds, medians in ms (bee through its launcher on $("$java" -version 2>&1 | head -1))"
printf "%-10s %8s   %-20s %8s %7s\n" command bee yardstick ms ratio
for p in "${pairs[@]}"; do
  b=$(echo "${times[bee_$p]}" | median)
  y=$(echo "${times[ref_$p]}" | median)
  awk -v p="$p" -v b="$b" -v n="$(ref_name "$p")" -v y="$y" 'BEGIN {
    printf "%-10s %8d   %-20s %8d %6.1fx\n", p, b, n, y, (y > 0 ? b / y : 0) }'
done
