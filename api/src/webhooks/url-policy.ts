// Where deliveries may go. Checked when an endpoint is registered or its URL changes (so the
// registrant hears at once), and again on every connection by request-filtering-agent (sender.ts),
// which refuses the address a name resolves to at that moment: a name that resolved to a public
// address at registration and to 10.0.0.1 later (DNS rebinding) is still refused.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { ValidationError } from '../writes/errors.js';
import { checkArgument } from '../writes/text.js';

export const MAX_URL_LENGTH = 2048;

export interface UrlPolicy {
  /**
   * PAKT_WEBHOOKS_ALLOW_LOCAL: also loopback and private addresses, and plain http (development
   * and tests, or receivers inside the operator's own network).
   */
  allowLocal: boolean;
  /** Resolves a host name to its addresses. @default dns.lookup with `all: true` */
  resolve?: (host: string) => Promise<string[]>;
}

function refuse(field: string, message: string): never {
  throw new ValidationError([{ field, code: 'INVALID_VALUE', message }]);
}

/** Whether an address may be reached from outside the machine's own networks ("unicast" in ipaddr.js' terms). */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === 'unicast';
}

/**
 * The URL as it will be stored, or a VALIDATION_FAILED naming `field`: at most 2,048 characters
 * under the identifier text rule, absolute https (http only with allowLocal), no user name or
 * password (a URL shows up in lists and logs), no fragment, and a host that resolves to public
 * addresses only (any address with allowLocal).
 */
export async function checkEndpointUrl(value: string, field: string, policy: UrlPolicy): Promise<string> {
  checkArgument(value, field, 'identifier', MAX_URL_LENGTH);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    refuse(field, 'Not an absolute URL, e.g. "https://example.org/pakt-webhooks".');
  }
  const protocols = policy.allowLocal ? ['https:', 'http:'] : ['https:'];
  if (!protocols.includes(url.protocol)) refuse(field, policy.allowLocal ? 'Must be an http or https URL.' : 'Must be an https URL.');
  if (url.username || url.password) refuse(field, 'May not contain a user name or password: pakt signs every delivery, check the signature instead.');
  if (url.hash) refuse(field, 'May not contain a fragment (#…).');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!policy.allowLocal) {
    const addresses = isIP(host) ? [host] : await (policy.resolve ?? resolveAll)(host).catch(() => refuse(field, `The host "${host}" does not resolve.`));
    if (addresses.length === 0) refuse(field, `The host "${host}" does not resolve.`);
    const blocked = addresses.find((address) => !isPublicAddress(address));
    if (blocked)
      refuse(field, `The host "${host}" is a loopback, private or otherwise non-public address (${blocked}); pakt delivers to public addresses only.`);
  }
  return url.toString();
}

async function resolveAll(host: string): Promise<string[]> {
  return (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);
}
