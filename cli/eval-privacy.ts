// Privacy recognizer evaluation: `tsx cli/eval-privacy.ts [--json] [--seed N] [--per-template N]`.
//
// Generates a labeled synthetic set from templates in this file (seeded RNG;
// generated values are valid: Luhn-valid cards, mod-97 IBANs, SSNs that
// follow the SSA rules, ABA numbers with a correct checksum …), plus negative
// sentences full of traps. Templates are split into 5 folds BY TEMPLATE, so no
// template leaks between folds. Runs scanPatterns (patterns only — no NER) and
// reports, per entity type, precision, recall and F2 (Presidio-research style,
// span match = overlap with the same type), per fold and overall. Then runs
// scan → assess → buildCloudText in every mode and counts raw never-sendable
// values that would appear in the cloud text (goal: 0).
import { readFileSync } from 'node:fs';
import type { Entity, EntityType, Mode } from '../src/core/types';
import * as ID from '../src/core/privacy/id-checks';
import {
  IBAN_LENGTHS,
  NEVER_SENDABLE,
  Pseudonymizer,
  assessPrivacy,
  buildCloudText,
  luhnValid,
  scanPatterns,
  seededRng,
} from '../src/core/privacy';

// ── args ─────────────────────────────────────────────────────────────────────
const argv = process.argv.slice(2);
function usage(msg?: string): never {
  if (msg) console.error(msg);
  console.error('usage: tsx cli/eval-privacy.ts [--json] [--seed N] [--per-template N] [--file F.jsonl]');
  console.error('  --file F.jsonl   also score a labeled file: one {"text": "...", "spans": [{"start", "end", "type"}]} per line');
  process.exit(2);
}
let json = false;
let seed = 20240601;
let perTemplate = 25;
let file: string | null = null;
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--json') json = true;
  else if (a === '--seed') seed = Number(argv[++i]);
  else if (a === '--per-template') perTemplate = Number(argv[++i]);
  else if (a === '--file') file = argv[++i] ?? usage('--file needs a path');
  else if (a === '--help' || a === '-h') usage();
  else usage(`unknown argument: ${a}`);
}
if (!Number.isFinite(seed) || !(perTemplate >= 1)) usage('bad number');

const rng = seededRng(seed);
const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
const digits = (n: number) => Array.from({ length: n }, () => String(int(0, 9))).join('');
const chance = (p: number) => rng() < p;
const toFullWidth = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)));

// ── value generators (all valid) ─────────────────────────────────────────────
const FIRST = ['John', 'Maria', 'Wei', 'Aisha', 'Lukas', 'Sofia', 'Mateo', 'Priya', 'Olivia', 'Noah', 'Chloé', 'Björn', 'Fatima', 'Kenji', 'Grace'];
const LAST = ['Smith', 'Garcia', 'Chen', 'Khan', 'Müller', 'Rossi', 'Silva', 'Patel', 'Johnson', 'Brown', "O'Neill", 'Nakamura', 'Dubois', 'Novak', 'Okafor'];
const DOMAINS = ['example.com', 'mail.example.org', 'corp.example.co.uk', 'example.net', 'uni.example.edu'];
const STREETS = ['Baker', 'Oak', 'Maple', 'High', 'Church', 'Elm', 'Pennsylvania', 'Sunset', 'Park', 'Mill'];
const STREET_TYPES = ['Street', 'Avenue', 'Road', 'Lane', 'Drive', 'Close', 'Boulevard', 'St', 'Rd'];
const ORG_WORDS = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne', 'Hooli', 'Vandelay', 'Soylent', 'Tyrell'];
const ORG_SUFFIX = ['Inc', 'Ltd', 'LLC', 'GmbH', 'Corp', 'plc'];
const CONDITIONS = ['diabetes', 'type 2 diabetes', 'asthma', 'depression', 'epilepsy', 'HIV', 'breast cancer', 'anxiety', 'ADHD', 'high blood pressure', 'Crohn’s disease', 'bipolar disorder'];
const MEDS = ['metformin', 'sertraline', 'insulin', 'lithium', 'Adderall', 'levothyroxine', 'lisinopril', 'fluoxetine', 'Ozempic', 'prednisone'];

