/**
 * Instances (gain vectors, KPI windows) read from a CLI input in bounded chunks, and answers
 * written as they come. Two formats:
 *  - a JSON document {"<key>": [...]}: read whole (JSON is parsed whole), answered chunk by chunk;
 *  - NDJSON (`--ndjson`): one instance per line, read as a stream, so memory is bounded by
 *    one chunk however long the input; answers go out one JSON line per instance.
 * The 1,024-item limit of the HTTP API is a body limit: files here may hold any number.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { InputError } from '../input-error.js';
import { readJsonInput } from './read-input.js';
import { openAtomicFile } from '../io/atomic-stream.js';
import { writingTo } from './errors.js';

/** Instances answered per pass. */
export const CHUNK_SIZE = 1024;

export interface Chunk {
  /** Index of the first item in the whole input. */
  offset: number;
  items: unknown[];
}

async function* jsonChunks(source: string, key: string, chunkSize: number): AsyncGenerator<Chunk> {
  const doc = readJsonInput(source);
  if (typeof doc !== 'object' || doc === null || !(key in doc)) throw new InputError('--input', `'${source}' must hold a JSON object with a "${key}" array`);
  const items = (doc as Record<string, unknown>)[key];
  if (!Array.isArray(items)) throw new InputError('--input', `${key}: must be an array`);
  for (let a = 0; a < items.length; a += chunkSize) yield { offset: a, items: items.slice(a, a + chunkSize) };
}

async function* ndjsonChunks(source: string, chunkSize: number): AsyncGenerator<Chunk> {
  const input = source === '-' ? process.stdin : createReadStream(source, 'utf8');
  const opened = new Promise<void>((resolve, reject) => {
    if (source === '-') resolve();
    input.once('open', () => resolve());
    input.once('error', (err: NodeJS.ErrnoException) => reject(new InputError('--input', `cannot read '${source}' (${err.code ?? err.message})`)));
  });
  await opened;
  let items: unknown[] = [];
  let offset = 0;
  let line = 0;
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    line++;
    if (text.trim() === '') continue;
    try {
      items.push(JSON.parse(text));
    } catch (err) {
      throw new InputError('--input', `line ${line}: not valid JSON (${(err as Error).message})`);
    }
    if (items.length === chunkSize) {
      yield { offset, items };
      offset += items.length;
      items = [];
    }
  }
  if (items.length > 0) yield { offset, items };
}

/** The chunks of `source` ('-': stdin): its `key` array, or with `ndjson` its lines. */
export function readChunks(source: string, opts: { key: string; ndjson?: boolean; chunkSize?: number }): AsyncGenerator<Chunk> {
  const size = opts.chunkSize ?? CHUNK_SIZE;
  return opts.ndjson ? ndjsonChunks(source, size) : jsonChunks(source, opts.key, size);
}

/** Where a command's answer goes: stdout, or `--output` replaced atomically when complete. */
export interface Sink {
  write(text: string): void;
  /** Makes the output visible (renames the file into place); nothing is written on failure. */
  close(): void;
  abort(): void;
}

export function openSink(output: string | undefined): Sink {
  if (output === undefined) return { write: (text) => void process.stdout.write(text), close: () => undefined, abort: () => undefined };
  const file = writingTo('--output', output, () => openAtomicFile(output));
  return {
    write: (text) => writingTo('--output', output, () => file.write(text)),
    close: () => writingTo('--output', output, () => file.commit()),
    abort: () => file.abort(),
  };
}

/** Runs `work` writing to the sink of `output`; the sink is committed only when `work` succeeds. */
export async function withSink(output: string | undefined, work: (sink: Sink) => Promise<void>): Promise<void> {
  const sink = openSink(output);
  try {
    await work(sink);
  } catch (err) {
    sink.abort();
    throw err;
  }
  sink.close();
}
