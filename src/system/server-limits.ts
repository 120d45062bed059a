import type { Server } from 'node:http';
import type { Config } from '../config.ts';

/** The settings of config.ts that bound what slow or numerous clients can hold. */
export type ServerLimits = Pick<Config, 'headersTimeoutMs' | 'requestTimeoutMs' | 'keepAliveTimeoutMs' | 'maxConnections'>;

/**
 * Applies the slow-client timeouts and the connection bound to the HTTP server before it listens: Node answers a
 * request whose headers (or whole body) arrive too slowly with a 408 and closes the socket, closes an idle
 * keep-alive socket, and closes connections beyond the bound as they arrive.
 */
export function applyServerLimits(server: Server, limits: ServerLimits): void {
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxConnections = limits.maxConnections;
  // Node checks the two timeouts on a timer (every 30 s by default, read when the server starts listening): check
  // often enough that a slow client is dropped close to its deadline, at most every second.
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.max(10, Math.min(1000, Math.floor(limits.headersTimeoutMs / 4)));
}