function luhnComplete(prefix: string, len: number): string {
  let body = prefix + digits(len - prefix.length - 1);
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return body + d;
  throw new Error('unreachable');
}
function card(): string {
  const kind = pick(['visa', 'mc', 'amex', 'discover', 'mc2']);
  const n =
    kind === 'visa' ? luhnComplete('4', 16)
    : kind === 'mc' ? luhnComplete(String(int(51, 55)), 16)
    : kind === 'mc2' ? luhnComplete(String(int(2221, 2720)), 16)
    : kind === 'amex' ? luhnComplete(pick(['34', '37']), 15)
    : luhnComplete('6011', 16);
  const style = pick(['plain', 'space', 'dash', 'space', 'dot']);
  let out: string;
  if (style === 'plain') out = n;
  else {
    const sep = style === 'space' ? ' ' : style === 'dash' ? '-' : '.';
    out = n.length === 15 ? [n.slice(0, 4), n.slice(4, 10), n.slice(10)].join(sep) : n.match(/.{1,4}/g)!.join(sep);
  }
  return chance(0.1) ? toFullWidth(out) : out;
}
function mod97(s: string): number {
  let r = 0;
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    r = c >= 65 ? (r * 100 + (c - 55)) % 97 : (r * 10 + (c - 48)) % 97;
  }
  return r;
}
const UP = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const letters = (n: number) => Array.from({ length: n }, () => UP[int(0, 25)]).join('');
function iban(): string {
  const cc = pick(['GB', 'DE', 'FR', 'NL', 'ES', 'IT', 'CH', 'BE']);
  const bban =
    cc === 'GB' ? letters(4) + digits(14)
    : cc === 'NL' ? letters(4) + digits(10)
    : cc === 'FR' ? digits(10) + letters(1) + digits(10) + digits(2)
    : cc === 'IT' ? letters(1) + digits(22)
    : digits(IBAN_LENGTHS[cc] - 4);
  const check = 98 - mod97(bban + cc + '00');
  const compact = cc + String(check).padStart(2, '0') + bban;
  return chance(0.5) ? compact.match(/.{1,4}/g)!.join(' ') : compact;
}
function ssn(): string {
  let area: number;
  do area = int(1, 899);
  while (area === 666);
  const a = String(area).padStart(3, '0');
  const g = String(int(1, 99)).padStart(2, '0');
  const s = String(int(1, 9999)).padStart(4, '0');
  const sep = pick(['-', '-', '-', ' ']);
  return [a, g, s].join(sep);
}
function nino(): string {
  const first = 'ABCEGHJKLMNOPRSTWXYZ';
  const second = 'ABCEGHJKLMNPRSTWXYZ';
  let pre: string;
  do pre = first[int(0, first.length - 1)] + second[int(0, second.length - 1)];
  while (['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ'].includes(pre));
  const d = digits(6);
  const suf = 'ABCD'[int(0, 3)];
  return chance(0.5) ? `${pre}${d}${suf}` : `${pre} ${d.slice(0, 2)} ${d.slice(2, 4)} ${d.slice(4)} ${suf}`;
}
function aba(): string {
  const prefix = String(pick([int(1, 12), int(21, 32), int(61, 72)])).padStart(2, '0');
  const body = prefix + digits(6);
  const n = (i: number) => Number(body[i]);
  const partial = 3 * (n(0) + n(3) + n(6)) + 7 * (n(1) + n(4) + n(7)) + (n(2) + n(5));
  const check = (10 - (partial % 10)) % 10;
  return body + check;
}
function email(): string {
  const f = pick(FIRST).toLowerCase().normalize('NFD').replace(/[^a-z]/g, '');
  const l = pick(LAST).toLowerCase().normalize('NFD').replace(/[^a-z]/g, '');
  const local = pick([`${f}.${l}`, `${f}${int(1, 99)}`, `${f[0]}${l}`, `${f}_${l}+news`]);
  return `${local}@${pick(DOMAINS)}`;
}
const nxx = () => `${int(2, 9)}${digits(2)}`;
function phone(): string {
  switch (int(0, 7)) {
    case 0: return `+44 7${digits(3)} ${digits(6)}`;
    case 1: return `(${nxx()}) ${nxx()}-${digits(4)}`;
    case 2: return `${nxx()}-${nxx()}-${digits(4)}`;
    case 3: return `+1 ${nxx()} ${nxx()} ${digits(4)}`;
    case 4: return `07${digits(3)} ${digits(6)}`;
    case 5: return `+49 30 ${digits(7)}`;
    case 6: return `+33 6 ${digits(2)} ${digits(2)} ${digits(2)} ${digits(2)}`;
    default: return `${nxx()}.${nxx()}.${digits(4)}`;
  }
}
function ipv4(): string {
  return [int(1, 223), int(0, 255), int(0, 255), int(1, 254)].join('.');
}
function ipv6(): string {
  const g = () => int(0, 0xffff).toString(16);
  return chance(0.5) ? Array.from({ length: 8 }, g).join(':') : `2001:db8:${g()}::${g()}:${int(1, 0xfff).toString(16)}`;
}
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const rand = (n: number, alphabet = ALNUM) => Array.from({ length: n }, () => alphabet[int(0, alphabet.length - 1)]).join('');
function randomToken(n: number): string {
  // Random base62 token guaranteed to mix classes.
  let t: string;
  do t = rand(n);
  while (!(/[a-z].*[a-z]/.test(t) && /[A-Z].*[A-Z]/.test(t) && /\d.*\d/.test(t)));
  return t;
}
function secret(): string {
  switch (int(0, 7)) {
    case 0: return `sk-ant-api03-${rand(40)}`;
    case 1: return `sk-proj-${rand(40)}`;
    case 2: return `ghp_${rand(36)}`;
    case 3: return `AKIA${rand(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`;
    case 4: return `xoxb-${digits(12)}-${digits(12)}-${rand(24)}`;
    case 5: return `AIza${rand(35)}`;
    case 6: return `eyJ${rand(20)}.eyJ${rand(30)}.${rand(43)}`;
    default: return randomToken(32);
  }
}
function password(): string {
  return pick([`${pick(['sunshine', 'dragon', 'tr0ub4dor', 'letmein', 'Blue'])}${int(1, 9999)}${pick(['', '!', '#'])}`, rand(12)]);
}
function money(): string {
  return pick([`$${int(20, 250)},${digits(3)}`, `£${int(1, 99)},${digits(3)}`, `€${int(1000, 9999)}`, `$${int(2, 90)}k`]);
}
function dob(): string {
  const y = int(1940, 2005);
  const m = int(1, 12);
  const d = int(1, 28);
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  switch (int(0, 3)) {
    case 0: return `${String(m).padStart(2, '0')}/${String(d).padStart(2, '0')}/${y}`;
    case 1: return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    case 2: return `${d} ${months[m - 1]} ${y}`;
    default: return `${months[m - 1]} ${d}, ${y}`;
  }
}
const ukPostcode = () => `${pick(['SW1A', 'EC1V', 'M1', 'B33', 'NW1', 'LS2', 'CR2'])} ${int(1, 9)}${pick(['AA', 'BD', 'XE', 'HQ', 'NP'])}`;


