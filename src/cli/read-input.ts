/** Reads a JSON document from a file or stdin ('-') for CLI commands. */
import { readFileSync } from 'node:fs';
import { InputError } from '../input-error.js';

export function readJsonInput(source: string, option = '--input'): unknown {
  let text: string;
  try {
    text = readFileSync(source === '-' ? 0 : source, 'utf8');
  } catch (err) {
    throw new InputError(option, `cannot read '${source}' (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InputError(option, `'${source}' is not valid JSON (${(err as Error).message})`);
  }
}
