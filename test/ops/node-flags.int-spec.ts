import { readFileSync } from 'node:fs';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PLATFORM_NODE_FLAGS } = require('../../scripts/lib/node-flags.cjs') as {
  PLATFORM_NODE_FLAGS: string[];
};

const ROOT = path.resolve(__dirname, '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

/**
 * Every way the platform's processes start carries the same node options (scripts/lib/node-flags.cjs says why):
 * the files that cannot import the list repeat it, and this keeps them in step.
 */
describe('the platform processes run with the same node options everywhere', () => {
  const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;

  it.each(['start:api', 'start:worker', 'bench:engine'])('package.json %s', (name) => {
    for (const flag of PLATFORM_NODE_FLAGS) expect(scripts[name]).toContain(` ${flag} `);
  });

  it('docker/Dockerfile and docker/compose.yaml', () => {
    const dockerfile = read('docker/Dockerfile');
    const compose = read('docker/compose.yaml');
    for (const flag of PLATFORM_NODE_FLAGS) {
      expect(dockerfile).toContain(`CMD ["node", "${flag}", "dist/main/api.js"]`);
      expect(compose).toContain(`command: ['node', '${flag}', 'dist/main/api.js']`);
      expect(compose).toContain(`command: ['node', '${flag}', 'dist/main/worker.js']`);
    }
  });

  it('the demo and the test platforms', () => {
    expect(read('scripts/demo.cjs')).toContain('[...PLATFORM_NODE_FLAGS,');
    expect(read('test/support/platform.ts')).toContain('[...PLATFORM_NODE_FLAGS,');
  });
});
