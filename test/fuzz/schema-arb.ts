// fast-check arbitraries generated from the JSON schemas of /openapi.json: values that follow a schema (valid-ish),
// the classic bad values, and values that follow a schema except in one place.
import fc from 'fast-check';

/** A JSON schema as /openapi.json carries it (only the keywords the generator reads are typed). */
export type JsonSchema = Record<string, any>;

/** What the generator needs besides the schema: named components and the ids that exist in the workspace. */
export interface SchemaContext {
  components: Record<string, JsonSchema>;
  /** UUIDs of records the fuzzed workspace holds (contacts, channels, templates …), so some requests reach real rows. */
  uuids: readonly string[];
}

/** A UUID no workspace holds. */
export const UNKNOWN_UUID = '0191f6a4-0000-7000-8000-000000000000';

/** URLs that fail at once without leaving the machine (the discard port on loopback): fuzzed webhooks and providers use them. */
const SAFE_URLS = ['http://127.0.0.1:9/hook', 'https://127.0.0.1:9/x', 'http://[::1]:9/', 'ftp://127.0.0.1/x', 'not a url'];

/** Strings every validator and service should refuse or store as text: NUL and control characters, scripts, SQL, huge. */
export const NASTY_STRINGS: readonly string[] = [
  '', ' ', '\u0000', 'a\u0000b', '\u0001\u0002\u0007\b\u001b[31m', '\r\n\t', '\uFEFF', '\uD800', '\uDFFF\uD800', '𝕏😀',
  "'; drop table contacts; --", '" or 1=1 --', '%00', '%c0', '../../etc/passwd', '<script>alert(1)</script>',
  '=HYPERLINK("http://evil.example","x")', '{{7*7}}', '{% raw %}', '${jndi:ldap://x}', '__proto__', 'constructor',
  '1e309', 'Infinity', '-1', 'NaN', 'null', 'true', '[]', '{}', '0', '-0', '9'.repeat(400),
  'x'.repeat(100_000), '\u0000'.repeat(1000), UNKNOWN_UUID, '00000000-0000-0000-0000-000000000000',
];

/** Nested arrays or objects `depth` deep. */
export function deep(depth: number, kind: 'array' | 'object' = 'array'): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = kind === 'array' ? [value] : { a: value };
  return value;
}

/** The classic bad values for any JSON position: wrong types, nulls, arrays for scalars, huge and odd numbers, nasty strings, deep nesting. */
export function badValueArb(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, -0, 2 ** 53 + 1, -(2 ** 63), 1e308, Number.MAX_VALUE, Number.MIN_VALUE, [], {}, [null], ['x'], [[]], [{}], { '': null }),
    fc.constantFrom(...NASTY_STRINGS),
    fc.constantFrom(deep(64), deep(1000), deep(64, 'object'), deep(1000, 'object')),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.double(),
    fc.integer(),
    fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 8 }), fc.constantFrom<unknown>(null, 1, 'x', [], {}), { maxKeys: 3 }),
  );
}

function resolve(schema: JsonSchema, ctx: SchemaContext): JsonSchema {
  let current = schema;
  for (let i = 0; i < 10 && typeof current?.$ref === 'string'; i++) current = ctx.components[current.$ref.replace('#/components/schemas/', '')] ?? {};
  return current ?? {};
}

function stringArb(schema: JsonSchema, ctx: SchemaContext): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.min(schema.maxLength ?? 40, 60);
  const plain = fc.string({ minLength: Math.min(minLength, maxLength), maxLength: Math.max(maxLength, minLength) });
  if (schema.format === 'uuid') return fc.oneof(fc.constantFrom(UNKNOWN_UUID, ...ctx.uuids), fc.uuid());
  if (schema.format === 'date-time') return fc.oneof(fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()), plain);
  if (schema.format === 'email') return fc.oneof(fc.emailAddress(), plain);
  if (schema.format === 'uri' || /url/i.test(String(schema.description ?? ''))) return fc.oneof(fc.constantFrom(...SAFE_URLS), plain);
  if (schema.pattern) {
    try {
      return fc.oneof(fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length <= maxLength && s.length >= minLength), plain);
    } catch {
      return plain;
    }
  }
  return fc.oneof(plain, fc.constantFrom('+14155550100', 'ada@example.com', 'vip', 'Hello {{1}}', ...ctx.uuids.slice(0, 3)));
}

/** Values following `schema` (enums, formats, lengths, required properties), with real ids for uuid fields. */
export function validArb(schema: JsonSchema, ctx: SchemaContext, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema, ctx);
  if (depth > 6) return fc.constant(null);
  if ('const' in s) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...s.enum);
  const union = s.anyOf ?? s.oneOf;
  if (Array.isArray(union) && union.length > 0) return fc.oneof(...union.map((option: JsonSchema) => validArb(option, ctx, depth + 1)));
  if (Array.isArray(s.allOf) && s.allOf.length > 0) return validArb(Object.assign({}, ...s.allOf.map((x: JsonSchema) => resolve(x, ctx))), ctx, depth + 1);
  const type = Array.isArray(s.type) ? s.type[0] : s.type ?? (s.properties ? 'object' : undefined);
  switch (type) {
    case 'string': return stringArb(s, ctx);
    case 'integer': return fc.integer({ min: s.minimum ?? -1000, max: s.maximum ?? 1_000_000 });
    case 'number': return fc.double({ min: s.minimum ?? -1e6, max: s.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true });
    case 'boolean': return fc.boolean();
    case 'null': return fc.constant(null);
    case 'array': {
      const maxLength = Math.min(s.maxItems ?? 4, 4);
      return fc.array(validArb(s.items ?? {}, ctx, depth + 1), { minLength: Math.min(s.minItems ?? 0, maxLength), maxLength });
    }
    case 'object': {
      const props: Record<string, JsonSchema> = s.properties ?? {};
      const required = new Set<string>(s.required ?? []);
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, prop] of Object.entries(props)) model[name] = validArb(prop, ctx, depth + 1);
      if (Object.keys(model).length === 0) return fc.dictionary(fc.string({ maxLength: 10 }), fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean()), { maxKeys: 3 });
      return fc.record(model, { requiredKeys: [...required].filter((k) => k in model) });
    }
    default: return fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean(), fc.constant(null));
  }
}

/** Values following `schema` except somewhere: one property (at any depth of objects) replaced by a bad value, added, or dropped. */
export function invalidArb(schema: JsonSchema, ctx: SchemaContext): fc.Arbitrary<unknown> {
  return fc.tuple(validArb(schema, ctx), fc.nat(), badValueArb(), fc.constantFrom('replace', 'add', 'drop')).map(([value, pick, bad, how]) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return bad;
    const copy = structuredClone(value) as Record<string, unknown>;
    const keys = Object.keys(copy);
    if (how === 'add' || keys.length === 0) copy[`x_${pick % 7}`] = bad;
    else if (how === 'drop') delete copy[keys[pick % keys.length]];
    else {
      const key = keys[pick % keys.length];
      const inner = copy[key];
      if (inner !== null && typeof inner === 'object' && !Array.isArray(inner) && Object.keys(inner).length > 0 && pick % 2 === 0) {
        const innerKeys = Object.keys(inner);
        (inner as Record<string, unknown>)[innerKeys[pick % innerKeys.length]] = bad;
      } else copy[key] = bad;
    }
    return copy;
  });
}