// ── national IDs (valid: the check digits are computed by trying every last character) ──
const D = '0123456789';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
function complete(body: () => string, last: string, ok: (s: string) => boolean): string {
  for (let tries = 0; tries < 200; tries++) {
    const b = body();
    for (const c of last) if (ok(b + c)) return b + c;
  }
  throw new Error('no valid ID found');
}
const ymd = (y0: number, y1: number) => {
  const y = int(y0, y1);
  return [y, String(int(1, 12)).padStart(2, '0'), String(int(1, 28)).padStart(2, '0')] as const;
};
const NID: Record<string, () => string> = {
  IN: () => complete(() => String(int(2, 9)) + digits(10), D, ID.aadhaarValid).replace(/(\d{4})(\d{4})(\d{4})/, '$1 $2 $3'),
  KR: () => { const [y, m, d] = ymd(1950, 1999); return complete(() => `${String(y).slice(2)}${m}${d}-${int(1, 2)}${digits(5)}`, D, (v) => ID.krRrnCheck(v) === 'valid'); },
  TR: () => complete(() => String(int(1, 9)) + digits(8) + String(int(0, 9)), D, ID.trTcknValid),
  PL: () => { const [y, m, d] = ymd(1950, 1999); return complete(() => `${String(y).slice(2)}${m}${d}${digits(4)}`, D, ID.plPeselValid); },
  NL: () => complete(() => String(int(1, 9)) + digits(7), D, ID.nlBsnValid),
  ES: () => { const n = digits(8); return n + 'TRWAGMYFPDXBNJZSQVHLCKE'[Number(n) % 23]; },
  BR: () => complete(() => digits(9) + String(int(0, 9)), D, ID.brCpfValid).replace(/(\d{3})(\d{3})(\d{3})(\d{2})/, '$1.$2.$3-$4'),
  CA: () => complete(() => String(int(1, 7)) + digits(7), D, ID.caSinValid).replace(/(\d{3})(\d{3})(\d{3})/, '$1 $2 $3'),
  CN: () => { const [y, m, d] = ymd(1950, 2005); return complete(() => `${int(11, 65)}${digits(4)}${y}${m}${d}${digits(3)}`, D + 'X', ID.cnRicValid); },
  SE: () => { const [y, m, d] = ymd(1950, 1999); return complete(() => `${String(y).slice(2)}${m}${d}-${digits(3)}`, D, ID.sePersonnummerValid); },
  SG: () => complete(() => pick(['S', 'T']) + digits(7), UPPER, ID.sgNricValid),
  FR: () => '', // replaced below (the key is computed, not searched)
  AU: () => complete(() => String(int(1, 9)) + digits(7), D, ID.auTfnValid).replace(/(\d{3})(\d{3})(\d{3})/, '$1 $2 $3'),
  GB: () => complete(() => String(int(1, 9)) + digits(8), D, ID.ukNhsValid).replace(/(\d{3})(\d{3})(\d{4})/, '$1 $2 $3'),
  FI: () => { const [y, m, d] = ymd(1950, 1999); return complete(() => `${d}${m}${String(y).slice(2)}-${String(int(2, 899)).padStart(3, '0')}`, D + 'ABCDEFHJKLMNPRSTUVWXY', ID.fiHetuValid); },
  US: () => `9${digits(2)}-${pick(['70', '78', '81', '90', '94'])}-${digits(4)}`,
  JP: () => complete(() => digits(11), D, ID.jpMyNumberValid).replace(/(\d{4})(\d{4})(\d{4})/, '$1 $2 $3'),
  IT: () => complete(() => `${letters(6)}${int(50, 99)}${pick([...'ABCDEHLMPRST'])}${String(int(1, 28)).padStart(2, '0')}${letters(1)}${digits(3)}`, UPPER, ID.itFiscalCodeValid),
  TH: () => complete(() => String(int(1, 8)) + String(int(1, 9)) + digits(10), D, ID.thTninValid),
};
// France: the key is 97 − (number mod 97), computed directly.
NID.FR = () => {
  const [y, m] = ymd(1950, 1999);
  const b = `${int(1, 2)}${String(y).slice(2)}${m}${String(int(1, 95)).padStart(2, '0')}${digits(3)}${digits(3)}`;
  const key = String(97 - Number(BigInt(b) % 97n)).padStart(2, '0');
  return `${b[0]} ${b.slice(1, 3)} ${b.slice(3, 5)} ${b.slice(5, 7)} ${b.slice(7, 10)} ${b.slice(10, 13)} ${key}`;
};
const NID_CONTEXT: Record<string, string[]> = {
  IN: ['My Aadhaar number is', 'आधार:'], KR: ['제 주민등록번호는', 'His RRN is'], TR: ['TC kimlik numaram', 'Kimlik no:'],
  PL: ['Mój PESEL to', 'PESEL:'], NL: ['Mijn BSN is', 'BSN:'], ES: ['Mi DNI es', 'DNI:'], BR: ['Meu CPF é', 'CPF:'],
  CA: ['My SIN is', 'NAS :'], CN: ['我的身份证号是', '身份证号码:'], SE: ['Mitt personnummer är', 'personnr:'], SG: ['My NRIC is', 'NRIC:'],
  FR: ['Mon numéro de sécurité sociale est', 'NIR :'], AU: ['My TFN is', 'tax file number:'], GB: ['My NHS number is', 'NHS no:'],
  FI: ['Henkilötunnukseni on', 'hetu:'], US: ['My ITIN is', 'ITIN:'], JP: ['私のマイナンバーは', 'マイナンバー:'],
  IT: ['Il mio codice fiscale è', 'CF:'], TH: ['เลขบัตรประชาชนของฉันคือ', 'Thai ID:'],
};
// Obfuscation users (and attackers) use: separator runs, bidi/zero-width marks, other digit scripts.
const SEP_RUNS = [' ', '  ', '/', '.', '-', '_', ' - ', '\u00A0', '\t', '\u2009', '—', ' / '];
const SCRIPT_ZEROS = [0x660, 0x6f0, 0x966, 0x9e6, 0xe50, 0xff10];
function obfuscate(v: string): string {
  let out = v.replace(/[ .-]/g, () => pick(SEP_RUNS));
  if (chance(0.4)) out = out.replace(/\d/g, (d) => (chance(0.3) ? d + '\u200E' : d));
  if (chance(0.4)) { const z = pick(SCRIPT_ZEROS); out = out.replace(/[0-9]/g, (d) => String.fromCodePoint(z + Number(d))); }
  return out;
}
const nidSlots: Record<string, () => string> = {};
for (const cc of Object.keys(NID)) nidSlots[`NID_${cc}`] = NID[cc];

