import { parseCheck } from '../loader/loader';
import { EvaluationContext, HistoryEntry, HistoryWatch } from './context';
import { evaluateCheck } from './evaluate';
import { literalPrefix } from './history';
import { readObjectsFromList } from './objects-from-list';

describe('literalPrefix', () => {
  it.each([
    ['^kubectl\\s+rollout\\s+undo\\s', 'kubectl rollout undo'],
    ['^kubectl\\s+get\\s+(no|node|nodes)(\\s|$)', 'kubectl get'],
    ['^curl\\s+(https?://)?x', 'curl'],
    ['^kubectl(?=\\s)(?=.*get)', 'kubectl'],
    ['^kubectl\\s+versions?', 'kubectl version'],
  ])('%s -> %s', (source, prefix) => {
    expect(literalPrefix(source)).toBe(prefix);
  });

  it('gives nothing for unanchored or non-literal patterns', () => {
    expect(literalPrefix('kubectl get')).toBeUndefined();
    expect(literalPrefix('^(kubectl|k)\\s')).toBeUndefined();
  });
});

describe('history watches: which further command would change an unmet check', () => {
  async function watchesOf(yaml: string, history: HistoryEntry[]): Promise<HistoryWatch[]> {
    const watches: HistoryWatch[] = [];
    const context: EvaluationContext = {
      readObjects: readObjectsFromList([]),
      history,
      watchHistory: (watch) => watches.push(watch),
    };
    await evaluateCheck(parseCheck(yaml), context);
    return watches;
  }
  const ran = (command: string, exitCode = 0, output = ''): HistoryEntry => ({ command, exitCode, output });
  const changes = (watches: HistoryWatch[], entry: HistoryEntry) => watches.some((watch) => watch(entry));

  it('a met check reports nothing: its first hit decides it for good', async () => {
    const yaml = "ran: { command: '^kubectl\\s+version(\\s|$)' }";
    expect(await watchesOf(yaml, [ran('kubectl version')])).toEqual([]);
  });

  it('an unmet check changes with a matching command, and with a new near miss', async () => {
    const yaml = "ran: { command: '^kubectl\\s+rollout\\s+undo\\s', status: succeeded }";
    const watches = await watchesOf(yaml, [ran('kubectl get pods')]);
    expect(watches).toHaveLength(1);
    expect(changes(watches, ran('kubectl rollout undo deploy/web'))).toBe(true);
    expect(changes(watches, ran('kubectl rollout undo deploy/web', 1))).toBe(true); // a near miss now
    expect(changes(watches, ran('kubectl rollout undo'))).toBe(true); // same words, another form
    expect(changes(watches, ran('kubectl get pods'))).toBe(false);
    expect(changes(watches, ran('kubectl describe deploy web'))).toBe(false);
  });

  it('a repeat of the near miss it already names changes nothing; output decides a hit', async () => {
    const yaml =
      "ran: { command: '^kubectl\\s+get\\s+pods(\\s|$)', output: 'ImagePullBackOff', example: kubectl get pods }";
    const history = [ran('kubectl get pods', 0, 'web-1 Running')];
    const watches = await watchesOf(yaml, history);
    expect(changes(watches, ran('kubectl get pods', 0, 'web-1 Running'))).toBe(false);
    expect(changes(watches, ran('kubectl get pods', 0, 'web-2 ImagePullBackOff'))).toBe(true);
    expect(changes(watches, ran('kubectl get pods', 1, 'error'))).toBe(true); // the near miss now fails
  });

  it('a near miss by its first words stays named until a closer or different one comes', async () => {
    const yaml = "ran: { command: '^kubectl\\s+rollout\\s+undo\\s', status: succeeded }";
    const watches = await watchesOf(yaml, [ran('kubectl rollout undo')]);
    expect(changes(watches, ran('kubectl get pods'))).toBe(false);
    expect(changes(watches, ran('kubectl rollout undo'))).toBe(false); // names the same line
    expect(changes(watches, ran('kubectl rollout undo', 1))).toBe(true); // same line, other exit code
    expect(changes(watches, ran('kubectl rollout undo deploy/web', 1))).toBe(true); // the regex's own
  });

  it('commands in order: the next one wanted, or any of them, can change the check', async () => {
    const yaml =
      "ranInOrder:\n  - { command: '^kubectl\\s+scale\\s.*--replicas=4' }\n  - { command: '^kubectl\\s+scale\\s.*--replicas=2' }";
    const watches = await watchesOf(yaml, [ran('kubectl scale deploy/web --replicas=4')]);
    expect(changes(watches, ran('kubectl scale deploy/web --replicas=2'))).toBe(true);
    expect(changes(watches, ran('kubectl get deploy'))).toBe(false);
  });

  it('a check inside not() still reports, since a later command can flip it', async () => {
    const yaml = "not:\n  ran: { command: '^kubectl\\s+delete\\s' }";
    const watches = await watchesOf(yaml, []);
    expect(changes(watches, ran('kubectl delete deploy web'))).toBe(true);
    expect(changes(watches, ran('kubectl get deploy'))).toBe(false);
  });
});
