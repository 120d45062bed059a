// The configuration the fuzz suite runs Beckon with.

/** Rate limits out of the way (thousands of requests on one key), and webhooks allowed on loopback only (the discard port). */
export const FUZZ_ENV: Record<string, string> = {
  BECKON_RATE_LIMIT: '10000000',
  BECKON_WEBHOOK_ALLOW_PRIVATE: '127.0.0.0/8,::1/128',
};
