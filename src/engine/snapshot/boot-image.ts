/**
 * A freshly started minikube is the same for every student except for its random values (uids, name suffixes,
 * container and machine IDs) and its timestamps. So the first cluster of a shape (profile, node count) is
 * bootstrapped for real — through the API server and the controllers — while its random draws are recorded;
 * the result is kept as a template text split at every random value and timestamp. Every later cluster of that
 * shape is instantiated from the template with its own seeded draws and its own boot time: one string join and
 * one JSON.parse instead of validating, defaulting and reconciling thirty objects. What holds no random value is
 * shared and frozen: literal parts by every cluster, parts that vary with the boot time alone by the clusters booted
 * in the same second (the store never changes an object in place).
 */
import { rfc3339 } from '../api/time';
import type { KubeObject } from '../api/types';
import type { KubeletState } from '../controllers/kubelet';
import { NAME_ALPHABET, Random } from '../store/random';
import { deepFreeze } from '../store/store';

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

/** `day`: a UTC date (`2024-06-03`) that many days after the boot day (the legacy token tracking ConfigMap's). */
type Slot = { time: number } | { updatedAt: number } | { draw: number } | { day: number };

/**
 * The template of one JSON value. Subtrees without any random value or timestamp are `literal`: one deep-frozen
 * value shared by every cluster instantiated from the image (the store never changes objects in place).
 */
type Template =
  | { literal: unknown }
  | { text: string[]; slots: Slot[] }
  | { array: Template[] }
  | { object: [string, Template][] };

export interface BootImage {
  /** Identifies the image's content, so a snapshot is only rebuilt on the same image. */
  fingerprint: string;
  bootAt: number;
  objects: Template;
  kubelet: Template;
  rv: number;
  draws: Draw[];
}