const GEN: Record<string, () => string> = {
  ...nidSlots,
  OBF_CARD: () => obfuscate(card().replace(/\s/g, ' ')),
  OBF_NID: () => obfuscate(pick([NID.IN, NID.BR, NID.CN, NID.GB, NID.KR])()),
  OBF_IBAN: () => obfuscate(iban()),
  CREDIT_CARD: card, IBAN: iban, US_SSN: ssn, UK_NINO: nino, ABA_ROUTING: aba, EMAIL: email, PHONE: phone,
  IP_ADDRESS: () => (chance(0.7) ? ipv4() : ipv6()), SECRET: secret, PASSWORD: password,
  PERSON: () => `${pick(FIRST)} ${pick(LAST)}`, LAST: () => pick(LAST),
  BANK_ACCOUNT: () => digits(int(8, 12)), PASSPORT: () => (chance(0.5) ? digits(9) : `${letters(1)}${digits(8)}`),
  DATE_OF_BIRTH: dob, HEALTH_COND: () => pick(CONDITIONS), HEALTH_MED: () => pick(MEDS), FINANCE: money, AMOUNT: money,
  AGE: () => String(int(18, 90)), ADDRESS: () => `${int(1, 999)} ${pick(STREETS)} ${pick(STREET_TYPES)}`,
  ORGANIZATION: () => `${pick(ORG_WORDS)} ${pick(['Widgets', 'Systems', 'Labs', 'Holdings', 'Foods'])} ${pick(ORG_SUFFIX)}`,
  POSTCODE: ukPostcode,
};
// Slot name → labeled type (PASSWORD is a SECRET; LAST is a PERSON; HEALTH_* are HEALTH).
const SLOT_TYPE: Record<string, EntityType> = {
  PASSWORD: 'SECRET', LAST: 'PERSON', HEALTH_COND: 'HEALTH', HEALTH_MED: 'HEALTH',
  OBF_CARD: 'CREDIT_CARD', OBF_NID: 'NATIONAL_ID', OBF_IBAN: 'IBAN',
  ...Object.fromEntries(Object.keys(NID).map((cc) => [`NID_${cc}`, 'NATIONAL_ID' as EntityType])),
};

