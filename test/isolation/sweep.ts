// The isolation sweep's plan, generated from the route table and /openapi.json: every id a route takes, every reference
// a body or query carries, each called with another workspace's key on the first workspace's value and on an unknown one.
import type { RouteEntry } from '../../src/modules.ts';
import type { Seeded } from '../fuzz/fixtures.ts';
import { UNKNOWN_UUID } from '../fuzz/schema-arb.ts';
import { FIELD_KINDS, FREE_FIELDS, FREE_PATHS, PATH_KINDS, PATH_PARAM_KINDS, RULE_REFERENCES, UNKNOWN, VALID_BODIES } from './cases.ts';

/** One probe: the same request made twice by workspace B, once with A's value and once with an unknown one. */
export interface Probe {
  what: string;
  method: string;
  /** The URL, body and headers with `value` in the swept place. */
  request(value: string): { url: string; body?: unknown; headers?: Record<string, string> };
  kind: keyof Seeded;
}

/** The probes, and what the sweep cannot cover (a route or field it has no kind or body for: a test failure). */
export interface Plan {
  probes: Probe[];
  uncovered: string[];
}

type Spec = { paths: Record<string, Record<string, any>>; components?: { schemas?: Record<string, any> } };

/** The value standing for "no such record" of a kind. */
export function unknownOf(kind: keyof Seeded): string {
  return UNKNOWN[kind] ?? UNKNOWN_UUID;
}

function operationOf(spec: Spec, entry: RouteEntry): any {
  return spec.paths[entry.url.replace(/:(\w+)/g, '{$1}')]?.[entry.method.toLowerCase()];
}

function resolve(spec: Spec, schema: any): any {
  return schema?.$ref ? spec.components?.schemas?.[schema.$ref.split('/').pop()] ?? {} : schema ?? {};
}

/** The body fields of a schema that hold references: named *_uuid(s), or a uuid format (at any depth; a nested one is swept when FIELD_KINDS names its dotted path). */
function referenceFields(spec: Spec, schema: any, path: string[] = [], out: string[][] = []): string[][] {
  const s = resolve(spec, schema);
  for (const option of [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])]) referenceFields(spec, option, path, out);
  for (const [name, prop] of Object.entries<any>(s.properties ?? {})) {
    const p = resolve(spec, prop);
    const isRef = /_uuids?$/.test(name) || p.format === 'uuid' || resolve(spec, p.items).format === 'uuid';
    if (isRef && !out.some((f) => f.join('.') === [...path, name].join('.'))) out.push([...path, name]);
    else if (!isRef) referenceFields(spec, p, [...path, name], out);
  }
  return out;
}

function pathProbes(entry: RouteEntry, own: Seeded, uncovered: string[]): Probe[] {
  const params = [...entry.url.matchAll(/:(\w+)/g)].map((m) => m[1]);
  if (params.length === 0 || FREE_PATHS[`${entry.method} ${entry.url}`]) return [];
  const first = PATH_KINDS.find(([pattern]) => pattern.test(entry.url))?.[1];
  const kinds = params.map((param, i) => (i === 0 ? first : PATH_PARAM_KINDS[param]));
  if (kinds.some((kind) => !kind)) {
    uncovered.push(`${entry.method} ${entry.url}: no kind for its path parameter(s) ${params.join(', ')} in PATH_KINDS / PATH_PARAM_KINDS (test/isolation/cases.ts)`);
    return [];
  }
  const body = VALID_BODIES[entry.operationId]?.(own) ?? (entry.method === 'POST' || entry.method === 'PATCH' ? {} : undefined);
  // one probe per parameter: that one swept, the others the calling workspace's own records
  return params.map((param, i) => ({
    what: `${entry.method} ${entry.url}${params.length > 1 ? ` :${param}` : ''}`, method: entry.method, kind: kinds[i]!,
    request: (value: string) => ({ url: params.reduce((url, p, j) => url.replace(`:${p}`, encodeURIComponent(j === i ? value : own[kinds[j]!])), entry.url), body }),
  }));
}

/** A copy of `body` with the (possibly nested) field set to `value`. */
function withField(body: object, field: string[], value: unknown): object {
  const out: Record<string, any> = structuredClone(body);
  let at = out;
  for (const key of field.slice(0, -1)) at = at[key] = { ...(at[key] ?? {}) };
  at[field.at(-1)!] = value;
  return out;
}

function bodyProbes(spec: Spec, entry: RouteEntry, own: Seeded, uncovered: string[]): Probe[] {
  const schema = operationOf(spec, entry)?.requestBody?.content?.['application/json']?.schema;
  const fields = schema ? referenceFields(spec, schema) : [];
  const probes: Probe[] = [];
  for (const field of fields) {
    const name = field.join('.');
    if (FREE_FIELDS[name]) continue;
    const kind = FIELD_KINDS[name];
    const base = VALID_BODIES[entry.operationId];
    if (!kind || !base) {
      uncovered.push(`${entry.method} ${entry.url}: body field ${name} needs ${!kind ? 'a kind in FIELD_KINDS' : `a valid body in VALID_BODIES.${entry.operationId}`} (test/isolation/cases.ts)`);
      continue;
    }
    const sample = field.reduce((at, key) => resolve(spec, at.properties?.[key]), resolve(spec, schema));
    const isList = sample.type === 'array';
    const url = entry.url.replace(/:(\w+)/g, () => UNKNOWN_UUID);
    probes.push({ what: `${entry.method} ${entry.url} body.${name}`, method: entry.method, kind, request: (value) => ({ url, body: withField(base(own) as object, field, isList ? [value] : value) }) });
  }
  return probes;
}

function queryProbes(spec: Spec, entry: RouteEntry, uncovered: string[]): Probe[] {
  const params: any[] = operationOf(spec, entry)?.parameters ?? [];
  const probes: Probe[] = [];
  for (const p of params) {
    if (p.in === 'path' || !(p.schema?.format === 'uuid' || /_uuids?$|[_-]id$|^(phone|email)$/.test(p.name))) continue;
    const kind = FIELD_KINDS[p.name];
    if (!kind) {
      uncovered.push(`${entry.method} ${entry.url}: ${p.in} parameter ${p.name} needs a kind in FIELD_KINDS (test/isolation/cases.ts)`);
      continue;
    }
    if (p.in === 'query') probes.push({ what: `${entry.method} ${entry.url}?${p.name}`, method: entry.method, kind, request: (value) => ({ url: `${entry.url}?${p.name}=${encodeURIComponent(value)}` }) });
    else if (p.in === 'header') probes.push({ what: `${entry.method} ${entry.url} ${p.name}:`, method: entry.method, kind, request: (value) => ({ url: entry.url, headers: { [p.name]: value } }) });
    else uncovered.push(`${entry.method} ${entry.url}: ${p.in} parameter ${p.name} is not swept`);
  }
  return probes;
}

/** Every probe of the sweep, generated from the route table (non-public routes) and the OpenAPI document. */
export function planSweep(routes: RouteEntry[], spec: Spec, own: Seeded): Plan {
  const probes: Probe[] = [];
  const uncovered: string[] = [];
  for (const entry of routes) {
    if (entry.scope === 'public') continue;
    probes.push(...pathProbes(entry, own, uncovered));
    probes.push(...bodyProbes(spec, entry, own, uncovered), ...queryProbes(spec, entry, uncovered));
  }
  for (const rule of RULE_REFERENCES) probes.push({ what: `${rule.method} ${rule.url} rules → ${rule.kind}`, method: rule.method, kind: rule.kind, request: (value) => ({ url: rule.url, body: rule.body(value) }) });
  return { probes, uncovered };
}
