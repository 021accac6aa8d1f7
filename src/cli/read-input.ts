/** Reads a JSON document from a file or stdin ('-') for CLI commands. */
import { readFileSync } from 'node:fs';
import { UserError } from './errors.js';

export function readJsonInput(source: string, option = '--input'): unknown {
  let text: string;
  try {
    text = readFileSync(source === '-' ? 0 : source, 'utf8');
  } catch (err) {
    throw new UserError(`${option}: cannot read '${source}' (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UserError(`${option}: '${source}' is not valid JSON (${(err as Error).message})`);
  }
}
