#!/usr/bin/env bash
# Builds the container images and smoke-tests them as production runs them: the runtime image
# read-only, as uid 1000, every capability dropped; ready, one answer per model family, /metrics,
# a SIGTERM while requests are in flight (every one answered, exit 0); then the `sweeps` image
# runs one tiny shard of reproduce:allocation. Engine-neutral: docker when its daemon answers,
# else podman (CONTAINER_ENGINE=docker|podman overrides).
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: npm run container:test [-- [--max-image-mb N] [--keep]]

Builds the Dockerfile's runtime and sweeps targets and checks them (see the script's header).
  --max-image-mb N   fail when the runtime image is larger (default 450)
  --keep             keep the images afterwards (default: removed)
  --help             this text
Environment: CONTAINER_ENGINE=docker|podman (default: docker if its daemon answers, else podman).
EOF
}

MAX_MB=450
KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --help | -h) usage; exit 0 ;;
    --max-image-mb)
      [[ "${2:-}" =~ ^[0-9]+$ ]] || { echo "container-test: --max-image-mb needs a whole number of MB" >&2; exit 2; }
      MAX_MB=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    *) echo "container-test: unknown option $1 (options: --max-image-mb, --keep, --help)" >&2; exit 2 ;;
  esac
done

ENGINE=${CONTAINER_ENGINE:-}
if [ -z "$ENGINE" ]; then
  if docker info >/dev/null 2>&1; then ENGINE=docker
  elif command -v podman >/dev/null 2>&1; then ENGINE=podman
  else echo "container-test: no container engine: install docker or podman (or set CONTAINER_ENGINE)" >&2; exit 2
  fi
fi
# podman checks the base image locally only (--pull=never); docker's flag differs.
PULL=()
[ "$ENGINE" = podman ] && PULL=(--pull=never)

