/**
 * `npm run bench:allocation`: training-step time of the routed multi-task DNN (14 tasks x
 * batch 32, Table I network) in tfjs and in PyTorch (scripts/bench/bench-allocation-torch.py,
 * when /usr/bin/python3 imports torch), phase 1 (bDNN + rDNN) and phase 2 (masks frozen),
 * in interleaved blocks, one thread each, minimum of each, CPU and wall time, with the
 * load average (src/bench/interleave.ts). Writes DIR/speed.{md,json} (`--out results/allocation`
 * updates the committed ones; default scratch/bench-allocation/).
 * Options: --rounds R (5) --steps N (steps per block, 50) --warmup N (20) --python PATH --out DIR.
 */
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { initEngine } from '../../src/dnn/engine.js';
import { generateAllocationData, paperTasks, trainAllocation, DEFAULT_TRAIN_OPTIONS } from '../../src/dnn/allocation/index.js';
import { interleave, loadWarning, processClock, type Contender, type Sample } from '../../src/bench/interleave.js';
import { allocationSpeedDoc, allocationSpeedMarkdown } from '../../src/bench/allocation-speed.js';
import { pytorchInfo, startPythonWorker } from '../../src/bench/python-worker.js';
import { machineInfo } from '../../src/bench/machine.js';
import { writeFileAtomic } from '../../src/io/atomic-write.js';
import { intOpt, opt, outDir, readScriptOptions, ROOT } from '../shared/lib.js';

readScriptOptions({
  name: 'bench:allocation',
  summary: 'Training-step time of the routed multi-task DNN in tfjs and PyTorch (when python3 imports torch), phases 1 and 2; writes speed.md and speed.json.',
  options: {
    rounds: { value: 'R', help: 'interleaved rounds (default 5)' },
    steps: { value: 'N', help: 'steps per block (default 50)' },
    warmup: { value: 'N', help: 'warm-up steps (default 20)' },
    python: { value: 'PATH', help: 'the Python with torch (default /usr/bin/python3)' },
    threads: { value: 'N', help: 'PyTorch threads, every pool (default 1; tfjs-wasm runs one thread in Node); N > 1 compares wall time' },
    out: { value: 'DIR', help: 'where to write (default scratch/bench-allocation; results/allocation updates the committed results)' },
  },
});

const ROUNDS = intOpt('rounds', 5);
const STEPS = intOpt('steps', 50);
const WARMUP = intOpt('warmup', 20);
const THREADS = intOpt('threads', 1, 1);
const OUT = outDir();
const PY = opt('python', '/usr/bin/python3');
const log = (m: string) => process.stderr.write(`[bench-allocation] ${m}\n`);

const backend = await initEngine();
const data = generateAllocationData(paperTasks(), { train: 2000, test: 10 }, 1);

/**
 * One tfjs block: a short training run whose `phase` has WARMUP + STEPS steps (the other
 * phase as short as allowed); times the last STEPS steps of that phase.
 */
function tfjsBlock(phase: 1 | 2): Sample {
  const marks: { cpu: number; wall: number }[] = [];
  let inPhase = 0;
  trainAllocation(data, {
    ...DEFAULT_TRAIN_OPTIONS,
    scheme: 'routed',
    t1: phase === 1 ? WARMUP + STEPS : 1,
    t2: phase === 2 ? WARMUP + STEPS : 0,
    evalEvery: 0,
    onEvent: (e) => {
      if (e.type !== 'step' || e.stage !== `phase ${phase}`) return;
      inPhase++;
      if (inPhase === WARMUP || inPhase === WARMUP + STEPS) marks.push({ cpu: processClock.cpuMs(), wall: processClock.wallMs() });
    },
  });
  return { cpuMs: (marks[1].cpu - marks[0].cpu) / STEPS, wallMs: (marks[1].wall - marks[0].wall) / STEPS };
}

const started = await startPythonWorker(PY, join(ROOT, 'scripts', 'bench', 'bench-allocation-torch.py'), [], { threads: THREADS });
const torch = started.worker;
if (!torch) log(`PyTorch not measured: ${started.reason}`);
const contenders: Contender[] = [
  { name: 'tfjs1', block: () => tfjsBlock(1) },
  ...(torch ? [{ name: 'torch1', block: () => torch.request({ phase: 1, reps: STEPS }) }] : []),
  { name: 'tfjs2', block: () => tfjsBlock(2) },
  ...(torch ? [{ name: 'torch2', block: () => torch.request({ phase: 2, reps: STEPS }) }] : []),
];
if (torch) {
  // PyTorch's warm-up; tfjs warms up inside every block.
  await torch.request({ phase: 1, reps: WARMUP });
  await torch.request({ phase: 2, reps: WARMUP });
}
const load0 = loadavg();
const best = await interleave(contenders, ROUNDS, (name, round, s) => log(`round ${round + 1}/${ROUNDS} ${name}: ${s.cpuMs.toFixed(2)} ms CPU, ${s.wallMs.toFixed(2)} ms wall per step`));
torch?.close();
const loadAverage = loadavg().map((v, i) => Math.max(v, load0[i]));
const warning = loadWarning(loadAverage);
if (warning) log(`WARNING: ${warning}`);
const doc = allocationSpeedDoc({
  rounds: ROUNDS,
  stepsPerBlock: STEPS,
  threads: THREADS,
  tfjsBackend: backend,
  pytorch: pytorchInfo(started),
  machine: { ...machineInfo() },
  date: new Date().toISOString(),
  loadAverage,
  warning,
  tfjs: { phase1: best.tfjs1, phase2: best.tfjs2 },
  torch: torch ? { phase1: best.torch1, phase2: best.torch2 } : null,
});
writeFileAtomic(join(OUT, 'speed.json'), `${JSON.stringify(doc, null, 2)}\n`);
writeFileAtomic(join(OUT, 'speed.md'), allocationSpeedMarkdown(doc));
process.stdout.write(allocationSpeedMarkdown(doc));
