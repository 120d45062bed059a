// The webhook receiver: its own process, one plain node:http server per endpoint, counting deliveries.
// Endpoints are `ok` (answer 200 at once) or `slow` (answer 200 after delayMs). For tracked endpoints it parses
// each body ({event, payload} envelope) and records, per message uuid, when its `delivered` status arrived
// (performance.timeOrigin + performance.now(), comparable with the bench's clock) and the server-side
// accept→delivered time when the payload carries a status history.
// Controlled by the bench over IPC: {cmd:'listen', endpoints}, {cmd:'stats', arrivals?}, {cmd:'reset'}.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

interface EndpointSpec {
  name: string;
  port: number;
  mode: 'ok' | 'slow';
  delayMs?: number;
  track?: boolean;
}

interface EndpointStats {
  name: string;
  port: number;
  requests: number;
  first: number | null;
  last: number | null;
}

const now = () => performance.timeOrigin + performance.now();
const servers: Server[] = [];
const stats = new Map<string, EndpointStats>();
let delivered = new Map<string, number>();
let serverSide: number[] = [];
let byEvent: Record<string, number> = {};
let byStatus: Record<string, number> = {};
let sample: { body: string; headers: Record<string, string> } | null = null;
let parseErrors = 0;

function record(spec: EndpointSpec, body: string, headers: IncomingMessage['headers']): void {
  const at = now();
  const s = stats.get(spec.name)!;
  s.requests++;
  s.first ??= at;
  s.last = at;
  if (!sample && spec.mode === 'ok') {
    const keep: Record<string, string> = { 'content-type': 'application/json' };
    for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature', 'user-agent']) {
      if (typeof headers[name] === 'string') keep[name] = headers[name] as string;
    }
    sample = { body, headers: keep };
  }
  if (!spec.track) return;
  try {
    const envelope = JSON.parse(body) as Record<string, unknown>;
    const event = String(envelope.event ?? envelope.type ?? 'unknown');
    byEvent[event] = (byEvent[event] ?? 0) + 1;
    const payload = (envelope.payload ?? envelope.data ?? {}) as Record<string, unknown>;
    const message = (payload.message ?? payload) as Record<string, unknown>;
    const status = typeof message.status === 'string' ? message.status : undefined;
    if (status) byStatus[status] = (byStatus[status] ?? 0) + 1;
    if (status === 'delivered' && typeof message.uuid === 'string' && !delivered.has(message.uuid)) {
      delivered.set(message.uuid, at);
      const history = (message.status_history ?? payload.status_history) as Array<Record<string, unknown>> | undefined;
      if (Array.isArray(history)) {
        const time = (name: string) => {
          const entry = history.find((h) => h.status === name);
          const value = entry && (entry.at ?? entry.timestamp ?? entry.created_at);
          return typeof value === 'string' ? Date.parse(value) : NaN;
        };
        const ms = time('delivered') - time('enqueued');
        if (Number.isFinite(ms)) serverSide.push(ms);
      }
    }
  } catch {
    parseErrors++;
  }
}

function handler(spec: EndpointSpec) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      record(spec, Buffer.concat(chunks).toString(), req.headers);
      const answer = () => res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' }).end('ok');
      if (spec.mode === 'slow') setTimeout(answer, spec.delayMs ?? 5000);
      else answer();
    });
  };
}

async function listen(endpoints: EndpointSpec[]): Promise<void> {
  for (const spec of endpoints) {
    const server = createServer({ keepAliveTimeout: 65_000 }, handler(spec));
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(spec.port, '127.0.0.1', resolve));
    servers.push(server);
    stats.set(spec.name, { name: spec.name, port: spec.port, requests: 0, first: null, last: null });
  }
}

process.on('message', (msg: { id: number; cmd: string; endpoints?: EndpointSpec[]; arrivals?: boolean }) => {
  const reply = (data: unknown) => process.send!({ id: msg.id, data });
  if (msg.cmd === 'listen') {
    listen(msg.endpoints ?? []).then(() => reply({ ok: true }), (err: Error) => reply({ error: err.message }));
  } else if (msg.cmd === 'stats') {
    reply({
      endpoints: [...stats.values()],
      deliveredCount: delivered.size,
      byEvent, byStatus, parseErrors, sample,
      ...(msg.arrivals ? { arrivals: [...delivered], serverSide } : {}),
    });
  } else if (msg.cmd === 'reset') {
    for (const s of stats.values()) Object.assign(s, { requests: 0, first: null, last: null });
    delivered = new Map();
    serverSide = [];
    byEvent = {};
    byStatus = {};
    sample = null;
    parseErrors = 0;
    reply({ ok: true });
  }
});
process.on('disconnect', () => process.exit(0));
