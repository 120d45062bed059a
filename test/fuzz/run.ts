// The fuzz engine shared by test/fuzz.test.ts (a fixed seed, a bounded count) and scripts/fuzz.ts (`npm run fuzz -- --runs N`).
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import type { TestBeckon } from '../helpers.ts';
import { routeTable } from '../../src/modules.ts';
import { seedWorkspace } from './fixtures.ts';
import { classicRequests, operationsOf, requestArb, type FuzzRequest, type Operation } from './requests.ts';

/** How long to fuzz: the fast-check seed and the number of generated requests per operation. */
export interface FuzzOptions {
  seed: number;
  runs: number;
  /** How many of the classic bad values each body field gets (default: all of them). */
  perField?: number;
  /** Only the operations whose operationId matches. */
  only?: RegExp;
  log?: (line: string) => void;
}

/** A request whose answer broke a rule. */
export interface Finding {
  operationId: string;
  rule: string;
  request: FuzzRequest;
  status: number;
  body: string;
}

/** What a fuzz run did and found. */
export interface FuzzReport {
  operations: number;
  requests: number;
  /** Requests light-my-request itself refused to build (e.g. a header it cannot send): not sent. */
  unsendable: number;
  findings: Finding[];
  /** Answers by status class (2xx, 4xx …): how much of the fuzzing got past validation. */
  statuses: Record<string, number>;
}

type Answer = { statusCode: number; headers: Record<string, unknown>; body: string } | 'streaming' | 'unsendable' | 'timeout';

