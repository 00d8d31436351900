/** klog's header: `E0603 02:15:00.000000   12345 file.go:123] `, in the lab machine's time zone (UTC). */
export function klogHeader(severity: 'E' | 'W' | 'I', nowMs: number, pid: number, source: string): string {
  const d = new Date(nowMs);
  const two = (n: number) => String(n).padStart(2, '0');
  const micros = String(d.getUTCMilliseconds() * 1000).padStart(6, '0');
  return (
    `${severity}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${micros} ` +
    `${String(pid).padStart(7)} ${source}] `
  );
}

/** A process id for one kubectl run, drawn from the time it runs (reproducible in transcripts). */
export function kubectlPid(nowMs: number): number {
  let h = 0x811c9dc5;
  for (const c of String(nowMs)) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193);
  return 10000 + ((h >>> 0) % 90000);
}
