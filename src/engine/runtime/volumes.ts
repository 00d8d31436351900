/**
 * A pod's volumes as its containers see them: the one place that knows what a configMap, secret, downwardAPI,
 * projected or emptyDir volume puts where. The kubelet builds a volume's content when it mounts it and again on
 * its periodic sync (buildVolume, kept in its pod record); the container runtime lays the mounts over the image's
 * files for the pod shell (containerView) and asks where a write lands (writeTarget).
 *
 * Content volumes use the kubelet's atomic writer layout: the files live in a timestamped directory
 * `..2024_06_03_02_15_02.<n>`, `..data` links to it and each top-level entry links to `..data/<entry>`, so
 * `ls` shows the keys and `ls -la` the dot entries. A subPath mount copies one entry when the container starts
 * and never changes after.
 */
import type { ConfigMap, Secret } from '../api/config-types';
import type { Container, Pod, Volume } from '../api/types';
import { fieldValue } from '../controllers/container-env';
import type { ObjectStore } from '../store/store';

export interface MountedFile {
  content: string;
  mode: number;
}

/** A content volume as the kubelet last wrote it. */
export interface VolumeSnapshot {
  /** The atomic writer's timestamped directory name. */
  dir: string;
  writtenAt: number;
  files: Record<string, MountedFile>;
  /** `configmaps/<name>` / `secrets/<name>` → resourceVersion ('' when missing), to notice updates. */
  sources: Record<string, string>;
}

/** What the kubelet keeps per pod: content volumes by name and the emptyDir files (relative path → text). */
export interface PodVolumes {
  volumes?: Record<string, VolumeSnapshot>;
  emptyDirs?: Record<string, Record<string, string>>;
}

/** ls -l's view of an entry that is not a plain image file. */
export interface EntryInfo {
  type: 'file' | 'dir' | 'link';
  mode: number;
  mtime: number;
  target?: string;
}

export interface FileView {
  files: Record<string, string>;
  dirs: Record<string, string[]>;
  entries: Record<string, EntryInfo>;
}

export type WriteTarget =
  | { kind: 'read-only' }
  | { kind: 'emptyDir'; volume: string; path: string }
  | { kind: 'claim'; volume: string; path: string }
  | { kind: 'layer' };

/** The files of a claim's volume as the node holds them (relative path → text), by pod volume name. */
export type ClaimFiles = (volumeName: string) => Record<string, string> | undefined;

const DEFAULT_MODE = 0o644;

/** The service account volume the API server adds: the image profiles already show its files. */
export const isServiceAccountVolume = (name: string) => name.startsWith('kube-api-access-');

function decode(value: string): string {
  return Buffer.from(value, 'base64').toString('utf8');
}

/** Go's %q-quoted `key="value"` lines of a labels/annotations downward API file, sorted, no final newline. */
function formatMap(map: Record<string, string> | undefined): string {
  return Object.keys(map ?? {})
    .sort()
    .map((k) => `${k}=${JSON.stringify(map![k])}`)
    .join('\n');
}

function downwardValue(pod: Pod, path: string): string {
  if (path === 'metadata.labels') return formatMap(pod.metadata.labels);
  if (path === 'metadata.annotations') return formatMap(pod.metadata.annotations);
  return fieldValue(pod, path);
}

type Source =
  | {
      kind: 'configMap';
      name: string;
      items?: { key: string; path: string; mode?: number }[];
      optional?: boolean;
    }
  | {
      kind: 'secret';
      name: string;
      items?: { key: string; path: string; mode?: number }[];
      optional?: boolean;
    }
  | { kind: 'downwardAPI'; items?: { path: string; fieldRef?: { fieldPath: string }; mode?: number }[] };

function sourcesOf(volume: Volume): { sources: Source[]; mode?: number } | undefined {
  if (volume.configMap)
    return { sources: [{ kind: 'configMap', ...volume.configMap }], mode: volume.configMap.defaultMode };
  if (volume.secret)
    return {
      sources: [{ kind: 'secret', ...volume.secret, name: volume.secret.secretName }],
      mode: volume.secret.defaultMode,
    };
  if (volume.downwardAPI)
    return {
      sources: [{ kind: 'downwardAPI', items: volume.downwardAPI.items }],
      mode: volume.downwardAPI.defaultMode,
    };
  if (volume.projected && !isServiceAccountVolume(volume.name)) {
    const sources: Source[] = [];
    for (const raw of volume.projected.sources as Record<string, Record<string, unknown> | undefined>[]) {
      if (raw.configMap) sources.push({ kind: 'configMap', ...(raw.configMap as { name: string }) });
      else if (raw.secret) sources.push({ kind: 'secret', ...(raw.secret as { name: string }) });
      else if (raw.downwardAPI) sources.push({ kind: 'downwardAPI', ...(raw.downwardAPI as object) });
    }
    return { sources, mode: volume.projected.defaultMode };
  }
  return undefined;
}

