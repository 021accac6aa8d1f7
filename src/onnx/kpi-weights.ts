/** Reading a KPI model's weights by their saved names (the names its weights.bin uses). */
import { dense, readWeight, type LstmWeights, type TensorLike, type Weight } from './layers.js';
import type { OnnxGraph } from './graph.js';

/** Task order of every KPI model: three regressions, then the interference classifier. */
export const KPI_TASKS = ['rsrp', 'rsrq', 'sinr', 'cls'] as const;

export class KpiWeights {
  constructor(
    private readonly vars: Readonly<Record<string, TensorLike>>,
    readonly hidden: number,
  ) {}

  has(name: string): boolean {
    return name in this.vars;
  }

  get(name: string): Weight {
    const t = this.vars[name];
    if (!t) throw new Error(`the model has no weight '${name}'`);
    return readWeight(t);
  }

  /** How many weight names match `pattern` (e.g. the cross-stitch units). */
  count(pattern: RegExp): number {
    return Object.keys(this.vars).filter((n) => pattern.test(n)).length;
  }

  lstm(prefix: string): LstmWeights {
    return { wx: this.get(`${prefix}.wx`), wh: this.get(`${prefix}.wh`), b: this.get(`${prefix}.b`) };
  }

  /** The Linear layer `prefix` applied to x. */
  linear(g: OnnxGraph, x: string, prefix: string): string {
    return dense(g, x, prefix, this.get(`${prefix}.w`), this.get(`${prefix}.b`));
  }

  /** Linear-ReLU-Linear tower (`prefix.1`, `prefix.2`); dropout is off at inference. */
  tower(g: OnnxGraph, x: string, prefix: string): string {
    return this.linear(g, g.node('Relu', [this.linear(g, x, `${prefix}.1`)]), `${prefix}.2`);
  }

  /** Output columns of Linear `prefix` divided by the hidden size: how many experts it computes. */
  experts(prefix: string): number {
    return this.get(`${prefix}.w`).dims[1] / this.hidden;
  }
}
