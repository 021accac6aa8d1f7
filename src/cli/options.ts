/**
 * Parsers for command-line option values. Each states only the rule: commander knows
 * which option it parsed, and src/cli/usage-error.ts prints `<option>: <rule>`.
 */
import { InvalidArgumentError } from 'commander';

export function parseIntOption(min = 0, max = Infinity): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`must be an integer ${max === Infinity ? `>= ${min}` : `from ${min} to ${max}`}, got '${value}'`);
    }
    return n;
  };
}

export function parseNumberOption(min = -Infinity, minExclusive = false): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < min || (minExclusive && n === min)) {
      throw new InvalidArgumentError(`must be a finite number ${minExclusive ? '>' : '>='} ${min}, got '${value}'`);
    }
    return n;
  };
}

/** "5,8,10" -> [5, 8, 10]; every entry a positive integer. */
export function parseSizeList(value: string): number[] {
  const sizes = value.split(',').map((s) => Number(s.trim()));
  if (value.trim() === '' || sizes.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new InvalidArgumentError(`must be a comma-separated list of integers >= 1, got '${value}'`);
  }
  return sizes;
}

export function parseChoice<T extends string>(choices: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(choices as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(`must be one of ${choices.join(', ')}, got '${value}'`);
    }
    return value as T;
  };
}

/** A probability-like fraction in [0, 1). */
export function parseFractionOption(): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n >= 1) throw new InvalidArgumentError(`must be a number in [0, 1), got '${value}'`);
    return n;
  };
}
