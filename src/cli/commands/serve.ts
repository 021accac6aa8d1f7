/** `radio-mtl serve`: the HTTP API (openapi.yaml) over the models under --models. */
import { existsSync, statSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { parseChoice, parseIntOption } from '../options.js';
import { InputError } from '../../input-error.js';
import { ENGINE_CHOICES, type EngineChoice } from '../../dnn/inference-engine.js';
import { DEFAULT_APP_CONFIG } from '../../server/context.js';
import { DEFAULT_HOST, serve } from '../../server/server.js';
import { apiToken, DEFAULT_PORT, ENVIRONMENT, resolveEngine, resolvePort } from '../../settings.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

interface ServeCliOptions {
  /** false: --no-models. */
  models: string | false;
  solverThreads?: number;
  host: string;
  port?: number;
  workers: number;
  maxBatchSize: number;
  maxQueueDelayUs: number;
  maxQueueSize: number;
  maxBodyBytes: number;
  requestTimeoutMs: number;
  shutdownGraceMs: number;
  logLevel: (typeof LOG_LEVELS)[number];
  lambdaWarmup: boolean;
  engine?: EngineChoice;
  engineThreads: number;
  engineProviders: string[];
}

/** --engine-providers: comma-separated ONNX Runtime execution providers, e.g. cuda,cpu. */
function parseProviders(value: string): string[] {
  const list = value.split(',').map((p) => p.trim());
  if (list.some((p) => !/^[a-z][a-z0-9_-]*$/.test(p))) throw new InvalidArgumentError(`must be a comma-separated list of execution provider names such as cuda,cpu, got '${value}'`);
  return list;
}

/** --models must be a directory (its models are checked by the server, which reports them). */
function checkModelsDir(dir: string): void {
  if (!existsSync(dir)) throw new InputError('--models', `${dir} does not exist (use --no-models to serve the exact and ipm solvers only)`);
  if (!statSync(dir).isDirectory()) throw new InputError('--models', `${dir} is not a directory`);
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Serve the HTTP API (POST /v1/allocate, POST /v1/kpi/predict, /docs, /metrics) over every model under --models')
    .option('--models <dir>', 'directory whose subdirectories are models (must exist; not ready unless every model in it loads)', 'models')
    .option('--no-models', 'serve the exact and ipm solvers only (no DNN, no KPI model)')
    .option('--solver-threads <n>', 'worker threads for heavy exact/ipm solves (default: cores - 1, at least 1)', parseIntOption(1))
    .option('--host <address>', 'address to listen on (0.0.0.0 for every interface)', DEFAULT_HOST)
    .option('--port <n>', `port (default: $PORT, else ${DEFAULT_PORT}; 0 picks a free one)`, parseIntOption(0, 65535))
    .option('--workers <n>', 'processes sharing the port (node:cluster)', parseIntOption(1), 1)
    .option('--max-batch-size <n>', 'dynamic batching: rows per DNN forward pass at most', parseIntOption(1), DEFAULT_APP_CONFIG.maxBatchSize)
    .option(
      '--max-queue-delay-us <n>',
      'dynamic batching: how long a request may wait for others, microseconds (0: the current event-loop turn)',
      parseIntOption(0),
      DEFAULT_APP_CONFIG.maxQueueDelayUs,
    )
    .option('--max-queue-size <n>', 'rows queued per model and task at most (503 beyond)', parseIntOption(1), DEFAULT_APP_CONFIG.maxQueueSize)
    .option('--max-body-bytes <n>', 'request body limit, bytes (413 beyond)', parseIntOption(1), DEFAULT_APP_CONFIG.maxBodyBytes)
    .option('--request-timeout-ms <n>', 'answer 503 timeout after this long, ms', parseIntOption(1), DEFAULT_APP_CONFIG.requestTimeoutMs)
    .option('--shutdown-grace-ms <n>', 'on SIGTERM, time given to in-flight requests, ms', parseIntOption(0), 10_000)
    .option('--no-lambda-warmup', 'do not compute sum-capacity lambda* for the paper sizes before readiness (the first exact request per N pays it)')
    .option('--engine <name>', `inference engine: ${ENGINE_CHOICES.join(' | ')} (default: $RADIO_MTL_ENGINE, else auto: onnxruntime when it loads, else tfjs)`, parseChoice(ENGINE_CHOICES))
    .option('--engine-threads <n>', 'ONNX Runtime threads per forward pass', parseIntOption(1), 1)
    .option('--engine-providers <list>', 'ONNX Runtime execution providers in order of preference (cuda needs the CUDA build, see README)', parseProviders, ['cpu'])
    .option('--log-level <level>', `log level: ${LOG_LEVELS.join(' | ')}`, parseChoice(LOG_LEVELS), 'info')
    .addHelpText('after', `\nEnvironment: ${Object.entries(ENVIRONMENT).map(([name, what]) => `${name} (${what})`).join(', ')}.`)
    .action(async (opts: ServeCliOptions) => {
      const token = apiToken();
      const port = resolvePort(opts.port);
      const engine = resolveEngine(opts.engine);
      if (opts.models !== false) checkModelsDir(opts.models);
      await serve({
        modelsDir: opts.models === false ? null : opts.models,
        host: opts.host,
        port,
        workers: opts.workers,
        logLevel: opts.logLevel,
        shutdownGraceMs: opts.shutdownGraceMs,
        engine: { engine, intraOpThreads: opts.engineThreads, executionProviders: opts.engineProviders },
        config: {
          apiToken: token,
          solverThreads: opts.solverThreads,
          maxBatchSize: opts.maxBatchSize,
          maxQueueDelayUs: opts.maxQueueDelayUs,
          maxQueueSize: opts.maxQueueSize,
          maxBodyBytes: opts.maxBodyBytes,
          requestTimeoutMs: opts.requestTimeoutMs,
          precomputeLambdas: opts.lambdaWarmup,
        },
      }).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'EADDRINUSE') throw new InputError('--port', `${opts.host}:${port} is already in use`);
        if (err.code === 'EACCES') throw new InputError('--port', `no permission to listen on ${opts.host}:${port}`);
        if (err.code === 'EADDRNOTAVAIL') throw new InputError('--host', `${opts.host} is not an address of this machine`);
        if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') throw new InputError('--host', `'${opts.host}' is neither an IP address nor a host name that resolves`);
        throw err;
      });
      // The server keeps the process alive; main() returns only after `serve` set it up.
      await new Promise<void>(() => undefined);
    });
}
