import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

/** A reply the fake gives instead of accepting: `451` + `4.3.0 Try again later`. */
export interface SmtpReply {
  code: number;
  text: string;
}

/** One part of a received email, its body decoded (quoted-printable, base64) to text. */
export interface MailPart {
  contentType: string;
  body: string;
}

/** An email the fake accepted: its envelope, the raw DATA and what a mail client would read from it. */
export interface ReceivedMail {
  mailFrom: string;
  rcptTo: string[];
  /** The DATA exactly as it arrived (CRLF line ends, dot-unstuffed). */
  raw: string;
  /** Header fields by lower-case name, each value unfolded but not decoded, in order. */
  headers: Map<string, string[]>;
  /** The text parts: one for a plain email, text/plain then text/html for multipart/alternative. */
  parts: MailPart[];
  /** Who logged in for this session (null without AUTH). */
  user: string | null;
}

/** What the fake answers; change it between sends. */
export interface FakeSmtpScript {
  /** Answers a new connection with this reply (a 421 greeting) instead of 220. */
  greeting?: () => SmtpReply | undefined;
  /** Refuses a recipient with this reply (RCPT TO); undefined accepts it. */
  rcpt?: (address: string) => SmtpReply | undefined;
  /** Answers to the next DATA commands, taken in order; once empty, messages are accepted with 250. */
  data: SmtpReply[];
}

/** A real SMTP server (the `smtp-server` package) on 127.0.0.1 that records what it is sent. */
export interface FakeSmtp {
  port: number;
  /** Messages accepted (250 after DATA), oldest first. */
  mails: ReceivedMail[];
  /** Messages refused after DATA (by `script.data`), oldest first. */
  refused: ReceivedMail[];
  /** Sessions opened so far (a pooled transport reuses them). */
  connections: number;
  /** Sessions open now. */
  openSessions: number;
  script: FakeSmtpScript;
  close(): Promise<void>;
}

function replyError({ code, text }: SmtpReply): Error {
  return Object.assign(new Error(text), { responseCode: code });
}

/**
 * Starts the fake. Without `auth` the server takes mail without login; with it, it requires AUTH PLAIN/LOGIN with
 * these credentials (allowed in clear: the connection never leaves the loopback). STARTTLS is not offered.
 */
export async function startFakeSmtp(options: { auth?: { username: string; password: string } } = {}): Promise<FakeSmtp> {
  const fake = { mails: [] as ReceivedMail[], refused: [] as ReceivedMail[], connections: 0, openSessions: 0, script: { data: [] } as FakeSmtpScript } as FakeSmtp;
  const open = new Set<string>();
  const server = new SMTPServer({
    name: 'mx.fake.test',
    banner: 'Beckon test SMTP',
    disabledCommands: options.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !options.auth,
    allowInsecureAuth: true,
    disableReverseLookup: true,
    logger: false,
    onConnect(session, callback) {
      const reply = fake.script.greeting?.();
      if (reply) return callback(replyError(reply));
      fake.connections += 1;
      open.add(session.id);
      fake.openSessions = open.size;
      callback();
    },
    onClose(session) {
      open.delete(session.id);
      fake.openSessions = open.size;
    },
    onAuth(auth, _session, callback) {
      const ok = options.auth && auth.username === options.auth.username && auth.password === options.auth.password;
      if (!ok) return callback(replyError({ code: 535, text: '5.7.8 Authentication credentials invalid' }));
      callback(null, { user: auth.username });
    },
    onRcptTo(address, _session, callback) {
      const reply = fake.script.rcpt?.(address.address);
      callback(reply ? replyError(reply) : undefined);
    },
    onData(stream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const envelope = session.envelope;
        const mail: ReceivedMail = {
          mailFrom: envelope.mailFrom ? envelope.mailFrom.address : '',
          rcptTo: envelope.rcptTo.map((r) => r.address),
          raw, ...parseMail(raw),
          user: typeof session.user === 'string' ? session.user : null,
        };
        const reply = fake.script.data.shift();
        if (reply) {
          fake.refused.push(mail);
          return callback(replyError(reply));
        }
        fake.mails.push(mail);
        callback(null, 'Ok: queued as FAKE' + fake.mails.length);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.port = (server.server.address() as AddressInfo).port;
  fake.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return fake;
}

/** Splits a header block into unfolded fields (RFC 5322 §2.2.3). */
function parseHeaders(block: string): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  for (const line of block.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    headers.set(name, [...(headers.get(name) ?? []), line.slice(colon + 1).trim()]);
  }
  return headers;
}

function splitEntity(raw: string): { headers: Map<string, string[]>; body: string } {
  const end = raw.indexOf('\r\n\r\n');
  return end === -1 ? { headers: parseHeaders(raw), body: '' } : { headers: parseHeaders(raw.slice(0, end)), body: raw.slice(end + 4) };
}

/** Decodes quoted-printable (RFC 2045 §6.7) as UTF-8. */
function decodeQuotedPrintable(body: string): string {
  const text = body.replace(/=\r\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '=' && /^[0-9A-F]{2}$/i.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(text[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodeBody(body: string, encoding: string | undefined): string {
  switch ((encoding ?? '7bit').toLowerCase()) {
    case 'quoted-printable': return decodeQuotedPrintable(body);
    case 'base64': return Buffer.from(body, 'base64').toString('utf8');
    default: return body;
  }
}

/** A text part as a mail client shows it: decoded, with LF line ends. */
function leafPart(headers: Map<string, string[]>, body: string): MailPart {
  const contentType = headers.get('content-type')?.[0] ?? 'text/plain';
  return { contentType, body: decodeBody(body, headers.get('content-transfer-encoding')?.[0]).replace(/\r\n/g, '\n') };
}

/** Reads a received email: its headers and its text parts (one level of multipart, as nodemailer writes text + html). */
export function parseMail(raw: string): { headers: Map<string, string[]>; parts: MailPart[] } {
  const { headers, body } = splitEntity(raw);
  const contentType = headers.get('content-type')?.[0] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  // the CRLF that ends a single-part body is the one DATA needs before its final dot (the sender adds it when missing)
  if (!contentType.toLowerCase().startsWith('multipart/') || !boundary) return { headers, parts: [leafPart(headers, body.replace(/\r\n$/, ''))] };
  const sections = body.split(`--${boundary}`).slice(1, -1);
  const parts = sections.map((section) => {
    const part = splitEntity(section.replace(/^\r\n/, '').replace(/\r\n$/, ''));
    return leafPart(part.headers, part.body);
  });
  return { headers, parts };
}

/** Decodes RFC 2047 encoded words (`=?UTF-8?Q?Caf=C3=A9?=`) in a header value, as a mail client shows it. */
export function decodeWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[QB]\?[^?]*\?=)\s+(?==\?)/gi, '$1')
    .replace(/=\?([^?]+)\?([QB])\?([^?]*)\?=/gi, (_m, _charset: string, kind: string, text: string) =>
      kind.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : decodeQuotedPrintable(text.replace(/_/g, ' ')));
}
