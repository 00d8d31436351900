// Lets `node -r ./scripts/swc-register.cjs file.ts` run TypeScript sources without a build step, once the set-up
// every documented command does (ensure-setup.cjs: dependencies and the Prisma client) has run.
// Relative imports may carry a `.js` suffix (Prisma's generated client does): map it to `.ts`.
require('./ensure-setup.cjs');
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const crypto = require('node:crypto');
const options = require('./swc-options.cjs');

// Compiled files are kept on disk, keyed by path, source and options: a restarted API or worker (the fault
// tests kill and restart them) then starts in a second instead of compiling the whole engine again.
const cacheDir = path.join(__dirname, '..', 'node_modules', '.cache', 'kubelab-swc');
const optionsKey = JSON.stringify(options);

function compile(source, filename) {
  const key = crypto.createHash('sha256').update(optionsKey).update(filename).update(source).digest('hex');
  const cached = path.join(cacheDir, key + '.js');
  try {
    return fs.readFileSync(cached, 'utf8');
  } catch {
    // SWC's native binding (tens of MB) is loaded only when a file is not in the cache yet.
    const { code } = require('@swc/core').transformSync(source, { ...options, filename });
    try {
      fs.mkdirSync(cacheDir, { recursive: true });
      // Written aside and renamed, so a process starting at the same time never reads half a file.
      const partial = `${cached}.${process.pid}.tmp`;
      fs.writeFileSync(partial, code);
      fs.renameSync(partial, cached);
    } catch {
      // A read-only or full disk only costs the next start its speed.
    }
    return code;
  }
}

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
  module._compile(compile(source, filename), filename);
};
