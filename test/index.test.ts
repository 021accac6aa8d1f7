/** The package as a library: `import ... from 'radio-mtl'` resolves to the built entry point (dist/index.js). */
import { execFileSync } from 'node:child_process';
import { solveFdmaDelayExact } from '../src/solvers/fdma-delay-exact.js';
import { FDMA_DELAY_DEFAULTS } from '../src/solvers/params.js';

test("the README's library example runs against the package by name", () => {
  const program = `
    import { solveFdmaDelayExact, FDMA_DELAY_DEFAULTS, fdmaMeanDelay, openModel } from 'radio-mtl';
    const gains = [0.8, 1.7, 0.3, 2.4, 1.1];
    const power = solveFdmaDelayExact(FDMA_DELAY_DEFAULTS, gains);
    const dnn = await openModel('models/allocation-routed');
    if (dnn.kind !== 'allocation') throw new Error('not an allocation model');
    const [dnnPower] = (await dnn.allocate('fdma-delay', [gains])).power;
    console.log(JSON.stringify({ power: Array.from(power), delay: fdmaMeanDelay(FDMA_DELAY_DEFAULTS, gains, power), dnnPower, kind: dnn.kind }));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', program], { cwd: process.cwd(), encoding: 'utf8' });
  const r = JSON.parse(out.trim().split('\n').pop() as string) as { power: number[]; delay: number; dnnPower: number[]; kind: string };
  const gains = [0.8, 1.7, 0.3, 2.4, 1.1];
  expect(r.power).toEqual(Array.from(solveFdmaDelayExact(FDMA_DELAY_DEFAULTS, gains)));
  expect(r.delay).toBeGreaterThan(0);
  expect(r.kind).toBe('allocation');
  expect(r.dnnPower.reduce((a, b) => a + b, 0)).toBeCloseTo(FDMA_DELAY_DEFAULTS.totalPowerW, 9);
  // The DNN lands near the optimum on an ordinary instance.
  r.dnnPower.forEach((p, i) => expect(Math.abs(p - r.power[i])).toBeLessThan(0.5));
});

test('the interference-channel solvers are part of the package API', () => {
  const program = `
    import { wmmse, fullPower, sumRateOf, parseInterferenceGains, INTERFERENCE_DEFAULTS } from 'radio-mtl';
    const batch = parseInterferenceGains([[1, 0.5], [0.25, 2]]);
    const r = wmmse(batch.gains, batch.count, batch.k, INTERFERENCE_DEFAULTS, fullPower(batch.count, batch.k, INTERFERENCE_DEFAULTS));
    console.log(JSON.stringify({ rate: r.sumRate[0], check: sumRateOf(batch.gains, batch.k, r.power, 1) }));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', program], { cwd: process.cwd(), encoding: 'utf8' });
  const r = JSON.parse(out.trim().split('\n').pop() as string) as { rate: number; check: number };
  // Both pairs at full power: log2(1 + 1 / 1.5) + log2(1 + 2 / 1.25).
  expect(r.rate).toBeCloseTo(Math.log2(1 + 1 / 1.5) + Math.log2(1 + 2 / 1.25), 12);
  expect(r.check).toBe(r.rate);
});
