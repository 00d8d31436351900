/**
 * The home directory seen from the lab terminal: what bash shows on a terminal (ls columns, ls -l), here-documents
 * into files typed over several lines, paths that try to leave /home/student, the limits, kubectl reading files and
 * folders of the home (`-f` with several `---` documents, --from-file, --from-env-file, secret tls), the editor
 * message and the home outliving its terminal through its snapshot. Expected texts come from bash 5.2, GNU
 * coreutils 9.1 and kubectl v1.30.13 run on the same inputs.
 */
import { ManualClock } from '../../src/engine/clock/clock';
import { createCluster } from '../../src/engine/cluster';
import type { Cluster } from '../../src/engine/cluster';
import { HOME_LIMITS, HomeDirectory, LabTerminal, textInput } from '../../src/engine/terminal';

interface Result {
  stdout: string;
  stderr: string;
  code: number;
}

const START = Date.UTC(2024, 5, 3, 2, 15, 0);
const OUTSIDE = 'outside the home directory: files in this lab terminal live in /home/student';

function setup(home = new HomeDirectory(() => clock.now())): {
  cluster: Cluster;
  home: HomeDirectory;
  run(line: string, typed?: string): Promise<Result>;
} {
  const cluster = createCluster({ seed: 7, clock });
  const terminal = new LabTerminal(cluster, { home });
  const run = async (line: string, typed?: string) => {
    const result = { stdout: '', stderr: '', code: 0 };
    result.code = await terminal.run(line, {
      stdout: (c) => (result.stdout += c),
      stderr: (c) => (result.stderr += c),
      stdin: typed === undefined ? undefined : textInput(typed),
    });
    return result;
  };
  return { cluster, home, run };
}

