// Fuzzed requests for one operation of /openapi.json: property-based (fast-check) and the classic bad requests.
import fc from 'fast-check';
import { badValueArb, deep, invalidArb, NASTY_STRINGS, UNKNOWN_UUID, validArb, type JsonSchema, type SchemaContext } from './schema-arb.ts';

/** One operation of the OpenAPI document. */
export interface Operation {
  method: string;
  /** The OpenAPI path, with {param} placeholders. */
  path: string;
  operationId: string;
  parameters: { in: string; name: string; required?: boolean; schema: JsonSchema }[];
  /** The JSON body schema, if the operation takes one. */
  body?: JsonSchema;
}

/** A request as app.inject takes it. */
export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
}

/** Every operation of an OpenAPI document. */
export function operationsOf(spec: { paths: Record<string, Record<string, any>> }): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      out.push({
        method: method.toUpperCase(), path, operationId: op.operationId, parameters: op.parameters ?? [],
        body: op.requestBody?.content?.['application/json']?.schema,
      });
    }
  }
  return out;
}

/** Percent-encodes text, lone surrogates included (as U+FFFD, as a browser would). */
function encode(text: string): string {
  return encodeURIComponent(text.toWellFormed());
}

/** Path segments beyond ids: bad encodings, traversal, NUL, overlong, unknown. */
const BAD_SEGMENTS = ['%c0', '%', '%zz', '%00', '%ff%fe', '..', '%2e%2e', 'x'.repeat(600), 'null', '-1', '1e309', UNKNOWN_UUID.toUpperCase(), `${UNKNOWN_UUID}%00`, '%F0%9F%98%80', "'"];

function segmentArb(schema: JsonSchema, ctx: SchemaContext): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: validArb(schema, ctx).map((v) => encode(String(v))) },
    { weight: 1, arbitrary: fc.constantFrom(...BAD_SEGMENTS) },
    { weight: 1, arbitrary: fc.string({ maxLength: 30 }).map(encode) },
  );
}

function queryValue(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v) ?? ''));
  if (typeof value === 'string') return [value];
  return [JSON.stringify(value) ?? ''];
}

/** A cursor as the API encodes one (base64url JSON of [at, id]), holding anything. */
export function forgedCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value) ?? '').toString('base64url');
}

/** Cursors that decode but hold what no list wrote: NUL, control characters, wrong types, huge or odd timestamps. */
const FORGED_CURSORS = [
  ['a\u0000', 'b'], ['2026-01-01T00:00:00Z', 'x\u0000'], ['\u001b[31m', '\r\n'], ['not a date', 'x'], ['', ''], [1e308, null], ['2026-01-01T00:00:00Z'],
  ['+275760-09-13T00:00:00.000Z', UNKNOWN_UUID], ['x'.repeat(10_000), 'y'], { at: 1 }, 'x', null, [['a'], { b: 1 }],
].map(forgedCursor);

/** Query values beyond the schema's: huge and non-finite numbers, invalid and forged cursors, nasty strings, raw bad encodings. */
const BAD_QUERY = [...FORGED_CURSORS, '1e309', '-1e309', 'Infinity', '-Infinity', 'NaN', '0', '-1', '101', '1.5', '', 'true', 'eyJ4Ijox', 'not-a-cursor', '%%%', 'MjAyNi0wMS0wMXx4', 'W10=', 'bnVsbA==', 'x'.repeat(5000)];

function queryArb(op: Operation, ctx: SchemaContext): fc.Arbitrary<string> {
  const params = op.parameters.filter((p) => p.in === 'query');
  if (params.length === 0) return fc.constantFrom('', '?x=1', '?limit=1e309');
  const one = (p: Operation['parameters'][number]) => fc.oneof(
    { weight: 3, arbitrary: validArb(p.schema, ctx).map(queryValue) },
    { weight: 1, arbitrary: fc.constantFrom(...BAD_QUERY).map((v) => [v]) },
    { weight: 1, arbitrary: badValueArb().map(queryValue) },
  ).map((values) => values.map((v) => `${encode(p.name)}=${encode(v)}`).join('&'));
  const parts = params.map((p) => fc.option(one(p), { nil: undefined, freq: 2 }));
  return fc.tuple(fc.tuple(...parts), fc.constantFrom('', '', '', '&%c0=%c0', '&limit=1&limit=2', '&x=%00', '&cursor=%E0%A4%A')).map(([values, extra]) => {
    const query = values.filter((v) => v !== undefined && v !== '').join('&') + extra;
    return query ? `?${query.replace(/^&/, '')}` : '';
  });
}

function headersArb(op: Operation): fc.Arbitrary<Record<string, string>> {
  const idempotency = op.method === 'POST' ? fc.option(fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), fc.constantFrom('k', 'x'.repeat(300))), { nil: undefined }) : fc.constant(undefined);
  const lastEventId = op.operationId === 'streamEvents' ? fc.option(fc.oneof(fc.uuid(), fc.constantFrom(...NASTY_STRINGS.slice(0, 20))), { nil: undefined }) : fc.constant(undefined);
  return fc.tuple(idempotency, lastEventId).map(([key, last]) => ({
    ...(key !== undefined ? { 'idempotency-key': key.replace(/[^\x20-\x7e]/g, '_') } : {}),
    ...(last !== undefined ? { 'last-event-id': last.replace(/[^\x20-\x7e]/g, '_') } : {}),
  }));
}

