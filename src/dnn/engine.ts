/**
 * TensorFlow.js backend selection. Order: `tensorflow`
 * (tfjs-node or tfjs-node-gpu, when the user installed one), else `wasm`, else `cpu`.
 * `--backend` or RADIO_MTL_BACKEND override. Every artefact records the result.
 */
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { InputError } from '../input-error.js';
import { requestedBackend } from '../settings.js';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export const BACKENDS: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

const require = createRequire(import.meta.url);

async function tryBackend(name: BackendName): Promise<boolean> {
  try {
    if (name === 'tensorflow') {
      // Optional packages: present only when the user installed them.
      try {
        require('@tensorflow/tfjs-node-gpu');
      } catch {
        require('@tensorflow/tfjs-node');
      }
    } else if (name === 'wasm') {
      await import('@tensorflow/tfjs-backend-wasm');
      (await import('./wasm-slices.js')).registerWasmSlices();
    }
    return await tf.setBackend(name);
  } catch {
    return false;
  }
}

let selected: BackendName | undefined;

/**
 * Initialises tfjs once and returns the backend in use. `requested` (or
 * RADIO_MTL_BACKEND) forces one; it is an error if that one cannot load.
 */
export async function initEngine(requested?: string): Promise<BackendName> {
  const wanted = requested ?? requestedBackend();
  if (selected && (!wanted || wanted === selected)) return selected;
  if (wanted) {
    if (!(BACKENDS as readonly string[]).includes(wanted)) {
      throw new InputError('backend', `must be one of ${BACKENDS.join(', ')}, got '${wanted}'`);
    }
    if (!(await tryBackend(wanted as BackendName))) {
      throw new InputError('backend', `'${wanted}' could not be loaded (for 'tensorflow', install @tensorflow/tfjs-node)`);
    }
    selected = wanted as BackendName;
  } else {
    for (const name of BACKENDS) {
      if (await tryBackend(name)) {
        selected = name;
        break;
      }
    }
  }
  await tf.ready();
  if (!selected) throw new Error('no TensorFlow.js backend could be loaded');
  return selected;
}

export { tf };