cd "$(dirname "$0")/.."
TAG=radio-mtl:container-test
SWEEPS_TAG=radio-mtl-sweeps:container-test
NAME=radio-mtl-container-test-$$
WORK=$(mktemp -d)
cleanup() {
  "$ENGINE" rm -f "$NAME" >/dev/null 2>&1 || true
  [ "$KEEP" = 1 ] || "$ENGINE" rmi -f "$TAG" "$SWEEPS_TAG" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
step() { echo "container-test: $*"; }
fail() { echo "container-test: FAILED: $*" >&2; "$ENGINE" logs "$NAME" 2>&1 | tail -20 >&2 || true; exit 1; }

step "building the runtime image with $ENGINE"
"$ENGINE" build "${PULL[@]}" -q -t "$TAG" . >/dev/null
BYTES=$("$ENGINE" image inspect "$TAG" --format '{{.Size}}')
MB=$((BYTES / 1000000))
step "runtime image: $MB MB (limit $MAX_MB MB)"
[ "$MB" -le "$MAX_MB" ] || fail "the runtime image is $MB MB, above $MAX_MB MB"

PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
"$ENGINE" run -d --name "$NAME" --read-only --user 1000:1000 --cap-drop=ALL -p "127.0.0.1:$PORT:8080" "$TAG" >/dev/null
URL=http://127.0.0.1:$PORT
START=$(date +%s)
until curl -sf "$URL/v2/health/ready" >/dev/null; do
  [ $(($(date +%s) - START)) -lt 120 ] || fail "not ready within 120 s"
  [ "$("$ENGINE" inspect "$NAME" --format '{{.State.Running}}')" = true ] || fail "the container exited before it was ready"
  sleep 1
done
step "ready in $(($(date +%s) - START)) s"

[ "$("$ENGINE" exec "$NAME" id -u)" = 1000 ] || fail "the server does not run as uid 1000"
for dir in / /app /app/models; do
  if "$ENGINE" exec "$NAME" sh -c "touch $dir/.write-probe" 2>/dev/null; then fail "$dir is writable"; fi
done
step "runs as uid 1000; /, /app and /app/models are read-only"

post() { curl -s -o "$WORK/$1.json" -w '%{http_code}' -X POST "$URL$2" -H 'content-type: application/json' --data-binary "$3"; }
expect_json() { node -e "const b=require('$WORK/$1.json'); if (!($2)) { console.error(JSON.stringify(b).slice(0, 400)); process.exit(1); }" || fail "$1: $3"; }

[ "$(post alloc /v1/allocate '{"problem":"fdma-delay","solver":"dnn","gains":[1.2,0.3,2.5,0.7,1.9]}')" = 200 ] || fail "/v1/allocate did not answer 200"
expect_json alloc 'b.solvedBy === "dnn" && b.power.length === 5 && b.power.every((p) => p > 0)' "the DNN did not allocate"
[ "$(post interference /v1/allocate '{"problem":"interference","gains":[[1.9,0.1,0.3,0.05,0.2],[0.4,2.2,0.1,0.6,0.1],[0.2,0.3,0.8,0.1,0.9],[0.1,0.7,0.2,1.4,0.3],[0.6,0.2,0.1,0.4,1.1]]}')" = 200 ] || fail "/v1/allocate (interference) did not answer 200"
expect_json interference 'b.solvedBy === "dnn" && b.power.length === 5 && b.power.every((p) => p >= 0 && p <= 1)' "the interference DNN did not allocate"
[ "$(post kpi /v1/kpi/predict @docs/examples/kpi-request.json)" = 200 ] || fail "/v1/kpi/predict did not answer 200"
expect_json kpi 'b.predictions.length > 0 && b.predictions.every((p) => p.interferenceProbability >= 0 && p.interferenceProbability <= 1)' "no KPI prediction"
curl -sf "$URL/v1/models" > "$WORK/models.json" || fail "/v1/models did not answer"
SHIPPED=$(find models -mindepth 1 -maxdepth 1 -type d | wc -l)
expect_json models "b.models.length === $SHIPPED && b.models.every((m) => m.engine === 'onnxruntime')" "every shipped model ($SHIPPED) should run on ONNX Runtime"
curl -sf "$URL/metrics" > "$WORK/metrics.txt" || fail "/metrics did not answer"
grep -q '^radio_mtl_http_requests_total' "$WORK/metrics.txt" || fail "/metrics has no request counter"
step "allocation, interference and KPI answered, every shipped model on ONNX Runtime; /metrics served"

# SIGTERM while requests are in flight: 8 clients each ask the interior-point solver for two
# 200-user allocations (about half a second of work each, a small body, so every request is
# received at once), the engine stops the container (SIGTERM, then SIGKILL after 30 s); every
# request must get its 200 and the process must exit 0. One finishing after the signal shows
# the check saw requests in flight.
node -e '
  const row = Array.from({ length: 200 }, (_, i) => 0.1 + ((i * 7919) % 1000) / 250);
  process.stdout.write(JSON.stringify({ problem: "fdma-delay", solver: "ipm", gains: [row, row.slice().reverse()] }));' > "$WORK/ipm.json"
CLIENTS=8
for i in $(seq 1 $CLIENTS); do
  (code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$URL/v1/allocate" -H 'content-type: application/json' --data-binary @"$WORK/ipm.json") || true
   echo "${code:-none} $(date +%s%N)" > "$WORK/inflight-$i") &
done
sleep 0.5
SIGNALLED=$(date +%s%N)
"$ENGINE" stop -t 30 "$NAME" >/dev/null
wait
EXIT=$("$ENGINE" inspect "$NAME" --format '{{.State.ExitCode}}')
[ "$EXIT" = 0 ] || fail "exit code $EXIT after SIGTERM"
LATE=0
for i in $(seq 1 $CLIENTS); do
  read -r code at < "$WORK/inflight-$i"
  [ "$code" = 200 ] || fail "request $i, sent before SIGTERM, got $code"
  if [ "$at" -gt "$SIGNALLED" ]; then LATE=$((LATE + 1)); fi
done
[ "$LATE" -gt 0 ] || fail "no request was still in flight at SIGTERM (the check proves nothing): make them heavier"
"$ENGINE" logs "$NAME" 2>&1 | grep 'SIGTERM received' >/dev/null || fail "the server did not log SIGTERM"
step "SIGTERM: $CLIENTS of $CLIENTS requests answered 200 ($LATE finished after the signal), exit 0"

step "building the sweeps image"
"$ENGINE" build "${PULL[@]}" -q --target sweeps -t "$SWEEPS_TAG" . >/dev/null
# One shard of two of the allocation reproduction, single-task scheme, tiny budgets, into a
# scratch volume: proves the image has the scripts, tsx and the data path they need.
chmod 777 "$WORK"
"$ENGINE" run --rm --user 1000:1000 --cap-drop=ALL -v "$WORK:/sweeps" "$SWEEPS_TAG" sh -c '
  ./bin/radio-mtl dataset --out /sweeps/runs/data --train 300 --test 100 &&
  npm run --silent reproduce:allocation -- --shard 1/2 --schemes single-task --t1 20 --t2 20 --jobs 1 \
    --ref-samples 2000 --runs /sweeps/runs --out /sweeps/results --models /sweeps/models' > "$WORK/sweep.log" 2>&1 \
  || { tail -20 "$WORK/sweep.log" >&2; fail "the sweeps shard failed"; }
[ -f "$WORK/runs/single-task/current.json" ] || { tail -20 "$WORK/sweep.log" >&2; fail "the sweeps shard saved no model"; }
step "sweeps image trained its shard (runs/single-task saved)"
step "passed"
