/**
 * `radio-mtl export onnx --model DIR --out PATH [--task PROBLEM:N] [--json]`: a saved
 * model as ONNX (docs/onnx.md). A KPI model becomes one file; an allocation model one
 * file per task in the directory --out (fdma-delay-n05.onnx, ...), or with --task the
 * file --out for that task alone; an interference model one file per trained K
 * (interference-k05.onnx, ...), or with --task interference:K the file for any K in its range.
 */
import { InputError } from '../../input-error.js';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { loadAllocationNetwork, type AllocationNetwork } from '../../dnn/allocation/index.js';
import { loadKpiModel } from '../../dnn/kpi/model.js';
import { modelFamily } from '../../dnn/manifest.js';
import { ModelFileError, readModelJson } from '../../dnn/model-io.js';
import { writeFileAtomic } from '../../io/atomic-write.js';
import { allocationOnnxFileName, allocationTaskToOnnx } from '../../onnx/export-allocation.js';
import { kpiModelToOnnx } from '../../onnx/export-kpi.js';
import { interferenceToOnnx } from '../../onnx/export-interference.js';
import { loadInterferenceModel } from '../../dnn/interference/model.js';
import { checkServedK } from '../../dnn/interference/service.js';
import { taskFor } from '../../dnn/interference/allocate.js';
import { PROBLEMS, type Problem } from '../../solvers/params.js';
import { initEngineFromOption } from '../engine-option.js';
import { underOption, writingTo } from '../errors.js';

interface ExportOnnxOptions {
  model: string;
  out: string;
  task?: string;
  backend?: string;
  json?: boolean;
  quiet?: boolean;
}

interface WrittenFile {
  path: string;
  bytes: number;
  task?: string;
}

/** `fdma-delay:5` -> { problem, n }; the rule on failure names --task. */
function parseTaskOption(text: string): { problem: Problem; n: number } {
  const m = /^([a-z-]+):(\d+)$/.exec(text);
  if (!m || !(PROBLEMS as readonly string[]).includes(m[1])) {
    throw new InputError(`--task: must be PROBLEM:N with PROBLEM one of ${PROBLEMS.join(', ')} and N a whole number, e.g. fdma-delay:5, got '${text}'`);
  }
  return { problem: m[1] as Problem, n: Number(m[2]) };
}

function load<T>(dir: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof ModelFileError) throw new InputError(`--model: ${err.message}`);
    throw err;
  }
}

function write(path: string, bytes: Uint8Array, task?: string): WrittenFile {
  writingTo('--out', path, () => writeFileAtomic(path, bytes));
  return { path, bytes: bytes.byteLength, ...(task ? { task } : {}) };
}

function exportAllocation(net: AllocationNetwork, opts: ExportOnnxOptions): WrittenFile[] {
  if (opts.task) {
    const { problem, n } = parseTaskOption(opts.task);
    const served = net.config.tasks.some((t) => t.problem === problem && t.n === n);
    if (!served) throw new InputError(`--task: the model has no task ${opts.task} (it has ${net.config.tasks.map((t) => `${t.problem}:${t.n}`).join(', ')})`);
    return [write(opts.out, allocationTaskToOnnx(net, problem, n), opts.task)];
  }
  const tasks = net.config.tasks;
  return tasks.map((t, i) => {
    const file = write(join(opts.out, allocationOnnxFileName(t.problem, t.n)), allocationTaskToOnnx(net, t.problem, t.n), `${t.problem}:${t.n}`);
    if (!opts.quiet) process.stderr.write(`export onnx: ${i + 1}/${tasks.length} ${file.path}\n`);
    return file;
  });
}

/** An interference model: one graph per trained K (interference-k05.onnx, ...), or K of --task interference:K alone. */
function exportInterference(dir: string, opts: ExportOnnxOptions): WrittenFile[] {
  const { net, manifest } = load(dir, () => loadInterferenceModel(dir));
  try {
    const graph = (k: number) => interferenceToOnnx(net, manifest.scale, k, taskFor(net, k));
    if (opts.task) {
      const m = /^interference:(\d+)$/.exec(opts.task);
      if (!m) throw new InputError(`--task: an interference model takes interference:K, e.g. interference:7, got '${opts.task}'`);
      const k = Number(m[1]);
      underOption('--task', () => checkServedK({ name: basename(dir), sizes: [...net.config.sizes].sort((a, b) => a - b) }, k, 'K'));
      return [write(opts.out, graph(k), opts.task)];
    }
    return net.config.sizes.map((k) => write(join(opts.out, `interference-k${String(k).padStart(2, '0')}.onnx`), graph(k), `interference:${k}`));
  } finally {
    net.dispose();
  }
}

export function registerExportOnnx(exportCommand: Command): void {
  exportCommand
    .command('onnx')
    .description('Write a saved KPI or allocation model as ONNX (opset 17) for ONNX Runtime, PyTorch and other runtimes')
    .requiredOption('--model <dir>', 'model directory (from `train kpi` or `train allocation`)')
    .requiredOption('--out <path>', 'KPI model: the .onnx file; allocation model: a directory (one file per task), or the file with --task')
    .option('--task <problem:n>', 'allocation models: export this one task, e.g. fdma-delay:5; interference models: interference:K for any K in the trained range')
    .option('--backend <name>', 'tensorflow | wasm | cpu, for reading the weights (default: best available)')
    .option('--json', 'print one JSON object')
    .option('--quiet', 'no progress output')
    .action(async (opts: ExportOnnxOptions) => {
      await initEngineFromOption(opts.backend);
      const manifest = load(opts.model, () => readModelJson<{ kind?: unknown }>(opts.model)).json.manifest;
      const family = modelFamily(manifest);
      let files: WrittenFile[];
      let what: string;
      if (family === 'kpi') {
        if (opts.task) throw new InputError(`--task: applies to allocation models; '${opts.model}' is a KPI model (exported as one file)`);
        const { model } = load(opts.model, () => loadKpiModel(opts.model));
        files = [write(opts.out, kpiModelToOnnx(model))];
        what = `KPI model (${model.config.arch}, window ${model.config.window})`;
      } else if (family === 'allocation') {
        const { net } = load(opts.model, () => loadAllocationNetwork(opts.model));
        try {
          files = exportAllocation(net, opts);
        } finally {
          net.dispose();
        }
        what = `allocation model (${net.config.scheme})`;
      } else if (family === 'interference') {
        files = exportInterference(opts.model, opts);
        what = 'interference model';
      } else {
        throw new InputError(`--model: '${opts.model}' is neither a KPI, an allocation nor an interference model (manifest kind '${String(manifest?.kind)}')`);
      }
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ model: opts.model, files }, null, 2)}\n`);
      } else {
        const total = files.reduce((s, f) => s + f.bytes, 0);
        const where = files.length === 1 ? files[0].path : `${files.length} files in ${opts.out}`;
        process.stdout.write(`export onnx: wrote ${what} to ${where} (${(total / 1024).toFixed(1)} KiB)\n`);
      }
    });
}
