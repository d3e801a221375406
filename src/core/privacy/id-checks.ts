// Check-digit algorithms and birth-date rules of national identifiers.
// Pure functions over the value as matched (separators allowed: only the
// digits / letters that matter are read). Each returns true for a valid ID.
import { luhnValid, plausibleDate } from './validators';

const digits = (s: string) => s.replace(/[^0-9]/g, '');
const alnum = (s: string) => s.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
const num = (s: string, i: number) => s.charCodeAt(i) - 48;
const allSame = (s: string) => /^(.)\1*$/.test(s);

/** Σ d[i]·w[i] over the first w.length digits. */
function weighted(d: string, w: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < w.length; i++) sum += num(d, i) * w[i];
  return sum;
}

// ── Verhoeff (Aadhaar) ───────────────────────────────────────────────────────
const V_D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const V_P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];
export function verhoeffValid(d: string): boolean {
  let c = 0;
  for (let i = 0; i < d.length; i++) c = V_D[c][V_P[i % 8][num(d, d.length - 1 - i)]];
  return c === 0;
}

/** India Aadhaar: 12 digits, first 2–9, not a palindrome-ish repeat, Verhoeff. */
export function aadhaarValid(raw: string): boolean {
  const d = digits(raw);
  return d.length === 12 && d[0] >= '2' && !allSame(d) && verhoeffValid(d);
}

/** Korea RRN / FRN: YYMMDD-SNNNNNC. Date + century/sex digit; the check digit (pre-2020 numbers) is a bonus. */
export function krRrnCheck(raw: string): 'valid' | 'date-only' | false {
  const d = digits(raw);
  if (d.length !== 13 || allSame(d)) return false;
  const s = num(d, 6);
  if (s === 0 || s === 9) return false; // born in the 1800s: not a living person's number
  const century = s === 9 || s === 0 ? 1800 : s <= 2 || s === 5 || s === 6 ? 1900 : 2000;
  if (!plausibleDate(century + Number(d.slice(0, 2)), Number(d.slice(2, 4)), Number(d.slice(4, 6)))) return false;
  const w = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];
  const c = (11 - (weighted(d, w) % 11)) % 10;
  if (c === num(d, 12)) return 'valid';
  // Since Oct 2020 RRNs carry no check digit; foreigners' numbers (5–8) always did.
  return s <= 4 ? 'date-only' : false;
}

/** Türkiye T.C. Kimlik No: 11 digits, first ≠ 0, two check digits. */
export function trTcknValid(raw: string): boolean {
  const d = digits(raw);
  if (d.length !== 11 || d[0] === '0') return false;
  const odd = num(d, 0) + num(d, 2) + num(d, 4) + num(d, 6) + num(d, 8);
  const even = num(d, 1) + num(d, 3) + num(d, 5) + num(d, 7);
  if ((((odd * 7 - even) % 10) + 10) % 10 !== num(d, 9)) return false;
  let s = 0;
  for (let i = 0; i < 10; i++) s += num(d, i);
  return s % 10 === num(d, 10);
}

/** Poland PESEL: 11 digits, YYMMDD with the century in the month, weights 1-3-7-9. */
export function plPeselValid(raw: string): boolean {
  const d = digits(raw);
  if (d.length !== 11 || allSame(d)) return false;
  const c = (10 - (weighted(d, [1, 3, 7, 9, 1, 3, 7, 9, 1, 3]) % 10)) % 10;
  if (c !== num(d, 10)) return false;
  let m = Number(d.slice(2, 4));
  const base = [1900, 2000, 2100, 2200, 1800][Math.floor(m / 20)];
  m %= 20;
  const y = base + Number(d.slice(0, 2));
  return plausibleDate(y, m, Number(d.slice(4, 6))) || (y >= 2101 && m >= 1 && m <= 12);
}

/** Poland NIP (tax ID): 10 digits, weights 6-5-7-2-3-4-5-6-7 mod 11. */
export function plNipValid(raw: string): boolean {
  const d = digits(raw);
  if (d.length !== 10 || allSame(d)) return false;
  const c = weighted(d, [6, 5, 7, 2, 3, 4, 5, 6, 7]) % 11;
  return c !== 10 && c === num(d, 9);
}

/** Netherlands BSN: 9 digits (8 with a leading 0 dropped), 11-proof with −1 for the last digit. */
export function nlBsnValid(raw: string): boolean {
  let d = digits(raw);
  if (d.length === 8) d = '0' + d;
  if (d.length !== 9 || allSame(d)) return false;
  const s = weighted(d, [9, 8, 7, 6, 5, 4, 3, 2]) - num(d, 8);
  return s % 11 === 0 && s !== 0;
}

