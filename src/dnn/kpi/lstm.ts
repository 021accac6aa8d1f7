/**
 * One LSTM layer (gate order i, f, g, o) over time-major x [T*B, F], with a hand-written
 * backward pass. tfjs's autodiff of the step loop records some twenty small kernels per
 * step and replays their gradients one by one; here the backward pass through time does
 * seven kernels per step, and everything that does not depend on the recurrence (gate
 * derivatives, weight gradients) runs once on all steps together.
 */
import { tf } from '../engine.js';

type CustomGradFn = Parameters<typeof tf.customGrad>[0];

const concatRows = (ts: tf.Tensor2D[]) => tf.concat(ts, 0) as tf.Tensor2D;
const unstackSteps = (t: tf.Tensor2D, steps: number) => tf.unstack(tf.reshape(t, [steps, -1, t.shape[1]])) as tf.Tensor2D[];

/** Forward pass; returns every step's h [T*B, H] and what the backward pass needs. */
function forward(x: tf.Tensor2D, wx: tf.Tensor2D, wh: tf.Tensor2D, b: tf.Tensor1D, steps: number) {
  const batch = x.shape[0] / steps;
  const H = wh.shape[0];
  const proj = unstackSteps(tf.add(tf.matMul(x, wx), b), steps); // input projection of all steps at once
  const gates: tf.Tensor2D[][] = [[], [], [], []];
  const cells: tf.Tensor2D[] = [];
  const hs: tf.Tensor2D[] = [];
  let h: tf.Tensor2D = tf.zeros([batch, H]);
  let c: tf.Tensor2D = tf.zeros([batch, H]);
  for (let t = 0; t < steps; t++) {
    const z = t === 0 ? proj[0] : tf.add(proj[t], tf.matMul(h, wh));
    const [zi, zf, zg, zo] = tf.split(z, 4, 1) as tf.Tensor2D[];
    const [i, f, g, o] = [tf.sigmoid(zi), tf.sigmoid(zf), tf.tanh(zg), tf.sigmoid(zo)];
    c = t === 0 ? tf.mul(i, g) : tf.add(tf.mul(f, c), tf.mul(i, g));
    h = tf.mul(o, tf.tanh(c));
    [i, f, g, o].forEach((a, k) => gates[k].push(a));
    cells.push(c);
    hs.push(h);
  }
  return { states: concatRows(hs), gates: gates.map(concatRows), cells: concatRows(cells) };
}

/** Backward pass through time from dStates [T*B, H]; returns [dx, dwx, dwh, db]. */
function backward(dStates: tf.Tensor2D, saved: tf.Tensor2D[], steps: number): tf.Tensor[] {
  const [x, wx, wh, states, I, F, G, O, C] = saved;
  const batch = x.shape[0] / steps;
  const H = wh.shape[0];
  const zero = tf.zeros([batch, H]) as tf.Tensor2D;
  // Previous step's h and c ([T*B, H], zero at t = 0) and tanh(c).
  const shiftDown = (t: tf.Tensor2D) => tf.concat([zero, tf.slice(t, [0, 0], [(steps - 1) * batch, H])], 0) as tf.Tensor2D;
  const hPrev = shiftDown(states);
  const tc = tf.tanh(C);
  const sigmoidGrad = (s: tf.Tensor2D) => tf.mul(s, tf.sub(1, s));
  // dz = [dc, dc, dc, dh] * W, with W the gate derivatives times what each gate multiplies.
  const W = tf.concat([tf.mul(G, sigmoidGrad(I)), tf.mul(shiftDown(C), sigmoidGrad(F)), tf.mul(I, tf.sub(1, tf.square(G))), tf.mul(tc, sigmoidGrad(O))], 1) as tf.Tensor2D;
  const K: tf.Tensor2D = tf.mul(O, tf.sub(1, tf.square(tc))); // dc += dh * K
  const Ws = unstackSteps(W, steps);
  const Ks = unstackSteps(K, steps);
  const Fs = unstackSteps(F, steps);
  const dhOut = unstackSteps(dStates, steps);
  const whT = tf.transpose(wh);
  const dz: tf.Tensor2D[] = new Array<tf.Tensor2D>(steps);
  let dc = zero;
  for (let t = steps - 1; t >= 0; t--) {
    const dh: tf.Tensor2D = t === steps - 1 ? dhOut[t] : tf.add(dhOut[t], tf.matMul(dz[t + 1], whT));
    const fromH: tf.Tensor2D = tf.mul(dh, Ks[t]);
    dc = t === steps - 1 ? fromH : tf.add(tf.mul(dc, Fs[t + 1]), fromH);
    dz[t] = tf.mul(tf.concat([dc, dc, dc, dh], 1), Ws[t]);
  }
  const DZ = concatRows(dz); // [T*B, 4H]
  return [tf.matMul(DZ, tf.transpose(wx)), tf.matMul(tf.transpose(x), DZ), tf.matMul(tf.transpose(hPrev), DZ), tf.sum(DZ, 0)];
}

const lstmByLength = new Map<number, (x: tf.Tensor2D, wx: tf.Tensor2D, wh: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor2D>();

function lstmOp(steps: number) {
  let op = lstmByLength.get(steps);
  if (!op) {
    const f = (x: tf.Tensor2D, wx: tf.Tensor2D, wh: tf.Tensor2D, b: tf.Tensor1D, save: tf.GradSaveFunc) => {
      const fw = forward(x, wx, wh, b, steps);
      save([x, wx, wh, fw.states, ...fw.gates, fw.cells]);
      return { value: fw.states, gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => backward(dy, saved as tf.Tensor2D[], steps) };
    };
    op = tf.customGrad(f as unknown as CustomGradFn) as unknown as (x: tf.Tensor2D, wx: tf.Tensor2D, wh: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor2D;
    lstmByLength.set(steps, op);
  }
  return op;
}

/** Hidden states of every step, [T*B, H] time-major, of the LSTM (wx [F, 4H], wh [H, 4H], b [4H]) over x [T*B, F]. */
export function lstmStates(x: tf.Tensor2D, wx: tf.Tensor2D, wh: tf.Tensor2D, b: tf.Tensor1D, steps: number): tf.Tensor2D {
  return lstmOp(steps)(x, wx, wh, b);
}
