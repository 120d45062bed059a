/** Shared schemas by their OpenAPI component name (the schema objects themselves: TypeBox composes by reference). */
const named = new Map<object, string>();

/** Names a shared schema: the OpenAPI document shows it once, as components.schemas[name], and refers to it elsewhere. */
export function nameSchema<T extends object>(name: string, schema: T): T {
  named.set(schema, name);
  return schema;
}

function refsIn(schema: unknown, self: object | null): unknown {
  if (Array.isArray(schema)) return schema.map((item) => refsIn(item, null));
  if (schema === null || typeof schema !== 'object') return schema;
  const name = schema === self ? undefined : named.get(schema);
  if (name) return { $ref: `#/components/schemas/${name}` };
  return Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, refsIn(value, null)]));
}

/** A copy of `schema` for the OpenAPI document, each named schema inside it replaced by a $ref to its component. */
export function withComponentRefs(schema: unknown): unknown {
  return refsIn(schema, null);
}

/** components.schemas of the OpenAPI document: every named schema, the named schemas inside it as $refs. */
export function componentSchemas(): Record<string, unknown> {
  const entries = [...named].map(([schema, name]) => [name, refsIn(schema, schema)] as const);
  // code-point order: localeCompare would load ICU's collation data (~3 MB) into every process for this one sort
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
