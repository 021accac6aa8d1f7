/**
 * Model save/load for every radio-mtl network, without tfjs-node (whose install downloads a
 * native library; `file://` model URLs need it).
 *
 * A model is a versioned directory (src/io/versioned-dir.ts): current.json names the
 * live version folder and records the sha256 of each of its files:
 *   - weights.bin  the tensors' values, concatenated little-endian (float32 or int32), in
 *                  the order of `weightSpecs`;
 *   - model.json   { format, formatVersion, weightsFile, weightsBytes, weightsSha256,
 *                    weightSpecs: [{ name, shape, dtype, offset, byteLength }], manifest };
 *   - sidecars     optional files saved with the model (a trainer's metrics.json, curve.json).
 * `manifest` is what the model family records (scheme, tasks, seed, training budget,
 * data manifest hash, metrics, ...), JSON-serialisable, with the header every family shares
 * (manifest.ts).
 *
 * A save writes a new version aside and switches to it with one rename, so a crash keeps
 * the old model whole, and sidecars always belong to the weights they were saved with.
 * Any edit of model.json (its manifest included) or weights.bin, a truncated file or a
 * malformed model.json is refused by `loadModel` with a ModelFileError naming the file
 * and the rule.
 */
import { copyCurrentVersion, hasPointer, readPointer, readVersionFile, sha256Hex, versionFilePath, VersionedDirError, VersionWriter, type VersionPointer } from '../io/versioned-dir.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { tf } from './engine.js';
import { InputError } from '../input-error.js';

export const MODEL_FORMAT = 'radio-mtl-model';
export const MODEL_FORMAT_VERSION = 1;
export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

export type WeightDtype = 'float32' | 'int32';

/** A bad, missing or corrupted model directory. The message names the file and the rule. */
export class ModelFileError extends InputError {
  override name = 'ModelFileError';
}

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: WeightDtype;
  /** Byte offset in weights.bin. */
  offset: number;
  byteLength: number;
}

export interface ModelJson<M = Record<string, unknown>> {
  format: typeof MODEL_FORMAT;
  formatVersion: number;
  weightsFile: string;
  weightsBytes: number;
  weightsSha256: string;
  weightSpecs: WeightSpec[];
  manifest: M;
}

/** Plain typed arrays, for callers that run inference without tensors. */
export interface WeightArray {
  shape: number[];
  dtype: WeightDtype;
  values: Float32Array | Int32Array;
}

export interface SaveModelInput<M extends object = object> {
  weights: Record<string, tf.Tensor>;
  manifest: M;
  /** Extra files committed in the same version (e.g. metrics.json), by file name. */
  sidecars?: Record<string, string | Uint8Array>;
}

export interface SaveModelResult {
  dir: string;
  weightsSha256: string;
  weightsBytes: number;
  /** sha256 of model.json as written: a short identity for "this exact model". */
  modelJsonSha256: string;
  /** Bytes of every file of the saved version. */
  bytesOnDisk: number;
}

export interface LoadedModel<M = Record<string, unknown>> {
  weights: Record<string, tf.Tensor>;
  manifest: M;
  weightsSha256: string;
  modelJsonSha256: string;
}

/** Runs a versioned-dir step, reporting its failures as ModelFileError. */
function asModelFileError<T>(step: () => T): T {
  try {
    return step();
  } catch (err) {
    if (err instanceof VersionedDirError) throw new ModelFileError(err.message);
    throw err;
  }
}

/**
 * Writes `weights` (tensor values are read synchronously), `manifest` and `sidecars` to
 * `dir` (created if needed) as a new version; an existing model there is replaced in one
 * atomic step.
 */
