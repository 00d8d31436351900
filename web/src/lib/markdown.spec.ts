import { renderInlineMarkdown, renderMarkdown, safeUrl } from './markdown';

const BASE = 'https://kubelab.example/courses/c1/labs/l1';
const ALLOWED_TAGS = new Set([
  'p',
  'a',
  'img',
  'code',
  'pre',
  'em',
  'strong',
  'del',
  'ul',
  'ol',
  'li',
  'blockquote',
  'br',
  'hr',
  'span',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'input',
]);
const ALLOWED_ATTRIBUTES = new Set([
  'href',
  'src',
  'alt',
  'title',
  'class',
  'target',
  'rel',
  'align',
  'start',
  'type',
  'checked',
  'disabled',
]);

/** What an HTML parser would decode in an attribute value (the renderer only emits numeric and these references). */
function decodeAttribute(value: string): string {
  return value
    .replace(/&#(\d+);?/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&#x([0-9a-f]+);?/gi, (_, code: string) => String.fromCodePoint(Number.parseInt(code, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

interface Element {
  tag: string;
  attributes: Record<string, string>;
}

/**
 * Reads the rendered HTML as a browser would, strictly: every `<` must open or close an allowed tag whose
 * attributes are all allowed and quoted; anything else fails the test (so an escaped payload is text).
 */
function elements(html: string): Element[] {
  const found: Element[] = [];
  const tag = /<(\/?)([a-zA-Z0-9]+)((?:\s+[a-z-]+(?:="[^"]*")?)*)\s*\/?>/y;
  for (let at = html.indexOf('<'); at !== -1; at = html.indexOf('<', at + 1)) {
    tag.lastIndex = at;
    const match = tag.exec(html);
    if (!match) throw new Error(`a "<" that opens no well-formed tag at ${at}: ${html.slice(at, at + 60)}`);
    const name = match[2].toLowerCase();
    if (!ALLOWED_TAGS.has(name)) throw new Error(`tag <${name}> in ${html}`);
    const attributes: Record<string, string> = {};
    for (const attribute of match[3].matchAll(/([a-z-]+)(?:="([^"]*)")?/g)) {
      if (!ALLOWED_ATTRIBUTES.has(attribute[1])) throw new Error(`attribute ${attribute[1]} in ${html}`);
      attributes[attribute[1]] = decodeAttribute(attribute[2] ?? '');
    }
    if (!match[1]) found.push({ tag: name, attributes });
  }
  return found;
}

/** Every href and src the page would follow, resolved as the browser resolves it. */
function targets(html: string): URL[] {
  return elements(html).flatMap((element) =>
    ['href', 'src']
      .filter((name) => name in element.attributes)
      .map((name) => new URL(element.attributes[name], BASE)),
  );
}

function expectHarmless(markdown: string): string {
  const html = renderMarkdown(markdown);
  for (const target of targets(html)) expect(['http:', 'https:']).toContain(target.protocol);
  for (const target of targets(renderInlineMarkdown(markdown)))
    expect(['http:', 'https:']).toContain(target.protocol);
  return html;
}

const HOSTILE_LINKS = [
  '[x](javascript:alert(1))',
  '[x](JaVaScRiPt:alert(1))',
  '[x](  javascript:alert(1)  )',
  '[x](<javascript:alert(1)>)',
  '[x](&#106;avascript:alert(1))',
  '[x](&#x6A;avascript:alert(1))',
  '[x](&#0000106;avascript:alert(1))',
  '[x](&#106avascript:alert(1))',
  '[x](java&#9;script:alert(1))',
  '[x](java&Tab;script&colon;alert(1))',
  '[x](javascript&colon;alert(1))',
  '[x](java\tscript:alert(1))',
  '[x](<java\nscript:alert(1)>)',
  '[x](\u0001javascript:alert(1))',
  '[x](%6Aavascript:alert(1))',
  '[x](vbscript:msgbox(1))',
  '[x](VBScript:msgbox(1))',
  '[x](data:text/html,<script>alert(1)</script>)',
  '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[x](DATA:text/html,x)',
  '[x](file:///etc/passwd)',
  '[x](javascript://%0aalert(1))',
  '<javascript:alert(1)>',
  '<JAVASCRIPT:alert(1)>',
  '<data:text/html,x>',
  '<vbscript:msgbox(1)>',
  '[x][evil]\n\n[evil]: javascript:alert(1)',
  '[evil]\n\n[evil]: JaVaScRiPt:alert(1) "title"',
  '[x][evil]\n\n[evil]: <data:text/html,x>',
  '[[x](javascript:alert(1))](https://ok.example)',
  '[a [b [c](javascript:alert(1))]](javascript:alert(2))',
  '[![img](javascript:alert(1))](javascript:alert(2))',
  '[x](javascript:alert(1) "t\\"><script>alert(1)</script>")',
  '[x](https://ok.example "a\\" onmouseover=\\"alert(1)")',
  '[x](javascript:alert%281%29)',
  '[x](\\javascript:alert(1))',
];

const HOSTILE_IMAGES = [
  '![x](javascript:alert(1))',
  '![x](JaVaScRiPt:alert(1))',
  '![x](data:image/svg+xml,<svg onload=alert(1)>)',
  '![x](&#100;ata:image/svg+xml,x)',
  '![x][img]\n\n[img]: data:image/png;base64,AAAA',
  '![x" onerror="alert(1)](https://ok.example/a.png)',
  '![x](https://ok.example/a.png" onerror="alert(1))',
  '![x](https://ok.example/a.png "t\\" onerror=\\"alert(1)")',
];

describe('lab Markdown links and images', () => {
  it.each(HOSTILE_LINKS)('renders %j with no link a browser would run', (source) => {
    // A refused target is either dropped or left as a harmless relative path (`java%09script:x` is a file name).
    const hosts = targets(expectHarmless(source)).map((url) => url.host);
    for (const host of hosts) expect(['kubelab.example', 'ok.example']).toContain(host);
  });

  it.each(HOSTILE_IMAGES)('renders %j with no script-carrying image', (source) => {
    // elements() fails on any attribute outside the allowed ones, so a quote cannot open an `onerror`.
    for (const element of elements(expectHarmless(source)))
      if (element.tag === 'img')
        expect(Object.keys(element.attributes).sort()).toEqual(expect.arrayContaining(['alt', 'src']));
  });

  it('keeps the text of a refused link, with no anchor', () => {
    expect(renderMarkdown('[open **me**](javascript:alert(1))')).toBe(
      '<p><span class="md-link-removed">open <strong>me</strong></span></p>\n',
    );
    expect(renderMarkdown('![the diagram](data:image/png;base64,AAAA)')).toBe('<p>the diagram</p>\n');
  });

  it('keeps http(s), relative, fragment and protocol-relative targets', () => {
    const html = renderMarkdown(
      [
        '[a](https://kubernetes.io/docs/ "Docs")',
        '[b](HTTP://example.com/x?a=1&amp;b=2)',
        '[c](../labs/other)',
        '[d](#step-2)',
        '[e](//cdn.example/x)',
        '[f](<with space.md>)',
        '<https://autolink.example/p>',
        'www.example.com',
        '![g](images/cluster.png)',
      ].join('\n\n'),
    );
    expect(targets(html).map((url) => url.href)).toEqual([
      'https://kubernetes.io/docs/',
      'http://example.com/x?a=1&b=2',
      'https://kubelab.example/courses/c1/labs/other',
      'https://kubelab.example/courses/c1/labs/l1#step-2',
      'https://cdn.example/x',
      'https://kubelab.example/courses/c1/labs/with%20space.md',
      'https://autolink.example/p',
      'http://www.example.com/',
      'https://kubelab.example/courses/c1/labs/images/cluster.png',
    ]);
    const link = elements(html).find((element) => element.tag === 'a');
    expect(link?.attributes).toEqual({
      href: 'https://kubernetes.io/docs/',
      title: 'Docs',
      target: '_blank',
      rel: 'noopener noreferrer',
    });
  });

  it('escapes every "&" it emits, so the browser decodes no reference the check did not see', () => {
    expect(renderMarkdown('[x](?q=&#38;#106;)')).toContain('href="?q=&#38;#106;"');
    expect(renderMarkdown('[x](a&unknown;b)')).toContain('href="a&#38;unknown;b"');
  });
});

describe('safeUrl', () => {
  it.each([
    ['https://a.example/', 'https://a.example/'],
    ['relative/path', 'relative/path'],
    ['/absolute/path', '/absolute/path'],
    ['?query', '?query'],
    ['mailto:someone@example.com', undefined],
    ['tel:123', undefined],
    ['javascript:alert(1)', undefined],
    // Control characters are percent-encoded, which leaves a relative path, as marked itself does.
    [' \u0000javascript:alert(1)', '%20%00javascript:alert(1)'],
    ['jav\u000dascript:alert(1)', 'jav%0Dascript:alert(1)'],
    ['&#x20;javascript:alert(1)', '%20javascript:alert(1)'],
    ['\ud800', undefined],
  ])('%j → %j', (input, expected) => {
    expect(safeUrl(input)).toBe(expected);
  });
});

describe('raw HTML in lab Markdown', () => {
  it.each([
    '<script>window.__pwned = 1</script>',
    '<img src=x onerror="window.__pwned=1">',
    '<svg onload=alert(1)>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<a href="javascript:alert(1)">x</a>',
    'text <b onclick="alert(1)">inline</b> text',
    '<!-- comment --><style>body{}</style>',
    '<details open ontoggle=alert(1)>',
    '```html\n<script>alert(1)</script>\n```',
    '`<img src=x onerror=alert(1)>`',
  ])('shows %j as text', (source) => {
    const html = expectHarmless(source);
    for (const element of elements(html)) expect(['p', 'code', 'pre']).toContain(element.tag);
  });
});
