/**
 * `npm run bench:solvers [-- --out DIR]`: the full solver benchmark (src/bench/solvers.ts),
 * written to DIR/solvers.json and DIR/solvers.md (`--out bench/results` updates the committed
 * ones; default scratch/bench-solvers/). Run it alone: it is single-threaded and timing-sensitive.
 */
import { join } from 'node:path';
import { runSolverBench, solverBenchMarkdown } from '../../src/bench/solvers.js';
import { writeFileAtomic } from '../../src/io/atomic-write.js';
import { outDir as resultsDir, readScriptOptions } from '../shared/lib.js';

readScriptOptions({
  name: 'bench:solvers',
  summary: 'The full solver benchmark (exact, IPM, DNN per problem and N), written as solvers.json and solvers.md.',
  options: { out: { value: 'DIR', help: 'where to write (default scratch/bench-solvers; bench/results updates the committed results)' } },
});
const outDir = resultsDir();
const doc = await runSolverBench({ log: (m) => process.stderr.write(`[bench-solvers] ${m}\n`) });
writeFileAtomic(join(outDir, 'solvers.json'), `${JSON.stringify(doc, null, 2)}\n`);
writeFileAtomic(join(outDir, 'solvers.md'), solverBenchMarkdown(doc));
process.stderr.write(`[bench-solvers] wrote ${join(outDir, 'solvers.json')} and solvers.md\n`);
process.stdout.write(solverBenchMarkdown(doc));
