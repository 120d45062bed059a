import { createRequire } from 'node:module';
import type AjvCompiler from '@fastify/ajv-compiler';
import type { FastifySchema, FastifySchemaCompiler } from 'fastify';

type AjvOptions = { customOptions?: object; plugins?: unknown[] } | undefined;

/** Ajv options every part shares: every error is reported, ±Infinity and NaN are never numbers, nothing is removed. */
const COMMON = { allErrors: true, strictNumbers: true, removeAdditional: false } as const;

/**
 * Query strings, path parameters and headers arrive as text: their scalars are coerced to the schema's type, and a
 * single value becomes an array where the schema has one (`?tags=vip`).
 */
const TEXT_PARTS = { ...COMMON, coerceTypes: 'array' } as const;

/** A JSON body already has types: it is never coerced (`{"name": ["x"]}` is a 400, not the string "x"). */
const BODY = { ...COMMON, coerceTypes: false } as const;

// Ajv, its formats and fast-json-stringify (~110 files; ~0.1 s and ~16 MB of RSS in a bare process) are required when
// the first schema is compiled, not at start: a process that only answers its health probes never loads them.
const require = createRequire(import.meta.url);
type Pool = ReturnType<typeof AjvCompiler>;
let shared: Pool | undefined;
const pool = (): Pool => (shared ??= (require('@fastify/ajv-compiler') as typeof AjvCompiler)());

/**
 * A schema keyword for the few JSON objects documented to keep numbers and booleans as their string form (message
 * metadata): `{"order": 42}` becomes `{"order": "42"}` before the object's values are checked. Nothing else is coerced.
 */
export const SCALARS_AS_STRINGS = 'x-scalars-as-strings';

function stringifyScalars(_enabled: boolean, data: unknown): boolean {
  if (data && typeof data === 'object' && !Array.isArray(data)) {
    const record = data as Record<string, unknown>;
    for (const [key, value] of Object.entries(record)) {
      if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') record[key] = String(value);
    }
  }
  return true;
}

function addKeywords(ajv: { addKeyword(definition: object): unknown }): void {
  ajv.addKeyword({ keyword: SCALARS_AS_STRINGS, modifying: true, schemaType: 'boolean', validate: stringifyScalars });
}

type Issue = { instancePath: string; keyword: string; params: Record<string, unknown>; message: string };
type Validate = ((data: unknown, context?: unknown) => boolean) & { errors?: unknown; schemaEnv?: unknown };

const NUL = '\u0000';

