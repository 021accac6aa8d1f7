/**
 * Stand-in for the KPI serving engine until src/dnn/kpi/predict.ts exists: the same
 * call shape (a SCALED window [batch, T, 3], oldest step first, in; next values and
 * interference logits out) over the tfjs model, including the context slice, last
 * value and AR steps the exported graph computes itself. Delete once predict.ts lands.
 */
import { tf } from '../dnn/engine.js';
import { AR_STEPS, type KpiModel } from '../dnn/kpi/base.js';

export interface KpiServing {
  engine: string;
  /** Runs the model on `batch` windows (row-major [batch, T, 3]). */
  predict(window: Float32Array, batch: number): { next: Float32Array; logits: Float32Array };
}

export function kpiServing(model: KpiModel, backend: string): KpiServing {
  const { window: T, context: C, features: F } = model.config;
  const rng = () => 0.5;
  return {
    engine: `tfjs-${backend}`,
    predict(window, batch) {
      const o = tf.tidy(() => {
        const w = tf.tensor3d(window, [batch, T, F]);
        const last = tf.reshape(tf.slice(w, [0, T - 1, 0], [batch, 1, F]), [batch, F]) as tf.Tensor2D;
        const recent = tf.reshape(tf.sub(tf.slice(w, [0, T - AR_STEPS, 0], [batch, AR_STEPS, F]), tf.reshape(last, [batch, 1, F])), [batch, AR_STEPS * F]) as tf.Tensor2D;
        const x = tf.reshape(tf.transpose(tf.slice(w, [0, T - C, 0], [batch, C, F]), [1, 0, 2]), [C * batch, F]) as tf.Tensor2D;
        const { reg, logits } = model.forward({ x, steps: C, last, recent, batch }, { training: false, rng });
        return [reg, logits];
      });
      const out = { next: o[0].dataSync() as Float32Array, logits: o[1].dataSync() as Float32Array };
      tf.dispose(o);
      return out;
    },
  };
}
