/**
 * `npm run docs:api`: regenerates docs/api.md. Starts `radio-mtl serve` over --models
 * (default models/) on a free port of 127.0.0.1, runs every curl example of the page
 * against it with the real curl, and writes the page with the commands (shown with port
 * 8080, the default) and their real output. Tables of error codes and limits come from
 * the server's own tables, so the page cannot drift from the code.
 */
import { introSection } from './api-docs-intro.js';
import { detectSection } from './api-docs-detect.js';
import { execSync } from 'node:child_process';
import { resolve } from 'node:path';
import { MAX_MISSING_FRACTION } from '../../src/measurements/gaps.js';
import { ERROR_TABLE } from '../../src/server/errors.js';
import { SOLVER_LIMITS } from '../../src/server/limits.js';
import { writeFileAtomic } from '../../src/io/atomic-write.js';
import { VERSION } from '../../src/version.js';
import { opt, readScriptOptions, ROOT as root } from '../shared/lib.js';
import { startServe, stopServe } from '../shared/serve-process.js';

readScriptOptions({
  name: 'docs:api',
  summary: 'Regenerates docs/api.md: starts radio-mtl serve over --models, runs every curl example of the page against it, writes the page with the real outputs.',
  options: {
    models: { value: 'DIR', help: 'the models to serve (default models)' },
    out: { value: 'FILE', help: 'the page to write (default docs/api.md)' },
  },
});
const args = { models: opt('models', 'models'), out: opt('out', 'docs/api.md') };
const SHOWN = 'http://127.0.0.1:8080';
function sh(cmd: string, url: string): string {
  return execSync(cmd.replaceAll(SHOWN, url), { cwd: root, encoding: 'utf8', shell: '/bin/bash' }).trimEnd();
}