/** Things no answer may show: stack frames, source paths, SQL and driver errors, JavaScript error names, Fastify's own codes. */
const INTERNALS_ANY_CASE = /\bat [\w.<>]+ \(|\.ts:\d+|node:internal|node_modules|\/work\/|SQLITE_|TypeError|ReferenceError|RangeError|Maximum call stack|Cannot read propert|is not a function|syntax error at or near|violates [\w ]*constraint|duplicate key value|kysely/i;
const INTERNALS_CODES = /\bFST_[A-Z_]+|\bERR_[A-Z_]{4,}|\bE[A-Z]{4,}\b(?=:)/;

/** Routes whose answers are pages for a person in a browser (the unsubscribe page): their 4xx may be an HTML page instead of problem+json. */
export const HTML_PAGES: ReadonlySet<string> = new Set(['getUnsubscribePage', 'unsubscribe']);

/** The rule an answer breaks, or null: no 5xx, problem+json with a code on every 4xx (or a page, where `html`), no internals in any body. */
export function brokenRule(answer: { statusCode: number; headers: Record<string, unknown>; body: string }, html = false): string | null {
  const { statusCode: status, body } = answer;
  if (status >= 500) return `answered ${status}`;
  if (INTERNALS_ANY_CASE.test(body) || INTERNALS_CODES.test(body)) return `the body shows internals (${(INTERNALS_ANY_CASE.exec(body) ?? INTERNALS_CODES.exec(body))![0]})`;
  if (status < 400) return null;
  if (html && String(answer.headers['content-type'] ?? '').startsWith('text/html')) return null;
  if (!String(answer.headers['content-type'] ?? '').startsWith('application/problem+json')) return `a ${status} that is not problem+json (${answer.headers['content-type']})`;
  let problem: { code?: unknown; status?: unknown };
  try {
    problem = JSON.parse(body);
  } catch {
    return `a ${status} whose body is not JSON`;
  }
  if (typeof problem.code !== 'string' || !/^[a-z][a-z_]*$/.test(problem.code)) return `a ${status} without a stable code`;
  if (problem.status !== status) return `a ${status} whose problem says status ${problem.status}`;
  return null;
}

async function send(beckon: TestBeckon, op: Operation, request: FuzzRequest): Promise<Answer> {
  const headers = { authorization: `Bearer ${beckon.key}`, ...request.headers };
  const options = { method: request.method as InjectOptions['method'], url: request.url, headers, ...(request.payload !== undefined ? { payload: request.payload } : {}) };
  const streaming = op.operationId === 'streamEvents';
  let injected: Promise<Answer>;
  try {
    // an event stream answers with its headers and stays open (until the app closes): read it as a stream
    injected = beckon.runtime.app.inject({ ...options, payloadAsStream: streaming }).then(async (res) => {
      if (!streaming) return { statusCode: res.statusCode, headers: res.headers, body: res.body };
      if (String(res.headers['content-type']).startsWith('text/event-stream')) return 'streaming' as const;
      let body = '';
      for await (const chunk of res.stream()) body += chunk;
      return { statusCode: res.statusCode, headers: res.headers, body };
    }, () => 'unsendable' as const);
  } catch {
    return 'unsendable';
  }
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Answer>((resolve) => { timer = setTimeout(() => resolve('timeout'), 30_000); });
  try {
    return await Promise.race([injected, late]);
  } finally {
    clearTimeout(timer);
  }
}

function describe(request: FuzzRequest): string {
  const payload = request.payload === undefined ? '' : ` ${Buffer.isBuffer(request.payload) ? `<bytes ${request.payload.toString('hex').slice(0, 80)}>` : request.payload.slice(0, 300)}`;
  return `${request.method} ${request.url.slice(0, 300)} ${JSON.stringify(request.headers)}${payload}`;
}

/** Prints a finding as a one-line reproduction. */
export function formatFinding(finding: Finding): string {
  return `${finding.operationId}: ${finding.rule}\n  request: ${describe(finding.request)}\n  answer: ${finding.status} ${finding.body.slice(0, 300)}`;
}

/** The routes left out of /openapi.json (operational routes, provider callbacks, tracking links), as operations with text path parameters. */
function hiddenOperations(beckon: TestBeckon): Operation[] {
  return routeTable(beckon.runtime.app).filter((entry) => entry.hidden).map((entry) => ({
    method: entry.method, path: entry.url.replace(/:(\w+)/g, '{$1}'), operationId: entry.operationId,
    parameters: [...entry.url.matchAll(/:(\w+)/g)].map((m) => ({ in: 'path', name: m[1], required: true, schema: m[1].endsWith('uuid') ? { type: 'string', format: 'uuid' } : { type: 'string' } })),
  }));
}

/** Fuzzes every operation of the running app's /openapi.json, and its hidden routes (classic bad requests, then `runs` generated ones each) with an admin key. */
export async function fuzzBeckon(beckon: TestBeckon, options: FuzzOptions): Promise<FuzzReport> {
  const spec = (await beckon.call('GET', '/openapi.json', { key: null })).json();
  const seeded = await seedWorkspace(beckon, beckon.key, 1);
  const uuids = Object.values(seeded).filter((v) => /^[0-9a-f-]{36}$/.test(v));
  const ctx = { components: spec.components?.schemas ?? {}, uuids };
  const operations = [...operationsOf(spec), ...hiddenOperations(beckon)].filter((op) => !options.only || options.only.test(op.operationId));
  const report: FuzzReport = { operations: operations.length, requests: 0, unsendable: 0, findings: [], statuses: {} };
  const check = async (op: Operation, request: FuzzRequest): Promise<Finding | null> => {
    const answer = await send(beckon, op, request);
    report.requests++;
    if (answer === 'unsendable') {
      report.unsendable++;
      return null;
    }
    if (answer === 'streaming') return null;
    if (answer === 'timeout') return { operationId: op.operationId, rule: 'no answer within 30 s', request, status: 0, body: '' };
    report.statuses[`${Math.floor(answer.statusCode / 100)}xx`] = (report.statuses[`${Math.floor(answer.statusCode / 100)}xx`] ?? 0) + 1;
    const rule = brokenRule(answer, HTML_PAGES.has(op.operationId));
    return rule ? { operationId: op.operationId, rule, request, status: answer.statusCode, body: answer.body } : null;
  };
  for (const op of operations) {
    const before = report.findings.length;
    const started = Date.now();
    for (const request of classicRequests(op, ctx, options.perField)) {
      const finding = await check(op, request);
      if (finding) report.findings.push(finding);
    }
    let found: Finding | null = null;
    const property = fc.asyncProperty(requestArb(op, ctx), async (request) => {
      const finding = await check(op, request);
      if (finding) found = finding;
      return finding === null;
    });
    const details = await fc.check(property, { seed: options.seed, numRuns: options.runs, endOnFailure: true });
    if (details.failed && found) report.findings.push(found);
    options.log?.(`${op.method} ${op.path} (${op.operationId}): ${report.findings.length - before} finding(s), ${Date.now() - started} ms`);
  }
  return report;
}
