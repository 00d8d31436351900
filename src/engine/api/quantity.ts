/**
 * Kubernetes resource quantities (apimachinery `resource.Quantity`): parsing `500m`, `1Gi`, `2`, `1e3`, exact
 * addition, comparison, and the canonical text the API server writes back (`1000m` → `1`, `2048Mi` → `2Gi`,
 * `1000` → `1k`). Values are kept exactly as thousandths (bigint), which covers every suffix down to `m`;
 * smaller ones (`n`, `u`) are rounded up to the next thousandth as the API server rounds them for CPU.
 */
export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** The value in thousandths of a unit. */
  milli: bigint;
  format: QuantityFormat;
}

export const QUANTITY_REGEX_MESSAGE =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

const BINARY: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const DECIMAL_SUFFIX = new Map(Object.entries(DECIMAL).map(([s, e]) => [e, s]));

/** Parses a quantity; undefined when the text is not one. */
export function parseQuantity(text: string): Quantity | undefined {
  // Quantities repeat endlessly (every pod's requests, every node's allocatable): parse each text once.
  const known = parsedQuantities.get(text);
  if (known !== undefined || parsedQuantities.has(text)) return known;
  const parsed = parseQuantityText(text);
  if (parsed) Object.freeze(parsed);
  if (parsedQuantities.size >= PARSED_QUANTITIES_MAX) parsedQuantities.clear();
  parsedQuantities.set(text, parsed);
  return parsed;
}

const PARSED_QUANTITIES_MAX = 4096;
const parsedQuantities = new Map<string, Quantity | undefined>();

function parseQuantityText(text: string): Quantity | undefined {
  const match = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/.exec(
    text.trim(),
  );
  if (!match || text.trim() !== text) return undefined;
  const [, sign, number, suffix = ''] = match;
  const [whole, fraction = ''] = number.split('.');
  // Exact rational: digits / 10^fraction.length, scaled by the suffix, kept in thousandths (rounded up).
  let numerator = BigInt((whole || '0') + fraction) * 1000n;
  let denominator = 10n ** BigInt(fraction.length);
  let format: QuantityFormat = 'DecimalSI';
  if (suffix in BINARY) {
    numerator *= 1024n ** BigInt(BINARY[suffix]);
    format = 'BinarySI';
  } else {
    const exponent = suffix in DECIMAL ? DECIMAL[suffix] : Number(suffix.slice(1));
    if (suffix !== '' && !(suffix in DECIMAL)) format = 'DecimalExponent';
    if (Math.abs(exponent) > 30) return undefined;
    if (exponent >= 0) numerator *= 10n ** BigInt(exponent);
    else denominator *= 10n ** BigInt(-exponent);
  }
  let milli = numerator / denominator;
  if (milli * denominator !== numerator) milli += 1n;
  return { milli: sign === '-' ? -milli : milli, format };
}

export function isQuantity(text: string): boolean {
  return parseQuantity(text) !== undefined;
}

/** q + y, keeping q's format (a zero q takes y's), as Quantity.Add does. */
export function addQuantity(q: Quantity, y: Quantity): Quantity {
  return { milli: q.milli + y.milli, format: q.milli === 0n ? y.format : q.format };
}

export function zeroQuantity(format: QuantityFormat = 'DecimalSI'): Quantity {
  return { milli: 0n, format };
}

/** Canonical text (Quantity.String). */
export function formatQuantity(q: Quantity): string {
  const value = q.milli;
  if (value === 0n) return '0';
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const sign = negative ? '-' : '';
  if (q.format === 'BinarySI' && abs >= 1024_000n && abs % 1000n === 0n) {
    let units = abs / 1000n;
    let power = 0;
    while (power < 6 && units % 1024n === 0n) {
      units /= 1024n;
      power++;
    }
    return `${sign}${units}${['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'][power]}`;
  }
  // Decimal: the largest exponent (a multiple of 3, from milli up) that keeps the mantissa whole.
  let mantissa = abs;
  let exponent = -3;
  while (exponent < 18 && mantissa % 1000n === 0n) {
    mantissa /= 1000n;
    exponent += 3;
  }
  if (q.format === 'DecimalExponent') return `${sign}${mantissa}${exponent === 0 ? '' : `e${exponent}`}`;
  return `${sign}${mantissa}${DECIMAL_SUFFIX.get(exponent) ?? ''}`;
}

/** Re-writes a quantity text in canonical form; text that is not a quantity comes back unchanged. */
export function canonicalQuantity(text: string): string {
  const q = parseQuantity(text);
  return q ? formatQuantity(q) : text;
}

export function compareQuantity(a: Quantity, b: Quantity): number {
  return a.milli < b.milli ? -1 : a.milli > b.milli ? 1 : 0;
}