// ── templates ────────────────────────────────────────────────────────────────
const TEMPLATES: string[] = [
  // cards
  'My card number is {CREDIT_CARD}, why was it declined?',
  'Charge {CREDIT_CARD} for the order please.',
  '{CREDIT_CARD} expires 09/27, can I still use it online?',
  'I typed my visa {CREDIT_CARD} into a site that looked fake, what now?',
  'cc: {CREDIT_CARD} cvv 123',
  // IBAN
  'Please wire the deposit to {IBAN} by Friday.',
  'My IBAN is {IBAN} — is that the right format for SEPA?',
  'Refund to account {IBAN}, reference INV-2291.',
  '{IBAN} belongs to my landlord, can I set up a standing order?',
  // SSN / NINO / passport / bank
  'My SSN is {US_SSN}, do I need it on the W-4?',
  'social security number: {US_SSN}',
  'The form asks for {US_SSN} again — is it safe to email?',
  'My National Insurance number is {UK_NINO}.',
  'NI number {UK_NINO}, tax code 1257L — is my code right?',
  'My passport number is {PASSPORT}, it expires next year.',
  'passport no. {PASSPORT} for the visa form',
  'routing number {ABA_ROUTING}, account number {BANK_ACCOUNT}',
  'Set up direct deposit: ABA {ABA_ROUTING}, checking account {BANK_ACCOUNT}.',
  // e-mail / phone
  'Can you draft a reply to {EMAIL} declining the offer?',
  'My e-mail is {EMAIL} if the bot needs it.',
  'cc {EMAIL} and {EMAIL} on the summary',
  'Call me on {PHONE} after six.',
  'My mobile is {PHONE}, text me when it ships.',
  'Is {PHONE} a scam number? They called twice.',
  'Reach {PERSON} at {PHONE} or {EMAIL}.',
  // IP
  'My server at {IP_ADDRESS} refuses SSH connections, why?',
  'Block {IP_ADDRESS} in nginx.',
  'The router shows {IP_ADDRESS} as my public address.',
  // secrets
  'Why does the API reject my key {SECRET}?',
  'export API_KEY={SECRET}',
  'I accidentally committed {SECRET} to GitHub — what should I do?',
  'my password is {PASSWORD}',
  'Password: {PASSWORD} — is it strong enough?',
  // DOB
  'I was born on {DATE_OF_BIRTH}, how many days old am I?',
  'DOB: {DATE_OF_BIRTH}',
  'My date of birth is {DATE_OF_BIRTH} but the form shows it wrong.',
  // health
  'I have {HEALTH_COND} and want a meal plan.',
  'I was diagnosed with {HEALTH_COND} last month, what should I expect?',
  "I'm taking {HEALTH_MED}, can I drink coffee?",
  'Should I change my {HEALTH_MED} dose before the trip?',
  'My doctor put me on {HEALTH_MED}; I also have {HEALTH_COND}.',
  // finance / amount / age
  'My salary is {FINANCE}, how much should I save?',
  'I owe {FINANCE} on my credit card, help me plan.',
  'I earn {FINANCE} a year, is that above average for a nurse?',
  "I'm {AGE} years old, is it too late to learn piano?",
  'I paid {AMOUNT} for my car repair, was that fair?',
  // person / address / org / postcode
  'My name is {PERSON} and I need a cover letter.',
  'Please write a thank-you note to Dr. {LAST}.',
  'Dear {PERSON},\nthanks for the call.',
  'Best regards,\n{PERSON}',
  'Ship it to {ADDRESS}, {POSTCODE}.',
  'I live at {ADDRESS}, which bus goes downtown?',
  'I work at {ORGANIZATION} and need a resignation letter.',
  'Is {ORGANIZATION} a good employer?',
  // harder: no context words, odd places, code and JSON
  'is this right? {CREDIT_CARD}',
  'ok so {EMAIL}',
  'reply-to:{EMAIL};',
  'ok {PHONE}',
  'ip={IP_ADDRESS};port=22',
  '{"apiKey": "{SECRET}", "user": "me"}',
  'curl -H "Authorization: Bearer {SECRET}" https://api.example.com',
  'here: {US_SSN}.',
  '{IBAN}',
  'numbers: {PHONE}, {PHONE}',
  // national IDs of many countries, in the languages where they are used
  ...Object.entries(NID_CONTEXT).flatMap(([cc, words]) => [`${words[0]} {NID_${cc}}, can you check the form?`, `${words[1]} {NID_${cc}}`]),
  'Can you fill in the form with {NID_IN}?',
  'use {NID_KR} for the booking',
  '{NID_BR} — is this the right format?',
  // obfuscated values: separator runs, bidi marks, other digit scripts
  'card {OBF_CARD} please',
  'my id number is {OBF_NID}',
  'IBAN {OBF_IBAN} for the refund',
  // mixed
  'I am {PERSON}, card {CREDIT_CARD}, email {EMAIL}.',
  'Send {AMOUNT} from {IBAN} to my brother, his phone is {PHONE}.',
];

// Negative templates: no personal data, full of look-alikes.
function luhnInvalid(len: number): string {
  let n = '4' + digits(len - 1);
  while (luhnValid(n)) n = n.slice(0, -1) + String((Number(n.slice(-1)) + 1) % 10);
  return n;
}
const NEG_GEN: Record<string, () => string> = {
  ORDER: () => (chance(0.5) ? luhnInvalid(16) : luhnInvalid(16).match(/.{4}/g)!.join(' ')),
  YEAR: () => String(int(1800, 2030)),
  PRICE: () => pick([`$${int(1, 999)}.${digits(2)}`, `€${int(1, 99)},${digits(3)}.00`, `£${int(1, 9)}.${digits(2)}`]),
  VERSION: () => `${int(0, 20)}.${int(0, 30)}.${int(0, 99)}`,
  N: () => String(int(2, 99999)),
  TIME: () => `${int(0, 23)}:${String(int(0, 59)).padStart(2, '0')}`,
  HASH: () => rand(40, '0123456789abcdef'),
  ISBN: () => `978-${int(0, 9)}-${digits(2)}-${digits(6)}-${int(0, 9)}`,
  DATE: () => `${int(2000, 2030)}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`,
  COND: () => pick(CONDITIONS),
  MED: () => pick(MEDS),
};
const NEGATIVES: string[] = [
  'What are the symptoms of {COND}?',
  'How does {MED} work in the body?',
  'Can I take ibuprofen with {MED}?',
  'How does the Luhn check work?',
  'What is an IBAN and how long is it in Germany?',
  'Is {N} a prime number?',
  'Order {ORDER} has not arrived yet.',
  'Tracking number {ORDER}, where is my parcel?',
  'The war ended in {YEAR}.',
  'It costs {PRICE} at the store, is that a good deal?',
  'Upgrade from version {VERSION} to {VERSION}.',
  'The meeting is at {TIME} on {DATE}.',
  'git show {HASH}',
  'The ISBN is {ISBN}.',
  'Compute {N} * {N} + {N}.',
  'Write a haiku about autumn leaves.',
  'What is a strong password policy for a small company?',
  'Translate "good morning" into Japanese.',
  'Explain the difference between TCP and UDP.',
  'Is a salary of {PRICE} an hour good for a student job?',
  'Population grew from {N},{N} to {N} in {YEAR}.',
  'Chapter {N} covers pages {N}-{N}.',
  'std::vector<int> v{ {N} }; Foo::Bar();',
  'Ticket #{ORDER} was closed.',
  'Room {N}, floor {N}, building {N}.',
  'Download the {VERSION} release notes from {DATE}.',
  'Use the API key from your dashboard; never paste it here.',
  'What is the average salary for a nurse in {YEAR}?',
  'My favourite number is {N}.',
  'The invoice total was {PRICE} for order {ORDER}.',
];

