import { describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../store/conversations';
import type { PrivacyRecord } from '../../turn/types';
import { sentLaterIds } from './sent-later';

const rec = (sent: boolean, outbound: string[] | null): PrivacyRecord => ({
  entities: [], action: 'allow', sensitivity: 0, sent, reasons: [],
  outboundText: outbound ? outbound[outbound.length - 1] : null,
  outboundMessages: outbound ? outbound.map((content, i) => ({ role: i % 2 ? 'assistant' : 'user', content })) : null,
});
let n = 0;
const user = (content: string): StoredMessage => ({ id: `u${n++}`, role: 'user', content, createdAt: 0, status: 'done' });
const answer = (id: string, privacy: PrivacyRecord): StoredMessage => ({ id, role: 'assistant', content: 'a', createdAt: 0, status: 'done', privacy });

describe('sentLaterIds', () => {
  it('marks a kept turn whose question a later cloud turn sent', () => {
    const msgs = [user('q1'), answer('a1', rec(false, ['q1'])), user('q2'), answer('a2', rec(true, ['q1', 'a', 'q2']))];
    expect([...sentLaterIds(msgs)]).toEqual(['a1']);
  });

  it('leaves kept turns alone when nothing later left the device', () => {
    const msgs = [user('q1'), answer('a1', rec(false, ['q1'])), user('q2'), answer('a2', rec(false, ['q1', 'a', 'q2']))];
    expect(sentLaterIds(msgs).size).toBe(0);
  });

  it('does not mark a turn that was itself sent, nor one after the cloud turn', () => {
    const msgs = [user('q1'), answer('a1', rec(true, ['q1'])), user('q2'), answer('a2', rec(false, null))];
    expect(sentLaterIds(msgs).size).toBe(0);
  });
});
