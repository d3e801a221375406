/** Test hook shared by every worker: an uncaught error a moment later, exactly like a real crash. */
export function crashSoon(): null {
  setTimeout(() => {
    throw new Error('Simulated worker crash');
  });
  return null;
}
