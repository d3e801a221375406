// National identifiers of many countries: type NATIONAL_ID with a `country`.
// Each entry is a shape (on normalized text, where any run of separators
// between digits is already ONE of ` ./_,-`), a real check-digit validator
// (+ birth-date validity where the ID encodes one) and context words in the
// languages where the ID is used.
//
// Scoring: a number whose check digits hold reaches the 0.4 threshold on its
// own (as in Presidio); the weak checks (mod 10 / mod 11 over 8–10 digits,
// which ~1 in 10 random numbers pass) sit right at it, so a negative context
// word ("phone", "order", "call" …) drops them. Company numbers (ACN) and
// tax numbers without a person's birth date (NIP, INN, Steuer-ID) need a
// context word.
import type { PatternSpec, Recognizer } from './types';
import * as C from '../id-checks';

/** No letter/digit/+ before (not a phone's country code), not inside a longer digit sequence. */
const L = '(?<![A-Za-z0-9+]|\\d[ ./_,-])';
/** No letter/digit after, and not a longer digit sequence (a separator then a digit). */
const R = '(?![A-Za-z0-9]|[ ./_,-]\\d)';
/** One optional separator between digit groups. */
const S = '[ ./_,-]?';
/** Any run of separators between a digit and a letter (normalization collapses only digit–digit runs). */
const SX = '[\\s./_,-]*';
/** Exactly n digits with an optional separator between any two of them. */
const dn = (n: number) => `\\d(?:${S}\\d){${n - 1}}`;
/** Groups of the given sizes separated by one (required) separator. */
const grouped = (...sizes: number[]) => sizes.map((k) => `\\d{${k}}`).join('[ ./_,-]');

const re = (src: string, flags = 'g') => new RegExp(`${L}(?:${src})${R}`, flags);
const p = (name: string, src: string, score: number, flags?: string): PatternSpec => ({ name, regex: re(src, flags), score });

/** Words that point at a national ID in general, in many languages. */
export const GENERIC_ID_CONTEXT = [
  'national id', 'national identity', 'id number', 'id no', 'id #', 'id card', 'identity number', 'identity card',
  'identification number', 'personal number', 'personal id', 'citizen id', 'my id', 'ssn', 'social security',
  "numéro d'identité", 'carte d\'identité', 'personalausweis', 'ausweisnummer', 'identitätsnummer', 'documento de identidad',
  'número de identificación', 'cédula', 'carta d\'identità', 'numero identificativo', 'identiteitsnummer',
  'documento', 'identidade', 'kimlik', 'dowód osobisty', 'henkilökortti', '身份证', '身分證', '주민', 'マイナンバー',
  'رقم الهوية', 'الهوية الوطنية', 'पहचान संख्या', 'удостоверение', 'паспорт',
];

const ctx = (...words: string[]) => [...words, ...GENERIC_ID_CONTEXT];
/** Words that say a bare number is something else (phone, order …). */
const NOT_AN_ID = ['phone', 'call', 'called', 'calling', 'calls', 'scam', 'text me', 'sms', 'whatsapp', 'dial', 'ring', 'tel', 'mobile', 'fax', 'order', 'tracking', 'invoice', 'ticket', 'ref', 'reference', 'isbn', 'serial', 'version', 'build'];

