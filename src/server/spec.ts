/**
 * openapi.yaml, the single source of truth of the HTTP contract, loaded once and compiled
 * with ajv (JSON Schema 2020-12, as OpenAPI 3.1 uses) into one request validator per
 * operation and one response validator per (operation, status).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import type { FieldError } from './errors.js';
import { VERSION } from '../version.js';

/** openapi.yaml at the package root (the same path from src/server and dist/server). */
export const OPENAPI_PATH = fileURLToPath(new URL('../../openapi.yaml', import.meta.url));

type Json = Record<string, unknown>;

export interface OpenApiDoc {
  openapi: string;
  info: Json;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Json>; responses: Record<string, Json> };
}

interface MediaType {
  schema?: Json;
}

interface Operation {
  operationId: string;
  requestBody?: { content: Record<string, MediaType> };
  responses: Record<string, { $ref?: string; content?: Record<string, MediaType> }>;
}

export interface CompiledSpec {
  doc: OpenApiDoc;
  /** The document as JSON text (served at /openapi.json). */
  json: string;
  /** Request-body validator per operationId: stops at the first error, so it is linear in the body. */
  request: Map<string, ValidateFunction>;
  /** The same with every error collected: costs O(items^2) under oneOf, so only for small bodies. */
  requestAllErrors: Map<string, ValidateFunction>;
  /** JSON response validator per `${operationId} ${status}`. */
  response: Map<string, ValidateFunction>;
  /** A schema by name (components.schemas). */
  schema(name: string): Json;
}

let cached: CompiledSpec | undefined;

/** Loads and compiles openapi.yaml once per process. */
export function loadSpec(path = OPENAPI_PATH): CompiledSpec {
  if (cached && path === OPENAPI_PATH) return cached;
  const doc = parse(readFileSync(path, 'utf8')) as OpenApiDoc;
  // One version: the package's (a test keeps the file's in step with it).
  doc.info = { ...doc.info, version: VERSION };
  const compiled = compileSpec(doc);
  if (path === OPENAPI_PATH) cached = compiled;
  return compiled;
}

const SCHEMA_ID = 'urn:radio-mtl:openapi';

function newAjv(doc: OpenApiDoc, allErrors: boolean): Ajv2020 {
  // strictNumbers: NaN/Infinity (JSON.parse turns 1e999 into Infinity) fail `type: number`.
  const ajv = new Ajv2020({ allErrors, strict: true, strictNumbers: true, useDefaults: true, coerceTypes: false });
  const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  // The components live under a `components` keyword of one schema resource so that the
  // file's own `#/components/schemas/X` references resolve unchanged.
  ajv.addKeyword({ keyword: 'components', schemaType: 'object' });
  ajv.addSchema({ $id: SCHEMA_ID, components: { schemas: doc.components.schemas } });
  return ajv;
}

export function compileSpec(doc: OpenApiDoc): CompiledSpec {
  const ajv = newAjv(doc, true);
  const firstErrorAjv = newAjv(doc, false);
  const refTo = (ref: string): Json => ({ $ref: `${SCHEMA_ID}${ref}` });
  const request = new Map<string, ValidateFunction>();
  const requestAllErrors = new Map<string, ValidateFunction>();
  const response = new Map<string, ValidateFunction>();
  for (const methods of Object.values(doc.paths)) {
    for (const op of Object.values(methods)) {
      const body = op.requestBody?.content['application/json']?.schema;
      if (body?.$ref) {
        request.set(op.operationId, firstErrorAjv.compile(refTo(body.$ref as string)));
        requestAllErrors.set(op.operationId, ajv.compile(refTo(body.$ref as string)));
      }
      for (const [status, resp] of Object.entries(op.responses)) {
        const r = resp.$ref ? (doc.components.responses[resp.$ref.split('/').pop() as string] as Operation['responses'][string]) : resp;
        const media = r.content?.['application/json'] ?? r.content?.['application/problem+json'];
        const schema = media?.schema;
        if (schema?.$ref) response.set(`${op.operationId} ${status}`, ajv.compile(refTo(schema.$ref as string)));
        else if (schema) response.set(`${op.operationId} ${status}`, ajv.compile(schema));
      }
    }
  }
  return {
    doc,
    json: JSON.stringify(doc),
    request,
    requestAllErrors,
    response,
    schema: (name) => {
      const s = doc.components.schemas[name];
      if (!s) throw new Error(`openapi.yaml: no schema '${name}'`);
      return s;
    },
  };
}

