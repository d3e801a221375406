// Reading a whole Node message body with a size cap: the fast path's request
// bodies and nodeFetch's JSON answers.

import type { IncomingMessage } from 'node:http';
import type { BodyResult } from './context.ts';

/**
 * A request's or a response's body straight from the socket, stopping past
 * `limit` bytes: then the message is paused and the caller decides (a server
 * drains or closes after its reply; a client destroys the upstream response).
 * 'error' when the message breaks or its connection closes before the end.
 */
export function readWhole(msg: IncomingMessage, limit: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const done = (r: BodyResult) => {
      msg.off('data', onData);
      msg.off('end', onEnd);
      msg.off('error', onError);
      msg.off('close', onClose);
      resolve(r);
    };
    const onData = (d: Buffer) => {
      total += d.length;
      if (total > limit) {
        msg.pause();
        done('too_large');
      } else chunks.push(d);
    };
    const onEnd = () => done(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total));
    const onError = () => done('error');
    const onClose = () => {
      if (!msg.complete) done('error');
    };
    msg.on('data', onData);
    msg.once('end', onEnd);
    msg.once('error', onError);
    msg.once('close', onClose);
  });
}
