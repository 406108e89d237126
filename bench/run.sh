#!/usr/bin/env bash
# The benchmark suite, one command:   bench/run.sh            (full: ~10 minutes)
#                                     bench/run.sh --quick    (smoke: ~2 minutes, figures indicative only)
#                                     bench/run.sh --e2e      (the end-to-end latency alone: ~2 minutes)
#
# Prints, with the machine: ingest requests/s and p50/p99/p99.9 at 16, 64 and 256 connections with unique signed
# realistic events, for this service, for the Node.js baseline (../shared/peers/node-seed) and for PostgreSQL alone
# (pgbench running the same INSERT: the ceiling), with ratios; drain events/s; end-to-end latency (received ->
# projected) at a steady 500 events/s; resident memory; start-up time.
#
# Needs: JDK 17+, Maven, wrk, psql and pgbench (Debian: wrk, postgresql-client), node + npm for the baseline
# (skipped without them), and a PostgreSQL server: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres)
# on which it creates the databases bench_ours, bench_node, bench_ceiling (dropped and re-created each run).
set -euo pipefail
cd "$(dirname "$0")/.."

QUICK=${1:-}
DURATION=15; WARMUP=10; LEVELS="16 64 256"; E2E_SECONDS=${BENCH_E2E_SECONDS:-60}; E2E_WARMUP=${BENCH_E2E_WARMUP:-30}; DRAIN_EVENTS=100000; DRAIN_RUNS=3; PER_LEVEL=220000
E2E_ONLY=; [ "$QUICK" = "--e2e" ] && E2E_ONLY=1
if [ "$QUICK" = "--quick" ]; then
  DURATION=3; WARMUP=2; LEVELS="16 64"; E2E_SECONDS=5; E2E_WARMUP=5; DRAIN_EVENTS=5000; DRAIN_RUNS=1; PER_LEVEL=40000
