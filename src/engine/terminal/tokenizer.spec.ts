import { expandWords, literalText, ShellSyntaxError, tokenize } from './tokenizer';

const words = (line: string, vars: Record<string, string> = {}, subst: (c: string) => string = () => '') =>
  tokenize(line).stages.map((stage) =>
    expandWords(stage, (part) => (part.kind === 'var' ? (vars[part.name] ?? '') : subst(part.command))),
  );

describe('tokenize', () => {
  it('splits words and honours single quotes, double quotes and backslashes', () => {
    expect(words(`kubectl expose deployment/yanwei.app --type="NodePort" --port 8080`)).toEqual([
      ['kubectl', 'expose', 'deployment/yanwei.app', '--type=NodePort', '--port', '8080'],
    ]);
    expect(words(`echo 'a  b' "c $X d" e\\ f ''`, { X: 'x' })).toEqual([
      ['echo', 'a  b', 'c x d', 'e f', ''],
    ]);
  });

  it('splits pipelines and keeps | inside quotes', () => {
    expect(words(`kubectl get pod --no-headers --all-namespaces |wc -l`)).toEqual([
      ['kubectl', 'get', 'pod', '--no-headers', '--all-namespaces'],
      ['wc', '-l'],
    ]);
    expect(words(`grep 'a|b'`)).toEqual([['grep', 'a|b']]);
  });

  it('expands $(...) substitutions and variables, dropping empty unquoted expansions', () => {
    expect(
      words('curl $(minikube ip):31120', {}, (c) => (c === 'minikube ip' ? '192.168.49.2' : '?')),
    ).toEqual([['curl', '192.168.49.2:31120']]);
    expect(words('kubectl exec -ti $POD_NAME -- /bin/bash')).toEqual([
      ['kubectl', 'exec', '-ti', '--', '/bin/bash'],
    ]);
    expect(words('echo "$POD_NAME"')).toEqual([['echo', '']]);
    expect(words('echo ${A}b $A', { A: 'x y' })).toEqual([['echo', 'x', 'yb', 'x', 'y']]);
    const parsed = tokenize('echo "$(kubectl get pods -o name | head -1)"');
    expect(parsed.stages[0][1].parts).toContainEqual({
      kind: 'subst',
      command: 'kubectl get pods -o name | head -1',
      quoted: true,
    });
  });

  it('treats # at the start of a word as a comment and blank lines as empty', () => {
    expect(tokenize('   ').stages).toEqual([]);
    expect(tokenize('# note').stages).toEqual([]);
    expect(words('kubectl get pods # all of them')).toEqual([['kubectl', 'get', 'pods']]);
    expect(words('echo a#b')).toEqual([['echo', 'a#b']]);
  });

  it.each([
    'kubectl get pods; rm -rf /',
    'kubectl get pods && echo ok',
    'kubectl get pods || true',
    'kubectl get pods > out.txt',
    'cat < /etc/passwd',
    'sleep 100 &',
    'echo `id`',
    '(kubectl get pods)',
    'echo $((1+2))',
    "echo 'unterminated",
    'echo "unterminated',
    'echo $(minikube ip',
    '| grep x',
    'kubectl get pods |',
    'echo $?',
  ])('rejects %j before anything runs', (line) => {
    expect(() => tokenize(line)).toThrow(ShellSyntaxError);
  });

  it('reports literal words for command names', () => {
    const [stage] = tokenize('kubectl "get" $X').stages;
    expect(stage.map(literalText)).toEqual(['kubectl', 'get', undefined]);
  });
});
