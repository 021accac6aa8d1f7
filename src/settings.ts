/**
 * Every environment variable radio-mtl reads, its meaning and its default, in one place (as
 * transformers.js's env.js): the CLI help prints this list, deployment manifests are checked
 * against it, and no other module reads process.env. Words keep one meaning: the *backend* is
 * TensorFlow.js's (tensorflow | wasm | cpu), the *engine* is what runs a trained model's
 * inference (ONNX Runtime or that tfjs graph).
 */
import { ENGINE_CHOICES, type EngineChoice } from './dnn/inference-engine.js';
import { InputError } from './input-error.js';

export const ENVIRONMENT = {
  PORT: 'port when --port is not given',
  RADIO_MTL_API_TOKEN: 'bearer token required on /v1/* when set',
  RADIO_MTL_BACKEND: 'TensorFlow.js backend: tensorflow | wasm | cpu',
  RADIO_MTL_ENGINE: 'inference engine of serve (when --engine is not given), solve --solver dnn and kpi: auto | onnxruntime | tfjs',
} as const;

type Env = Partial<Record<keyof typeof ENVIRONMENT, string>>;

/** The port `radio-mtl serve` listens on when neither --port nor PORT says. */
export const DEFAULT_PORT = 8080;

const given = (value: string | undefined): value is string => value !== undefined && value !== '';

/** --port, else $PORT, else DEFAULT_PORT. */
export function resolvePort(cliPort: number | undefined, env: Env = process.env): number {
  if (cliPort !== undefined) return cliPort;
  if (!given(env.PORT)) return DEFAULT_PORT;
  const p = Number(env.PORT);
  if (!Number.isInteger(p) || p < 0 || p > 65535) throw new InputError('PORT', `must be an integer port number 0-65535, got '${env.PORT}'`);
  return p;
}

/** --engine, else $RADIO_MTL_ENGINE, else auto. */
export function resolveEngine(cliEngine: EngineChoice | undefined, env: Env = process.env): EngineChoice {
  if (cliEngine !== undefined) return cliEngine;
  const value = env.RADIO_MTL_ENGINE;
  if (!given(value)) return 'auto';
  if (!(ENGINE_CHOICES as readonly string[]).includes(value)) throw new InputError(`RADIO_MTL_ENGINE must be one of ${ENGINE_CHOICES.join(', ')}, got '${value}'`);
  return value as EngineChoice;
}

/** The TensorFlow.js backend RADIO_MTL_BACKEND asks for (checked where it loads), or undefined: automatic. */
export function requestedBackend(env: Env = process.env): string | undefined {
  return given(env.RADIO_MTL_BACKEND) ? env.RADIO_MTL_BACKEND : undefined;
}

/**
 * RADIO_MTL_API_TOKEN, unset or empty for no auth. A bearer token is one word of RFC 6750's
 * token68 characters: one with a space or other characters could never match a request.
 */
export function apiToken(env: Env = process.env): string | undefined {
  const token = env.RADIO_MTL_API_TOKEN;
  if (!given(token)) return undefined;
  if (!/^[A-Za-z0-9\-._~+/]+=*$/.test(token)) {
    throw new InputError('RADIO_MTL_API_TOKEN', 'must be one word of letters, digits and -._~+/ (RFC 6750 token68); a token with spaces or other characters could never match a request');
  }
  return token;
}

/** The environment a child process gets: this process's, with `overrides` on top (they win). */
export function childEnvironment(overrides: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}
