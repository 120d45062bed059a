// @beckon/sdk: the typed Beckon client (generated types from /openapi.json + openapi-fetch) and what generation
// cannot give: pagination, retries with the same Idempotency-Key, the live event stream, webhook verification.
// Browser-safe: no node: import anywhere under sdk/src.
export { createBeckon, type Beckon, type BeckonOptions } from './client.ts';
export { BeckonError, type Problem } from './errors.ts';
export { paginate, type ItemOf, type ListPath, type PageRequest } from './paginate.ts';
export { IDEMPOTENCY_HEADER, idempotencyKeys, isRetryable, retryAfterMs, retryingFetch, type RetryOptions } from './retry.ts';
export { EVENT_TYPES, IDEMPOTENT_POSTS, type components, type EventType, type operations, type paths } from './schema.ts';
export { streamEvents, type BeckonEvent, type StreamOptions } from './stream.ts';
export { verifyWebhook, WebhookVerificationError, type VerifyOptions, type WebhookFailure, type WebhookHeaders } from './webhooks.ts';

import type { components } from './schema.ts';
/** A named schema of the API, e.g. `Schema<'Contact'>`, `Schema<'Message'>`. */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];