export function saveModel<M extends object>(dir: string, model: SaveModelInput<M>): SaveModelResult {
  const names = Object.keys(model.weights);
  const specs: WeightSpec[] = [];
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const name of names) {
    const t = model.weights[name];
    if (t.dtype !== 'float32' && t.dtype !== 'int32') {
      throw new ModelFileError(`weight '${name}': dtype must be float32 or int32, got ${t.dtype}.`);
    }
    const data = t.dataSync();
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const copy = new Uint8Array(bytes.byteLength);
    copy.set(bytes);
    specs.push({ name, shape: [...t.shape], dtype: t.dtype, offset, byteLength: copy.byteLength });
    chunks.push(copy);
    offset += copy.byteLength;
  }
  const bin = new Uint8Array(offset);
  let at = 0;
  for (const c of chunks) {
    bin.set(c, at);
    at += c.byteLength;
  }
  const weightsSha256 = sha256Hex(bin);
  const json: ModelJson<M> = {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    weightsFile: WEIGHTS_BIN,
    weightsBytes: bin.byteLength,
    weightsSha256,
    weightSpecs: specs,
    manifest: model.manifest,
  };
  const text = `${JSON.stringify(json, null, 2)}\n`;
  const pointer = asModelFileError(() => {
    const writer = new VersionWriter(dir);
    try {
      writer.write(WEIGHTS_BIN, bin);
      writer.write(MODEL_JSON, text);
      for (const [name, data] of Object.entries(model.sidecars ?? {})) {
        if (name === WEIGHTS_BIN || name === MODEL_JSON) throw new ModelFileError(`sidecar '${name}': the name is taken by the model itself.`);
        writer.write(name, data);
      }
      return writer.commit();
    } catch (err) {
      writer.abort();
      throw err;
    }
  });
  const bytesOnDisk = Object.values(pointer.files).reduce((a, f) => a + f.bytes, 0);
  return { dir, weightsSha256, weightsBytes: bin.byteLength, modelJsonSha256: sha256Hex(text), bytesOnDisk };
}

/** True when `dir` holds a saved model (it may still be corrupted or of an older layout; loadModel checks). */
export function modelExists(dir: string): boolean {
  return hasPointer(dir) || existsSync(join(dir, MODEL_JSON));
}

/** The pointer to the model's current version. Throws ModelFileError. */
function currentVersion(dir: string): VersionPointer {
  return asModelFileError(() => {
    if (!hasPointer(dir) && existsSync(join(dir, MODEL_JSON))) {
      throw new VersionedDirError(
        `${join(dir, MODEL_JSON)}: flat model layout of an older radio-mtl (no current.json), whose model.json cannot be verified; convert it with 'radio-mtl upgrade-model ${dir}'.`,
      );
    }
    if (!hasPointer(dir)) throw new VersionedDirError(`${dir}: no model here (model.json is missing).`);
    return readPointer(dir);
  });
}

/** Path of file `name` (model.json, weights.bin or a sidecar) of the model's current version. */
export function modelFilePath(dir: string, name: string): string {
  return versionFilePath(dir, currentVersion(dir), name);
}

/** A sidecar saved with the model's current version (undefined when it has none). Throws ModelFileError. */
export function readModelSidecar(dir: string, name: string): string | undefined {
  const pointer = currentVersion(dir);
  if (!Object.hasOwn(pointer.files, name)) return undefined;
  return asModelFileError(() => readVersionFile(dir, pointer, name)).toString('utf8');
}

/** Copies the current version of a model (sidecars included) to `to`, checking every file. */
export function copyModel(from: string, to: string): void {
  asModelFileError(() => copyCurrentVersion(from, to));
}

/** Reads and validates model.json only (no weights). Throws ModelFileError. */
export function readModelJson<M = Record<string, unknown>>(dir: string): { json: ModelJson<M>; sha256: string } {
  return parseModelJson<M>(dir, currentVersion(dir));
}

