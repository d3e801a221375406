// SECRET: API keys with known prefixes, JWTs, PEM private keys, high-entropy
// tokens, and "my password is …" / "password: …" phrases.
import type { Recognizer } from './types';
import { looksLikeRandomSecret } from '../validators';

export const knownKeys: Recognizer = {
  name: 'secret-known-prefix',
  type: 'SECRET',
  quick: /sk-|gh[pousr]_|github_pat_|AKIA|ASIA|xox[abprs]-|AIza|eyJ|-----BEGIN|glpat-|hf_|npm_|sk_live_|rk_live_/,
  patterns: [
    { name: 'anthropic', regex: /(?<![\w-])sk-ant-[A-Za-z0-9_-]{20,}/g, score: 1.0 },
    { name: 'openai', regex: /(?<![\w-])sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g, score: 0.95 },
    { name: 'stripe', regex: /(?<![\w-])(?:sk|rk)_live_[A-Za-z0-9]{20,}/g, score: 1.0 },
    { name: 'github', regex: /(?<![\w-])gh[pousr]_[A-Za-z0-9]{30,}/g, score: 1.0 },
    { name: 'github-pat', regex: /(?<![\w-])github_pat_[A-Za-z0-9_]{22,}/g, score: 1.0 },
    { name: 'gitlab', regex: /(?<![\w-])glpat-[A-Za-z0-9_-]{20,}/g, score: 1.0 },
    { name: 'huggingface', regex: /(?<![\w-])hf_[A-Za-z0-9]{30,}/g, score: 0.95 },
    { name: 'npm', regex: /(?<![\w-])npm_[A-Za-z0-9]{36}/g, score: 0.95 },
    { name: 'aws-access-key', regex: /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/g, score: 0.95 },
    { name: 'slack', regex: /(?<![\w-])xox[abprs]-[A-Za-z0-9-]{10,}/g, score: 0.95 },
    { name: 'google-api', regex: /(?<![\w-])AIza[0-9A-Za-z_-]{35}(?![\w-])/g, score: 0.95 },
    { name: 'jwt', regex: /(?<![\w-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, score: 0.95 },
    {
      name: 'pem-private-key',
      regex: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|$)/g,
      score: 1.0,
    },
  ],
};

export const highEntropy: Recognizer = {
  name: 'secret-high-entropy',
  type: 'SECRET',
  quick: /[A-Za-z0-9+/_=-]{20}/,
  patterns: [
    { name: 'high-entropy', regex: /(?<![\w/+=-])[A-Za-z0-9+/_=-]{20,}(?![\w/+=-])/g, score: 0.75 },
  ],
  validate: (v, m) => {
    // Trim base64 padding and surrounding separators before measuring.
    const core = v.replace(/^[-_/+]+|[-_/+=]+$/g, '');
    // Inline data (data:image/png;base64,…) is content, not a credential.
    if (/base64,$/i.test(m.text.slice(Math.max(0, m.start - 7), m.start))) return false;
    if (/^(?:https?|www)/i.test(core)) return false;
    // Path-like or dashed identifiers made of short words are not secrets.
    const parts = core.split(/[/_-]/);
    if (parts.length > 1 && Math.max(...parts.map((p) => p.length)) < 10) return false;
    return looksLikeRandomSecret(core);
  },
  context: ['key', 'token', 'secret', 'api', 'password', 'credential', 'bearer', 'auth'],
  contextBoost: 0.2,
};

const PASSWORD_STOP = new Set([
  'too', 'very', 'not', 'incorrect', 'wrong', 'weak', 'strong', 'required', 'invalid', 'correct',
  'expired', 'the', 'a', 'an', 'my', 'your', 'same', 'different', 'case', 'being', 'still', 'now',
  'reset', 'changed', 'saved', 'stored', 'set', 'long', 'short', 'secure', 'safe', 'hashed',
  'encrypted', 'empty', 'what', 'how', 'this', 'that', 'it', 'and', 'or', 'missing', 'forgotten',
  'lost', 'needed', 'needs', 'protected', 'manager', 'managers', 'policy', 'field', 'hint', 'reuse',
  'only', 'just', 'also', 'always', 'never', 'easy', 'hard', 'good', 'bad', 'fine', 'ok', 'okay',
  'shown', 'hidden', 'visible', 'leaked', 'compromised', 'stolen', 'known', 'unknown', 'blank',
  'required.', 'mandatory', 'optional', 'generated', 'random', 'complex', 'simple', 'same.',
  'working', 'accepted', 'rejected', 'there', 'here', 'in', 'on', 'at', 'for', 'of', 'to', 'is',
  'was', 'be', 'should', 'must', 'will', 'can', 'could', 'would', 'which', 'who', 'where', 'why',
  'when', 'stored.', 'something', 'nothing', 'anything', 'one', 'another', 'based', 'used', 'using',
  'mine', 'yours', 'hunter', 'pass', 'so', 'really', 'quite', 'pretty', 'definitely', 'probably',
  'then', 'please', 'enter', 'type', 'here', 'below', 'above', 'again', 'none', 'null', 'undefined',
  'n/a', 'xxx', 'xxxx', '***', '****', '<password>', 'your_password', 'yourpassword', 'changeme',
  'redacted', 'hidden', 'same', 'case-sensitive', 'sensitive', 'ignored',
]);

export const passwordPhrase: Recognizer = {
  name: 'secret-password-phrase',
  type: 'SECRET',
  quick: /pass|pwd|pin|secret|token|key/i,
  patterns: [
    {
      name: 'password-is',
      regex: /\b(?:password|passwd|passphrase|passcode|pwd|pin(?: code| number)?|login)\s*(?:is|was|=|:)\s*["'“‘`]?(?<v>[^\s"'”’`]{3,})/gi,
      score: 0.9,
      group: 'v',
    },
    {
      name: 'key-assignment',
      regex: /\b(?:api[_-]?key|apikey|secret(?:[_-]?key)?|access[_-]?(?:key|token)|auth[_-]?token|bearer|client[_-]?secret|private[_-]?key|token)\s*(?:is|=|:)\s*["'“‘`]?(?<v>[A-Za-z0-9_\-./+=]{12,})/gi,
      score: 0.85,
      group: 'v',
    },
  ],
  validate: (v, m) => {
    // Drop sentence punctuation that follows the value.
    let end = v.length;
    while (end > 0 && '.,;:!?)]}'.includes(v[end - 1])) end--;
    const val = v.slice(0, end);
    if (val.length < 3) return false;
    if (m.pattern === 'password-is') {
      const lower = val.toLowerCase();
      if (PASSWORD_STOP.has(lower)) return false;
      // "pin is 4 digits" / "password is 8 characters" describe rules, not values.
      const after = m.text.slice(m.end, m.end + 24).toLowerCase();
      if (/^\d{1,2}$/.test(val) || (/^\d+$/.test(val) && /^\s*(?:digits?|characters?|chars?|letters?|long)\b/.test(after))) {
        return false;
      }
      const before = m.text.slice(Math.max(0, m.start - 48), m.start).toLowerCase();
      // "what is a good password: …" / "how long should a password be" — question about passwords.
      if (/\b(?:what|how|which|should|good|strong|example|e\.g\.)\b[^.?!\n]*$/.test(before) && !/\b(?:my|our|the wifi|wifi|wi-fi)\b/.test(before)) {
        return false;
      }
    }
    return end === v.length ? true : { end };
  },
};

export const secretRecognizers: Recognizer[] = [knownKeys, highEntropy, passwordPhrase];
