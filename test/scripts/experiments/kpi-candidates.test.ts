import { parseCandidate } from '../../../scripts/experiments/kpi-candidates.js';

test('a kpi:unseen candidate is a normalisation with an optional level shift, refused by name otherwise', () => {
  expect(parseCandidate('pooled')).toEqual({ name: 'pooled', inputs: 'pooled', levelShiftDb: 0 });
  expect(parseCandidate('file-robust+ls2.5')).toEqual({ name: 'file-robust+ls2.5', inputs: 'file-robust', levelShiftDb: 2.5 });
  for (const bad of ['zscore', 'pooled+ls', 'pooled+ls-1', 'pooled+3']) expect(() => parseCandidate(bad)).toThrow(`--inputs: '${bad}' is not a normalisation`);
});