function parseModelJson<M>(dir: string, pointer: VersionPointer): { json: ModelJson<M>; sha256: string } {
  const text = asModelFileError(() => readVersionFile(dir, pointer, MODEL_JSON)).toString('utf8');
  const path = versionFilePath(dir, pointer, MODEL_JSON);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ModelFileError(`${path}: not valid JSON (${(err as Error).message}); the file is corrupted or partial.`);
  }
  const j = parsed as Partial<ModelJson<M>>;
  if (j === null || typeof j !== 'object' || j.format !== MODEL_FORMAT) {
    throw new ModelFileError(`${path}: 'format' must be '${MODEL_FORMAT}'; this is not a radio-mtl model.`);
  }
  if (j.formatVersion !== MODEL_FORMAT_VERSION) {
    throw new ModelFileError(`${path}: formatVersion ${String(j.formatVersion)} is not supported (expected ${MODEL_FORMAT_VERSION}).`);
  }
  if (typeof j.weightsFile !== 'string' || j.weightsFile.includes('/') || j.weightsFile.includes('\\')) {
    throw new ModelFileError(`${path}: 'weightsFile' must be a file name in the model directory.`);
  }
  if (typeof j.weightsSha256 !== 'string' || !/^[0-9a-f]{64}$/.test(j.weightsSha256)) {
    throw new ModelFileError(`${path}: 'weightsSha256' must be 64 hex digits.`);
  }
  if (!Number.isInteger(j.weightsBytes) || (j.weightsBytes as number) < 0) {
    throw new ModelFileError(`${path}: 'weightsBytes' must be a non-negative integer.`);
  }
  if (!Array.isArray(j.weightSpecs)) throw new ModelFileError(`${path}: 'weightSpecs' must be an array.`);
  for (const [i, s] of j.weightSpecs.entries()) {
    const ok =
      s !== null &&
      typeof s === 'object' &&
      typeof s.name === 'string' &&
      Array.isArray(s.shape) &&
      s.shape.every((d: unknown) => Number.isInteger(d) && (d as number) >= 0) &&
      (s.dtype === 'float32' || s.dtype === 'int32') &&
      Number.isInteger(s.offset) &&
      Number.isInteger(s.byteLength) &&
      s.byteLength === 4 * s.shape.reduce((a: number, b: number) => a * b, 1) &&
      s.offset >= 0 &&
      s.offset + s.byteLength <= (j.weightsBytes as number);
    if (!ok) throw new ModelFileError(`${path}: weightSpecs[${i}] is malformed (name, shape, dtype float32|int32, offset, byteLength = 4 * size inside weightsBytes).`);
  }
  return { json: j as ModelJson<M>, sha256: sha256Hex(text) };
}

/** Reads a model as plain typed arrays (verifies the checksum). Throws ModelFileError. */
export function loadModelArrays<M = Record<string, unknown>>(
  dir: string,
): { arrays: Record<string, WeightArray>; manifest: M; weightsSha256: string; modelJsonSha256: string } {
  const pointer = currentVersion(dir);
  const { json, sha256: modelJsonSha256 } = parseModelJson<M>(dir, pointer);
  const path = versionFilePath(dir, pointer, json.weightsFile);
  const bin = asModelFileError(() => readVersionFile(dir, pointer, json.weightsFile));
  // current.json vouches for each file; this ties the weights to this model.json.
  if (bin.byteLength !== json.weightsBytes || sha256Hex(bin) !== json.weightsSha256) {
    throw new ModelFileError(`${path}: does not match the length and sha256 recorded in model.json; the weights file does not belong to this model.json.`);
  }
  // Copy into an aligned buffer (Buffer slices may not be 4-byte aligned).
  const aligned = new Uint8Array(bin.byteLength);
  aligned.set(bin);
  const arrays: Record<string, WeightArray> = {};
  for (const s of json.weightSpecs) {
    const n = s.byteLength / 4;
    const values = s.dtype === 'float32' ? new Float32Array(aligned.buffer, s.offset, n).slice() : new Int32Array(aligned.buffer, s.offset, n).slice();
    if (s.dtype === 'float32') {
      for (let i = 0; i < n; i++) {
        if (!Number.isFinite(values[i])) throw new ModelFileError(`${path}: weight '${s.name}' holds a non-finite value at index ${i}.`);
      }
    }
    arrays[s.name] = { shape: s.shape, dtype: s.dtype, values };
  }
  return { arrays, manifest: json.manifest, weightsSha256: json.weightsSha256, modelJsonSha256 };
}

/** Reads a model into tensors (verifies the checksum). Throws ModelFileError. */
export function loadModel<M = Record<string, unknown>>(dir: string): LoadedModel<M> {
  const { arrays, manifest, weightsSha256, modelJsonSha256 } = loadModelArrays<M>(dir);
  const weights: Record<string, tf.Tensor> = {};
  for (const [name, a] of Object.entries(arrays)) weights[name] = tf.tensor(a.values, a.shape, a.dtype);
  return { weights, manifest, weightsSha256, modelJsonSha256 };
}