const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';
/** Spain DNI (8 digits + letter) and NIE (X/Y/Z + 7 digits + letter): letter = number mod 23. */
export function esDniNieValid(raw: string): boolean {
  const s = alnum(raw);
  let m = /^(\d{7,8})([A-Z])$/.exec(s); // a leading 0 is often dropped
  if (m) return DNI_LETTERS[Number(m[1]) % 23] === m[2];
  m = /^([XYZ])(\d{7})([A-Z])$/.exec(s);
  if (m) return DNI_LETTERS[Number('XYZ'.indexOf(m[1]) + m[2]) % 23] === m[3];
  return false;
}

/** Brazil CPF: 11 digits, two mod-11 check digits, not all the same digit. */
export function brCpfValid(raw: string): boolean {
  const d = digits(raw);
  if (d.length !== 11 || allSame(d)) return false;
  for (const n of [9, 10]) {
    let s = 0;
    for (let i = 0; i < n; i++) s += num(d, i) * (n + 1 - i);
    const c = ((s * 10) % 11) % 10;
    if (c !== num(d, n)) return false;
  }
  return true;
}

/** Canada SIN: 9 digits, Luhn, first digit not 0 or 8 (reserved). */
export function caSinValid(raw: string): boolean {
  const d = digits(raw);
  return d.length === 9 && d[0] !== '0' && d[0] !== '8' && !allSame(d) && luhnValid(d);
}

/** China resident ID: 17 digits + check (0–9 or X), ISO 7064 MOD 11-2, birth date YYYYMMDD. */
export function cnRicValid(raw: string): boolean {
  const s = alnum(raw);
  if (!/^\d{17}[0-9X]$/.test(s)) return false;
  if (!plausibleDate(Number(s.slice(6, 10)), Number(s.slice(10, 12)), Number(s.slice(12, 14)))) return false;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  return '10X98765432'[weighted(s, w) % 11] === s[17];
}

/** Sweden personnummer / samordningsnummer: (YY)YYMMDD[-+]NNNC, Luhn over the last 10 digits. */
export function sePersonnummerValid(raw: string): boolean {
  let d = digits(raw);
  let y: number;
  if (d.length === 12) {
    y = Number(d.slice(0, 4));
    d = d.slice(2);
  } else if (d.length === 10) {
    y = 1900 + Number(d.slice(0, 2));
  } else return false;
  let day = Number(d.slice(4, 6));
  if (day > 60) day -= 60; // samordningsnummer
  const dateOk = plausibleDate(y, Number(d.slice(2, 4)), day) || plausibleDate(y + 100, Number(d.slice(2, 4)), day);
  return dateOk && luhnValid(d);
}

/** Singapore NRIC / FIN: [STFGM] + 7 digits + check letter. */
export function sgNricValid(raw: string): boolean {
  const s = alnum(raw);
  const m = /^([STFGM])(\d{7})([A-Z])$/.exec(s);
  if (!m) return false;
  let sum = weighted(m[2], [2, 7, 6, 5, 4, 3, 2]);
  if (m[1] === 'T' || m[1] === 'G') sum += 4;
  if (m[1] === 'M') sum += 3;
  const table = m[1] === 'S' || m[1] === 'T' ? 'JZIHGFEDCBA' : m[1] === 'M' ? 'KLJNPQRTUWX' : 'XWUTRQPNMLK';
  const i = sum % 11;
  return (m[1] === 'M' ? table[10 - i] : table[i]) === m[3];
}

/** France NIR (numéro de sécurité sociale): 13 characters (Corsica 2A/2B) + key = 97 − (n mod 97). */
export function frNirValid(raw: string): boolean {
  const s = alnum(raw);
  const m = /^([12378])(\d{2})(\d{2})(\d{2}|2A|2B)(\d{3})(\d{3})(\d{2})$/.exec(s);
  if (!m) return false;
  const month = Number(m[3]);
  if (!((month >= 1 && month <= 12) || (month >= 20 && month <= 42) || month >= 50)) return false;
  let body = s.slice(0, 13);
  // Corsica: 2A counts as 19, 2B as 18.
  if (m[4] === '2A') body = body.slice(0, 5) + '19' + body.slice(7);
  if (m[4] === '2B') body = body.slice(0, 5) + '18' + body.slice(7);
  let rem = 0;
  for (let i = 0; i < body.length; i++) rem = (rem * 10 + num(body, i)) % 97;
  return 97 - rem === Number(m[7]);
}

