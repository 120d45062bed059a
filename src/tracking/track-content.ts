import type { Db } from '../db/connect.ts';
import type { Deps } from '../deps.ts';
import { campaignLinkIds } from './links.ts';
import { TOKEN_PATHS, trackingUrl } from './tokens.ts';

/** What trackContent needs to know about one campaign message. */
export interface TrackContentInput {
  workspaceId: string;
  campaignId: string;
  messageId: string;
  contactId: string;
  channelType: 'whatsapp' | 'sms' | 'email';
  text?: string;
  html?: string;
  trackLinks: boolean;
  trackOpens: boolean;
}

// an http(s) URL in plain text: up to whitespace, quotes or angle brackets (trailing punctuation is trimmed below)
const TEXT_URL = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const ANCHOR_TAG = /<a\b[^>]*>/gi;
const HREF = /(\shref\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/i;

function trimUrl(raw: string): string {
  let url = raw.replace(/[.,;:!?]+$/, '');
  // a closing bracket ends the URL unless the URL opened it: "(see https://a.test/x)"
  for (const [open, close] of [['(', ')'], ['[', ']']]) {
    while (url.endsWith(close) && url.split(open).length < url.split(close).length) url = url.slice(0, -1).replace(/[.,;:!?]+$/, '');
  }
  return url;
}

function decodeEntities(value: string): string {
  return value.replace(/&(amp|quot|apos|#39|#38|#x26);/gi, (_m, name: string) => ({ amp: '&', quot: '"', apos: "'", '#39': "'", '#38': '&', '#x26': '&' })[name.toLowerCase()] ?? _m);
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** True for a URL trackContent rewrites: a valid http(s) URL that is not a Liquid expression nor already a Beckon tracking URL. */
function trackable(url: string, base: string): boolean {
  if (!/^https?:\/\//i.test(url) || url.includes('{{') || url.includes('{%')) return false;
  if (Object.values(TOKEN_PATHS).some((path) => url.startsWith(base + path))) return false;
  try {
    new URL(url);
    return true;
  } catch {
    return false;
  }
}

function textUrls(text: string, base: string): string[] {
  return [...text.matchAll(TEXT_URL)].map((m) => trimUrl(m[0])).filter((url) => trackable(url, base));
}

function hrefOf(tag: string): { match: RegExpExecArray; url: string } | null {
  const match = HREF.exec(tag);
  if (!match) return null;
  return { match, url: decodeEntities((match[2] ?? match[3] ?? match[4]).trim()) };
}

function htmlUrls(html: string, base: string): string[] {
  const urls: string[] = [];
  for (const [tag] of html.matchAll(ANCHOR_TAG)) {
    const href = hrefOf(tag);
    if (href && trackable(href.url, base)) urls.push(href.url);
  }
  return urls;
}

function rewriteText(text: string, base: string, urlFor: (url: string) => string): string {
  return text.replace(TEXT_URL, (raw) => {
    const url = trimUrl(raw);
    return trackable(url, base) ? urlFor(url) + raw.slice(url.length) : raw;
  });
}

function rewriteHtml(html: string, base: string, urlFor: (url: string) => string): string {
  return html.replace(ANCHOR_TAG, (tag) => {
    const href = hrefOf(tag);
    if (!href || !trackable(href.url, base)) return tag;
    const start = href.match.index;
    return `${tag.slice(0, start)}${href.match[1]}"${escapeAttribute(urlFor(href.url))}"${tag.slice(start + href.match[0].length)}`;
  });
}

/** Inserts `snippet` before the last `</body>` (any case), or appends it when the HTML has none. */
export function beforeBodyEnd(html: string, snippet: string): string {
  const at = html.toLowerCase().lastIndexOf('</body>');
  return at < 0 ? html + snippet : html.slice(0, at) + snippet + html.slice(at);
}

/** The unsubscribe paragraph added to every campaign email's HTML. */
export function unsubscribeHtml(url: string): string {
  return `<p style="font-size:12px;color:#666666">Don't want these emails? <a href="${escapeAttribute(url)}">Unsubscribe</a>.</p>`;
}

/** The unsubscribe line added to every campaign email's text. */
export function unsubscribeText(url: string): string {
  return `\n\nUnsubscribe: ${url}`;
}

/** The 1×1 open pixel added to a tracked campaign email's HTML. */
export function openPixel(url: string): string {
  return `<img src="${escapeAttribute(url)}" width="1" height="1" alt="">`;
}

/**
 * Prepares one campaign message's content for sending (docs/tracking.md). With `trackLinks`, every http(s) URL of
 * the text (all channels) and every http(s) `<a href>` of the HTML (email) becomes `${publicUrl}/c/<token>`, each
 * distinct URL getting a campaign_links id (1, 2, 3… per campaign, stored in `trx`); mailto:, tel:, Liquid
 * expressions and Beckon's own tracking URLs are left as they are. Every email gets an unsubscribe link
 * (`${publicUrl}/u/<token>`) at the end of its text and before `</body>` of its HTML (or at its end), and, with
 * `trackOpens`, an open pixel (`${publicUrl}/o/<token>`) after it. Returns only the parts it was given.
 */
export async function trackContent(trx: Db, deps: Deps, input: TrackContentInput): Promise<{ text?: string; html?: string }> {
  const base = deps.config.publicUrl.replace(/\/+$/, '');
  const email = input.channelType === 'email';
  let { text, html } = input;
  if (input.trackLinks) {
    const urls = [...(text === undefined ? [] : textUrls(text, base)), ...(email && html !== undefined ? htmlUrls(html, base) : [])];
    if (urls.length > 0) {
      const ids = await campaignLinkIds(trx, deps.db, input.workspaceId, input.campaignId, urls);
      const tokens = new Map<string, string>();
      const urlFor = (url: string) => {
        let tracked = tokens.get(url);
        if (!tracked) {
          tracked = trackingUrl(base, deps.secrets, { kind: 'click', messageId: input.messageId, linkId: ids.get(url)! });
          tokens.set(url, tracked);
        }
        return tracked;
      };
      if (text !== undefined) text = rewriteText(text, base, urlFor);
      if (email && html !== undefined) html = rewriteHtml(html, base, urlFor);
    }
  }
  if (email) {
    const unsubscribe = trackingUrl(base, deps.secrets, { kind: 'unsubscribe', messageId: input.messageId });
    if (text !== undefined) text += unsubscribeText(unsubscribe);
    if (html !== undefined) {
      let footer = unsubscribeHtml(unsubscribe);
      if (input.trackOpens) footer += openPixel(trackingUrl(base, deps.secrets, { kind: 'open', messageId: input.messageId }));
      html = beforeBodyEnd(html, footer);
    }
  }
  const out: { text?: string; html?: string } = {};
  if (input.text !== undefined) out.text = text;
  if (input.html !== undefined) out.html = html;
  return out;
}
