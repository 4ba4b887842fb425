# Sourced by ./meshfold and ./test: sets JAVA_HOME to a JDK >= 21 or exits with a message.
# Looks at $JAVA_HOME, then `java` on PATH, then /usr/lib/jvm/* (newest first).

meshfold_java_major() {
    "$1/bin/java" -XshowSettings:properties -version 2>&1 \
        | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

meshfold_find_jdk() {
    local candidates=() dir major
    [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
    if command -v java >/dev/null 2>&1; then
        candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
    fi
    for dir in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
        candidates+=("${dir%/}")
    done
    for dir in "${candidates[@]}"; do
        [ -x "$dir/bin/java" ] && [ -x "$dir/bin/javac" ] || continue
        major=$(meshfold_java_major "$dir")
        if [ -n "$major" ] && [ "$major" -ge 21 ]; then
            export JAVA_HOME="$dir"
            MESHFOLD_JAVA_MAJOR="$major"
            # Maven's own libraries use sun.misc.Unsafe, which JDK 24+ warns about on every build.
            if [ "$major" -ge 24 ]; then
                export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
            fi
            return 0
        fi
    done
    echo "meshfold needs a JDK 21 or newer (java and javac), and none was found in JAVA_HOME, on PATH or in /usr/lib/jvm." >&2
    echo "Install one (Debian 13: apt-get install openjdk-21-jdk-headless; elsewhere a Temurin 21+ JDK unpacked under /usr/lib/jvm) or set JAVA_HOME to it." >&2
    exit 3
}

meshfold_find_jdk
