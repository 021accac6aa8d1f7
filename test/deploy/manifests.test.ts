/**
 * The Dockerfile and every manifest under deploy/ checked against the code they run: the
 * container arguments parse with the real `serve` command, the port they resolve to is the
 * one exposed and probed, probe paths are operations of openapi.yaml, env names are ones the
 * server reads, and the grace period outlasts the server's drain.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { parseAllDocuments } from 'yaml';
import { registerServe } from '../../src/cli/commands/serve.js';
import { apiToken, ENVIRONMENT, resolvePort } from '../../src/settings.js';
import { loadSpec } from '../../src/server/spec.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DEPLOY = join(ROOT, 'deploy');
/** The folder the Dockerfile copies the package into. */
const APP_DIR = '/app';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: Json;
}
interface Probe {
  httpGet?: { path: string; port?: string | number };
}
interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  ports?: Array<{ name?: string; containerPort: number }>;
  env?: EnvVar[];
  resources?: Json;
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  lifecycle?: { preStop?: { sleep?: { seconds: number } } };
  securityContext?: Json;
}

// ---- the Dockerfile ------------------------------------------------------------------

interface Instruction {
  keyword: string;
  rest: string;
}

/** Instructions of the Dockerfile's last stage (continuation lines joined, comments dropped). */
function runtimeStage(text: string): { from: string; instructions: Instruction[] } {
  const lines = text.replace(/\\\n/g, ' ').split('\n').filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  const instructions = lines.map((l) => {
    const [keyword, ...rest] = l.trim().split(/\s+/);
    return { keyword: keyword.toUpperCase(), rest: rest.join(' ') };
  });
  const lastFrom = instructions.map((i) => i.keyword).lastIndexOf('FROM');
  return { from: instructions[lastFrom].rest, instructions: instructions.slice(lastFrom + 1) };
}

const dockerfile = runtimeStage(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
const instruction = (keyword: string) => dockerfile.instructions.filter((i) => i.keyword === keyword);
/** ENTRYPOINT and CMD must be exec form (JSON arrays): shell form would put sh between SIGTERM and node. */
const execForm = (keyword: string): string[] => {
  const found = instruction(keyword);
  expect(found).toHaveLength(1);
  const parsed: unknown = JSON.parse(found[0].rest);
  expect(Array.isArray(parsed)).toBe(true);
  return parsed as string[];
};
const imageEntrypoint = execForm('ENTRYPOINT');
const imageEnv = Object.fromEntries(instruction('ENV').map((i) => i.rest.split('=') as [string, string]));

// ---- the manifests -------------------------------------------------------------------

const yamlFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? yamlFiles(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : []));

const manifests: Array<{ file: string; doc: Json }> = yamlFiles(DEPLOY).flatMap((file) =>
  parseAllDocuments(readFileSync(file, 'utf8')).map((d) => {
    expect(d.errors).toEqual([]);
    return { file: relative(ROOT, file), doc: d.toJS() as Json };
  }),
);
const ofKind = (kind: string): Json => {
  const found = manifests.filter((m) => m.doc.kind === kind);
  expect(found.map((m) => m.file)).toHaveLength(1);
  return found[0].doc;
};

const deployment = ofKind('Deployment');
const podSpec = deployment.spec.template.spec as Json;
const servingRuntime = ofKind('ServingRuntime');

/** The containers that run the image, with the pod-level security context they inherit. */
const serverContainers: Array<{ where: string; container: Container; podSecurity: Json }> = [
  { where: 'Deployment', container: podSpec.containers[0] as Container, podSecurity: podSpec.securityContext ?? {} },
  { where: 'ServingRuntime', container: servingRuntime.spec.containers[0] as Container, podSecurity: {} },
];

// ---- the code ------------------------------------------------------------------------

interface ServeOpts {
  host: string;
  port?: number;
  models: string | false;
  shutdownGraceMs: number;
  workers: number;
}

/** argv (after the program name) parsed by the real `serve` command, without running it. */
function parseServe(argv: string[]): ServeOpts {
  const program = new Command().exitOverride().configureOutput({ writeErr: () => undefined });
  registerServe(program);
  const serve = program.commands.find((c) => c.name() === 'serve') as Command;
  serve.exitOverride().action(() => undefined);
  expect(argv[0]).toBe('serve');
  program.parse(argv, { from: 'user' });
  return serve.opts<ServeOpts>();
}

