import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A lab written to attack its students: every Markdown text a student sees carries script payloads in each
 * disguise the renderer must neutralise; each payload names itself in window.__pwned.
 */
export const HOSTILE_LAB_ID = 'hostile-lab';
const pwn = (tag: string) => `window.__pwned='${tag}'`;
const pwnOpener = (tag: string) => `(opener||parent||window).__pwned='${tag}'`;

/** Payloads of every kind the renderer must neutralise; each names itself in __pwned, so a failure says which. */
function hostileMarkdown(where: string): string {
  return [
    `# ${where}`,
    `<script>${pwn(`${where}-script`)}</script>`,
    `<img src="x" onerror="${pwn(`${where}-img`)}">`,
    `<svg onload="${pwn(`${where}-svg`)}"></svg>`,
    `<iframe srcdoc="<script>${pwnOpener(`${where}-srcdoc`)}</script>"></iframe>`,
    `<a href="javascript:${pwn(`${where}-raw-a`)}">raw anchor</a>`,
    `[plain](javascript:${pwn(`${where}-plain`)})`,
    `[mixed case](JaVaScRiPt:${pwn(`${where}-mixed`)})`,
    `[entity](&#106;avascript:${pwn(`${where}-entity`)})`,
    `[named entities](javascript&colon;${pwn(`${where}-colon`)})`,
    `[tab inside](java&Tab;script:${pwn(`${where}-tab`)})`,
    `[control](<\u0001javascript:${pwn(`${where}-control`)}>)`,
    `[vbscript](vbscript:msgbox(1))`,
    `[data](data:text/html,<script>${pwnOpener(`${where}-data`)}</script>)`,
    `[data base64](data:text/html;base64,${Buffer.from(`<script>${pwnOpener(`${where}-b64`)}</script>`).toString('base64')})`,
    `<javascript:${pwn(`${where}-autolink`)}>`,
    `[reference][evil-${where}] and [evil-${where}]`,
    `[outer [inner](javascript:${pwn(`${where}-nested`)})](javascript:${pwn(`${where}-outer`)})`,
    `![image](javascript:${pwn(`${where}-image`)})`,
    `![svg](data:image/svg+xml,<svg onload="${pwnOpener(`${where}-svg-img`)}"/>)`,
    `[alert](javascript:alert('${where}'))`,
    // Safe links stay on this platform: the test machine reaches nothing else.
    `[a safe link](#safe) and [a relative one](../)`,
    '',
    `[evil-${where}]: javascript:${pwn(`${where}-reference`)}`,
  ].join('\n\n');
}

function bilingual(where: string): string {
  return `<!-- lang: zh-CN -->\n\n${hostileMarkdown(`${where}-zh`)}\n\n<!-- lang: en -->\n\n${hostileMarkdown(`${where}-en`)}\n`;
}

/** Writes the hostile lab into `labsDir/<id>/`: valid for the loader, hostile in every text a student reads. */
export function writeHostileLab(labsDir: string): void {
  const folder = path.join(labsDir, HOSTILE_LAB_ID);
  mkdirSync(path.join(folder, 'steps'), { recursive: true });
  writeFileSync(path.join(folder, 'description.md'), bilingual('description'));
  writeFileSync(path.join(folder, 'steps', '01-run.md'), bilingual('step'));
  const hint = JSON.stringify(hostileMarkdown('hint'));
  writeFileSync(
    path.join(folder, 'lab.yaml'),
    [
      `id: ${HOSTILE_LAB_ID}`,
      'title:',
      `  zh-CN: ${JSON.stringify(`<img src=x onerror="${pwn('title')}"> 恶意实验`)}`,
      `  en: ${JSON.stringify(`<img src=x onerror="${pwn('title')}"> Hostile lab`)}`,
      'description: { file: description.md }',
      'estimatedMinutes: 5',
      'steps:',
      '  - id: run-pod',
      '    title: { zh-CN: 运行 Pod, en: Run a pod }',
      '    instructions: { file: steps/01-run.md }',
      '    points: 10',
      '    hints:',
      `      - { zh-CN: ${hint}, en: ${hint} }`,
      '    checks:',
      '      - label:',
      `          zh-CN: ${JSON.stringify(`[检查](javascript:${pwn('label-zh')}) <img src=x onerror="${pwn('label-zh-img')}">`)}`,
      `          en: ${JSON.stringify(`[check](javascript:${pwn('label-en')}) <img src=x onerror="${pwn('label-en-img')}">`)}`,
      '        select: { kind: Pod, namespace: default, name: web }',
      '        count: 1',
      '    solution:',
      '      - kubectl run web --image=nginx:1.27',
    ].join('\n') + '\n',
  );
}
