/**
 * The header every saved model's manifest shares, whatever its family: kind
 * ('radio-mtl/<family>'), toolVersion, backend, createdAt. Models saved by older radio-mtl
 * versions with other spellings still load: their manifests are read in today's.
 */

/** The model families and the `kind` their manifests record. */
export const MODEL_KINDS = { allocation: 'radio-mtl/allocation', kpi: 'radio-mtl/kpi', interference: 'radio-mtl/interference' } as const;
export type ModelFamily = keyof typeof MODEL_KINDS;

/** The fields every family's manifest starts with. */
export interface ManifestHeader<F extends ModelFamily> {
  kind: (typeof MODEL_KINDS)[F];
  /** radio-mtl version that saved the model. */
  toolVersion: string;
  /** TensorFlow.js backend the model was trained on. */
  backend: string;
  createdAt: string;
}

/** Kinds recorded by older radio-mtl versions, still loaded. */
const LEGACY_KINDS: Record<string, ModelFamily> = { 'kpi-model': 'kpi', interference: 'interference' };

/** The family of a manifest (older spellings included), or undefined when it is none of ours. */
export function modelFamily(manifest: unknown): ModelFamily | undefined {
  const kind = (manifest as { kind?: unknown } | null)?.kind;
  if (typeof kind !== 'string') return undefined;
  return (Object.keys(MODEL_KINDS) as ModelFamily[]).find((f) => MODEL_KINDS[f] === kind) ?? LEGACY_KINDS[kind];
}

/**
 * A manifest in today's header spelling: KPI models of older radio-mtl versions recorded
 * kind 'kpi-model' and the tool version as 'version'. The files are not rewritten.
 */
export function currentManifest<M>(manifest: M): M {
  const m = manifest as Record<string, unknown>;
  const family = modelFamily(m);
  if (!family || m.kind === MODEL_KINDS[family]) return manifest;
  const { version, ...rest } = m;
  return { ...rest, kind: MODEL_KINDS[family], toolVersion: m.toolVersion ?? version } as M;
}

/** Keeps manifest entries whose JSON is small; drops long arrays such as loss curves. */
export function summariseManifest(manifest: Record<string, unknown>, maxEntryChars = 2000): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(manifest)) {
    const text = JSON.stringify(v);
    if (text !== undefined && text.length <= maxEntryChars) out[k] = v;
  }
  return out;
}
