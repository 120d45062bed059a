/** A 1×1 transparent GIF (42 bytes), the open pixel's body. */
export const PIXEL_GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/** Headers of every tracking page: nothing loaded from elsewhere, nothing indexed, the token never sent on as a Referer. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-robots-tag': 'noindex, nofollow',
};

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>${title}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222}button{font-size:1rem;padding:.5rem 1.25rem;cursor:pointer}</style>
</head><body>
${body}
</body></html>
`;
}

/** The page a GET of an unsubscribe link shows: a button that POSTs to the same URL (a GET alone never unsubscribes: link scanners follow links). */
export function confirmUnsubscribePage(): string {
  return page('Unsubscribe', `<h1>Unsubscribe</h1>
<p>Stop receiving these emails?</p>
<form method="post" action=""><input type="hidden" name="confirm" value="yes"><button type="submit">Unsubscribe</button></form>`);
}

/** The page shown after unsubscribing (also when already unsubscribed). */
export function unsubscribedPage(): string {
  return page('Unsubscribed', `<h1>You are unsubscribed</h1>
<p>You will not receive these emails any more.</p>`);
}

/** The page shown for an unsubscribe link that is not valid. */
export function invalidLinkPage(): string {
  return page('Link not valid', `<h1>This link is not valid</h1>
<p>Check that the whole link was copied from the email.</p>`);
}
