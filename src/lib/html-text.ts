import { compile } from 'html-to-text';

const convert = compile({
  wordwrap: 78,
  selectors: [
    { selector: 'img', format: 'skip' },
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
  ],
});

/**
 * The plain-text part of an email derived from its HTML (html-to-text: paragraphs, lists, tables, links as
 * `text [url]`, images dropped), as email tools do when only HTML is given.
 */
export function textFromHtml(html: string): string {
  return convert(html).trim();
}
