/**
 * Image pulling on the simulated kubelet: the image against the catalogue, pulls serialised per node ("already
 * present" once it is there), pull failures with ErrImagePull and exponential ImagePullBackOff.
 */
import type { Container, Pod } from '../api/types';
import { lookupImage, parseImage, pullFailure } from '../runtime/images';
import { goDuration } from '../runtime/go-duration';
import { backoffFor, type ContainerRecord, type PodRecord, type PodWorker } from './kubelet-state';

/** The container's image step: already present, never pullable, or a pull started (its end is `nextAt`). */
export function beginImage(k: PodWorker, pod: Pod, rec: PodRecord, c: ContainerRecord, now: number): void {
  const spec = k.containerSpec(pod, c);
  const parsed = parseImage(spec.image);
  if ('error' in parsed) {
    c.stage = 'invalid';
    c.waitingReason = 'InvalidImageName';
    c.waitingMessage = `Failed to apply default image tag "${spec.image}": ${parsed.error}`;
    k.record(pod, 'Warning', 'InspectFailed', c.waitingMessage, c.name);
    k.record(pod, 'Warning', 'Failed', 'Error: InvalidImageName', c.name);
    return;
  }
  const node = k.nodeRecord(rec.node);
  const presentSince = node.images[parsed.key];
  const present = presentSince !== undefined && presentSince <= now;
  if (present && spec.imagePullPolicy !== 'Always') {
    k.record(pod, 'Normal', 'Pulled', `Container image "${spec.image}" already present on machine`, c.name);
    c.stage = 'starting';
    c.nextAt = now + k.ctx.random.int(150, 450);
    return;
  }
  if (spec.imagePullPolicy === 'Never') {
    c.stage = 'invalid';
    c.waitingReason = 'ErrImageNeverPull';
    c.waitingMessage = `Container image "${spec.image}" is not present with pull policy of Never`;
    k.record(pod, 'Warning', 'ErrImageNeverPull', c.waitingMessage, c.name);
    k.record(pod, 'Warning', 'Failed', 'Error: ErrImageNeverPull', c.name);
    return;
  }
  k.record(pod, 'Normal', 'Pulling', `Pulling image "${spec.image}"`, c.name);
  c.stage = 'pulling';
  c.pullRequestedAt = now;
  const img = lookupImage(spec.image);
  if (!img) {
    c.pullFails = true;
    c.nextAt = now + k.ctx.random.int(900, 1900);
    return;
  }
  c.pullFails = false;
  const start = Math.max(now, node.pullerFreeAt);
  const alreadyFetched = presentSince !== undefined && presentSince <= start;
  const duration = alreadyFetched
    ? k.ctx.random.int(300, 900)
    : Math.round(img.pullSeconds * 1000 * (0.9 + k.ctx.random.int(0, 200) / 1000));
  node.pullerFreeAt = start + duration;
  c.pullDurationMs = duration;
  if (presentSince === undefined || presentSince > start + duration)
    node.images[parsed.key] = start + duration;
  c.nextAt = start + duration;
}

export function pullFailed(k: PodWorker, pod: Pod, c: ContainerRecord, spec: Container, now: number): void {
  const message = pullFailure(spec.image);
  c.stage = 'pull-error';
  c.pullFailures++;
  c.lastPullFailureAt = now;
  c.waitingReason = 'ErrImagePull';
  c.waitingMessage = message;
  k.record(pod, 'Warning', 'Failed', `Failed to pull image "${spec.image}": ${message}`, c.name);
  k.record(pod, 'Warning', 'Failed', 'Error: ErrImagePull', c.name);
  c.nextAt = now + 1000;
}

/** The pod worker's next sync finds the image in back-off. */
export function enterPullBackoff(k: PodWorker, pod: Pod, c: ContainerRecord, spec: Container): void {
  c.stage = 'pull-backoff';
  c.waitingReason = 'ImagePullBackOff';
  c.waitingMessage = `Back-off pulling image "${spec.image}"`;
  k.record(pod, 'Normal', 'BackOff', c.waitingMessage, c.name);
  k.record(pod, 'Warning', 'Failed', 'Error: ImagePullBackOff', c.name);
  c.nextAt = (c.lastPullFailureAt ?? 0) + backoffFor(c.pullFailures);
}

/** The Pulled event of a finished pull; the caller then starts the container. */
export function pullSucceeded(
  k: PodWorker,
  pod: Pod,
  c: ContainerRecord,
  spec: Container,
  now: number,
): void {
  const img = lookupImage(spec.image)!;
  const waited = now - (c.pullRequestedAt ?? now);
  const duration = c.pullDurationMs ?? waited;
  k.record(
    pod,
    'Normal',
    'Pulled',
    `Successfully pulled image "${spec.image}" in ${goDuration(duration)} (${goDuration(waited)} including waiting). Image size: ${img.sizeBytes} bytes.`,
    c.name,
  );
}
