/** The six KPI/interference architectures by name (one file each). */
import { AttentionModel } from './attention.js';
import { DEFAULT_CONFIG, type KpiModel, type KpiModelConfig } from './base.js';
import { CrossStitchModel } from './cross-stitch.js';
import { HardSharingModel } from './hard-sharing.js';
import { MmoeModel } from './mmoe.js';
import { PleModel } from './ple.js';
import { StlModel } from './stl.js';

export const KPI_ARCHS = ['stl', 'hard-sharing', 'mmoe', 'cross-stitch', 'ple', 'attention'] as const;
export type KpiArch = (typeof KPI_ARCHS)[number];

const REGISTRY: Record<KpiArch, new (c: KpiModelConfig) => KpiModel> = {
  stl: StlModel,
  'hard-sharing': HardSharingModel,
  mmoe: MmoeModel,
  'cross-stitch': CrossStitchModel,
  ple: PleModel,
  attention: AttentionModel,
};

/** Paper's display names (Tables 5-6). */
export const ARCH_LABELS: Record<KpiArch, string> = {
  stl: 'STL',
  'hard-sharing': 'HardShare',
  mmoe: 'MMoE',
  'cross-stitch': 'CrossStitch',
  ple: 'PLE',
  attention: 'Attention',
};

export function isKpiArch(name: string): name is KpiArch {
  return (KPI_ARCHS as readonly string[]).includes(name);
}

export function createKpiModel(arch: string, config: Partial<Omit<KpiModelConfig, 'arch'>> = {}): KpiModel {
  if (!isKpiArch(arch)) throw new Error(`--arch must be one of ${KPI_ARCHS.join(', ')}, got '${arch}'.`);
  const window = config.window ?? DEFAULT_CONFIG.window;
  const context = config.context ?? window;
  if (!Number.isInteger(context) || context < 1 || context > window) {
    throw new Error(`--context must be an integer from 1 to the window length ${window}, got ${context}.`);
  }
  return new REGISTRY[arch]({ ...DEFAULT_CONFIG, ...config, window, context, arch });
}
