import { Marked, type Tokens } from 'marked';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** The few named references a lab author plausibly writes in a URL; any other `&name;` stays literal text. */
const NAMED_REFERENCES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  colon: ':',
  sol: '/',
  num: '#',
  period: '.',
  Tab: '\t',
  NewLine: '\n',
};

/** Decodes character references the way Markdown means them (with their semicolon), so `&amp;` in a URL is `&`. */
function decodeReferences(text: string): string {
  return text.replace(/&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z]+));/g, (whole, dec, hex, name) => {
    if (name !== undefined) return NAMED_REFERENCES[name as string] ?? whole;
    const code = dec !== undefined ? Number.parseInt(dec as string, 10) : Number.parseInt(hex as string, 16);
    if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
    return String.fromCodePoint(code);
  });
}

/** Any base with a safe scheme: a relative target resolves against it, an absolute one keeps its own scheme. */
const PAGE_BASE = 'https://kubelab.invalid/page';
const SAFE_PROTOCOLS = new Set(['http:', 'https:']);

/**
 * The URL a lab's link or image may point at, as the attribute value the browser will read; undefined when
 * its scheme is anything but http(s) (javascript:, data:, vbscript:, file: …). Lab Markdown comes from one
 * user and is shown to others, so the check runs on exactly the string the browser parses: references
 * decoded here, then every `&` escaped on output, so the browser cannot decode one more reference than this
 * function saw. The WHATWG URL parser (the browser's own) decides the scheme, so mixed case, tabs, newlines
 * and leading control characters inside `java\tscript:` are judged as the browser would judge them.
 * Relative targets and protocol-relative `//host/x` (which the page's own http(s) scheme completes) are allowed.
 */
export function safeUrl(raw: string): string | undefined {
  let encoded: string;
  try {
    // As marked itself does: spaces and non-ASCII percent-encoded; throws on a lone surrogate.
    encoded = encodeURI(decodeReferences(raw)).replace(/%25/g, '%');
  } catch {
    return undefined;
  }
  try {
    return SAFE_PROTOCOLS.has(new URL(encoded, PAGE_BASE).protocol) ? encoded : undefined;
  } catch {
    return undefined;
  }
}

const titleAttribute = (title: string | null | undefined) =>
  title ? ` title="${escapeHtml(decodeReferences(title))}"` : '';

/**
 * Lab instructions are Markdown written by instructors and shown to students. Raw HTML in them is shown
 * as text, not rendered, so a lab file can never inject markup into the page; links and images keep
 * only http(s) and relative targets (others render as their plain text).
 */
const markdown = new Marked({
  gfm: true,
  breaks: false,
  renderer: {
    html: ({ text }) => escapeHtml(text),
    link(this: { parser: { parseInline(tokens: Tokens.Generic[]): string } }, token: Tokens.Link) {
      const text = token.autolink ? escapeHtml(token.text) : this.parser.parseInline(token.tokens);
      const href = safeUrl(token.href);
      if (href === undefined) return `<span class="md-link-removed">${text}</span>`;
      // A new tab, so a link never leaves the workspace; noopener keeps the opened page away from this one.
      return `<a href="${escapeHtml(href)}"${titleAttribute(token.title)} target="_blank" rel="noopener noreferrer">${text}</a>`;
    },
    image(token: Tokens.Image) {
      const src = safeUrl(token.href);
      const alt = escapeHtml(decodeReferences(token.text));
      if (src === undefined) return alt;
      return `<img src="${escapeHtml(src)}" alt="${alt}"${titleAttribute(token.title)}>`;
    },
  },
});

export function renderMarkdown(source: string): string {
  return markdown.parse(source, { async: false });
}

/** One line of Markdown (a grading reason with `code` in it) without a surrounding paragraph. */
export function renderInlineMarkdown(source: string): string {
  return markdown.parseInline(source, { async: false });
}