function pointer(path: string, key: string): string {
  return `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/**
 * The values no store takes, at any depth (walked without recursion, so deep nesting costs no stack): a number that is
 * ±Infinity or NaN, and text (a value or a key) holding NUL, U+0000, which PostgreSQL's text and jsonb refuse.
 */
function unstorable(data: unknown): Issue[] {
  const out: Issue[] = [];
  const stack: [unknown, string][] = [[data, '']];
  while (stack.length > 0) {
    const [value, path] = stack.pop()!;
    if (typeof value === 'number' && !Number.isFinite(value)) out.push({ instancePath: path, keyword: 'type', params: {}, message: 'must be a finite number' });
    else if (typeof value === 'string' && value.includes(NUL)) out.push({ instancePath: path, keyword: 'pattern', params: {}, message: 'must not contain NUL (U+0000) characters' });
    else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (key.includes(NUL)) out.push({ instancePath: path, keyword: 'pattern', params: {}, message: 'must not have a key containing NUL (U+0000)' });
        else stack.push([item, pointer(path, key)]);
      }
    }
  }
  return out;
}

/**
 * Ajv coerces "1e309" or "Infinity" to a number and then skips its range checks on the non-finite result (strictNumbers
 * only checks values that arrive as numbers): a coerced part holding ±Infinity or NaN is refused here. So is text holding
 * NUL in any part, which SQLite would store and PostgreSQL refuse (a 500): both stores answer the same 400.
 */
function storableOnly(validate: Validate): Validate {
  const check: Validate = (data, context) => {
    if (!validate(data, context)) {
      check.errors = validate.errors;
      return false;
    }
    const issues = unstorable(data);
    check.errors = issues.length > 0 ? issues : null;
    return issues.length === 0;
  };
  check.schemaEnv = validate.schemaEnv;
  return check;
}

/** A compile deferred to first use; `compileAll` runs those not run yet (a test proves every schema compiles). */
export interface Deferred {
  /** Runs every deferred compile now; returns how many ran. Throws what a compile throws. */
  compileAll(): number;
}

/** A registry of deferred compiles, one per app: compiled entries leave it, so it holds nothing once every route was used. */
export function deferred(): Deferred & { add(compile: () => unknown): () => void } {
  const pending = new Set<() => unknown>();
  return {
    add(compile) {
      pending.add(compile);
      return () => pending.delete(compile);
    },
    compileAll() {
      const all = [...pending];
      for (const compile of all) compile();
      return all.length;
    },
  };
}

/**
 * The validator factory for Fastify's schema controller: one Ajv for the JSON body, which never coerces, and one for
 * the parts that arrive as text, which do; both with strict numbers, so `limit=1e309` is a 400, not Infinity, and
 * neither lets NUL through. A route's validator is compiled on its first request (most routes of a process are never
 * called, and compiling them all cost ~0.4 s of CPU and their code at every start); `registry` can compile them all.
 */
export function validatorFactory(registry: ReturnType<typeof deferred>): Pool {
  return ((externalSchemas: unknown, ajvOptions: AjvOptions): FastifySchemaCompiler<FastifySchema> => {
    const options = { ...ajvOptions, plugins: ajvOptions?.plugins ?? [], onCreate: addKeywords };
    // the two Ajv instances are made on the first compile
    let compilers: { body: FastifySchemaCompiler<FastifySchema>; text: FastifySchemaCompiler<FastifySchema> } | null = null;
    const ajv = () => (compilers ??= {
      body: pool()(externalSchemas as never, { ...options, customOptions: { ...ajvOptions?.customOptions, ...BODY } } as never),
      text: pool()(externalSchemas as never, { ...options, customOptions: { ...ajvOptions?.customOptions, ...TEXT_PARTS } } as never),
    });
    return (route) => {
      let validate: Validate | null = null;
      const compile = (): Validate => {
        if (validate) return validate;
        validate = storableOnly((route.httpPart === 'body' ? ajv().body(route as never) : ajv().text(route as never)) as Validate);
        done();
        return validate;
      };
      const done = registry.add(compile);
      const check: Validate = (data, context) => {
        const v = compile();
        const ok = v(data, context);
        check.errors = v.errors;
        return ok;
      };
      // Fastify passes the parent object (so Ajv can coerce a root value) to validators that have a schemaEnv, as Ajv's do
      check.schemaEnv = true;
      return check as never;
    };
  }) as unknown as Pool;
}

type SerializerFactory = (externalSchemas: unknown, options: unknown) => (route: { schema: unknown }) => (data: unknown) => string;

/** The serializer factory: Fastify's own (fast-json-stringify), each response schema compiled on its first answer. */
export function serializerFactory(registry: ReturnType<typeof deferred>): SerializerFactory {
  let standard: SerializerFactory | undefined;
  const selector = () => (standard ??= (require('@fastify/fast-json-stringify-compiler') as { SerializerSelector: () => SerializerFactory }).SerializerSelector());
  return (externalSchemas, options) => {
    let build: ReturnType<SerializerFactory> | undefined;
    return (route) => {
      let serialize: ((data: unknown) => string) | null = null;
      const compile = () => {
        if (serialize) return serialize;
        build ??= selector()(externalSchemas, options);
        serialize = build(route);
        done();
        return serialize;
      };
      const done = registry.add(compile);
      return (data) => compile()(data);
    };
  };
}
