import type { FieldError } from '../../errors.ts';
import type { LiquidScope } from '../../campaigns/liquid.ts';
import { hasLiquid } from '../../campaigns/liquid.ts';
import { isHttpUrl } from '../../lib/url.ts';
import { MAX_TEXT_LENGTH } from '../../messages/schema.ts';
import type { MessageContent } from '../../messages/view.ts';
import { checkLiquid, render } from './liquid.ts';

/** The media types send_message's `media` takes (those of POST /v1/messages/send). */
export const MEDIA_TYPES = ['image', 'document', 'audio', 'video'] as const;
const MAX_URL_LENGTH = 2048;

/** send_message's `media` setting: a media by URL (Liquid allowed) with an optional caption (Liquid). */
export interface MediaSetting {
  type: (typeof MEDIA_TYPES)[number];
  url: string;
  caption?: string;
}

/** Checks a `media` setting at `path`: its type, an http(s) URL (or Liquid that renders to one), an optional caption. */
export function checkMedia(value: unknown, path: string): FieldError[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [{ path, message: 'must be an object {type, url, caption}' }];
  const media = value as Record<string, unknown>;
  const out: FieldError[] = Object.keys(media).filter((k) => !['type', 'url', 'caption'].includes(k)).map((k) => ({ path: `${path}.${k}`, message: 'is not a setting of a media' }));
  if (!(MEDIA_TYPES as readonly unknown[]).includes(media.type)) out.push({ path: `${path}.type`, message: `must be one of ${MEDIA_TYPES.join(', ')}` });
  const url = checkLiquid(media.url, `${path}.url`, true, MAX_URL_LENGTH);
  if (url.length === 0 && !hasLiquid(media.url as string) && !isHttpUrl(media.url as string)) url.push({ path: `${path}.url`, message: 'must be an http or https URL (or Liquid that renders to one)' });
  out.push(...url, ...checkLiquid(media.caption, `${path}.caption`, false));
  return out;
}

/** The content of a text or media send for a run, rendered; or the reason the step is skipped (an empty text, a bad URL …). */
export function renderContent(step: Record<string, unknown>, scope: LiquidScope, maxText: number): { type: string; content: MessageContent } | { skipped: string } {
  if (typeof step.text === 'string') {
    const text = render(step.text, scope);
    if (text.trim().length === 0) return { skipped: 'empty_content' };
    if (text.length > maxText) return { skipped: 'content_too_long' };
    return { type: 'text', content: { text } };
  }
  const media = step.media as MediaSetting;
  const url = render(media.url, scope).trim();
  if (!isHttpUrl(url) || url.length > MAX_URL_LENGTH) return { skipped: 'invalid_media_url' };
  if (media.caption === undefined) return { type: media.type, content: { url } };
  const caption = render(media.caption, scope);
  if (caption.length > MAX_TEXT_LENGTH) return { skipped: 'content_too_long' };
  return { type: media.type, content: caption.trim() === '' ? { url } : { url, text: caption } };
}
