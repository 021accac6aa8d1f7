/** The opening of docs/api.md: what the API is, how to run it, health and catalogue (live outputs through `ex`). */
export function introSection(modelsDir: string, version: string, shown: string, ex: (cmd: string) => string): string {
  return `# HTTP API

\`radio-mtl serve\` serves power allocation (routed multi-task DNN, exact solver, IPM) and
KPI inference (LSTM multi-task model) behind one HTTP API. The contract is
[\`openapi.yaml\`](../openapi.yaml) (OpenAPI 3.1): every request **and** every response is
validated against it at run time (ajv), and \`src/server/generated/api.ts\` is generated from
it (\`npm run generate:api\`; a test fails when the generated file is stale). The rendered
contract is served at \`/docs\` (Swagger UI from the installed package, no network needed).

Every output on this page is real: \`npm run docs:api\` started the server over \`${modelsDir}/\`
and ran each command (radio-mtl ${version}, ${new Date().toISOString().slice(0, 10)}).

## Running it

\`\`\`sh
npm ci && npm start                        # serves models/ on http://127.0.0.1:8080
PORT=9000 npm start                        # another port
./bin/radio-mtl serve --models models --host 0.0.0.0 --port 8080 --workers 2
RADIO_MTL_API_TOKEN=change-me npm start    # require "Authorization: Bearer change-me" on /v1/* and /v2/models/*
\`\`\`

| option | default | meaning |
|---|---|---|
| \`--models DIR\` | \`models\` | every subdirectory holding a saved model (\`current.json\`) is loaded, verified (sha256 of every model file), warmed up and served; the directory must exist (exit 2 otherwise). A subdirectory that is corrupted, edited or not a model is refused with a log line: the others are served, but readiness stays 503 (\`state: failed\`) |
| \`--no-models\` | | serve the \`exact\` and \`ipm\` solvers only (ready without any model) |
| \`--solver-threads N\` | cores − 1, at least 1 | worker threads for heavy \`exact\`/\`ipm\` solves (cheap ones run inline) |
| \`--host\`, \`--port\` | \`127.0.0.1\`, \`$PORT\` else 8080 | listen address (\`--port 0\` picks a free port) |
| \`--workers N\` | 1 | processes sharing the port (node:cluster); a worker that dies is replaced |
| \`--max-batch-size\` | 256 | dynamic batching: rows per DNN forward pass at most |
| \`--max-queue-delay-us\` | 0 | dynamic batching: how long a request may wait for others (0: requests that arrive in the same event-loop turn share a pass, at no added latency) |
| \`--max-queue-size\` | 8192 | rows queued per model and task; beyond it 503 \`queue-full\` |
| \`--max-body-bytes\` | 1048576 | larger bodies get 413 |
| \`--request-timeout-ms\` | 10000 | a request not answered in time gets 503 \`timeout\` then, and its solve (on a worker thread) is stopped; one whose body has not fully arrived gets 408 \`request-timeout\` |
| \`--shutdown-grace-ms\` | 10000 | on SIGTERM/SIGINT: readiness turns false, the port closes, every request already received is answered (new ones on open connections: 503 \`shutting-down\`), connections still busy after this are cut, exit 0 |
| \`--no-lambda-warmup\` | | skip computing sum-capacity λ* for N = 5..20 before readiness |
| \`--log-level\` | info | pino logs on stdout: JSON lines, or readable lines (local time, level, message) when stdout is a terminal (pino-pretty); the Authorization header and the token are never logged |

Without \`RADIO_MTL_API_TOKEN\` the server logs \`auth disabled: RADIO_MTL_API_TOKEN is not set\` at start.
With it, \`/v1/*\` and \`/v2/models/*\` require the bearer token; health, readiness, server
metadata (\`GET /v2\`), metrics and docs stay open.
A token must be one word of RFC 6750 token characters (letters, digits, \`-._~+/\`, trailing
\`=\`): one with a space could never match, so \`serve\` refuses it (exit 2). Logs carry request
paths without query strings, so a token a client puts in a URL is not logged.
Security headers come from helmet.

## Endpoints

| method and path | what |
|---|---|
| \`POST /v1/allocate\` | powers for one gain vector or a batch: \`solver\` \`dnn\` (default), \`exact\` or \`ipm\` |
| \`POST /v1/kpi/predict\` | next-step RSRP/RSRQ/SINR and interference probability for windows of raw measurements |
| \`POST /v1/kpi/calibrate\` | a cell's calibration profile from its unlabelled history (rows of raw measurements), to send back with \`/v1/kpi/predict\` |
| \`POST /v1/kpi/detect\` | one cell's measurement series (up to 100,000 rows) in: per-row interference probability and forecasts, and the alert episodes of the alerting rule, [below](#interference-episodes-of-a-cell-post-v1kpidetect) |
| \`GET /ui\` | a page for one cell: drop a CSV, see its episodes and the same report as \`radio-mtl kpi detect --out\` |
| \`GET /v1/tasks\` | (problem, N) pairs, their solvers and models, and the request limits |
| \`GET /v1/models\` | loaded models (version = first 12 hex digits of the weights' sha256, training manifest summary) and refused ones |
| \`GET /v2\`, \`GET /v2/models/{name}\`, \`GET /v2/models/{name}/ready\`, \`POST /v2/models/{name}/infer\`, and the same three under \`GET /v2/models/{name}/versions/{version}\`, \`GET /v2/models/{name}/versions/{version}/ready\`, \`POST /v2/models/{name}/versions/{version}/infer\` | the Open Inference Protocol (KServe V2) for every loaded model, [below](#open-inference-protocol-kserve-v2) |
| \`GET /v2/health/live\` | liveness (200 while the process answers) |
| \`GET /v2/health/ready\` | readiness: 200 once every model under \`--models\` is loaded and warmed up; 503 while loading, when any is refused or there is none (\`state: failed\`, \`detail\` says why), and while shutting down |
| \`GET /metrics\` | Prometheus: request counts and latencies per route, DNN batch sizes and queue waits, allocations, models loaded/refused, process metrics |
| \`GET /docs\`, \`GET /openapi.json\` | rendered documentation, and the contract as JSON |

Units: gains are linear SNR per watt (1/W; \`|h|²\` under the normalised-SNR model), powers
in W, the fdma-delay objective in s (mean delay), the sum-capacity objective in bits/s/Hz
(log2(1 + Σ g P)); RSRP in dBm, RSRQ and SINR in dB.

## Examples

### Health and readiness

${ex(`curl -s ${shown}/v2/health/live`)}

${ex(`curl -s ${shown}/v2/health/ready`)}

### Tasks and models

${ex(`curl -s ${shown}/v1/tasks | jq -c '.tasks[]' | head -4`)}

${ex(`curl -s ${shown}/v1/tasks | jq -c '.limits'`)}

${ex(`curl -s ${shown}/v1/models | jq -c '.models[] | {name, kind, version, scheme, architecture, windowLength, tasks: (if .tasks then (.tasks | length) else null end)} | with_entries(select(.value != null))'`)}

Each model carries a summary of its training manifest (\`manifest\`); for example the keys:

${ex(`curl -s ${shown}/v1/models | jq -c '.models[] | {name, manifest: (.manifest | keys)}'`)}
`;
}