/** Request bodies: valid-ish, valid except in one place, a bad value, or the wrong media. */
function bodyArb(op: Operation, ctx: SchemaContext): fc.Arbitrary<{ payload?: string | Buffer; contentType?: string }> {
  const json = (value: unknown) => ({ payload: JSON.stringify(value) ?? 'null', contentType: 'application/json' });
  const odd = fc.constantFrom<{ payload?: string | Buffer; contentType?: string }>(
    {}, { payload: '', contentType: 'application/json' }, { payload: '{', contentType: 'application/json' },
    { payload: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc0, 0xff, 0x22, 0x7d]), contentType: 'application/json' },
    { payload: 'phone,name\n+14155550199,Fuzz\n', contentType: 'text/csv' }, { payload: '{"phone":"+14155550198"}\n{', contentType: 'application/x-ndjson' },
    { payload: 'a=1', contentType: 'application/x-www-form-urlencoded' }, { payload: '<x/>', contentType: 'application/xml' },
    { payload: '{}', contentType: 'application/json; charset=latin1' }, { payload: '{}', contentType: 'text/plain' },
    { payload: '{"__proto__":{"x":1}}', contentType: 'application/json' }, { payload: '{"a":1,"a":2}', contentType: 'application/json' },
  );
  if (!op.body) return fc.oneof({ weight: 4, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: odd }, { weight: 1, arbitrary: badValueArb().map(json) });
  return fc.oneof(
    { weight: 4, arbitrary: validArb(op.body, ctx).map(json) },
    { weight: 4, arbitrary: invalidArb(op.body, ctx).map(json) },
    { weight: 1, arbitrary: badValueArb().map(json) },
    { weight: 1, arbitrary: odd },
  );
}

/** Property-based requests for one operation: every part generated from its schemas, valid-ish and invalid. */
export function requestArb(op: Operation, ctx: SchemaContext): fc.Arbitrary<FuzzRequest> {
  const names = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  const segments = names.map((name) => segmentArb(op.parameters.find((p) => p.in === 'path' && p.name === name)?.schema ?? { type: 'string' }, ctx));
  return fc.tuple(fc.tuple(...segments), queryArb(op, ctx), headersArb(op), bodyArb(op, ctx)).map(([values, query, headers, body]) => {
    let i = 0;
    const path = op.path.replace(/\{\w+\}/g, () => values[i++]);
    return {
      method: op.method, url: path + query,
      headers: { ...headers, ...(body.contentType ? { 'content-type': body.contentType } : {}) },
      ...(body.payload !== undefined ? { payload: body.payload } : {}),
    };
  });
}

const DEEP_ARRAYS = '['.repeat(100_000) + ']'.repeat(100_000);
const DEEP_OBJECTS = '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000);
const HUGE_STRING = 'x'.repeat(100_000);
const OVERSIZED = JSON.stringify({ x: 'y'.repeat(1024 * 1024 + 1) });

/**
 * The classic bad requests for one operation, each sent once: bad paths, non-finite limits, forged cursors, wrong media,
 * broken and oversized bodies, and `perField` bad values in each body field (all of them by default).
 */
export function classicRequests(op: Operation, ctx: SchemaContext, perField = Infinity): FuzzRequest[] {
  const real = ctx.uuids[0] ?? UNKNOWN_UUID;
  const at = (segment: string) => op.path.replace(/\{\w+\}/g, segment);
  const base = at(real);
  const json = { 'content-type': 'application/json' };
  const out: FuzzRequest[] = [];
  if (op.path.includes('{')) for (const segment of BAD_SEGMENTS) out.push({ method: op.method, url: at(segment), headers: {} });
  for (const value of ['1e309', '-1e309', 'Infinity', 'NaN', '%c0', 'x'.repeat(10_000)]) {
    for (const p of op.parameters.filter((p) => p.in === 'query')) out.push({ method: op.method, url: `${base}?${p.name}=${value}`, headers: {} });
  }
  out.push({ method: op.method, url: `${base}?cursor=${encodeURIComponent('{"at":1e309}')}&cursor=x`, headers: {} });
  if (op.parameters.some((p) => p.name === 'cursor')) for (const cursor of FORGED_CURSORS) out.push({ method: op.method, url: `${base}?cursor=${cursor}`, headers: {} });
  const bodies: [string | Buffer, string][] = [
    ['', 'application/json'], ['null', 'application/json'], ['[]', 'application/json'], ['"x"', 'application/json'], ['1e309', 'application/json'],
    [DEEP_ARRAYS, 'application/json'], [DEEP_OBJECTS, 'application/json'],
    [Buffer.from([0xff, 0xfe, 0xc0, 0x80]), 'application/json'], ['{"a":"\u0000"}', 'application/json'],
    [OVERSIZED, 'application/json'], ['{}', 'application/octet-stream'], ['{}', 'multipart/form-data; boundary=x'],
  ];
  for (const [payload, contentType] of bodies) out.push({ method: op.method, url: base, headers: { 'content-type': contentType }, payload });
  if (op.body) {
    // each property of a valid-ish body in turn replaced by each bad value
    const sample = fc.sample(validArb(op.body, ctx), { numRuns: 1, seed: 1 })[0];
    const valid = sample !== null && typeof sample === 'object' && !Array.isArray(sample) ? sample : {};
    const values = [null, ['x'], [null], 1e308, -1e308, true, {}, HUGE_STRING, 'a\u0000b', deep(200)];
    const count = Math.min(perField, values.length);
    for (const [index, name] of Object.keys(op.body.properties ?? {}).entries()) {
      // each field gets `count` of the values, starting further along for each field, so all of them are sent
      for (const bad of Array.from({ length: count }, (_, i) => values[(index * count + i) % values.length])) {
        out.push({ method: op.method, url: base, headers: json, payload: JSON.stringify({ ...valid, [name]: bad }) });
      }
    }
  }
  return out;
}