interface Gold { type: EntityType; start: number; end: number; text: string }
interface Sample { template: number; negative: boolean; text: string; gold: Gold[] }

function render(tpl: string, gens: Record<string, () => string>, label: boolean): { text: string; gold: Gold[] } {
  let text = '';
  const gold: Gold[] = [];
  let last = 0;
  for (const m of tpl.matchAll(/\{([A-Z_]+)\}/g)) {
    text += tpl.slice(last, m.index);
    const slot = m[1];
    const gen = gens[slot];
    if (!gen) {
      text += m[0];
    } else {
      const value = gen();
      if (label) gold.push({ type: SLOT_TYPE[slot] ?? (slot as EntityType), start: text.length, end: text.length + value.length, text: value });
      text += value;
    }
    last = m.index! + m[0].length;
  }
  text += tpl.slice(last);
  return { text, gold };
}

const samples: Sample[] = [];
TEMPLATES.forEach((tpl, i) => {
  for (let k = 0; k < perTemplate; k++) samples.push({ template: i, negative: false, ...render(tpl, GEN, true) });
});
NEGATIVES.forEach((tpl, i) => {
  for (let k = 0; k < perTemplate; k++) samples.push({ template: TEMPLATES.length + i, negative: true, ...render(tpl, NEG_GEN, false) });
});

// Folds by template (deterministic shuffle of template ids, then round-robin).
const FOLDS = 5;
const templateIds = [...new Set(samples.map((s) => s.template))];
for (let i = templateIds.length - 1; i > 0; i--) {
  const j = Math.floor(rng() * (i + 1));
  [templateIds[i], templateIds[j]] = [templateIds[j], templateIds[i]];
}
const foldOf = new Map(templateIds.map((t, i) => [t, i % FOLDS]));

// ── scoring ──────────────────────────────────────────────────────────────────
interface Counts { tp: number; fp: number; fn: number; gold: number; pred: number }
const blank = (): Counts => ({ tp: 0, fp: 0, fn: 0, gold: 0, pred: 0 });
const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && b.start < a.end;

const perType = new Map<EntityType, Counts>();
const perFoldType = Array.from({ length: FOLDS }, () => new Map<EntityType, Counts>());
const confusion = new Map<string, number>();
const errors: Array<{ kind: 'FN' | 'FP'; type: EntityType; value: string; text: string }> = [];
let negativeWithEntity = 0;
let negativeNotAllowed = 0;
const bump = (m: Map<EntityType, Counts>, t: EntityType) => {
  let c = m.get(t);
  if (!c) m.set(t, (c = blank()));
  return c;
};

const t0 = performance.now();
const predsPerSample: Entity[][] = [];
for (const s of samples) {
  const preds = scanPatterns(s.text);
  predsPerSample.push(preds);
  const fold = perFoldType[foldOf.get(s.template)!];
  for (const g of s.gold) {
    const hit = preds.some((p) => p.type === g.type && overlaps(p, g));
    for (const m of [perType, fold]) {
      const c = bump(m, g.type);
      c.gold++;
      if (hit) c.tp++;
      else c.fn++;
    }
    if (!hit) {
      const other = preds.find((p) => overlaps(p, g));
      if (other) confusion.set(`${g.type}→${other.type}`, (confusion.get(`${g.type}→${other.type}`) ?? 0) + 1);
      if (errors.filter((e) => e.kind === 'FN' && e.type === g.type).length < 3) errors.push({ kind: 'FN', type: g.type, value: g.text, text: s.text });
    }
  }
  for (const p of preds) {
    const ok = s.gold.some((g) => g.type === p.type && overlaps(p, g));
    for (const m of [perType, fold]) {
      const c = bump(m, p.type);
      c.pred++;
      if (!ok) c.fp++;
    }
    if (!ok && errors.filter((e) => e.kind === 'FP' && e.type === p.type).length < 3) errors.push({ kind: 'FP', type: p.type, value: p.text, text: s.text });
  }
  if (s.negative) {
    if (preds.length > 0) negativeWithEntity++;
    if (assessPrivacy(preds, { mode: 'balanced' }).action !== 'allow') negativeNotAllowed++;
  }
}
const scanMs = performance.now() - t0;

function metrics(c: Counts) {
  const precision = c.pred === 0 ? (c.gold === 0 ? 1 : 0) : (c.pred - c.fp) / c.pred;
  const recall = c.gold === 0 ? 1 : c.tp / c.gold;
  const f2 = precision + recall === 0 ? 0 : (5 * precision * recall) / (4 * precision + recall);
  return { precision: round(precision), recall: round(recall), f2: round(f2), support: c.gold, predicted: c.pred };
}
function round(x: number) {
  return Math.round(x * 1000) / 1000;
}

