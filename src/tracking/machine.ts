import type { StatusEntry } from '../messages/status.ts';
import { parseJson } from '../lib/json.ts';

/** An open this soon after the message was sent (or delivered) is taken for a machine: a scanner or a prefetching proxy. */
export const MACHINE_OPEN_WINDOW_MS = 5_000;

/**
 * User agents of mail privacy proxies, link scanners and HTTP libraries (matched case-insensitively anywhere in the
 * header). Gmail's and Yahoo's image proxies fetch images for their users, so an open through them cannot be told
 * from a prefetch; security gateways fetch every link and image of a message before it is delivered. Robots are
 * matched by `bot/`, `bot;`… and the `+http…` contact URL they carry, not by a bare `bot` (a phone model may end in it).
 */
export const MACHINE_USER_AGENTS: readonly string[] = [
  'googleimageproxy', 'ggpht.com', 'yahoomailproxy', 'yahoo! slurp', 'bingpreview',
  'barracuda', 'mimecast', 'proofpoint', 'symantec', 'messagelabs', 'trendmicro', 'forcepoint', 'fortiguard', 'sophos', 'cisco', 'ironport',
  'bot/', 'bot-', 'bot;', 'bot)', '+http', 'crawler', 'spider', 'preview', 'scanner', 'curl/', 'wget/', 'python-requests', 'python-urllib', 'go-http-client', 'java/', 'okhttp', 'axios/', 'node-fetch', 'libwww-perl', 'headlesschrome',
];

/**
 * True when a tracking request (an open or a click) looks made by a machine rather than a person: no user agent,
 * the bare `Mozilla/5.0` Apple Mail Privacy Protection sends (with no platform or engine tokens), or a user agent
 * of MACHINE_USER_AGENTS.
 */
export function machineUserAgent(userAgent: string | undefined): boolean {
  const agent = (userAgent ?? '').trim();
  if (agent === '' || /^Mozilla\/5\.0$/i.test(agent)) return true;
  const lower = agent.toLowerCase();
  return MACHINE_USER_AGENTS.some((token) => lower.includes(token));
}

/** When a message left (the first `sent`, `delivered` or `read` of its status history), or undefined when it has not. */
export function sentAt(statusHistory: string): string | undefined {
  return parseJson<StatusEntry[]>(statusHistory, []).find((e) => e.status === 'sent' || e.status === 'delivered' || e.status === 'read')?.at;
}

/**
 * The machine-open heuristic (docs/tracking.md): a machine user agent, or an open within MACHINE_OPEN_WINDOW_MS of
 * the message being sent (or before it was sent: only a scanner on the sending path can do that).
 */
export function machineOpen(userAgent: string | undefined, statusHistory: string, at: string): boolean {
  if (machineUserAgent(userAgent)) return true;
  const sent = sentAt(statusHistory);
  if (sent === undefined) return true;
  return Date.parse(at) - Date.parse(sent) < MACHINE_OPEN_WINDOW_MS;
}