/** minikube's `updated_at` node label: `2024_06_03T02_13_30_0700`. */
export function updatedAtLabel(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 4)}_${iso.slice(5, 7)}_${iso.slice(8, 10)}T${iso.slice(11, 13)}_${iso.slice(14, 16)}_${iso.slice(17, 19)}_0700`;
}

const TOKENS =
  /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)$|(\d{4}_\d\d_\d\dT\d\d_\d\d_\d\d)_0700|([0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})|([0-9a-f]{32,64})|(?<=-)([bcdfghjklmnpqrstvwxz2456789]{5})$|^(\d{4}-\d\d-\d\d)$/g;

const DAY_MS = 86_400_000;

/** The texts of recent days (by day number): every cluster booted that day asks for the same few. */
const dayTexts = new Map<number, string>();

/** The UTC date `days` after the day of `at`. */
function dayText(at: number, days: number): string {
  const day = Math.floor(at / DAY_MS) + days;
  let text = dayTexts.get(day);
  if (text === undefined) {
    if (dayTexts.size >= 64) dayTexts.clear();
    text = new Date(day * DAY_MS).toISOString().slice(0, 10);
    dayTexts.set(day, text);
  }
  return text;
}

function isLiteral(t: Template): t is { literal: unknown } {
  return 'literal' in t;
}

function compileString(value: string, bootAt: number, byValue: Map<string, number>): Template {
  const text: string[] = [];
  const slots: Slot[] = [];
  let last = 0;
  for (const m of value.matchAll(TOKENS)) {
    const [whole, time, updated, uid, hex, suffix, day] = m;
    let slot: Slot;
    if (time) slot = { time: Date.parse(time) - bootAt };
    else if (day)
      slot = { day: Math.round((Date.parse(day) - Math.floor(bootAt / DAY_MS) * DAY_MS) / DAY_MS) };
    else if (updated)
      slot = {
        updatedAt:
          Date.parse(`${updated.slice(0, 10).replace(/_/g, '-')}T${updated.slice(11).replace(/_/g, ':')}Z`) -
          bootAt,
      };
    else {
      const index = byValue.get(uid ?? hex ?? suffix);
      if (index === undefined) continue; // a fixed value (an image digest, the CoreDNS hash) stays literal
      slot = { draw: index };
    }
    text.push(value.slice(last, m.index));
    slots.push(slot);
    last = m.index + whole.length;
  }
  if (slots.length === 0) return { literal: value };
  text.push(value.slice(last));
  return { text, slots };
}

function compile(value: unknown, bootAt: number, byValue: Map<string, number>): Template {
  if (typeof value === 'string') return compileString(value, bootAt, byValue);
  if (value === null || typeof value !== 'object') return { literal: value };
  if (Array.isArray(value)) {
    const items = value.map((v) => compile(v, bootAt, byValue));
    return items.every(isLiteral) ? { literal: deepFreeze(value) } : { array: items };
  }
  const entries = Object.entries(value as Record<string, unknown>).map(
    ([k, v]) => [k, compile(v, bootAt, byValue)] as [string, Template],
  );
  return entries.every(([, t]) => isLiteral(t)) ? { literal: deepFreeze(value) } : { object: entries };
}

export function buildBootImage(state: BootState, bootAt: number, draws: RecordingRandom['draws']): BootImage {
  const byValue = new Map<string, number>();
  draws.forEach((d, i) => byValue.set(d.value, i));
  const text = JSON.stringify(state);
  const copy = JSON.parse(text) as BootState;
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return {
    fingerprint: `${hash.toString(16)}-${text.length}`,
    bootAt,
    objects: compile(copy.objects, bootAt, byValue),
    kubelet: compile(copy.kubelet, bootAt, byValue),
    rv: copy.rv,
    draws: draws.map((d) => d.draw),
  };
}

/**
 * The objects template as one generated function of object literals: V8 builds a literal from a prepared shape,
 * several times faster than setting keys one by one, and a boot image is instantiated for every new cluster.
 * The source is made only from the template (keys and strings through JSON.stringify, literals by index), never
 * from input a user typed.
 */
type ObjectsBuilder = (
  literals: unknown[],
  values: string[],
  time: (offset: number) => string,
  updatedAt: (offset: number) => string,
  day: (days: number) => string,
  shared: (index: number, build: () => unknown) => unknown,
) => unknown;

/**
 * The objects' builder, its literals, and the boot-time values of the latest boot time: the subtrees whose only
 * variable parts are times (most of the system objects: roles, bindings, accounts, API services) are the same for
 * every cluster booted in the same second, so they are built and frozen once for that second and shared, like the
 * literals. Clusters created together (a class starting a lab, a pool filling up) then cost a fraction to build
 * and to keep.
 */
interface Builder {
  build: ObjectsBuilder;
  literals: unknown[];
  bootAt: number;
  timed: unknown[];
}

const builders = new WeakMap<BootImage, Builder>();
const kubeletBuilders = new WeakMap<BootImage, ObjectsBuilder>();

function builderFor(image: BootImage): Builder {
  let builder = builders.get(image);
  if (!builder) {
    const literals: unknown[] = [];
    const source = generate(image.objects, literals, { count: 0 });
    const build = new Function('lit', 'v', 't', 'u', 'd', 's', `return ${source};`) as ObjectsBuilder;
    builder = { build, literals, bootAt: NaN, timed: [] };
    builders.set(image, builder);
  }
  return builder;
}

/** The kubelet's records as a generated function too, but with every literal written out: each call builds fresh
 *  objects (the kubelet changes its records in place, so nothing may be shared). */
function kubeletBuilderFor(image: BootImage): ObjectsBuilder {
  let build = kubeletBuilders.get(image);
  if (!build) {
    const source = generate(image.kubelet, undefined, undefined);
    build = new Function('lit', 'v', 't', 'u', 'd', 's', `return ${source};`) as ObjectsBuilder;
    kubeletBuilders.set(image, build);
  }
  return build;
}

// Plain keys let V8 build the literal from a prepared shape; "__proto__" alone needs a computed key, which
// defines an own property where a plain one would set the prototype.
const keySource = (name: string) =>
  name === '__proto__' ? `[${JSON.stringify(name)}]` : JSON.stringify(name);

/** A JSON value as the source of an expression that builds a new copy of it. */
function literalSource(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  if (Array.isArray(value)) return `[${value.map(literalSource).join(', ')}]`;
  return `{${Object.entries(value)
    .map(([name, child]) => `${keySource(name)}: ${literalSource(child)}`)
    .join(', ')}}`;
}

/** Whether a template takes any of the cluster's random values (otherwise it varies with the boot time alone). */
function drawsValues(t: Template): boolean {
  if ('literal' in t) return false;
  if ('text' in t) return t.slots.some((slot) => 'draw' in slot);
  if ('array' in t) return t.array.some(drawsValues);
  return t.object.some(([, child]) => drawsValues(child));
}

/**
 * `literals` collects the shared (frozen) literals; without it they are written out, fresh on every call. With
 * `timed`, each largest object or array that varies with the boot time alone is built through `s(index, build)`,
 * which shares it between clusters of the same boot time (`timed.count` numbers them).
 */
function generate(
  t: Template,
  literals: unknown[] | undefined,
  timed: { count: number } | undefined,
): string {
  if (timed && ('array' in t || 'object' in t) && !drawsValues(t))
    return `s(${timed.count++}, () => (${generate(t, literals, undefined)}))`;
  if ('literal' in t) {
    if (t.literal === null || typeof t.literal !== 'object') return JSON.stringify(t.literal) ?? 'undefined';
    if (!literals) return literalSource(t.literal);
    literals.push(t.literal);
    return `lit[${literals.length - 1}]`;
  }
  if ('text' in t) {
    const parts: string[] = [JSON.stringify(t.text[0])];
    t.slots.forEach((slot, i) => {
      parts.push(
        'draw' in slot
          ? `v[${slot.draw}]`
          : 'updatedAt' in slot
            ? `u(${slot.updatedAt})`
            : 'day' in slot
              ? `d(${slot.day})`
              : `t(${slot.time})`,
        JSON.stringify(t.text[i + 1]),
      );
    });
    return `(${parts.join(' + ')})`;
  }
  if ('array' in t) return `[${t.array.map((item) => generate(item, literals, timed)).join(', ')}]`;
  return `{${t.object.map(([name, child]) => `${keySource(name)}: ${generate(child, literals, timed)}`).join(', ')}}`;
}

/** The boot state of a new cluster: this image with `random`'s draws, booted at `bootAt`. Shared parts are frozen. */
export function instantiateBootImage(image: BootImage, random: Random, bootAt: number): BootState {
  const values = image.draws.map((d) =>
    d.kind === 'uid' ? random.uid() : d.kind === 'hex' ? random.hex(d.length) : random.string(d.length),
  );
  const builder = builderFor(image);
  // rfc3339 keeps the texts of recent seconds: clusters created about the same time share them.
  const time = (offset: number) => rfc3339(bootAt + offset);
  const updatedAt = (offset: number) => updatedAtLabel(bootAt + offset);
  const day = (days: number) => dayText(bootAt, days);
  if (builder.bootAt !== bootAt) {
    builder.bootAt = bootAt;
    builder.timed = [];
  }
  const timed = builder.timed;
  const shared = (index: number, build: () => unknown) => (timed[index] ??= deepFreeze(build()));
  const objects = builder.build(
    builder.literals,
    values,
    time,
    updatedAt,
    day,
    shared,
  ) as BootState['objects'];
  // The kubelet's records change in place as pods progress: never shared.
  const kubelet = kubeletBuilderFor(image)([], values, time, updatedAt, day, shared) as KubeletState;
  const shift = bootAt - image.bootAt;
  for (const pod of kubelet.pods) {
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
  return { rv: image.rv, objects, kubelet };
}
