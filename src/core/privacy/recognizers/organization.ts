// ORGANIZATION: capitalized words followed by a legal-form suffix.
import type { Recognizer } from './types';

const SUFFIX =
  'Inc|Incorporated|Ltd|Limited|LLC|L\\.L\\.C\\.|LLP|GmbH|AG|plc|PLC|Corp|Corporation|S\\.A\\.|SA|SAS|SARL|S\\.à r\\.l\\.|BV|B\\.V\\.|NV|N\\.V\\.|Pty Ltd|Pty|S\\.p\\.A\\.|SpA|KG|Oy|AB|ASA|K\\.K\\.';
const WORD = "(?:\\p{Lu}[\\p{L}\\d&'’.-]*|&|and|of|de|und|et)";

const LEADING_STOP =
  /^(?:(?:The|At|For|From|With|And|In|On|Our|My|Their|His|Her|I|We|Yesterday|Today|Tomorrow|Dear|Hi|Hello|Both|Then|When|If|But|So|Also|After|Before|By|To|Ask|Call|Email|Contact|Join|Joined|Left)\s+)+/u;

const INNER_SPLIT = new RegExp(`(?<![\\p{L}])(?:${SUFFIX}),?\\s+(?:and|&|,)\\s+(?=\\p{Lu})`, 'u');

export const organization: Recognizer = {
  name: 'organization',
  type: 'ORGANIZATION',
  quick: /Inc|Ltd|Limited|LLC|LLP|GmbH|AG|plc|PLC|Corp|SA|SAS|SARL|BV|NV|Pty|SpA|KG|Oy|AB|ASA|K\.K\./,
  patterns: [
    {
      name: 'legal-suffix',
      regex: new RegExp(
        `(?<![\\p{L}\\d])\\p{Lu}[\\p{L}\\d&'’.-]*(?:\\s+${WORD}){0,4},?\\s+(?:${SUFFIX})(?![\\p{L}\\d])`,
        'gu',
      ),
      score: 0.65,
    },
  ],
  validate: (v) => {
    // "Siemens AG and Globex GmbH": two organizations — keep the last one here.
    const inner = INNER_SPLIT.exec(v);
    if (inner) {
      const start = inner.index + inner[0].length;
      return /\s/.test(v.slice(start)) ? { start } : false;
    }
    const m = LEADING_STOP.exec(v);
    if (!m) return true;
    const rest = v.slice(m[0].length);
    // Something capitalized must remain before the suffix.
    if (!/^\p{Lu}[\p{L}\d&'’.-]*(?:\s+\S+)*,?\s+\S+$/u.test(rest) || rest.split(/\s+/).length < 2) return false;
    return { start: m[0].length };
  },
  context: ['company', 'employer', 'work', 'works', 'working', 'firm', 'client'],
  contextBoost: 0.1,
};

export const organizationRecognizers: Recognizer[] = [organization];