/** The atomic writer's directory name for a write at `at`: `..2024_06_03_02_15_02.<random uint32>`. */
export function timestampedDir(at: number, random: number): string {
  const d = new Date(at);
  const p = (n: number) => String(n).padStart(2, '0');
  return `..${d.getUTCFullYear()}_${p(d.getUTCMonth() + 1)}_${p(d.getUTCDate())}_${p(d.getUTCHours())}_${p(d.getUTCMinutes())}_${p(d.getUTCSeconds())}.${random}`;
}

/**
 * The files a content volume holds now, with the MountVolume.SetUp error (kubelet v1.30's text) when a source it
 * needs is missing; undefined for volumes without content (emptyDir, hostPath, the service account volume).
 */
export function volumeContent(
  store: ObjectStore,
  pod: Pod,
  volume: Volume,
): { files: Record<string, MountedFile>; sources: Record<string, string> } | { error: string } | undefined {
  const spec = sourcesOf(volume);
  if (!spec) return undefined;
  const ns = pod.metadata.namespace ?? 'default';
  const files: Record<string, MountedFile> = {};
  const sources: Record<string, string> = {};
  const modeOf = (mode?: number) => mode ?? spec.mode ?? DEFAULT_MODE;
  for (const source of spec.sources) {
    if (source.kind === 'downwardAPI') {
      for (const item of source.items ?? [])
        if (item.fieldRef)
          files[item.path] = {
            content: downwardValue(pod, item.fieldRef.fieldPath),
            mode: modeOf(item.mode),
          };
      continue;
    }
    const isConfigMap = source.kind === 'configMap';
    const resource = isConfigMap ? 'configmaps' : 'secrets';
    const obj = store.get<ConfigMap | Secret>(resource, ns, source.name);
    sources[`${resource}/${source.name}`] = obj?.metadata.resourceVersion ?? '';
    if (!obj) {
      if (source.optional) continue;
      return { error: `${isConfigMap ? 'configmap' : 'secret'} "${source.name}" not found` };
    }
    const values: Record<string, string> = {};
    if (isConfigMap) {
      const cm = obj as ConfigMap;
      Object.assign(values, cm.data ?? {});
      for (const [k, v] of Object.entries(cm.binaryData ?? {})) values[k] = decode(v);
    } else for (const [k, v] of Object.entries((obj as Secret).data ?? {})) values[k] = decode(v);
    const items = source.items ?? Object.keys(values).map((key) => ({ key, path: key, mode: undefined }));
    for (const item of items) {
      if (values[item.key] === undefined) {
        if (source.optional) continue;
        return {
          error: isConfigMap
            ? `configmap references non-existent config key: ${item.key}`
            : `references non-existent secret key: ${item.key}`,
        };
      }
      files[item.path] = { content: values[item.key], mode: modeOf(item.mode) };
    }
  }
  return { files, sources };
}

/** Whether any source of the snapshot changed since it was written. */
export function isStale(store: ObjectStore, pod: Pod, snapshot: VolumeSnapshot): boolean {
  const ns = pod.metadata.namespace ?? 'default';
  return Object.entries(snapshot.sources).some(([key, version]) => {
    const [resource, name] = key.split('/');
    return (store.get(resource as 'configmaps', ns, name)?.metadata.resourceVersion ?? '') !== version;
  });
}

function addEntry(view: FileView, dir: string, name: string): void {
  const list = (view.dirs[dir] ??= []);
  if (!list.includes(name)) list.push(name);
}

/** Registers `path` as a directory and names it in each of its parents. */
function addDir(view: FileView, path: string, info?: EntryInfo): void {
  view.dirs[path] ??= [];
  if (info) view.entries[path] = info;
  let child = path;
  while (child !== '/') {
    const parent = child.slice(0, child.lastIndexOf('/')) || '/';
    addEntry(view, parent, child.slice(child.lastIndexOf('/') + 1));
    child = parent;
  }
}

function addFile(view: FileView, path: string, content: string, info: EntryInfo): void {
  view.files[path] = content;
  view.entries[path] = info;
  addDir(view, path.slice(0, path.lastIndexOf('/')) || '/');
  addEntry(view, path.slice(0, path.lastIndexOf('/')) || '/', path.slice(path.lastIndexOf('/') + 1));
}

