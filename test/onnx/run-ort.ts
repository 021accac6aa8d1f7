/** Runs ONNX bytes on onnxruntime-node's CPU provider (test files need the ort-environment docblock). */
import * as ort from 'onnxruntime-node';

export async function runOnnx(bytes: Uint8Array, feeds: Record<string, { data: Float32Array; dims: number[] }>): Promise<Record<string, { data: Float32Array; dims: readonly number[] }>> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const input: Record<string, ort.Tensor> = {};
    for (const [name, f] of Object.entries(feeds)) input[name] = new ort.Tensor('float32', f.data, f.dims);
    const out = await session.run(input);
    const result: Record<string, { data: Float32Array; dims: readonly number[] }> = {};
    for (const [name, t] of Object.entries(out)) result[name] = { data: t.data as Float32Array, dims: t.dims };
    return result;
  } finally {
    await session.release();
  }
}
