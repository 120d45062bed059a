import { PostgresAdapter, sql, type Kysely, type RawBuilder } from 'kysely';

/** Which store a database handle talks to. */
export type StoreKind = 'sqlite' | 'postgres';

/** The store a handle (or a transaction of it) talks to, read from its dialect adapter: no global setting. */
export function storeKind(db: Kysely<any>): StoreKind {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** True when the handle talks to PostgreSQL. */
export function isPostgres(db: Kysely<any>): boolean {
  return storeKind(db) === 'postgres';
}

/** Escapes LIKE wildcards (% _ and the escape character itself) with a backslash; pair it with likeEscape(). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => '\\' + c);
}

/** The ESCAPE clause naming the backslash, spelled for each store (PostgreSQL's standard strings take '\' literally; SQLite too). */
export function likeEscape(): RawBuilder<unknown> {
  return sql`escape ${sql.lit('\\')}`;
}

/**
 * The SQL expressions over JSON text columns that differ between SQLite (json1: json_each, json_extract, json_type)
 * and PostgreSQL (jsonb operators). `column` is a trusted column reference such as `contacts.tags`; every value is a
 * bound parameter. Type names are SQLite's: 'text', 'integer', 'real', 'true', 'false', 'null' (PostgreSQL's are mapped).
 */
export interface JsonSql {
  readonly kind: StoreKind;
  /** True when the JSON array of strings in `column` holds `value`. */
  arrayHas(column: string, value: string): RawBuilder<boolean>;
  /** True when the JSON array of strings in `column` holds any of `values` (non-empty). */
  arrayHasAny(column: string, values: string[]): RawBuilder<boolean>;
  /** True when the JSON array in `column` has at least one element. */
  arrayNotEmpty(column: string): RawBuilder<boolean>;
  /** The scalar at `path` (keys) of the JSON object in `column` as SQL text, number or 1/0 for booleans (null when absent); compare it with values of the type `typeAt` reports. */
  valueAt(column: string, path: string[], as: 'text' | 'number' | 'any'): RawBuilder<unknown>;
  /** The JSON type at `path`: 'text', 'integer', 'real', 'true', 'false', 'null', or 'missing' (never SQL NULL). */
  typeAt(column: string, path: string[]): RawBuilder<string>;
  /** The text at `path`, or `fallback` when absent or not a string-ish scalar. */
  textAt(column: string, path: string[], fallback: string): RawBuilder<string>;
  /** True when the JSON object in `column` has `key` whose value equals one of the given typed alternatives. */
  objectHasEntry(column: string, key: string, match: { text?: string; number?: number; bool?: boolean }): RawBuilder<boolean>;
  /** A set-returning FROM item listing the keys of the JSON object in `column`, exposed as `alias.key`. */
  objectKeys(column: string, alias: string): RawBuilder<unknown>;
  /** A set-returning FROM item listing the elements of the JSON array in `column` (it may reference earlier FROM items), exposed as `alias.value`. */
  arrayElements(column: string, alias: string): RawBuilder<unknown>;
  /** The text of `key` in the JSON object `element` (an `alias.value` of arrayElements), null when absent. */
  elementText(element: string, key: string): RawBuilder<string | null>;
  /** Boolean literals valid in a WHERE clause of this store. */
  readonly true: RawBuilder<boolean>;
  readonly false: RawBuilder<boolean>;
}

function sqlitePath(path: string[]): string {
  return '$' + path.map((key) => `."${key.replace(/"/g, '""')}"`).join('');
}

const SQLITE_JSON: JsonSql = {
  kind: 'sqlite',
  arrayHas: (column, value) => sql<boolean>`exists (select 1 from json_each(${sql.ref(column)}) as t where t.value = ${value})`,
  arrayHasAny: (column, values) => sql<boolean>`exists (select 1 from json_each(${sql.ref(column)}) as t where t.value in (${sql.join(values)}))`,
  arrayNotEmpty: (column) => sql<boolean>`(json_array_length(${sql.ref(column)}) > 0)`,
  valueAt: (column, path) => sql`json_extract(${sql.ref(column)}, ${sqlitePath(path)})`,
  typeAt: (column, path) => sql<string>`coalesce(json_type(${sql.ref(column)}, ${sqlitePath(path)}), 'missing')`,
  textAt: (column, path, fallback) => sql<string>`coalesce(json_extract(${sql.ref(column)}, ${sqlitePath(path)}), ${fallback})`,
  objectHasEntry(column, key, match) {
    const alternatives = [];
    if (match.text !== undefined) alternatives.push(sql`(j.type = 'text' and j.value = ${match.text})`);
    if (match.number !== undefined) alternatives.push(sql`(j.type in ('integer', 'real') and j.value = ${match.number})`);
    if (match.bool !== undefined) alternatives.push(sql`j.type = ${match.bool ? 'true' : 'false'}`);
    const any = alternatives.length > 0 ? sql.join(alternatives, sql` or `) : sql`false`;
    return sql<boolean>`exists (select 1 from json_each(${sql.ref(column)}) as j where j.key = ${key} and (${any}))`;
  },
  objectKeys: (column, alias) => sql`json_each(${sql.ref(column)}) as ${sql.id(alias)}`,
  arrayElements: (column, alias) => sql`json_each(${sql.ref(column)}) as ${sql.id(alias)}`,
  elementText: (element, key) => sql<string | null>`json_extract(${sql.ref(element)}, ${sqlitePath([key])})`,
  true: sql<boolean>`true`,
  false: sql<boolean>`false`,
};

function pgPath(path: string[]): RawBuilder<unknown> {
  return sql`${'{' + path.map((key) => `"${key.replace(/["\\]/g, (c) => '\\' + c)}"`).join(',') + '}'}::text[]`;
}