const clock = new ManualClock(START);
const ok = (stdout: string): Result => ({ stdout, stderr: '', code: 0 });
const failed = (stderr: string, code = 1): Result => ({ stdout: '', stderr, code });

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
`;

describe('the home on the terminal', () => {
  it('starts with the example manifests unless the lab gives a home', async () => {
    const cluster = createCluster({ seed: 7, clock });
    const terminal = new LabTerminal(cluster);
    expect(terminal.home.list('')).toEqual(['deployment.yaml', 'pod.yaml', 'service.yaml']);
    expect((await setup().run('ls')).stdout).toBe('');
  });

  it('lists in columns on the terminal and with ls -l / -la as GNU ls does', async () => {
    const { run } = setup();
    await run('mkdir manifests');
    await run('echo hello > notes.txt');
    for (let i = 1; i <= 12; i++) await run(`touch manifests/file-number-${i}.yaml`);
    expect(await run('ls')).toEqual(ok('manifests  notes.txt\n'));
    expect(await run('ls manifests')).toEqual(
      ok(
        'file-number-1.yaml   file-number-2.yaml  file-number-6.yaml\n' +
          'file-number-10.yaml  file-number-3.yaml  file-number-7.yaml\n' +
          'file-number-11.yaml  file-number-4.yaml  file-number-8.yaml\n' +
          'file-number-12.yaml  file-number-5.yaml  file-number-9.yaml\n',
      ),
    );
    expect(await run('ls -la')).toEqual(
      ok(
        'total 16\n' +
          'drwxr-xr-x 3 student student 4096 Jun  3 02:15 .\n' +
          'drwxr-xr-x 3 root    root    4096 Jun  3 02:15 ..\n' +
          'drwxr-xr-x 2 student student 4096 Jun  3 02:15 manifests\n' +
          '-rw-r--r-- 1 student student    6 Jun  3 02:15 notes.txt\n',
      ),
    );
    expect(await run('ls -l notes.txt')).toEqual(
      ok('-rw-r--r-- 1 student student 6 Jun  3 02:15 notes.txt\n'),
    );
    // Into a pipe ls prints one name per line.
    expect(await run('ls | wc -l')).toEqual(ok('2\n'));
  });

  it('takes a here-document typed over several lines as one run, into a file', async () => {
    const { run } = setup();
    const [first, ...body] = `cat <<EOF > web.yaml\n${WEB}EOF`.split('\n');
    expect(await run(first, `${body.join('\n')}\n`)).toEqual(ok(''));
    expect((await run('cat web.yaml')).stdout).toBe(WEB);
    // Pasted as one text, with $VAR expanded in an unquoted body and kept in a quoted one.
    await run('export APP=api');
    await run("cat <<'EOF' >> web.yaml\nliteral: $APP\nEOF");
    await run('cat <<EOF > vars.txt\nname: $APP\nEOF');
    expect((await run('tail -1 web.yaml')).stdout).toBe('literal: $APP\n');
    expect((await run('cat vars.txt')).stdout).toBe('name: api\n');
  });

  it.each([
    ['cat ../../etc/passwd', `cat: ../../etc/passwd: ${OUTSIDE}\n`, 1],
    ['cat /etc/passwd', `cat: /etc/passwd: ${OUTSIDE}\n`, 1],
    ['ls /', `ls: cannot access '/': ${OUTSIDE}\n`, 2],
    [
      'head ~/../../etc/shadow',
      `head: cannot open '/home/student/../../etc/shadow' for reading: ${OUTSIDE}\n`,
      1,
    ],
    ['grep root /etc/passwd', `grep: /etc/passwd: ${OUTSIDE}\n`, 2],
    ['wc /etc/hosts', `wc: /etc/hosts: ${OUTSIDE}\n`, 1],
    ['mkdir /tmp/x', `mkdir: cannot create directory '/tmp/x': ${OUTSIDE}\n`, 1],
    ['touch ../x', `touch: cannot touch '../x': ${OUTSIDE}\n`, 1],
    ['rm -rf /', `rm: cannot remove '/': ${OUTSIDE}\n`, 1],
    ['cp /etc/passwd .', `cp: cannot stat '/etc/passwd': ${OUTSIDE}\n`, 1],
    ['mv notes.txt /tmp/', `mv: cannot move 'notes.txt' to '/tmp/': ${OUTSIDE}\n`, 1],
    ['cd ..', `bash: cd: ..: ${OUTSIDE}\n`, 1],
    ['cd /', `bash: cd: /: ${OUTSIDE}\n`, 1],
    ['diff notes.txt /etc/passwd', `diff: /etc/passwd: ${OUTSIDE}\n`, 2],
    ['echo x > /tmp/x', `bash: /tmp/x: ${OUTSIDE}\n`, 1],
    ['echo x >> ../../etc/profile', `bash: ../../etc/profile: ${OUTSIDE}\n`, 1],
    [
      'kubectl apply -f /etc/kubernetes/admin.yaml',
      `error: the path "/etc/kubernetes/admin.yaml" is ${OUTSIDE}\n`,
      1,
    ],
    [
      'kubectl create configmap c --from-file=/etc/passwd',
      `error: error reading /etc/passwd: ${OUTSIDE}\n`,
      1,
    ],
    ['vim /etc/hosts', `vim: /etc/hosts: ${OUTSIDE}\n`, 1],
  ])('%s stays inside the home', async (line, stderr, code) => {
    const { run, home } = setup();
    await run('echo hi > notes.txt');
    const before = home.snapshot();
    expect(await run(line)).toEqual(failed(stderr, code));
    expect(home.snapshot()).toEqual(before);
  });

  it('refuses writes over a limit whole, with a clear message', async () => {
    const { run, home } = setup();
    home.writeFile('big.txt', 'x'.repeat(HOME_LIMITS.fileBytes - 1) + '\n');
    expect(await run('echo more >> big.txt')).toEqual(
      failed(
        'bash: big.txt: file too large: a file in this lab terminal holds at most 256 KiB (this would be 257 KiB)\n',
      ),
    );
    expect(home.readFile('big.txt')).toHaveLength(HOME_LIMITS.fileBytes);
    for (let i = 1; i < 8; i++) expect(await run(`cp big.txt copy${i}`)).toEqual(ok(''));
    expect(await run('cp big.txt copy8')).toEqual(
      failed(
        "cp: cannot copy 'big.txt' to 'copy8': home directory full: it holds at most 2 MiB of files (this would be 2304 KiB); remove files with rm\n",
      ),
    );
    expect(await run('rm copy1 copy2 copy3 copy4 copy5 copy6 copy7')).toEqual(ok(''));
    for (let i = 0; i < HOME_LIMITS.entries - 1; i++) home.writeFile(`f${i}`, '');
    expect(await run('mkdir -p a/b')).toEqual(
      failed(
        "mkdir: cannot create directory 'a/b': home directory full: it holds at most 200 files and folders; remove some with rm\n",
      ),
    );
    expect(home.stat('a')).toBeUndefined();
  });

  it('hostile: touch of 10,000 tiny files fills the home to its 200 entries and says so for each of the rest', async () => {
    const { run, home } = setup();
    const names = Array.from({ length: 10_000 }, (_, i) => `f${i}`);
    const touched = await run(`touch ${names.join(' ')}`);
    // GNU touch goes on after a file it cannot create and exits 1 at the end.
    expect(touched.code).toBe(1);
    const refused = touched.stderr.split('\n').filter(Boolean);
    expect(refused).toHaveLength(10_000 - HOME_LIMITS.entries);
    expect(refused[0]).toBe(
      "touch: cannot touch 'f200': home directory full: it holds at most 200 files and folders; remove some with rm",
    );
    expect(home.usage().entries).toBe(HOME_LIMITS.entries);
    expect(await run('ls | wc -l')).toEqual(ok('200\n'));
    // The full home still reads, and frees up with rm.
    expect(await run('rm f0 f1')).toEqual(ok(''));
    expect(await run('touch late.txt')).toEqual(ok(''));
  });

  it('keeps the home when asked to remove it, as /home is root’s', async () => {
    const { run, home } = setup();
    await run('mkdir -p a/b');
    await run('echo x > a/b/c');
    expect(await run('rm -r ~')).toEqual(failed("rm: cannot remove '/home/student': Permission denied\n"));
    expect(home.list('')).toEqual([]);
    expect(await run('pwd')).toEqual(ok('/home/student\n'));
  });

  it('answers vim, vi and nano with the editor pane', async () => {
    const { run } = setup();
    await run('mkdir k8s');
    expect(await run('vim k8s/web.yaml')).toEqual(
      ok(
        'vim: ~/k8s/web.yaml opens in the editor pane of the lab page (this terminal has no full-screen editor); save it there to create it\n',
      ),
    );
    await run('touch k8s/web.yaml');
    expect(await run('nano k8s/web.yaml')).toEqual(
      ok(
        'nano: ~/k8s/web.yaml opens in the editor pane of the lab page (this terminal has no full-screen editor); save it there\n',
      ),
    );
    expect(await run('vi k8s')).toEqual(failed('vi: k8s: Is a directory\n'));
    expect(await run('vim')).toEqual(
      failed('vim: name one file to edit, e.g. vim web.yaml: it opens in the editor pane of the lab page\n'),
    );
  });

  it('completes paths of the home and shows the working directory', async () => {
    const cluster = createCluster({ seed: 7, clock });
    const terminal = new LabTerminal(cluster, { home: new HomeDirectory(() => clock.now()) });
    const run = (line: string) => terminal.run(line, { stdout: () => undefined, stderr: () => undefined });
    await run('mkdir -p manifests/old');
    await run('touch manifests/web.yaml manifests/db.yaml notes.txt');
    expect(terminal.complete('cat ma')).toEqual(['manifests/']);
    expect(terminal.complete('kubectl apply -f manifests/')).toEqual([
      'manifests/db.yaml',
      'manifests/old/',
      'manifests/web.yaml',
    ]);
    expect(terminal.complete('kubectl create configmap c --from-file ')).toEqual(['manifests/', 'notes.txt']);
    expect(terminal.complete('kubectl create configmap c --from-file=no')).toEqual(['--from-file=notes.txt']);
    expect(terminal.workingDirectory()).toBe('~');
    await run('cd manifests/old');
    expect(terminal.workingDirectory()).toBe('~/manifests/old');
    expect(terminal.complete('ls ../')).toEqual(['../db.yaml', '../old/', '../web.yaml']);
  });

  it('keeps the home through its snapshot when the terminal (or the cluster) is replaced', async () => {
    const first = setup();
    await first.run('mkdir k8s');
    await first.run('echo "kind: Pod" > k8s/pod.yaml');
    const saved = JSON.stringify(first.home.snapshot());
    const second = setup(HomeDirectory.restore(JSON.parse(saved), () => clock.now()));
    expect(await second.run('cat k8s/pod.yaml')).toEqual(ok('kind: Pod\n'));
    expect(second.home.version).toBe(first.home.version);
  });
});

describe('kubectl reads the home', () => {
  it('applies, creates and deletes a folder of manifests with several --- documents', async () => {
    const { run, cluster } = setup();
    await run('mkdir app');
    await run(`cat > app/web.yaml <<'EOF'\n${WEB}EOF`);
    await run("cat > app/cm.yaml <<'EOF'\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\nEOF");
    await run('echo notes > app/README.md');
    expect(await run('kubectl apply -f app')).toEqual(
      ok('configmap/cfg created\ndeployment.apps/web created\nservice/web created\n'),
    );
    expect(await run('kubectl apply -f app/')).toEqual(
      ok('configmap/cfg unchanged\ndeployment.apps/web unchanged\nservice/web unchanged\n'),
    );
    expect(await run('kubectl create -f app/cm.yaml')).toEqual(
      failed(
        'Error from server (AlreadyExists): error when creating "app/cm.yaml": configmaps "cfg" already exists\n',
      ),
    );
    expect(await run('kubectl delete -f app/web.yaml --wait=false')).toEqual(
      ok('deployment.apps "web" deleted\nservice "web" deleted\n'),
    );
    expect(await run('kubectl delete -f app/web.yaml')).toEqual(
      failed(
        'Error from server (NotFound): error when deleting "app/web.yaml": deployments.apps "web" not found\n' +
          'Error from server (NotFound): error when deleting "app/web.yaml": services "web" not found\n',
      ),
    );
    expect(await run('cat app/web.yaml | kubectl apply -f -')).toEqual(
      ok('deployment.apps/web created\nservice/web created\n'),
    );
    expect(await run('kubectl apply -f nope.yaml')).toEqual(
      failed('error: the path "nope.yaml" does not exist\n'),
    );
    expect(cluster.api.list('services', { namespace: 'default' }).map((s) => s.metadata.name)).toEqual([
      'kubernetes',
      'web',
    ]);
  });

  it('builds ConfigMaps and Secrets from --from-file and --from-env-file', async () => {
    const { run } = setup();
    await run("cat > game.properties <<'EOF'\nlives=3\nEOF");
    await run("cat > app.env <<'EOF'\n# comment\nA=1\n  B=two words\nNOVAL\nEOF");
    expect(
      await run(
        'kubectl create configmap game --from-file=game.properties --from-file=k=app.env --dry-run=client -o yaml',
      ),
    ).toEqual(
      ok(
        'apiVersion: v1\ndata:\n  game.properties: |\n    lives=3\n  k: |\n    # comment\n    A=1\n      B=two words\n    NOVAL\nkind: ConfigMap\nmetadata:\n  creationTimestamp: null\n  name: game\n',
      ),
    );
    expect(
      await run('kubectl create secret generic env --from-env-file=app.env --dry-run=client -o yaml'),
    ).toEqual(
      ok(
        'apiVersion: v1\ndata:\n  A: MQ==\n  B: dHdvIHdvcmRz\n  NOVAL: ""\nkind: Secret\nmetadata:\n  creationTimestamp: null\n  name: env\n',
      ),
    );
    expect(await run('kubectl create configmap c --from-file=k=.')).toEqual(
      failed('error: cannot give a key name for a directory path\n'),
    );
    expect(await run('kubectl create configmap c --from-env-file=.')).toEqual(
      failed('error: env config file cannot be a directory\n'),
    );
    expect(await run('kubectl create configmap c --from-file=nope')).toEqual(
      failed('error: error reading nope: no such file or directory\n'),
    );
  });

  it('creates a TLS secret from --cert and --key, checking the pair as kubectl does', async () => {
    const { run } = setup();
    await run(`cat > tls.crt <<'EOF'\n${CERT}EOF`);
    await run(`cat > tls.key <<'EOF'\n${KEY}EOF`);
    await run(`cat > other.key <<'EOF'\n${OTHER_KEY}EOF`);
    expect(await run('kubectl create secret tls web-tls --cert=tls.crt --key=tls.key')).toEqual(
      ok('secret/web-tls created\n'),
    );
    expect(await run('kubectl get secret web-tls -o jsonpath={.type}')).toEqual(ok('kubernetes.io/tls'));
    expect(await run('kubectl create secret tls t --cert=tls.crt --key=other.key')).toEqual(
      failed('error: tls: private key does not match public key\n'),
    );
    expect(await run('kubectl create secret tls t --cert=tls.key --key=tls.key')).toEqual(
      failed('error: tls: failed to find any PEM data in certificate input\n'),
    );
    expect(await run('kubectl create secret tls t --cert=nope --key=tls.key')).toEqual(
      failed('error: Cannot read file nope, open nope: no such file or directory\n'),
    );
  });
});

// A self-signed P-256 certificate and its key, and an unrelated key (test data made with openssl req -x509).
const CERT = `-----BEGIN CERTIFICATE-----
MIIBcjCCARmgAwIBAgIUXLfXR5dKsOtpELhHu7bK77XXbaAwCgYIKoZIzj0EAwIw
DjEMMAoGA1UEAwwDd2ViMCAXDTI2MTIwNjAyMzQxNFoYDzIxMjYxMTEyMDIzNDE0
WjAOMQwwCgYDVQQDDAN3ZWIwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAQvVCqQ
Z9ARQw2R1dGVwA5Qt7Sfchpi7MQG7MlasCYFYmn2pn0lMatjahcAmVmaRbESH1e5
T1S2UeK47YevuoK5o1MwUTAdBgNVHQ4EFgQUmDrrCd7f8jxwiJ1cFh8TW/PSwe0w
HwYDVR0jBBgwFoAUmDrrCd7f8jxwiJ1cFh8TW/PSwe0wDwYDVR0TAQH/BAUwAwEB
/zAKBggqhkjOPQQDAgNHADBEAiA3hwovZ+MTxeQeNLXbq1bXDcTCV5IA/cPRhKDr
t2llhwIgVSh3vZ+lyrQtiq0Ux2s/zAvE9qmwxo9XnBRJY7Dyufg=
-----END CERTIFICATE-----
`;
const KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgmfO6WChWYG/O9zzc
kPfsLMdnCZNub1hGYdD0KYInGM6hRANCAAQvVCqQZ9ARQw2R1dGVwA5Qt7Sfchpi
7MQG7MlasCYFYmn2pn0lMatjahcAmVmaRbESH1e5T1S2UeK47YevuoK5
-----END PRIVATE KEY-----
`;
const OTHER_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg+41dFXZUUNp8DkL8
cSqEEBXjaP5n9SHSOsj0QcMuM6GhRANCAAT+QrtzNGP1vNweRq8f66InzlmfNX2m
A5syhEohdaq2MPwHSUmZv0PGR+3iDiM5pEx1AtKYuDiW0+ljKYFV+xJB
-----END PRIVATE KEY-----
`;
