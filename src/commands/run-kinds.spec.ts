import { parseConfig } from '../config/app-config';
import { InputQueue } from './input-queue';
import { limitSeconds, planRun } from './run-kinds';

describe('planRun', () => {
  it.each([
    ['kubectl get pods', { kind: 'foreground', limit: 'command' }],
    ['kubectl get pods -w', { kind: 'foreground', limit: 'lasting' }],
    ['kubectl logs -f web', { kind: 'foreground', limit: 'lasting' }],
    ['kubectl rollout status deployment/web', { kind: 'foreground', limit: 'lasting' }],
    ['kubectl port-forward svc/web 8080:80', { kind: 'foreground', limit: 'lasting' }],
    ['kubectl get pods -w &', { kind: 'background', limit: 'background', text: 'kubectl get pods -w' }],
    ['kubectl apply -f - <<EOF', { kind: 'interactive', limit: 'lasting', inputPrompt: '> ' }],
    ['read NAME', { kind: 'interactive', limit: 'lasting', inputPrompt: '' }],
    ['cat', { kind: 'interactive', limit: 'lasting', inputPrompt: '' }],
    ['kubectl edit deploy/web', { kind: 'interactive', limit: 'lasting', editorOnly: true }],
    ['kubectl apply -f - <<EOF\nkind: ConfigMap\nEOF', { kind: 'foreground', limit: 'command' }],
    ['jobs -l', { kind: 'foreground', limit: 'command', jobControl: 'jobs' }],
    ['kill %1', { kind: 'foreground', limit: 'command', jobControl: 'kill' }],
  ])('%j', (line, plan) => {
    expect(planRun(line)).toMatchObject(plan);
  });

  it('gives each limit its configured time', () => {
    const { commands } = parseConfig({
      COMMAND_TIMEOUT_SECONDS: '30',
      COMMAND_LASTING_TIMEOUT_SECONDS: '900',
      BACKGROUND_JOB_TIMEOUT_SECONDS: '1800',
    });
    expect([limitSeconds('command', commands), limitSeconds('lasting', commands)]).toEqual([30, 900]);
    expect(limitSeconds('background', commands)).toBe(1800);
    expect(parseConfig({}).commands).toMatchObject({
      lastingTimeoutSeconds: 900,
      backgroundTimeoutSeconds: 1800,
      backgroundJobsPerSession: 3,
      maxBlockBytes: 256 * 1024,
    });
  });
});

describe('InputQueue', () => {
  it('gives whole lines as they are typed, then the end of input', async () => {
    const input = new InputQueue(1024);
    const first = input.readLine();
    expect(input.push('one\ntw')).toEqual({ accepted: ['one'], overflow: false });
    expect(await first).toBe('one');
    input.push('o\n');
    expect(await input.readLine()).toBe('two');
    input.push('partial');
    input.end();
    expect(await input.readLine()).toBe('partial');
    expect(await input.readLine()).toBeNull();
  });

  it('ends the input past its byte limit, and stops a read when the run is stopped', async () => {
    const input = new InputQueue(8);
    expect(input.push('0123456789\n')).toEqual({ accepted: [], overflow: true });
    expect(await input.readLine()).toBeNull();
    const waiting = new InputQueue(8);
    const controller = new AbortController();
    const read = waiting.readLine(controller.signal);
    controller.abort();
    await expect(read).rejects.toThrow('aborted');
  });
});
