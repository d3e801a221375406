// PERSON: explicit self-introductions, titles, greetings and signatures.
// The NER model covers names in general; these patterns catch the cases
// where a name is certain from the phrasing alone.
import type { Recognizer } from './types';

// A capitalized name word ("O'Brien", "Jean-Luc", "José").
const NAME = "\\p{Lu}[\\p{Ll}\\p{Lu}'’-]*\\p{Ll}[\\p{L}'’-]*|\\p{Lu}\\.?";
const FULL_NAME = `(?:${NAME})(?:\\s+(?:${NAME})){0,2}`;

const NOT_NAMES = new Set([
  'not', 'a', 'an', 'the', 'what', 'in', 'on', 'spelled', 'pronounced', 'written', 'too', 'very',
  'long', 'short', 'unusual', 'common', 'rare', 'hard', 'difficult', 'easy', 'same', 'different',
  'also', 'just', 'actually', 'really', 'now', 'still', 'unknown', 'private', 'secret', 'irrelevant',
  'important', 'like', 'similar', 'from', 'of', 'derived', 'based', 'french', 'english', 'german',
  'spanish', 'italian', 'chinese', 'japanese', 'hebrew', 'greek', 'latin', 'and', 'but', 'so',
  'world', 'everyone', 'everybody', 'all', 'team', 'there', 'folks', 'guys', 'friends', 'sir', 'madam',
  'again', 'customer', 'user', 'reader', 'colleagues', 'assistant', 'bot', 'claude', 'chatgpt',
]);

export const person: Recognizer = {
  name: 'person',
  type: 'PERSON',
  quick: /name|call|Mr|Ms|Mrs|Miss|Mx|Dr|Prof|Sir|Dame|Lord|Lady|Dear|Hi|Hello|Hey|Regards|Thanks|Thank|Cheers|Sincerely|Best|Yours|—|--|Signed/i,
  patterns: [
    {
      name: 'my-name-is',
      regex: new RegExp(
        `\\b(?:[Mm]y|[Hh]is|[Hh]er|[Tt]heir|[Oo]ur)\\s+(?:(?:full|real|legal|first|last|maiden|middle|sur)\\s*)?name(?:'s|\\s+is|:)\\s+(?<v>(?:\\p{L}[\\p{L}'’-]*)(?:\\s+(?:${NAME})){0,2})`,
        'gu',
      ),
      score: 0.85,
      group: 'v',
    },
    {
      name: 'call-me',
      regex: new RegExp(`\\b(?:[Cc]all me|I(?:'m|’m| am) called|[Nn]ame:|[Ss]igned:?)\\s+(?<v>${FULL_NAME})`, 'gu'),
      score: 0.75,
      group: 'v',
    },
    {
      name: 'title',
      regex: new RegExp(
        `(?<![\\p{L}])(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Lord|Lady)\\.?\\s+(?<v>${FULL_NAME})`,
        'gu',
      ),
      score: 0.7,
      group: 'v',
    },
    {
      name: 'greeting',
      regex: new RegExp(`(?:^|\\n)[ \\t]*(?:Dear|Hi|Hello|Hey)\\s+(?<v>${FULL_NAME})\\s*[,!:]`, 'gu'),
      score: 0.6,
      group: 'v',
    },
    {
      name: 'signature',
      regex: new RegExp(
        `(?<![\\p{L}])(?:Regards|Best regards|Kind regards|Warm regards|Best wishes|Best|Thanks|Thank you|Many thanks|Cheers|Sincerely|Yours(?: truly| sincerely| faithfully)?|Love|—|--)(?:[,!][ \\t]*\\n?|[ \\t]*\\n)[ \\t]*(?<v>${FULL_NAME})[ \\t]*\\.?[ \\t]*(?=\\n|$)`,
        'gu',
      ),
      score: 0.6,
      group: 'v',
    },
  ],
  validate: (v, m) => {
    const first = v.split(/\s+/)[0].toLowerCase();
    if (NOT_NAMES.has(first)) return false;
    if (m.pattern === 'my-name-is' && v.length < 2) return false;
    if (m.pattern === 'signature') {
      // A signature sits at the end of a line after a closing phrase; a plain
      // capitalized word after "Thanks," that is followed by more prose is not one.
      if (/^(?:I|We|You|It|This|That|The|For|So|And|But|Again)$/.test(v.split(/\s+/)[0])) return false;
    }
    // Trim trailing words that are plainly not part of a name.
    const words = v.split(/(\s+)/);
    let keep = words.length;
    for (let i = 0; i < words.length; i += 2) {
      if (i > 0 && /^(?:and|or|but|from|at|in|on|is|was|the)$/i.test(words[i])) {
        keep = i - 1;
        break;
      }
    }
    if (keep < words.length) return { end: words.slice(0, keep).join('').length };
    return true;
  },
};

export const personRecognizers: Recognizer[] = [person];
