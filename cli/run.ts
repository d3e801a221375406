// How every CLI runs as a script: Node's stdio and files as its IO, its exit
// code from main(), a crash printed with its stack (exit 1).
import { readFile, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

export const nodeIO = {
  stdout: (t: string) => void process.stdout.write(t),
  stderr: (t: string) => void process.stderr.write(t),
  readFile: (p: string) => readFile(p, 'utf8'),
  writeFile: (p: string, t: string) => writeFile(p, t, 'utf8'),
};

/** Runs `main` when `moduleUrl` is the script Node was started with (not when imported by a test). */
export function runIfMain(moduleUrl: string, main: (argv: string[], io: typeof nodeIO) => Promise<number>): void {
  if (!process.argv[1] || moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  main(process.argv.slice(2), nodeIO).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`error: ${(e as Error)?.stack ?? String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
