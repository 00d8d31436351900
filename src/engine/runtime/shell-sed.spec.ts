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