// ── leak check: raw never-sendable values in the cloud text ─────────────────
const MODES: Mode[] = ['privacy-first', 'balanced', 'performance-first'];
const compact = (s: string) => s.normalize('NFKC').replace(/[^0-9A-Za-z]/g, '').toUpperCase();
let leaks = 0;
let nsValues = 0;
let blocked = 0;
const leakExamples: string[] = [];
samples.forEach((s, i) => {
  const ns = s.gold.filter((g) => NEVER_SENDABLE.has(g.type));
  for (const mode of MODES) {
    const preds = predsPerSample[i];
    const a = assessPrivacy(preds, { mode });
    const cloud = buildCloudText(s.text, preds, a, new Pseudonymizer());
    nsValues += ns.length;
    if (cloud === null) {
      blocked += ns.length;
      continue;
    }
    const cloudCompact = compact(cloud);
    for (const g of ns) {
      const raw = cloud.includes(g.text);
      const c = compact(g.text);
      const viaCompact = c.length >= 6 && cloudCompact.includes(c);
      if (raw || viaCompact) {
        leaks++;
        if (leakExamples.length < 5) leakExamples.push(`[${mode}] ${g.type} ${JSON.stringify(g.text)} in ${JSON.stringify(cloud)}`);
      }
    }
  }
});

// ── report ───────────────────────────────────────────────────────────────────
const STRUCTURED: EntityType[] = ['CREDIT_CARD', 'IBAN', 'US_SSN', 'NATIONAL_ID', 'EMAIL', 'PHONE', 'IP_ADDRESS', 'SECRET'];
const types = [...perType.keys()].sort();
const overall = Object.fromEntries(types.map((t) => [t, metrics(perType.get(t)!)]));
const folds = perFoldType.map((m, i) => ({
  fold: i,
  templates: templateIds.filter((t) => foldOf.get(t) === i).length,
  structured: Object.fromEntries(STRUCTURED.filter((t) => m.has(t)).map((t) => [t, metrics(m.get(t)!)])),
}));
const goals = Object.fromEntries(
  STRUCTURED.map((t) => {
    const m = overall[t];
    const minRecall = Math.min(...folds.map((f) => f.structured[t]?.recall ?? 1));
    const minPrecision = Math.min(...folds.map((f) => f.structured[t]?.precision ?? 1));
    return [t, { recall: m.recall, precision: m.precision, minFoldRecall: minRecall, minFoldPrecision: minPrecision, met: m.recall >= 0.99 && m.precision >= 0.95 }];
  }),
);
const report = {
  seed,
  samples: samples.length,
  positives: samples.filter((s) => !s.negative).length,
  negatives: samples.filter((s) => s.negative).length,
  templates: TEMPLATES.length + NEGATIVES.length,
  folds: FOLDS,
  matching: 'span overlap with the same type (patterns only, no NER)',
  perType: overall,
  perFold: folds,
  structuredGoals: goals,
  negatives_: { withAnyEntity: negativeWithEntity, notAllowedInBalanced: negativeNotAllowed },
  confusions: Object.fromEntries([...confusion].sort((a, b) => b[1] - a[1])),
  leakCheck: { modes: MODES, neverSendableValueChecks: nsValues, blockedLocalOnly: blocked, rawValuesInCloudText: leaks, examples: leakExamples },
  errorExamples: errors,
  scanMsPerSample: round(scanMs / samples.length),
};

