/** Minimal SVG charts for the KPI report (no plotting dependency). */

export interface Point {
  x: number;
  y: number;
  label?: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function ticks(lo: number, hi: number, n = 5): number[] {
  if (!(hi > lo)) return [lo];
  return Array.from({ length: n + 1 }, (_, i) => lo + ((hi - lo) * i) / n);
}

function fmt(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-2 || a >= 1e5)) return v.toExponential(1);
  return Number(v.toPrecision(3)).toString();
}

function frame(title: string, xLabel: string, yLabel: string, xr: [number, number], yr: [number, number], body: (sx: (v: number) => number, sy: (v: number) => number) => string, W = 560, Hh = 380): string {
  const m = { l: 70, r: 20, t: 36, b: 50 };
  const sx = (v: number) => m.l + ((v - xr[0]) / (xr[1] - xr[0] || 1)) * (W - m.l - m.r);
  const sy = (v: number) => Hh - m.b - ((v - yr[0]) / (yr[1] - yr[0] || 1)) * (Hh - m.t - m.b);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${Hh}" viewBox="0 0 ${W} ${Hh}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${Hh}" fill="white"/>`,
    `<text x="${W / 2}" y="18" text-anchor="middle" font-size="13">${esc(title)}</text>`,
    `<line x1="${m.l}" y1="${Hh - m.b}" x2="${W - m.r}" y2="${Hh - m.b}" stroke="black"/>`,
    `<line x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${Hh - m.b}" stroke="black"/>`,
    ...ticks(xr[0], xr[1]).map((t) => `<text x="${sx(t)}" y="${Hh - m.b + 14}" text-anchor="middle">${fmt(t)}</text>`),
    ...ticks(yr[0], yr[1]).map((t) => `<text x="${m.l - 4}" y="${sy(t) + 4}" text-anchor="end">${fmt(t)}</text><line x1="${m.l}" x2="${W - m.r}" y1="${sy(t)}" y2="${sy(t)}" stroke="#eee"/>`),
    `<text x="${W / 2}" y="${Hh - 10}" text-anchor="middle">${esc(xLabel)}</text>`,
    `<text x="14" y="${Hh / 2}" text-anchor="middle" transform="rotate(-90 14 ${Hh / 2})">${esc(yLabel)}</text>`,
    body(sx, sy),
    '</svg>',
  ];
  return parts.join('\n');
}

function padRange(vs: number[]): [number, number] {
  const lo = Math.min(...vs);
  const hi = Math.max(...vs);
  const pad = (hi - lo || Math.abs(hi) || 1) * 0.1;
  return [lo - pad, hi + pad];
}

/** Labelled scatter plot; `refY` draws a dashed horizontal reference line. */
export function scatterSvg(title: string, xLabel: string, yLabel: string, pts: Point[], refY?: { y: number; label: string }): string {
  const ys = pts.map((p) => p.y).concat(refY ? [refY.y] : []);
  const xr = padRange(pts.map((p) => p.x));
  const yr = padRange(ys);
  return frame(title, xLabel, yLabel, xr, yr, (sx, sy) =>
    [
      refY ? `<line x1="${sx(xr[0])}" x2="${sx(xr[1])}" y1="${sy(refY.y)}" y2="${sy(refY.y)}" stroke="gray" stroke-dasharray="4 3"/><text x="${sx(xr[1]) - 2}" y="${sy(refY.y) - 4}" text-anchor="end" fill="gray">${esc(refY.label)}</text>` : '',
      ...pts.map((p) => `<circle cx="${sx(p.x)}" cy="${sy(p.y)}" r="4" fill="#1f77b4"/><text x="${sx(p.x) + 6}" y="${sy(p.y) - 6}">${esc(p.label ?? '')}</text>`),
    ].join('\n'),
  );
}

/** Line plot of several series over a common index. */
export function linesSvg(title: string, xLabel: string, yLabel: string, series: { name: string; values: number[]; color: string }[]): string {
  const all = series.flatMap((s) => s.values);
  const n = Math.max(...series.map((s) => s.values.length));
  const yr = padRange(all);
  return frame(title, xLabel, yLabel, [0, Math.max(1, n - 1)], yr, (sx, sy) =>
    series
      .map((s, k) => {
        const d = s.values.map((v, i) => `${i === 0 ? 'M' : 'L'}${sx(i).toFixed(1)},${sy(v).toFixed(1)}`).join('');
        return `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.2"/><text x="${sx(0) + 8 + 110 * k}" y="46" fill="${s.color}">${esc(s.name)}</text>`;
      })
      .join('\n'),
  );
}

/** 2x2 confusion matrix heat map. */
export function confusionSvg(title: string, cm: [[number, number], [number, number]]): string {
  const max = Math.max(1, ...cm.flat());
  const cells = [] as string[];
  const names = ['no interference', 'interference'];
  for (let r = 0; r < 2; r++) {
    for (let c = 0; c < 2; c++) {
      const v = cm[r][c];
      const shade = Math.round(255 - (200 * v) / max);
      cells.push(`<rect x="${130 + c * 110}" y="${50 + r * 80}" width="110" height="80" fill="rgb(${shade},${shade},255)" stroke="black"/>`);
      cells.push(`<text x="${185 + c * 110}" y="${95 + r * 80}" text-anchor="middle" font-size="16">${v}</text>`);
    }
    cells.push(`<text x="125" y="${95 + r * 80}" text-anchor="end">true ${names[r]}</text>`);
    cells.push(`<text x="${185 + r * 110}" y="${232}" text-anchor="middle">pred ${names[r]}</text>`);
  }
  return [`<svg xmlns="http://www.w3.org/2000/svg" width="380" height="250" font-family="sans-serif" font-size="11">`, '<rect width="380" height="250" fill="white"/>', `<text x="190" y="24" text-anchor="middle" font-size="13">${esc(title)}</text>`, ...cells, '</svg>'].join('\n');
}
