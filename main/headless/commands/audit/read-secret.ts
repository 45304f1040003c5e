// Reads a secret value from stdin, never from the command line (argv is visible to every process
// and lands in shell history). At a terminal the input is not echoed; piped input is read whole,
// without its final line break (`printf %s "$TOKEN" | …` and `echo "$TOKEN" | …` both work).
import { GatehouseError } from '../../../../common/errors.js';

const MAX_BYTES = 64 * 1024;

export async function readSecret(prompt: string, input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): Promise<string> {
  return input.isTTY ? readHidden(prompt, input, output) : readPiped(input);
}

async function readPiped(input: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > MAX_BYTES) throw new GatehouseError('GATEHOUSE_USAGE', `the value on stdin is longer than ${MAX_BYTES} bytes; is the right thing piped in?`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

function readHidden(prompt: string, input: NodeJS.ReadStream, output: NodeJS.WriteStream): Promise<string> {
  output.write(prompt);
  input.setRawMode(true);
  input.setEncoding('utf8');
  input.resume();
  return new Promise<string>((resolve, reject) => {
    let value = '';
    const done = (error?: Error) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (text: string) => {
      for (const char of text) {
        if (char === '\r' || char === '\n' || char === '\u0004') return done();
        if (char === '\u0003') return done(new GatehouseError('GATEHOUSE_USAGE', 'cancelled: nothing was stored'));
        if (char === '\u007f' || char === '\b') value = Array.from(value).slice(0, -1).join('');
        else value += char;
      }
    };
    input.on('data', onData);
  });
}
