import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOneOptions } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Range = [Address, number];

/** Why an outgoing request was refused by the SSRF guard; `code` is ERR_SSRF_REFUSED. */
export class SsrfError extends Error {
  readonly code = 'ERR_SSRF_REFUSED';
}

/** The parsed exemptions (CIDRs from BECKON_WEBHOOK_ALLOW_PRIVATE) an SSRF check honours. */
export class AllowList {
  private readonly ranges: Range[];

  /** Parses CIDRs (`127.0.0.0/8`, `::1/128`) or bare addresses; throws on anything else. */
  constructor(cidrs: readonly string[]) {
    this.ranges = cidrs.map((cidr) => (cidr.includes('/') ? ipaddr.parseCIDR(cidr) : [ipaddr.parse(cidr), ipaddr.parse(cidr).kind() === 'ipv4' ? 32 : 128]) as Range);
  }

  /** True when the address lies inside one of the allowed ranges. */
  contains(address: Address): boolean {
    return this.ranges.some(([base, bits]) => address.kind() === base.kind() && address.match(base, bits));
  }
}

const GLOBAL_UNICAST_V6: Range = [ipaddr.parse('2000::'), 3];

/**
 * Why this IP address must not be contacted (loopback, private, ULA, link-local and cloud metadata, CGNAT,
 * multicast, unspecified, broadcast, reserved, IPv4-mapped forms of those, IPv6 outside 2000::/3), or null
 * when it is public or inside the allow list.
 */
export function refusedReason(ip: string, allow: AllowList): string | null {
  let address: Address;
  try {
    // process() turns ::ffff:a.b.c.d into a.b.c.d so a mapped private address is judged as what it is
    address = ipaddr.process(ip.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
  } catch {
    return `${ip} is not an IP address`;
  }
  if (allow.contains(address)) return null;
  const range = address.range();
  if (address.kind() === 'ipv6' && range === 'unicast' && !address.match(GLOBAL_UNICAST_V6)) return `${ip} is outside the global unicast range`;
  if (range !== 'unicast') return `${ip} is in the ${range} range`;
  return null;
}

/** Resolves a host name (or takes an IP literal) to every address it has; throws SsrfError when it does not resolve. */
export async function resolveHost(host: string): Promise<string[]> {
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare)) return [bare];
  return new Promise((resolve, reject) => {
    dnsLookup(bare, { all: true, verbatim: true }, (err, addresses) => {
      if (err || addresses.length === 0) reject(new SsrfError(`the host "${bare}" does not resolve${err ? ` (${err.code ?? err.message})` : ''}`));
      else resolve(addresses.map((a) => a.address));
    });
  });
}

/**
 * Checks that a URL may be called: http or https only, and every address its host resolves to is public
 * (or allowed). Throws SsrfError with a reason a user can act on.
 */
export async function assertPublicUrl(raw: string, allow: AllowList): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SsrfError('it is not an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new SsrfError(`only http and https URLs are accepted, not ${url.protocol.replace(/:$/, '')}`);
  const addresses = await resolveHost(url.hostname);
  for (const address of addresses) {
    const reason = refusedReason(address, allow);
    if (reason) throw new SsrfError(`"${url.hostname}" resolves to a non-public address: ${reason}`);
  }
  return url;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for net/tls.connect that resolves like dns.lookup but fails with SsrfError when any address of the
 * host is refused, so the connection is never opened to it (DNS rebinding cannot slip past a check made earlier).
 */
export function guardedLookup(allow: AllowList) {
  return function lookup(hostname: string, options: LookupOneOptions | LookupAllOptions, callback: LookupCallback): void {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      for (const { address } of addresses) {
        const reason = refusedReason(address, allow);
        if (reason) return callback(Object.assign(new SsrfError(`address refused by SSRF guard: ${reason}`), { errno: undefined }), []);
      }
      if ((options as LookupAllOptions).all) return callback(null, addresses);
      if (addresses.length === 0) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
      return callback(null, addresses[0].address, addresses[0].family);
    });
  };
}
