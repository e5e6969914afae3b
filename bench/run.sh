#!/bin/sh
# The warroom benchmark (issue 7): builds the test classes, then runs io.warroom.bench.Bench.
# Usage: bench/run.sh [ingest] [latency] [fanout] [memory] [cost] [cluster]   (no argument: all sections)
# Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust auth), like the tests.
set -e
cd "$(dirname "$0")/.."
mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec java -Xmx3g -cp target/classes:target/test-classes:"$(cat target/cp.txt)" io.warroom.bench.Bench "$@"
