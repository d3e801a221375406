// Checksums and structural rules used by the recognizers. Pure functions.

export function digitsOnly(s: string): string {
  return s.replace(/\D+/g, '');
}

/** Luhn (mod 10) check over a string of digits. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits) || digits.length < 2) return false;
  let sum = 0;
  let dbl = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    dbl = !dbl;
  }
  return sum % 10 === 0;
}

/**
 * Card issuer (IIN) sanity: the prefix must belong to a known scheme and the
 * length must be one that scheme issues.
 */
export function cardIinPlausible(digits: string): boolean {
  const len = digits.length;
  if (len < 13 || len > 19) return false;
  const p2 = Number(digits.slice(0, 2));
  const p3 = Number(digits.slice(0, 3));
  const p4 = Number(digits.slice(0, 4));
  const p6 = Number(digits.slice(0, 6));
  const d1 = digits[0];
  // Visa
  if (d1 === '4') return len === 13 || len === 16 || len === 19;
  // Mastercard 51–55, 2221–2720
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return len === 16;
  // American Express
  if (p2 === 34 || p2 === 37) return len === 15;
  // Diners Club
  if ((p3 >= 300 && p3 <= 305) || p2 === 36 || p2 === 38 || p2 === 39) return len >= 14 && len <= 19;
  // Discover / RuPay 60, 65, 644–649, 622126–622925
  if (p4 === 6011 || p2 === 65 || (p3 >= 644 && p3 <= 649) || (p6 >= 622126 && p6 <= 622925)) {
    return len >= 16 && len <= 19;
  }
  // JCB 3528–3589
  if (p4 >= 3528 && p4 <= 3589) return len >= 16 && len <= 19;
  // UnionPay 62, 81
  if (p2 === 62 || p2 === 81) return len >= 16 && len <= 19;
  // Maestro 50, 56–69 (also 6759, 6761…)
  if (p2 === 50 || (p2 >= 56 && p2 <= 69)) return len >= 12 && len <= 19;
  // UATP / AirPlus 1…, 15 digits
  if (d1 === '1') return len === 15;
  // Mir 2200–2204
  if (p4 >= 2200 && p4 <= 2204) return len >= 16 && len <= 19;
  return false;
}

export function creditCardValid(raw: string): boolean {
  const d = digitsOnly(raw);
  if (/^(\d)\1+$/.test(d)) return false;
  return cardIinPlausible(d) && luhnValid(d);
}

/** IBAN lengths per country (SWIFT IBAN registry). */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27,
  BR: 29, BY: 28, CH: 21, CR: 22, CY: 28, CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28,
  EE: 20, EG: 29, ES: 24, FI: 18, FK: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23,
  GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27,
  JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20, LV: 21, LY: 25,
  MC: 27, MD: 24, ME: 22, MK: 19, MN: 20, MR: 27, MT: 31, MU: 30, NI: 28, NL: 18,
  NO: 15, OM: 23, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, RU: 33,
  SA: 24, SC: 31, SD: 18, SE: 24, SI: 19, SK: 24, SM: 27, SO: 23, ST: 25, SV: 28,
  TL: 23, TN: 24, TR: 26, UA: 29, VA: 22, VG: 24, XK: 20, YE: 30,
};

/** ISO 7064 mod 97-10 over an alphanumeric string (letters A=10 … Z=35). */
export function mod97(s: string): number {
  let rem = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      rem = (rem * 10 + (c - 48)) % 97;
    } else if (c >= 65 && c <= 90) {
      rem = (rem * 100 + (c - 55)) % 97;
    } else {
      return -1;
    }
  }
  return rem;
}

/** Validate a compact (no separators) IBAN. */
export function ibanValid(raw: string): boolean {
  const s = raw.replace(/[\s-]+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(s)) return false;
  const len = IBAN_LENGTHS[s.slice(0, 2)];
  if (!len || s.length !== len) return false;
  return mod97(s.slice(4) + s.slice(0, 4)) === 1;
}

