import { necessaryConditions, RegexBudgetError, RegexMemo, safeRegex, TEXT_LIMIT } from './regex-runner';

describe('safeRegex', () => {
  it('answers as RegExp does, primed or one text at a time', () => {
    const regex = safeRegex('^kubectl\\s+get\\s+pods');
    regex.prime(['kubectl get pods', 'kubectl get svc']);
    expect(regex.test('kubectl get pods')).toBe(true);
    expect(regex.test('kubectl get svc')).toBe(false);
    expect(regex.test('kubectl  get   pods -A')).toBe(true);
    expect(regex.source).toBe('^kubectl\\s+get\\s+pods');
  });

  it('tests only the first TEXT_LIMIT characters of a text', () => {
    const regex = safeRegex('x$');
    expect(regex.test(`${'a'.repeat(TEXT_LIMIT)}x`)).toBe(false);
    expect(regex.test(`${'a'.repeat(TEXT_LIMIT - 1)}x`)).toBe(true);
  });

  it('answers at once for a backtracking regex that V8 can run in linear time', () => {
    // Exponential for a backtracking engine; V8 runs the match again on its linear-time engine.
    for (const source of ['^(a+)+$', '^(a|aa)+$', '^(\\w+\\s?)+$', '(.*a){12}x'])
      expect(safeRegex(source).test(`${'a'.repeat(TEXT_LIMIT - 1)}!`)).toBe(false);
    expect(safeRegex('^(a+)+$').test('aaaa')).toBe(true);
  });

  it('stops a backtracking regex the linear engine cannot run at its budget, then fails it at once', () => {
    // The backreference keeps it off the linear-time engine (and gives it no necessary conditions): it runs in
    // the vm, under the budget.
    const source = '^(a+)+\\1b';
    const regex = safeRegex(source);
    const hostile = `${'a'.repeat(40)}!`;
    expect(() => regex.test(hostile)).toThrow(RegexBudgetError);
    // Remembered as too slow: another regex of the same source fails with the same reason, also on a harmless text.
    expect(() => safeRegex(source).test('aaa')).toThrow(/took longer than/);
  });

  it('tests regexes with backreferences and lookarounds in the vm, with the same answers', () => {
    const regex = safeRegex('^(\\w+) \\1(?! x)');
    regex.prime(['go go', 'go went', 'go go x']);
    expect([regex.test('go go'), regex.test('go went'), regex.test('go go x')]).toEqual([true, false, false]);
  });
});

describe('necessaryConditions', () => {
  // Shaped like lec7's checks: a prefix, then flags that may come in any order.
  const patterns = [
    '^kubectl(?=\\s)(?=.*\\sget\\s+(po|pod|pods)(\\s|$))(?=.*(\\s-n\\s*kube-system|\\s-A)(\\s|$))',
    '^kubectl\\s+scale\\s(?=.*web)(?=.*--replicas[= ]?4(\\s|$))',
    '^kubectl(?=.*\\s-o\\s*(?=yaml|json))\\s+get\\s',
    'deployment(?!\\.apps)\\S*\\s(?<=t\\s)',
  ];
  const texts = [
    'kubectl get pods -n kube-system',
    'kubectl -n kube-system get po',
    'kubectl get pods',
    'kubectl get pods -A',
    'kubectl label nodes minikube bench=3 --overwrite',
    'kubectl scale deployment web --replicas=4',
    'kubectl scale deployment web --replicas 2',
    'kubectl scale --replicas=4 deployment/web',
    'kubectl get deployment -o yaml',
    'kubectl get deployment.apps/web -o wide',
    'kubectl create deployment web --image=nginx',
    'echo kubectl get pods -A',
    '',
  ];

  it('are matched by every text the regex matches, and reject most of the others', () => {
    let rejected = 0;
    for (const source of patterns) {
      const conditions = necessaryConditions(source);
      expect(conditions.length).toBeGreaterThan(0);
      for (const text of texts) {
        const matched = new RegExp(source).test(text);
        const admitted = conditions.every((condition) => condition.test(text));
        if (matched) expect(admitted).toBe(true);
        if (!admitted) rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(texts.length * 2);
  });

  it('give safeRegex the same answers as RegExp', () => {
    for (const source of patterns) {
      const regex = safeRegex(source);
      expect(texts.map((text) => regex.test(text))).toEqual(
        texts.map((text) => new RegExp(source).test(text)),
      );
    }
  });

  it('are none for a backreference, a top-level alternation or a quantified lookaround', () => {
    for (const source of ['^(\\w+) \\1(?! x)', 'a|b(?=c)', '^x(?=a)*y', '^(?<w>a)(?=b)\\k<w>'])
      expect(necessaryConditions(source)).toEqual([]);
  });
});

describe('RegexMemo', () => {
  it('keeps what was asked for in the last generation and forgets what was not', () => {
    const memo = new RegexMemo(10);
    memo.set('r', 'aaaa', true);
    memo.set('r', 'bbbb', false);
    // Full: the next text starts a new generation; 'aaaa' and 'bbbb' are in the previous one.
    memo.set('r', 'cccc', true);
    expect(memo.get('r', 'aaaa')).toBe(true); // copied forward into the current generation
    memo.set('r', 'dddd', true); // the current generation is full again: 'bbbb' is dropped with the older one
    expect(memo.get('r', 'bbbb')).toBeUndefined();
    expect(memo.get('r', 'aaaa')).toBe(true);
    expect(memo.get('r', 'dddd')).toBe(true);
    expect(memo.get('other', 'aaaa')).toBeUndefined();
  });

  it('never holds more than two generations of characters, however many texts pass', () => {
    const memo = new RegexMemo(1000);
    for (let i = 0; i < 100_000; i++)
      memo.set(`source ${i % 7}`, `kubectl label nodes minikube bench=t${i}`, i % 2 === 0);
    expect(memo.chars()).toBeLessThanOrEqual(2000);
    expect(memo.chars()).toBeGreaterThan(0);
  });

  it('counts a text once when its answer is written again', () => {
    const memo = new RegexMemo(8);
    memo.set('r', 'abcd', true);
    memo.set('r', 'abcd', true);
    memo.set('r', 'efgh', false);
    expect(memo.get('r', 'abcd')).toBe(true);
    expect(memo.get('r', 'efgh')).toBe(false);
    expect(memo.chars()).toBe(8);
  });
});
