/**
 * Interference models on the Open Inference Protocol (/v2): the input `gains` [batch, K, K]
 * becomes a /v1/allocate request with problem "interference" (answered by the interference
 * service through the batcher), its answer the outputs `power` [batch, K] and `sum_rate`.
 */
import type { InterferenceServable } from '../../dnn/interference/service.js';
import { allocate } from './allocate.js';
import type { Family } from './inference-v2.js';

export const interferenceFamily: Family<InterferenceServable> = {
  platform: 'radio-mtl/interference',
  input: () => ({ name: 'gains', datatype: 'FP64', shape: [-1, -1, -1] }),
  accepts: ['FP64', 'FP32'],
  shapeLabel: () => '[batch, K, K]',
  outputs: [
    { name: 'power', datatype: 'FP64', shape: [-1, -1] },
    { name: 'sum_rate', datatype: 'FP64', shape: [-1] },
  ],
  parameters: [],
  metadataParameters: (m) => ({ kind: 'interference', scheme: m.scheme, channel: m.params.channel, sizes: m.sizes.join(','), maxPowerW: m.params.maxPowerW }),
  async infer(ctx, res, model, gains) {
    const out = await allocate(ctx, res, { problem: 'interference', gains: gains as number[][][], solver: 'dnn', model: model.name });
    // A batch in (rank 3), so every field of the answer is one per instance.
    const power = out.power as number[][];
    return [
      { name: 'power', datatype: 'FP64', shape: [power.length, out.n], data: power.flat() },
      { name: 'sum_rate', datatype: 'FP64', shape: [power.length], data: out.objective as number[] },
    ];
  },
};
