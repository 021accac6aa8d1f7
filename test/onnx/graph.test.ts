/** @jest-environment ./test/onnx/ort-environment.js */
import { OnnxGraph } from '../../src/onnx/graph.js';
import { IR_VERSION, OPSET_VERSION, decodeModel } from '../../src/onnx/proto.js';
import { runOnnx as run } from './run-ort.js';


describe('OnnxGraph', () => {
  it('writes a dense + ReLU + softmax graph that ONNX Runtime runs with the expected values', async () => {
    const g = new OnnxGraph('tiny');
    const x = g.input('x', ['batch', 2]);
    const w = g.floats('w', [1, -2, 0.5, 3], [2, 2]);
    const b = g.floats('b', [0.25, -1], [2]);
    const z = g.node('Add', [g.node('MatMul', [x, w]), b]);
    g.output(g.node('Relu', [z]), 'relu', ['batch', 2]);
    g.output(g.node('Softmax', [z], { axis: { int: -1 } }), 'soft', ['batch', 2]);
    const bytes = g.toBytes('a test graph', { purpose: 'test' });

    const out = await run(bytes, { x: { data: new Float32Array([1, 2, -3, 0.5]), dims: [2, 2] } });
    // Row 1: [1*1 + 2*0.5 + 0.25, 1*-2 + 2*3 - 1] = [2.25, 3]; row 2: [-3 + 0.25 + 0.25, 6 + 1.5 - 1] = [-2.5, 6.5].
    expect(Array.from(out.relu.data)).toEqual([2.25, 3, 0, 6.5]);
    const soft = out.soft.data;
    expect(soft[0]).toBeCloseTo(1 / (1 + Math.exp(0.75)), 6);
    expect(soft[2] + soft[3]).toBeCloseTo(1, 6);
    expect(out.relu.dims).toEqual([2, 2]);
  });

  it('records IR version, opset, producer and metadata', () => {
    const g = new OnnxGraph('meta');
    g.output(g.node('Neg', [g.input('x', [1])]), 'y', [1]);
    const model = decodeModel(g.toBytes('', { unit: 'W' }));
    expect(model.irVersion).toBe(IR_VERSION);
    expect(model.opsetImport).toEqual([{ version: OPSET_VERSION }]); // the default domain is the empty string, not written
    expect(model.producerName).toBe('radio-mtl');
    expect(model.metadataProps).toEqual([{ key: 'unit', value: 'W' }]);
  });

  it('keeps value names unique and refuses duplicate interface names', () => {
    const g = new OnnxGraph('names');
    const x = g.input('x', [1]);
    expect(g.node('Neg', [x])).toBe('Neg.out');
    expect(g.node('Neg', [x])).toBe('Neg.out_1');
    expect(g.int64s('Neg.out', [1])).toBe('Neg.out_2');
    expect(() => g.input('x', [1])).toThrow(/'x' is already used/);
    expect(() => g.floats('w', [1, 2, 3], [2])).toThrow(/3 values for shape \[2\]/);
  });

  it('int64 initializers drive shape ops (Reshape with -1)', async () => {
    const g = new OnnxGraph('reshape');
    const x = g.input('x', ['batch', 2, 3]);
    g.output(g.node('Reshape', [x, g.int64s('shape', [-1, 6])]), 'flat', ['batch', 6]);
    const out = await run(g.toBytes(), { x: { data: new Float32Array(12).map((_, i) => i), dims: [2, 2, 3] } });
    expect(out.flat.dims).toEqual([2, 6]);
    expect(Array.from(out.flat.data)).toEqual(Array.from({ length: 12 }, (_, i) => i));
  });
});
