/**
 * A leave-one-file-out candidate as named on the command line: an input normalisation
 * (src/measurements/inputs.ts), optionally with `+lsN`, a random level shift of up to N dB
 * per training file and epoch (src/datasets/kpi/augment.ts). E.g. `pooled`, `pooled+ls3`.
 */
import { isKpiInputs, type KpiInputs } from '../../src/measurements/inputs.js';

export interface Candidate {
  name: string;
  inputs: KpiInputs;
  levelShiftDb: number;
}

export function parseCandidate(name: string): Candidate {
  const m = /^([a-z-]+)(?:\+ls(\d+(?:\.\d+)?))?$/.exec(name);
  if (!m || !isKpiInputs(m[1])) throw new Error(`--inputs: '${name}' is not a normalisation (optionally +lsN, N dB of level shift)`);
  return { name, inputs: m[1], levelShiftDb: m[2] === undefined ? 0 : Number(m[2]) };
}
