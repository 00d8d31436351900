import { Marked } from 'marked';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/**
 * Lab instructions are Markdown from the lab repository. Raw HTML in them is shown as text, not
 * rendered, so a lab file can never inject markup into the page.
 */
const markdown = new Marked({
  gfm: true,
  breaks: false,
  renderer: {
    html: ({ text }) => escapeHtml(text),
  },
});

export function renderMarkdown(source: string): string {
  return markdown.parse(source, { async: false });
}

/** One line of Markdown (a grading reason with `code` in it) without a surrounding paragraph. */
export function renderInlineMarkdown(source: string): string {
  return markdown.parseInline(source, { async: false });
}