fi
SERVER_URL=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
BASE_URL=${SERVER_URL%/*}
SECRET=bench-secret
# the JVM options of the README's run command (2 cores: the serial collector; a heap that keeps RSS < 400 MB; the
# class-data sharing archive the build made)
JAVA_OPTS=${JAVA_OPTS:--Xmx256m -XX:+UseSerialGC -XX:SharedArchiveFile=target/dialpad-camel-postgres.jsa}
PORT=18080; MGMT=19876; NODE_PORT=14000
WORK=target/bench; mkdir -p "$WORK"
RESULTS="$WORK/results.txt"; : > "$RESULTS"
say() { echo "$@" | tee -a "$RESULTS"; }
need() { command -v "$1" >/dev/null 2>&1 || { echo "bench: $1 is needed ($2)"; exit 1; }; }
need wrk "apt-get install wrk"; need psql "apt-get install postgresql-client"; need pgbench "apt-get install postgresql-client"
psql "$SERVER_URL" -qAtc "select 1" >/dev/null || { echo "bench: no PostgreSQL at $SERVER_URL (set BENCH_DATABASE_URL)"; exit 1; }

fresh_db() { psql "$SERVER_URL" -q -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1" 2>/dev/null; }
cleanup() { [ -n "${APP_PID:-}" ] && kill "$APP_PID" 2>/dev/null || true; [ -n "${NODE_PID:-}" ] && kill "$NODE_PID" 2>/dev/null || true; }
trap cleanup EXIT

[ -f target/dialpad-camel-postgres.jar ] || mvn -q -B -DskipTests package
CORES=$(nproc); MEM=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)
CPU=$(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | sed 's/^ *//')
PGV=$(psql "$SERVER_URL" -qAtc "select split_part(version(), ' on ', 1)")
SYNC=$(psql "$SERVER_URL" -qAtc "show synchronous_commit"); FSYNC=$(psql "$SERVER_URL" -qAtc "show fsync")
say "machine: $CORES cores ($CPU), $MEM, $PGV (fsync=$FSYNC, synchronous_commit=$SYNC) on the same host"
say "mode: ${QUICK:-full}  duration ${DURATION}s per level after ${WARMUP}s warm-up; JVM: $JAVA_OPTS"

rss_mb() { ps -o rss= -p "$1" | awk '{printf "%d", $1/1024}'; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

if [ -z "$E2E_ONLY" ]; then
# --- unique bodies: one file per level (and one for warm-up), every request a new event ---
gen() { java bench/SignedBodies.java "$1" "$2" "$3" $SECRET; }
gen $PER_LEVEL "$WORK/warmup-ours.txt" dialpad
for c in $LEVELS; do gen $PER_LEVEL "$WORK/ours-$c.txt" dialpad; done

wrk_run() { # url connections bodies seconds
  wrk -t2 -c"$2" -d"$4"s --latency -s bench/wrk-bodies.lua "$1" -- "$3" 0 $((PER_LEVEL - 1)) | tail -n 1
}
field() { echo "$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k {print $2}'; }

# --- PostgreSQL alone: pgbench running the service's INSERT (same payload, unique ids) ---
# The statement of sql/ingest/insert-events.sql for one row: its idempotency key first, then the event (with the key
# check of its insert trigger), as the service does for each webhook since V12 (docs/partitioning.md).
fresh_db bench_ceiling
for f in $(ls src/main/resources/db/migration/V*.sql | sort -V) $(ls src/main/resources/db/migration/R__*.sql | sort); do
  PGOPTIONS='-c client_min_messages=warning' psql "$BASE_URL/bench_ceiling" -q -1 -v ON_ERROR_STOP=1 -f "$f" >/dev/null
done
PAYLOAD=$(tr -d '\n' < src/main/resources/samples/call-ringing.json | sed "s/'/''/g")
cat > "$WORK/insert.sql" <<SQL
\set n random(1, 9000000000000000)
WITH rows AS (SELECT 'default' AS app_id, 'call.ring' AS event_type, 'call:' || :n || ':' || :client_id AS dialpad_event_id),
new_keys AS (INSERT INTO webhook_event_keys (app_id, dialpad_event_id, event_id, received_at) SELECT app_id, dialpad_event_id, gen_random_uuid(), now() FROM rows ON CONFLICT (app_id, dialpad_event_id) DO NOTHING RETURNING app_id, dialpad_event_id, event_id, received_at)
INSERT INTO webhook_events (id, app_id, event_type, dialpad_event_id, payload, received_at) SELECT k.event_id, r.app_id, r.event_type, r.dialpad_event_id, '$PAYLOAD'::jsonb, k.received_at FROM new_keys k JOIN rows r USING (app_id, dialpad_event_id) RETURNING id;
SQL
declare -A CEILING
MAX_CLIENTS=$(( $(psql "$SERVER_URL" -qAtc "show max_connections") - 10 ))
for c in $LEVELS; do
  clients=$(( c < MAX_CLIENTS ? c : MAX_CLIENTS ))   # PostgreSQL's max_connections bounds pgbench, not our pool
  tps=$(pgbench -n -M prepared -c "$clients" -j 2 -T "$DURATION" -f "$WORK/insert.sql" "$BASE_URL/bench_ceiling" \
        2>/dev/null | awk '/^tps/ {print int($3); exit}')
  CEILING[$c]=${tps:-0}
  say "ceiling (pgbench INSERT, $clients clients for the $c-connection level): ${tps:-failed} rows/s"
done

# --- this service, ingest only ---
fresh_db bench_ours
start=$(date +%s%N)
DATABASE_URL="$BASE_URL/bench_ours" PORT=$PORT MANAGEMENT_PORT=$MGMT PROCESSOR_ENABLED=false \
  DIALPAD_WEBHOOK_SECRET=$SECRET java $JAVA_OPTS -jar target/dialpad-camel-postgres.jar > "$WORK/service.log" 2>&1 &
APP_PID=$!
until curl -sf -o /dev/null "http://127.0.0.1:$MGMT/observe/health/ready"; do sleep 0.05; done
say "start-up to ready: $(( ($(date +%s%N) - start) / 1000000 )) ms (external database, migrations included)"
wrk -t2 -c64 -d"$WARMUP"s -s bench/wrk-bodies.lua "http://127.0.0.1:$PORT/webhooks/dialpad" -- \
  "$WORK/warmup-ours.txt" 0 $((PER_LEVEL - 1)) >/dev/null
declare -A OURS; declare -A OURS_LINE; RSS_MAX=0
for c in $LEVELS; do
  line=$(wrk_run "http://127.0.0.1:$PORT/webhooks/dialpad" "$c" "$WORK/ours-$c.txt" "$DURATION")
  OURS[$c]=$(field "$line" rps); OURS_LINE[$c]=$line
  r=$(rss_mb $APP_PID); [ "$r" -gt "$RSS_MAX" ] && RSS_MAX=$r
  say "ours ($c connections, signed): $line"
done
say "ours resident memory after the ingest runs: ${RSS_MAX} MB"
kill $APP_PID; wait $APP_PID 2>/dev/null || true; APP_PID=
# a restart: the same database, migrations already applied
start=$(date +%s%N)
DATABASE_URL="$BASE_URL/bench_ours" PORT=$PORT MANAGEMENT_PORT=$MGMT PROCESSOR_ENABLED=false \
  DIALPAD_WEBHOOK_SECRET=$SECRET java $JAVA_OPTS -jar target/dialpad-camel-postgres.jar > "$WORK/service-restart.log" 2>&1 &
APP_PID=$!
until curl -sf -o /dev/null "http://127.0.0.1:$MGMT/observe/health/ready"; do sleep 0.05; done
say "restart to ready: $(( ($(date +%s%N) - start) / 1000000 )) ms (external database, $(psql "$BASE_URL/bench_ours" -qAtc "select count(*) from webhook_events") events stored)"
kill $APP_PID; wait $APP_PID 2>/dev/null || true; APP_PID=

# --- the Node.js baseline, ingest only, same bodies (its envelope, unsigned) ---
declare -A NODE
NODE_SRC=../shared/peers/node-seed
if command -v node >/dev/null && command -v npm >/dev/null && [ -d "$NODE_SRC" ] \
   && rm -rf "$WORK/node-seed" && cp -r "$NODE_SRC" "$WORK/node-seed" && chmod -R u+w "$WORK/node-seed" \
   && (cd "$WORK/node-seed" && npm install --no-audit --no-fund --silent >/dev/null 2>&1); then
  fresh_db bench_node
  (cd "$WORK/node-seed" && DATABASE_URL="$BASE_URL/bench_node" node migrate.js >/dev/null)
  gen $PER_LEVEL "$WORK/warmup-node.txt" node
  for c in $LEVELS; do gen $PER_LEVEL "$WORK/node-$c.txt" node; done
  (cd "$WORK/node-seed" && DATABASE_URL="$BASE_URL/bench_node" PROCESSOR_ENABLED=false PORT=$NODE_PORT \
     exec node index.js > ../node.log 2>&1) &
  NODE_PID=$!
  until curl -s -o /dev/null "http://127.0.0.1:$NODE_PORT/"; do sleep 0.05; done
  wrk -t2 -c64 -d"$WARMUP"s -s bench/wrk-bodies.lua "http://127.0.0.1:$NODE_PORT/webhooks/dialpad" -- \
    "$WORK/warmup-node.txt" 0 $((PER_LEVEL - 1)) >/dev/null
  for c in $LEVELS; do
    line=$(wrk_run "http://127.0.0.1:$NODE_PORT/webhooks/dialpad" "$c" "$WORK/node-$c.txt" "$DURATION")
    NODE[$c]=$(field "$line" rps)
    say "node baseline ($c connections, unsigned): $line"
  done
  kill $NODE_PID 2>/dev/null; wait $NODE_PID 2>/dev/null || true; NODE_PID=
else
  say "node baseline: skipped (node/npm, $NODE_SRC or its npm install missing)"
fi

# --- drain: the processing routes on a pre-loaded backlog ---
drain=$(TEST_DATABASE_URL="$SERVER_URL" mvn -q -B test -Pbench -Dtest=BenchmarksTest#drain \
        -Dbench.drain.events=$DRAIN_EVENTS -Dbench.drain.runs=$DRAIN_RUNS 2>/dev/null | grep -E "^drain (run|median)")
echo "$drain" | while read -r l; do say "$l"; done

fi

# --- end to end: signed webhooks at a steady 500/s with the processor running ---
fresh_db bench_ours
DATABASE_URL="$BASE_URL/bench_ours" PORT=$PORT MANAGEMENT_PORT=$MGMT DIALPAD_WEBHOOK_SECRET=$SECRET \
  java $JAVA_OPTS -jar target/dialpad-camel-postgres.jar > "$WORK/service-e2e.log" 2>&1 &
APP_PID=$!
until curl -sf -o /dev/null "http://127.0.0.1:$MGMT/observe/health/ready"; do sleep 0.05; done
( while kill -0 $APP_PID 2>/dev/null; do rss_mb $APP_PID; echo; sleep 1; done > "$WORK/rss-e2e.txt" ) &
CPU_BEFORE=$(cpu_ticks $APP_PID)
line=$(java -cp target/dialpad-camel-postgres.jar bench/LoadGenerator.java --url "http://127.0.0.1:$PORT/webhooks/dialpad" \
       --rate 500 --warmup $E2E_WARMUP --seconds "$E2E_SECONDS" --secret $SECRET 2>"$WORK/load-e2e.err" | grep '^rate=')
say "e2e load (500/s open loop): $line"
until [ "$(psql "$BASE_URL/bench_ours" -qAtc "select count(*) from webhook_events where processed_at is null")" = 0 ]; do sleep 0.5; done
# after the warm-up: received -> projected, and its two parts (stored -> claimed, claimed -> projected); a batch is
# one processed_at
ms() { echo "round(1000*extract(epoch from percentile_cont($1) within group (order by $2)))::int"; }
lat=$(psql "$BASE_URL/bench_ours" -qAtc "select concat_ws(' ', $(ms 0.5 'processed_at - received_at'), \
  $(ms 0.99 'processed_at - received_at'), count(*), $(ms 0.5 'claimed_at - received_at'), \
  $(ms 0.99 'claimed_at - received_at'), $(ms 0.5 'processed_at - claimed_at'), $(ms 0.99 'processed_at - claimed_at'), \
  round(count(*)::numeric / count(distinct processed_at), 1)) from webhook_events \
  where received_at > (select min(received_at) + interval '$E2E_WARMUP seconds' from webhook_events)")
read -r P50 P99 N W50 W99 B50 B99 PER_BATCH <<< "$lat"
# the warm-up itself: a JVM just started, its JIT still compiling (on 2 cores for ~30 s at this rate)
cold=$(psql "$BASE_URL/bench_ours" -qAtc "select concat_ws(' ', $(ms 0.5 'processed_at - received_at'), \
  $(ms 0.99 'processed_at - received_at'), count(*)) from webhook_events \
  where received_at <= (select min(received_at) + interval '$E2E_WARMUP seconds' from webhook_events)")
read -r C50 C99 CN <<< "$cold"
# the service's CPU time per event over the whole load (warm-up included): steadier than latency on a noisy machine
CPU_MS=$(awk -v a="$CPU_BEFORE" -v b="$(cpu_ticks $APP_PID)" -v hz="$(getconf CLK_TCK)" \
         -v n="$(psql "$BASE_URL/bench_ours" -qAtc "select count(*) from webhook_events")" 'BEGIN {printf "%.2f", 1000 * (b - a) / hz / n}')
E2E_RSS=$(sort -n "$WORK/rss-e2e.txt" | tail -n 1)
say "end-to-end (received -> projected) at 500 events/s: p50 ${P50} ms, p99 ${P99} ms over $N events; resident memory max ${E2E_RSS} MB"
say "  stored -> claimed p50 ${W50} ms, p99 ${W99} ms; claimed -> projected p50 ${B50} ms, p99 ${B99} ms; ${PER_BATCH} events a batch; service CPU ${CPU_MS} ms per event (ingest and processing)"
say "  during the ${E2E_WARMUP} s warm-up (the JVM just started): p50 ${C50} ms, p99 ${C99} ms over $CN events"
kill $APP_PID; wait $APP_PID 2>/dev/null || true; APP_PID=

[ -n "$E2E_ONLY" ] && exit 0
# --- summary ---
say ""
say "summary                         | $(for c in $LEVELS; do printf '%-16s' "$c conn"; done)"
say "ours requests/s (signed)        | $(for c in $LEVELS; do printf '%-16s' "${OURS[$c]}"; done)"
say "node baseline requests/s        | $(for c in $LEVELS; do printf '%-16s' "${NODE[$c]:--}"; done)"
say "pgbench INSERT rows/s (ceiling) | $(for c in $LEVELS; do printf '%-16s' "${CEILING[$c]}"; done)"
say "ours / node                     | $(for c in $LEVELS; do [ -n "${NODE[$c]:-}" ] && printf '%-16s' "$(awk -v a="${OURS[$c]}" -v b="${NODE[$c]}" 'BEGIN {printf "%.2fx", a/b}')" || printf '%-16s' -; done)"
say "ours / ceiling                  | $(for c in $LEVELS; do printf '%-16s' "$(awk -v a="${OURS[$c]}" -v b="${CEILING[$c]}" 'BEGIN {printf "%.0f%%", 100*a/b}')"; done)"
say "results in $RESULTS"
