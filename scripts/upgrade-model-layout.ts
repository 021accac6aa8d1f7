/**
 * `npx tsx scripts/upgrade-model-layout.ts DIR...`: moves models saved in the older flat
 * layout (DIR/model.json + DIR/weights.bin, plus sidecars such as metrics.json) into the
 * versioned layout (DIR/current.json + DIR/v1/...), byte for byte: the weights are first
 * checked against the sha256 recorded in model.json, and model.json is kept as it is.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex, VersionWriter } from '../src/io/versioned-dir.js';
import { positionals, readScriptOptions, usageFail } from './shared/lib.js';

readScriptOptions({
  name: 'scripts/upgrade-model-layout.ts',
  summary: 'Moves models saved in the older flat layout (DIR/model.json + weights) into the versioned layout (DIR/current.json + DIR/v1/), byte for byte.',
  options: {},
  positionals: 'DIR...',
});

const SIDECARS = ['metrics.json', 'curve.json', 'test-predictions.json'];

function upgrade(dir: string): void {
  const modelJson = readFileSync(join(dir, 'model.json'));
  const json = JSON.parse(modelJson.toString('utf8')) as { weightsFile: string; weightsSha256: string };
  const weights = readFileSync(join(dir, json.weightsFile));
  const sha = sha256Hex(weights);
  if (sha !== json.weightsSha256) throw new Error(`${join(dir, json.weightsFile)}: sha256 ${sha} does not match model.json; not upgraded.`);
  const present = SIDECARS.filter((f) => existsSync(join(dir, f)));
  const writer = new VersionWriter(dir);
  writer.write('model.json', modelJson);
  writer.write(json.weightsFile, weights);
  for (const f of present) writer.write(f, readFileSync(join(dir, f)));
  const { version } = writer.commit();
  for (const f of ['model.json', json.weightsFile, ...present]) rmSync(join(dir, f));
  process.stderr.write(`${dir}: upgraded to ${version} (weights sha256 ${sha.slice(0, 12)}..., sidecars: ${present.join(', ') || 'none'})\n`);
}

const dirs = positionals();
if (dirs.length === 0) usageFail('give at least one model directory DIR (see --help)');
for (const dir of dirs) {
  if (existsSync(join(dir, 'current.json'))) process.stderr.write(`${dir}: already versioned, left as is\n`);
  else upgrade(dir);
}
