#!/bin/sh
# The warroom benchmark (issue 7): builds the test classes, then runs io.warroom.bench.Bench.
# Usage: bench/run.sh [ingest] [latency] [fanout] [stream] [memory] [cost] [cluster]   (no argument: all sections)
# PostgreSQL as for the tests (io.warroom.store.TestPostgres): a throwaway cluster from the installed
# binaries, removed at the end (fsync on, unlike the tests), or the server WARROOM_TEST_PG_URL names.
set -e
cd "$(dirname "$0")/.."
./mvnw -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec java -Xmx3g -cp target/classes:target/test-classes:"$(cat target/cp.txt)" io.warroom.bench.Bench "$@"
