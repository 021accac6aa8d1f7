/**
 * `npm run bench:solvers`: the full solver benchmark (src/bench/solvers.ts), written to
 * bench/results/solvers.json and bench/results/solvers.md. Run it alone: it is
 * single-threaded and timing-sensitive.
 */
import { join } from 'node:path';
import { runSolverBench, solverBenchMarkdown } from '../src/bench/solvers.js';
import { writeFileAtomic } from '../src/io/atomic-write.js';

const outDir = join(import.meta.dirname, '..', 'bench', 'results');
const doc = await runSolverBench({ log: (m) => process.stderr.write(`[bench-solvers] ${m}\n`) });
writeFileAtomic(join(outDir, 'solvers.json'), `${JSON.stringify(doc, null, 2)}\n`);
writeFileAtomic(join(outDir, 'solvers.md'), solverBenchMarkdown(doc));
process.stderr.write(`[bench-solvers] wrote ${join(outDir, 'solvers.json')} and solvers.md\n`);
process.stdout.write(solverBenchMarkdown(doc));
