/**
 * The environment variables `radio-mtl serve` reads, with what each does: the one list the
 * CLI help prints and deployment manifests are checked against.
 */
export const SERVER_ENVIRONMENT = {
  PORT: 'port when --port is not given',
  RADIO_MTL_API_TOKEN: 'bearer token required on /v1/* when set',
  RADIO_MTL_BACKEND: 'TensorFlow.js backend: tensorflow | wasm | cpu',
  RADIO_MTL_ENGINE: 'inference engine when --engine is not given: auto | onnxruntime | tfjs',
} as const;