/** Australia TFN: 8 or 9 digits, weighted sum mod 11 = 0. */
export function auTfnValid(raw: string): boolean {
  const d = digits(raw);
  if (allSame(d)) return false;
  if (d.length === 9) return weighted(d, [1, 4, 3, 7, 5, 8, 6, 9, 10]) % 11 === 0;
  if (d.length === 8) return weighted(d, [10, 7, 8, 4, 6, 3, 5, 1]) % 11 === 0;
  return false;
}

/** Australia ABN: 11 digits, first digit − 1, weights 10-1-3-…-19 mod 89 = 0. */
export function auAbnValid(raw: string): boolean {
  const d = digits(raw);
  if (d.length !== 11 || d[0] === '0') return false;
  const w = [10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19];
  let s = (num(d, 0) - 1) * w[0];
  for (let i = 1; i < 11; i++) s += num(d, i) * w[i];
  return s % 89 === 0;
}

/** Australia ACN: 9 digits, weights 8…1, check = (10 − s mod 10) mod 10. */
export function auAcnValid(raw: string): boolean {
  const d = digits(raw);
  if (d.length !== 9 || allSame(d)) return false;
  return (10 - (weighted(d, [8, 7, 6, 5, 4, 3, 2, 1]) % 10)) % 10 === num(d, 8);
}

/** Australia Medicare card: 10 (or 11 with the issue number) digits, first 2–6, weights 1-3-7-9. */
export function auMedicareValid(raw: string): boolean {
  const d = digits(raw);
  if ((d.length !== 10 && d.length !== 11) || d[0] < '2' || d[0] > '6') return false;
  return weighted(d, [1, 3, 7, 9, 1, 3, 7, 9]) % 10 === num(d, 8);
}

/** UK NHS number: 10 digits, weights 10…2, check = 11 − s mod 11 (11 → 0, 10 invalid). */
export function ukNhsValid(raw: string): boolean {
  const d = digits(raw);
  if (d.length !== 10 || allSame(d)) return false;
  let c = 11 - (weighted(d, [10, 9, 8, 7, 6, 5, 4, 3, 2]) % 11);
  if (c === 11) c = 0;
  return c !== 10 && c === num(d, 9);
}

const HETU_CHECK = '0123456789ABCDEFHJKLMNPRSTUVWXY';
const HETU_CENTURY: Record<string, number> = {
  '+': 1800, '-': 1900, Y: 1900, X: 1900, W: 1900, V: 1900, U: 1900,
  A: 2000, B: 2000, C: 2000, D: 2000, E: 2000, F: 2000,
};
/** Finland HETU: DDMMYY + century sign + NNN + check (number mod 31). */
export function fiHetuValid(raw: string): boolean {
  const s = raw.toUpperCase().replace(/[\s./_,]+/g, '').replace(/-+/g, '-');
  const m = /^(\d{2})(\d{2})(\d{2})([-+A-FU-Y])(\d{3})([0-9A-Y])$/.exec(s);
  if (!m) return false;
  if (!plausibleDate(HETU_CENTURY[m[4]] + Number(m[3]), Number(m[2]), Number(m[1]))) return false;
  return HETU_CHECK[Number(m[1] + m[2] + m[3] + m[5]) % 31] === m[6];
}

/** US ITIN: 9XX-GG-NNNN with group 50–65, 70–88, 90–92, 94–99. */
export function usItinValid(raw: string): boolean {
  const d = digits(raw);
  if (d.length !== 9 || d[0] !== '9') return false;
  const g = Number(d.slice(3, 5));
  return (g >= 50 && g <= 65) || (g >= 70 && g <= 88) || (g >= 90 && g <= 92) || (g >= 94 && g <= 99);
}

/** Japan My Number (個人番号): 12 digits, mod-11 check digit. */
export function jpMyNumberValid(raw: string): boolean {
  const d = digits(raw);
  if (d.length !== 12 || allSame(d)) return false;
  let s = 0;
  for (let n = 1; n <= 11; n++) s += num(d, 11 - n) * (n <= 6 ? n + 1 : n - 5);
  const r = s % 11;
  return (r <= 1 ? 0 : 11 - r) === num(d, 11);
}

