#!/usr/bin/env bash
# Fuzzes each target for a given time with Jazzer (coverage-guided), one JVM per target.
#
#   fuzz/fuzz.sh [SECONDS] [Class#method ...]     default: 60 s, every target
#
# Instrumented for coverage: our packages and Netty's codecs (JAZZER_INSTRUMENT). The generated corpus
# goes to fuzz/.cifuzz-corpus/<Class>/<method> (not committed); a finding is written as a new seed
# under fuzz/src/test/resources/.../<Class>Inputs/<method>/ and fails the run. Per target the script
# prints libFuzzer's last status line (executions, coverage, features, corpus) and keeps the whole
# output in fuzz/target/fuzz-logs/<Class>.<method>.log.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds="${1:-60}"
shift || true
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
  targets=(
    Http1ServerFuzzTests#request
    Http2ServerFuzzTests#frames
    HpackFuzzTests#headerBlocks
    Http1ClientFuzzTests#response
    Http2ClientFuzzTests#response
    TraceFileFuzzTests#taggedReader
    NatsDecoderFuzzTests#decoder
    NatsJsonFuzzTests#document
    GrpcHealthFuzzTests#messages
    WebSocketHandshakeFuzzTests#upgradeRequest
  )
  # targets of other modules' decoders, when present on this branch
  for t in RespDecoderFuzzTests#decode WebSocketFrameFuzzTests#frameReader GrpcFramingFuzzTests#messageFraming GrpcFramingFuzzTests#timeoutAndStatusMessage; do
    if [[ -f "fuzz/src/test/java/io/asupersync/fuzz/${t%%#*}.java" ]] && grep -q "void ${t##*#}(" "fuzz/src/test/java/io/asupersync/fuzz/${t%%#*}.java"; then
      targets+=("$t")
    fi
  done
fi

export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export PATH="$JAVA_HOME/bin:$PATH"
export JAZZER_FUZZ=1
export JAZZER_INSTRUMENT="${JAZZER_INSTRUMENT:-io.asupersync.**,io.netty.handler.codec.**}"
export JAZZER_MAX_DURATION="${seconds}s"

mkdir -p fuzz/target/fuzz-logs
status=0
for target in "${targets[@]}"; do
  log="fuzz/target/fuzz-logs/${target/\#/.}.log"
  echo "== $target (${seconds}s)"
  if ! mvn -B -o -pl fuzz -am test -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false \
      -Djazzer.max_duration="${seconds}s" -Djazzer.instrument="$JAZZER_INSTRUMENT" >"$log" 2>&1; then
    echo "   FAILED (finding or error): see $log"
    status=1
  fi
  # libFuzzer status lines: "#<execs> <event> cov: <edges> ft: <features> corp: <n>/<size> ... exec/s: <n>"
  grep -ahoE '#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)[^"]*cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9]+[a-zA-Z]* .*exec/s: [0-9]+' \
    "$log" fuzz/target/surefire-reports/*.txt fuzz/target/surefire-reports/*-output.txt 2>/dev/null | tail -1 | sed 's/^/   /' || true
done
exit $status
