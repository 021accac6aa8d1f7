/** What the scripts in this folder share: the repository root, the FccIQ data default, `--name value` options and `--flag` switches. */
import { join, resolve } from 'node:path';

/** The repository root. */
export const ROOT = resolve(import.meta.dirname, '..');
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

/** The integer >= 1 after `--name`, or `def`. */
export function intOpt(name: string, def: number): number {
  const raw = opt(name, String(def));
  const v = Number(raw);
  if (!(Number.isInteger(v) && v >= 1)) throw new Error(`--${name} must be an integer >= 1, got '${raw}'`);
  return v;
}
