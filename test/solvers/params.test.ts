import { dbmPerHzToWattPerHz, normalisedPathLossDb } from '../../src/solvers/params.js';

describe('units', () => {
  it('dBm/Hz to W/Hz: 30 dBm is 1 W, 0 dBm is 1 mW', () => {
    expect(dbmPerHzToWattPerHz(30)).toBeCloseTo(1, 12);
    expect(dbmPerHzToWattPerHz(0)).toBeCloseTo(1e-3, 15);
  });

  it('the normalised path loss equals the noise power N0 W in dB: 144 dB at -174 dBm/Hz over 1 MHz', () => {
    expect(normalisedPathLossDb(1e6)).toBeCloseTo(144, 10);
    expect(normalisedPathLossDb(1e5, -170)).toBeCloseTo(150, 10);
  });
});
