/**
 * Small dependency-free SVG charts for the allocation report: test curves (line charts,
 * optional log y axis) and the routing-mask overlap heat map.
 */

export interface Series {
  name: string;
  points: Array<[number, number]>;
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  logY?: boolean;
  /** Horizontal reference line (e.g. the exact optimum). */
  reference?: { y: number; label: string };
  width?: number;
  height?: number;
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const step0 = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= step0) ?? step0;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-12 * Math.abs(hi); v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

function fmt(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(0);
  return String(Number(v.toPrecision(3)));
}

export function lineChart(o: LineChartOptions): string {
  const W = o.width ?? 560;
  const H = o.height ?? 360;
  const m = { l: 70, r: 150, t: 36, b: 48 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const tf = (y: number) => (o.logY ? Math.log10(Math.max(y, 1e-12)) : y);
  const all = o.series.flatMap((s) => s.points).filter(([, y]) => Number.isFinite(y) && (!o.logY || y > 0));
  const ys = all.map(([, y]) => tf(y));
  if (o.reference) ys.push(tf(o.reference.y));
  const xs = all.map(([x]) => x);
  const x0 = Math.min(...xs, 0);
  let x1 = Math.max(...xs, 1);
  let y0 = ys.length ? Math.min(...ys) : 0;
  let y1 = ys.length ? Math.max(...ys) : 1;
  if (y1 - y0 < 1e-9) {
    y0 -= 0.5;
    y1 += 0.5;
  }
  const pad = (y1 - y0) * 0.05;
  y0 -= pad;
  y1 += pad;
  if (x1 === x0) x1 = x0 + 1;
  const px = (x: number) => m.l + ((x - x0) / (x1 - x0)) * pw;
  const py = (y: number) => m.t + ph - ((tf(y) - y0) / (y1 - y0)) * ph;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`);
  parts.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  parts.push(`<text x="${m.l + pw / 2}" y="20" text-anchor="middle" font-size="13">${esc(o.title)}</text>`);
  // Axes and ticks.
  parts.push(`<rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}" fill="none" stroke="#444"/>`);
  for (const t of niceTicks(x0, x1)) {
    parts.push(`<line x1="${px(t)}" y1="${m.t + ph}" x2="${px(t)}" y2="${m.t + ph + 4}" stroke="#444"/>`);
    parts.push(`<text x="${px(t)}" y="${m.t + ph + 16}" text-anchor="middle">${fmt(t)}</text>`);
  }
  const yt = o.logY ? niceTicks(Math.floor(y0), Math.ceil(y1), Math.max(1, Math.ceil(y1) - Math.floor(y0))).filter((t) => Number.isInteger(t) && t >= y0 && t <= y1) : niceTicks(y0, y1);
  for (const t of yt) {
    const v = o.logY ? 10 ** t : t;
    const y = py(v);
    parts.push(`<line x1="${m.l}" y1="${y}" x2="${m.l + pw}" y2="${y}" stroke="#ddd"/>`);
    parts.push(`<text x="${m.l - 6}" y="${y + 4}" text-anchor="end">${fmt(v)}</text>`);
  }
  parts.push(`<text x="${m.l + pw / 2}" y="${H - 10}" text-anchor="middle">${esc(o.xLabel)}</text>`);
  parts.push(`<text transform="translate(16 ${m.t + ph / 2}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}</text>`);
  if (o.reference) {
    const y = py(o.reference.y);
    parts.push(`<line x1="${m.l}" y1="${y}" x2="${m.l + pw}" y2="${y}" stroke="#000" stroke-dasharray="5 4"/>`);
    parts.push(`<text x="${m.l + pw + 6}" y="${y + 4}">${esc(o.reference.label)}</text>`);
  }
  o.series.forEach((s, i) => {
    const c = COLORS[i % COLORS.length];
    const pts = s.points.filter(([, y]) => Number.isFinite(y) && (!o.logY || y > 0));
    if (pts.length) parts.push(`<polyline fill="none" stroke="${c}" stroke-width="1.6" points="${pts.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ')}"/>`);
    const ly = m.t + 14 + i * 16;
    parts.push(`<line x1="${m.l + pw + 10}" y1="${ly - 4}" x2="${m.l + pw + 30}" y2="${ly - 4}" stroke="${c}" stroke-width="2"/>`);
    parts.push(`<text x="${m.l + pw + 34}" y="${ly}">${esc(s.name)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

/** Heat map of a square matrix with values in [0, 1]. */
export function heatMap(title: string, labels: string[], matrix: number[][]): string {
  const n = labels.length;
  const cell = 30;
  const m = { l: 110, t: 110, r: 70, b: 20 };
  const W = m.l + n * cell + m.r;
  const H = m.t + n * cell + m.b;
  const color = (v: number) => {
    const t = Math.max(0, Math.min(1, v));
    const r = Math.round(255 - 225 * t);
    const g = Math.round(255 - 150 * t);
    const b = Math.round(255 - 60 * t);
    return `rgb(${r},${g},${b})`;
  };
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="10">`);
  parts.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  parts.push(`<text x="${W / 2}" y="18" text-anchor="middle" font-size="13">${esc(title)}</text>`);
  labels.forEach((l, i) => {
    parts.push(`<text x="${m.l - 6}" y="${m.t + i * cell + cell / 2 + 4}" text-anchor="end">${esc(l)}</text>`);
    parts.push(`<text transform="translate(${m.l + i * cell + cell / 2 + 4} ${m.t - 6}) rotate(-60)">${esc(l)}</text>`);
  });
  matrix.forEach((row, i) =>
    row.forEach((v, j) => {
      parts.push(`<rect x="${m.l + j * cell}" y="${m.t + i * cell}" width="${cell}" height="${cell}" fill="${color(v)}" stroke="white"/>`);
      parts.push(`<text x="${m.l + j * cell + cell / 2}" y="${m.t + i * cell + cell / 2 + 3}" text-anchor="middle" fill="${v > 0.6 ? 'white' : 'black'}" font-size="8">${v.toFixed(2)}</text>`);
    }),
  );
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
