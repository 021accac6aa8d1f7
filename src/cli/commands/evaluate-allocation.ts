/**
 * `radio-mtl evaluate allocation`: a trained allocation model on a dataset's test splits
 * (Table II for fdma-delay, Table III with % of the exact optimum for sum-capacity).
 */
import type { Command } from 'commander';
import { inputGains, loadAllocationData, withChannelKnowledge } from '../../dnn/allocation/data.js';
import { addChannelKnowledgeOptions, channelKnowledgeOf, type ChannelKnowledgeOptions } from '../channel-knowledge-option.js';
import { loadAllocationNetwork } from '../../dnn/allocation/model.js';
import { formatSummary, summarise } from '../../dnn/allocation/report.js';
import { evaluateWithProgress, referencesWithProgress } from '../allocation-progress.js';
import { parseIntOption } from '../options.js';
import { InputError } from '../../input-error.js';
import { underOption } from '../errors.js';
import { initEngineFromOption } from '../engine-option.js';

interface EvaluateAllocationOptions extends ChannelKnowledgeOptions {
  model: string;
  data: string;
  rows?: number;
  refSamples: number;
  refSeed: number;
  backend?: string;
  json?: boolean;
  quiet?: boolean;
}

export function registerEvaluateAllocation(evaluate: Command): void {
  const command = evaluate
    .command('allocation')
    .description('Evaluate a trained allocation model on the test splits (Tables II and III)')
    .requiredOption('--model <dir>', 'model directory (radio-mtl train allocation --out DIR)')
    .requiredOption('--data <dir>', 'dataset directory holding fdma-delay/ and sum-capacity/')
    .option('--rows <n>', 'test rows per task (default: all)', parseIntOption(1))
    .option('--ref-samples <n>', 'Monte Carlo samples for the sum-capacity optimum (0: skip)', parseIntOption(0), 1_000_000)
    .option('--ref-seed <n>', 'seed of the sum-capacity optimum', parseIntOption(0), 1)
    .option('--backend <name>', 'tensorflow | wasm | cpu (default: best available)')
    .option('--json', 'print one JSON document')
    .option('--quiet', 'no progress output');
  addChannelKnowledgeOptions(command)
    .action(async (opts: EvaluateAllocationOptions) => {
      const backend = await initEngineFromOption(opts.backend);
      if (!opts.quiet) process.stderr.write(`evaluate allocation: reading and checking the model ${opts.model} and the dataset ${opts.data}\n`);
      const { net, manifest, modelSha256 } = underOption('--model', () => loadAllocationNetwork(opts.model));
      const problems = [...new Set(manifest.tasks.map((t) => t.problem))];
      // The network reads observed gains (imperfect channel knowledge), the metrics use the true ones.
      const data = withChannelKnowledge(underOption('--data', () => loadAllocationData(opts.data, problems)), channelKnowledgeOf(opts), opts.gainSeed);
      const observed = inputGains(data, 'test');
      // Order the test splits as the model's tasks; every task must be in the data.
      const order = manifest.tasks.map((t) => {
        const k = data.tasks.findIndex((d) => d.problem === t.problem && d.n === t.n);
        if (k < 0) throw new InputError('--data', `the dataset has no ${t.problem} task with N = ${t.n}, which the model serves.`);
        return k;
      });
      const t0 = Date.now();
      const metrics = evaluateWithProgress('test splits', net, order.map((k) => data.test[k]), opts.rows, opts.quiet, order.map((k) => observed[k]));
      const evalSeconds = (Date.now() - t0) / 1000;
      const sizes = manifest.tasks.filter((t) => t.problem === 'sum-capacity').map((t) => t.n);
      const refs = referencesWithProgress(data.params.sumCapacity, sizes, opts.refSamples, opts.refSeed, opts.quiet);
      const summary = summarise(metrics, refs);
      const dataMatches = problems.every((p) => manifest.data.source[p] === data.source[p]);
      if (opts.json) {
        const doc = { model: opts.model, modelSha256, scheme: manifest.scheme, backend, data: { dir: opts.data, source: data.source, sameAsTraining: dataMatches }, evalSeconds, references: refs, ...summary };
        process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
      } else {
        process.stdout.write(`model ${opts.model} (scheme ${manifest.scheme}, trained ${manifest.training.steps} steps, seed ${manifest.training.seed}), backend ${backend}\n`);
        if (!dataMatches) process.stdout.write('note: this dataset is not the one the model was trained on (manifest sha256 differs)\n');
        process.stdout.write(formatSummary(summary));
      }
      net.dispose();
    });
}
