/**
 * Model registry: loads every model directory under `--models DIR`, verifies it (every file
 * current.json lists, read off the event loop with a deadline: src/io/verify-version.ts; then
 * model.json's format and the weights' sha256 in each loader), warms it up (one
 * forward pass per task, outputs must be finite) and serves it. A directory that fails any
 * step is refused with one log line naming it and the reason; the others are still served.
 * Readiness is false until every directory has been tried.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Logger } from 'pino';
import { MODEL_JSON, modelExists, readModelJson } from '../dnn/model-io.js';
import { verifyCurrentVersion } from '../io/verify-version.js';
import { hasPointer } from '../io/versioned-dir.js';
import type { AllocationServable } from '../dnn/allocation/service.js';
import type { InterferenceServable } from '../dnn/interference/service.js';
import type { KpiPrediction, KpiServable } from '../dnn/kpi/servable.js';

export type { AllocationServable, InterferenceServable, KpiPrediction, KpiServable };
export type Servable = AllocationServable | InterferenceServable | KpiServable;

/** Knows one family of models (by its manifest) and how to load it. */
export interface ModelLoader {
  kind: Servable['kind'];
  /** True when `manifest` (model.json's manifest) belongs to this family. */
  accepts(manifest: Record<string, unknown>): boolean;
  /** Loads and verifies the model in `dir`; throws (ModelFileError or other) to refuse it. */
  load(dir: string, name: string): Promise<Servable> | Servable;
}

export interface RefusedModel {
  name: string;
  reason: string;
}

/** How long reading and checksumming one model directory's files may take, ms. */
export const DEFAULT_MODEL_FILE_TIMEOUT_MS = 30_000;

/** 'failed': loading ended with a model refused, or nothing to serve (`detail` says which). */
export type RegistryState = 'loading' | 'ready' | 'failed' | 'shutting-down';

function finiteAll(values: number[]): boolean {
  return values.every((v) => Number.isFinite(v));
}

/** One forward pass per task / one window; throws when an output is not finite. */
export async function warmUp(model: Servable): Promise<void> {
  if (model.kind === 'allocation') {
    if (model.tasks.length === 0) throw new Error('serves no task');
    for (const t of model.tasks) {
      const gains = [Array.from({ length: t.n }, () => 1), Array.from({ length: t.n }, (_, i) => 0.1 + i / t.n)];
      const power = await model.allocate(t.problem, gains);
      if (power.length !== 2 || power.some((p) => p.length !== t.n || !finiteAll(p))) {
        throw new Error(`warm-up of ${t.problem} N=${t.n} gave a malformed or non-finite allocation`);
      }
    }
  } else if (model.kind === 'interference') {
    for (const k of model.sizes) {
      const power = await model.allocate(Float64Array.from({ length: 2 * k * k }, (_, i) => 0.1 + (i % 7) / 7), 2, k);
      if (power.length !== 2 * k || !finiteAll(Array.from(power))) throw new Error(`warm-up of interference K=${k} gave a malformed or non-finite allocation`);
    }
  } else {
    const window = Array.from({ length: model.windowLength }, (_, i) => [-95 - i * 0.1, -11, 12]);
    const out = await model.predict([window, window]);
    if (out.length !== 2 || out.some((p) => !finiteAll([p.rsrp, p.rsrq, p.sinr, p.interferenceProbability]))) {
      throw new Error('warm-up prediction gave a malformed or non-finite result');
    }
  }
}

export class ModelRegistry {
  state: RegistryState = 'loading';
  /** Why the state is 'failed'. */
  detail?: string;
  readonly models: Servable[] = [];
  readonly refused: RefusedModel[] = [];

  constructor(
    private readonly loaders: ModelLoader[],
    private readonly logger: Logger,
    private readonly fileTimeoutMs = DEFAULT_MODEL_FILE_TIMEOUT_MS,
  ) {}

  /** True once every model directory has been tried (loaded or refused). */
  get loaded(): boolean {
    return this.state !== 'loading';
  }

