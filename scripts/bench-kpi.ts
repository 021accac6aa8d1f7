/**
 * `npm run bench:kpi`: training-step and inference speed of the six KPI models on
 * this machine (tfjs, the selected backend, one thread), next to PyTorch CPU when
 * `python3 -c "import torch"` works (scripts/bench-lstm-torch.py, same shapes).
 * CPU time of this process per step (batch 64, window 35), so other jobs on a
 * shared machine distort it less than wall time. Writes results/kpi/speed.{md,json}.
 * Options: --hidden H (64) --steps N (12) --python PATH (/usr/bin/python3) --out DIR.
 */
import { execFileSync } from 'node:child_process';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus, loadavg } from 'node:os';
import { initEngine, tf } from '../src/dnn/engine.js';
import { countParams } from '../src/dnn/kpi/base.js';
import { createKpiModel, KPI_ARCHS } from '../src/dnn/kpi/registry.js';
import { writeFileAtomic } from '../src/io/atomic-write.js';
import { opt } from './script-args.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const H = Number(opt('hidden', '64'));
const STEPS = Number(opt('steps', '12'));
const OUT = resolve(opt('out', join(ROOT, 'results', 'kpi')));
const PY = opt('python', '/usr/bin/python3');

const backend = await initEngine();
const T = 35, B = 64;
const rows: Record<string, { params: number; macs: number; stepCpuMs: number; inferenceWindowsPerSecondBatch640: number }> = {};
for (const arch of KPI_ARCHS) {
  const m = createKpiModel(arch, { hidden: H });
  const vars = Object.values(m.params.vars);
  const opt2 = tf.train.adam(1e-3);
  const mk = (n: number) => ({ x: tf.randomUniform([T * n, 3]) as tf.Tensor2D, last: tf.randomUniform([n, 3]) as tf.Tensor2D, recent: tf.randomUniform([n, 15]) as tf.Tensor2D, batch: n, steps: T });
  const batch = mk(B);
  const y = tf.randomUniform([B, 3]);
  const lab = tf.oneHot(tf.tensor1d(Array.from({ length: B }, (_, i) => i % 2), 'int32'), 2);
  let s = 7;
  const rng = () => ((s = (s * 16807) % 2147483647) / 2147483647);
  const step = () =>
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => {
        const o = m.forward(batch, { training: true, rng });
        return tf.add(tf.mean(tf.square(tf.sub(o.reg, y))), tf.losses.softmaxCrossEntropy(lab, o.logits)) as tf.Scalar;
      }, vars);
      opt2.applyGradients(grads as unknown as Record<string, tf.Variable>);
      return value.dataSync()[0];
    });
  for (let i = 0; i < 3; i++) step();
  const c0 = process.cpuUsage();
  for (let i = 0; i < STEPS; i++) step();
  const c = process.cpuUsage(c0);
  const big = mk(640);
  const inf = () => tf.tidy(() => m.forward(big, { training: false, rng }).reg.dataSync());
  inf();
  const c1 = process.cpuUsage();
  for (let i = 0; i < 3; i++) inf();
  const ci = process.cpuUsage(c1);
  rows[arch] = { params: countParams(m), macs: m.macs(), stepCpuMs: (c.user + c.system) / 1000 / STEPS, inferenceWindowsPerSecondBatch640: (3 * 640) / ((ci.user + ci.system) / 1e6) };
  process.stderr.write(`${arch}: ${rows[arch].stepCpuMs.toFixed(1)} ms/step\n`);
  tf.dispose([batch.x, batch.last, batch.recent, big.x, big.last, big.recent, y, lab, ...vars]);
}
let torch: Record<string, unknown> | undefined;
try {
  torch = JSON.parse(execFileSync(PY, [join(ROOT, 'scripts', 'bench-lstm-torch.py'), '--hidden', String(H)], { encoding: 'utf8' })) as Record<string, unknown>;
} catch (err) {
  process.stderr.write(`PyTorch comparison skipped: ${(err as Error).message.split('\n')[0]}\n`);
}
const tstep = (a: string) => (torch?.[a] as { stepCpuMs: number } | undefined)?.stepCpuMs;
const tinf = (a: string) => (torch?.[a] as { inferenceWindowsPerSecondBatch640: number } | undefined)?.inferenceWindowsPerSecondBatch640;
const doc = { backend, hidden: H, batch: B, window: T, steps: STEPS, cores: cpus().length, loadAverage: loadavg(), date: new Date().toISOString(), tfjs: rows, torch };
writeFileAtomic(join(OUT, 'speed.json'), `${JSON.stringify(doc, null, 2)}\n`);
const md = [
  `# KPI models: training-step speed (H = ${H}, batch ${B}, window ${T}, one thread, CPU ms per step)`,
  '',
  `Made by \`npm run bench:kpi\` on ${doc.date}; tfjs backend ${backend}; ${doc.cores} cores, load average ${doc.loadAverage.map((v) => v.toFixed(1)).join(' ')} (shared machine).`,
  '',
  '| Model | Params | tfjs step (ms) | PyTorch step (ms) | ratio | tfjs inference (windows/s, batch 640) | PyTorch inference |',
  '|---|---|---|---|---|---|---|',
  ...KPI_ARCHS.map((a) => {
    const ts = tstep(a);
    const ti = tinf(a);
    return `| ${a} | ${rows[a].params} | ${rows[a].stepCpuMs.toFixed(1)} | ${ts ? ts.toFixed(1) : '-'} | ${ts ? (rows[a].stepCpuMs / ts).toFixed(2) : '-'} | ${rows[a].inferenceWindowsPerSecondBatch640.toFixed(0)} | ${ti ? ti.toFixed(0) : '-'} |`;
  }),
  '',
  torch ? `PyTorch ${String(torch.torch)} (scripts/bench-lstm-torch.py) implements the hard-sharing and STL shapes only.` : 'PyTorch was not available.',
  '',
].join('\n');
writeFileAtomic(join(OUT, 'speed.md'), md);
process.stdout.write(md);