// ── --file: a labeled JSONL of {text, spans: [{start, end, type}]} ─────────────
// Types are ours (EntityType); common Presidio names are accepted too
// (IBAN_CODE, PHONE_NUMBER, EMAIL_ADDRESS, and any country-specific
// "XX_…" ID → NATIONAL_ID). A line with no spans is a negative: it counts as
// flagged when a never-sendable value is found in it.
const ALIASES: Record<string, EntityType> = { IBAN_CODE: 'IBAN', PHONE_NUMBER: 'PHONE', EMAIL_ADDRESS: 'EMAIL', IP_ADDRESS: 'IP_ADDRESS', US_BANK_NUMBER: 'BANK_ACCOUNT', US_PASSPORT: 'PASSPORT' };
const OURS = new Set<string>(['PERSON', 'LOCATION', 'ADDRESS', 'POSTCODE', 'ORGANIZATION', 'EMAIL', 'PHONE', 'US_SSN', 'UK_NINO', 'NATIONAL_ID', 'PASSPORT', 'CREDIT_CARD', 'IBAN', 'BANK_ACCOUNT', 'ABA_ROUTING', 'IP_ADDRESS', 'DATE_OF_BIRTH', 'SECRET', 'HEALTH', 'FINANCE', 'AGE', 'AMOUNT']);
function ourType(t: string): EntityType | null {
  if (OURS.has(t)) return t as EntityType;
  if (ALIASES[t]) return ALIASES[t];
  if (/^[A-Z]{2}_[A-Z_]+$/.test(t)) return 'NATIONAL_ID';
  return null;
}
interface FileReport { file: string; lines: number; positives: number; negatives: number; perType: Record<string, ReturnType<typeof metrics>>; negativesFlagged: number; errors: string[] }
function evalFile(path: string): FileReport {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (err) {
    console.error(`Cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  }
  const counts = new Map<EntityType, Counts>();
  const errs: string[] = [];
  let lines = 0, positives = 0, negatives = 0, negativesFlagged = 0;
  raw.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let row: { text?: unknown; spans?: unknown };
    try {
      row = JSON.parse(line);
    } catch {
      console.error(`${path}:${i + 1}: not JSON — skipped`);
      return;
    }
    if (typeof row.text !== 'string' || !Array.isArray(row.spans)) {
      console.error(`${path}:${i + 1}: needs {"text": string, "spans": [...]} — skipped`);
      return;
    }
    lines++;
    const text = row.text;
    const gold = (row.spans as Array<{ start: number; end: number; type?: string; label?: string }>)
      .map((g) => ({ start: g.start, end: g.end, type: ourType(String(g.type ?? g.label ?? '')) }))
      .filter((g): g is { start: number; end: number; type: EntityType } => g.type !== null);
    const preds = scanPatterns(text);
    if (gold.length === 0) {
      negatives++;
      const flagged = preds.filter((p) => NEVER_SENDABLE.has(p.type));
      if (flagged.length) {
        negativesFlagged++;
        if (errs.length < 20) errs.push(`FP ${flagged.map((p) => `${p.type}:${JSON.stringify(p.text)}`).join(', ')} in ${JSON.stringify(text)}`);
      }
    } else positives++;
    const goldTypes = new Set(gold.map((g) => g.type));
    for (const g of gold) {
      const c = bump(counts, g.type);
      c.gold++;
      if (preds.some((p) => p.type === g.type && overlaps(p, g))) c.tp++;
      else {
        c.fn++;
        if (errs.length < 20) errs.push(`FN ${g.type} ${JSON.stringify(text.slice(g.start, g.end))} in ${JSON.stringify(text)}`);
      }
    }
    // Precision over the types the file labels (a file about IDs says nothing about names).
    for (const p of preds) {
      if (!goldTypes.has(p.type) && gold.length > 0) continue;
      if (gold.length === 0 && !NEVER_SENDABLE.has(p.type)) continue;
      const c = bump(counts, p.type);
      c.pred++;
      if (!gold.some((g) => g.type === p.type && overlaps(p, g))) c.fp++;
    }
  });
  const perType = Object.fromEntries([...counts.keys()].sort().map((t) => [t, metrics(counts.get(t)!)]));
  return { file: path, lines, positives, negatives, perType, negativesFlagged, errors: errs };
}
const fileReport = file ? evalFile(file) : null;

if (json) {
  console.log(JSON.stringify(fileReport ? { ...report, file: fileReport } : report, null, 2));
} else {
  const pad = (s: string | number, n: number) => String(s).padEnd(n);
  const lpad = (s: string | number, n: number) => String(s).padStart(n);
  console.log(`Privacy recognizers — synthetic eval (seed ${seed}, ${report.samples} samples: ${report.positives} positive, ${report.negatives} negative; ${report.templates} templates in ${FOLDS} folds by template)`);
  console.log(`Matching: ${report.matching}\n`);
  console.log(`${pad('type', 15)}${lpad('support', 8)}${lpad('pred', 7)}${lpad('precision', 11)}${lpad('recall', 8)}${lpad('F2', 7)}`);
  for (const t of types) {
    const m = overall[t];
    console.log(`${pad(t, 15)}${lpad(m.support, 8)}${lpad(m.predicted, 7)}${lpad(m.precision.toFixed(3), 11)}${lpad(m.recall.toFixed(3), 8)}${lpad(m.f2.toFixed(3), 7)}`);
  }
  console.log('\nStructured types — goal recall ≥ 0.99 and precision ≥ 0.95 (worst fold in brackets):');
  for (const t of STRUCTURED) {
    const g = goals[t];
    console.log(`  ${pad(t, 12)} recall ${g.recall.toFixed(3)} [${g.minFoldRecall.toFixed(3)}]  precision ${g.precision.toFixed(3)} [${g.minFoldPrecision.toFixed(3)}]  ${g.met ? 'met' : 'NOT met'}`);
  }
  console.log(`\nNegative sentences with any entity: ${negativeWithEntity}/${report.negatives}; not 'allow' in balanced mode: ${negativeNotAllowed}`);
  if (confusion.size) console.log(`Type confusions (gold→predicted): ${[...confusion].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  console.log(`\nLeak check (${MODES.join(', ')}): ${leaks} raw never-sendable values in cloud text (goal 0); ${blocked}/${nsValues} value checks blocked as local-only`);
  for (const e of leakExamples) console.log(`  ${e}`);
  if (errors.length) {
    console.log('\nExamples of misses (FN) and false positives (FP):');
    for (const e of errors.slice(0, 30)) console.log(`  ${e.kind} ${pad(e.type, 14)} ${JSON.stringify(e.value)}  in ${JSON.stringify(e.text)}`);
  }
  console.log(`\nScan time: ${report.scanMsPerSample} ms per sample`);
}
if (!json && fileReport) {
  const pad = (x: string | number, n: number) => String(x).padEnd(n);
  const lpad = (x: string | number, n: number) => String(x).padStart(n);
  console.log(`\n── ${fileReport.file}: ${fileReport.lines} lines (${fileReport.positives} with spans, ${fileReport.negatives} without)`);
  console.log(`${pad('type', 15)}${lpad('support', 8)}${lpad('pred', 7)}${lpad('precision', 11)}${lpad('recall', 8)}`);
  for (const [t, m] of Object.entries(fileReport.perType)) {
    console.log(`${pad(t, 15)}${lpad(m.support, 8)}${lpad(m.predicted, 7)}${lpad(m.precision.toFixed(3), 11)}${lpad(m.recall.toFixed(3), 8)}`);
  }
  console.log(`Lines without spans flagged with a never-sendable value: ${fileReport.negativesFlagged}/${fileReport.negatives}`);
  for (const e of fileReport.errors) console.log(`  ${e}`);
}
