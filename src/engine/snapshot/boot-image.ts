/**
 * A freshly started minikube is the same for every student except for its random values (uids, name suffixes,
 * container and machine IDs) and its timestamps. So the first cluster of a shape (profile, node count) is
 * bootstrapped for real — through the API server and the controllers — while its random draws are recorded;
 * the result is kept as a template text split at every random value and timestamp. Every later cluster of that
 * shape is instantiated from the template with its own seeded draws and its own boot time: one string join and
 * one JSON.parse instead of validating, defaulting and reconciling thirty objects.
 */
import { rfc3339 } from '../api/time';
import type { KubeObject } from '../api/types';
import type { KubeletState } from '../controllers/kubelet';
import { NAME_ALPHABET, Random } from '../store/random';

export type Draw = { kind: 'uid' } | { kind: 'hex'; length: number } | { kind: 'string'; length: number };

/** A Random that notes every value it hands out (nested calls — uid() drawing hex — count once). */
export class RecordingRandom extends Random {
  readonly draws: { draw: Draw; value: string }[] = [];
  private depth = 0;

  private record<T extends string>(draw: Draw, produce: () => T): T {
    this.depth++;
    try {
      const value = produce();
      if (this.depth === 1) this.draws.push({ draw, value });
      return value;
    } finally {
      this.depth--;
    }
  }

  override uid(): string {
    return this.record({ kind: 'uid' }, () => super.uid());
  }

  override hex(length: number): string {
    return this.record({ kind: 'hex', length }, () => super.hex(length));
  }

  override string(length: number, alphabet = NAME_ALPHABET): string {
    if (alphabet !== NAME_ALPHABET) return super.string(length, alphabet);
    return this.record({ kind: 'string', length }, () => super.string(length, alphabet));
  }
}

export interface BootState {
  rv: number;
  objects: Partial<Record<string, KubeObject[]>>;
  kubelet: KubeletState;
}

type Slot = { time: number } | { updatedAt: number } | { draw: number };

export interface BootImage {
  bootAt: number;
  segments: string[];
  slots: Slot[];
  draws: Draw[];
}

/** minikube's `updated_at` node label: `2024_06_03T02_13_30_0700`. */
export function updatedAtLabel(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 4)}_${iso.slice(5, 7)}_${iso.slice(8, 10)}T${iso.slice(11, 13)}_${iso.slice(14, 16)}_${iso.slice(17, 19)}_0700`;
}

const TOKENS =
  /"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)"|(\d{4}_\d\d_\d\dT\d\d_\d\d_\d\d)_0700|([0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})|([0-9a-f]{32,64})|-([bcdfghjklmnpqrstvwxz2456789]{5})(?=")/g;

export function buildBootImage(state: BootState, bootAt: number, draws: RecordingRandom['draws']): BootImage {
  const text = JSON.stringify(state);
  const byValue = new Map<string, number>();
  draws.forEach((d, i) => byValue.set(d.value, i));
  const segments: string[] = [];
  const slots: Slot[] = [];
  let last = 0;
  for (const m of text.matchAll(TOKENS)) {
    const [whole, time, updated, uid, hex, suffix] = m;
    let slot: Slot | undefined;
    let start = m.index;
    let end = m.index + whole.length;
    if (time) slot = { time: Date.parse(time) - bootAt };
    else if (updated) {
      slot = {
        updatedAt:
          Date.parse(`${updated.slice(0, 10).replace(/_/g, '-')}T${updated.slice(11).replace(/_/g, ':')}Z`) -
          bootAt,
      };
    } else {
      const value = uid ?? hex ?? suffix;
      const index = byValue.get(value);
      if (index === undefined) continue; // a fixed value (an image digest, the CoreDNS hash): stays literal
      slot = { draw: index };
      if (suffix) start += 1; // keep the '-' before a name suffix
      end = start + value.length;
    }
    segments.push(text.slice(last, start));
    slots.push(slot);
    last = end;
  }
  segments.push(text.slice(last));
  return { bootAt, segments, slots, draws: draws.map((d) => d.draw) };
}

/** The boot state of a new cluster: this image with `random`'s draws, booted at `bootAt`. */
export function instantiateBootImage(image: BootImage, random: Random, bootAt: number): BootState {
  const values = image.draws.map((d) =>
    d.kind === 'uid' ? random.uid() : d.kind === 'hex' ? random.hex(d.length) : random.string(d.length),
  );
  const parts: string[] = [];
  image.slots.forEach((slot, i) => {
    parts.push(image.segments[i]);
    if ('time' in slot) parts.push(`"${rfc3339(bootAt + slot.time)}"`);
    else if ('updatedAt' in slot) parts.push(updatedAtLabel(bootAt + slot.updatedAt));
    else parts.push(values[slot.draw]);
  });
  parts.push(image.segments[image.segments.length - 1]);
  const state = JSON.parse(parts.join('')) as BootState;
  const shift = bootAt - image.bootAt;
  for (const pod of state.kubelet.pods) {
    pod.seenAt += shift;
    if (pod.sandboxAt !== undefined) pod.sandboxAt += shift;
    for (const c of pod.containers) {
      if (c.startedAt !== undefined) c.startedAt += shift;
      if (c.lastExit) {
        c.lastExit.startedAt += shift;
        c.lastExit.finishedAt += shift;
      }
    }
  }
  return state;
}
