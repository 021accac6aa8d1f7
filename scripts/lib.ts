/** What the scripts in this folder share: the repository root, the FccIQ data default, one option reader (`--name value`, `--flag`) and one job pool. */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (from the URL: jest's module loader has no import.meta.dirname). */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Where the FccIQ CSVs go by default (git-ignored); `--data DIR` points elsewhere. */
export const DEFAULT_FCCIQ_DIR = join(ROOT, 'data', 'fcciq');

/** The script's arguments, as given (recorded in reports). */
export const argv: readonly string[] = process.argv.slice(2);

/** The value after `--name`, or `def` when the option is absent. */
export function opt(name: string, def: string): string {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return def;
  if (i + 1 >= argv.length || argv[i + 1].startsWith('--')) throw new Error(`--${name} needs a value`);
  return argv[i + 1];
}

/** Whether `--name` was given. */
export function flag(name: string): boolean {
  return argv.includes(`--${name}`);
}

/**
 * Runs `work` on every item, at most `concurrency` at a time, in order of the list. A failed
 * item does not stop the others: resolves to the errors, one per failed item.
 */
export async function runPool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<Error[]> {
  const queue = [...items];
  const failures: Error[] = [];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
      try {
        await work(item);
      } catch (err) {
        failures.push(err instanceof Error ? err : new Error(String(err)));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
  return failures;
}

/** The integer >= `min` (default 1) after `--name`, or `def`. */
export function intOpt(name: string, def: number, min = 1): number {
  const raw = opt(name, String(def));
  const v = Number(raw);
  if (!(Number.isInteger(v) && v >= min)) throw new Error(`--${name} must be an integer >= ${min}, got '${raw}'`);
  return v;
}

/** The first `--option` in `args` that is not one of `known` (names without the dashes), or undefined. */
export function unknownOption(args: readonly string[], known: readonly string[]): string | undefined {
  return args.find((a) => a.startsWith('--') && !known.includes(a.slice(2)));
}

/**
 * The script's options as `read` returns them (with opt, flag, intOpt). An option not in `known`
 * (`--help` too) or a bad value ends the script with one line `<script>: <error>` on stderr and
 * exit code 2.
 */
export function readOptions<T>(script: string, known: readonly string[], read: () => T): T {
  try {
    const unknown = unknownOption(argv, known);
    if (unknown) throw new Error(`unknown option ${unknown} (options: ${known.map((k) => `--${k}`).join(', ')})`);
    return read();
  } catch (err) {
    process.stderr.write(`${script}: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  }
}
