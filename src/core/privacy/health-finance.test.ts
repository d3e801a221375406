// Health and personal-finance facts about the user or a named person stay on
// the device; general questions about the same topics are not affected.
import { describe, expect, it } from 'vitest';
import type { Mode } from '../types';
import { assessPrivacy, scanPatterns } from './index';

const action = (text: string, mode: Mode = 'performance-first') => assessPrivacy(scanPatterns(text), { mode }).action;

describe('health facts', () => {
  it.each([
    'My doctor says my blood pressure is 150/95, is that bad?',
    'my BP was 140/90 this morning',
    'my fasting blood sugar was 180 mg/dL',
    'My A1c came back at 7.2%',
    "my mom's cholesterol is 260, what should she eat?",
    'my resting heart rate is 110 bpm',
    'my temperature is 39.5 °C since yesterday',
    'my TSH is 6.1, is that hypothyroid?',
    "John's blood pressure is 150/95",
    'Maria has diabetes and asks about carbs',
    'Priya Raman was diagnosed with epilepsy',
    'I was diagnosed with asthma last year',
    "I'm taking sertraline 50mg",
  ])('%s → local-only', (text) => {
    expect(action(text)).toBe('local-only');
  });

  it.each([
    'What is normal blood pressure?',
    'What blood pressure is too high for an adult?',
    'Is a blood sugar of 180 high?',
    'What are the symptoms of diabetes?',
    'Who has diabetes most often?',
    'How does sertraline work?',
    'What is a normal resting heart rate?',
  ])('%s → unaffected', (text) => {
    expect(action(text, 'balanced')).toBe('allow');
  });
});

describe('personal finance facts', () => {
  it.each([
    'my salary is $85,000, how much should I save?',
    'I owe £12,000 on my credit card',
    'I have $40,000 in student loans',
    'my credit score is 640',
    'John earns $85,000 a year, can he afford this flat?',
    "Maria's salary is €52,000",
  ])('%s → local-only', (text) => {
    expect(action(text)).toBe('local-only');
  });

  it.each([
    'How much does a nurse earn in Canada?',
    'What is the average salary of a software engineer?',
    'Apple earns $90 billion a year from the iPhone?',
    'How do student loans work?',
  ])('%s → unaffected', (text) => {
    expect(action(text, 'balanced')).toBe('allow');
  });
});
