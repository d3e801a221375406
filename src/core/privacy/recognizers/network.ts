// IP_ADDRESS: IPv4 (octet ranges) and IPv6 (full and compressed forms).
import type { Recognizer } from './types';

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`(?<![\\w.])${OCTET}(?:\\.${OCTET}){3}(?![\\w]|\\.\\d)`, 'g');

const H = '[0-9A-Fa-f]{1,4}';
const IPV6_BODY = [
  `(?:${H}:){7}${H}`,
  `(?:${H}:){1,6}:${H}`,
  `(?:${H}:){1,5}(?::${H}){1,2}`,
  `(?:${H}:){1,4}(?::${H}){1,3}`,
  `(?:${H}:){1,3}(?::${H}){1,4}`,
  `(?:${H}:){1,2}(?::${H}){1,5}`,
  `${H}:(?::${H}){1,6}`,
  `(?:${H}:){1,7}:`,
  `:(?::${H}){1,7}`,
].join('|');
const IPV6 = new RegExp(`(?<![\\w:.])(?:${IPV6_BODY})(?:/\\d{1,3})?(?![\\w:])`, 'g');

export const ipAddress: Recognizer = {
  name: 'ip-address',
  type: 'IP_ADDRESS',
  quick: /\d\.\d|[0-9A-Fa-f]:[0-9A-Fa-f]{0,4}:/,
  patterns: [
    { name: 'ipv4', regex: IPV4, score: 0.75 },
    { name: 'ipv6', regex: IPV6, score: 0.75 },
  ],
  validate: (v, m) => {
    if (m.pattern === 'ipv4') return true;
    // Reject C++ scopes ("A::B") and clock times: need a digit and ≥ 3 hex groups or 8 groups.
    if (!/\d/.test(v)) return false;
    const groups = v.split('/')[0].split(':').filter((g) => g.length > 0);
    return groups.length >= 3 || (groups.length === 2 && groups.join('').length >= 5);
  },
  context: ['ip', 'ip address', 'ipv4', 'ipv6', 'server', 'host', 'address'],
  contextBoost: 0.1,
  negativeContext: ['version', 'ver', 'release', 'build', 'v.', 'chapter', 'section', 'figure'],
  negativePenalty: 0.5,
  negativeWindow: [12, 0],
};

export const networkRecognizers: Recognizer[] = [ipAddress];
