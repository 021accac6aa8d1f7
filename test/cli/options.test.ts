import { InvalidArgumentError } from 'commander';
import { parseChoice, parseIntOption, parseNumberOption, parseSizeList } from '../../src/cli/options.js';

describe('option value parsers', () => {
  it('parseIntOption: integers within the bounds; the rule names the bounds and the value', () => {
    expect(parseIntOption(1)('3')).toBe(3);
    expect(parseIntOption(0, 65535)('65535')).toBe(65535);
    expect(() => parseIntOption(1)('0')).toThrow(new InvalidArgumentError("must be an integer >= 1, got '0'"));
    for (const bad of ['1.5', '', ' ', 'x', '1e400']) expect(() => parseIntOption(0)(bad)).toThrow(InvalidArgumentError);
    expect(() => parseIntOption(0, 10)('11')).toThrow("must be an integer from 0 to 10, got '11'");
  });

  it('parseNumberOption: finite numbers at or above the minimum, or strictly above it', () => {
    expect(parseNumberOption(0)('0')).toBe(0);
    expect(parseNumberOption(0, true)('0.25')).toBe(0.25);
    expect(() => parseNumberOption(0, true)('0')).toThrow("must be a finite number > 0, got '0'");
    expect(() => parseNumberOption(0)('-1')).toThrow("must be a finite number >= 0, got '-1'");
    for (const bad of ['Infinity', 'NaN', '']) expect(() => parseNumberOption()(bad)).toThrow(InvalidArgumentError);
  });

  it('parseSizeList and parseChoice', () => {
    expect(parseSizeList('5, 8,10')).toEqual([5, 8, 10]);
    for (const bad of ['', '4,0', '4,,5', '2.5']) expect(() => parseSizeList(bad)).toThrow(`must be a comma-separated list of integers >= 1, got '${bad}'`);
    expect(parseChoice(['a', 'b'])('b')).toBe('b');
    expect(() => parseChoice(['a', 'b'])('c')).toThrow("must be one of a, b, got 'c'");
  });
});
