#!/usr/bin/env bash
# End-to-end benchmark: builds meshfold-bench (with the daemon), then runs
# org.meshfold.bench.EndToEndBench, which starts two devices on loopback and prints a table of
# sync times, scan throughput, bytes on the wire and peak RSS. Options go to EndToEndBench,
# e.g. bench/e2e.sh --runs 1, or --help for the list.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
. "$root/scripts/find-jdk.sh"
cd "$root"
if ! command -v mvn >/dev/null 2>&1; then
    echo "the benchmark is built with Maven (mvn), which is not installed: apt-get install maven" >&2
    exit 3
fi
echo "e2e: building meshfold-bench…" >&2
mvn -q -B -DskipTests -pl meshfold-bench -am package >&2
target="$root/meshfold-bench/target"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
    -cp "$target/meshfold-bench-0.1.0-SNAPSHOT.jar:$target/lib/*" org.meshfold.bench.EndToEndBench "$@"
