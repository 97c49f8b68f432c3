/**
 * The CSP forbids inline styles without a nonce; main puts the page's nonce in <meta name="csp-nonce"> so Mantine's
 * runtime <style> tags can carry it. Absent (dev server, plain browser) → undefined and Mantine adds none.
 */
export function readCspNonce(doc: Document = document): string | undefined {
  const content = doc.querySelector('meta[name="csp-nonce"]')?.getAttribute('content');
  return content && content.length > 0 ? content : undefined;
}
