// The absolute base of the open-data URLs (RPDE `next` links, JSON-LD `@id`s, HSDS links): the
// configured PAKT_PUBLIC_URL, else the origin the request came to. RPDE's last page must link to
// itself exactly, so without a configured URL the request's own origin is the only safe choice.

/** `https://host[:port][/prefix]` without a trailing slash. */
export function publicBaseUrl(request: Request, configured: string | undefined): string {
  if (configured) return configured.replace(/\/+$/, '');
  return new URL(request.url).origin;
}
