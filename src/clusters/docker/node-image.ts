/**
 * Builds the project's node image `kubelab-node:<version>-<inputs hash>` without any registry:
 * a rootfs holding the host's node binary and the libraries `ldd` lists, busybox (static) for a shell,
 * the engine and node agent compiled to CommonJS, and the npm packages they require at run time;
 * then `docker import`. The tag carries a hash of every input, so an unchanged image is never rebuilt.
 *
 *   node -r ./scripts/swc-register.cjs src/clusters/docker/node-image.ts [--force]   (DOCKER_HOST selects the engine)
 * Prefer docker/node-image/build.sh, which installs busybox-static first and serialises parallel builds.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs, readFileSync, realpathSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { transformSync } from '@swc/core';
import { DockerRepository } from '../../infra/docker/docker.repository';
import { AGENT_STATE_DIR } from '../../node-agent/protocol';
import { AGENT_ENTRY, EXEC_CLIENT, NODE_USER } from './kubelab-flavour';

const REPO_ROOT = path.resolve(__dirname, '../../..');
/** Source trees compiled into the image: the engine and the agent (type-only imports elsewhere are erased). */
const SOURCE_DIRS = ['src/engine', 'src/node-agent'];
const IMAGE_HOME = '/opt/kubelab';

export interface NodeImageBuild {
  tag: string;
  built: boolean;
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string })
    .version;
}

/** The image tag for the current sources: `kubelab-node:<package version>-<12 hex of the inputs hash>`. */
export async function nodeImageTag(): Promise<string> {
  return `kubelab-node:${packageVersion()}-${(await inputsHash()).slice(0, 12)}`;
}

/**
 * Builds the image unless one for the same inputs exists, and points `kubelab-node:<package version>`
 * (the driver's default KUBELAB_NODE_IMAGE) at it.
 */
export async function ensureNodeImage(docker: DockerRepository, force = false): Promise<NodeImageBuild> {
  const tag = await nodeImageTag();
  const built = force || !(await docker.imageExists(tag));
  if (built) await buildImage(docker, tag);
  await docker.tagImage(tag, `kubelab-node:${packageVersion()}`);
  return { tag, built };
}

async function buildImage(docker: DockerRepository, tag: string): Promise<void> {
  const staging = await fs.mkdtemp(path.join(os.tmpdir(), 'kubelab-rootfs-'));
  try {
    await assembleRootfs(staging);
    const tar = spawn('tar', ['--numeric-owner', '-C', staging, '-c', '.'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const tarDone = new Promise<void>((resolve, reject) =>
      tar.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`tar exited with ${code}`)))),
    );
    await docker.importImage(tar.stdout, tag, [
      'ENV PATH=/usr/local/bin:/bin',
      `USER ${NODE_USER}`,
      'WORKDIR /home/kubelab',
      `CMD ["/usr/local/bin/node", "${AGENT_ENTRY}"]`,
    ]);
    await tarDone;
  } finally {
    await fs.rm(staging, { recursive: true, force: true });
  }
}

async function inputsHash(): Promise<string> {
  const hash = createHash('sha256');
  hash.update(process.version);
  hash.update(readFileSync(__filename));
  const sources = await sourceFiles();
  for (const file of [...sources, ...(await dataFiles(sources))]) {
    hash.update(file);
    hash.update(await fs.readFile(path.join(REPO_ROOT, file)));
  }
  return hash.digest('hex');
}

async function sourceFiles(): Promise<string[]> {
  const files: string[] = [];
  for (const dir of SOURCE_DIRS) {
    for (const entry of await fs.readdir(path.join(REPO_ROOT, dir), {
      recursive: true,
      withFileTypes: true,
    })) {
      if (
        !entry.isFile() ||
        !entry.name.endsWith('.ts') ||
        /\.(spec|int-spec|e2e-spec|d)\.ts$/.test(entry.name)
      )
        continue;
      files.push(path.relative(REPO_ROOT, path.join(entry.parentPath, entry.name)));
    }
  }
  return files.sort();
}

