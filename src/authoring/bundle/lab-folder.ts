/**
 * Reading a built-in lab's folder (LABS_DIR/<id>/) as a file map, so it can be copied into a draft or
 * exported. Only regular files are read: a symbolic link in LABS_DIR is skipped, never followed.
 */
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabFileMap } from '../../shared/authoring-api';

export function readLabFolder(folder: string): LabFileMap {
  const files: LabFileMap = {};
  const walk = (dir: string, prefix: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full, path);
      else if (entry.isFile() && lstatSync(full).isFile()) files[path] = readFileSync(full, 'utf8');
    }
  };
  walk(folder, '');
  return files;
}

/** Gives a copied lab its new id: the `id:` line of lab.yaml (the loader requires it to match the folder). */
export function renameLab(files: LabFileMap, labId: string): LabFileMap {
  const yaml = files['lab.yaml'];
  if (yaml === undefined) return files;
  return { ...files, 'lab.yaml': yaml.replace(/^id:[^\n]*$/m, `id: ${labId}`) };
}

/** A new lab that loads and proves: one step, its instructions in both languages. */
export function newLabFiles(labId: string): LabFileMap {
  return {
    'lab.yaml': [
      `id: ${labId}`,
      'title:',
      '  zh-CN: 新实验',
      '  en: New lab',
      'description: { file: description.md }',
      'estimatedMinutes: 15',
      '',
      'steps:',
      '  - id: create-namespace',
      '    title:',
      '      zh-CN: 创建命名空间',
      '      en: Create a namespace',
      '    instructions: { file: steps/01-create-namespace.md }',
      '    points: 10',
      '    checks:',
      '      - label:',
      '          zh-CN: 命名空间 demo 已存在',
      '          en: Namespace demo exists',
      '        select: { kind: Namespace, name: demo }',
      '        count: 1',
      '    solution:',
      '      - kubectl create namespace demo',
      '',
    ].join('\n'),
    'description.md': [
      '<!-- lang: zh-CN -->',
      '',
      '在这里描述实验的目标。',
      '',
      '<!-- lang: en -->',
      '',
      'Describe what the lab is about here.',
      '',
    ].join('\n'),
    'steps/01-create-namespace.md': [
      '<!-- lang: zh-CN -->',
      '',
      '创建一个名为 `demo` 的命名空间。',
      '',
      '<!-- lang: en -->',
      '',
      'Create a namespace called `demo`.',
      '',
    ].join('\n'),
  };
}
