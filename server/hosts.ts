// Which Host and Origin headers the proxy answers. Pure (no Node imports).
//
// DNS rebinding: a page on attacker.example re-points its name at this server,
// so the browser sends `Host: attacker.example` and treats our answers as
// same-origin. The guard is the Host check: only IP literals (an IP page is
// this server's own origin, never someone else's name), localhost, the listen
// host and ALLOWED_HOSTS are answered.

export interface HostPolicy {
  /** Lower-case host names, optionally "name:port". */
  names: ReadonlySet<string>;
  /** false on edge platforms without ALLOWED_HOSTS: the platform routes by Host itself. */
  enforce: boolean;
}

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

export function hostPolicy(allowedHosts: readonly string[] | undefined, listenHost: string, enforce = true): HostPolicy {
  const names = new Set<string>(allowedHosts ?? []);
  const h = listenHost.toLowerCase();
  if (h && h !== '0.0.0.0' && h !== '::') names.add(h);
  return { names, enforce };
}

/** Splits "name:port" / "[v6]:port" into its lower-case host part. */
function hostPart(host: string): string {
  if (host.charCodeAt(0) === 91 /* [ */) {
    const end = host.indexOf(']');
    return end < 0 ? host : host.slice(0, end + 1);
  }
  const colon = host.lastIndexOf(':');
  return (colon < 0 ? host : host.slice(0, colon)).toLowerCase();
}

export function hostAllowed(p: HostPolicy, host: string | undefined): boolean {
  if (!p.enforce || host === undefined || host === '') return true;
  const name = hostPart(host);
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (name.charCodeAt(0) === 91 || IPV4.test(name)) return true;
  return p.names.has(name) || p.names.has(host.toLowerCase());
}

/**
 * The request's own origin, compared whole (scheme, host, port) with the
 * browser's Origin. `scheme` is the one the browser used: the connection's,
 * or X-Forwarded-Proto behind a trusted reverse proxy.
 */
export function isOwnOrigin(origin: string, scheme: string, host: string | undefined): boolean {
  if (!host) return false;
  let own: string;
  try {
    own = new URL(`${scheme}://${host}`).origin;
  } catch {
    return false;
  }
  return origin.toLowerCase() === own;
}
