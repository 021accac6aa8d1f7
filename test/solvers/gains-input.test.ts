/** The one gains validator: the same limits for the CLI and the HTTP API, equal to openapi.yaml's. */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { MAX_INSTANCES, MAX_USERS, parseGainsBatch } from '../../src/solvers/gains-input.js';
import { OPENAPI_PATH } from '../../src/server/spec.js';

const message = (run: () => unknown): string => {
  try {
    run();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('accepted');
};

describe('gains limits', () => {
  test("openapi.yaml's maxItems are the validator's constants", () => {
    const schemas = parse(readFileSync(OPENAPI_PATH, 'utf8')).components.schemas;
    expect(schemas.GainVector.maxItems).toBe(MAX_USERS);
    expect(schemas.AllocateRequest.properties.gains.oneOf[1].maxItems).toBe(MAX_INSTANCES);
  });

  test('the CLI refuses one gain more than the API allows', () => {
    expect(parseGainsBatch([Array(MAX_USERS).fill(1)], 'fdma-delay')).toHaveLength(1);
    expect(message(() => parseGainsBatch([Array(MAX_USERS + 1).fill(1)], 'fdma-delay'))).toBe(`gains[0]: must hold at most ${MAX_USERS} gains`);
  });

  test('the CLI refuses one instance more than the API allows', () => {
    expect(message(() => parseGainsBatch(Array(MAX_INSTANCES + 1).fill([1]), 'fdma-delay'))).toBe(`gains: must hold at most ${MAX_INSTANCES} gain vectors`);
  });

  test('a ragged batch names the row and the first row', () => {
    expect(message(() => parseGainsBatch([[1, 2], [1]], 'sum-capacity'))).toBe('gains[1]: has 1 gains but gains[0] has 2 (every instance of a batch must have the same N)');
  });
});
