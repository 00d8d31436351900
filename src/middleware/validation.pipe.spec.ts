import { CommandSubmitDto, isPlainCommandSubmit } from '../dtos/terminal.dto';
import { WsValidationPipe } from './validation.pipe';

const SESSION = '0b6f2c1e-5d3a-4f7b-9c2d-1e8a7b6c5d4f';
const metadata = { type: 'body' as const, metatype: Object, data: undefined };

/** What a pipe makes of a body: the handler's value (class and fields) or the refusal's message. */
async function outcome(pipe: WsValidationPipe, body: unknown): Promise<unknown> {
  try {
    const value = (await pipe.transform(body, metadata)) as object;
    return { class: value.constructor.name, fields: { ...value } };
  } catch (error) {
    return { refused: (error as { getError(): unknown }).getError() };
  }
}

describe('WsValidationPipe quick path (command.submit)', () => {
  const full = new WsValidationPipe(CommandSubmitDto);
  const quick = new WsValidationPipe(CommandSubmitDto, isPlainCommandSubmit);

  // Everyday bodies and every way one can be odd: each must come out of both pipes the same.
  const bodies: [string, unknown][] = [
    ['a command', { labSessionId: SESSION, command: 'kubectl get pods' }],
    ['with a clientRef', { labSessionId: SESSION, command: 'ls', clientRef: 'c-17' }],
    ['an upper-case id', { labSessionId: SESSION.toUpperCase(), command: 'ls' }],
    ['the nil id', { labSessionId: '00000000-0000-0000-0000-000000000000', command: 'ls' }],
    ['an empty command', { labSessionId: SESSION, command: '' }],
    ['a clientRef of 64 characters', { labSessionId: SESSION, command: 'ls', clientRef: 'x'.repeat(64) }],
    ['a clientRef of 65 characters', { labSessionId: SESSION, command: 'ls', clientRef: 'x'.repeat(65) }],
    ['64 emoji as clientRef', { labSessionId: SESSION, command: 'ls', clientRef: '😀'.repeat(64) }],
    ['a null clientRef', { labSessionId: SESSION, command: 'ls', clientRef: null }],
    ['a number as clientRef', { labSessionId: SESSION, command: 'ls', clientRef: 7 }],
    ['a number as command', { labSessionId: SESSION, command: 42 }],
    ['an object as command', { labSessionId: SESSION, command: { line: 'ls' } }],
    ['no command', { labSessionId: SESSION }],
    ['an unknown field', { labSessionId: SESSION, command: 'ls', extra: 1 }],
    ['a __proto__ field', JSON.parse(`{"labSessionId":"${SESSION}","command":"ls","__proto__":{"x":1}}`)],
    ['a version-9 id', { labSessionId: '0b6f2c1e-5d3a-9f7b-9c2d-1e8a7b6c5d4f', command: 'ls' }],
    ['an id with a bad variant', { labSessionId: '0b6f2c1e-5d3a-4f7b-7c2d-1e8a7b6c5d4f', command: 'ls' }],
    ['an id with a newline after it', { labSessionId: `${SESSION}\n`, command: 'ls' }],
    ['a number as id', { labSessionId: 12, command: 'ls' }],
    ['no id', { command: 'ls' }],
    ['an array', [SESSION, 'ls']],
    ['a string', 'kubectl get pods'],
    ['null', null],
  ];

  it.each(bodies)('gives the same result as the full check: %s', async (_name, body) => {
    expect(await outcome(quick, body)).toEqual(await outcome(full, body));
  });

  it('takes the quick path for everyday bodies only', () => {
    expect(isPlainCommandSubmit({ labSessionId: SESSION, command: 'kubectl get pods' })).toBe(true);
    expect(isPlainCommandSubmit({ labSessionId: SESSION, command: 'ls', clientRef: 'c-1' })).toBe(true);
    expect(isPlainCommandSubmit({ labSessionId: SESSION, command: 'ls', clientRef: null })).toBe(false);
    expect(isPlainCommandSubmit({ labSessionId: SESSION, command: 'ls', extra: 1 })).toBe(false);
    expect(isPlainCommandSubmit({ labSessionId: 'session-1', command: 'ls' })).toBe(false);
  });

  it('hands the handler an instance of the DTO with the fields sent', async () => {
    const value = await quick.transform({ labSessionId: SESSION, command: 'ls', clientRef: 'c-2' }, metadata);
    expect(value).toBeInstanceOf(CommandSubmitDto);
    expect({ ...(value as object) }).toEqual({ labSessionId: SESSION, command: 'ls', clientRef: 'c-2' });
  });
});
