/**
 * What the scripts (scripts/bench/, experiments/, docs/) and the test tools share: the
 * repository root, the FccIQ data default, one option reader (`--name value`, `--flag`,
 * `--help`) and one job pool. Every script declares its options
 * with `readScriptOptions` before doing anything: `--help` prints the usage and exits 0, an
 * unknown option or a bad value is one line `<script>: <error>` on stderr and exit code 2.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** The repository root (from the URL: jest's module loader has no import.meta.dirname). */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Where the FccIQ CSVs go by default (git-ignored); `--data DIR` points elsewhere. */
export const DEFAULT_FCCIQ_DIR = join(ROOT, 'data', 'fcciq');

/** The script's arguments, as given (recorded in reports). */
export const argv: readonly string[] = process.argv.slice(2);

/** One option: `value` names its value (e.g. 'DIR'); without it the option is a switch. */
export interface ScriptOption {
  value?: string;
  help: string;
}

export interface ScriptSpec {
  /** How the script is called in messages: its npm script name (e.g. 'kpi:gaps') or file. */
  name: string;
  /** What the script does and writes, one or a few lines. */
  summary: string;
  options: Record<string, ScriptOption>;
  /** The positional arguments it takes (e.g. 'MODEL_DIR...'); absent: none. */
  positionals?: string;
}

let current: { spec: ScriptSpec; values: Record<string, string | boolean | undefined>; positionals: string[] } | undefined;

/** Ends the script with one line `<script>: <message>` on stderr and exit code 2. */
export function usageFail(message: string): never {
  process.stderr.write(`${current?.spec.name ?? 'script'}: ${message}\n`);
  process.exit(2);
}

/** The usage text `--help` prints. */
export function usageText(spec: ScriptSpec): string {
  const rows = Object.entries({ ...spec.options, help: { help: 'print this text and exit' } as ScriptOption }).map(([k, o]) => [`--${k}${o.value ? ` ${o.value}` : ''}`, o.help]);
  const width = Math.max(...rows.map(([l]) => l.length));
  const call = /:/.test(spec.name) ? `npm run ${spec.name} --` : `node --import tsx ${spec.name}`;
  return `usage: ${call} [options]${spec.positionals ? ` ${spec.positionals}` : ''}\n\n${spec.summary}\n\noptions:\n${rows.map(([l, h]) => `  ${l.padEnd(width)}  ${h}`).join('\n')}\n`;
}

/** One line for a parseArgs error, naming the option. */
function parseError(err: { code?: string; message: string }, args: readonly string[], spec: ScriptSpec): string {
  const known = Object.keys(spec.options).map((k) => `--${k}`).join(', ');
  const named = /'(-[^' ]+)/.exec(err.message)?.[1] ?? '';
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${named} (options: ${known || 'none'}, --help)`;
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const option = named.replace(/=.*$/, '');
    return spec.options[option.slice(2)]?.value ? `${option} needs a value` : `${option} takes no value`;
  }
  if (err.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `unexpected argument '${args.find((a) => !a.startsWith('-')) ?? ''}' (options: ${known || 'none'}, --help)`;
  return err.message;
}

/**
 * Reads the script's arguments against its options, before any work: `--help` prints the usage
 * to stdout and exits 0; an unknown option, a missing value or an unexpected argument exits 2
 * with one line. Afterwards opt, flag, intOpt and positionals read the parsed values.
 */
export function readScriptOptions(spec: ScriptSpec, args: readonly string[] = argv): void {
  current = { spec, values: {}, positionals: [] };
  if (args.includes('--help')) {
    process.stdout.write(usageText(spec));
    process.exit(0);
  }
  const options = Object.fromEntries(Object.entries(spec.options).map(([k, o]) => [k, { type: o.value ? ('string' as const) : ('boolean' as const) }]));
  try {
    const parsed = parseArgs({ args: [...args], options, strict: true, allowPositionals: spec.positionals !== undefined });
    current = { spec, values: parsed.values, positionals: parsed.positionals };
  } catch (err) {
    usageFail(parseError(err as { code?: string; message: string }, args, spec));
  }
}

function declared(name: string): ScriptOption {
  const o = current?.spec.options[name];
  // A programming error, not a user's: the script reads an option it did not declare.
  if (!o) throw new Error(`option --${name} is not declared in the script's readScriptOptions`);
  return o;
}

/** The value after `--name`, or `def` when the option is absent. */
export function opt(name: string, def: string): string {
  declared(name);
  const v = current?.values[name];
  return typeof v === 'string' ? v : def;
}

/** Whether `--name` was given. */
export function flag(name: string): boolean {
  declared(name);
  return current?.values[name] === true;
}

/** The integer >= `min` (default 1) after `--name`, or `def`. */
export function intOpt(name: string, def: number, min = 1): number {
  const raw = opt(name, String(def));
  const v = Number(raw);
  if (!(Number.isInteger(v) && v >= min)) usageFail(`--${name} must be an integer >= ${min}, got '${raw}'`);
  return v;
}

/** The positional arguments (for a script that declared `positionals`). */
export function positionals(): string[] {
  return [...(current?.positionals ?? [])];
}

/** The directory `--name` names (or `def`), resolved; exits 2 with one line when it does not exist. */
export function existingDir(name: string, def: string, what = 'FccIQ data directory'): string {
  const dir = resolve(opt(name, def));
  if (!existsSync(dir)) usageFail(`--${name}: ${what} ${dir} not found (give --${name} DIR)`);
  return dir;
}

/** The script's own git-ignored folder, scratch/<script>/ (e.g. scratch/kpi-gaps). */
export function scratchDir(): string {
  return join(ROOT, 'scratch', (current?.spec.name ?? 'script').replace(/^.*\//, '').replace(/\.ts$/, '').replace(/[^a-z0-9-]+/gi, '-'));
}

/**
 * Where the script writes its results: `--out DIR` when given, else scratch/<script>/ (git-ignored),
 * so that no run overwrites the committed results unless told to (`--out <committed>`, which
 * --help names).
 */
export function outDir(): string {
  const given = opt('out', '');
  return given ? resolve(given) : scratchDir();
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
