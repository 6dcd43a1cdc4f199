/**
 * Message framing on the way in (issue #12): a negative, absurd or missing
 * `Content-Length` used to leave the server alive but deaf, every later
 * message read as the body of the bad one. Now the bad message is dropped
 * with a logged error, and the next request is answered.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { MessageFramingGuard } from '../../server/src/lsp/message-framing';
import { SERVER_PATH } from './harness';

function frame(message: unknown): string {
  const body = JSON.stringify(message);
  return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** Feeds `input` through the guard in chunks of `chunkSize` bytes: what passes, and the problems reported. */
async function throughGuard(input: string, chunkSize: number): Promise<{ passed: string; problems: string[] }> {
  const problems: string[] = [];
  const guard = new MessageFramingGuard((p) => problems.push(p));
  const out: Buffer[] = [];
  guard.on('data', (chunk: Buffer) => out.push(chunk));
  const bytes = Buffer.from(input);
  for (let i = 0; i < bytes.length; i += chunkSize) guard.write(bytes.subarray(i, i + chunkSize));
  guard.end();
  await new Promise((resolve) => guard.on('end', resolve));
  return { passed: Buffer.concat(out).toString(), problems };
}

describe('message framing guard', () => {
  const good = frame({ jsonrpc: '2.0', id: 1, method: 'shutdown' });
  const bad: [string, string, RegExp][] = [
    ['a negative length', 'Content-Length: -5\r\n\r\n', /invalid Content-Length "-5"/],
    ['a negative length with a body', 'Content-Length: -5\r\n\r\n{"jsonrpc":"2.0","id":0}', /invalid Content-Length "-5"/],
    ['an absurd length', 'Content-Length: 99999999999999\r\n\r\n{}', /invalid Content-Length "99999999999999"/],
    ['a length above the cap', 'Content-Length: 4000000000\r\n\r\n{}', /a Content-Length of 4000000000 bytes, more than/],
    ['no length', 'Content-Type: application/json\r\n\r\n{}', /no Content-Length header/],
    ['two lengths', 'Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}', /conflicting Content-Length headers/],
    ['a length that is not a number', 'Content-Length: 1e3\r\n\r\n', /invalid Content-Length "1e3"/],
    ['a header that never ends', 'X'.repeat(20_000), /a header longer than 8192 bytes/],
  ];
  for (const [name, message, problem] of bad) {
    it(`${name}: dropped and reported, the next message passes whole, in any chunking`, async () => {
      for (const chunkSize of [1, 7, 1 << 20]) {
        const { passed, problems } = await throughGuard(good + message + good, chunkSize);
        assert.equal(passed, good + good, `chunks of ${chunkSize}`);
        assert.equal(problems.length, 1, problems.join('\n'));
        assert.match(problems[0]!, problem);
      }
    });
  }

  it('a body longer than its Content-Length: the stray bytes are dropped up to the next header', async () => {
    const short = 'Content-Length: 2\r\n\r\n{}';
    for (const chunkSize of [1, 5, 1 << 20]) {
      const { passed, problems } = await throughGuard(short + 'stray bytes' + good, chunkSize);
      assert.equal(passed, short + good);
      assert.equal(problems.length, 1);
    }
  });

  it('passes good messages byte for byte, other headers and multi-byte bodies included', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', method: 'x', params: { text: 'é😀' } });
    const message = `Content-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n${body}`;
    for (const chunkSize of [1, 3, 1 << 20]) assert.deepEqual(await throughGuard(message + good, chunkSize), { passed: message + good, problems: [] });
  });
});

describe('the language server over stdio', () => {
  it('answers a request sent after a message with Content-Length: -5, and logs the bad one', async () => {
    const child = spawn(process.execPath, [SERVER_PATH, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    try {
      child.stdin.write('Content-Length: -5\r\n\r\n');
      child.stdin.write('Content-Length: 99999999999999\r\n\r\n');
      child.stdin.write(frame({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } }));
      const deadline = Date.now() + 15_000;
      while (!output.includes('"id":1') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      assert.match(output, /"id":1,"result":\{"capabilities"/, `no answer to initialize; the server wrote: ${output.slice(0, 500)}`);
      child.stdin.write(frame({ jsonrpc: '2.0', method: 'initialized', params: {} }));
      while (!/Dropped a message .*-5/.test(output) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      assert.match(output, /"method":"window\/logMessage","params":\{"type":1,"message":"Dropped a message from the client with an invalid Content-Length \\"-5\\"/);
      child.stdin.write(frame({ jsonrpc: '2.0', id: 2, method: 'shutdown' }));
      while (!output.includes('"id":2') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      assert.match(output, /"id":2,"result":null/);
    } finally {
      child.kill();
    }
  });
});
