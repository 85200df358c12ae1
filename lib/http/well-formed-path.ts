/**
 * True when every percent-escape of `pathname` decodes to UTF-8. Next.js decodes dynamic
 * segments (`/interaction/%ff`) itself and answers a malformed one with a bare 500; proxy.ts
 * refuses such a URL first with a localized 400.
 */
export function isWellFormedPath(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}
