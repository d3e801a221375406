import { describe, expect, it } from 'vitest';
import { assessPrivacy, mergeEntities, scanPatterns } from '../../core/privacy';
import type { Entity } from '../../core/types';
import { leftDevice, summarizeTypes, toPrivacyLogRecord } from './log';

describe('toPrivacyLogRecord', () => {
  it('keeps types, sources and scores but no value or offset', () => {
    const text = 'My name is Alice Smith, email alice@example.com, card 4111 1111 1111 1111';
    const ner: Entity[] = [{ type: 'PERSON', start: 11, end: 22, score: 0.8765, source: 'ner', text: 'Alice Smith' }];
    const entities = mergeEntities(scanPatterns(text), ner);
    const assessment = assessPrivacy(entities, { mode: 'balanced' });
    const record = toPrivacyLogRecord(entities, assessment, null);
    const json = JSON.stringify(record);
    for (const value of ['Alice', 'alice@example.com', '4111', '1111']) expect(json).not.toContain(value);
    for (const e of record.entities) expect(Object.keys(e).sort()).toEqual(['score', 'source', 'type']);
    expect(record.entities.map((e) => e.type)).toEqual(['PERSON', 'EMAIL', 'CREDIT_CARD']);
    expect(record.action).toBe('local-only');
    expect(record.outboundText).toBeNull();
    expect(record.reasons[0]).toMatch(/card number/);
    expect(record.sensitivity).toBe(assessment.sensitivity);
    expect('sent' in record).toBe(false);
    expect(toPrivacyLogRecord([], assessPrivacy([], { mode: 'balanced' }), 'hi', true).sent).toBe(true);
  });
});

describe('summarizeTypes', () => {
  it('groups by type in first-seen order', () => {
    expect(
      summarizeTypes([
        { type: 'PERSON', source: 'ner', score: 0.7 },
        { type: 'EMAIL', source: 'pattern', score: 0.9 },
        { type: 'PERSON', source: 'pattern', score: 0.85 },
      ]),
    ).toEqual([
      { type: 'PERSON', count: 2, sources: ['ner', 'pattern'], maxScore: 0.85 },
      { type: 'EMAIL', count: 1, sources: ['pattern'], maxScore: 0.9 },
    ]);
  });
});

describe('leftDevice', () => {
  it('is the outbound text only when it was sent', () => {
    expect(leftDevice({ outboundText: 'hi <PERSON_1>', sent: true })).toBe('hi <PERSON_1>');
    expect(leftDevice({ outboundText: 'hi <PERSON_1>' })).toBe('hi <PERSON_1>');
    expect(leftDevice({ outboundText: 'hi <PERSON_1>', sent: false })).toBeNull();
    expect(leftDevice({ outboundText: null, sent: true })).toBeNull();
  });
});
