/** openapi.yaml itself: valid per a third-party validator, in sync with the error table and the generated types. */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES, ERROR_TABLE } from '../../src/server/errors.js';
import { loadSpec, OPENAPI_PATH } from '../../src/server/spec.js';
import { makeTempDir } from '../helpers/tmp.js';

describe('openapi.yaml', () => {
  // swagger-parser loads ESM-only dependencies through require(), which jest's VM cannot do:
  // it runs in a plain node child process.
  const validateWithSwaggerParser = (file: string): { ok: boolean; openapi?: string; paths?: string[]; error?: string } => {
    const script = `import SP from '@apidevtools/swagger-parser';
      try { const api = await SP.validate(process.argv[1]); console.log(JSON.stringify({ ok: true, openapi: api.openapi, paths: Object.keys(api.paths) })); }
      catch (e) { console.log(JSON.stringify({ ok: false, error: String(e.message) })); }`;
    return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script, file], { encoding: 'utf8' })) as ReturnType<typeof validateWithSwaggerParser>;
  };

  test('is a valid OpenAPI 3.1 document (@apidevtools/swagger-parser)', () => {
    const res = validateWithSwaggerParser(OPENAPI_PATH);
    expect(res).toMatchObject({ ok: true, openapi: '3.1.0' });
    expect(res.paths?.sort()).toEqual(
      [
        '/docs',
        '/metrics',
        '/openapi.json',
        '/ui',
        '/v1/allocate',
        '/v1/kpi/calibrate',
        '/v1/kpi/detect',
        '/v1/kpi/predict',
        '/v1/models',
        '/v1/tasks',
        '/v2',
        '/v2/health/live',
        '/v2/health/ready',
        '/v2/models/{name}',
        '/v2/models/{name}/infer',
        '/v2/models/{name}/ready',
        '/v2/models/{name}/versions/{version}',
        '/v2/models/{name}/versions/{version}/infer',
        '/v2/models/{name}/versions/{version}/ready',
      ].sort(),
    );
  });

  test('the validator does reject a broken copy (the check has teeth)', () => {
    const tmp = makeTempDir();
    try {
      const broken = join(tmp.dir, 'broken.yaml');
      writeFileSync(broken, readFileSync(OPENAPI_PATH, 'utf8').replace("$ref: '#/components/schemas/KpiRequest'", "$ref: '#/components/schemas/NoSuchSchema'"));
      expect(validateWithSwaggerParser(broken).ok).toBe(false);
    } finally {
      tmp.cleanup();
    }
  });

  test('Problem.code lists exactly the codes of the error table, and every status used is declared', () => {
    const spec = loadSpec();
    const problem = spec.schema('Problem') as { properties: { code: { enum: string[] } } };
    expect([...problem.properties.code.enum].sort()).toEqual([...ERROR_CODES].sort());
    const apiStatuses = new Set(Object.keys(spec.doc.paths['/v1/allocate'].post.responses).map(Number));
    for (const code of ERROR_CODES) {
      // No operation matched, or the HTTP parser answered before routing.
      if (['not-found', 'method-not-allowed', 'request-timeout', 'expectation-failed', 'headers-too-large'].includes(code)) continue;
      expect([code, apiStatuses.has(ERROR_TABLE[code].status)]).toEqual([code, true]);
    }
  });

  test('every example request in the file is valid against its own schema', () => {
    const spec = loadSpec();
    for (const [path, methods] of Object.entries(spec.doc.paths)) {
      for (const op of Object.values(methods)) {
        const media = op.requestBody?.content['application/json'] as { examples?: Record<string, { value: unknown }> } | undefined;
        for (const [name, ex] of Object.entries(media?.examples ?? {})) {
          const validate = spec.request.get(op.operationId);
          const ok = validate?.(structuredClone(ex.value));
          expect([path, name, ok, validate?.errors ?? null]).toEqual([path, name, true, null]);
        }
      }
    }
  });

  test('the server URL is relative, so "Try it out" in /docs calls the port the page came from', () => {
    const servers = (loadSpec().doc as unknown as { servers: Array<{ url: string }> }).servers;
    expect(servers.map((s) => s.url)).toEqual(['/']);
  });

  test('src/server/generated/api.ts is up to date (run `npm run generate:api` after editing openapi.yaml)', () => {
    const tmp = makeTempDir();
    try {
      const out = join(tmp.dir, 'api.ts');
      const bin = join(process.cwd(), 'node_modules', '.bin', 'openapi-typescript');
      execFileSync(bin, [OPENAPI_PATH, '-o', out], { stdio: 'pipe' });
      const fresh = readFileSync(out, 'utf8');
      const committed = readFileSync(join(process.cwd(), 'src/server/generated/api.ts'), 'utf8');
      expect(committed === fresh ? 'up to date' : 'STALE: run npm run generate:api').toBe('up to date');
    } finally {
      tmp.cleanup();
    }
  });
});
