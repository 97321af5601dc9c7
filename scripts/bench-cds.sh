#!/usr/bin/env bash
# Class data sharing variants for bee's start-up, side by side (docs/performance.md, "Class data sharing").
# Every command runs through the launcher (bee-cli/target/bee), as users run it; but for the launcher
# variants with its own archives turned off (BEE_CDS=off) and a variant's flags in BEE_JAVA_OPTS, so only
# the archive differs:
#   none      the JDK's own default archive only
#   launcher  what the launcher does (BEE_CDS on; its archives are remade in a fresh cache)
#   auto      -XX:+AutoCreateSharedArchive, one archive per command word (JDK 19+)
#   aot       JDK 25's AOT cache, one per command word, trained by the command's first run
#             (-XX:AOTCacheOutput; used with -XX:AOTCache)
#   static    a static archive per command word from its first run's class list (-XX:DumpLoadedClassList,
#             then -Xshare:dump)
#   auto-old, aot-old, static-old   the same on a copy of bee.jar whose picocli, ASM and x86asm classes are
#             Java 5 class files again, as before the build's ModernClassFiles step
#             (bench/startup/OldClassFiles.java)
#   launcher17, dyn17   JDK 17 (no AutoCreateSharedArchive there): the launcher's archive, and a dynamic
#             archive per command word written at the exit of its first run (-XX:ArchiveClassesAtExit)
# Round 0 makes the archives (the first run of each command with an empty cache; excluded).
#   MODE=times (default): ROUNDS rounds; each round runs every case under every variant in turn; medians in ms.
#   MODE=counts: one run per case and variant after round 0, with -Xlog:class+load; prints where the classes
#     came from (archive, bee.jar, JDK modules outside the archive, generated at run time) and the archive's size.
# Needs root (run), clang, libbpf, docker-registry; bee built (mvn package); JDK 25 at JDK25 (and JDK 17 at
# JDK17 for the *17 variants).
#   ROUNDS=11 ./scripts/bench-cds.sh
#   MODE=counts VARIANTS="launcher auto aot" CASES="help run" ./scripts/bench-cds.sh
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${MODE:-times}
ROUNDS=${ROUNDS:-9}
CASES=${CASES:-help version describe list tag rmi build push pull run first}
VARIANTS=${VARIANTS:-none launcher auto aot static}
JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
JDK17=${JDK17:-/usr/lib/jvm/java-17-openjdk-amd64}
bee=$PWD/bee-cli/target/bee
jar=$PWD/bee-cli/target/bee.jar
[ -x "$bee" ] || { echo "build bee first: mvn -B package -DskipTests" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }
[ -x "$JDK25/bin/java" ] || { echo "no JDK 25 at $JDK25 (set JDK25)" >&2; exit 1; }
all_cases="help version describe list tag rmi build push pull run first"
all_variants="none launcher auto aot static auto-old aot-old static-old launcher17 dyn17"
for c in $CASES; do case " $all_cases " in *" $c "*) ;; *) echo "unknown case '$c' ($all_cases)" >&2; exit 2 ;; esac; done
for v in $VARIANTS; do case " $all_variants " in *" $v "*) ;; *) echo "unknown variant '$v' ($all_variants)" >&2; exit 2 ;; esac; done
case " $VARIANTS " in *17" "*) [ -x "$JDK17/bin/java" ] || { echo "no JDK 17 at $JDK17 (set JDK17)" >&2; exit 1; } ;; esac

work=$(mktemp -d)
cleanup() { [ -n "${reg:-}" ] && kill "$reg" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
export BEE_HOME=$work/home BEE_STORAGE=$work/store
mkdir -p "$work/archives"
# The ordinary launcher runs the set-up; its archives are removed before round 0.
export BEE_JAVA=$JDK25/bin/java

case " $VARIANTS " in *-old" "*)
  "$JDK25/bin/java" -cp "$jar" bench/startup/OldClassFiles.java "$jar" "$work/bee-old.jar" \
    picocli/ org/objectweb/asm/ jnr/x86asm/ ;;
esac

"$bee" build bpf-examples/opensnoop/opensnoop.c -o "$work/opensnoop.o" >/dev/null 2>&1   # also caches vmlinux.h
"$bee" build bpf-examples/execsnoop/execsnoop.c -o "$work/execsnoop.o" >/dev/null 2>&1
port=$(( 20000 + RANDOM % 20000 ))
mkdir -p "$work/registry"
printf 'version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n' \
  "$work/registry" "$port" > "$work/registry.yml"
