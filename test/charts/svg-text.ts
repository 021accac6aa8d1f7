/** What the chart tests read from a rendered SVG. */

/** The visible tick labels of each axis of a rendered chart (vega hides overlapping ones with opacity 0). */
export function axisLabels(svg: string): string[][] {
  return [...svg.matchAll(/<g class="mark-text role-axis-label"[^>]*>(.*?)<\/g>/g)].map((axis) =>
    [...axis[1].matchAll(/<text([^>]*)>([^<]*)<\/text>/g)].filter((t) => !t[1].includes('opacity="0"')).map((t) => t[2]),
  );
}

export const textOf = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((t) => t[1]);
