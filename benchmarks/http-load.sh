#!/usr/bin/env bash
# P7/P8 HTTP load: our AsupersyncServer, a plain Netty server and a Reactor Netty server, each in its own
# JVM, serving the same fixed answer to GET / (benchmarks/src/main/java/io/asupersync/benchmarks/http).
# wrk drives HTTP/1.1 and h2load drives h2c (prior knowledge) against all three in the same run.
#
# Each server/tool pair is warmed up until two consecutive warm-up runs agree within WARM_AGREE percent
# and at least WARM_MIN_REQUESTS requests were served (DESIGN: a fresh JVM needs about a million before
# HTTP throughput settles), giving up after WARM_MAX_RUNS runs (reported). Then ROUNDS rounds measure
# every server with both tools, the server order rotating per round; the median per server and tool is
# reported with the ratios to the P7/P8 goals (ours >= 0.9x plain Netty, >= 1.0x Reactor Netty), beside
# the median CPU time (user + system) each server process spent per request.
#
# Not part of mvn verify. Usage (from anywhere): benchmarks/http-load.sh
# Settings through the environment, defaults in brackets: DURATION [15] seconds per measured run,
# ROUNDS [3], CONNECTIONS [16], STREAMS [16] h2load streams per connection, IO_THREADS [nproc] event-loop
# threads of every server, WARM_SECONDS [15], WARM_MIN_REQUESTS [1000000], WARM_MAX_RUNS [12],
# WARM_AGREE [5] percent, HEAP [1g], SKIP_BUILD [0] (1: use the existing benchmarks/target/benchmarks.jar),
# SERVERS ["asupersync asupersync-tuned netty reactor"]: asupersync-tuned is our server with request
# tasks carried by their event loop (EventLoopCarrier) and no lifecycle trace events; add netty-vt for plain Netty plus a
# virtual-thread hand-off per request (NettyLoadServer), which splits the gap to Netty into the hop's
# cost and the rest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
DURATION=${DURATION:-15}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-16}
STREAMS=${STREAMS:-16}
IO_THREADS=${IO_THREADS:-$(nproc)}
WARM_SECONDS=${WARM_SECONDS:-15}
WARM_MIN_REQUESTS=${WARM_MIN_REQUESTS:-1000000}
WARM_MAX_RUNS=${WARM_MAX_RUNS:-12}
WARM_AGREE=${WARM_AGREE:-5}
HEAP=${HEAP:-1g}
SKIP_BUILD=${SKIP_BUILD:-0}
read -r -a SERVERS <<<"${SERVERS:-asupersync asupersync-tuned netty reactor}"
TOOLS=(wrk h2load)

for tool in wrk h2load curl; do
  command -v "$tool" >/dev/null || { echo "error: $tool not found (Debian packages wrk, nghttp2-client, curl)" >&2; exit 1; }
done

JAR=benchmarks/target/benchmarks.jar
if [[ "$SKIP_BUILD" != 1 ]]; then
  # -am: builds core and protocols from this worktree in the same reactor (never from ~/.m2)
  mvn -B -o -q package -DskipTests -pl benchmarks -am
fi

OUT=benchmarks/target/http-load
mkdir -p "$OUT"
RESULTS="$OUT/results.tsv"
: >"$RESULTS"

declare -A PID PORT
cleanup() {
  for s in "${!PID[@]}"; do
    kill "${PID[$s]}" 2>/dev/null || true
  done
}
trap cleanup EXIT

# java.lang opened for EventLoopCarrier (asupersync-tuned); the other servers ignore it
JVM_FLAGS=(--sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED
  "-Xms$HEAP" "-Xmx$HEAP" -XX:+AlwaysPreTouch)
for s in "${SERVERS[@]}"; do
  "$JAVA_HOME/bin/java" "${JVM_FLAGS[@]}" -cp "$JAR" io.asupersync.benchmarks.http.HttpLoadServer "$s" "$IO_THREADS" \
    >"$OUT/$s.log" 2>&1 &
  PID[$s]=$!
done
for s in "${SERVERS[@]}"; do
  for _ in $(seq 120); do
    grep -q '^listening ' "$OUT/$s.log" && break
    kill -0 "${PID[$s]}" 2>/dev/null || { echo "error: $s server exited:" >&2; cat "$OUT/$s.log" >&2; exit 1; }
    sleep 0.5
  done
  PORT[$s]=$(awk '/^listening /{print $2}' "$OUT/$s.log")
  [[ -n "${PORT[$s]}" ]] || { echo "error: $s server did not start" >&2; exit 1; }
  # the same answer from every server, over both protocols
  for proto in --http1.1 --http2-prior-knowledge; do
    body=$(curl -sS --max-time 10 "$proto" "http://127.0.0.1:${PORT[$s]}/")
    [[ "$body" == "Hello, World!" ]] || { echo "error: $s answered '$body' ($proto)" >&2; exit 1; }
  done
done