function pgJson(column: string): RawBuilder<unknown> {
  return sql`(${sql.ref(column)})::jsonb`;
}

/** PostgreSQL's jsonb_typeof names mapped to SQLite's json_type names (numbers split into integer and real). */
function pgTypeAt(column: string, path: string[]): RawBuilder<string> {
  const v = sql`(${pgJson(column)} #> ${pgPath(path)})`;
  return sql<string>`(case jsonb_typeof(${v}) when 'string' then 'text' when 'number' then (case when (${v})::text ~ '^-?[0-9]+$' then 'integer' else 'real' end)
    when 'boolean' then (${v})::text when 'null' then 'null' when 'object' then 'object' when 'array' then 'array' else 'missing' end)`;
}

const POSTGRES_JSON: JsonSql = {
  kind: 'postgres',
  arrayHas: (column, value) => sql<boolean>`(${pgJson(column)} @> jsonb_build_array(${value}::text))`,
  arrayHasAny: (column, values) => sql<boolean>`(${pgJson(column)} ?| ${sql`array[${sql.join(values.map((v) => sql`${v}::text`))}]`})`,
  arrayNotEmpty: (column) => sql<boolean>`(jsonb_array_length(${pgJson(column)}) > 0)`,
  valueAt(column, path, as) {
    const v = sql`(${pgJson(column)} #> ${pgPath(path)})`;
    if (as === 'number') return sql`(case when jsonb_typeof(${v}) = 'number' then (${v})::text::numeric end)`;
    if (as === 'text') return sql`(case when jsonb_typeof(${v}) = 'string' then ${pgJson(column)} #>> ${pgPath(path)} end)`;
    return sql`(${pgJson(column)} #>> ${pgPath(path)})`;
  },
  typeAt: pgTypeAt,
  textAt: (column, path, fallback) => sql<string>`coalesce(${pgJson(column)} #>> ${pgPath(path)}, ${fallback})`,
  objectHasEntry(column, key, match) {
    const v = sql`(${pgJson(column)} -> ${key}::text)`;
    const alternatives = [];
    if (match.text !== undefined) alternatives.push(sql`${v} = to_jsonb(${match.text}::text)`);
    if (match.number !== undefined) alternatives.push(sql`(jsonb_typeof(${v}) = 'number' and (${v})::text::numeric = ${match.number})`);
    if (match.bool !== undefined) alternatives.push(sql`${v} = ${match.bool ? sql`'true'::jsonb` : sql`'false'::jsonb`}`);
    return alternatives.length > 0 ? sql<boolean>`(${sql.join(alternatives, sql` or `)})` : sql<boolean>`false`;
  },
  objectKeys: (column, alias) => sql`jsonb_object_keys(${pgJson(column)}) as ${sql.id(alias)}(key)`,
  arrayElements: (column, alias) => sql`jsonb_array_elements(${pgJson(column)}) as ${sql.id(alias)}(value)`,
  elementText: (element, key) => sql<string | null>`(${sql.ref(element)} ->> ${key}::text)`,
  true: sql<boolean>`true`,
  false: sql<boolean>`false`,
};

/** The JSON helpers of the store a handle talks to. */
export function jsonSql(db: Kysely<any>): JsonSql {
  return isPostgres(db) ? POSTGRES_JSON : SQLITE_JSON;
}