/** The environment variables src/ reads (`env.NAME`, `process.env.NAME`). */
function environmentReadBySources(dir = join(ROOT, 'src')): Set<string> {
  const names = new Set<string>();
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) environmentReadBySources(path).forEach((n) => names.add(n));
    else if (e.name.endsWith('.ts')) for (const m of readFileSync(path, 'utf8').matchAll(/\benv\.([A-Z][A-Z0-9_]*)/g)) names.add(m[1]);
  }
  return names;
}

const SERVER_ENV_NAMES = Object.keys(ENVIRONMENT);
const openapiGets = (path: string): boolean => loadSpec().doc.paths[path]?.get !== undefined;

describe('the list of environment variables the server reads', () => {
  test('is exactly the names src/ reads', () => {
    expect([...environmentReadBySources()].sort()).toEqual([...SERVER_ENV_NAMES].sort());
  });
});

describe('Dockerfile', () => {
  test('runtime stage: production dependencies only, no install scripts, dist from the build stage', () => {
    const runs = instruction('RUN').map((i) => i.rest);
    expect(runs.some((r) => /npm ci\b/.test(r) && r.includes('--omit=dev') && r.includes('--ignore-scripts'))).toBe(true);
    expect(instruction('COPY').map((i) => i.rest)).toContain('--from=build /app/dist ./dist');
  });

  test(`WORKDIR is ${APP_DIR} and the entrypoint runs the CLI copied there, as node itself (PID 1 gets SIGTERM)`, () => {
    expect(instruction('WORKDIR').map((i) => i.rest)).toEqual([APP_DIR]);
    expect(imageEntrypoint).toEqual(['node', `${APP_DIR}/bin/radio-mtl`]);
    expect(instruction('COPY').map((i) => i.rest)).toContain('bin ./bin');
    expect(existsSync(join(ROOT, 'bin', 'radio-mtl'))).toBe(true);
  });

  test('CMD starts the server on every interface with the baked-in models, on the exposed port', () => {
    const opts = parseServe(execForm('CMD'));
    expect(opts.host).toBe('0.0.0.0');
    expect(opts.models).toBe(`${APP_DIR}/models`);
    expect(instruction('COPY').map((i) => i.rest)).toContain('models ./models');
    expect(instruction('EXPOSE').map((i) => Number(i.rest))).toEqual([resolvePort(opts.port, imageEnv)]);
  });

  test('runs as a numeric non-root user and sets only variables the server reads', () => {
    const [user] = instruction('USER').map((i) => i.rest);
    expect(user).toMatch(/^[1-9]\d*:[1-9]\d*$/);
    for (const name of Object.keys(imageEnv)) expect(SERVER_ENV_NAMES).toContain(name);
  });
});

describe.each(serverContainers)('$where container', ({ container, podSecurity }) => {
  const argv = [...(container.command ?? imageEntrypoint).slice(imageEntrypoint.length), ...(container.args ?? [])];
  const env = Object.fromEntries((container.env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value as string]));

  test('the command is the image entrypoint and its arguments start the server on every interface', () => {
    if (container.command) expect(container.command).toEqual(imageEntrypoint);
    const opts = parseServe(argv);
    expect(opts.host).toBe('0.0.0.0');
    expect(opts.models).toBe(`${APP_DIR}/models`);
    expect(opts.workers).toBe(1);
  });

  test('the port the server resolves is the declared container port', () => {
    expect((container.ports ?? []).map((p) => p.containerPort)).toEqual([resolvePort(parseServe(argv).port, env)]);
  });

  test('every environment variable is one the server reads, with a value it accepts', () => {
    expect(container.env?.length).toBeGreaterThan(0);
    for (const e of container.env ?? []) expect(SERVER_ENV_NAMES).toContain(e.name);
    expect(() => apiToken(env)).not.toThrow();
  });

  test('probes are GET operations of openapi.yaml, on the container port', () => {
    const probes = [container.startupProbe, container.livenessProbe, container.readinessProbe].filter((p): p is Probe => p !== undefined);
    expect(container.readinessProbe?.httpGet?.path).toBe('/v2/health/ready');
    for (const probe of probes) {
      expect(openapiGets(probe.httpGet?.path ?? '')).toBe(true);
      const port = probe.httpGet?.port;
      if (port !== undefined) expect(container.ports?.some((p) => p.name === port || p.containerPort === port)).toBe(true);
    }
  });

  test('non-root, read-only root filesystem, no privilege escalation, no capabilities', () => {
    const security = { ...podSecurity, ...container.securityContext };
    expect(security.runAsNonRoot).toBe(true);
    expect(`${security.runAsUser}`).toBe(instruction('USER')[0].rest.split(':')[0]);
    expect(security.readOnlyRootFilesystem).toBe(true);
    expect(security.allowPrivilegeEscalation).toBe(false);
    expect(security.capabilities?.drop).toEqual(['ALL']);
  });

  test('requests CPU (the autoscaler scales on its utilisation) and limits memory', () => {
    expect(container.resources?.requests?.cpu).toBeDefined();
    expect(container.resources?.limits?.memory).toBeDefined();
  });
});

