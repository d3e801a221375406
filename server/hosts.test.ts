import { describe, expect, it } from 'vitest';
import { hostAllowed, hostPolicy, isOwnOrigin } from './hosts.ts';

describe('Host policy (DNS rebinding)', () => {
  const p = hostPolicy(['app.example.com', 'api.example.com:8443'], '127.0.0.1');
  it.each([
    ['127.0.0.1:8787', true], ['10.0.0.5', true], ['[::1]:8787', true], ['localhost:8787', true], ['LOCALHOST', true],
    ['foo.localhost', true], ['app.example.com', true], ['APP.example.com:443', true], ['api.example.com:8443', true],
    ['api.example.com', false], ['attacker.example', false], ['app.example.com.attacker.example', false],
    ['localhost.attacker.example', false], ['127.0.0.1.nip.io', false], [undefined, true], ['', true],
  ])('%s → %s', (host, ok) => {
    expect(hostAllowed(p, host)).toBe(ok);
  });

  it('the listen host is answered when it is a name; a wildcard bind adds nothing', () => {
    expect(hostAllowed(hostPolicy(undefined, 'edgewise.lan'), 'edgewise.lan:8787')).toBe(true);
    expect(hostPolicy(undefined, '0.0.0.0').names.size).toBe(0);
  });

  it('not enforced (edge platform without ALLOWED_HOSTS): anything goes', () => {
    expect(hostAllowed(hostPolicy(undefined, '127.0.0.1', false), 'attacker.example')).toBe(true);
  });
});

describe('own origin, compared whole', () => {
  it.each([
    ['http://127.0.0.1:8787', 'http', '127.0.0.1:8787', true],
    ['https://127.0.0.1:8787', 'http', '127.0.0.1:8787', false],
    ['http://127.0.0.1:8788', 'http', '127.0.0.1:8787', false],
    ['https://app.example.com', 'https', 'app.example.com:443', true],
    ['https://app.example.com', 'https', 'app.example.com', true],
    ['http://app.example.com', 'https', 'app.example.com', false],
    ['null', 'http', '127.0.0.1', false],
    ['http://a.example', 'http', undefined, false],
  ])('%s on %s://%s → %s', (origin, scheme, host, ok) => {
    expect(isOwnOrigin(origin, scheme, host)).toBe(ok);
  });
});