/** The JSON files the sources import by a relative path (the protobuf schema): copied into the image as they are. */
async function dataFiles(sources: string[]): Promise<string[]> {
  const files = new Set<string>();
  for (const file of sources) {
    const source = await fs.readFile(path.join(REPO_ROOT, file), 'utf8');
    for (const [, , specifier] of source.matchAll(/(?:from|require\()\s*(["'])(\.[^"']+\.json)\1/g))
      files.add(path.relative(REPO_ROOT, path.resolve(REPO_ROOT, path.dirname(file), specifier)));
  }
  return [...files].sort();
}

async function assembleRootfs(root: string): Promise<void> {
  await copyNodeRuntime(root);
  await installBusybox(root);
  const packages = await compileSources(root);
  for (const file of await dataFiles(await sourceFiles()))
    await copy(path.join(REPO_ROOT, file), path.join(root, IMAGE_HOME, file));
  await copyPackages(root, packages);
  await write(
    root,
    `/usr/local/bin/${EXEC_CLIENT}`,
    `#!/bin/sh\nexec /usr/local/bin/node ${IMAGE_HOME}/src/node-agent/exec-client.js "$@"\n`,
    0o755,
  );
  await write(
    root,
    '/etc/passwd',
    'root:x:0:0:root:/root:/bin/sh\nkubelab:x:1000:1000:kubelab:/home/kubelab:/bin/sh\n',
  );
  await write(root, '/etc/group', 'root:x:0:\nkubelab:x:1000:\n');
  for (const dir of ['/tmp', '/root', '/proc', '/sys', '/dev', '/etc'])
    await fs.mkdir(path.join(root, dir), { recursive: true });
  await fs.chmod(path.join(root, 'tmp'), 0o1777);
  // The node user's: Docker fills a new volume mounted here (KubelabFlavour) from the image, owner included.
  for (const dir of ['home/kubelab', AGENT_STATE_DIR.slice(1)]) {
    await fs.mkdir(path.join(root, dir), { recursive: true });
    await fs.chown(path.join(root, dir), 1000, 1000);
  }
}

/** The host's node binary and every shared library it links (paths kept, so the loader finds them). */
async function copyNodeRuntime(root: string): Promise<void> {
  const node = realpathSync(process.execPath);
  await copy(node, path.join(root, 'usr/local/bin/node'));
  const ldd = execFileSync('ldd', [node], { encoding: 'utf8' });
  const libraries = [...ldd.matchAll(/(\/\S+) \(0x/g)].map((match) => match[1]);
  for (const library of libraries) await copy(realpathSync(library), path.join(root, library));
}

async function installBusybox(root: string): Promise<void> {
  const busybox = '/bin/busybox';
  let linkage: string;
  try {
    linkage = execFileSync('file', ['-L', busybox], { encoding: 'utf8' });
  } catch {
    linkage = '';
  }
  if (!linkage.includes('statically linked')) {
    throw new Error(
      `${busybox} is missing or not static: run apt-get install -y busybox-static (docker/node-image/build.sh does)`,
    );
  }
  await copy(busybox, path.join(root, 'bin/busybox'));
  const applets = execFileSync(busybox, ['--list'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const applet of applets) {
    if (applet === 'busybox') continue;
    await fs.symlink('busybox', path.join(root, 'bin', applet)).catch(() => undefined);
  }
}

/** Compiles the sources to CommonJS under /opt/kubelab; returns the bare package names they require. */
async function compileSources(root: string): Promise<Set<string>> {
  // The project's one SWC configuration (scripts/swc-options.cjs), minus source maps.
  const swcOptions = createRequire(__filename)(path.join(REPO_ROOT, 'scripts/swc-options.cjs')) as object;
  const packages = new Set<string>();
  const builtins = new Set(builtinModules);
  for (const file of await sourceFiles()) {
    const source = await fs.readFile(path.join(REPO_ROOT, file), 'utf8');
    const { code } = transformSync(source, { ...swcOptions, filename: file, sourceMaps: false });
    // require.resolve too: the OpenAPI schemas (kubectl's field validation) are read from kubernetes-types' files.
    for (const [, , specifier] of code.matchAll(/require(?:\.resolve)?\((["'])([^"']+)\1\)/g)) {
      if (specifier.startsWith('.') || specifier.startsWith('node:') || builtins.has(specifier)) continue;
      packages.add(packageName(specifier));
    }
    await write(root, path.join(IMAGE_HOME, file.replace(/\.ts$/, '.js')), code);
  }
  return packages;
}

/** Copies runtime npm packages and, transitively, their dependencies into /opt/kubelab/node_modules. */
async function copyPackages(root: string, packages: Set<string>): Promise<void> {
  const pending = [...packages];
  const copied = new Set<string>();
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (copied.has(name)) continue;
    copied.add(name);
    const source = path.join(REPO_ROOT, 'node_modules', name);
    const manifest = JSON.parse(
      await fs.readFile(path.join(source, 'package.json'), 'utf8').catch(() => {
        throw new Error(`the engine requires "${name}" at run time but node_modules/${name} is missing`);
      }),
    ) as { dependencies?: Record<string, string> };
    await fs.cp(source, path.join(root, IMAGE_HOME, 'node_modules', name), {
      recursive: true,
      dereference: true,
    });
    pending.push(...Object.keys(manifest.dependencies ?? {}));
  }
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

async function copy(from: string, to: string): Promise<void> {
  await fs.mkdir(path.dirname(to), { recursive: true });
  await fs.copyFile(from, to);
  await fs.chmod(to, (await fs.stat(from)).mode & 0o777);
}

async function write(root: string, file: string, content: string, mode = 0o644): Promise<void> {
  const target = path.join(root, file);
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.writeFile(target, content, { mode });
}

if (require.main === module) {
  const dockerHost = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
  ensureNodeImage(new DockerRepository(dockerHost), process.argv.includes('--force')).then(
    ({ tag, built }) => {
      process.stderr.write(
        built ? `built ${tag} on ${dockerHost}\n` : `${tag} is up to date on ${dockerHost}\n`,
      );
      process.stdout.write(`${tag}\n`);
    },
    (error: Error) => {
      process.stderr.write(`node image build failed: ${error.message}\n`);
      process.exit(1);
    },
  );
}
