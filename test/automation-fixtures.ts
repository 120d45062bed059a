import assert from 'node:assert/strict';
import type { TestBeckon } from './helpers.ts';

/** A valid api-triggered definition: send → wait 0 → tag. */
export function sendWaitTag(channel: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Welcome', trigger: { type: 'api' }, entry: { policy: 'one_at_a_time' }, start: 'hello',
    steps: {
      hello: { type: 'send_message', channel_uuid: channel, text: 'Hi {{ contact.name | default: "there" }}, your cart: {{ trigger.cart.total }}', next: 'pause', skipped: 'tag_skipped' },
      pause: { type: 'wait', duration: { seconds: 0 }, next: 'tag' },
      tag: { type: 'update_contact', add_tags: ['welcomed'] },
      tag_skipped: { type: 'update_contact', add_tags: ['not_reached'] },
    },
    ...extra,
  };
}

/** Creates an automation expecting 201 and returns its view. */
export async function createAutomation(beckon: TestBeckon, body: Record<string, unknown>, key?: string): Promise<Record<string, any>> {
  const response = await beckon.call('POST', '/v1/automations', { body, key });
  assert.equal(response.statusCode, 201, response.body);
  return response.json().automation;
}
