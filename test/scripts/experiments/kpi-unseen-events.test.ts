import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventSection, scoredWindows } from '../../../scripts/experiments/kpi-unseen-events.js';
import { leaveOneFileOut } from '../../../scripts/experiments/kpi-leave-one-out.js';
import { loadFcciqFiles } from '../../../src/datasets/kpi/fcciq.js';
import { InputError } from '../../../src/input-error.js';
import { writeFixture } from '../../dnn/kpi/fixture.js';

// Two left-out files of 20 scored windows, 1 s apart, each with labelled episodes at windows 2-5 and 12-15.
const labels = Array.from({ length: 20 }, (_, i) => ((i >= 2 && i <= 5) || (i >= 12 && i <= 15) ? 1 : 0));
const timesMs = Array.from({ length: 20 }, (_, i) => i * 1000);
const scored = [{ file: 'Lvl_4_x.csv', labels, timesMs }, { file: 'Lvl_5_x.csv', labels, timesMs }];
const short = (f: string) => f.slice(0, 5);
const at = (on: number[]) => Array.from({ length: 20 }, (_, i) => (on.includes(i) ? 0.9 : 0));

describe('kpi:unseen event metrics (shipped alerting rule k 1, pOn 0.5, m 6, pOff 0.2)', () => {
  // Model A: on Lvl_4 an alert raised at window 4 (2 s into episode 1), cleared 6 windows after 6;
  // on Lvl_5 always above pOn: one alert over the whole half, both episodes caught at once.
  // Model B: one window at 8 on Lvl_4, inside no episode: a false alert in 13 s of clean time.
  const models = [
    { model: 'A', file: 'Lvl_4_x.csv', probability: at([4, 5, 6]) },
    { model: 'A', file: 'Lvl_5_x.csv', probability: new Array<number>(20).fill(0.9) },
    { model: 'B', file: 'Lvl_4_x.csv', probability: at([8]) },
  ];
  const { lines, json } = eventSection(models, scored, [], short);

  it('reports per file and pooled: caught episodes, false alerts per hour, delays, range precision / recall', () => {
    expect(lines).toContain('| A | Lvl_4 | 1 / 2 | 50.0 | 0 (0.0) | 2.0 / 2.0 | 66.7 / 25.0 |');
    expect(lines).toContain('| A | Lvl_5 | 2 / 2 | 100.0 | 0 (0.0) | 0.0 / 0.0 | 20.0 / 100.0 |');
    // Pooled: delays [2, 0, 0] -> median 0, p90 1.6; precision weighted by alerts (2/3 and 0.2), recall by episodes.
    expect(lines).toContain('| A | all | 3 / 4 | 75.0 | 0 (0.0) | 0.0 / 1.6 | 43.3 / 62.5 |');
    expect(lines).toContain(`| B | Lvl_4 | 0 / 2 | 0.0 | 1 (${(3600 / 13).toFixed(1)}) | - / - | 0.0 / 0.0 |`);
  });

  it('writes the same numbers to the JSON', () => {
    const j = json as { rule: { m: number }; models: Array<{ model: string; pooled: { caught: number; delaysS: number[]; falseAlerts: number; cleanSeconds: number }; files: Array<{ file: string }> }> };
    expect(j.rule.m).toBe(6);
    expect(j.models.map((m) => m.model)).toEqual(['A', 'B']);
    expect(j.models[0].pooled).toMatchObject({ caught: 3, delaysS: [2, 0, 0], falseAlerts: 0, cleanSeconds: 26 });
    expect(j.models[1].pooled).toMatchObject({ caught: 0, falseAlerts: 1, cleanSeconds: 13 });
    expect(j.models[0].files.map((f) => f.file)).toEqual(['Lvl_4_x.csv', 'Lvl_5_x.csv']);
  });

  it('names the files it cannot score and refuses probabilities that do not match the scored windows', () => {
    expect(eventSection(models, scored.slice(0, 1), ['Lvl_5_x.csv: no Time'], short).lines).toContain('Not scored by events (no Time or lab_inf column): Lvl_5_x.csv: no Time.');
    expect(() => eventSection([{ model: 'C', file: 'Lvl_4_x.csv', probability: [0.1] }], scored, [], short)).toThrow('C on Lvl_4_x.csv: 1 probabilities for 20 scored windows');
  });
});

describe('scoredWindows: the labels and times of a left-out file\'s scored windows', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'kpi-unseen-events-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('one per scored window of the leave-one-out split, each at the time of the window\'s last row', () => {
    const paths = writeFixture(join(tmp, 'data'), { files: 2, rows: 160 });
    const { files } = loadFcciqFiles(join(tmp, 'data'));
    const s = scoredWindows(files, 1, paths[1], 35);
    if (s instanceof Error) throw s;
    const ws = leaveOneFileOut(files, 1, 35, 'pooled').scored.withoutProfile;
    expect(s.labels).toEqual(Array.from(ws.label));
    // The second half starts at row 80; its first window ends at row 80 + 34; the fixture's rows are 0.5 s apart.
    expect(s.timesMs[0]).toBe(Date.UTC(2022, 9, 4, 15, 0, 0) + (80 + 34) * 500);
    expect(s.timesMs).toHaveLength(ws.count);
  });

  it('returns the error naming the file when its CSV has no Time column', () => {
    const dir = join(tmp, 'untimed');
    const [path] = writeFixture(dir, { files: 1, rows: 160 });
    writeFileSync(path, readFileSync(path, 'utf8').split('\n').map((l) => l.split(',').slice(1).join(',')).join('\n'));
    const { files } = loadFcciqFiles(dir);
    const s = scoredWindows([files[0], files[0]], 0, path, 35);
    expect(s).toBeInstanceOf(InputError);
    expect((s as InputError).message).toMatch(/Lvl_0_fixture\.csv.*Time/);
  });
});
