// LOCATION (first-person residence phrases), street ADDRESS, POSTCODE.
import type { Recognizer } from './types';

const PLACE_WORD = "\\p{Lu}[\\p{L}'’.-]*";
const PLACE = `${PLACE_WORD}(?:(?:\\s+|-)(?:(?:de|del|la|le|on|upon|am|an|der|sur)\\s+)?${PLACE_WORD}){0,3}`;

export const location: Recognizer = {
  name: 'location',
  type: 'LOCATION',
  quick: /\b(?:live|from|based|moved|grew|reside|living|hometown|home town|born)\b/i,
  patterns: [
    {
      name: 'residence',
      regex: new RegExp(
        `\\b(?:I|[Ww]e)(?:'m|’m| am|'re| are|'ve| have)?\\s+(?:(?:currently|now|still|also)\\s+)?(?:live|living|lived|based|from|moved|grew up|reside|residing|born and raised|was born|were born)\\s+(?:in|to|at|near|from|outside|outside of)?\\s*(?<v>${PLACE})`,
        'gu',
      ),
      score: 0.6,
      group: 'v',
    },
    {
      name: 'hometown',
      regex: new RegExp(`\\b[Mm]y\\s+(?:home\\s*town|city|village|town)\\s+is\\s+(?<v>${PLACE})`, 'gu'),
      score: 0.6,
      group: 'v',
    },
  ],
  validate: (v) => !/^(?:The|A|An|I|My|Our|Home|Work|Here|There|It|This)$/.test(v),
};

const STREET_TYPES =
  'Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Way|Terrace|Close|Crescent|Square|Sq|Highway|Hwy|Parkway|Pkwy|Circle|Cir|Gardens|Row|Mews|Walk|Grove|Trail|Alley|Plaza';

export const streetAddress: Recognizer = {
  name: 'street-address',
  type: 'ADDRESS',
  quick: /\d/,
  patterns: [
    {
      name: 'number-street',
      regex: new RegExp(
        `(?<![\\w.,-])\\d{1,5}[A-Za-z]?,?\\s+(?:(?:[NSEW]|North|South|East|West)\\.?\\s+)?(?:\\p{Lu}[\\p{L}'’.-]*\\s+|\\d{1,3}(?:st|nd|rd|th)\\s+){1,4}(?:${STREET_TYPES})\\b\\.?(?:,?\\s+(?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor|#)\\.?\\s*#?\\w{1,5})?`,
        'gu',
      ),
      score: 0.75,
    },
    {
      name: 'german-street',
      regex: /(?<![\p{L}])\p{Lu}[\p{L}-]*(?:straße|strasse|weg|gasse|platz|allee|ring|damm)\s+\d{1,4}[a-z]?(?![\w])/gu,
      score: 0.7,
    },
    { name: 'po-box', regex: /\bP\.?\s?O\.?\s+Box\s+\d{1,6}\b/gi, score: 0.7 },
  ],
  validate: (v) => {
    // "2024 Annual Report Dr …" and similar: require the first word after the number to not be a month/year-ish token.
    return !/^\d{4}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)/.test(v);
  },
  context: ['address', 'live', 'lives', 'living', 'ship', 'deliver', 'mail', 'home', 'house', 'flat', 'apartment'],
  contextBoost: 0.1,
};

const US_STATES =
  'AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY';

export const postcode: Recognizer = {
  name: 'postcode',
  type: 'POSTCODE',
  quick: /\d/,
  patterns: [
    // UK postcode (outward + inward code), e.g. SW1A 1AA, M1 1AE, EC1V 9BD
    {
      name: 'uk',
      regex: /(?<![\w])(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})(?![\w])/g,
      score: 0.5,
    },
    // US state abbreviation + ZIP: "CA 94103", "NY 10001-1234"
    {
      name: 'us-state-zip',
      regex: new RegExp(`(?<![\\w])(?:${US_STATES}),?\\s+(?<v>\\d{5}(?:-\\d{4})?)(?![\\w]|[.-]\\d)`, 'g'),
      score: 0.6,
      group: 'v',
    },
    // Bare ZIP / ZIP+4: only with context
    { name: 'us-zip', regex: /(?<![\w.,$-])\d{5}(?:-\d{4})?(?![\w]|[.,-]\d)/g, score: 0.3, requiresContext: true },
  ],
  context: ['zip', 'zipcode', 'zip code', 'postal code', 'postcode', 'post code', 'plz', 'code postal'],
  contextBoost: 0.4,
  contextWindow: [30, 10],
};

export const locationRecognizers: Recognizer[] = [location, streetAddress, postcode];
