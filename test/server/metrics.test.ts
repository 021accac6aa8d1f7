import { createMetrics } from '../../src/server/metrics.js';

describe('createMetrics', () => {
  it('gives each app its own registry, so two apps in one process count apart', async () => {
    const a = createMetrics({ defaultMetrics: false });
    const b = createMetrics({ defaultMetrics: false });
    a.allocations.inc({ solver: 'exact', problem: 'fdma-delay' }, 3);
    expect(await a.registry.getSingleMetricAsString('radio_mtl_allocations_total')).toContain('radio_mtl_allocations_total{solver="exact",problem="fdma-delay"} 3');
    expect(await b.registry.getSingleMetricAsString('radio_mtl_allocations_total')).not.toContain('fdma-delay');
  });

  it('adds the default labels to every metric, and the process metrics unless told not to', async () => {
    const m = createMetrics({ labels: { worker: '2' } });
    m.refused.set(1);
    const text = await m.registry.metrics();
    expect(text).toContain('radio_mtl_models_refused{worker="2"} 1');
    expect(text).toMatch(/^radio_mtl_process_cpu_seconds_total\{worker="2"\} /m);
    expect(await createMetrics({ defaultMetrics: false }).registry.metrics()).not.toContain('radio_mtl_process_');
  });
});
