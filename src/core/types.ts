// Types shared across src/core, the engines, the turn orchestrator, the CLI
// and (for privacy) the proxy. Pure data: no DOM, no Node.

export type Tier = 'local' | 'edge' | 'cloud';
export type PrivacyAction = 'allow' | 'pseudonymize' | 'local-only';
export type Mode = 'privacy-first' | 'balanced' | 'performance-first';

export type EntityType =
  | 'PERSON' | 'LOCATION' | 'ADDRESS' | 'POSTCODE' | 'ORGANIZATION'
  | 'EMAIL' | 'PHONE' | 'US_SSN' | 'UK_NINO' | 'NATIONAL_ID' | 'PASSPORT'
  | 'CREDIT_CARD' | 'IBAN' | 'BANK_ACCOUNT' | 'ABA_ROUTING' | 'IP_ADDRESS'
  | 'DATE_OF_BIRTH' | 'SECRET' | 'HEALTH' | 'FINANCE' | 'AGE' | 'AMOUNT';

/** A detected entity; offsets are UTF-16 indices into the original text. */
export interface Entity {
  type: EntityType;
  start: number;
  end: number;
  score: number;
  source: 'pattern' | 'ner';
  text: string;
  /** For NATIONAL_ID (and other country-specific IDs): ISO 3166 country code. */
  country?: string;
}

/** Query kinds from the seed's capability chart. */
export type QueryKind =
  | 'greeting' | 'translation' | 'knowledge' | 'code' | 'logic'
  | 'math' | 'analysis' | 'creative';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}
