/**
 * The bench-only lab of issue 18's grading benchmark (`BENCH_LAB=grading-200 npm run bench:commands`):
 * STEPS steps whose checks each read OBJECTS ConfigMaps, written into a labs folder of its own so it is never
 * offered to students. A session's home starts with `objects.yaml` (the ConfigMaps); the bench applies it
 * before measuring.
 *
 * Every step's check selects the same ConfigMaps through its own label selector (`!absent-N` matches them all),
 * so one grading asks the cluster STEPS times instead of once (a grading caches identical queries), and
 * requires a label no ConfigMap has yet, so no step ever passes and every grading evaluates all of them.
 * Each step's solution adds that label, so the lab is also a valid lab that `lab test` can replay.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

export const GRADING_LAB_ID = 'bench-grading-200';
export const GRADING_LAB_OBJECTS_FILE = 'objects.yaml';

export function gradingLabYaml(steps = 10, objects = 200): string {
  const configMaps = Array.from({ length: objects }, (_, index) =>
    stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `item-${String(index).padStart(3, '0')}`, labels: { bench: 'load' } },
      data: { index: String(index) },
    }),
  ).join('---\n');
  const both = (text: string) => ({ 'zh-CN': text, en: text });
  const lab = {
    id: GRADING_LAB_ID,
    title: both(`Grading benchmark: ${steps} steps reading ${objects} objects each`),
    description: both('Bench-only lab (bench/grading-lab.ts); never shipped in labs/.'),
    estimatedMinutes: 1,
    starterFiles: { [GRADING_LAB_OBJECTS_FILE]: configMaps },
    steps: Array.from({ length: steps }, (_, index) => {
      const n = index + 1;
      return {
        id: `stage-${n}`,
        title: both(`Stage ${n}`),
        instructions: both(`Label every ConfigMap \`stage${n}=done\`.`),
        points: index < 100 % steps ? Math.floor(100 / steps) + 1 : Math.floor(100 / steps),
        checks: [
          {
            select: { kind: 'ConfigMap', namespace: 'default', labelSelector: `bench=load,!absent-${n}` },
            where: [{ field: `.metadata.labels.stage${n}`, equals: 'done' }],
            count: { atLeast: objects },
          },
        ],
        solution: [
          ...(n === 1 ? [`kubectl apply -f ${GRADING_LAB_OBJECTS_FILE}`] : []),
          `kubectl label configmaps -l bench=load stage${n}=done`,
        ],
      };
    }),
  };
  return stringify(lab, { lineWidth: 0 });
}

/** Writes the lab as `<labsDir>/bench-grading-200/lab.yaml`; returns labsDir (LABS_DIR for the platform). */
export function writeGradingLab(labsDir: string, steps = 10, objects = 200): string {
  const dir = join(labsDir, GRADING_LAB_ID);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'lab.yaml'), gradingLabYaml(steps, objects));
  return labsDir;
}
