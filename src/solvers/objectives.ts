/**
 * Objective and constraint evaluation shared by solvers, trainers, evaluation and
 * the server. Gains are per-user SNR per watt a_n (1/W, linear); powers in W.
 */
import type { FdmaDelayParams } from './params.js';

/** Seconds to send one packet of `packetBits` over a band with capacity W log2(1 + aP). */
export function bandDelaySeconds(p: FdmaDelayParams, gain: number, powerW: number): number {
  // log1p: log2(1 + aP) loses ~|log10(aP)| digits in deep fades (aP ~ 1e-4).
  return (p.packetBits * Math.LN2) / (p.bandwidthHz * Math.log1p(gain * powerW));
}

/**
 * P3 objective: mean FDMA delay (1/N) sum_n L / (W log2(1 + a_n P_n)), seconds.
 * Infinite when any band gets no power.
 */
export function fdmaMeanDelay(p: FdmaDelayParams, gains: ArrayLike<number>, power: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < gains.length; i++) total += bandDelaySeconds(p, gains[i], power[i]);
  return total / gains.length;
}

/**
 * P3 constraint violation, W: how far the powers leave {P >= 0, sum P <= Ptot, P <= Ptot}
 * (largest single violation; 0 when feasible).
 */
export function fdmaConstraintViolation(p: FdmaDelayParams, power: ArrayLike<number>): number {
  let sum = 0;
  let worst = 0;
  for (let i = 0; i < power.length; i++) {
    sum += power[i];
    worst = Math.max(worst, -power[i], power[i] - p.totalPowerW);
  }
  return Math.max(worst, sum - p.totalPowerW);
}

/** P4 per-sample objective: log2(1 + sum_n g_n P_n), bits/s/Hz. */
export function sumCapacityBits(gains: ArrayLike<number>, power: ArrayLike<number>): number {
  let snr = 0;
  for (let i = 0; i < gains.length; i++) snr += gains[i] * power[i];
  return Math.log2(1 + snr);
}

/** P4 box violation, W: largest amount by which a power leaves [0, Pmax]. */
export function boxViolation(maxPowerW: number, power: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < power.length; i++) worst = Math.max(worst, -power[i], power[i] - maxPowerW);
  return worst;
}

/** Sum of an array. */
export function sum(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s;
}
