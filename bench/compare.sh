#!/usr/bin/env bash
# meshfold side by side with Syncthing and rsync on this machine: installs Syncthing, rsync and
# GNU time from the distribution's packages when missing (apt-get, as root), builds
# meshfold-bench (with the daemon), then runs org.meshfold.bench.CompareBench, which generates
# the data sets, runs every tool several times and prints a table of medians and
# meshfold/other ratios. Options go to CompareBench, e.g. bench/compare.sh --runs 1, or --help.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
. "$root/scripts/find-jdk.sh"
cd "$root"

missing=()
command -v syncthing >/dev/null 2>&1 || missing+=(syncthing)
command -v rsync >/dev/null 2>&1 || missing+=(rsync)
[ -x /usr/bin/time ] || missing+=(time)
if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        echo "compare: needs ${missing[*]}; install them with your package manager (Debian: apt-get install ${missing[*]})" >&2
        exit 3
    fi
    echo "compare: installing ${missing[*]}…" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q "${missing[@]}" >&2 || { apt-get update -q >&2 && apt-get install -y -q "${missing[@]}" >&2; }
fi
if ! command -v mvn >/dev/null 2>&1; then
    echo "the benchmark is built with Maven (mvn), which is not installed: apt-get install maven" >&2
    exit 3
fi
echo "compare: building meshfold-bench…" >&2
mvn -q -B -Dstyle.color=never -DskipTests -pl meshfold-bench -am package 2>&1 | sed 's/\x1b\[[0-9;]*m//g' >&2
target="$root/meshfold-bench/target"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
    -cp "$target/meshfold-bench-0.1.0-SNAPSHOT.jar:$target/lib/*" org.meshfold.bench.CompareBench "$@"
