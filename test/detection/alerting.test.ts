import { alertEpisodes, alertingProblem, DEFAULT_ALERTING, type AlertingRule } from '../../src/detection/alerting.js';

const rule = (r: Partial<AlertingRule>): AlertingRule => ({ k: 1, pOn: 0.5, m: 1, pOff: 0.5, maxGapS: 10, ...r });

test('k consecutive windows at or above pOn raise; the episode starts where the alert is raised', () => {
  const p = [0.1, 0.6, 0.2, 0.7, 0.8, 0.9, 0.1, 0.1];
  // k = 2: row 1 alone does not raise; rows 3, 4 do, at row 4.
  expect(alertEpisodes(p, rule({ k: 2 }))).toEqual([{ start: 4, end: 5 }]);
  // k = 1: both.
  expect(alertEpisodes(p, rule({ k: 1 }))).toEqual([
    { start: 1, end: 1 },
    { start: 3, end: 5 },
  ]);
});

test('m consecutive windows below pOff clear; windows between pOff and pOn keep an alert up (hysteresis)', () => {
  const p = [0.9, 0.4, 0.9, 0.35, 0.3, 0.1, 0.1];
  // pOff 0.2: 0.4, 0.35, 0.3 are not below it, so the alert stays up until rows 5, 6 (m = 2) clear it.
  expect(alertEpisodes(p, rule({ pOn: 0.8, pOff: 0.2, m: 2 }))).toEqual([{ start: 0, end: 4 }]);
  // m = 1 and pOff = pOn: every dip clears.
  expect(alertEpisodes(p, rule({ pOn: 0.8, pOff: 0.8, m: 1 }))).toEqual([
    { start: 0, end: 0 },
    { start: 2, end: 2 },
  ]);
});

test('an alert still up at the end of the series ends at its last row', () => {
  expect(alertEpisodes([0.1, 0.9, 0.9], rule({}))).toEqual([{ start: 1, end: 2 }]);
});

test('a timestamp gap longer than the limit ends an alert and restarts the counts', () => {
  const p = [0.9, 0.9, 0.9, 0.9, 0.9];
  const times = [0, 500, 1000, 60_000, 60_500];
  expect(alertEpisodes(p, rule({ maxGapS: 10 }), times)).toEqual([
    { start: 0, end: 2 },
    { start: 3, end: 4 },
  ]);
  // k = 2: after the gap the count restarts, so the second alert is raised one row later.
  expect(alertEpisodes(p, rule({ k: 2, maxGapS: 10 }), times)).toEqual([
    { start: 1, end: 2 },
    { start: 4, end: 4 },
  ]);
  // A gap within the limit changes nothing.
  expect(alertEpisodes(p, rule({ maxGapS: 100 }), times)).toEqual([{ start: 0, end: 4 }]);
});

test('rows without a probability (null) restart the counts', () => {
  expect(alertEpisodes([null, 0.9, null, 0.9, 0.9], rule({ k: 2 }))).toEqual([{ start: 4, end: 4 }]);
});

test('a bad rule is named by its field', () => {
  expect(alertingProblem(DEFAULT_ALERTING)).toBeUndefined();
  expect(alertingProblem(rule({ k: 0 }))?.field).toBe('k');
  expect(alertingProblem(rule({ m: 1.5 }))?.field).toBe('m');
  expect(alertingProblem(rule({ pOn: 1.2 }))?.field).toBe('pOn');
  expect(alertingProblem(rule({ pOn: 0.5, pOff: 0.6 }))).toEqual({ field: 'pOff', rule: 'must be in [0, pOn = 0.5]' });
  expect(alertingProblem(rule({ maxGapS: 0 }))?.field).toBe('maxGapS');
});
