// The only way to get messages that may leave the device. The proxy client
// accepts `OutboundMessages` and nothing else, so every network path for
// user text goes through the privacy layer by construction.
import type { ChatMessage } from './types';

declare const cleared: unique symbol;
export type OutboundMessages = readonly ChatMessage[] & { readonly [cleared]: true };

/** Marks messages as cleared. Call ONLY from the privacy step of a turn. */
export function clearForOutbound(messages: readonly ChatMessage[]): OutboundMessages {
  return Object.freeze(messages.map((m) => Object.freeze({ ...m }))) as unknown as OutboundMessages;
}
