import { alignTabs, DESCRIBE_OPTIONS, GET_TABLE_OPTIONS, TabWriter } from './tabwriter';

describe('TabWriter (reference §1.2/§1.3)', () => {
  it('reproduces the reference get -o wide example byte for byte', () => {
    const rows = [
      ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'],
      [
        'kubernetes-bootcamp-7dc9765bf6-hx9rd',
        '1/1',
        'Running',
        '0',
        '37m',
        '10.38.0.1',
        'node1.k8s',
        '<none>',
        '<none>',
      ],
      [
        'kubernetes-bootcamp-7dc9765bf6-v2hbf',
        '1/1',
        'Terminating',
        '0',
        '28m',
        '10.38.0.2',
        'node1.k8s',
        '<none>',
        '<none>',
      ],
      [
        'kubernetes-bootcamp-cfc74666-lswgs',
        '0/1',
        'ContainerCreating',
        '0',
        '7s',
        '<none>',
        'node1.k8s',
        '<none>',
        '<none>',
      ],
      [
        'kubernetes-bootcamp-cfc74666-mfh6x',
        '1/1',
        'Running',
        '0',
        '22s',
        '10.32.0.2',
        'node2.k8s',
        '<none>',
        '<none>',
      ],
    ];
    const text = rows.map((r) => r.join('\t') + '\n').join('');
    expect(alignTabs(text, GET_TABLE_OPTIONS)).toBe(
      'NAME                                   READY   STATUS              RESTARTS   AGE   IP          NODE        NOMINATED NODE   READINESS GATES\n' +
        'kubernetes-bootcamp-7dc9765bf6-hx9rd   1/1     Running             0          37m   10.38.0.1   node1.k8s   <none>           <none>\n' +
        'kubernetes-bootcamp-7dc9765bf6-v2hbf   1/1     Terminating         0          28m   10.38.0.2   node1.k8s   <none>           <none>\n' +
        'kubernetes-bootcamp-cfc74666-lswgs     0/1     ContainerCreating   0          7s    <none>      node1.k8s   <none>           <none>\n' +
        'kubernetes-bootcamp-cfc74666-mfh6x     1/1     Running             0          22s   10.32.0.2   node2.k8s   <none>           <none>\n',
    );
  });

  it('applies minwidth 6 to short columns (AGE) and never pads the last cell', () => {
    const out = alignTabs('AGE\tX\n5s\tyy\n', GET_TABLE_OPTIONS);
    expect(out).toBe('AGE   X\n5s    yy\n');
  });

  it('aligns describe text in column blocks: a line without TAB ends the block', () => {
    const text = 'IP:\t10.244.0.5\nIPs:\n  IP:\t10.244.0.5\nControlled By:\tReplicaSet/x\nContainers:\n';
    expect(alignTabs(text, DESCRIBE_OPTIONS)).toBe(
      'IP:  10.244.0.5\nIPs:\n  IP:           10.244.0.5\nControlled By:  ReplicaSet/x\nContainers:\n',
    );
  });

  it('pads a line that ends in a TAB (empty trailing cell) and keeps trailing spaces inside cells', () => {
    const text =
      '    Container ID:\t\n    Restart Count:\t0\nConditions:\n  Type\tStatus\n  PodReadyToStartContainers \tTrue \n';
    expect(alignTabs(text, DESCRIBE_OPTIONS)).toBe(
      '    Container ID:   \n    Restart Count:  0\nConditions:\n  Type                        Status\n  PodReadyToStartContainers   True \n',
    );
  });

  it('counts widths in runes, not UTF-16 units', () => {
    expect(alignTabs('\u{1F600}\tb\nabc\tc\n', DESCRIBE_OPTIONS)).toBe('\u{1F600}    b\nabc  c\n');
  });

  it('remembers widths across flushes (watch mode) but aligns each flush on its own otherwise', () => {
    const writer = new TabWriter(GET_TABLE_OPTIONS);
    writer.write('NAME\tREADY\nlong-pod-name\t1/1\n');
    expect(writer.flush()).toBe('NAME            READY\nlong-pod-name   1/1\n');
    writer.write('p\t0/1\n');
    expect(writer.flush()).toBe('p               0/1\n');
    const plain = new TabWriter(DESCRIBE_OPTIONS);
    plain.write('long-label:\tx\n');
    plain.flush();
    plain.write('a:\ty\n');
    expect(plain.flush()).toBe('a:  y\n');
  });

  it('prints rows given as cells exactly as the same rows written as text, mixed in any order', () => {
    const rows = [
      ['NAMESPACE', 'NAME', 'READY'],
      ['default', '\u{1F600}-pod', '1/1'],
      ['kube-system', 'a-much-longer-pod-name', '0/1'],
      ['lab', 'cut', 'multi\nline'],
      ['lab', 'tab\tinside', 'x'],
      [],
      ['only-one-cell'],
    ];
    const asText = new TabWriter(GET_TABLE_OPTIONS);
    for (const row of rows) asText.write(row.join('\t') + '\n');
    const asRows = new TabWriter(GET_TABLE_OPTIONS);
    for (const row of rows) asRows.writeRow([...row]);
    const mixed = new TabWriter(GET_TABLE_OPTIONS);
    rows.forEach((row, i) => (i % 2 ? mixed.writeRow([...row]) : mixed.write(row.join('\t') + '\n')));
    const expected = asText.flush();
    expect(expected).toContain('a-much-longer-pod-name   0/1');
    expect(asRows.flush()).toBe(expected);
    expect(mixed.flush()).toBe(expected);
    // Only plain cells: the rows are aligned as given, never turned into text.
    const plain = rows.filter((row) => row.every((cell) => !/[\t\n]/.test(cell)));
    const plainText = new TabWriter(GET_TABLE_OPTIONS);
    const plainRows = new TabWriter(GET_TABLE_OPTIONS);
    for (const row of plain) {
      plainText.write(row.join('\t') + '\n');
      plainRows.writeRow([...row]);
    }
    expect(plainRows.flush()).toBe(plainText.flush());
  });
});