docker-registry serve "$work/registry.yml" >/dev/null 2>&1 &
reg=$!
for _ in $(seq 100); do curl -s "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.1; done
image=127.0.0.1:$port/bench/opensnoop:v1
"$bee" build bpf-examples/opensnoop/opensnoop.c "$image" -o "$work/o2.o" >/dev/null 2>&1
"$bee" push --plain-http "$image" >/dev/null 2>&1
rm -f "$BEE_HOME"/cache/*.jsa

# The command word each case runs (its archive's name in the per-command variants).
word() { case $1 in first) echo run ;; *) echo "$1" ;; esac; }
bee_cmd() {
  case $1 in
    help) "$bee" --help ;;
    version) "$bee" --version ;;
    describe) "$bee" describe "$work/opensnoop.o" ;;
    list) "$bee" list ;;
    tag) "$bee" tag "$image" "bench/tagged:t$RANDOM" ;;
    rmi) "$bee" rmi "bench/removed:v1" ;;
    build) "$bee" build bpf-examples/opensnoop/opensnoop.c -o "$work/b.o" ;;
    push) "$bee" push --plain-http "$image" ;;
    pull) "$bee" pull --plain-http "$image" ;;
    run) "$bee" run "$work/execsnoop.o" --duration 0 --no-tty --prom-port 0 ;;
    first)
      # A process execs every 5 ms meanwhile: the first event.
      ( while kill -0 $$ 2>/dev/null; do /bin/true; sleep 0.005; done ) &
      gen=$!
      local s=0
      "$bee" run "$work/execsnoop.o" --max-events 1 --duration 10s -o json --no-tty --prom-port 0 || s=$?
      kill "$gen"; wait "$gen" 2>/dev/null || true
      gen=""
      return $s ;;
  esac
}
# What a case needs beforehand, outside the timing: a tag for rmi to remove, no image for pull to fetch.
prepare() {
  case $1 in
    rmi) BEE_CDS=off BEE_JAVA_OPTS="" "$bee" tag "$image" bench/removed:v1 >/dev/null 2>&1 || true ;;
    pull) BEE_CDS=off BEE_JAVA_OPTS="" "$bee" rmi "$image" >/dev/null 2>&1 || true ;;
  esac
}

quiet="-Xlog:cds=off -Xlog:cds+dynamic=off -Xlog:aot=off"
# variant_run VARIANT CASE [EXTRA_JVM_OPTS]: the case under the variant; makes the variant's archive on the
# first run of the command word (as AutoCreateSharedArchive does: an existing archive is used, not remade).
variant_run() {
  local v=$1 c=$2 extra=${3:-} w a
  w=$(word "$c")
  a=$work/archives/$v/$w
  mkdir -p "$work/archives/$v"
  local java=$JDK25/bin/java jarfile=$jar
  case $v in *-old) jarfile=$work/bee-old.jar ;; esac
  case $v in *17) java=$JDK17/bin/java ;; esac
  local q=$quiet
  [ "$java" = "$JDK17/bin/java" ] && q="-Xlog:cds=off -Xlog:cds+dynamic=off"
  case $v in
    none) BEE_JAVA=$java BEE_CDS=off BEE_JAVA_OPTS="$extra" bee_cmd "$c" ;;
    launcher|launcher17) BEE_JAVA=$java BEE_JAVA_OPTS="$extra" bee_cmd "$c" ;;
    auto|auto-old) BEE_JAVA=$java BEE_JAR=$jarfile BEE_CDS=off \
        BEE_JAVA_OPTS="$q -XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=$a.jsa $extra" bee_cmd "$c" ;;
    aot|aot-old)
      if [ -f "$a.aot" ]; then
        BEE_JAVA=$java BEE_JAR=$jarfile BEE_CDS=off BEE_JAVA_OPTS="$q -XX:AOTCache=$a.aot $extra" bee_cmd "$c"
      else
        # The one-step workflow (JDK 25) starts a second JVM at exit that writes the cache; it names its
        # options on stderr ("Picked up JAVA_TOOL_OPTIONS").
        BEE_JAVA=$java BEE_JAR=$jarfile BEE_CDS=off BEE_JAVA_OPTS="$q -XX:AOTCacheOutput=$a.aot $extra" bee_cmd "$c"
      fi ;;
    static|static-old)
      if [ -f "$a.jsa" ]; then
        BEE_JAVA=$java BEE_JAR=$jarfile BEE_CDS=off BEE_JAVA_OPTS="$q -XX:SharedArchiveFile=$a.jsa $extra" bee_cmd "$c"
      else
        local s=0
        BEE_JAVA=$java BEE_JAR=$jarfile BEE_CDS=off BEE_JAVA_OPTS="-XX:DumpLoadedClassList=$a.classlist $extra" \
          bee_cmd "$c" || s=$?
        BEE_JAVA=$java BEE_JAR=$jarfile BEE_CDS=off BEE_JAVA_OPTS="-Xshare:dump $q -XX:SharedClassListFile=$a.classlist -XX:SharedArchiveFile=$a.jsa" \
          "$bee" --help >/dev/null 2>&1
        return $s
      fi ;;
    dyn17)
      if [ -f "$a.jsa" ]; then
        BEE_JAVA=$java BEE_CDS=off BEE_JAVA_OPTS="$q -XX:SharedArchiveFile=$a.jsa $extra" bee_cmd "$c"
      else
        BEE_JAVA=$java BEE_CDS=off BEE_JAVA_OPTS="$q -XX:ArchiveClassesAtExit=$a.jsa $extra" bee_cmd "$c"
      fi ;;
  esac
}
# The archive a variant's case uses, for its size.
archive_of() {
  local v=$1 w
  w=$(word "$2")
  case $v in
    none) echo "" ;;
    launcher|launcher17)
      local name=bee
      [ "$w" = run ] && name=bee-run
      local jdk=25
      [ "$v" = launcher17 ] && jdk=17
      ls "$BEE_HOME/cache/$name-jdk$jdk-"*cds.jsa 2>/dev/null | head -1 ;;
    aot|aot-old) echo "$work/archives/$v/$w.aot" ;;
    *) echo "$work/archives/$v/$w.jsa" ;;
  esac
}
# ms CMD...: its wall-clock time in ms; a failure is said on stderr (its time would not be the command's).
ms() {
  local s e c=0
  s=$(date +%s%N)
  "$@" >/dev/null 2>&1 || c=$?
  e=$(date +%s%N)
  [ "$c" = 0 ] || echo "warning: '$*' failed (exit $c)" >&2
  echo $(( (e - s) / 1000000 ))
}

# Round 0: the archives, with each case's first run.
for c in $CASES; do
  for v in $VARIANTS; do
    prepare "$c"
    t=$(ms variant_run "$v" "$c")
    echo "round 0 (archive made): $c $v $t ms" >&2
  done
done

if [ "$MODE" = counts ]; then
  # One logged run per case and variant. "archive": from the shared objects file (the JDK's and the
  # variant's); "jar": read from bee.jar; "jdk": from the JDK's modules, outside every archive in use;
  # "generated": defined at run time (lambdas, proxies, method handle forms, jnr-ffi's binding).
  printf "%-9s %-11s %7s %7s %5s %5s %9s %8s\n" case variant loaded archive jar jdk generated MiB
  for c in $CASES; do
    for v in $VARIANTS; do
      prepare "$c"
      log=$work/$c-$v.log
      variant_run "$v" "$c" "-Xlog:class+load=info:file=$log" >/dev/null 2>&1 || echo "warning: $c under $v failed" >&2
      a=$(archive_of "$v" "$c")
      size=0
      [ -n "$a" ] && [ -f "$a" ] && size=$(stat -c %s "$a")
      awk -v c="$c" -v v="$v" -v size="$size" '
        / source: / { n++; s = $0; sub(/.* source: /, "", s)
          if (s ~ /^shared objects file/) ar++
          else if (s ~ /^(jar:)?file:/) j++
          else if (s ~ /^jrt:/) k++
          else g++ }
        END { printf "%-9s %-11s %7d %7d %5d %5d %9d %8.1f\n", c, v, n, ar, j, k, g, size / 1048576 }' "$log"
      if [ -n "${KEEP_LOGS:-}" ]; then mkdir -p "$KEEP_LOGS"; cp "$log" "$KEEP_LOGS/"; fi
    done
  done
  exit 0
fi

declare -A times
for r in $(seq 1 "$ROUNDS"); do
  for c in $CASES; do
    for v in $VARIANTS; do
      prepare "$c"
      times[$c/$v]="${times[$c/$v]:-} $(ms variant_run "$v" "$c")"
    done
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
echo "$ROUNDS rounds, medians in ms (bee through its launcher; variants alternate within each round)"
printf "%-9s" case
for v in $VARIANTS; do printf " %11s" "$v"; done
echo
for c in $CASES; do
  printf "%-9s" "$c"
  for v in $VARIANTS; do printf " %11s" "$(echo "${times[$c/$v]}" | median)"; done
  echo
done
