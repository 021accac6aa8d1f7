import { seriesFromRecords } from '../../../src/detection/report/series-records.js';

test('an FccIQ-style record set: KPIs, times (UTC), labels from lab_inf (not Label), missing values null', () => {
  const s = seriesFromRecords([
    { Time: '2022-10-04 15:52:22.917', RSRP: '-107.2', RSRQ: '-10.5', SINR: '17.1', Label: '1', lab_inf: '0' },
    { Time: '2022-10-04 15:52:23.435', RSRP: '-', RSRQ: 'nan', SINR: '', Label: '1', lab_inf: '1' },
  ]);
  expect(s.rows).toEqual([
    [-107.2, -10.5, 17.1],
    [null, null, null],
  ]);
  expect(s.timesMs).toEqual([Date.UTC(2022, 9, 4, 15, 52, 22, 917), Date.UTC(2022, 9, 4, 15, 52, 23, 435)]);
  expect(s.labels).toEqual([0, 1]);
});

test('a plain CSV: columns matched without case, epoch ms times, no labels', () => {
  const s = seriesFromRecords([{ rsrp: '-90', Rsrq: '-10', sinr: '12', timestamp: '1664898742917' }]);
  expect(s).toEqual({ rows: [[-90, -10, 12]], timesMs: [1664898742917] });
});

test.each([
  [[], /^no data rows/],
  [[{ RSRP: '1', RSRQ: '2' }], /^missing column SINR \(have: RSRP, RSRQ\)$/],
  [[{ RSRP: '1', RSRQ: '2', SINR: 'x' }], /^row 2, column SINR: 'x' is not a number$/],
  [[{ RSRP: '1', RSRQ: '2', SINR: '3', Time: 'noon' }], /^row 2, column Time: 'noon' is neither ISO-8601 text nor epoch milliseconds$/],
  [[{ RSRP: '1', RSRQ: '2', SINR: '3', lab_inf: '2' }], /^row 2, column lab_inf: must be 0 or 1, got '2'$/],
])('bad records %#: the row and column named', (records, message) => {
  expect(() => seriesFromRecords(records as Array<Record<string, string>>)).toThrow(message);
});
