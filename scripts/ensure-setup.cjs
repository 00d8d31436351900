// The set-up preamble of every documented command: `node -r ./scripts/ensure-setup.cjs …`, and through
// scripts/swc-register.cjs every `npm run engine|lab|bench:*|screenshots|db:*`. Like npm test and npm run demo, a
// command run straight from a fresh clone first installs the dependencies and generates the Prisma client; when
// nothing is missing this is two file dates (under a millisecond). Plain Node: it runs before `npm ci`.
const setup = require('./lib/setup.cjs');

setup.ensureDependencies();
setup.ensurePrismaClient();
