/**
 * Moves a model saved by an older radio-mtl in the flat layout (DIR/model.json + DIR/weights.bin,
 * plus sidecars such as metrics.json) into the versioned layout (DIR/current.json + DIR/v1/...),
 * byte for byte: the weights are first checked against the sha256 recorded in model.json, and
 * model.json is kept as it is. `radio-mtl upgrade-model DIR...` runs it; model-io's refusal of a
 * flat layout names that command.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../input-error.js';
import { hasPointer, sha256Hex, VersionWriter } from '../io/versioned-dir.js';

const SIDECARS = ['metrics.json', 'curve.json', 'test-predictions.json'];

export type UpgradeOutcome = { upgraded: false } | { upgraded: true; version: string; weightsSha256: string; sidecars: string[] };

/** The flat model.json's weights file and checksum; InputError naming `dir` when it is not one. */
function readFlatModelJson(dir: string): { bytes: Buffer; weightsFile: string; weightsSha256: string } {
  const path = join(dir, 'model.json');
  if (!existsSync(path)) throw new InputError(dir, 'has neither current.json nor model.json: not a model directory');
  const bytes = readFileSync(path);
  let json: { weightsFile?: unknown; weightsSha256?: unknown };
  try {
    json = JSON.parse(bytes.toString('utf8')) as typeof json;
  } catch {
    throw new InputError(path, 'is not JSON');
  }
  if (typeof json.weightsFile !== 'string' || typeof json.weightsSha256 !== 'string') throw new InputError(path, 'must name weightsFile and weightsSha256');
  return { bytes, weightsFile: json.weightsFile, weightsSha256: json.weightsSha256 };
}

/** Upgrades the model in `dir`; a directory already in the versioned layout is left as it is. */
export function upgradeModelLayout(dir: string): UpgradeOutcome {
  if (hasPointer(dir)) return { upgraded: false };
  const flat = readFlatModelJson(dir);
  const weightsPath = join(dir, flat.weightsFile);
  if (!existsSync(weightsPath)) throw new InputError(weightsPath, 'is missing (named by model.json)');
  const weights = readFileSync(weightsPath);
  const sha = sha256Hex(weights);
  if (sha !== flat.weightsSha256) throw new InputError(weightsPath, `sha256 ${sha} does not match model.json (${flat.weightsSha256}); not upgraded`);
  const sidecars = SIDECARS.filter((f) => existsSync(join(dir, f)));
  const writer = new VersionWriter(dir);
  writer.write('model.json', flat.bytes);
  writer.write(flat.weightsFile, weights);
  for (const f of sidecars) writer.write(f, readFileSync(join(dir, f)));
  const { version } = writer.commit();
  // Removed only once the new version is committed: a crash before leaves the flat files.
  for (const f of ['model.json', flat.weightsFile, ...sidecars]) rmSync(join(dir, f));
  return { upgraded: true, version, weightsSha256: sha, sidecars };
}
