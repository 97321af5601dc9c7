#!/usr/bin/env bash
# Compares bee's build path with the plain tools in one run:
#   1. vmlinux.h: bee's BTF-to-C writer vs `bpftool btf dump ... format c`
#   2. compiling an example: `bee build` (warm cache) vs plain clang + llvm-strip
# Prints wall-clock medians of N runs for each. Needs bee built (mvn package).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-5}
JAR=bee-cli/target/bee.jar
SRC=bpf-examples/tcpconnect/tcpconnect.c
[ -f "$JAR" ] || { echo "build bee first: mvn -B package -DskipTests" >&2; exit 1; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }

echo "vmlinux.h from /sys/kernel/btf/vmlinux ($N runs, median ms)"
bee_h=$(for i in $(seq "$N"); do rm -rf "$work/home"; ms env BEE_HOME="$work/home" java -cp "$JAR" dev.bee.cli.Main build "$SRC" -o "$work/a.o"; done | median)
bpf_h=$(for i in $(seq "$N"); do ms sh -c "bpftool btf dump file /sys/kernel/btf/vmlinux format c > $work/vmlinux.h"; done | median)
echo "  bee build, cold cache (JVM start + header + compile): ${bee_h}"
echo "  bpftool btf dump format c (header only):               ${bpf_h}"

echo "compile $SRC ($N runs, median ms)"
mkdir -p "$work/inc"; cp "$work/vmlinux.h" "$work/inc/"
bee_c=$(for i in $(seq "$N"); do ms env BEE_HOME="$work/home" java -cp "$JAR" dev.bee.cli.Main build "$SRC" -o "$work/b.o"; done | median)
clang_c=$(for i in $(seq "$N"); do ms sh -c "clang -g -O2 -target bpf -D__TARGET_ARCH_x86 -I$work/inc -Inative/include -c $SRC -o $work/c.o && llvm-strip -g $work/c.o"; done | median)
echo "  bee build, warm cache (JVM start + compile + strip + check): ${bee_c}"
echo "  clang + llvm-strip:                                           ${clang_c}"
