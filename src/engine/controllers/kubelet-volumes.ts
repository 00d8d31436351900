/**
 * The kubelet's volume manager for content volumes (configMap, secret, downwardAPI, projected): the mount before
 * the sandbox starts, its FailedMount back-off, and the periodic sync that rewrites changed sources.
 */
import type { Pod } from '../api/types';
import { isServiceAccountVolume, isStale, timestampedDir, volumeContent } from '../runtime/volumes';
import { SOURCE, VOLUME_SYNC_MS, type PodRecord, type PodWorker } from './kubelet-state';

/** Volume operation retries (nestedpendingoperations): 500 ms doubling to 2 min 2 s. */
const MOUNT_BACKOFF_INITIAL_MS = 500;
const MOUNT_BACKOFF_MAX_MS = 122_000;

/**
 * Mounts every content volume. A missing source fails the mount with kubelet's FailedMount event, retried with
 * the volume manager's back-off until the source appears.
 */
export function mountVolumes(k: PodWorker, pod: Pod, rec: PodRecord, now: number): boolean {
  const written: NonNullable<PodRecord['volumes']> = {};
  for (const volume of pod.spec.volumes ?? []) {
    if (isServiceAccountVolume(volume.name)) continue;
    const content = volumeContent(k.ctx.store, pod, volume);
    if (content === undefined) continue;
    if ('error' in content) {
      rec.mountFailures = (rec.mountFailures ?? 0) + 1;
      k.ctx.events.record(
        pod,
        'Warning',
        'FailedMount',
        `MountVolume.SetUp failed for volume "${volume.name}" : ${content.error}`,
        SOURCE(rec.node),
      );
      const delay = Math.min(MOUNT_BACKOFF_INITIAL_MS * 2 ** (rec.mountFailures - 1), MOUNT_BACKOFF_MAX_MS);
      k.schedule(rec, now + delay);
      return false;
    }
    written[volume.name] = { dir: stampDir(rec, volume.name, now), writtenAt: now, ...content };
  }
  if (Object.keys(written).length) rec.volumes = written;
  return true;
}

/** The directory name's random part comes from the pod, volume and time, not the shared random stream, so
 *  mounting volumes leaves the names of everything else unchanged. */
function stampDir(rec: PodRecord, volume: string, now: number): string {
  let h = 0x811c9dc5;
  for (const ch of `${rec.uid}/${volume}/${now}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return timestampedDir(now, h);
}

/** A source of a mounted volume changed: the files follow at the pod's next periodic sync. */
export function noticeVolumeChanges(k: PodWorker, pod: Pod, rec: PodRecord, now: number): void {
  if (rec.sandboxAt === undefined) return;
  if (!Object.values(rec.volumes ?? {}).some((snap) => isStale(k.ctx.store, pod, snap))) return;
  const periods = Math.floor((now - rec.sandboxAt) / VOLUME_SYNC_MS) + 1;
  rec.volumeSyncAt = rec.sandboxAt + periods * VOLUME_SYNC_MS;
  k.schedule(rec, rec.volumeSyncAt);
}

/** The periodic sync: the atomic writer swaps `..data` to a new timestamped directory (subPath copies stay). */
export function rewriteVolumes(k: PodWorker, pod: Pod, rec: PodRecord, now: number): void {
  rec.volumeSyncAt = undefined;
  for (const volume of pod.spec.volumes ?? []) {
    const old = rec.volumes?.[volume.name];
    if (!old || !isStale(k.ctx.store, pod, old)) continue;
    const content = volumeContent(k.ctx.store, pod, volume);
    // A source deleted after the mount leaves the files as they were.
    if (!content || 'error' in content) continue;
    rec.volumes![volume.name] = { dir: stampDir(rec, volume.name, now), writtenAt: now, ...content };
  }
}
