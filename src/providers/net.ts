import { isIP } from 'node:net';
import type { Dispatcher } from 'undici';
import { AllowList, refusedReason, resolveHost, SsrfError } from '../lib/ssrf.ts';
import { createWebhookAgent } from '../webhooks/deliver.ts';
import { ProviderError } from './types.ts';

/** Milliseconds to open a connection to a provider before the call fails. */
export const PROVIDER_CONNECT_TIMEOUT_MS = 5000;

/**
 * How providers reach the network: the SSRF allow list (BECKON_PROVIDER_ALLOW_PRIVATE) and an undici dispatcher whose
 * connections pass the guard (host names resolve through a lookup that refuses non-public addresses, and the address
 * connected to is checked again before a byte is sent), as webhook deliveries do.
 */
export interface ProviderNet {
  readonly allow: AllowList;
  readonly dispatcher: Dispatcher;
}

const nets = new WeakMap<object, { net: ProviderNet; agent: Dispatcher | null }>();

/**
 * The ProviderNet of one runtime's config (built once per config object and shared by every provider); its dispatcher
 * is made on the first provider call (undici is loaded then, not when the providers are built at start).
 */
export function providerNet(config: { readonly providerAllowPrivate?: readonly string[] }): ProviderNet {
  let entry = nets.get(config);
  if (!entry) {
    const allow = new AllowList(config.providerAllowPrivate ?? []);
    const made: { net: ProviderNet; agent: Dispatcher | null } = {
      agent: null,
      net: { allow, get dispatcher() { return (made.agent ??= createWebhookAgent(allow, PROVIDER_CONNECT_TIMEOUT_MS)); } },
    };
    entry = made;
    nets.set(config, entry);
  }
  return entry.net;
}

/** Closes the ProviderNet of this config, if one was built (its idle keep-alive connections); the runtime calls it at shutdown. */
export async function closeProviderNet(config: object): Promise<void> {
  const entry = nets.get(config);
  nets.delete(config);
  await entry?.agent?.close();
}

/** The permanent error of a provider call the SSRF guard refused (a channel setting points at a non-public address). */
export function refusedError(label: string, reason: string): ProviderError {
  return new ProviderError('address_refused', `${label} was not called: ${reason} (see BECKON_PROVIDER_ALLOW_PRIVATE)`, false);
}

/** The SsrfError somewhere in an error's cause chain (undici wraps the connector's errors), if any. */
export function ssrfCause(err: unknown): SsrfError | undefined {
  let current: unknown = err;
  for (let depth = 0; current && depth < 5; depth++) {
    if (current instanceof SsrfError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Refuses a URL whose host is a non-public IP literal before any connection (names are checked by the dispatcher's lookup). */
export function assertLiteralAllowed(net: ProviderNet, url: string, label: string): void {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  if (!isIP(host)) return;
  const reason = refusedReason(host, net.allow);
  if (reason) throw refusedError(label, `address refused by SSRF guard: ${reason}`);
}

/**
 * Resolves a host (or takes an IP literal) and checks every address it has; returns the first one, which the caller
 * connects to (so a second, rebinding answer of the DNS is never used). A refused address is a permanent
 * `address_refused`; a host that does not resolve is a retryable `provider_unavailable`.
 */
export async function checkedAddress(net: ProviderNet, host: string, label: string): Promise<string> {
  let addresses: string[];
  try {
    addresses = await resolveHost(host);
  } catch (err) {
    if (!(err instanceof SsrfError)) throw err;
    throw new ProviderError('provider_unavailable', `${label}: ${err.message}`, true);
  }
  for (const address of addresses) {
    const reason = refusedReason(address, net.allow);
    if (reason) throw refusedError(label, `"${host}" resolves to a non-public address: ${reason}`);
  }
  return addresses[0];
}

/**
 * A provider's own words made safe to store and show: control characters removed, whitespace collapsed, at most
 * `max` characters. Only fields of a provider's documented error format go through it; an unknown body is never shown.
 */
export function providerText(text: unknown, max = 200): string | undefined {
  if (typeof text !== 'string') return undefined;
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (clean === '') return undefined;
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