const CF_ODD: Record<string, number> = {
  0: 1, 1: 0, 2: 5, 3: 7, 4: 9, 5: 13, 6: 15, 7: 17, 8: 19, 9: 21,
  A: 1, B: 0, C: 5, D: 7, E: 9, F: 13, G: 15, H: 17, I: 19, J: 21, K: 2, L: 4, M: 18,
  N: 20, O: 11, P: 3, Q: 6, R: 8, S: 12, T: 14, U: 16, V: 10, W: 22, X: 25, Y: 24, Z: 23,
};
const CF_OMOCODE = 'LMNPQRSTUV';
/** Italy codice fiscale: 16 chars, month letter, day (+40 for women), check letter (omocodia allowed). */
export function itFiscalCodeValid(raw: string): boolean {
  const s = alnum(raw);
  if (!/^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/.test(s)) return false;
  const dd = s.slice(9, 11).replace(/[LMNPQRSTUV]/g, (c) => String(CF_OMOCODE.indexOf(c)));
  const day = Number(dd) > 40 ? Number(dd) - 40 : Number(dd);
  if (day < 1 || day > 31) return false;
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const c = s[i];
    if (i % 2 === 0) sum += CF_ODD[c];
    else sum += c >= '0' && c <= '9' ? num(c, 0) : c.charCodeAt(0) - 65;
  }
  return String.fromCharCode(65 + (sum % 26)) === s[15];
}

/** Thailand national ID (TNIN): 13 digits, first 1–8, weights 13…2, check = (11 − s mod 11) mod 10. */
export function thTninValid(raw: string): boolean {
  const d = digits(raw);
  if (d.length !== 13 || d[0] === '0' || d[0] === '9' || d[1] === '0') return false;
  // Province codes never issued (as in Presidio's TNIN rules).
  if (['28', '29', '59', '68', '69', '78', '79', '87', '88', '89', '97', '98', '99'].includes(d.slice(1, 3))) return false;
  const c = (11 - (weighted(d, [13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2]) % 11)) % 10;
  return c === num(d, 12);
}

/** Germany Steuer-ID: 11 digits, first ≠ 0, ISO 7064 MOD 11,10, one digit twice or thrice. */
export function deTaxIdValid(raw: string): boolean {
  const d = digits(raw);
  if (d.length !== 11 || d[0] === '0') return false;
  const counts = new Map<string, number>();
  for (const c of d.slice(0, 10)) counts.set(c, (counts.get(c) ?? 0) + 1);
  const maxRep = Math.max(...counts.values());
  if (maxRep < 2 || maxRep > 3) return false;
  let p = 10;
  for (let i = 0; i < 10; i++) {
    let s = (num(d, i) + p) % 10;
    if (s === 0) s = 10;
    p = (s * 2) % 11;
  }
  let c = 11 - p;
  if (c === 10) c = 0;
  return c === num(d, 10);
}

/** Russia SNILS: 11 digits, weights 9…1 on the first 9, check = s mod 101 (100 → 00). */
export function ruSnilsValid(raw: string): boolean {
  const d = digits(raw);
  if (d.length !== 11 || allSame(d.slice(0, 9))) return false;
  let s = weighted(d, [9, 8, 7, 6, 5, 4, 3, 2, 1]) % 101;
  if (s === 100) s = 0;
  return s === Number(d.slice(9));
}

/** Russia INN (personal, 12 digits; organisation, 10 digits). */
export function ruInnValid(raw: string): boolean {
  const d = digits(raw);
  const chk = (w: number[]) => (weighted(d, w) % 11) % 10;
  if (d.length === 10) return chk([2, 4, 10, 3, 5, 9, 4, 6, 8]) === num(d, 9);
  if (d.length === 12) {
    return chk([7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) === num(d, 10) && chk([3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) === num(d, 11);
  }
  return false;
}

const PAN_HOLDER = 'PCHFATBLJG';
/** India PAN: AAAAA9999A, 4th letter = holder type. */
export function inPanValid(raw: string): boolean {
  const s = alnum(raw);
  return /^[A-Z]{3}[A-Z][A-Z]\d{4}[A-Z]$/.test(s) && PAN_HOLDER.includes(s[3]) && !/0000/.test(s.slice(5, 9));
}

/** South Africa ID: YYMMDD SSSS C A Z, Luhn over 13 digits, citizenship 0–2. */
export function zaIdValid(raw: string): boolean {
  const d = digits(raw);
  if (d.length !== 13 || num(d, 10) > 2) return false;
  const yy = Number(d.slice(0, 2));
  const ok = plausibleDate(1900 + yy, Number(d.slice(2, 4)), Number(d.slice(4, 6))) || plausibleDate(2000 + yy, Number(d.slice(2, 4)), Number(d.slice(4, 6)));
  return ok && luhnValid(d);
}