export const worldIdRecognizers: Recognizer[] = [
  {
    name: 'in-aadhaar', type: 'NATIONAL_ID', country: 'IN', quick: /\d{4}/,
    patterns: [p('aadhaar-4-4-4', '\\d{4}([ ./_,:-])\\d{4}\\1\\d{4}', 0.6), p('aadhaar', dn(12), 0.45)],
    validate: (v) => C.aadhaarValid(v),
    context: ctx('aadhaar', 'aadhar', 'adhaar', 'aadhaar number', 'uidai', 'uid', 'आधार', 'আধার', 'ஆதார்', 'ఆధార్', 'ಆಧಾರ್', 'ആധാർ', 'આધાર', 'ਆਧਾਰ'),
    negativeContext: NOT_AN_ID,
  },
  {
    name: 'in-pan', type: 'NATIONAL_ID', country: 'IN', quick: /[A-Z]{5}\d/,
    patterns: [p('pan', '[A-Z]{5}\\d{4}[A-Z]', 0.5)],
    validate: (v) => C.inPanValid(v),
    context: ctx('pan', 'pan card', 'pan number', 'permanent account number', 'income tax', 'पैन', 'स्थायी खाता संख्या'),
  },
  {
    name: 'kr-rrn', type: 'NATIONAL_ID', country: 'KR', quick: /\d{6}/,
    patterns: [p('rrn', `\\d{6}${S}[0-9]\\d{6}`, 0.6)],
    validate: (v) => {
      const r = C.krRrnCheck(v);
      return r === false ? false : r === 'valid' ? 0.1 : -0.15;
    },
    context: ctx('주민등록번호', '주민번호', '외국인등록번호', '주민등록', 'rrn', 'resident registration', 'registration number', 'frn', 'alien registration'),
  },
  {
    name: 'tr-tckn', type: 'NATIONAL_ID', country: 'TR', quick: /\d{4}/,
    patterns: [p('tckn', `[1-9]${S}${dn(10)}`, 0.5)],
    validate: (v) => C.trTcknValid(v),
    context: ctx('tc kimlik', 't.c. kimlik', 'kimlik no', 'kimlik numarası', 'kimlik numaram', 'tckn', 'tc no', 't.c.', 'nüfus', 'turkish id'),
  },
  {
    name: 'pl-pesel', type: 'NATIONAL_ID', country: 'PL', quick: /\d{4}/,
    patterns: [p('pesel', dn(11), 0.5)],
    validate: (v) => C.plPeselValid(v),
    context: ctx('pesel', 'numer pesel', 'nr pesel', 'numer ewidencyjny'),
  },
  {
    name: 'pl-nip', type: 'NATIONAL_ID', country: 'PL', quick: /\d{3}/,
    patterns: [p('nip-grouped', '\\d{3}-\\d{3}-\\d{2}-\\d{2}|\\d{3}-\\d{2}-\\d{2}-\\d{3}', 0.45), p('nip', dn(10), 0.2)],
    validate: (v) => C.plNipValid(v),
    context: ['nip', 'numer nip', 'numer identyfikacji podatkowej', 'tax id', 'vat'],
  },
  {
    name: 'nl-bsn', type: 'NATIONAL_ID', country: 'NL', quick: /\d{4}/,
    patterns: [p('bsn-grouped', `${grouped(4, 2, 3)}|${grouped(3, 3, 3)}|${grouped(3, 2, 2, 2)}`, 0.45), p('bsn', `${dn(9)}|${dn(8)}`, 0.4)],
    validate: (v) => C.nlBsnValid(v),
    context: ctx('bsn', 'burgerservicenummer', 'sofinummer', 'sofi-nummer', 'sofi nummer', 'persoonsnummer', 'citizen service number'),
    contextBoost: 0.4,
    negativeContext: NOT_AN_ID,
  },
  {
    name: 'es-dni-nie', type: 'NATIONAL_ID', country: 'ES', quick: /\d{7}/,
    patterns: [p('dni', `\\d{8}${SX}[A-Za-z]`, 0.6), p('dni-7', `\\d{7}${SX}[A-Za-z]`, 0.5), p('nie', `[XYZxyz]${SX}\\d{7}${SX}[A-Za-z]`, 0.6)],
    validate: (v) => C.esDniNieValid(v),
    context: ctx('dni', 'nie', 'nif', 'documento nacional', 'número de identidad', 'numero de identidad', 'identificación', 'extranjero', 'número de identificación fiscal'),
  },
  {
    name: 'br-cpf', type: 'NATIONAL_ID', country: 'BR', quick: /\d{3}/,
    patterns: [p('cpf-grouped', '\\d{3}\\.\\d{3}\\.\\d{3}-\\d{2}', 0.7), p('cpf', dn(11), 0.45)],
    validate: (v) => C.brCpfValid(v),
    context: ctx('cpf', 'cadastro de pessoas físicas', 'cadastro de pessoa física', 'cic'),
  },
  {
    name: 'ca-sin', type: 'NATIONAL_ID', country: 'CA', quick: /\d{3}/,
    patterns: [p('sin-grouped', grouped(3, 3, 3), 0.45), p('sin', dn(9), 0.4)],
    validate: (v) => C.caSinValid(v),
    context: ctx('sin', 'social insurance', 'social insurance number', 'assurance sociale', "numéro d'assurance sociale", 'nas'),
    contextBoost: 0.4,
    negativeContext: NOT_AN_ID,
  },
  {
    name: 'cn-ric', type: 'NATIONAL_ID', country: 'CN', quick: /\d{6}/,
    patterns: [p('cn-ric', `\\d{6}${S}\\d{8}${S}\\d{3}(?:\\d|${SX}[Xx])`, 0.65)],
    validate: (v) => C.cnRicValid(v),
    context: ctx('身份证', '身份证号', '身份证号码', '居民身份证', '公民身份号码', 'resident identity', 'resident id', 'chinese id', 'shenfenzheng'),
  },
  {
    name: 'se-personnummer', type: 'NATIONAL_ID', country: 'SE', quick: /\d{6}/,
    patterns: [p('pnr', '(?:19|20)?\\d{6}[-+]\\d{4}', 0.5), p('pnr-plain', '(?:19|20)?\\d{6}[ ./_,]?\\d{4}', 0.3)],
    validate: (v) => C.sePersonnummerValid(v),
    context: ctx('personnummer', 'personnumret', 'personnr', 'pnr', 'samordningsnummer', 'swedish id'),
  },
  {
    name: 'sg-nric', type: 'NATIONAL_ID', country: 'SG', quick: /[STFGMstfgm]\d{7}/,
    patterns: [p('nric', `[STFGMstfgm]${SX}\\d{7}${SX}[A-Za-z]`, 0.65)],
    validate: (v) => C.sgNricValid(v),
    context: ctx('nric', 'fin', 'ic', 'ic no', 'ic number', 'identity card', 'foreign identification', 'singpass', '身份证'),
  },
  {
    name: 'fr-nir', type: 'NATIONAL_ID', country: 'FR', quick: /\d\d/,
    patterns: [p('nir', `[12378]${S}\\d{2}${S}\\d{2}${S}(?:\\d{2}|2[ABab])${S}\\d{3}${S}\\d{3}${S}\\d{2}`, 0.65)],
    validate: (v) => C.frNirValid(v),
    context: ctx('sécurité sociale', 'securite sociale', 'sécu', 'nir', 'numéro de sécurité sociale', 'insee', 'carte vitale', 'social security'),
  },
  {
    name: 'au-tfn', type: 'NATIONAL_ID', country: 'AU', quick: /\d{3}/,
    patterns: [p('tfn-grouped', grouped(3, 3, 3), 0.45), p('tfn', `${dn(9)}|${dn(8)}`, 0.4)],
    validate: (v) => C.auTfnValid(v),
    context: ctx('tfn', 'tax file number', 'tax file', 'tax file no'),
    contextBoost: 0.4,
    negativeContext: NOT_AN_ID,
  },
  {
    name: 'au-abn', type: 'NATIONAL_ID', country: 'AU', quick: /\d\d/,
    patterns: [p('abn-grouped', grouped(2, 3, 3, 3), 0.55), p('abn', dn(11), 0.4)],
    validate: (v) => C.auAbnValid(v),
    context: ['abn', 'australian business number', 'business number'],
  },
  {
    name: 'au-acn', type: 'NATIONAL_ID', country: 'AU', quick: /\d{3}/,
    patterns: [p('acn-grouped', grouped(3, 3, 3), 0.35), p('acn', dn(9), 0.25)],
    validate: (v) => C.auAcnValid(v),
    context: ['acn', 'australian company number', 'company number'],
    contextBoost: 0.4,
  },
  {
    name: 'au-medicare', type: 'NATIONAL_ID', country: 'AU', quick: /\d{4}/,
    patterns: [p('medicare-grouped', `\\d{4}[ ./_,-]\\d{5}[ ./_,-]\\d(?:${S}\\d)?`, 0.45), p('medicare', `${dn(10)}|${dn(11)}`, 0.4)],
    validate: (v) => C.auMedicareValid(v),
    context: ctx('medicare', 'medicare number', 'medicare card'),
    contextBoost: 0.4,
    negativeContext: NOT_AN_ID,
  },
  {
    name: 'uk-nhs', type: 'NATIONAL_ID', country: 'GB', quick: /\d{3}/,
    patterns: [p('nhs-grouped', grouped(3, 3, 4), 0.45), p('nhs', dn(10), 0.4)],
    validate: (v) => C.ukNhsValid(v),
    context: ctx('nhs', 'nhs number', 'nhs no', 'national health service', 'health service', 'patient number', 'chi number'),
    contextBoost: 0.4,
    negativeContext: NOT_AN_ID,
  },
  {
    name: 'fi-hetu', type: 'NATIONAL_ID', country: 'FI', quick: /\d{6}/,
    patterns: [{ name: 'hetu', regex: new RegExp(`(?<!\\d)\\d{6}${SX}[-+A-FU-Ya-fu-y]${SX}\\d{3}${SX}[0-9A-Ya-y]${R}`, 'g'), score: 0.65 }],
    validate: (v) => C.fiHetuValid(v),
    context: ctx('henkilötunnus', 'henkilotunnus', 'hetu', 'sotu', 'personbeteckning', 'sosiaaliturvatunnus', 'finnish id'),
  },
  {
    name: 'us-itin', type: 'NATIONAL_ID', country: 'US', quick: /9\d\d/,
    patterns: [p('itin-grouped', `9\\d{2}[ ./_,-]\\d{2}[ ./_,-]\\d{4}`, 0.5), p('itin', `9${S}${dn(8)}`, 0.25)],
    validate: (v) => C.usItinValid(v),
    context: ['itin', 'individual taxpayer', 'taxpayer identification', 'taxpayer id', 'tax id', 'tin'],
    contextBoost: 0.4,
  },
  {
    name: 'jp-my-number', type: 'NATIONAL_ID', country: 'JP', quick: /\d{4}/,
    patterns: [p('my-number-grouped', grouped(4, 4, 4), 0.5), p('my-number', dn(12), 0.35)],
    validate: (v) => C.jpMyNumberValid(v),
    context: ctx('マイナンバー', '個人番号', 'マイナンバーカード', 'my number', 'mynumber', 'kojin bango', 'individual number'),
    negativeContext: NOT_AN_ID,
  },
  {
    name: 'it-fiscal-code', type: 'NATIONAL_ID', country: 'IT', quick: /[A-Za-z]{6}\d/,
    patterns: [p('codice-fiscale', '[A-Za-z]{6}[0-9LMNPQRSTUVlmnpqrstuv]{2}[A-Za-z][0-9LMNPQRSTUVlmnpqrstuv]{2}[A-Za-z][0-9LMNPQRSTUVlmnpqrstuv]{3}[A-Za-z]', 0.7)],
    validate: (v) => C.itFiscalCodeValid(v),
    context: ctx('codice fiscale', 'cod. fiscale', 'cf', 'fiscal code', 'tessera sanitaria', 'tax code'),
  },
  {
    name: 'th-tnin', type: 'NATIONAL_ID', country: 'TH', quick: /\d{4}/,
    patterns: [p('tnin-grouped', `\\d[ ./_,-]\\d{4}[ ./_,-]\\d{5}[ ./_,-]\\d{2}[ ./_,-]\\d`, 0.6), p('tnin', dn(13), 0.45)],
    validate: (v) => C.thTninValid(v),
    context: ctx('เลขประจำตัวประชาชน', 'บัตรประชาชน', 'เลขบัตรประชาชน', 'thai id', 'tnin', 'thai national id'),
  },
  {
    name: 'de-tax-id', type: 'NATIONAL_ID', country: 'DE', quick: /\d{4}/,
    patterns: [p('steuer-id', dn(11), 0.3)],
    validate: (v) => C.deTaxIdValid(v),
    context: ctx('steuer-id', 'steuerid', 'steueridentifikationsnummer', 'steuerliche identifikationsnummer', 'identifikationsnummer', 'idnr', 'tin', 'tax id'),
  },
  {
    name: 'ru-snils', type: 'NATIONAL_ID', country: 'RU', quick: /\d{3}/,
    patterns: [p('snils-grouped', '\\d{3}-\\d{3}-\\d{3}[ -]\\d{2}', 0.55), p('snils', dn(11), 0.3)],
    validate: (v) => C.ruSnilsValid(v),
    context: ctx('снилс', 'snils', 'страховой номер', 'страховое свидетельство'),
  },
  {
    name: 'ru-inn', type: 'NATIONAL_ID', country: 'RU', quick: /\d{4}/,
    patterns: [p('inn', `${dn(12)}|${dn(10)}`, 0.3)],
    validate: (v) => C.ruInnValid(v),
    context: ['инн', 'inn', 'идентификационный номер налогоплательщика', 'taxpayer'],
    requiresContext: true,
  },
  {
    name: 'za-id', type: 'NATIONAL_ID', country: 'ZA', quick: /\d{6}/,
    patterns: [p('za-id', '\\d{6} ?\\d{4} ?\\d{3}', 0.5)],
    validate: (v) => C.zaIdValid(v),
    context: ctx('south african id', 'sa id', 'id number', 'identity number', 'identiteitsnommer'),
    negativeContext: NOT_AN_ID,
  },
  {
    name: 'ng-nin', type: 'NATIONAL_ID', country: 'NG', quick: /\d{4}/,
    requiresContext: true,
    patterns: [p('nin', dn(11), 0.4)],
    context: ['nin', 'national identification number', 'nimc', 'national identity number'],
    contextWindow: [40, 10],
  },
  {
    name: 'in-voter-id', type: 'NATIONAL_ID', country: 'IN', quick: /[A-Z]{3}\d{7}/,
    requiresContext: true,
    patterns: [p('epic', '[A-Z]{3}\\d{7}', 0.4)],
    context: ['voter', 'voter id', 'epic', 'electoral', 'election card', 'मतदाता'],
  },
  {
    // Document numbers with no checksum we can verify (driver's licences,
    // identity cards, residence permits, voter cards, Presidio's many
    // country-specific ones): only right after a word that names the document.
    name: 'id-document', type: 'NATIONAL_ID', quick: /\d\d/,
    requiresContext: true,
    patterns: [p('document-number', '(?=[A-Z0-9-]*\\d[A-Z0-9-]*\\d[A-Z0-9-]*\\d)[A-Z0-9](?:-?[A-Z0-9]){5,17}', 0.45)],
    context: [
      "driver's license", 'driver license', 'drivers license', "driver's licence", 'driving licence', 'driving license', 'dl number', 'dl no',
      'licence number', 'license number', 'führerschein', 'führerscheinnummer', 'permis de conduire', 'patente di guida', 'numero patente',
      'licencia de conducir', 'carnet de conducir', 'carteira de motorista', 'cnh', 'rijbewijs', 'prawo jazdy', 'ajokortti', 'körkort',
      '운전면허', '운전면허번호', '運転免許', '驾驶证', 'identity card number', 'id card number', 'carta d\'identità', "carte d'identité",
      'personalausweis', 'ausweisnummer', 'documento de identidad', 'dni number', 'residence permit', 'aufenthaltstitel', 'titre de séjour',
      'green card', 'permanent resident card', 'residence card', 'zairyu', '在留カード', 'umid', 'philhealth', 'tin number', 'pag-ibig',
      'national id number', 'national id no', 'id no', 'id number', 'identity number', 'identification number', 'medical license',
      'dea number', 'kvnr', 'krankenversichertennummer', 'versichertennummer', 'sozialversicherungsnummer', 'rentenversicherungsnummer',
    ],
    contextWindow: [32, 0],
  },
];

