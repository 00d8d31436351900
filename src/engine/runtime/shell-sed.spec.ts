import type { Pod } from '../api/types';
import { advanceUntil, labCluster } from '../testing';

/** A running pod of `image` (busybox sleeps; other images run their own server) and a way to exec in it. */
function podShell(image: string) {
  const { cluster, clock } = labCluster();
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'shell' },
    spec: { containers: [{ name: 'c', image, ...(image === 'busybox' ? { args: ['sleep', '3600'] } : {}) }] },
  } as unknown as Pod;
  cluster.api.create(pod);
  advanceUntil(
    cluster,
    clock,
    () => cluster.api.get<Pod>('pods', 'default', 'shell').status?.phase === 'Running',
  );
  return (...argv: string[]) => cluster.runtime.exec('default', 'shell', undefined, argv);
}

describe('pod shell text tools', () => {
  it('sed: s/// with g and p, -n, addresses, groups and & in the replacement, -i on a file', () => {
    const exec = podShell('busybox');
    exec('sh', '-c', 'printf "one two one\\nthree\\n" > /tmp/t');
    expect(exec('sed', 's/one/1/', '/tmp/t').stdout).toBe('1 two one\nthree\n');
    expect(exec('sed', 's/one/1/g', '/tmp/t').stdout).toBe('1 two 1\nthree\n');
    expect(exec('sed', '-n', 's/three/3/p', '/tmp/t').stdout).toBe('3\n');
    expect(exec('sed', '-n', '$p', '/tmp/t').stdout).toBe('three\n');
    expect(exec('sed', '1d', '/tmp/t').stdout).toBe('three\n');
    expect(exec('sed', 's/\\(t\\)wo/<\\1>[&]/', '/tmp/t').stdout).toBe('one <t>[two] one\nthree\n');
    expect(exec('sed', '-E', 's/(o)ne+/\\1/g', '/tmp/t').stdout).toBe('o two o\nthree\n');
    expect(exec('sed', '-i', '-e', 's/three/3/', '/tmp/t')).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect(exec('cat', '/tmp/t').stdout).toBe('one two one\n3\n');
  });

  it("sed's errors are busybox's on busybox and GNU sed's on Debian images", () => {
    expect(podShell('busybox')('sed', 's/a/b', '/etc/hostname')).toEqual({
      stdout: '',
      stderr: "sed: unmatched '/'\n",
      exitCode: 1,
    });
    const debian = podShell('httpd');
    expect(debian('sed', 's/a/b', '/etc/hostname').stderr).toBe(
      "sed: -e expression #1, char 5: unterminated `s' command\n",
    );
    expect(debian('sed', 'p', '/nope')).toEqual({
      stdout: '',
      stderr: "sed: can't read /nope: No such file or directory\n",
      exitCode: 2,
    });
  });

  // The expected texts below are what busybox 1.35's sed and GNU sed 4.9 print for the same scripts and input.
  it('sed: y, a, i, c (one-liners and a\\ with the text on the next line), q and =', () => {
    const exec = podShell('busybox');
    exec('sh', '-c', 'printf "one\\ntwo\\nthree\\nfour\\n" > /tmp/t');
    expect(exec('sed', 'y/otf/OTF/', '/tmp/t').stdout).toBe('One\nTwO\nThree\nFOur\n');
    expect(exec('sed', '2a added', '/tmp/t').stdout).toBe('one\ntwo\nadded\nthree\nfour\n');
    expect(exec('sed', '2a\\  spaced', '/tmp/t').stdout).toBe('one\ntwo\n  spaced\nthree\nfour\n');
    expect(exec('sed', '2a\\\nnext line', '/tmp/t').stdout).toBe('one\ntwo\nnext line\nthree\nfour\n');
    expect(exec('sed', '1i first', '/tmp/t').stdout).toBe('first\none\ntwo\nthree\nfour\n');
    expect(exec('sed', '$!d;$a tail', '/tmp/t').stdout).toBe('four\ntail\n');
    expect(exec('sed', '3c changed', '/tmp/t').stdout).toBe('one\ntwo\nchanged\nfour\n');
    expect(exec('sed', '1d;3a after', '/tmp/t').stdout).toBe('two\nthree\nafter\nfour\n');
    expect(exec('sed', '2q', '/tmp/t').stdout).toBe('one\ntwo\n');
    expect(exec('sed', '-n', '$=', '/tmp/t').stdout).toBe('4\n');
  });

  it('sed: ranges (N,M, /a/,/b/, N,$, N,+K, 0,/RE/ on GNU sed), ! and c over a range', () => {
    const exec = podShell('busybox');
    exec('sh', '-c', 'printf "one\\ntwo\\nthree\\nfour\\nfive\\n" > /tmp/t');
    expect(exec('sed', '-n', '2,4p', '/tmp/t').stdout).toBe('two\nthree\nfour\n');
    expect(exec('sed', '/two/,/four/d', '/tmp/t').stdout).toBe('one\nfive\n');
    expect(exec('sed', '3,$d', '/tmp/t').stdout).toBe('one\ntwo\n');
    expect(exec('sed', '2,+1d', '/tmp/t').stdout).toBe('one\nfour\nfive\n');
    expect(exec('sed', '4,2d', '/tmp/t').stdout).toBe('one\ntwo\nthree\nfive\n');
    expect(exec('sed', '-n', '/one/,/t/p', '/tmp/t').stdout).toBe('one\ntwo\n');
    expect(exec('sed', '2,3!d', '/tmp/t').stdout).toBe('two\nthree\n');
    expect(exec('sed', '2,4c block', '/tmp/t').stdout).toBe('one\nblock\nfive\n');
    expect(exec('sed', '0,/o/d', '/tmp/t').stdout).toBe('one\ntwo\nthree\nfour\nfive\n');
    expect(podShell('httpd')('sh', '-c', 'printf "one\\ntwo\\n" | sed 0,/o/d').stdout).toBe('two\n');
  });

  it('sed: w FILE and s///w FILE write the lines to a file the script empties first', () => {
    const exec = podShell('busybox');
    exec('sh', '-c', 'printf "one\\ntwo\\nthree\\n" > /tmp/t; echo old > /tmp/w');
    expect(exec('sed', '-n', '/t/w /tmp/w', '/tmp/t').stdout).toBe('');
    expect(exec('cat', '/tmp/w').stdout).toBe('two\nthree\n');
    expect(exec('sed', 's/o/0/w /tmp/w', '/tmp/t').stdout).toBe('0ne\ntw0\nthree\n');
    expect(exec('cat', '/tmp/w').stdout).toBe('0ne\ntw0\n');
    expect(exec('sed', '-n', '/x/w /tmp/w', '/tmp/t').stdout).toBe('');
    expect(exec('cat', '/tmp/w').stdout).toBe('');
  });

  it("sed's new errors: busybox's on busybox, GNU sed's on Debian images", () => {
    const busybox = podShell('busybox');
    expect(busybox('sed', '2,4a x', '/etc/hostname')).toEqual({
      stdout: '',
      stderr: "sed: command 'a' uses only one address\n",
      exitCode: 1,
    });
    expect(busybox('sed', 'w', '/etc/hostname').stderr).toBe('sed: empty filename\n');
    expect(busybox('sed', '2,p', '/etc/hostname').stderr).toBe('sed: no address after comma\n');
    expect(busybox('sed', 'y/abc/', '/etc/hostname').stderr).toBe("sed: unmatched '/'\n");
    const gnu = podShell('httpd');
    expect(gnu('sed', 'y/ab/x/', '/etc/hostname').stderr).toBe(
      "sed: -e expression #1, char 7: strings for `y' command are different lengths\n",
    );
    expect(gnu('sed', 'a', '/etc/hostname').stderr).toBe(
      "sed: -e expression #1, char 1: expected \\ after `a', `c' or `i'\n",
    );
    expect(gnu('sed', 'w', '/etc/hostname').stderr).toBe(
      'sed: -e expression #1, char 1: missing filename in r/R/w/W commands\n',
    );
    expect(gnu('sed', ',2p', '/etc/hostname').stderr).toBe(
      "sed: -e expression #1, char 1: unknown command: `,'\n",
    );
    expect(gnu('sed', '2,p', '/etc/hostname').stderr).toBe("sed: -e expression #1, char 3: unexpected `,'\n");
  });

  it('head -c and tail -c count bytes', () => {
    const exec = podShell('busybox');
    exec('sh', '-c', 'echo hello world > /tmp/h');
    expect(exec('head', '-c', '5', '/tmp/h').stdout).toBe('hello');
    expect(exec('head', '-c3', '/tmp/h').stdout).toBe('hel');
    expect(exec('tail', '-c', '6', '/tmp/h').stdout).toBe('world\n');
    expect(exec('head', '-c', 'x', '/tmp/h').exitCode).not.toBe(0);
  });

  it('sh -c runs pipes: tee writes the file and passes the text on, a quoted | stays a character', () => {
    const exec = podShell('busybox');
    expect(exec('sh', '-c', 'echo "a|b" | tee /tmp/x | sed s/a/A/').stdout).toBe('A|b\n');
    expect(exec('cat', '/tmp/x').stdout).toBe('a|b\n');
    expect(exec('sh', '-c', 'echo more | tee -a /tmp/x > /dev/null; cat /tmp/x | wc -l').stdout).toBe('2\n');
    expect(exec('sh', '-c', 'echo "a; b && c || d" && echo ok; false || echo fallback').stdout).toBe(
      'a; b && c || d\nok\nfallback\n',
    );
  });

  it('ls of several arguments: files first, then each directory under its name, a blank line between', () => {
    const exec = podShell('busybox');
    exec('sh', '-c', 'echo x > /tmp/f');
    expect(exec('ls', '/tmp', '/tmp/f', '/home').stdout).toBe('/tmp/f\n\n/home:\n\n/tmp:\nf\n');
    expect(exec('ls', '/nope', '/tmp')).toEqual({
      stdout: '/tmp:\nf\n',
      stderr: 'ls: /nope: No such file or directory\n',
      exitCode: 1,
    });
    expect(podShell('httpd')('ls', '/nope').stderr).toBe(
      "ls: cannot access '/nope': No such file or directory\n",
    );
  });
});
