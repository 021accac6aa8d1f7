/**
 * Faster Slice, SplitV and Unpack kernels for tfjs-wasm. The stock kernels copy the
 * WHOLE input out of the wasm heap for every slice they take, so unstacking a [T, B, 4H]
 * tensor costs T full copies and splitting an LSTM's gates four. These read the input
 * in place (a view of the heap) and copy only the slice: same values, bit for bit.
 */
import { tf } from './engine.js';

interface WasmTensorInfo {
  dataId: object;
  shape: number[];
  dtype: tf.DataType;
}

interface WasmBackend {
  makeOutput(shape: number[], dtype: tf.DataType): WasmTensorInfo;
  typedArrayFromHeap(t: WasmTensorInfo): Float32Array | Int32Array | Uint8Array;
}

function sliceInPlace(backend: WasmBackend, x: WasmTensorInfo, begin: number[], size: number[]): WasmTensorInfo {
  const out = backend.makeOutput(size, x.dtype);
  // Views taken after makeOutput: growing the heap there detaches older views.
  const xv = backend.typedArrayFromHeap(x);
  const ov = backend.typedArrayFromHeap(out);
  const rank = x.shape.length;
  if (rank === 0) {
    ov.set(xv.subarray(0, 1));
    return out;
  }
  const strides = tf.util.computeStrides(x.shape);
  // Copy rows of the innermost axis; an index walks the outer axes.
  const rowLen = size[rank - 1];
  const rows = ov.length / Math.max(rowLen, 1);
  const idx = new Array<number>(Math.max(rank - 1, 0)).fill(0);
  for (let r = 0, o = 0; r < rows; r++, o += rowLen) {
    let off = begin[rank - 1];
    for (let d = 0; d < rank - 1; d++) off += (begin[d] + idx[d]) * strides[d];
    ov.set(xv.subarray(off, off + rowLen), o);
    for (let d = rank - 2; d >= 0; d--) {
      if (++idx[d] < size[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

type KernelArgs<A> = { inputs: Record<string, WasmTensorInfo>; backend: WasmBackend; attrs: A };

function slice({ inputs: { x }, backend, attrs }: KernelArgs<{ begin: number | number[]; size: number | number[] }>): WasmTensorInfo {
  const [begin, size] = tf.slice_util.parseSliceParams(x as unknown as tf.TensorInfo, attrs.begin, attrs.size);
  tf.slice_util.assertParamsValid(x as unknown as tf.TensorInfo, begin, size);
  if (x.dtype === 'string') throw new Error('string slices are not supported on this backend');
  return sliceInPlace(backend, x, begin, size);
}

function splitV({ inputs: { x }, backend, attrs }: KernelArgs<{ numOrSizeSplits: number | number[]; axis: number | number[] }>): WasmTensorInfo[] {
  const axis = tf.util.parseAxisParam(attrs.axis, x.shape)[0];
  const sizes = tf.backend_util.prepareSplitSize(x as unknown as tf.Tensor, attrs.numOrSizeSplits, axis);
  const begin = x.shape.map(() => 0);
  return sizes.map((s) => {
    const size = x.shape.slice();
    size[axis] = s;
    const out = sliceInPlace(backend, x, begin, size);
    begin[axis] += s;
    return out;
  });
}

function unpack({ inputs: { value }, backend, attrs }: KernelArgs<{ axis: number }>): WasmTensorInfo[] {
  const axis = attrs.axis < 0 ? attrs.axis + value.shape.length : attrs.axis;
  const outShape = value.shape.filter((_, d) => d !== axis);
  const size = value.shape.slice();
  size[axis] = 1;
  return Array.from({ length: value.shape[axis] }, (_, i) => {
    const begin = value.shape.map((__, d) => (d === axis ? i : 0));
    const out = sliceInPlace(backend, value, begin, size);
    return { ...out, shape: outShape };
  });
}

/** Replaces the wasm backend's Slice, SplitV and Unpack kernels (call after loading it). */
export function registerWasmSlices(): void {
  const kernels = { Slice: slice, SplitV: splitV, Unpack: unpack } as Record<string, unknown>;
  for (const [kernelName, kernelFunc] of Object.entries(kernels)) {
    if (tf.getKernel(kernelName, 'wasm')) tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: kernelFunc as tf.KernelFunc });
  }
}
