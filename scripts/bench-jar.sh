#!/usr/bin/env bash
# bee.jar's size (a layer of every image `bee package` builds, and read at every start) beside a
# reference: the jar before issue 18 (oras-java's tree, Jib's whole tree, every platform's natives), and
# the goal. Also its entry count and the largest parts by top-level package. Needs bee built (mvn package).
# Usage: scripts/bench-jar.sh [JAR]
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=${1:-bee-cli/target/bee.jar}
REFERENCE=40401107   # bytes: bee.jar at 9d7781c (21,258 entries)
GOAL=15000000        # bytes: issue 18
[ -f "$JAR" ] || { echo "build bee first: mvn -B package -DskipTests" >&2; exit 1; }
size=$(stat -c %s "$JAR")
mode=$(stat -c %a "$JAR")
printf '%-28s %12s bytes  %6.1f MiB\n' "bee.jar (this build)" "$size" "$(echo "$size / 1048576" | bc -l)"
printf '%-28s %12s bytes  %6.1f MiB\n' "reference (before issue 18)" "$REFERENCE" "$(echo "$REFERENCE / 1048576" | bc -l)"
printf '%-28s %12s bytes\n' "goal" "$GOAL"
printf '%-28s %12s%%\n' "of the reference" "$(echo "scale=1; 100 * $size / $REFERENCE" | bc)"
printf '%-28s %12s\n' "mode" "$mode"
[ "$size" -le "$GOAL" ] && echo "within the goal" || echo "OVER the goal by $((size - GOAL)) bytes"
echo "largest parts (compressed bytes, entries, package):"
python3 - "$JAR" <<'PY'
import collections, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
size, count = collections.Counter(), collections.Counter()
for e in z.infolist():
    parts = e.filename.split('/')
    key = '/'.join(parts[:2]) if len(parts) > 2 else parts[0]
    size[key] += e.compress_size
    count[key] += 1
print(f"  {len(z.infolist())} entries")
for key, n in size.most_common(12):
    print(f"  {n:>10} {count[key]:>6}  {key}")
PY
