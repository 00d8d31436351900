/**
 * The file name a download is saved as, from the answer's Content-Disposition (RFC 6266: `filename*` in
 * UTF-8 wins over the plain `filename`), else `fallback`. Path separators and control characters are removed
 * so a hostile header cannot name a file outside the downloads folder or hide part of its name.
 */
export function attachmentName(contentDisposition: string | null, fallback: string): string {
  const header = contentDisposition ?? '';
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/.exec(header);
  let name: string | undefined;
  if (extended) {
    try {
      name = decodeURIComponent(extended[1].trim());
    } catch {
      name = undefined;
    }
  }
  name ??= plain ? (plain[1]?.replace(/\\(.)/g, '$1') ?? plain[2]) : undefined;
  const safe = (name ?? '').replace(/[\u0000-\u001f\u007f/\\]/g, '').trim();
  return safe && safe !== '.' && safe !== '..' ? safe : fallback;
}