/** ABA routing number checksum (weights 3-7-1) and Federal Reserve prefix. */
export function abaValid(raw: string): boolean {
  const d = digitsOnly(raw);
  if (d.length !== 9 || /^(\d)\1+$/.test(d)) return false;
  const p = Number(d.slice(0, 2));
  const prefixOk = (p >= 0 && p <= 12) || (p >= 21 && p <= 32) || (p >= 61 && p <= 72) || p === 80;
  if (!prefixOk) return false;
  const n = (i: number) => d.charCodeAt(i) - 48;
  const sum = 3 * (n(0) + n(3) + n(6)) + 7 * (n(1) + n(4) + n(7)) + (n(2) + n(5) + n(8));
  return sum % 10 === 0;
}

const SSN_INVALID = new Set([
  '078051120', // Woolworth wallet card
  '219099999', // SSA advertisement
  '123456789',
  '987654320', '987654321', '987654322', '987654323', '987654324',
  '987654325', '987654326', '987654327', '987654328', '987654329', // reserved for ads
]);

/** US SSN structural rules (post-2011 randomization rules still exclude these). */
export function ssnValid(raw: string): boolean {
  const d = digitsOnly(raw);
  if (d.length !== 9) return false;
  const area = d.slice(0, 3);
  const group = d.slice(3, 5);
  const serial = d.slice(5);
  if (area === '000' || area === '666' || area[0] === '9') return false;
  if (group === '00' || serial === '0000') return false;
  if (/^(\d)\1+$/.test(d)) return false;
  if (SSN_INVALID.has(d)) return false;
  return true;
}

/**
 * UK National Insurance number: two prefix letters (first not D F I Q U V,
 * second not D F I O Q U V; BG GB KN NK NT TN ZZ never issued), six digits,
 * suffix A–D.
 */
export function ninoValid(raw: string): boolean {
  const s = raw.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{6}[A-D]$/.test(s)) return false;
  const a = s[0];
  const b = s[1];
  if ('DFIQUV'.includes(a)) return false;
  if ('DFIOQUV'.includes(b)) return false;
  if (['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ'].includes(a + b)) return false;
  return true;
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  if (!s) return 0;
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const n = s.length;
  let h = 0;
  for (const c of counts.values()) {
    const p = c / n;
    h -= p * Math.log2(p);
  }
  return h;
}

/**
 * Is a token a likely random secret? Length ≥ 20, lower + upper + digit
 * classes all present (at least 2 of each), Shannon entropy ≥ 3.6 bits/char,
 * and frequent class switches (random strings switch class often; camelCase
 * identifiers and words do not).
 */
export function looksLikeRandomSecret(tok: string): boolean {
  if (tok.length < 20) return false;
  let lower = 0;
  let upper = 0;
  let digit = 0;
  let switches = 0;
  let prev = -1;
  for (let i = 0; i < tok.length; i++) {
    const c = tok.charCodeAt(i);
    let cls: number;
    if (c >= 97 && c <= 122) { lower++; cls = 0; }
    else if (c >= 65 && c <= 90) { upper++; cls = 1; }
    else if (c >= 48 && c <= 57) { digit++; cls = 2; }
    else cls = 3;
    if (prev !== -1 && cls !== prev) switches++;
    prev = cls;
  }
  if (lower < 2 || upper < 2 || digit < 2) return false;
  if (switches < tok.length / 4) return false;
  return shannonEntropy(tok) >= 3.6;
}

/** Calendar sanity for a day/month/year triple. */
export function plausibleDate(y: number, m: number, d: number): boolean {
  if (!(m >= 1 && m <= 12 && d >= 1 && d <= 31)) return false;
  if (y < 100) y += y > 30 ? 1900 : 2000;
  if (y < 1880 || y > 2100) return false;
  const dim = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= dim[m - 1];
}
