import { createRequire } from 'node:module';
import type * as HtmlToText from 'html-to-text';

// html-to-text (and its HTML parser) is required on the first conversion: a process that sends no HTML email never loads it
const require = createRequire(import.meta.url);
let convert: ((html: string) => string) | undefined;

function converter(): (html: string) => string {
  convert ??= (require('html-to-text') as typeof HtmlToText).compile({
    wordwrap: 78,
    selectors: [
      { selector: 'img', format: 'skip' },
      { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
      { selector: 'h1', options: { uppercase: false } },
      { selector: 'h2', options: { uppercase: false } },
      { selector: 'h3', options: { uppercase: false } },
    ],
  });
  return convert;
}

/**
 * The plain-text part of an email derived from its HTML (html-to-text: paragraphs, lists, tables, links as
 * `text [url]`, images dropped), as email tools do when only HTML is given.
 */
export function textFromHtml(html: string): string {
  return converter()(html).trim();
}
