/**
 * The student's home on the Docker driver (capabilities.homeFiles): the terminal in the control-plane
 * container keeps it in the container's volume, with the embedded terminal's commands and limits, and
 * syncs it with the session's stored home through exec (ExecOptions.home in, ExecResult.home out).
 * A small stand-in for the platform's home store holds the stored home here, as the command runner does.
 */
import type { ClusterRef, ExecHome, ExecOptions } from '../../src/clusters/cluster-driver';
import { DockerClusterDriver } from '../../src/clusters/docker/docker-cluster-driver';
import { controlPlaneName } from '../../src/clusters/docker/provisioning';
import type { HomeSnapshot } from '../../src/engine';
import { AGENT_READY_MARKER } from '../../src/node-agent/protocol';
import {
  type DockerTestEngine,
  driverSettings,
  neverAborted,
  recordingSink,
  SETUP_TIMEOUT_MS,
  startEngine,
} from './support/docker-env';

const base = `home-${Date.now().toString(36)}`;
let engine: DockerTestEngine;
let driver: DockerClusterDriver;
const refs: ClusterRef[] = [];

/** The session's stored home, as the platform keeps it: replaced by what a line changed, counted loads. */
class StoredHome {
  loads = 0;
  constructor(public home: HomeSnapshot) {}

  options(): ExecOptions {
    const execHome: ExecHome = {
      version: this.home.version,
      load: async () => {
        this.loads++;
        return this.home;
      },
    };
    return { home: execHome };
  }

  /** An editor save: the stored home moves on without the cluster. */
  save(path: string, text: string): void {
    const entries = [...this.home.entries.filter((e) => e.p !== path), { p: path, t: text, m: Date.now() }];
    entries.sort((a, b) => (a.p < b.p ? -1 : 1));
    this.home = { v: 1, version: this.home.version + 1, entries };
  }
}

const stored = new StoredHome({
  v: 1,
  version: 5,
  entries: [{ p: 'notes.txt', t: 'written in the editor\n', m: Date.UTC(2026, 0, 5) }],
});

async function provision(clusterId: string): Promise<ClusterRef> {
  const ref = await driver.provision(
    { clusterId, labSessionId: 'session-home', ownerId: 'student-home', nodeCount: 1 },
    () => undefined,
  );
  refs.push(ref);
  return ref;
}

/** Runs a line with the stored home, stores the home it changed (as the command runner does). */
async function run(ref: ClusterRef, line: string) {
  const sink = recordingSink();
  const result = await driver.exec(ref, line, sink, neverAborted(), undefined, stored.options());
  if (result.home)
    stored.home = { ...result.home, version: Math.max(result.home.version, stored.home.version + 1) };
  return {
    exitCode: result.exitCode,
    changed: result.home !== undefined,
    out: sink.stdoutText(),
    err: sink.stderrText(),
  };
}

const fileText = (path: string) => stored.home.entries.find((e) => e.p === path)?.t;

beforeAll(async () => {
  engine = await startEngine('default');
  driver = new DockerClusterDriver(driverSettings([engine], engine.image));
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await driver?.close();
  for (const ref of refs) await driver.destroy(ref);
});

test('the kubelab node image declares the home capability', () => {
  expect(driver.capabilities.homeFiles).toBe(true);
});

test('a manifest written with > is stored, read back with cat and applied with -f', async () => {
  const ref = await provision(`${base}-a`);
  const written = await run(
    ref,
    'kubectl create deployment web --image=nginx --dry-run=client -o yaml > web.yaml',
  );
  expect(written).toMatchObject({ exitCode: 0, changed: true, out: '', err: '' });
  // A new cluster's terminal was filled from the stored home first: the editor's file is still there.
  expect(stored.loads).toBe(1);
  expect(stored.home.entries.map((e) => e.p)).toEqual(['notes.txt', 'web.yaml']);
  expect(fileText('web.yaml')).toMatch(/^apiVersion: apps\/v1\nkind: Deployment\nmetadata:\n/);

  const shown = await run(ref, 'cat web.yaml');
  expect(shown).toMatchObject({ exitCode: 0, changed: false, out: fileText('web.yaml'), err: '' });
  expect(await run(ref, 'kubectl apply -f web.yaml')).toMatchObject({
    exitCode: 0,
    changed: false,
    out: 'deployment.apps/web created\n',
    err: '',
  });
  expect(await run(ref, 'cat notes.txt')).toMatchObject({ out: 'written in the editor\n' });
  // Lines that only read carried the version, never the home.
  expect(stored.loads).toBe(1);

  stored.save('notes.txt', 'saved again\n');
  expect(await run(ref, 'cat notes.txt')).toMatchObject({ exitCode: 0, out: 'saved again\n' });
  expect(stored.loads).toBe(2);
});

test("a line that would break a limit is refused whole, with the embedded terminal's error", async () => {
  const ref = refs[0];
  stored.save('big-a.txt', 'a'.repeat(200 * 1024));
  stored.save('big-b.txt', 'b'.repeat(100 * 1024));
  const refused = await run(ref, 'cat big-a.txt >> big-b.txt');
  expect(refused).toEqual({
    exitCode: 1,
    changed: false,
    out: '',
    err: 'bash: big-b.txt: file too large: a file in this lab terminal holds at most 256 KiB (this would be 300 KiB)\n',
  });
  expect(fileText('big-b.txt')).toHaveLength(100 * 1024);
  expect(await run(ref, 'rm big-a.txt big-b.txt')).toMatchObject({ exitCode: 0, changed: true });
});

test('the home survives a restart of the control-plane container: its volume kept it', async () => {
  const ref = refs[0];
  const container = controlPlaneName(ref.clusterId);
  await engine.docker.stopContainer(container, 1);
  await engine.docker.startContainer(container);
  await engine.docker.waitForOutput(container, AGENT_READY_MARKER, 20_000);
  const loadsBefore = stored.loads;
  expect(await run(ref, 'cat web.yaml')).toMatchObject({ exitCode: 0, out: fileText('web.yaml') });
  expect(await run(ref, 'ls')).toMatchObject({ out: 'notes.txt  web.yaml\n' });
  // Nothing was sent: the restarted terminal started from the volume, at the stored version.
  expect(stored.loads).toBe(loadsBefore);
});

test('after a cluster reset the new cluster starts from the stored home', async () => {
  await driver.destroy(refs[0]);
  const ref = await provision(`${base}-b`);
  const loadsBefore = stored.loads;
  expect(await run(ref, 'kubectl apply -f web.yaml')).toMatchObject({
    exitCode: 0,
    out: 'deployment.apps/web created\n',
    err: '',
  });
  expect(stored.loads).toBe(loadsBefore + 1);
  expect(await run(ref, 'cat notes.txt')).toMatchObject({ out: 'saved again\n' });
});