async function main(): Promise<void> {
  const server = await startServe(['--models', resolve(args.models), '--port', '0'], { from: 'source', timeoutMs: 180_000 });
  const ex = (cmd: string) => `\`\`\`console\n$ ${cmd}\n${sh(cmd, server.url)}\n\`\`\``;
  const models = JSON.parse(sh(`curl -s ${SHOWN}/v1/models`, server.url)) as {
    models: Array<{ name: string; kind: string; windowLength?: number; scalers?: string[]; tasks?: Array<{ problem: string; n: number }> }>;
  };
  const alloc = models.models.find((m) => m.kind === 'allocation');
  const kpi = models.models.find((m) => m.kind === 'kpi');
  const kpiScaler = kpi?.scalers?.find((x) => x.startsWith('Lvl_5')) ?? kpi?.scalers?.[1] ?? 'pooled';
  const parts: string[] = [];
  parts.push(introSection(args.models, VERSION, SHOWN, ex));
  if (alloc) {
    parts.push(`### Allocation with the DNN (default solver)

One instance: the response has scalars (\`batch: false\`).

${ex(`curl -s ${SHOWN}/v1/allocate -H 'Content-Type: application/json' -d '{"problem": "fdma-delay", "gains": [0.8, 1.7, 0.3, 2.4, 1.1]}' | jq .`)}

A batch (an array of gain vectors of the same N): the response has arrays.

${ex(`curl -s ${SHOWN}/v1/allocate -H 'Content-Type: application/json' -d '{"problem": "sum-capacity", "solver": "dnn", "gains": [[0.8, 1.7, 0.3, 2.4, 1.1], [1.2, 0.4, 0.9, 0.1, 3.0]]}' | jq -c .`)}

The DNN serves only the sizes it was trained for: any other N is a 422 naming them.

${ex(`curl -si ${SHOWN}/v1/allocate -H 'Content-Type: application/json' -d '{"problem": "fdma-delay", "gains": [1, 2, 3]}' | grep -iE '^(HTTP|content-type)|^\\{'`)}
`);
  } else {
    parts.push(`### Allocation with the DNN

No allocation model was loaded when this page was generated; \`solver: dnn\` answers:

${ex(`curl -s ${SHOWN}/v1/allocate -H 'Content-Type: application/json' -d '{"problem": "fdma-delay", "gains": [0.8, 1.7, 0.3, 2.4, 1.1]}'`)}
`);
  }
  parts.push(`### Allocation with the exact solver and the IPM

${ex(`curl -s ${SHOWN}/v1/allocate -H 'Content-Type: application/json' -d '{"problem": "fdma-delay", "solver": "exact", "gains": [0.8, 1.7, 0.3, 2.4, 1.1]}' | jq -c .`)}

${ex(`curl -s ${SHOWN}/v1/allocate -H 'Content-Type: application/json' -d '{"problem": "fdma-delay", "solver": "ipm", "gains": [0.8, 1.7, 0.3, 2.4, 1.1]}' | jq -c .`)}

${ex(`curl -s ${SHOWN}/v1/allocate -H 'Content-Type: application/json' -d '{"problem": "sum-capacity", "solver": "exact", "gains": [0.8, 1.7, 0.3, 2.4, 1.1]}' | jq -c .`)}

\`lambda\` is the dual variable λ* of the per-user average budget for that N (Monte Carlo,
200,000 samples, computed once per N and cached; N = 5..20 are computed at start).
`);
  parts.push(`### Power control in the K-user interference channel (\`problem: "interference"\`: a K x K matrix, row k the gains into receiver k, or a batch; \`objective\` is the sum rate, bits/s/Hz)

${ex(`curl -s ${SHOWN}/v1/allocate -H 'Content-Type: application/json' -d '{"problem": "interference", "gains": [[1.9, 0.1, 0.3, 0.05, 0.2], [0.4, 2.2, 0.1, 0.6, 0.1], [0.2, 0.3, 0.8, 0.1, 0.9], [0.1, 0.7, 0.2, 1.4, 0.3], [0.6, 0.2, 0.1, 0.4, 1.1]]}' | jq -c .`)}
`);
  if (kpi) {
    parts.push(`### KPI prediction

[\`docs/examples/kpi-request.json\`](examples/kpi-request.json) holds two real windows of ${kpi.windowLength}
measurements from the test part (last 10%) of the FccIQ file \`Lvl_5_AllRRUOn_Anomaly_label.csv\`:
the first has no interference (\`lab_inf\` = 0 at its last step; the next row is
RSRP -90.0 dBm, RSRQ -10.4 dB, SINR 27.1 dB), the second is under interference (\`lab_inf\` = 1;
next row -92.4, -11.5, 9.0). Values are raw (dBm, dB); the model's saved scalers do the scaling.

${ex(`curl -s ${SHOWN}/v1/kpi/predict -H 'Content-Type: application/json' -d @docs/examples/kpi-request.json | jq .`)}

\`scaler\` picks one of the min-max scalers saved with the model (\`GET /v1/models\` lists them;
default \`pooled\`, the per-column range over all of them). To scale as during training on that file:

${ex(`jq -c '. + {scaler: "${kpiScaler}"}' docs/examples/kpi-request.json | curl -s ${SHOWN}/v1/kpi/predict -H 'Content-Type: application/json' -d @- | jq -c '{scaler, predictions}'`)}

A window of the wrong length is a 422 naming it:

${ex(`curl -s ${SHOWN}/v1/kpi/predict -H 'Content-Type: application/json' -d '{"windows": [[[-95, -11, 12], [-96, -11.5, 11]]]}' | jq -c .`)}

Real feeds have gaps: a missing value is \`null\`. Each column's gaps are filled before scaling
(the last observed value carried forward; a gap at the start takes the column's first value),
for every model, and \`imputed\` counts the values filled in each window. At most
${100 * MAX_MISSING_FRACTION}% of a window's values may be missing, and each column needs a value in the steps
the model reads (its LSTM context, the window's last steps); beyond that the window is refused,
named with the rule. With 10% of the values missing at random the served model's balanced
accuracy drops by under half a point ([\`results/kpi/gaps.md\`](../results/kpi/gaps.md)).

${ex(`jq -c '.windows[0][20][0] = null | .windows[0][34][2] = null' docs/examples/kpi-request.json | curl -s ${SHOWN}/v1/kpi/predict -H 'Content-Type: application/json' -d @- | jq -c '.predictions | map({interference, sinr, imputed})'`)}

${ex(`jq -c '.windows[1] |= map([.[0], .[1], null])' docs/examples/kpi-request.json | curl -s ${SHOWN}/v1/kpi/predict -H 'Content-Type: application/json' -d @- | jq -c .`)}
`);
  } else {
    parts.push(`### KPI prediction

No KPI model was loaded when this page was generated:

${ex(`curl -s ${SHOWN}/v1/kpi/predict -H 'Content-Type: application/json' -d '{"windows": [[[-95, -11, 12]]]}'`)}
`);
  }
  parts.push(detectSection(SHOWN, ex, kpi?.name));
  const modelName = (m: { name: string } | undefined) => m?.name ?? 'MODEL';
  parts.push(`## Open Inference Protocol (KServe V2)

Beside \`/v1\`, every loaded model is served over the Open Inference Protocol's REST API
(the protocol KServe, Triton and Seldon speak), so their clients and tooling work unchanged:
\`GET /v2\` (server metadata), \`GET /v2/models/{name}\` (inputs and outputs with datatypes and
shapes; -1 is a dimension of any size), \`GET /v2/models/{name}/ready\` (200 for a loaded model)
and \`POST /v2/models/{name}/infer\`, each also as
\`/v2/models/{name}/versions/{version}[/ready|/infer]\`, plus the \`/v2/health/*\` above. A model
has one version, the one its metadata lists in \`versions\` and its answers in \`model_version\`:
the first 12 hex digits of its weights' sha256 (as in \`GET /v1/models\`), so a client that names
it gets exactly those weights; any other version is a 404. Inference only
translates: the input tensor becomes the \`/v1\` request of the model's family and the \`/v1\`
answer becomes output tensors, so validation, domain checks, batching (\`/v1\` and \`/v2\`
requests share forward passes) and numbers are those of \`/v1\` (tests compare both with the
shipped models).

| model family | input | request parameters | outputs |
|---|---|---|---|
| allocation | \`gains\` \`[batch, N]\`, FP64 (FP32 accepted) | \`problem\`: \`fdma-delay\` or \`sum-capacity\` (required) | \`power\` \`[batch, N]\` FP64 (W), \`objective\` \`[batch]\` FP64, \`solved_by\` \`[batch]\` BYTES (\`dnn\`, or \`exact\` outside the trained range) |
| KPI | \`windows\` \`[batch, window, 3]\` FP32 (FP64, numpy's default, accepted and rounded to FP32 as the model computes): raw RSRP dBm, RSRQ dB, SINR dB | \`profile\`: the cell's calibration profile from \`POST /v1/kpi/calibrate\`, as JSON text (optional) | \`interference_probability\` \`[batch]\` FP64, \`kpi_next\` \`[batch, 3]\` FP64 (next RSRP, RSRQ, SINR), \`extrapolated\` \`[batch]\` BOOL |

Data may be flat (row-major) or nested in the shape (deeper nesting is a 400); answers are flat. The protocol has no missing
values: a \`null\` in \`data\` is a 400 (KPI windows with gaps go to \`/v1/kpi/predict\`). \`outputs\` picks outputs by name;
\`id\` is echoed. Without \`profile\` the KPI models use their default scaler (\`pooled\`).
Not supported: the
binary tensor extension (\`binary_data_output\` is accepted and answered as JSON, the form
tritonclient reads) and the gRPC API. A body without
\`Content-Type\` is read as JSON (tritonclient sends none). \`test/server/oip-conformance.test.ts\`
checks every kind of answer (health, metadata, readiness and inference on both path forms,
errors) against schemas written from the protocol's specification
(kserve/open-inference-protocol, \`specification/protocol/inference_rest.md\`).

${ex(`curl -s ${SHOWN}/v2`)}

${ex(`curl -s ${SHOWN}/v2/models/${modelName(alloc)} | jq -c .`)}

${ex(`curl -s ${SHOWN}/v2/models/${modelName(alloc)}/infer -H 'Content-Type: application/json' -d '{"parameters": {"problem": "fdma-delay"}, "inputs": [{"name": "gains", "shape": [2, 5], "datatype": "FP64", "data": [0.8, 1.7, 0.3, 2.4, 1.1, 1.2, 0.4, 0.9, 0.1, 3.0]}]}' | jq -c .`)}

The KPI example request above as a tensor:

${ex(`jq -c '{inputs: [{name: "windows", shape: [(.windows | length), (.windows[0] | length), 3], datatype: "FP32", data: [.windows[][][]]}]}' docs/examples/kpi-request.json | curl -s ${SHOWN}/v2/models/${modelName(kpi)}/infer -H 'Content-Type: application/json' -d @- | jq -c .`)}

Errors are the protocol's \`{"error": "..."}\`, from the same table as on \`/v1\` (the detail
names the field and the rule; for \`gains/0/3\` read row 0, column 3 of the input): 404 for a
model that is not loaded (unknown, refused or still loading), 400 for a request that cannot
be served (the protocol has no 422: \`/v1\`'s 422 errors are 400 here), other statuses as on
\`/v1\` (401, 413, 415, 503). Malformed HTTP and oversized headers, found before a request
reaches an endpoint, stay problem+json.

${ex(`curl -si ${SHOWN}/v2/models/${modelName(alloc)}/infer -H 'Content-Type: application/json' -d '{"parameters": {"problem": "fdma-delay"}, "inputs": [{"name": "gains", "shape": [1, 5], "datatype": "INT32", "data": [1, 2, 3, 4, 5]}]}' | grep -iE '^(HTTP|content-type)|^\\{'`)}

${ex(`curl -s ${SHOWN}/v2/models/${modelName(alloc)}/infer -H 'Content-Type: application/json' -d '{"parameters": {"problem": "fdma-delay"}, "inputs": [{"name": "gains", "shape": [1, 5], "datatype": "FP64", "data": [1, 2, 3, 4, 2e12]}]}'`)}

${ex(`curl -s ${SHOWN}/v2/models/nope/ready`)}

${ex(`curl -s ${SHOWN}/v2/models/${modelName(alloc)}/versions/1/ready`)}

## Errors

Every error is an RFC 9457 \`application/problem+json\` body from one table
(\`src/server/errors.ts\`): \`type\` is \`urn:radio-mtl:problem:<code>\`, \`title\` is fixed per
code, \`detail\` names the field and the rule, \`errors\` lists every schema violation as a
JSON pointer and a message. No response ever carries a stack trace or NaN.

${ex(`curl -s ${SHOWN}/v1/allocate -H 'Content-Type: application/json' -d '{"problem": "fdma-delay", "gains": [1, -2, "x"], "solver": "fast"}' | jq .`)}

${ex(`curl -s ${SHOWN}/v1/allocate -H 'Content-Type: application/json' -d '{"problem": "sum-capacity", "gains": [1, 1e999]}' | jq -c '{status, code, detail}'`)}

${ex(`curl -s ${SHOWN}/v1/allocate -H 'Content-Type: application/json' -d '{"problem": "fdma-delay", "solver": "exact", "gains": [[1, 2], [3, 0]]}' | jq -c '{status, code, detail}'`)}

${ex(`curl -s ${SHOWN}/v1/allocate -H 'Content-Type: application/json' -d '{"problem": "sum-capacity", "solver": "ipm", "gains": [1, 2]}' | jq -c '{status, code, detail}'`)}

${ex(`curl -s ${SHOWN}/v1/allocate -H 'Content-Type: application/json' -d '{"problem": "fdma-delay", "gains": [1, 2' | jq -c '{status, code, detail}'`)}

${ex(`curl -s ${SHOWN}/v1/allocate -d 'problem=fdma-delay' | jq -c '{status, code, detail}'`)}

| code | status | title |
|---|---:|---|
${Object.entries(ERROR_TABLE)
  .map(([code, e]) => `| \`${code}\` | ${e.status} | ${e.title} |`)
  .join('\n')}

