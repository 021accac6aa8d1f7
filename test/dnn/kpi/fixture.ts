/**
 * Tiny synthetic FccIQ-like CSVs (same columns as the real files) for fast tests.
 * Interference (lab_inf = 1) comes in bursts and lowers SINR/RSRQ, so it is learnable.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import seedrandom from 'seedrandom';

export const FIXTURE_HEADER = 'Time,NR-ARFCN,PCI,RSRP,RSRQ,SINR,PDSCH_MCS,lab_anom,lab_inf,Label';

export interface FixtureOptions {
  files?: number;
  rows?: number;
  seed?: number;
  /** Row indices (per file) whose SINR is written as '-' (missing). */
  missing?: number[];
}

/** Writes `files` CSVs into `dir`; returns their paths. */
export function writeFixture(dir: string, o: FixtureOptions = {}): string[] {
  const files = o.files ?? 2;
  const rows = o.rows ?? 160;
  const rng = seedrandom(`fixture-${o.seed ?? 1}`);
  const paths: string[] = [];
  mkdirSync(dir, { recursive: true });
  for (let f = 0; f < files; f++) {
    const lines = [FIXTURE_HEADER];
    let rsrp = -90 - 5 * f;
    for (let i = 0; i < rows; i++) {
      const inf = Math.floor(i / 12) % 3 === 1 ? 1 : 0;
      rsrp += (rng() - 0.5) * 2 - 0.05 * (rsrp + 90 + 5 * f);
      const sinr = 25 - 15 * inf + (rng() - 0.5) * 4;
      const rsrq = -10.5 - 3 * inf + (rng() - 0.5);
      const t = new Date(Date.UTC(2022, 9, 4, 15, 0, 0) + i * 500).toISOString().replace('T', ' ').replace('Z', '');
      const sinrText = o.missing?.includes(i) ? '-' : sinr.toFixed(2);
      lines.push(`${t},628416,17,${rsrp.toFixed(2)},${rsrq.toFixed(2)},${sinrText},20.0,0,${inf},${inf}`);
    }
    const p = join(dir, `Lvl_${f}_fixture.csv`);
    writeFileSync(p, lines.join('\n') + '\n');
    paths.push(p);
  }
  return paths;
}
