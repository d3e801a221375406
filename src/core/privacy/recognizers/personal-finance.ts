// Personal FINANCE (first-person salary, debts, savings, credit score),
// AMOUNT (money values in first-person statements) and AGE. AMOUNT and AGE —
// and numeric FINANCE values — can be perturbed with Laplace noise instead of
// being replaced by a placeholder.
import type { Recognizer } from './types';
import { NAMED } from './health';
import { PUBLIC_ENTITIES } from '../gazetteer';

// A money amount: $85,000 · £1.2k · €3 500 · 85000 dollars · 85k USD
export const MONEY =
  "(?:(?:US|CA|AU|NZ)?[$£€¥₹]\\s?\\d{1,3}(?:[,\\s]\\d{3})*(?:\\.\\d+)?(?:\\s?(?:k|m|bn|million|thousand|billion|grand)\\b)?|[$£€¥₹]\\s?\\d+(?:\\.\\d+)?(?:\\s?(?:k|m|bn|million|thousand|billion|grand)\\b)?|\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?(?:\\s?(?:dollars|euros|pounds|usd|eur|gbp|chf|bucks|quid))?|\\d+(?:\\.\\d+)?\\s?(?:k\\s?)?(?:dollars|euros|pounds|usd|eur|gbp|chf|bucks|quid|grand)|\\d+(?:\\.\\d+)?k)";

const APPROX = '(?:(?:about|around|roughly|approximately|approx\\.?|almost|nearly|over|under|just over|just under|close to|more than|less than|only|exactly|like|~)\\s*)?';
const FIN_NOUN =
  '(?:salary|income|pay|take-home(?: pay)?|wage|wages|earnings|paycheck|pay cheque|bonus|raise|debt|debts|loan|loans|mortgage|rent|savings|net worth|credit card debt|credit card balance|student loans?|student debt|car loan|balance|pension|401k|401\\(k\\)|ira|tax bill|tax refund|overdraft|budget|inheritance|alimony|child support|medical bills?|bills|portfolio|investments|stock options|equity|severance|allowance|rate|hourly rate|day rate)';
const PERIOD = '(?:a|per|each|every)\\s+(?:year|month|week|hour|day|annum)|annually|yearly|monthly|weekly|hourly|/\\s?(?:yr|year|mo|month|hr|hour|h)';

const re = (src: string) => new RegExp(src, 'gi');
const EARN = '(?:earns|earned|makes|made|owes|owed|borrowed|inherited|gets paid|is paid|has saved|saved|pays)';

