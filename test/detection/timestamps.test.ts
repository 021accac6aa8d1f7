import { parseTimestamps, timestampMs } from '../../src/detection/timestamps.js';

test('ISO-8601 text (zone or none: UTC) and epoch ms', () => {
  expect(timestampMs('2022-10-04 15:52:22.917')).toBe(Date.UTC(2022, 9, 4, 15, 52, 22, 917));
  expect(timestampMs('2022-10-04T15:52:22.917Z')).toBe(Date.UTC(2022, 9, 4, 15, 52, 22, 917));
  expect(timestampMs('2022-10-04T17:52:22+02:00')).toBe(Date.UTC(2022, 9, 4, 15, 52, 22));
  expect(timestampMs(1664898742917)).toBe(1664898742917);
  expect(timestampMs('yesterday')).toBeNaN();
  expect(timestampMs('2022-13-40T00:00:00Z')).toBeNaN();
});

test('a bad or out-of-order timestamp is named with its index', () => {
  expect(parseTimestamps([0, 500, '1970-01-01T00:00:01Z'])).toEqual([0, 500, 1000]);
  expect(() => parseTimestamps([0, 'soon'])).toThrow("timestamps/1: must be ISO-8601 text or epoch milliseconds, got \"soon\"");
  expect(() => parseTimestamps([1000, 500])).toThrow(/^timestamps\/1: must not be earlier than the row before/);
});
