// Lets `node -r ./scripts/swc-register.cjs file.ts` run TypeScript sources without a build step.
// Relative imports may carry a `.js` suffix (Prisma's generated client does): map it to `.ts`.
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const { transformSync } = require('@swc/core');
const options = require('./swc-options.cjs');

const originalResolve = Module._resolveFilename;
Module._resolveFilename = function resolveTsFirst(request, parent, ...rest) {
  if (parent && request.startsWith('.') && request.endsWith('.js')) {
    const candidate = path.resolve(path.dirname(parent.filename), request.slice(0, -3) + '.ts');
    if (fs.existsSync(candidate)) return candidate;
  }
  return originalResolve.call(this, request, parent, ...rest);
};

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const { code } = transformSync(source, { ...options, filename });
  module._compile(code, filename);
};