describe('Kubernetes (deploy/k8s, kustomize)', () => {
  const container = podSpec.containers[0] as Container;
  const podLabels = deployment.spec.template.metadata.labels as Record<string, string>;
  const selects = (selector: Record<string, string>) => Object.entries(selector).every(([k, v]) => podLabels[k] === v);

  test('kustomization.yaml lists every manifest of its folder and names the Deployment image', () => {
    const kustomization = ofKind('Kustomization');
    const dir = join(DEPLOY, 'k8s');
    const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f) && f !== 'kustomization.yaml');
    expect([...(kustomization.resources as string[])].sort()).toEqual(files.sort());
    expect((kustomization.images as Json[]).map((i) => i.name)).toContain(container.image);
  });

  test('liveness and readiness are /v2/health/live and /v2/health/ready', () => {
    expect(container.livenessProbe?.httpGet?.path).toBe('/v2/health/live');
    expect(container.startupProbe?.httpGet?.path).toBe('/v2/health/live');
    expect(container.readinessProbe?.httpGet?.path).toBe('/v2/health/ready');
  });

  test('the termination grace period outlasts the preStop pause plus the server drain (--shutdown-grace-ms)', () => {
    const drainMs = parseServe(container.args ?? []).shutdownGraceMs;
    const preStopMs = (container.lifecycle?.preStop?.sleep?.seconds ?? 0) * 1000;
    expect(podSpec.terminationGracePeriodSeconds * 1000).toBeGreaterThan(preStopMs + drainMs);
  });

  test('the API token comes from an optional Secret', () => {
    const token = container.env?.find((e) => e.name === 'RADIO_MTL_API_TOKEN');
    expect(token?.valueFrom?.secretKeyRef).toMatchObject({ optional: true });
  });

  test('the Service selects the pods and targets their port', () => {
    const service = ofKind('Service');
    expect(selects(service.spec.selector)).toBe(true);
    for (const p of service.spec.ports as Json[]) expect(container.ports?.some((c) => c.name === p.targetPort || c.containerPort === p.targetPort)).toBe(true);
  });

  test('the HorizontalPodAutoscaler scales the Deployment on CPU', () => {
    const hpa = ofKind('HorizontalPodAutoscaler');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: deployment.apiVersion, kind: 'Deployment', name: deployment.metadata.name });
    expect(hpa.spec.metrics).toContainEqual(expect.objectContaining({ type: 'Resource', resource: expect.objectContaining({ name: 'cpu' }) }));
    expect(hpa.spec.minReplicas).toBeGreaterThan(1);
  });

  test('the PodDisruptionBudget covers the pods and keeps one running', () => {
    const pdb = ofKind('PodDisruptionBudget');
    expect(selects(pdb.spec.selector.matchLabels)).toBe(true);
    expect(selects(deployment.spec.selector.matchLabels)).toBe(true);
    expect(pdb.spec.minAvailable).toBeGreaterThanOrEqual(1);
    expect(pdb.spec.minAvailable).toBeLessThan(ofKind('HorizontalPodAutoscaler').spec.minReplicas);
  });
});

describe('KServe (deploy/kserve)', () => {
  test('the InferenceService uses the radio-mtl runtime with the V2 protocol', () => {
    const isvc = ofKind('InferenceService');
    expect(servingRuntime.spec.protocolVersions).toEqual(['v2']);
    expect(isvc.spec.predictor.model).toMatchObject({ runtime: servingRuntime.metadata.name, protocolVersion: 'v2' });
    expect((servingRuntime.spec.supportedModelFormats as Json[]).map((f) => f.name)).toContain(isvc.spec.predictor.model.modelFormat.name);
  });

  test('the V2 paths clients use are in openapi.yaml', () => {
    for (const path of ['/v2', '/v2/models/{name}', '/v2/models/{name}/ready']) expect(openapiGets(path)).toBe(true);
    expect(loadSpec().doc.paths['/v2/models/{name}/infer']?.post).toBeDefined();
  });
});

