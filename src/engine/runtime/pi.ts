/** π to `digits` significant digits, as Perl's `bignum` `bpi(digits)` prints it (Machin's formula on BigInt). */
export function piDigits(digits: number): string {
  const n = Math.max(1, Math.min(Math.floor(digits), 10_000));
  const guard = 12;
  const scale = 10n ** BigInt(n + guard);
  const atanInv = (x: bigint): bigint => {
    let term = scale / x;
    let sum = term;
    const x2 = x * x;
    for (let k = 1n; term !== 0n; k++) {
      term /= x2;
      sum += (k % 2n === 1n ? -term : term) / (2n * k + 1n);
    }
    return sum;
  };
  const pi = 4n * (4n * atanInv(5n) - atanInv(239n));
  // Round to n significant digits (one integer digit, so n - 1 decimals), half to even.
  const drop = 10n ** BigInt(guard + 1);
  let kept = pi / drop;
  const rest = pi % drop;
  const half = drop / 2n;
  if (rest > half || (rest === half && kept % 2n === 1n)) kept += 1n;
  const text = kept.toString();
  return n === 1 ? text : `${text[0]}.${text.slice(1)}`;
}
