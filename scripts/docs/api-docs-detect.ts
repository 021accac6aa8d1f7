/** The `POST /v1/kpi/detect`, `/v2` detection and `/ui` section of docs/api.md (scripts/docs/api-docs.ts). */
import { DEFAULT_ALERTING } from '../../src/detection/alerting.js';
import { LABEL_MERGE_GAP_S } from '../../src/detection/episodes.js';

/**
 * A synthetic cell (no FccIQ rows are copied into the docs): 120 rows 0.5 s apart whose SINR and
 * RSRQ collapse over rows 60-89, as jq that builds the body.
 */
const SERIES = `[range(0; 120) | {i: ., dip: (. >= 60 and . < 90)}] | {rows: map([-92 + (.i % 5) / 10, (if .dip then -16.5 else -10.5 end) + (.i % 3) / 10, (if .dip then 2 else 26 end) + (.i % 7) / 5]), timestamps: map(1664898720000 + .i * 500)}`;

export function detectSection(shown: string, ex: (cmd: string) => string, kpiModel: string | undefined): string {
  if (!kpiModel) return '';
  const r = DEFAULT_ALERTING;
  return `### Interference episodes of a cell (\`POST /v1/kpi/detect\`)

One cell's series in (up to 100,000 rows \`[rsrp, rsrq, sinr]\`, \`null\` where missing, oldest
first; optionally each row's time, ISO-8601 or epoch ms), episodes out. The server runs the
window ending at every row through the model in batches (no windowing by the client): row i
gets the probability of the window of rows i - window + 1 .. i (null for the first window - 1
rows and for a window with more gaps than \`/v1/kpi/predict\` accepts, counted in
\`refusedWindows\`) and the forecast of row i + 1. An **alerting rule with hysteresis** turns the
probabilities into episodes: an alert is raised at the \`k\`-th consecutive window at or above
\`pOn\`, cleared after \`m\` consecutive windows below \`pOff\`, and a gap between timestamps longer
than \`maxGapS\` ends it; an episode starts at the row where its alert is raised. Defaults:
k = ${r.k}, pOn = ${r.pOn}, m = ${r.m}, pOff = ${r.pOff}, maxGapS = ${r.maxGapS} s, chosen on the paper's validation split
(\`npm run kpi:episodes\`, [\`results/kpi/episodes.md\`](../results/kpi/episodes.md); docs/kpi.md,
"Alerts and episodes"). Every row's probability and forecast are exactly what
\`/v1/kpi/predict\` answers for its window (tested). Body limit: 16 MiB for this route.

A synthetic cell, 120 rows 0.5 s apart, whose SINR and RSRQ collapse over rows 60-89:

${ex(`jq -nc '${SERIES}' | curl -s ${shown}/v1/kpi/detect -H 'Content-Type: application/json' -d @- | jq -c '{model, windowLength, alerting, refusedWindows, episodes, row59: .interferenceProbability[59], row70: .interferenceProbability[70]}'`)}

The rule per request (\`alerting\`, any of its fields), and bad input named by its field:

${ex(`jq -nc '${SERIES} | .alerting = {k: 3, pOn: 0.9}' | curl -s ${shown}/v1/kpi/detect -H 'Content-Type: application/json' -d @- | jq -c '.episodes | map([.start, .end, .durationS])'`)}

${ex(`jq -nc '${SERIES} | .timestamps[7] = 0' | curl -s ${shown}/v1/kpi/detect -H 'Content-Type: application/json' -d @- | jq -c '{status, code, detail, errors}'`)}

On the Open Inference Protocol, a KPI model takes the parameter \`detect: true\` with the input
\`rows\` \`[n, 3]\` (and optionally \`timestamps\` \`[n]\`, epoch ms), and answers
\`interference_probability\` and \`kpi_next\` for the rows from window - 1 on, \`episodes\` \`[e, 2]\`
(first and last row) and \`episode_probability\` \`[e, 2]\` (peak and mean), from the same
implementation:

${ex(`jq -nc '${SERIES} | {parameters: {detect: true}, inputs: [{name: "rows", datatype: "FP64", shape: [120, 3], data: .rows}, {name: "timestamps", datatype: "INT64", shape: [120], data: .timestamps}], outputs: [{name: "episodes"}, {name: "episode_probability"}]}' | curl -s ${shown}/v2/models/${kpiModel}/infer -H 'Content-Type: application/json' -d @- | jq -c .`)}

**A page for one cell**: \`GET /ui\` (open ${shown}/ui in a browser) takes a dropped CSV (RSRP, RSRQ,
SINR; optionally Time and lab_inf), optionally calibrates a profile on its first part, calls
\`/v1/kpi/detect\` and draws the three KPIs with forecasts, the probability, alert episodes
(orange) and labelled episodes (blue: runs of lab_inf less than ${LABEL_MERGE_GAP_S} s apart merged), with zoom and
pan on time, and the episode table; everything it runs is served by the server itself. A long
series is drawn as the first, lowest, highest and last value of each pixel column (zooming redraws
the range from every row; "draw every row" draws them all); episodes and the table are exact. The
same report as a file: \`radio-mtl kpi detect --csv FILE --out DIR\`.
`;
}