## Limits

| limit | value |
|---|---|
| instances per request (batch) | 1024 |
| gains per instance (any solver, schema) | 1000 |
| windows per KPI request | 1024 |
| rows per detection (\`/v1/kpi/detect\`) | 100,000 |
| body | 1 MiB (\`--max-body-bytes\`; 4 MiB for \`/v1/kpi/calibrate\`, 16 MiB for \`/v1/kpi/detect\`), 413 beyond: at once when \`Content-Length\` declares more, and a chunked body is not read past the limit (the 413 is sent and the connection closed) |
| headers | 16 KiB, 431 \`headers-too-large\` beyond |
${SOLVER_LIMITS.map((l) => `| N for \`${l.solver}\` on ${l.problem} | ${l.maxUsers} (422 \`too-many-users\` beyond) |`).join('\n')}
| N for \`dnn\` | the sizes the model was trained for (\`GET /v1/tasks\`), 422 \`unsupported-size\` otherwise |

The IPM is dense O(N³) per Newton step, and sum-capacity's λ* for a new N costs a Monte
Carlo run of 200,000 × N samples (about 30 ms per user on the build machine), hence the caps.
Such solves (every \`ipm\` request, \`exact\` batches of more than 16,384 gains, sum-capacity
for an N whose λ* is not computed yet) run on worker threads, so liveness and cheap requests
are answered meanwhile; one still running at \`--request-timeout-ms\` gets 503 \`timeout\` and
its thread is stopped. Large KPI requests yield the event loop as they go: a calibration's
body is parsed, validated and summarised on a worker thread (only its forward passes run on
the event loop), a prediction's windows are checked and filled 128 per turn, a body over
256 KiB is validated on the turn after its parse, ONNX Runtime runs 128 windows at a time, and
calibrations run one at a time. A body is validated in time linear in its size: a large invalid body
is refused about as fast as it is parsed, naming its first error (smaller ones list every
error, one line per rule broken).
Input domain (the schema states it; \`src/solvers/gain-domain.ts\`, \`src/measurements/domain.ts\`):

- **gains** lie in [1e-12, 1e12] for fdma-delay and [0, 1e12] for sum-capacity (±120 dB
  around the normalised mean of 1). Outside: 422 \`invalid-gains\` naming the field (400
  \`invalid-request\` is for bodies of the wrong shape or type). Inside the domain every solver answers
  correctly; an \`ipm\` answer more than 1e-6 above the exact optimum is refused (422
  \`unsupported-solver\`), never returned.
- **dnn**: an instance is answered by the network only when every gain g / mean lies in the
  range it was trained on (Exp(1) quantiles of tail probability 1e-7: 1e-7 .. 16.1); the
  exact solver answers the others, and \`solvedBy\` (\`dnn\` or \`exact\`, one per instance) says
  which. A zero sum-capacity gain is therefore answered exactly.
- **KPI measurements** lie in the 3GPP reporting ranges (TS 38.133): RSRP −156..−31 dBm,
  RSRQ −43..20 dB, SINR −23..40 dB; outside, 422 \`invalid-window\` naming window, step and
  column. A missing one is \`null\` (filled, counted in \`imputed\`; limits above). Predictions are never clamped: \`extrapolated: true\` marks one whose window leaves
  the range of the scaler used (what the model was trained on) or that itself leaves the
  reporting range.

## Metrics

${ex(`curl -s ${SHOWN}/metrics | grep -E '^radio_mtl_(http_requests_total|allocations_total|models_loaded|models_refused|dnn_batch_rows_count)' | head -12`)}

## Serving behaviour

- **Dynamic batching** (\`src/server/batcher.ts\`, Triton's \`max_batch_size\` and
  \`max_queue_delay_us\`): concurrent \`dnn\` requests for the same model and task are queued
  and run as one forward pass; each request gets its own rows back. A bad request is
  rejected before it is queued, so it never fails the batch it would have shared.
- **Engines** (\`src/dnn/allocation/predict.ts\`, \`src/dnn/kpi/predict.ts\`): each model is
  read and checksummed once, exported to ONNX and run on ONNX Runtime's CPU provider (one
  session per allocation task, one per KPI model), or on its own TensorFlow.js graph when
  onnxruntime-node cannot load (\`--engine auto\`, the default; \`--engine onnxruntime|tfjs\` or
  \`RADIO_MTL_ENGINE\` force one). Both answer alike within 1e-5. \`GET /v1/models\` shows each
  model's \`engine\`; \`/metrics\` has \`radio_mtl_model_engine_info\`.
- **Readiness** is false until every model directory has been loaded, verified and warmed
  up (one forward pass per task; non-finite outputs refuse the model), when any was refused
  or none was found, and during shutdown. Verified means every file \`current.json\` lists
  (sidecars such as \`curve.json\` too) matches its recorded length and sha256, read off the
  event loop with a 30 s deadline; a file that is not a regular file (a FIFO) is refused at
  once (liveness and SIGTERM keep working), and a read that does not finish in time refuses
  the model (\`state: failed\`) while liveness keeps answering (the process's exit then
  waits for that read: Node joins its I/O threads on exit).
- **Graceful shutdown** on SIGTERM/SIGINT: the listening socket closes first; every request
  already received is answered, new requests on open keep-alive connections get 503
  \`shutting-down\`, and once no worker listens any more each response carries
  \`Connection: close\` (idle ones are closed after the 5 s keep-alive timeout). With \`--workers N\`
  the primary relays the signal and exits 0 when every worker exited 0, else 1. Each worker
  keeps its own \`/metrics\` (label \`worker\`).
- **Errors below JSON** are problem+json too: a body that does not decode as its
  \`Content-Encoding\` says (400), malformed HTTP (400), oversized headers (431), an \`Expect\`
  other than \`100-continue\` (417), a request whose body has not fully arrived at
  \`--request-timeout-ms\` (408 \`request-timeout\`, connection closed; a client error, not a 503).
- **Benchmark**: \`npm run bench:server -- --out bench/results\` writes [\`bench/results/server.md\`](../bench/results/server.md)
  and \`server.json\` (requests/s, p50/p99 latency, allocations/s, server CPU time per request,
  \`/v2/models/{name}/infer\` next to \`/v1\` for the same work,
  reject time of invalid 1 MiB bodies on \`/v1\` and \`/v2\`, liveness latency under the heaviest
  solves and under 1,024-window predictions and 100,000-row calibrations, and, interleaved in
  one run, \`/v1/kpi/predict\` against an express hello-world parsing the same body and against
  the KPI engine alone, one window and 256 windows a request).
`);
  await stopServe(server);
  const text = `${parts.join('\n')}`;
  writeFileAtomic(resolve(args.out), text.endsWith('\n') ? text : `${text}\n`);
  process.stderr.write(`[api-docs] wrote ${args.out}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`[api-docs] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