/** The atomic writer's layout of a snapshot under `root`. */
function layOut(view: FileView, root: string, snap: VolumeSnapshot): void {
  const at = snap.writtenAt;
  addDir(view, root, { type: 'dir', mode: 0o777, mtime: at });
  addDir(view, `${root}/${snap.dir}`, { type: 'dir', mode: 0o755, mtime: at });
  view.entries[`${root}/..data`] = { type: 'link', mode: 0o777, mtime: at, target: snap.dir };
  addEntry(view, root, '..data');
  for (const [rel, file] of Object.entries(snap.files)) {
    const info: EntryInfo = { type: 'file', mode: file.mode, mtime: at };
    addFile(view, `${root}/${snap.dir}/${rel}`, file.content, info);
    addFile(view, `${root}/..data/${rel}`, file.content, info);
    // Through the links the file reads the same at its plain path.
    addFile(view, `${root}/${rel}`, file.content, info);
    const top = rel.split('/')[0];
    view.entries[`${root}/${top}`] = { type: 'link', mode: 0o777, mtime: at, target: `..data/${top}` };
  }
}

/** What the container sees of its mounts (subPath copies are the container's own, fixed at its start). */
export function containerView(
  pod: Pod,
  container: Container | undefined,
  state: PodVolumes,
  subPaths: Record<string, string> | undefined,
  startedAt: number,
  claimFiles?: ClaimFiles,
): FileView {
  const view: FileView = { files: {}, dirs: {}, entries: {} };
  for (const mount of container?.volumeMounts ?? []) {
    if (isServiceAccountVolume(mount.name)) continue;
    const root = mount.mountPath.replace(/\/+$/, '') || '/';
    const claimed = claimFiles?.(mount.name);
    if (claimed) {
      // The provisioner's directory is world-writable (0777); a subPath mounts one directory of it.
      addDir(view, root, { type: 'dir', mode: 0o777, mtime: startedAt });
      const prefix = mount.subPath ? `${mount.subPath.replace(/\/+$/, '')}/` : '';
      for (const [rel, content] of Object.entries(claimed))
        if (rel.startsWith(prefix))
          addFile(view, `${root}/${rel.slice(prefix.length)}`, content, {
            type: 'file',
            mode: DEFAULT_MODE,
            mtime: startedAt,
          });
      continue;
    }
    if (mount.subPath) {
      const copy = subPaths?.[root];
      if (copy !== undefined)
        addFile(view, root, copy, { type: 'file', mode: DEFAULT_MODE, mtime: startedAt });
      continue;
    }
    const snap = state.volumes?.[mount.name];
    if (snap) {
      layOut(view, root, snap);
      continue;
    }
    const volume = pod.spec.volumes?.find((v) => v.name === mount.name);
    if (volume?.emptyDir) {
      addDir(view, root, { type: 'dir', mode: 0o777, mtime: startedAt });
      for (const [rel, content] of Object.entries(state.emptyDirs?.[mount.name] ?? {}))
        addFile(view, `${root}/${rel}`, content, { type: 'file', mode: DEFAULT_MODE, mtime: startedAt });
    }
  }
  return view;
}

/** The subPath copies a container gets when it starts: mount path → the entry's content then. */
export function subPathCopies(container: Container, state: PodVolumes): Record<string, string> | undefined {
  let out: Record<string, string> | undefined;
  for (const mount of container.volumeMounts ?? []) {
    const file = mount.subPath ? state.volumes?.[mount.name]?.files[mount.subPath] : undefined;
    if (file) (out ??= {})[mount.mountPath.replace(/\/+$/, '')] = file.content;
  }
  return out;
}

/** Where a write to `path` lands: an emptyDir, the container's own layer, or nowhere (a read-only mount). */
export function writeTarget(pod: Pod, container: Container | undefined, path: string): WriteTarget {
  let best: { mount: NonNullable<Container['volumeMounts']>[number]; root: string } | undefined;
  for (const mount of container?.volumeMounts ?? []) {
    const root = mount.mountPath.replace(/\/+$/, '') || '/';
    if ((path === root || path.startsWith(`${root}/`)) && (!best || root.length > best.root.length))
      best = { mount, root };
  }
  if (!best) return { kind: 'layer' };
  const volume = pod.spec.volumes?.find((v) => v.name === best.mount.name);
  if (volume?.emptyDir && !best.mount.readOnly && !best.mount.subPath)
    return { kind: 'emptyDir', volume: volume.name, path: path.slice(best.root.length + 1) };
  const claim = volume?.persistentVolumeClaim;
  if (claim && !claim.readOnly && !best.mount.readOnly) {
    const rel = path.slice(best.root.length + 1);
    const sub = best.mount.subPath?.replace(/\/+$/, '');
    return { kind: 'claim', volume: volume.name, path: sub ? `${sub}/${rel}` : rel };
  }
  if (volume?.emptyDir || volume?.hostPath)
    return best.mount.readOnly ? { kind: 'read-only' } : { kind: 'layer' };
  return { kind: 'read-only' };
}
