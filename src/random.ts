/**
 * Seeded random streams for the whole package: datasets, channels, solvers' references and
 * both trainers draw from here, so the same seed string always gives the same numbers, and
 * a stream's state can be saved in a checkpoint and restored exactly.
 */
import seedrandom from 'seedrandom';

/** A seeded uniform generator on [0, 1) with 53-bit resolution. */
export type Uniform = () => number;

/** The saved position of a RandomStream (plain JSON). */
export type RandomState = seedrandom.State.Arc4;

/** A seeded generator whose position can be saved and restored. */
export interface RandomStream {
  /** Uniform on [0, 1) with 32-bit resolution. */
  (): number;
  /** Uniform on [0, 1) with 53-bit resolution. */
  double(): number;
  state(): RandomState;
}

/** The stream named `seed`, from its start or from a saved `state`. */
export function seededStream(seed: string | number, state?: RandomState): RandomStream {
  return seedrandom(state ? '' : String(seed), { state: state ?? true });
}

export function seededUniform(seed: string | number): Uniform {
  const rng = seededStream(seed);
  return () => rng.double();
}