export const personalFinance: Recognizer = {
  name: 'personal-finance',
  type: 'FINANCE',
  quick: /\b(?:my|our|i|i'm|i’m|we)\b|['’]s\s|\b(?:earns|earned|makes|made|owes|owed|borrowed|inherited|paid|saved|pays)\b/i,
  patterns: [
    // "my salary is $85,000", "our mortgage is about £1,200 a month"
    {
      name: 'my-noun-amount',
      regex: re(
        `\\b(?:my|our)\\s+(?:(?:annual|monthly|yearly|weekly|hourly|net|gross|base|current|new|household|total|combined|remaining|outstanding|starting|expected|current annual)\\s+)*${FIN_NOUN}\\s+(?:is|was|are|were|of|comes to|came to|amounts to|totals|will be|would be|is now|went up to|=|:)\\s+${APPROX}(?<v>${MONEY})`,
      ),
      score: 0.8,
      group: 'v',
    },
    // "I earn $85,000 a year", "I make 6k a month", "I owe $12,000"
    {
      name: 'i-earn-owe',
      regex: re(
        `\\b(?:I|we)\\s+(?:currently\\s+|still\\s+|only\\s+|now\\s+)?(?:earn|earned|make|made|take home|get paid|got paid|am paid|'m paid|’m paid|owe|owed|borrowed|inherited|lost|have saved|saved|have put away|paid off|am paying|'m paying|pay|need to repay|am owed|'m owed|gross|net)\\s+${APPROX}(?<v>${MONEY})`,
      ),
      score: 0.8,
      group: 'v',
    },
    // "I have $40,000 in student loans", "I have £3k in savings"
    {
      name: 'i-have-amount-in',
      regex: re(
        `\\b(?:I|we)\\s+(?:have|had|'ve got|’ve got|have got|still have)\\s+${APPROX}(?<v>${MONEY})\\s+(?:in|of)\\s+(?:my\\s+|our\\s+)?(?:\\w+\\s+)?(?:debt|savings|student loans?|loans?|credit card debt|the bank|my account|my savings|my 401k|my pension|stocks|crypto|bitcoin|investments|an? (?:isa|ira|401k))`,
      ),
      score: 0.8,
      group: 'v',
    },
    // About a named person: "John earns $85,000", "Maria's salary is €52k", "Priya owes £3,000"
    // (the look-behind follows the verb / noun: a pattern that opens with one is tried everywhere)
    {
      name: 'named-earn-owe',
      regex: new RegExp(`${EARN}(?<=(?<![\\p{L}])${NAMED}\\s+${EARN})\\s+${APPROX}(?<v>${MONEY})`, 'gu'),
      score: 0.75,
      group: 'v',
    },
    {
      name: 'named-noun-amount',
      regex: new RegExp(
        `${FIN_NOUN}(?<=(?<![\\p{L}])${NAMED}(?:'s|’s)\\s+(?:(?:annual|monthly|yearly|net|gross|base|current|new|total|outstanding)\\s+)*${FIN_NOUN})\\s+(?:is|was|are|were|of|comes to|came to|totals|=|:)\\s+${APPROX}(?<v>${MONEY})`,
        'gu',
      ),
      score: 0.75,
      group: 'v',
    },
    // "my credit score is 640"
    { name: 'credit-score', regex: re(`\\bmy\\s+(?:credit|fico)\\s+score\\s+(?:is|was|of|=|:)\\s+${APPROX}(?<v>\\d{3})\\b`), score: 0.8, group: 'v' },
    // "I'm in debt", "I filed for bankruptcy", "I'm behind on my rent"
    {
      name: 'state',
      regex: re(
        `\\b(?:(?:I'm|I’m|I am|we're|we are)\\s+(?:deep\\s+|heavily\\s+|drowning\\s+)?(?:in debt|broke|bankrupt|insolvent|behind on (?:my |our )?(?:rent|mortgage|payments|bills|loans?)|facing foreclosure|unemployed|on benefits|on welfare)|(?:I|we)\\s+(?:filed|declared|am filing|'m filing|are filing)\\s+(?:for\\s+)?(?:bankruptcy|chapter (?:7|11|13))|(?:I|we)\\s+(?:defaulted|missed (?:a|my|several|two|three) (?:mortgage |loan |rent )?payments?))`,
      ),
      score: 0.7,
    },
  ],
  // "Apple earns $90 billion" is about a company, not a person.
  validate: (_v, m) => {
    if (!m.pattern.startsWith('named-')) return true;
    const before = m.text.slice(Math.max(0, m.start - 80), m.start);
    const name = /(\p{Lu}\p{Ll}+(?:\s\p{Lu}\p{Ll}+)?)(?:'s|’s)?\s+[^]*$/u.exec(before)?.[1] ?? '';
    return !PUBLIC_ENTITIES.has(name.toLowerCase());
  },
};

export const amount: Recognizer = {
  name: 'amount',
  type: 'AMOUNT',
  quick: /[$£€¥₹]|\d/,
  requiresContext: true,
  patterns: [{ name: 'money', regex: re(`(?<![\\w.,])${MONEY}(?:\\s*(?:${PERIOD}))?(?![\\w])`), score: 0.4 }],
  validate: (v) => /\d/.test(v),
  // First-person words near the amount make it personal.
  context: ['i', 'my', 'me', "i'm", 'i’m', "i've", 'i’ve', 'we', 'our', 'us', 'mine'],
  contextBoost: 0.3,
  contextWindow: [40, 24],
};

export const age: Recognizer = {
  name: 'age',
  type: 'AGE',
  quick: /\d/,
  patterns: [
    {
      name: 'i-am-n',
      regex: re(
        `\\b(?:I'm|I’m|I am|im)\\s+(?:now\\s+|only\\s+|almost\\s+|nearly\\s+|just\\s+|turning\\s+|about to turn\\s+)?(?<v>\\d{1,3})(?=\\s*(?:years?\\s+old|yrs?\\s+old|y\\.?o\\.?\\b|years\\s+of\\s+age)|\\s*(?:[,.!?;:)]|$)|\\s+(?:and|but|so|now|today|this|next|years|yo|f|m|male|female)\\b)`,
      ),
      score: 0.65,
      group: 'v',
    },
    {
      name: 'i-am-a-n-year-old',
      regex: re(`\\b(?:I'm|I’m|I am|as)\\s+an?\\s+(?<v>\\d{1,3})[- ]?(?:years?|yr)[- ]old\\b`),
      score: 0.7,
      group: 'v',
    },
    {
      name: 'my-age',
      regex: re(`\\b(?:my age is|I turned|I just turned|I turn|I'll be|I’ll be|I will be|I'm turning|I’m turning|I am turning|I was born \\d+ years ago, i\\.e\\.)\\s+(?<v>\\d{1,3})\\b`),
      score: 0.65,
      group: 'v',
    },
  ],
  validate: (v) => {
    const n = Number(v);
    return n >= 1 && n <= 120;
  },
};

export const personalFinanceRecognizers: Recognizer[] = [personalFinance, amount, age];
