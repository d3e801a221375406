// Runs a CLI's main with its output captured (for tests).
import type { CliIO } from './args';

export async function captured(main: (argv: string[], io: CliIO) => Promise<number>, argv: string[]) {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), readFile: async () => '' };
  const code = await main(argv, io);
  return { code, out, err };
}
