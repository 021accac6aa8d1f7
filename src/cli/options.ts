/** Parsers for command-line option values: each names the option it rejects. */
import { InvalidArgumentError } from 'commander';

export function parseIntOption(name: string, min = 0): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be an integer >= ${min}, got '${value}'.`);
    return n;
  };
}

export function parseNumberOption(name: string, min = -Infinity, minExclusive = false): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < min || (minExclusive && n === min)) {
      throw new InvalidArgumentError(`${name} must be a finite number ${minExclusive ? '>' : '>='} ${min}, got '${value}'.`);
    }
    return n;
  };
}

/** "5,8,10" -> [5, 8, 10]; every entry a positive integer. */
export function parseSizeList(value: string): number[] {
  const sizes = value.split(',').map((s) => Number(s.trim()));
  if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new InvalidArgumentError(`--n must be a comma-separated list of integers >= 1, got '${value}'.`);
  }
  return sizes;
}

export function parseChoice<T extends string>(name: string, choices: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(choices as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(`${name} must be one of ${choices.join(', ')}, got '${value}'.`);
    }
    return value as T;
  };
}
