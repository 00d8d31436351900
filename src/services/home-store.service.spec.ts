import { FakeDriver } from '../clusters/testing/fake-drivers';
import { commandRunnerHarness } from '../commands/testing/command-runner-harness';
import { HomeDirectory } from '../engine';
import { writeOf } from './home-store.service';
import { listingOf, parseSnapshot } from './home-snapshots';

/** The text of each file of a stored home, by path. */
function files(snapshot: string): Record<string, string> {
  return Object.fromEntries(
    parseSnapshot(snapshot)
      .entries.filter((entry) => entry.t !== undefined)
      .map((entry) => [entry.p, entry.t as string]),
  );
}

async function setup() {
  const h = commandRunnerHarness(new FakeDriver());
  const session = h.session();
  await h.lifecycle.ensureCluster(session);
  await h.queue.settled();
  return { h, session };
}

async function runAll(
  h: ReturnType<typeof commandRunnerHarness>,
  session: { id: string },
  ...lines: string[]
) {
  const runs = [];
  for (const line of lines) runs.push(await h.submit(h.sessions.rows.get(session.id)!, line));
  await h.runner.drain(session.id);
  return runs;
}

describe('HomeStoreService: the session’s stored home', () => {
  it('starts a new session with the starter files at version 0, stored as a whole revision', async () => {
    const { h, session } = await setup();
    const stored = await h.homes.current(session.id);
    expect(stored.version).toBe(0);
    expect(Object.keys(files(stored.snapshot))).toEqual(['deployment.yaml', 'pod.yaml', 'service.yaml']);
    expect(h.homeRows.revisions.get(session.id)).toEqual([
      expect.objectContaining({ version: 0, snapshot: stored.snapshot }),
    ]);
  });

  it('hands the driver the stored home, stores what a command wrote, links the run and announces it', async () => {
    const { h, session } = await setup();
    const [write, read] = await runAll(h, session, 'write notes.txt hello', 'echo unchanged');
    const stored = await h.homes.current(session.id);
    expect(stored.version).toBe(1);
    expect(files(stored.snapshot)['notes.txt']).toBe('hello\n');
    expect(h.runs.rows.get(write.id)?.homeVersion).toBe(1);
    // A line that changed nothing is linked to the version it ran with.
    expect(h.runs.rows.get(read.id)?.homeVersion).toBe(1);
    expect(h.events.payloadsOf('home.changed')).toEqual([
      { labSessionId: session.id, version: 1, runId: write.id },
    ]);
    expect(await h.homeRows.hint(session.id)).toBe(1);
  });

  it('stores a session’s first write in one statement: the home the driver loaded is known', async () => {
    const { h, session } = await setup();
    const swap = jest.spyOn(h.homeRows, 'swap');
    // The first line fills the new cluster's copy from the stored home; the write after it swaps from there.
    await runAll(h, session, 'echo first', 'write notes.txt hello');
    expect(swap).toHaveBeenCalledTimes(1);
    await expect(swap.mock.results[0].value).resolves.toBe(true);
    expect((await h.homes.current(session.id)).version).toBe(1);
  });

  it('keeps the files when the cluster is reset: the new cluster loads the stored home', async () => {
    const { h, session } = await setup();
    await runAll(h, session, 'write app.yaml kind: Pod');
    await h.lifecycle.reset(h.sessions.rows.get(session.id)!);
    await h.queue.settled();
    await runAll(h, session, 'write second.yaml kind: Service');
    const stored = files((await h.homes.current(session.id)).snapshot);
    expect(stored['app.yaml']).toBe('kind: Pod\n');
    expect(stored['second.yaml']).toBe('kind: Service\n');
  });

  it('merges a command with an editor save that landed while it ran: neither is lost', async () => {
    const { h, session } = await setup();
    await runAll(h, session, 'write a.txt one');
    // The editor saves b.txt at version 2 while the driver's copy is still at 1 and a command runs.
    const base = await h.homes.execHome(session.id);
    await h.homes.change(session.id, (current) => {
      const home = HomeDirectory.restore(parseSnapshot(current.snapshot));
      home.writeFile('b.txt', 'from the editor\n');
      const next = home.snapshot();
      return { write: writeOf(parseSnapshot(current.snapshot), next), answer: next.version };
    });
    const copy = HomeDirectory.restore(await base.load());
    copy.writeFile('c.txt', 'from a command\n');
    const version = await h.homes.recordRun(session.id, 'run-x', base.version, {
      ...copy.snapshot(),
      version: base.version + 1,
    });
    expect(version).toBe(3);
    const stored = await h.homes.current(session.id);
    expect(stored.version).toBe(3);
    expect(files(stored.snapshot)).toMatchObject({
      'a.txt': 'one\n',
      'b.txt': 'from the editor\n',
      'c.txt': 'from a command\n',
    });
    // The driver's copy is behind the stored version now, so the next line reloads it.
    await runAll(h, session, 'write d.txt four');
    expect(Object.keys(files((await h.homes.current(session.id)).snapshot))).toEqual(
      expect.arrayContaining(['a.txt', 'b.txt', 'c.txt', 'd.txt']),
    );
  });

  it('rebuilds any version from the revisions (whole ones every 16 plus the changes after)', async () => {
    const { h, session } = await setup();
    const lines = Array.from({ length: 20 }, (_, i) => `write f${String(i).padStart(2, '0')}.txt v${i}`);
    const runs = await runAll(h, session, ...lines);
    const revisions = h.homeRows.revisions.get(session.id)!;
    expect(revisions.map((r) => r.version)).toEqual(Array.from({ length: 21 }, (_, i) => i));
    expect(revisions.filter((r) => r.snapshot !== null).map((r) => r.version)).toEqual([0, 16]);
    const at7 = await h.homes.snapshotAt(session.id, h.runs.rows.get(runs[6].id)!.homeVersion!);
    expect(listingOf(at7!).map((entry) => entry.path)).toEqual([
      'deployment.yaml',
      'f00.txt',
      'f01.txt',
      'f02.txt',
      'f03.txt',
      'f04.txt',
      'f05.txt',
      'f06.txt',
      'pod.yaml',
      'service.yaml',
    ]);
    const at19 = await h.homes.snapshotAt(session.id, 19);
    expect(at19!.entries.find((entry) => entry.p === 'f18.txt')?.t).toBe('v18\n');
    expect(at19!.entries.find((entry) => entry.p === 'f19.txt')).toBeUndefined();
  });

  it('refuses a command’s write past the limits whole, and stores nothing', async () => {
    const { h, session } = await setup();
    const [big] = await runAll(h, session, `write big.txt ${'x'.repeat(256 * 1024)}`);
    expect(h.runs.rows.get(big.id)).toMatchObject({ exitCode: 1, homeVersion: 0 });
    expect(h.runs.rows.get(big.id)?.output).toBe(
      'write: big.txt: file too large: a file in this lab terminal holds at most 256 KiB (this would be 257 KiB)\n',
    );
    expect((await h.homes.current(session.id)).version).toBe(0);
  });
});
