/**
 * A small ONNX graph builder: typed inputs and outputs, float32/int64 initializers and
 * nodes whose value names are made unique, serialised with src/onnx/proto.ts.
 */
import { VERSION } from '../version.js';
import { AttributeType, DataType, IR_VERSION, OPSET_VERSION, encodeModel } from './proto.js';

/** An attribute value with its ONNX type made explicit (an integer 1 and a float 1 differ). */
export type Attr = { int: number } | { float: number } | { ints: number[] } | { floats: number[] } | { string: string };

/** A dimension: a fixed size or a symbolic name such as 'batch'. */
export type Dim = number | string;

interface ValueInfo {
  name: string;
  type: { tensorType: { elemType: number; shape: { dim: ({ dimValue: number } | { dimParam: string })[] } } };
  docString?: string;
}

function valueInfo(name: string, dims: Dim[], doc?: string): ValueInfo {
  const dim = dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType: DataType.FLOAT, shape: { dim } } }, ...(doc ? { docString: doc } : {}) };
}

function attribute(name: string, a: Attr): Record<string, unknown> {
  if ('int' in a) return { name, type: AttributeType.INT, i: a.int };
  if ('float' in a) return { name, type: AttributeType.FLOAT, f: a.float };
  if ('ints' in a) return { name, type: AttributeType.INTS, ints: a.ints };
  if ('floats' in a) return { name, type: AttributeType.FLOATS, floats: a.floats };
  return { name, type: AttributeType.STRING, s: new TextEncoder().encode(a.string) };
}

export class OnnxGraph {
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private readonly initializers: Record<string, unknown>[] = [];
  private readonly nodes: Record<string, unknown>[] = [];
  private readonly used = new Set<string>();

  constructor(readonly name: string) {}

  /** A fresh value name starting with `hint` (hint itself when still free). */
  unique(hint: string): string {
    let name = hint;
    for (let i = 1; this.used.has(name); i++) name = `${hint}_${i}`;
    this.used.add(name);
    return name;
  }

  /** Declares a float32 graph input; returns its name (used verbatim: it is the interface). */
  input(name: string, dims: Dim[], doc?: string): string {
    if (this.used.has(name)) throw new Error(`ONNX value name '${name}' is already used`);
    this.used.add(name);
    this.inputs.push(valueInfo(name, dims, doc));
    return name;
  }

  /** Exposes `value` as the float32 graph output `name`. */
  output(value: string, name: string, dims: Dim[], doc?: string): void {
    if (this.used.has(name)) throw new Error(`ONNX value name '${name}' is already used`);
    this.used.add(name);
    this.nodes.push({ opType: 'Identity', input: [value], output: [name], name: this.unique(`out_${name}`) });
    this.outputs.push(valueInfo(name, dims, doc));
  }

  /** A float32 initializer of shape `dims` (row-major values). */
  floats(hint: string, values: ArrayLike<number>, dims: number[]): string {
    const size = dims.reduce((a, b) => a * b, 1);
    if (values.length !== size) throw new Error(`initializer '${hint}': ${values.length} values for shape [${dims}]`);
    const name = this.unique(hint);
    this.initializers.push({ name, dims, dataType: DataType.FLOAT, floatData: Array.from(values) });
    return name;
  }

  /** A float32 scalar initializer. */
  scalar(hint: string, value: number): string {
    return this.floats(hint, [value], []);
  }

  /** A float64 scalar initializer (for arithmetic kept in double precision). */
  doubleScalar(hint: string, value: number): string {
    const name = this.unique(hint);
    this.initializers.push({ name, dims: [], dataType: DataType.DOUBLE, doubleData: [value] });
    return name;
  }

  /** A float64 initializer of shape `dims` (row-major values). */
  doubles(hint: string, values: ArrayLike<number>, dims: number[]): string {
    const name = this.unique(hint);
    this.initializers.push({ name, dims, dataType: DataType.DOUBLE, doubleData: Array.from(values) });
    return name;
  }

  /** A 1-D int64 initializer (shapes, axes, indices). */
  int64s(hint: string, values: number[]): string {
    const name = this.unique(hint);
    this.initializers.push({ name, dims: [values.length], dataType: DataType.INT64, int64Data: values });
    return name;
  }

  /** A 0-D int64 initializer (a Gather index that drops its axis). */
  int64Scalar(hint: string, value: number): string {
    const name = this.unique(hint);
    this.initializers.push({ name, dims: [], dataType: DataType.INT64, int64Data: [value] });
    return name;
  }

  /** Adds a node with `outputs` results; returns their names. */
  nodeN(opType: string, inputs: string[], outputs: number, attrs: Record<string, Attr> = {}): string[] {
    // Node results are named '<Op>.out...' so that they never take an interface name.
    const out = Array.from({ length: outputs }, () => this.unique(`${opType}.out`));
    this.nodes.push({
      opType,
      input: inputs,
      output: out,
      name: this.unique(`${opType}_node`),
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    });
    return out;
  }

  /** Adds a single-output node; returns the output's name. */
  node(opType: string, inputs: string[], attrs: Record<string, Attr> = {}): string {
    return this.nodeN(opType, inputs, 1, attrs)[0];
  }

  /** The serialised ModelProto (IR_VERSION, default-domain opset OPSET_VERSION). */
  toBytes(doc = '', metadata: Record<string, string> = {}): Uint8Array {
    if (!this.outputs.length) throw new Error(`ONNX graph '${this.name}' has no output`);
    return encodeModel({
      irVersion: IR_VERSION,
      producerName: 'radio-mtl',
      producerVersion: VERSION,
      docString: doc,
      opsetImport: [{ domain: '', version: OPSET_VERSION }],
      metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
      graph: { name: this.name, node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs },
    });
  }
}