  /**
   * Loads every subdirectory of `modelsDir` (or `modelsDir` itself when it is a model).
   * Ready only when at least one model loaded and none was refused: a missing directory, a
   * subdirectory that holds no model, or a corrupted model makes the state 'failed' (not
   * ready), so a rollout with a broken model gets no traffic. `null`: no models wanted
   * (exact and ipm only), ready at once.
   */
  async loadAll(modelsDir: string | null): Promise<void> {
    if (modelsDir !== null) {
      const dirs = this.modelDirs(modelsDir);
      for (const dir of dirs) await this.loadOne(dir);
      this.refused.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      if (this.refused.length > 0) {
        this.detail = `${this.refused.length} model ${this.refused.length === 1 ? 'directory' : 'directories'} refused (see GET /v1/models): ${this.refused.map((r) => r.name).join(', ')}`;
      } else if (dirs.length === 0 && this.detail === undefined) {
        this.detail = `--models ${modelsDir} holds no model`;
      }
    }
    if (this.state === 'loading') this.state = this.detail === undefined ? 'ready' : 'failed';
    const log = { loaded: this.models.map((m) => `${m.name}@${m.version}`), refused: this.refused.map((r) => r.name) };
    if (this.state === 'failed') this.logger.error(log, `not ready: ${this.detail}`);
    else this.logger.info(log, `models ready: ${this.models.length} loaded`);
  }

  /** The model directories under `modelsDir`; one without a model file is refused. */
  private modelDirs(modelsDir: string): string[] {
    if (!existsSync(modelsDir)) {
      this.detail = `--models ${modelsDir} does not exist`;
      return [];
    }
    if (!statSync(modelsDir).isDirectory()) {
      this.detail = `--models ${modelsDir} is not a directory`;
      return [];
    }
    if (modelExists(modelsDir)) return [modelsDir];
    const dirs: string[] = [];
    for (const entry of readdirSync(modelsDir).sort()) {
      const dir = join(modelsDir, entry);
      if (entry.startsWith('.') || !statSync(dir).isDirectory()) continue;
      if (modelExists(dir)) dirs.push(dir);
      else this.refuse(entry, dir, `no model here (${dir} has neither current.json nor ${MODEL_JSON})`);
    }
    return dirs;
  }

  private refuse(name: string, dir: string, reason: string): void {
    this.refused.push({ name, reason });
    this.logger.error({ model: name, dir, reason }, `model refused: ${name}: ${reason}`);
  }

  /** Loads, verifies and warms up one model directory; refuses it on any failure. */
  async loadOne(dir: string): Promise<Servable | undefined> {
    const name = basename(dir);
    const started = performance.now();
    try {
      // Every file current.json lists, off the event loop and with a deadline, before a
      // loader reads (synchronously) the ones it needs.
      if (hasPointer(dir)) await verifyCurrentVersion(dir, this.fileTimeoutMs);
      const { json } = readModelJson<Record<string, unknown>>(dir);
      const manifest = (json.manifest ?? {}) as Record<string, unknown>;
      const loader = this.loaders.find((l) => l.accepts(manifest));
      if (!loader) throw new Error(`${join(dir, MODEL_JSON)}: the manifest matches no model family this server knows (allocation, interference, kpi)`);
      const model = await loader.load(dir, name);
      await warmUp(model);
      this.models.push(model);
      this.logger.info(
        { model: name, kind: model.kind, version: model.version, ms: Math.round(performance.now() - started) },
        `model loaded and warmed up: ${name} (${model.kind}, ${model.version})`,
      );
      return model;
    } catch (err) {
      this.refuse(name, dir, err instanceof Error ? err.message : String(err));
      return undefined;
    }
  }

  allocationModels(): AllocationServable[] {
    return this.models.filter((m): m is AllocationServable => m.kind === 'allocation');
  }

  interferenceModels(): InterferenceServable[] {
    return this.models.filter((m): m is InterferenceServable => m.kind === 'interference');
  }

  kpiModels(): KpiServable[] {
    return this.models.filter((m): m is KpiServable => m.kind === 'kpi');
  }

  byName(name: string): Servable | undefined {
    return this.models.find((m) => m.name === name);
  }
}
