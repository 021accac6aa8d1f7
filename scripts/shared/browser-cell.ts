/**
 * What the page's browser test and `bench:page` share: where Debian's chromium is, the flags it
 * runs headless with here, and a synthetic cell's CSV (0.5 s a row, labelled interference dips).
 */
import { existsSync } from 'node:fs';

/** $CHROMIUM_PATH, else Debian's chromium; undefined when none is installed. */
export const CHROMIUM_PATH = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p !== undefined && existsSync(p));

export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** `n` rows 0.5 s apart: slow RSRP drift, an interference dip (labelled) where `isDip(row)`, one RSRQ missing in 97. */
export function syntheticCellCsv(n: number, isDip: (row: number) => boolean): { text: string; rows: Array<Array<number | null>>; timesMs: number[] } {
  const start = Date.UTC(2022, 9, 4, 15, 0, 0);
  const lines = ['Time,RSRP,RSRQ,SINR,lab_inf'];
  const rows: Array<Array<number | null>> = [];
  const timesMs: number[] = [];
  for (let i = 0; i < n; i++) {
    const dip = isDip(i) ? 1 : 0;
    const row: Array<number | null> = [-92 + Math.round(20 * Math.sin(i / 40)) / 10, -10.5 - 6 * dip + Math.round(3 * Math.cos(i)) / 10, 25 - 22 * dip + Math.round(20 * Math.sin(i / 3)) / 10];
    if (i % 97 === 5) row[1] = null;
    rows.push(row);
    timesMs.push(start + i * 500);
    lines.push(`${new Date(timesMs[i]).toISOString().replace('T', ' ').replace('Z', '')},${row.map((v) => (v === null ? '-' : v)).join(',')},${dip}`);
  }
  return { text: `${lines.join('\n')}\n`, rows, timesMs };
}
