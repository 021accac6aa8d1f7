/**
 * Model save/load for every radio-mtl network, without tfjs-node (DESIGN.md, "Engine").
 *
 * A model is a directory holding two files:
 *   - weights.bin  the tensors' values, concatenated little-endian (float32 or int32), in
 *                  the order of `weightSpecs`;
 *   - model.json   { format, formatVersion, weightsFile, weightsBytes, weightsSha256,
 *                    weightSpecs: [{ name, shape, dtype, offset, byteLength }], manifest }.
 * `manifest` is whatever the model family records (scheme, tasks, seed, training budget,
 * data manifest hash, backend, metrics, ...); it must be JSON-serialisable.
 *
 * Both files are written atomically (temp file, fsync, rename): weights.bin first, then
 * model.json. model.json carries the sha256 and length of weights.bin, so a torn save
 * (crash between the two renames), a truncated or edited weights file, or a malformed
 * model.json is refused by `loadModel` with a ModelFileError naming the file and the rule.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.js';
import { tf } from './engine.js';

export const MODEL_FORMAT = 'radio-mtl-model';
export const MODEL_FORMAT_VERSION = 1;
export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

export type WeightDtype = 'float32' | 'int32';

/** A bad, missing or corrupted model directory. The message names the file and the rule. */
export class ModelFileError extends Error {
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
}

export interface SaveModelResult {
  dir: string;
  weightsSha256: string;
  weightsBytes: number;
  /** sha256 of model.json as written: a short identity for "this exact model". */
  modelJsonSha256: string;
}

export interface LoadedModel<M = Record<string, unknown>> {
  weights: Record<string, tf.Tensor>;
  manifest: M;
  weightsSha256: string;
  modelJsonSha256: string;
}

function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Writes `weights` (tensor values are read synchronously) and `manifest` to `dir`
 * (created if needed). Overwrites an existing model there, atomically per file.
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
  const weightsSha256 = sha256(bin);
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
  writeFileAtomic(join(dir, WEIGHTS_BIN), bin);
  writeFileAtomic(join(dir, MODEL_JSON), text);
  return { dir, weightsSha256, weightsBytes: bin.byteLength, modelJsonSha256: sha256(text) };
}

/** True when `dir` holds a model.json (it may still be corrupted; loadModel checks). */
export function modelExists(dir: string): boolean {
  return existsSync(join(dir, MODEL_JSON));
}

/** Reads and validates model.json only (no weights). Throws ModelFileError. */
export function readModelJson<M = Record<string, unknown>>(dir: string): { json: ModelJson<M>; sha256: string } {
  const path = join(dir, MODEL_JSON);
  if (!existsSync(path)) throw new ModelFileError(`${path}: no model here (model.json is missing).`);
  const text = readFileSync(path, 'utf8');
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
  return { json: j as ModelJson<M>, sha256: sha256(text) };
}

/** Reads a model as plain typed arrays (verifies the checksum). Throws ModelFileError. */
export function loadModelArrays<M = Record<string, unknown>>(
  dir: string,
): { arrays: Record<string, WeightArray>; manifest: M; weightsSha256: string; modelJsonSha256: string } {
  const { json, sha256: modelJsonSha256 } = readModelJson<M>(dir);
  const path = join(dir, json.weightsFile);
  if (!existsSync(path)) throw new ModelFileError(`${path}: weights file is missing.`);
  const bin = readFileSync(path);
  if (bin.byteLength !== json.weightsBytes) {
    throw new ModelFileError(
      `${path}: has ${bin.byteLength} bytes but model.json expects ${json.weightsBytes}; the weights file is truncated or does not belong to this model.json.`,
    );
  }
  const actual = sha256(bin);
  if (actual !== json.weightsSha256) {
    throw new ModelFileError(`${path}: sha256 ${actual.slice(0, 12)}... does not match model.json (${json.weightsSha256.slice(0, 12)}...); the weights file is corrupted.`);
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
