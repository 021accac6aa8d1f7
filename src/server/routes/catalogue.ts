/** GET /v1/tasks and GET /v1/models. */
import type { Request, Response } from 'express';
import { PAPER_SIZES, PROBLEMS } from '../../solvers/params.js';
import { sendValidated, type AppContext } from '../context.js';
import { SOLVER_LIMITS } from '../limits.js';
import type { components } from '../generated/api.js';
import type { Servable } from '../registry.js';

type TasksResponse = components['schemas']['TasksResponse'];
type ModelsResponse = components['schemas']['ModelsResponse'];
type ModelInfo = components['schemas']['ModelInfo'];
type Solver = components['schemas']['Solver'];
type Task = components['schemas']['Task'];

export function tasksHandler(ctx: AppContext) {
  return (_req: Request, res: Response): void => {
    const models = ctx.registry.allocationModels();
    const keys = new Map<string, { problem: Task['problem']; n: number; models: string[] }>();
    // The paper's sizes are always listed (exact serves them); DNN sizes add to them.
    for (const problem of PROBLEMS) for (const n of PAPER_SIZES) keys.set(`${problem}:${n}`, { problem, n, models: [] });
    const interference = ctx.registry.interferenceModels().map((m) => ({ name: m.name, tasks: m.sizes.map((n) => ({ problem: 'interference' as const, n })) }));
    for (const m of [...models, ...interference]) {
      for (const t of m.tasks) {
        const k = `${t.problem}:${t.n}`;
        const entry = keys.get(k) ?? { problem: t.problem, n: t.n, models: [] as string[] };
        entry.models.push(m.name);
        keys.set(k, entry);
      }
    }
    const tasks = [...keys.values()]
      .sort((a, b) => (a.problem === b.problem ? a.n - b.n : a.problem < b.problem ? -1 : 1))
      .map((t) => {
        const solvers: Solver[] = [];
        if (t.models.length > 0) solvers.push('dnn');
        for (const l of SOLVER_LIMITS) if (l.problem === t.problem && t.n <= l.maxUsers) solvers.push(l.solver);
        return { problem: t.problem, n: t.n, solvers, models: t.models };
      });
    const windowsSchema = ctx.spec.schema('KpiRequest').properties as Record<string, { maxItems?: number }>;
    const gainsSchema = (ctx.spec.schema('AllocateRequest').properties as Record<string, { oneOf: Array<{ maxItems?: number }> }>).gains;
    const body: TasksResponse = {
      tasks,
      limits: {
        maxBatch: gainsSchema.oneOf[1].maxItems ?? 0,
        maxBodyBytes: ctx.config.maxBodyBytes,
        maxKpiWindows: windowsSchema.windows.maxItems ?? 0,
        solvers: SOLVER_LIMITS.map((l) => ({ ...l })),
      },
    };
    sendValidated(ctx, res, 'listTasks', 200, body);
  };
}

/** The fields of /v1/models that depend on the model's family. */
function familyFields(m: Servable): Partial<ModelInfo> {
  if (m.kind === 'allocation') return { scheme: m.scheme, tasks: m.tasks.map((t) => ({ problem: t.problem, n: t.n })) };
  if (m.kind === 'interference') return { scheme: m.scheme, channel: m.params.channel, tasks: m.sizes.map((n) => ({ problem: 'interference' as const, n })) };
  return { architecture: m.architecture, windowLength: m.windowLength, scalers: [...m.scalers] };
}

export function modelsHandler(ctx: AppContext) {
  return (_req: Request, res: Response): void => {
    const body: ModelsResponse = {
      models: ctx.registry.models.map((m) => ({
        name: m.name,
        kind: m.kind,
        version: m.version,
        loadedAt: m.loadedAt,
        ...(m.engine === undefined ? {} : { engine: m.engine }),
        manifest: m.manifest,
        ...familyFields(m),
      })),
      refused: ctx.registry.refused.map((r) => ({ ...r })),
    };
    sendValidated(ctx, res, 'listModels', 200, body);
  };
}