/**
 * Is the match inside an IBAN-shaped string ("MT84 MALT 0110 0001 2345 …")?
 * Checked after a match (a bounded look back), not as a look-behind in every
 * regex: a look-behind that opens a pattern is tried at every position.
 */
export function insideIbanShape(text: string, start: number): boolean {
  const before = text.slice(Math.max(0, start - 48), start);
  return /[A-Z]{2}\d{2}(?:[ ./_,-]?[A-Z0-9]{4}){0,7}[ ./_,-]?$/.test(before) && /(?:^|[^A-Za-z0-9])[A-Z]{2}\d{2}/.test(before);
}

/** A calendar date written with separators (2001-12-10, 10.12.2001, 10/12/2001): a date, not an ID. */
const DATE_SHAPE = /^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4})$/;
/** An IPv4 address (162.45.98.20) is not an ID either. */
const IPV4_SHAPE = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
/** North-American phone shape (NXX-NXX-XXXX): a weak 10-digit check (NHS, Medicare) needs a context word then. */
const NANP_SHAPE = /^\(?[2-9]\d{2}\)?[ .-][2-9]\d{2}[ .-]\d{4}$/;
const WEAK_10 = new Set(['uk-nhs', 'au-medicare', 'pl-nip']);

for (const r of worldIdRecognizers) {
  // All but the context-bound document numbers hold a run of ≥ 5 digits.
  if (!r.requiresContext && r.name !== 'it-fiscal-code' && r.name !== 'in-pan' && r.name !== 'fi-hetu' && r.name !== 'sg-nric' && r.name !== 'es-dni-nie') r.scope = 'numeric';
  const check = r.validate;
  r.validate = (v, m) => {
    if (DATE_SHAPE.test(v) || IPV4_SHAPE.test(v) || insideIbanShape(m.text, m.start)) return false;
    const res = check ? check(v, m) : true;
    if (res !== false && WEAK_10.has(r.name) && NANP_SHAPE.test(v)) return typeof res === 'number' ? res - 0.1 : -0.1;
    return res;
  };
}