describe('sharded sweeps (deploy/k8s/sweeps)', () => {
  const jobs = manifests.filter((m) => m.doc.kind === 'Job' && m.file.startsWith('deploy/k8s/sweeps/')).map((m) => m.doc);
  const shardJob = jobs.find((j) => j.spec.completionMode === 'Indexed') as Json;
  const mergeJob = jobs.find((j) => j !== shardJob) as Json;
  const containerOf = (job: Json) => job.spec.template.spec.containers[0] as Container & { workingDir?: string; volumeMounts?: Json[] };
  const argsOf = (job: Json) => containerOf(job).args ?? [];
  const optionOf = (job: Json, name: string) => argsOf(job)[argsOf(job).indexOf(name) + 1];
  const packageScripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  /** The source files that read the options of an npm script: the script itself and the sharding switches. */
  const sourcesOf = (job: Json): string => {
    const [npm, run, name, dashes] = containerOf(job).command ?? [];
    expect([npm, run, dashes]).toEqual(['npm', 'run', '--']);
    const file = /^tsx (scripts\/\S+\.ts)$/.exec(packageScripts[name] ?? '')?.[1];
    expect(file).toBeDefined();
    return [file as string, 'scripts/shared/shard-option.ts', 'scripts/shared/lib.ts'].map((f) => readFileSync(join(ROOT, f), 'utf8')).join('\n');
  };

  test('an Indexed Job runs every shard and a second Job merges them', () => {
    expect(jobs).toHaveLength(2);
    expect(shardJob.spec.completions).toBe(Number(optionOf(shardJob, '--shards')));
    expect(shardJob.spec.parallelism).toBeLessThanOrEqual(shardJob.spec.completions);
    // Kubernetes sets JOB_COMPLETION_INDEX (0-based) in every pod of an Indexed Job.
    expect(optionOf(shardJob, '--shard-index-env')).toBe('JOB_COMPLETION_INDEX');
    expect(argsOf(mergeJob)).toContain('--merge');
    // The Jobs run scripts with tsx: the Dockerfile's `sweeps` stage, built on the build stage (dev dependencies), holds them.
    for (const job of jobs) expect(containerOf(job).image).toBe(`${(podSpec.containers[0] as Container).image}-sweeps`);
    const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const stage = /^FROM (\S+) AS sweeps\n([\s\S]*?)(?=^FROM |(?![\s\S]))/m.exec(text);
    expect(stage?.[1]).toBe('build');
    for (const dir of ['scripts', 'models', 'bin']) expect(stage?.[2]).toMatch(new RegExp(`^COPY ${dir} \\./${dir}$`, 'm'));
    // The server image stays the last (default) stage.
    expect(dockerfile.from).toMatch(/ AS runtime$/);
  });

  test('.dockerignore keeps every path a stage copies from the build context', () => {
    // The sweeps stage once copied scripts/ and results/ while .dockerignore excluded them: it did not build.
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    const copied = [...readFileSync(join(ROOT, 'Dockerfile'), 'utf8').matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1].split(/\s+/));
    expect(copied).toEqual(expect.arrayContaining(['scripts', 'results', 'src', 'models']));
    for (const path of copied) expect({ path, ignoredBy: ignored.filter((pattern) => path === pattern || path.startsWith(`${pattern}/`)) }).toEqual({ path, ignoredBy: [] });
  });

  test.each(['shard', 'merge'])('the %s Job runs an npm script of this repository with options it reads', (which) => {
    const job = which === 'shard' ? shardJob : mergeJob;
    const source = sourcesOf(job);
    for (const a of argsOf(job).filter((x) => x.startsWith('--'))) expect(source).toContain(`'${a.slice(2)}'`);
    expect(containerOf(job).workingDir).toBe(APP_DIR);
  });

  test('both Jobs run the same sweep on the shared volume, the merge without the shard switches', () => {
    const strip = (args: string[]) => args.filter((a, i) => !['--shard-index-env', '--shards', '--merge'].includes(a) && !['--shard-index-env', '--shards'].includes(args[i - 1]));
    expect(strip(argsOf(mergeJob))).toEqual(strip(argsOf(shardJob)));
    expect(containerOf(mergeJob).command).toEqual(containerOf(shardJob).command);
    const claim = ofKind('PersistentVolumeClaim');
    for (const job of jobs) {
      const spec = job.spec.template.spec as Json;
      const volume = (spec.volumes as Json[]).find((v) => v.persistentVolumeClaim?.claimName === claim.metadata.name) as Json;
      const mount = (containerOf(job).volumeMounts ?? []).find((m) => m.name === volume.name) as Json;
      for (const option of ['--data', '--runs', '--out']) expect(optionOf(job, option).startsWith(`${mount.mountPath}/`)).toBe(true);
    }
    expect(claim.spec.accessModes).toContain('ReadWriteMany');
  });
});
