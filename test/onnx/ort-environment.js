/**
 * Jest's node environment, with the host's typed-array constructors: onnxruntime-node
 * creates its output arrays in the host realm, and onnxruntime-common then checks them
 * with `instanceof` against the test sandbox's constructors, which differ.
 * Test files that run ONNX Runtime select it with a @jest-environment docblock.
 */
import { TestEnvironment } from 'jest-environment-node';

const TYPED_ARRAYS = ['Float32Array', 'Float64Array', 'Int8Array', 'Uint8Array', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'BigInt64Array', 'BigUint64Array'];

export default class OrtEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of TYPED_ARRAYS) this.global[name] = globalThis[name];
  }
}