/**
 * ajv errors -> field errors naming a JSON pointer and the rule. Under a `oneOf` (gains:
 * one vector or a batch) ajv reports the type mismatches of the branch the caller did not
 * mean; those are dropped, the branch meant being told by the shape of the first item.
 */
export function fieldErrors(errors: ErrorObject[] | null | undefined, data?: unknown): FieldError[] {
  return toFieldErrors(meantErrors(errors, data));
}

/** The ajv errors of the branch the caller meant (see fieldErrors). */
export function meantErrors(errors: ErrorObject[] | null | undefined, data?: unknown): ErrorObject[] {
  if (!errors || errors.length === 0) return [];
  const oneOfPaths = errors.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath);
  const underOneOf = (e: ErrorObject) => oneOfPaths.find((p) => e.instancePath.startsWith(`${p}/`));
  const rest = errors.filter((e) => e.keyword !== 'oneOf');
  const chosen = rest.filter((e) => {
    if (e.keyword !== 'type') return true;
    const root = underOneOf(e);
    if (root === undefined) return true;
    // The first items' nesting tells which branch was meant (a vector of numbers, an array
    // of vectors, an array of matrices): drop the other branches' item type mismatches.
    let value = valueAt(data, root);
    const depth = e.instancePath.split('/').length - root.split('/').length;
    for (let d = 1; d < depth && Array.isArray(value); d++) value = value[0];
    if (Array.isArray(value) && depth <= 2) {
      const expected = (e.params as { type: string }).type;
      const meantArrays = Array.isArray(value[0]);
      if (meantArrays ? expected !== 'array' : expected === 'array') return false;
    }
    return true;
  });
  if (chosen.length === 0) chosen.push(...errors);
  return loosestLimits(chosen);
}

/**
 * Several branches of a `oneOf` may bound the same array (gains/0: a vector of at most 1000
 * gains, or a matrix row of at most 100): a value over every bound is told the loosest one,
 * once, the bound no form of the request allows beyond.
 */
function loosestLimits(errors: ErrorObject[]): ErrorObject[] {
  const loosest = new Map<string, ErrorObject>();
  const limit = (e: ErrorObject) => (e.params as { limit: number }).limit;
  const kept = errors.filter((e) => {
    if (e.keyword !== 'maxItems' && e.keyword !== 'minItems') return true;
    const key = `${e.keyword} ${e.instancePath}`;
    const seen = loosest.get(key);
    if (seen === undefined) {
      loosest.set(key, e);
      return true;
    }
    if ((e.keyword === 'maxItems') === limit(e) > limit(seen)) Object.assign(seen, e);
    return false;
  });
  return kept;
}

const RANGE_KEYWORDS = new Set(['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum']);

/** True when every error is a number outside its documented range (well-formed, not servable). */
export function onlyRangeErrors(errors: ErrorObject[]): boolean {
  return errors.length > 0 && errors.every((e) => RANGE_KEYWORDS.has(e.keyword));
}

export function toFieldErrors(chosen: ErrorObject[]): FieldError[] {
  // One rule broken by many items (every row of a window, say) is reported once, with a count.
  const byRule = new Map<string, FieldError & { more: number }>();
  for (const e of chosen) {
    let field = e.instancePath || '/';
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'required') {
      field = `${e.instancePath}/${(e.params as { missingProperty: string }).missingProperty}`;
      message = 'is required';
    } else if (e.keyword === 'additionalProperties') {
      field = `${e.instancePath}/${(e.params as { additionalProperty: string }).additionalProperty}`;
      message = 'is not a known property';
    } else if (e.keyword === 'enum') {
      message = `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    } else if (e.keyword === 'type' && (e.params as { type: string }).type === 'number') {
      message = 'must be a finite number';
    }
    const rule = `${field.replace(/\/\d+/g, '/#')} ${message}`;
    const first = byRule.get(rule);
    if (!first) byRule.set(rule, { field, message, more: 0 });
    else if (first.field !== field) first.more++;
  }
  return [...byRule.values()].slice(0, 20).map(({ field, message, more }) => ({
    field,
    message: more > 0 ? `${message} (and ${more} more ${more === 1 ? 'item' : 'items'} like it)` : message,
  }));
}

function valueAt(data: unknown, pointer: string): unknown {
  let v = data;
  for (const part of pointer.split('/').slice(1)) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return v;
}

/** "gains/3: must be >= 0; solver: must be one of ..." */
export function describeFieldErrors(errors: FieldError[]): string {
  return errors.map((e) => `${e.field === '/' ? 'body' : e.field.slice(1)}: ${e.message}`).join('; ');
}
