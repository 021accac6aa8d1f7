/**
 * Every Kubernetes core-kind manifest under deploy/ validated against the Kubernetes API
 * schemas (kubernetes-models, JSON schemas generated from the Kubernetes OpenAPI); resources
 * of other APIs (kustomize, KServe) are named here and checked structurally in
 * manifests.test.ts, so a new core manifest cannot slip past unvalidated.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { PersistentVolumeClaim, Service } from 'kubernetes-models/v1';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Kinds of APIs kubernetes-models does not hold. */
const NOT_CORE = new Set(['kustomize.config.k8s.io/v1beta1 Kustomization', 'serving.kserve.io/v1alpha1 ServingRuntime', 'serving.kserve.io/v1beta1 InferenceService']);

interface Manifest {
  file: string;
  apiVersion: string;
  kind: string;
  doc: Record<string, unknown>;
}

const yamlFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? yamlFiles(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : []));

const manifests: Manifest[] = yamlFiles(join(ROOT, 'deploy')).flatMap((file) =>
  parseAllDocuments(readFileSync(file, 'utf8')).map((d) => {
    const doc = d.toJS() as Record<string, unknown>;
    return { file: relative(ROOT, file), apiVersion: String(doc.apiVersion), kind: String(doc.kind), doc };
  }),
);

type Model = new (data: never) => { validate(): void };

/** The kubernetes-models class of each core apiVersion + kind used under deploy/. */
const MODELS: Record<string, Model> = {
  'apps/v1 Deployment': Deployment,
  'autoscaling/v2 HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'batch/v1 Job': Job,
  'policy/v1 PodDisruptionBudget': PodDisruptionBudget,
  'v1 PersistentVolumeClaim': PersistentVolumeClaim,
  'v1 Service': Service,
};

function modelOf(apiVersion: string, kind: string): Model {
  const model = MODELS[`${apiVersion} ${kind}`];
  if (!model) throw new Error(`${apiVersion} ${kind}: add its kubernetes-models class to MODELS`);
  return model;
}

const core = manifests.filter((m) => !NOT_CORE.has(`${m.apiVersion} ${m.kind}`));

test('the manifests hold the expected kinds (a new one is validated below, or named here)', () => {
  expect(manifests.filter((m) => NOT_CORE.has(`${m.apiVersion} ${m.kind}`)).map((m) => m.kind).sort()).toEqual(['InferenceService', 'Kustomization', 'ServingRuntime']);
  expect(core.map((m) => m.kind).sort()).toEqual(['Deployment', 'HorizontalPodAutoscaler', 'Job', 'Job', 'PersistentVolumeClaim', 'PodDisruptionBudget', 'Service']);
});

test.each(core.map((m) => [`${m.file}: ${m.kind}`, m] as const))('%s matches the Kubernetes schema', (_name, m) => {
  const Model = modelOf(m.apiVersion, m.kind);
  expect(() => new Model(m.doc as never).validate()).not.toThrow();
});

// The schemas (Kubernetes 1.27) check types, enums and required fields, not unknown fields.
test('the validation has teeth: a wrong type or a missing required field is refused', () => {
  const deployment = manifests.find((m) => m.kind === 'Deployment') as Manifest;
  const DeploymentModel = modelOf(deployment.apiVersion, 'Deployment');
  const spec = deployment.doc.spec as Record<string, unknown>;
  expect(() => new DeploymentModel({ ...deployment.doc, spec: { ...spec, replicas: '2' } } as never).validate()).toThrow(/replicas/);
  expect(() => new DeploymentModel({ ...deployment.doc, spec: { ...spec, selector: undefined } } as never).validate()).toThrow(/selector/);
});
