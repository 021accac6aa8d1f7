/** A small trained interference model saved with the real model-io (tests of the service, the server and the CLI). */
import { initEngine } from '../../src/dnn/engine.js';
import { saveInterferenceModel } from '../../src/dnn/interference/model.js';
import { trainInterference, type InterferenceTrainOptions } from '../../src/dnn/interference/trainer.js';
import { INTERFERENCE_DEFAULTS } from '../../src/solvers/params.js';

export const TINY_INTERFERENCE: InterferenceTrainOptions = {
  scheme: 'routed',
  sizes: [3, 5],
  params: INTERFERENCE_DEFAULTS,
  seed: 2,
  t1: 10,
  t2: 10,
  batchPerTask: 16,
  learningRate: 1e-2,
  logitPenalty: 1e-3,
  lrDecayStart: 0.8,
  lrDecayFloor: 0.1,
  hiddenWidths: [16, 16],
  heads: 1,
  headSoftness: 0.01,
};

export async function saveTinyInterferenceModel(dir: string, o: Partial<InterferenceTrainOptions> = {}): Promise<void> {
  await initEngine();
  const opts = { ...TINY_INTERFERENCE, ...o };
  const r = trainInterference(opts);
  const { params, ...training } = opts;
  saveInterferenceModel(dir, r.net, { params, scale: r.scale, training: { ...training, trainSeconds: r.trainSeconds, backend: 'test' } });
  r.net.dispose();
}
