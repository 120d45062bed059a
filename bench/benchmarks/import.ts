import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { connectSqlite } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { newId } from '../../src/lib/ids.ts';
import { startBeckon } from '../lib/beckon.ts';
import { cpuSeconds, rssBytes } from '../lib/procs.ts';
import { figure, type BenchResult } from '../lib/report.ts';
import { mb, type BenchContext } from './context.ts';

const PLANS = ['free', 'pro', 'team'];
const BATCH = 1000;

/** The i-th row of the generated file: an Italian mobile (E.164 on odd rows, typed with spaces on even ones), an email, a name and two custom fields. */
function csvLine(i: number): string {
  const d = String(i).padStart(6, '0');
  const phone = i % 2 ? `+393331${d}` : `+39 333 1${d.slice(0, 2)} ${d.slice(2)}`;
  return `${phone},user${i}@example.com,Contact ${i},${PLANS[i % 3]},${i % 50}`;
}

async function writeCsv(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file);
  out.write('phone,email,name,plan,seats\n');
  for (let i = 0; i < rows; i++) if (!out.write(csvLine(i) + '\n')) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

/** Peak RSS of a process so far (VmHWM from /proc), or null. */
function peakRssBytes(pid: number): number | null {
  try {
    const match = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * The raw-SQL floor: the same rows (a contact and its contact_created event each) inserted by a bare node:sqlite loop,
 * one multi-row INSERT per table and one transaction per 1,000 rows, into the migrated schema with Beckon's pragmas
 * (WAL, synchronous=FULL); the file is read line by line without validation. Returns rows/s and the CPU seconds it took
 * (of the bench process, which is otherwise idle then).
 */
async function rawBaseline(file: string, rows: number): Promise<{ rate: number; cpuSeconds: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'beckon-bench-import-raw-'));
  try {
    const kysely = connectSqlite(dir);
    await migrateToLatest(kysely);
    const workspaceId = newId();
    await kysely.insertInto('workspaces').values({ id: workspaceId, name: 'bench', created_at: new Date().toISOString() }).execute();
    await kysely.destroy();
    const db = new DatabaseSync(join(dir, 'beckon.db'));
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = FULL');
    db.exec('PRAGMA foreign_keys = ON');
    const contactSql = (n: number) => `INSERT INTO contacts (id, workspace_id, name, phone, email, tags, custom_fields, source, consent, blocked, last_inbound_at, created_at, updated_at) VALUES ${Array(n).fill('(?,?,?,?,?,?,?,?,?,?,?,?,?)').join(',')}`;
    const eventSql = (n: number) => `INSERT INTO events (id, workspace_id, type, payload, created_at) VALUES ${Array(n).fill('(?,?,?,?,?)').join(',')}`;
    const full = { contacts: db.prepare(contactSql(BATCH)), events: db.prepare(eventSql(BATCH)) };
    let contacts: unknown[] = [];
    let events: unknown[] = [];
    let pending = 0;
    const flush = () => {
      if (pending === 0) return;
      db.exec('BEGIN');
      (pending === BATCH ? full.contacts : db.prepare(contactSql(pending))).run(...(contacts as string[]));
      (pending === BATCH ? full.events : db.prepare(eventSql(pending))).run(...(events as string[]));
      db.exec('COMMIT');
      contacts = [];
      events = [];
      pending = 0;
    };
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    let header = true;
    let rest = '';
    for await (const chunk of createReadStream(file, 'utf8') as AsyncIterable<string>) {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop()!;
      for (const line of lines) {
        if (header) {
          header = false;
          continue;
        }
        const [phone, email, name, plan, seats] = line.split(',');
        const now = new Date().toISOString();
        const id = newId();
        const customFields = JSON.stringify({ plan, seats: Number(seats) });
        contacts.push(id, workspaceId, name, phone.replaceAll(' ', ''), email, '[]', customFields, 'import', '{}', 0, null, now, now);
        events.push(newId(), workspaceId, 'contact_created', JSON.stringify({ uuid: id, name, phone, email, custom_fields: customFields }), now);
        if (++pending === BATCH) flush();
      }
    }
    flush();
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    db.close();
    return { rate: rows / seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * import: a generated CSV of --rows contacts (full 1,000,000, quick 5,000: phone, email, name, two custom fields, one of
 * them a defined number field) uploaded to a running Beckon with POST /v1/imports; wall time from the start of the
 * upload to the import's `completed`, rows/s, and the Beckon process's peak RSS (VmHWM). Baseline: the same rows
 * inserted by a bare node:sqlite loop (rawBaseline).
 */
export async function importContacts(ctx: BenchContext): Promise<BenchResult> {
  const rows = ctx.opts.rows;
  const dir = mkdtempSync(join(tmpdir(), 'beckon-bench-import-'));
  const file = join(dir, 'contacts.csv');
  try {
    ctx.log(`import: writing ${rows} rows to ${file}`);
    await writeCsv(file, rows);
    const bytes = statSync(file).size;
    const beckon = await startBeckon({ profileDir: ctx.profileDir('import') });
    try {
      const pid = beckon.child.proc.pid!;
      const field = await beckon.call('POST', '/v1/custom_fields', { key: 'seats', label: 'Seats', type: 'number' });
      if (field.status !== 201) throw new Error(`POST /v1/custom_fields answered ${field.status}: ${JSON.stringify(field.body)}`);
      const idleRss = rssBytes(pid);
      const cpu0 = cpuSeconds(pid);
      ctx.log(`import: uploading ${(bytes / 2 ** 20).toFixed(1)} MB`);
      const t0 = performance.now();
      const res = await beckon.api.request({
        method: 'POST', path: '/v1/imports', body: createReadStream(file),
        headers: { authorization: `Bearer ${beckon.key}`, 'content-type': 'text/csv', 'content-length': String(bytes) },
      });
      const created = await res.body.json() as { import?: { uuid: string } };
      if (res.statusCode !== 202 || !created.import) throw new Error(`POST /v1/imports answered ${res.statusCode}: ${JSON.stringify(created)}`);
      const uploadSeconds = (performance.now() - t0) / 1000;
      const deadline = Date.now() + ctx.opts.phaseTimeout * 1000;
      let view: { status: string; processed: number; inserted: number; failed: number } | undefined;
      while (Date.now() < deadline) {
        beckon.assertAlive();
        view = (await beckon.call('GET', `/v1/imports/${created.import.uuid}`)).body.import;
        if (view?.status === 'completed' || view?.status === 'failed') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const seconds = (performance.now() - t0) / 1000;
      const cpu1 = cpuSeconds(pid);
      const cpu = cpu0 !== null && cpu1 !== null ? cpu1 - cpu0 : null;
      const peak = peakRssBytes(pid);
      const done = view?.status === 'completed';
      if (view?.status === 'failed') throw new Error(`the import failed: ${JSON.stringify(view)}`);
      ctx.log(`import: ${view?.processed ?? 0} rows in ${seconds.toFixed(1)} s; raw SQL baseline next`);
      const raw = await rawBaseline(file, rows);
      const rate = (view?.processed ?? 0) / seconds;
      const quick = ctx.opts.mode === 'quick';
      return {
        status: done ? 'ok' : 'incomplete',
        reason: done ? undefined : `the import had processed ${view?.processed ?? 0} of ${rows} rows after ${ctx.opts.phaseTimeout} s`,
        figures: [
          figure('import_rows_per_s', `contacts imported per second from a ${rows}-row CSV (POST /v1/imports to completed)`, 'rows/s', rate,
            { label: 'bare node:sqlite multi-row inserts of the same rows', value: raw.rate }, quick ? [] : [{ on: 'value', op: '>=', value: 1_000_000 / 60 }]),
          figure('import_seconds', `wall time of the ${rows}-row import`, 's', seconds, { label: 'the same rows through raw SQL', value: rows / raw.rate }, quick || rows !== 1_000_000 ? [] : [{ on: 'value', op: '<', value: 60 }]),
          figure('import_rows_per_cpu_s', 'contacts imported per CPU second of the Beckon process (all its threads)', 'rows/s', cpu ? (view?.processed ?? 0) / cpu : null,
            { label: 'the same rows through raw SQL, per CPU second', value: raw.cpuSeconds ? rows / raw.cpuSeconds : null }),
          figure('import_peak_rss_mb', 'peak RSS of Beckon during the import', 'MB', mb(peak), null, quick ? [] : [{ on: 'value', op: '<', value: 300 }]),
        ],
        details: {
          rows, bytes, upload_seconds: uploadSeconds, processed: view?.processed ?? null, inserted: view?.inserted ?? null, failed: view?.failed ?? null,
          idle_rss_mb: mb(idleRss), peak_rss_mb: mb(peak), cpu_seconds: cpu, load_average: loadavg(),
          notes: [
            'Wall time runs from the first byte of the upload (stored to the data directory as it streams) to the GET that first shows `completed` (polled every 100 ms); the import job runs in the same process as the API, as `beckon start` runs it.',
            'Peak RSS is VmHWM of the Beckon process (its whole life, startup included). CPU seconds are user + system of the Beckon process (every thread: the API and importing thread, the import\'s reader thread, V8\'s GC threads) from /proc, a figure that moves less than wall time on a shared machine.',
            'The baseline writes the same contacts and one contact_created event each, but without parsing CSV properly, validating or normalizing anything (phones have their spaces removed) and with a smaller event payload.',
          ],
        },
      };
    } finally {
      await beckon.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
