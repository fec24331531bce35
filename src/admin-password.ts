// Reads a new password for `npm run admin -- create-user` without echoing it: on a terminal it is
// typed twice in raw mode; from a pipe the first line of stdin is taken. Never from argv.

import { stdin, stderr } from 'node:process';

/** The password, or undefined when none was given (empty input, or the two entries differ: reported on stderr). */
export async function readPassword(): Promise<string | undefined> {
  if (!stdin.isTTY) return firstLine(await readAll());
  const first = await typeHidden('Password (not shown): ');
  if (first === undefined || first === '') return undefined;
  const second = await typeHidden('Repeat the password: ');
  if (second !== first) {
    stderr.write('The two passwords differ.\n');
    return undefined;
  }
  return first;
}

async function readAll(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function firstLine(text: string): string | undefined {
  const line = text.split(/\r?\n/)[0] ?? '';
  return line === '' ? undefined : line;
}

/** Raw-mode line input: characters are collected, not echoed; Enter ends it, Ctrl-C or Ctrl-D abandons it. */
function typeHidden(prompt: string): Promise<string | undefined> {
  stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  return new Promise((resolve) => {
    let typed = '';
    const done = (value: string | undefined): void => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      stderr.write('\n');
      resolve(value);
    };
    const onData = (chunk: Buffer): void => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done(typed);
        if (ch === '\u0003' || ch === '\u0004') return done(undefined);
        if (ch === '\u007f' || ch === '\b') typed = [...typed].slice(0, -1).join('');
        else if (ch >= ' ') typed += ch;
      }
    };
    stdin.on('data', onData);
  });
}