# run TOOL SERVER SECONDS: prints "requests/s requests failures server-cpu-us-per-request"
run() {
  local tool=$1 port=${PORT[$2]} seconds=$3 out ticks0 ticks1
  ticks0=$(cpu_ticks "${PID[$2]}")
  if [[ "$tool" == wrk ]]; then
    out=$(wrk -t1 -c"$CONNECTIONS" -d"${seconds}s" "http://127.0.0.1:$port/")
    ticks1=$(cpu_ticks "${PID[$2]}")
    awk -v t=$((ticks1 - ticks0)) -v hz="$HZ" '/Requests\/sec:/{rps=$2} /requests in/{n=$1} /Non-2xx/{f+=$NF} /Socket errors/{gsub(",","");f+=$4+$6+$8+$10}
         END{printf "%s %d %d %.2f\n", rps, n, f, n ? t * 1e6 / hz / n : 0}' <<<"$out"
  else
    out=$(h2load -c"$CONNECTIONS" -m"$STREAMS" -t1 -D "$seconds" "http://127.0.0.1:$port/")
    ticks1=$(cpu_ticks "${PID[$2]}")
    awk -v t=$((ticks1 - ticks0)) -v hz="$HZ" '/^finished in/{rps=$4} /^requests:/{n=$8; f=$10+$12} /^status codes:/{f+=$5+$7+$9}
         END{printf "%s %d %d %.2f\n", rps, n, f, n ? t * 1e6 / hz / n : 0}' <<<"$out"
  fi
}

# user + system CPU of a server process, in clock ticks: CPU per request is steadier than requests/s
# when the load generator and other processes share the cores
HZ=$(getconf CLK_TCK)
cpu_ticks() {
  awk '{print $14 + $15}' "/proc/$1/stat"
}

echo "# $(date -u +%FT%TZ) $(nproc) cpus, load average $(cut -d' ' -f1-3 /proc/loadavg); io threads $IO_THREADS," \
  "$CONNECTIONS connections, h2load $STREAMS streams each; runs of ${DURATION}s x $ROUNDS rounds" | tee "$OUT/summary.txt"

for s in "${SERVERS[@]}"; do
  for tool in "${TOOLS[@]}"; do
    prev="" total=0 runs=0 settled=no
    while (( runs < WARM_MAX_RUNS )); do
      read -r rps n failed _ < <(run "$tool" "$s" "$WARM_SECONDS")
      runs=$((runs + 1)) total=$((total + n))
      if [[ -n "$prev" ]] && (( total >= WARM_MIN_REQUESTS )) &&
        awk -v a="$prev" -v b="$rps" -v p="$WARM_AGREE" 'BEGIN{d=a-b; if(d<0)d=-d; exit !(d*100 <= p*(a>b?a:b))}'; then
        settled=yes
        break
      fi
      prev=$rps
    done
    echo "warm-up $s $tool: $runs runs, $total requests, last $rps req/s, settled=$settled" | tee -a "$OUT/summary.txt"
  done
done

for round in $(seq "$ROUNDS"); do
  # rotate the order so no server always runs first or right after another's load
  shift_by=$(( (round - 1) % ${#SERVERS[@]} ))
  order=("${SERVERS[@]:$shift_by}" "${SERVERS[@]:0:$shift_by}")
  for tool in "${TOOLS[@]}"; do
    for s in "${order[@]}"; do
      read -r rps n failed cpu < <(run "$tool" "$s" "$DURATION")
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$tool" "$s" "$rps" "$n" "$failed" "$cpu" | tee -a "$RESULTS"
    done
  done
done

echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/summary.txt"
python3 - "$RESULTS" <<'PY' | tee -a "$OUT/summary.txt"
import statistics, sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])]
runs = {}
cpus = {}
failed = 0
for _, tool, server, rps, n, f, cpu in rows:
    runs.setdefault((tool, server), []).append(float(rps))
    cpus.setdefault((tool, server), []).append(float(cpu))
    failed += int(f)
print(f"{'tool':8} {'server':17} {'median req/s':>13}  {'/netty':>6}  {'cpu us/req':>10}  {'netty/cpu':>9}  runs")
med = {}
cpu_med = {}
for key, values in sorted(runs.items()):
    med[key] = statistics.median(values)
    cpu_med[key] = statistics.median(cpus[key])
for (tool, server), m in med.items():
    netty = med.get((tool, "netty"))
    share = f"{m / netty:6.2f}" if netty else "     -"
    cpu = cpu_med[(tool, server)]
    netty_cpu = cpu_med.get((tool, "netty"))
    # server CPU per request relative to plain Netty's (> 1: cheaper per request than Netty)
    cpu_share = f"{netty_cpu / cpu:9.2f}" if netty_cpu and cpu else "        -"
    print(f"{tool:8} {server:17} {m:13.0f}  {share}  {cpu:10.2f}  {cpu_share}  {' '.join(f'{v:.0f}' for v in runs[(tool, server)])}")
for tool, label in (("wrk", "HTTP/1.1 (wrk)"), ("h2load", "h2c (h2load)")):
    for ours_name in ("asupersync", "asupersync-tuned"):
        if not all((tool, s) in med for s in (ours_name, "netty", "reactor")):
            continue
        ours = med[(tool, ours_name)]
        netty = ours / med[(tool, "netty")]
        reactor = ours / med[(tool, "reactor")]
        print(f"{label} {ours_name}: ours/netty {netty:.2f} (P7 goal >= 0.90: {'met' if netty >= 0.9 else 'NOT met'}), "
              f"ours/reactor {reactor:.2f} (P8 goal >= 1.00: {'met' if reactor >= 1.0 else 'NOT met'})")
print(f"failed requests in measured runs: {failed}")
PY
