import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadKpiDataset } from '../../src/datasets/kpi/fcciq.js';
import { testSplitEvents, windowEvents } from '../../src/detection/window-events.js';
import { makeTempDir } from '../helpers/tmp.js';

test('each file\'s windows are its scored rows: rule over their probabilities, labels at their last step, their times', () => {
  // Two files, window 3: file 0 has 5 windows, file 1 has 3, interleaved as a window set may hold them.
  const source = Int32Array.from([0, 0, 1, 0, 1, 0, 0, 1]);
  const label = Int32Array.from([0, 1, 0, 1, 1, 0, 0, 1]);
  const prob = [0.1, 0.9, 0.1, 0.8, 0.2, 0.1, 0.1, 0.9];
  const times = (n: number) => Array.from({ length: n }, (_, i) => i * 1000);
  const e = windowEvents({ count: 8, window: 3, label, source }, prob, [{ name: 'a', timesMs: times(8) }, { name: 'b', timesMs: times(6) }], { k: 1, pOn: 0.5, m: 1, pOff: 0.5, maxGapS: 10 });
  // File a: windows 0,1,3,5,6 -> labels 0 1 1 0 0, probabilities .1 .9 .8 .1 .1: one episode, caught at once.
  expect(e.files[0].metrics).toMatchObject({ labelledEpisodes: 1, caught: 1, falseAlerts: 0, delaysS: [0] });
  // File b: windows 2,4,7 -> labels 0 1 1, probabilities .1 .2 .9: caught one row (1 s) late.
  expect(e.files[1].metrics).toMatchObject({ labelledEpisodes: 1, caught: 1, delaysS: [1] });
  expect(e.pooled).toMatchObject({ labelledEpisodes: 2, caught: 2, episodeRecall: 1 });
});

test('CSVs without a Time column: no event metrics (null), nothing thrown', () => {
  const tmp = makeTempDir();
  try {
    const lines = ['RSRP,RSRQ,SINR,lab_inf', ...Array.from({ length: 60 }, (_, i) => `${-90 - (i % 7)},-10,${20 - (i % 9)},${i % 11 === 0 ? 1 : 0}`)];
    writeFileSync(join(tmp.dir, 'a.csv'), `${lines.join('\n')}\n`);
    const d = loadKpiDataset(tmp.dir, 3);
    expect(testSplitEvents(tmp.dir, d.test, new Float32Array(d.test.count).fill(0.9))).toBeNull();
  } finally {
    tmp.cleanup();
  }
});

const REAL = resolve(process.cwd(), '..', 'shared', 'data', 'fcciq');
(existsSync(REAL) ? test : test.skip)('real data: the test split holds 9 labelled episodes (runs merged under 2 s, rows with a window)', () => {
  const d = loadKpiDataset(REAL);
  const e = testSplitEvents(REAL, d.test, Array.from(d.test.label)) as NonNullable<ReturnType<typeof testSplitEvents>>;
  expect(e.files.map((f) => f.metrics.labelledEpisodes)).toEqual([4, 2, 0, 3]);
  // The labels themselves as probabilities: every episode caught at once, no false alert.
  expect(e.pooled).toMatchObject({ caught: 9, falseAlerts: 0, medianDelayS: 0 });
});
