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
  return new REGISTRY[arch]({ ...DEFAULT_CONFIG, ...config, arch });
}
