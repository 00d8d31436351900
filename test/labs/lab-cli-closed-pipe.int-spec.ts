/**
 * `npm run lab -- test | head -3`: the reader closes the pipe while the CLI still has lines to print. The CLI must
 * end quietly with exit code 0, as unix tools do, instead of dying on EPIPE with a stack trace.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  firstChunk: string;
  stderr: string;
}

/** Starts `lab test` on every lab, reads its first chunk of output, then closes stdout as `head` would. */
function runAndCloseAfterFirstChunk(): Promise<Ended> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', './scripts/swc-register.cjs', 'src/labs/cli/lab.ts', 'test'],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let firstChunk = '';
    let stderr = '';
    child.stdout.once('data', (chunk: Buffer) => {
      firstChunk = chunk.toString('utf8');
      child.stdout.destroy();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, firstChunk, stderr }));
  });
}

describe('lab CLI with a closed stdout', () => {
  it('stops quietly with exit code 0 once its reader is gone', async () => {
    const ended = await runAndCloseAfterFirstChunk();
    expect(ended.firstChunk).toMatch(/^lab \S+ — /);
    expect(ended.stderr).toBe('');
    expect({ code: ended.code, signal: ended.signal }).toEqual({ code: 0, signal: null });
  }, 120_000);
});
