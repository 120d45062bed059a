import AjvCompiler from '@fastify/ajv-compiler';
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

const pool = AjvCompiler();

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

/**
 * The validator factory for Fastify's schema controller: one Ajv for the JSON body, which never coerces, and one for
 * the parts that arrive as text, which do; both with strict numbers, so `limit=1e309` is a 400, not Infinity, and
 * neither lets NUL through.
 */
export const buildValidator = ((externalSchemas: unknown, ajvOptions: AjvOptions): FastifySchemaCompiler<FastifySchema> => {
  const options = { ...ajvOptions, plugins: ajvOptions?.plugins ?? [], onCreate: addKeywords };
  const body = pool(externalSchemas as never, { ...options, customOptions: { ...ajvOptions?.customOptions, ...BODY } } as never);
  const text = pool(externalSchemas as never, { ...options, customOptions: { ...ajvOptions?.customOptions, ...TEXT_PARTS } } as never);
  return (route) => storableOnly((route.httpPart === 'body' ? body(route as never) : text(route as never)) as Validate) as never;
}) as unknown as typeof pool;
