// A conversation's title for the sidebar, built from its first message with
// every detected value replaced by what it is ("[card number]"): the list is
// on screen and stored, and must never show a value the privacy layer found.
import type { Entity } from '../../core/types';
import { entityOne } from '../../core/wording';

export const TITLE_MAX = 60;

const noArticle = (s: string) => s.replace(/^(a|an) /, '');

/** The masked, single-line title (at most TITLE_MAX characters, never cutting into a mask). */
export function maskedTitle(text: string, entities: readonly Entity[]): string {
  const spans = [...entities].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const e of spans) {
    if (e.start < at) continue; // overlaps an earlier span: already masked
    out += text.slice(at, e.start) + `[${noArticle(entityOne(e.type))}]`;
    at = e.end;
  }
  out = (out + text.slice(at)).replace(/\s+/g, ' ').trim();
  if (out.length <= TITLE_MAX) return out;
  let cut = out.slice(0, TITLE_MAX - 1);
  const open = cut.lastIndexOf('[');
  if (open > cut.lastIndexOf(']')) cut = cut.slice(0, open);
  return `${cut.trimEnd()}…`;
}
