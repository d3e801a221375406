// What one generation returns, whichever engine ran it (web-llm, ONNX in a
// worker or in Node, the proxy). Plain data: it crosses worker boundaries.
import type { ChatUsage, TokenLogprob } from './metrics';

export interface ChatResult {
  text: string;
  finishReason: 'stop' | 'length' | 'abort';
  usage: ChatUsage;
  logprobs: TokenLogprob[] | null;
}
