import {
  addHeredocLine,
  expandWords,
  heredocParts,
  heredocText,
  literalText,
  ShellSyntaxError,
  tokenize,
} from './tokenizer';

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

  it('reads > FILE and >> FILE as a redirection of their stage, after a here-document too', () => {
    const written = tokenize('cat <<EOF > "web app.yaml"\nkind: Pod\nEOF');
    expect(written.stages.map((stage) => stage.map(literalText))).toEqual([['cat']]);
    expect(written.redirects).toEqual([
      { stage: 0, append: false, target: { parts: [{ kind: 'text', text: 'web app.yaml', quoted: true }] } },
    ]);
    expect(heredocText(written.heredocs[0])).toBe('kind: Pod\n');
    const appended = tokenize('kubectl get pods | grep web>>$HOME/out');
    expect(appended.stages.map((stage) => stage.map(literalText))).toEqual([
      ['kubectl', 'get', 'pods'],
      ['grep', 'web'],
    ]);
    expect(appended.redirects).toEqual([
      {
        stage: 1,
        append: true,
        target: {
          parts: [
            { kind: 'var', name: 'HOME', quoted: false },
            { kind: 'text', text: '/out', quoted: false },
          ],
        },
      },
    ]);
    expect(tokenize("echo '>' x").redirects).toEqual([]);
  });

  it.each([
    ['echo x >', "bash: syntax error near unexpected token `newline'"],
    ['echo x > | wc', "bash: syntax error near unexpected token `|'"],
    ['echo x > >> y', "bash: syntax error near unexpected token `>>'"],
    ['echo x 2> y', "redirection ('2>') is not available in this lab terminal"],
    ['echo x >& y', "redirection ('>&') is not available in this lab terminal"],
    ['echo x >| y', "redirection ('>|') is not available in this lab terminal"],
  ])('%s is refused: %s', (line, message) => {
    expect(() => tokenize(line)).toThrow(message);
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
    'kubectl get pods 2> err.txt',
    'kubectl get pods >& out.txt',
    'kubectl get pods >',
    'kubectl get pods > | wc',
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

describe('here-documents', () => {
  it('reads the body after the command line up to the delimiter line, for the stage that carries it', () => {
    const parsed = tokenize('cat <<EOF | kubectl apply -f -\napiVersion: v1\n  kind: Pod\nEOF\n');
    expect(parsed.stages.map((stage) => stage.map(literalText))).toEqual([
      ['cat'],
      ['kubectl', 'apply', '-f', '-'],
    ]);
    expect(parsed.heredocs).toEqual([
      {
        stage: 0,
        delimiter: 'EOF',
        quoted: false,
        stripTabs: false,
        lines: ['apiVersion: v1', '  kind: Pod'],
        complete: true,
        operator: [4, 9],
      },
    ]);
    expect(heredocText(parsed.heredocs[0])).toBe('apiVersion: v1\n  kind: Pod\n');
    expect(tokenize('kubectl apply -f - <<EOF\nx\nEOF').heredocs[0].stage).toBe(0);
    expect(tokenize('kubectl get pods | grep x <<EOF\nx\nEOF').heredocs[0].stage).toBe(1);
  });

  it('takes the delimiter after quote removal; any quoting makes the body literal', () => {
    const delimiters = (line: string) =>
      tokenize(line).heredocs.map(({ delimiter, quoted, stripTabs }) => ({ delimiter, quoted, stripTabs }));
    expect(delimiters("cat <<'EOF'")).toEqual([{ delimiter: 'EOF', quoted: true, stripTabs: false }]);
    expect(delimiters('cat <<"END"')).toEqual([{ delimiter: 'END', quoted: true, stripTabs: false }]);
    expect(delimiters('cat <<\\EOF')).toEqual([{ delimiter: 'EOF', quoted: true, stripTabs: false }]);
    expect(delimiters('cat << E"O"F')).toEqual([{ delimiter: 'EOF', quoted: true, stripTabs: false }]);
    expect(delimiters('cat <<-EOF')).toEqual([{ delimiter: 'EOF', quoted: false, stripTabs: true }]);
    expect(delimiters('cat <<$X')).toEqual([{ delimiter: '$X', quoted: false, stripTabs: false }]);
  });

  it('leaves a body open until its delimiter line arrives; <<- strips leading tabs', () => {
    const { heredocs } = tokenize('cat <<-EOF');
    expect(heredocs[0].complete).toBe(false);
    expect(addHeredocLine(heredocs, '\t\tindented')).toBe(false);
    expect(addHeredocLine(heredocs, ' EOF')).toBe(false);
    expect(addHeredocLine(heredocs, '\tEOF')).toBe(true);
    expect(heredocs[0].lines).toEqual(['indented', ' EOF']);
    const two = tokenize('cat <<A | grep x <<B\na\nA\nb').heredocs;
    expect(two.map((h) => [h.lines, h.complete])).toEqual([
      [['a'], true],
      [['b'], false],
    ]);
  });

  it('expands $VAR, ${VAR} and $(...) in an unquoted body, with backslash escapes and line joins', () => {
    const body = 'name: $NAME ${X}y \\$HOME "q" \\a $(kubectl get ns -o name)\nlong \\\nline\n';
    expect(
      expandWords([{ parts: heredocParts(body) }], (part) =>
        part.kind === 'var' ? ({ NAME: 'web', X: 'a b' } as Record<string, string>)[part.name] : 'ns/x',
      ),
    ).toEqual(['name: web a by $HOME "q" \\a ns/x\nlong line\n']);
    expect(() => heredocParts('echo `id`')).toThrow(ShellSyntaxError);
  });

  it.each([
    ['cat <<', "bash: syntax error near unexpected token `newline'"],
    ['cat << | grep x', "bash: syntax error near unexpected token `|'"],
    ['cat <<<word', "here-strings ('<<<')"],
    ['cat <<EOF\nx\nEOF\nkubectl delete pods --all', 'a command after the end of a here-document'],
    ["cat <<'EOF", "unexpected EOF while looking for matching `''"],
  ])('rejects %j', (line, message) => {
    expect(() => tokenize(line)).toThrow(message);
  });
});
