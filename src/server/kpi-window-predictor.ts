/**
 * Detection's window predictor over today's KPI predict path: each batch of raw windows goes
 * through the implementation of POST /v1/kpi/predict (profile, gap filling, dynamic batching,
 * forecast gain), so a row's probability in a detection equals what /v1/kpi/predict answers
 * for its window. Windows with more gaps than that path accepts are not sent and answer null.
 * The one file to change when detection should call another model path.
 */
import { gapProblem } from '../datasets/kpi-gaps.js';
import type { RawRow, WindowAnswer, WindowPredictor } from '../detection/window-predictor.js';
import type { AppContext } from './context.js';
import type { KpiServable } from './registry.js';
import { predictKpi } from './routes/kpi.js';

export function kpiWindowPredictor(ctx: AppContext, model: KpiServable, profile?: object): WindowPredictor {
  const context = model.context ?? model.windowLength;
  return {
    model: model.name,
    windowLength: model.windowLength,
    async predictWindows(windows: RawRow[][]): Promise<Array<WindowAnswer | null>> {
      const answers: Array<WindowAnswer | null> = windows.map(() => null);
      const sent = windows.flatMap((w, i) => (gapProblem(w, context) === undefined ? [i] : []));
      if (sent.length === 0) return answers;
      const body = { model: model.name, windows: sent.map((i) => windows[i]), ...(profile === undefined ? {} : { profile }) };
      const { predictions } = await predictKpi(ctx, body);
      predictions.forEach((p, j) => {
        answers[sent[j]] = { probability: p.interferenceProbability, forecast: [p.rsrp, p.rsrq, p.sinr] };
      });
      return answers;
    },
  };
}
