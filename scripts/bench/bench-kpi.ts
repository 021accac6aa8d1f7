/**
 * `npm run bench:kpi`: per KPI architecture the tfjs training step, the serving engine
 * and PyTorch (scripts/bench/bench-kpi-torch.py, same shapes, when /usr/bin/python3 imports
 * torch), in interleaved blocks, one thread each, the minimum of each, CPU and wall
 * time, with the load average (src/bench/interleave.ts). Writes DIR/speed.{md,json}
 * (`--out results/kpi` updates the committed ones; default scratch/bench-kpi/) after every architecture, so `--resume` continues an interrupted run.
 * Options: --hidden H (64) --context C (35) --rounds R (5) --steps N (training steps per
 * block, 5) --reps640 N (2) --reps1 N (20) --only a,b --resume --python PATH --out DIR.
 * --threads N: PyTorch (every pool) and ONNX Runtime at N threads, compared by wall time
 * (tfjs-wasm stays at one: src/bench/kpi-speed.ts says why).
 * --ensemble DIR measures a saved ensemble's serving beside its members instead
 * (scripts/bench/bench-kpi-ensemble.ts: OUT/speed-ensemble.{md,json}).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { initEngine, tf } from '../../src/dnn/engine.js';
import { AR_STEPS, countParams, DEFAULT_CONFIG } from '../../src/dnn/kpi/base.js';
import { createKpiModel, KPI_ARCHS } from '../../src/dnn/kpi/registry.js';
import { createKpiPredictor } from '../../src/dnn/kpi/predict.js';
import { interleave, loadWarning, timeBlock, timeBlockAsync, type Contender } from '../../src/bench/interleave.js';
import { kpiSpeedDoc, kpiSpeedMarkdown, KPI_BENCH_BATCH, KPI_INFER_BATCH, type KpiArchMeasure, type KpiSpeedDoc, type KpiSpeedMeta } from '../../src/bench/kpi-speed.js';
import { pythonParamCounts } from '../../src/bench/torch-params.js';
import { pytorchInfo, startPythonWorker } from '../../src/bench/python-worker.js';
import { machineInfo } from '../../src/bench/machine.js';
import { writeFileAtomic } from '../../src/io/atomic-write.js';
import { flag, intOpt, opt, outDir, readScriptOptions, ROOT, usageFail } from '../shared/lib.js';
import { benchEnsemble } from './bench-kpi-ensemble.js';

readScriptOptions({
  name: 'bench:kpi',
  summary: 'Per KPI architecture: the tfjs training step, the serving engine and PyTorch (when python3 imports torch); writes speed.md and speed.json.',
  options: {
    hidden: { value: 'H', help: 'LSTM hidden size (default 64)' },
    context: { value: 'C', help: 'LSTM context in steps (default 35, the whole window)' },
    rounds: { value: 'R', help: 'interleaved rounds (default 5)' },
    steps: { value: 'N', help: 'training steps per block (default 5)' },
    reps640: { value: 'N', help: 'batch-640 inference repetitions (default 2)' },
    reps1: { value: 'N', help: 'batch-1 inference repetitions (default 20)' },
    only: { value: 'a,b', help: 'architectures to measure (default all six)' },
    resume: { help: 'keep the architectures already in DIR/speed.json' },
    python: { value: 'PATH', help: 'the Python with torch (default /usr/bin/python3)' },
    threads: { value: 'N', help: 'PyTorch and ONNX Runtime threads (default 1; tfjs-wasm runs one thread in Node); N > 1 compares wall time' },
    out: { value: 'DIR', help: 'where to write (default scratch/bench-kpi; results/kpi updates the committed results)' },
    ensemble: { value: 'DIR', help: "measure a saved ensemble's serving beside its members instead (speed-ensemble.md and .json)" },
  },
});

const H = intOpt('hidden', 64);
const T = DEFAULT_CONFIG.window;
const C = intOpt('context', T);
const ROUNDS = intOpt('rounds', 5);
const THREADS = intOpt('threads', 1, 1);
const REPS = { step: intOpt('steps', 5), batch640: intOpt('reps640', 2), batch1: intOpt('reps1', 20) };
const OUT = outDir();
const PY = opt('python', '/usr/bin/python3');
const ARCHS = opt('only', KPI_ARCHS.join(',')).split(',');
for (const a of ARCHS) if (!(KPI_ARCHS as readonly string[]).includes(a)) usageFail(`--only: unknown architecture '${a}' (${KPI_ARCHS.join(', ')})`);
const log = (m: string) => process.stderr.write(`[bench-kpi] ${m}\n`);

const ENSEMBLE = opt('ensemble', '');
if (ENSEMBLE) {
  const md = await benchEnsemble(ENSEMBLE, OUT, ROUNDS, { batch640: REPS.batch640, batch1: REPS.batch1 }, log);
  await new Promise((done) => process.stdout.write(md, done));
  process.exit(0);
}

const backend = await initEngine();
const TORCH_SCRIPT = join(ROOT, 'scripts', 'bench', 'bench-kpi-torch.py');
const torchArgs = ['--hidden', String(H), '--context', String(C)];
const started = await startPythonWorker(PY, TORCH_SCRIPT, torchArgs, { threads: THREADS });
const torch = started.worker;
if (!torch) log(`PyTorch not measured: ${started.reason}`);
const torchParams = torch ? pythonParamCounts(PY, TORCH_SCRIPT, torchArgs) : null;

const meta: KpiSpeedMeta = {
  hidden: H,
  window: T,
  context: C,
  rounds: ROUNDS,
  threads: THREADS,
  reps: REPS,
  tfjsBackend: backend,
  servingEngine: 'not loaded',
  pytorch: pytorchInfo(started),
  machine: { ...machineInfo() },
};
const measures: Record<string, KpiArchMeasure> = {};
const jsonPath = join(OUT, 'speed.json');
if (flag('resume') && existsSync(jsonPath)) {
  const old = JSON.parse(readFileSync(jsonPath, 'utf8')) as { measures?: Record<string, KpiArchMeasure>; hidden: number; context: number; threads?: number; servingEngine: string };
  if (old.measures && old.hidden === H && old.context === C && (old.threads ?? 1) === THREADS) {
    Object.assign(measures, old.measures);
    meta.servingEngine = old.servingEngine;
  }
  log(`resuming: ${Object.keys(measures).join(', ') || 'nothing'} already measured`);
}

const write = () => {
  const doc: KpiSpeedDoc = kpiSpeedDoc(meta, measures);
  // The raw measures ride along so --resume can rebuild the document.
  writeFileAtomic(jsonPath, `${JSON.stringify({ ...doc, measures }, null, 2)}\n`);
  writeFileAtomic(join(OUT, 'speed.md'), kpiSpeedMarkdown(doc));
};

for (const arch of ARCHS) {
  if (measures[arch]) continue;
  const model = createKpiModel(arch, { hidden: H, context: C });
  const vars = Object.values(model.params.vars);
  const adam = tf.train.adam(1e-3);
  const x = tf.randomUniform([C * KPI_BENCH_BATCH, 3], 0, 1, 'float32', 1) as tf.Tensor2D;
  const batch = { x, last: tf.randomUniform([KPI_BENCH_BATCH, 3], 0, 1, 'float32', 2) as tf.Tensor2D, recent: tf.randomUniform([KPI_BENCH_BATCH, AR_STEPS * 3], 0, 1, 'float32', 3) as tf.Tensor2D, batch: KPI_BENCH_BATCH, steps: C };
  const y = tf.randomUniform([KPI_BENCH_BATCH, 3], 0, 1, 'float32', 4);
  const labels = tf.oneHot(tf.tensor1d(Array.from({ length: KPI_BENCH_BATCH }, (_, i) => i % 2), 'int32'), 2);
  let seed = 7;
  const rng = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const step = () =>
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => {
        const o = model.forward(batch, { training: true, rng });
        return tf.add(tf.mean(tf.square(tf.sub(o.reg, y))), tf.losses.softmaxCrossEntropy(labels, o.logits)) as tf.Scalar;
      }, vars);
      adam.applyGradients(grads as unknown as Record<string, tf.Variable>);
      value.dataSync();
    });
  // As many ONNX Runtime threads as PyTorch's; 'auto' falls back to tfjs and says why.
  let fallback = '';
  const serving = await createKpiPredictor(model, { intraOpThreads: THREADS, onFallback: (why) => log(`serving engine: ${(fallback = why)}`) });
  meta.servingEngine = serving.engine === 'tfjs' ? `tfjs-${backend}${fallback && ` (${fallback})`}` : serving.engine;
  const windows = (n: number) => Float32Array.from({ length: n * T * 3 }, (_, i) => ((i * 7919) % 1000) / 1000);
  const w640 = windows(KPI_INFER_BATCH);
  const w1 = windows(1);
  const remote = (kind: string, reps: number): Contender['block'] => () => torch!.request({ arch, kind, reps });
  const contenders: Contender[] = [
    { name: 'tfjsStep', block: () => timeBlock(step, REPS.step) },
    ...(torch ? [{ name: 'torchStep', block: remote('step', REPS.step) }] : []),
    { name: 'servingBatch640', block: () => timeBlockAsync(() => serving.predict(w640), REPS.batch640) },
    ...(torch ? [{ name: 'torchBatch640', block: remote('infer640', REPS.batch640) }] : []),
    { name: 'servingBatch1', block: () => timeBlockAsync(() => serving.predict(w1), REPS.batch1) },
    ...(torch ? [{ name: 'torchBatch1', block: remote('latency1', REPS.batch1) }] : []),
  ];
  // One unmeasured warm-up block each (JIT, wasm compilation, allocator).
  for (const c of contenders) await c.block();
  const load0 = loadavg();
  const best = await interleave(contenders, ROUNDS, (name, round, s) => log(`${arch} round ${round + 1}/${ROUNDS} ${name}: ${s.cpuMs.toFixed(2)} ms CPU, ${s.wallMs.toFixed(2)} ms wall`));
  const load = loadavg().map((v, i) => Math.max(v, load0[i]));
  const warning = loadWarning(load);
  if (warning) log(`WARNING: ${warning}`);
  const params = countParams(model);
  if (torchParams && torchParams[arch] !== params) throw new Error(`${arch}: PyTorch model has ${torchParams[arch]} parameters, tfjs ${params}: the shapes differ`);
  measures[arch] = {
    params,
    macs: model.macs(),
    torchParams: torchParams?.[arch] ?? null,
    tfjsStep: best.tfjsStep,
    servingBatch640: best.servingBatch640,
    servingBatch1: best.servingBatch1,
    torchStep: best.torchStep ?? null,
    torchBatch640: best.torchBatch640 ?? null,
    torchBatch1: best.torchBatch1 ?? null,
    date: new Date().toISOString(),
    loadAverage: load,
    warning,
  };
  await serving.dispose();
  tf.dispose([batch.x, batch.last, batch.recent, y, labels, ...vars]);
  write();
  log(`${arch} done: tfjs step ${best.tfjsStep.cpuMs.toFixed(1)} ms CPU${best.torchStep ? `, PyTorch ${best.torchStep.cpuMs.toFixed(1)} ms` : ''}`);
}
torch?.close();
write();
process.stdout.write(kpiSpeedMarkdown(kpiSpeedDoc(meta, measures)));
