import { jest } from '@jest/globals';
import { buildOnEngine, sessionOptions, type OrtModule } from '../../src/dnn/inference-engine.js';

const fakeOrt = {} as OrtModule;
const missing = () => Promise.reject(new Error("Cannot find module 'onnxruntime-node'\nRequire stack: ..."));
const build = { onnxruntime: () => Promise.resolve('ort'), tfjs: () => 'tfjs' };

describe('buildOnEngine', () => {
  it("'auto' takes onnxruntime when it loads; 'tfjs' never loads it", async () => {
    expect(await buildOnEngine({ loadRuntime: () => Promise.resolve(fakeOrt) }, build)).toBe('ort');
    const load = jest.fn(missing);
    expect(await buildOnEngine({ engine: 'tfjs', loadRuntime: load }, build)).toBe('tfjs');
    expect(load).not.toHaveBeenCalled();
  });

  it("'auto' falls back to tfjs when loading or building fails, and says why in one line", async () => {
    const reasons: string[] = [];
    expect(await buildOnEngine({ loadRuntime: missing, onFallback: (r) => reasons.push(r) }, build)).toBe('tfjs');
    const failingBuild = { ...build, onnxruntime: () => Promise.reject(new Error('bad graph')) };
    expect(await buildOnEngine({ loadRuntime: () => Promise.resolve(fakeOrt), onFallback: (r) => reasons.push(r) }, failingBuild)).toBe('tfjs');
    expect(reasons).toEqual(["onnxruntime unavailable (Cannot find module 'onnxruntime-node'): using tfjs", 'onnxruntime unavailable (bad graph): using tfjs']);
  });

  it("an explicit 'onnxruntime' fails instead of falling back", async () => {
    await expect(buildOnEngine({ engine: 'onnxruntime', loadRuntime: missing }, build)).rejects.toThrow("onnxruntime unavailable (Cannot find module 'onnxruntime-node')");
  });
});

test('sessionOptions: CPU and one intra-op thread unless told otherwise', () => {
  expect(sessionOptions({})).toMatchObject({ executionProviders: ['cpu'], intraOpNumThreads: 1 });
  expect(sessionOptions({ intraOpThreads: 4, executionProviders: ['cuda', 'cpu'] })).toMatchObject({ executionProviders: ['cuda', 'cpu'], intraOpNumThreads: 4 });
});
