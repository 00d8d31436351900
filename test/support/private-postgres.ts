import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The newest PostgreSQL server binaries installed (Debian keeps them under /usr/lib/postgresql/N/bin). */
function serverBinaries(): string {
  const root = '/usr/lib/postgresql';
  const versions = readdirSync(root)
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) throw new Error(`no PostgreSQL server under ${root}; install postgresql`);
  return path.join(root, versions[0], 'bin');
}

/**
 * A PostgreSQL server of a test's own, in a temporary data directory on its own port, so a test can
 * stop and restart it without disturbing the shared server on 5432. PostgreSQL refuses to run as
 * root, so under root it runs as the `postgres` system user. Trust authentication, user `postgres`.
 */
export class PrivatePostgres {
  private readonly bin = serverBinaries();
  private readonly dir = mkdtempSync(path.join(os.tmpdir(), 'kubelab-pg-'));
  private readonly dataDir = path.join(this.dir, 'data');
  private readonly owner = process.getuid?.() === 0 ? userIds('postgres') : undefined;

  constructor(readonly port: number) {
    if (this.owner) chownSync(this.dir, this.owner.uid, this.owner.gid);
    this.run('initdb', ['-D', this.dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  }

  /** A URL of a database on this server (create it with ensureDatabaseExists or migrate). */
  url(database: string): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/${database}`;
  }

  start(): void {
    const options = `-p ${this.port} -h 127.0.0.1 -k ${this.dir} -c fsync=off -c max_connections=60`;
    this.run('pg_ctl', ['start', '-w', '-D', this.dataDir, '-l', path.join(this.dir, 'log'), '-o', options]);
  }

  /** `pg_ctl stop -m fast`: every connection is ended at once, as in a real outage. */
  stop(): void {
    this.run('pg_ctl', ['stop', '-w', '-m', 'fast', '-D', this.dataDir]);
  }

  /** Stops the server (if it runs) and removes its files. */
  destroy(): void {
    spawnSync(path.join(this.bin, 'pg_ctl'), ['stop', '-m', 'immediate', '-D', this.dataDir], {
      uid: this.owner?.uid,
      gid: this.owner?.gid,
      stdio: 'ignore',
    });
    rmSync(this.dir, { recursive: true, force: true });
  }

  private run(program: string, args: string[]): void {
    const result = spawnSync(path.join(this.bin, program), args, {
      uid: this.owner?.uid,
      gid: this.owner?.gid,
      cwd: this.dir,
      encoding: 'utf8',
    });
    if (result.status !== 0)
      throw new Error(
        `${program} ${args.join(' ')} failed (${result.status}): ${result.stderr}${result.stdout}`,
      );
  }
}

function userIds(name: string): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
  return { uid, gid };
}
