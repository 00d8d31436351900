/**
 * corpus/newer-kubectl.lines with real kubectl 1.31, 1.32 and 1.33 against `engine serve --clock=manual`, each
 * judged against kubectl 1.30 (the oracle) on a twin server: stdout, stderr and the exit code after the harness's
 * masks, and then the stored objects, read back with kubectl 1.30 from every server and compared whole. 1.32 and
 * 1.33 post the `create <generator>`, `create token`, `autoscale` and `auth` bodies as protobuf
 * (src/engine/http/protobuf/); 1.31 posts JSON, as 1.30 does. Where a version prints something else by design,
 * VERSION_DIFFERENCES says what and why, and the suite asserts it still differs. corpus/api.lines is not run here
 * (its protobuf bodies go through the same decoder this corpus drives with every generator).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeServingCertificates } from '../../src/engine/http/tls';
import { render, type Outcome } from '../oracle/oracle';
import { KUBECTL_130, mask, readConformanceCorpus, RealKubectl, ServedCluster } from './serve-harness';

const BIN = path.dirname(KUBECTL_130);
const VERSIONS = ['1.31', '1.32', '1.33'] as const;
type Version = (typeof VERSIONS)[number];
const binary = (version: Version | '1.30') => path.join(BIN, `kubectl.${version}`);

/** Lines a newer kubectl prints differently from 1.30 for the same server answers, by version, with the reason. */
const VERSION_DIFFERENCES: Record<string, { versions: Version[]; reason: string }> = {
  'kubectl describe service cip': {
    versions: ['1.31', '1.32', '1.33'],
    reason:
      "1.31+ reads a Service's endpoints from its EndpointSlices (a slice without endpoints prints an empty Endpoints line, not <none>) and adds Internal Traffic Policy",
  },
  'kubectl scale deployment kubernetes-bootcamp --replicas=2 --as jane': {
    versions: ['1.32', '1.33'],
    reason: '1.32+ appends the GET\'s error to "error: no objects passed to scale"',
  },
  'kubectl scale deployment nosuch --replicas=2': {
    versions: ['1.32', '1.33'],
    reason: '1.32+ appends the GET\'s error to "error: no objects passed to scale"',
  },
  'kubectl describe ingress ing': {
    versions: ['1.31', '1.32', '1.33'],
    reason:
      "1.31+ lists an Ingress backend's endpoints from EndpointSlices: `cip:80 ()` where 1.30 prints `(<none>)`",
  },
};

/** What every server holds at the end, read back with kubectl 1.30 (the same printer for every version). */
const STORED = [
  'kubectl get deployments,services,configmaps,secrets,serviceaccounts,jobs,cronjobs,hpa,pdb,ingresses,roles,rolebindings -o yaml',
  'kubectl get namespace team -o yaml',
  'kubectl get resourcequota q -n team -o yaml',
  'kubectl get clusterrole node-reader -o yaml',
  'kubectl get clusterrolebinding node-reader-bind -o yaml',
  'kubectl get priorityclass high -o yaml',
];

// One key pair for every server, so `create secret tls` stores the same bytes everywhere.
const tls = makeServingCertificates();

/** One served cluster driven by one kubectl version through the corpus. */
class VersionRun {
  private served!: ServedCluster;
  private kubectl!: RealKubectl;

  constructor(private readonly version: Version | '1.30') {}

  async start(): Promise<void> {
    for (const file of [binary(this.version), KUBECTL_130])
      if (!fs.existsSync(file))
        throw new Error(`${file} is missing: this suite runs real kubectl of that version`);
    this.served = await ServedCluster.start();
    this.kubectl = new RealKubectl(this.served.kubeconfig);
    fs.writeFileSync(path.join(this.kubectl.dir, 'tls.crt'), tls.serverCert);
    fs.writeFileSync(path.join(this.kubectl.dir, 'tls.key'), tls.serverKey);
    fs.writeFileSync(path.join(this.kubectl.dir, 'data.txt'), 'file contents\n');
  }

  async run(line: string, as: Version | '1.30' = this.version): Promise<Outcome> {
    return mask(line, await this.kubectl.run(line, binary(as)));
  }

  advance(ms: number): Promise<number> {
    return this.served.advance(ms);
  }

  async stop(): Promise<void> {
    await this.served?.stop();
    this.kubectl?.dispose();
  }
}

/**
 * One corpus through kubectl 1.30 and then each newer version, every version on a server of its own; `stored` lines
 * are read with kubectl 1.30 at the end of each run and compared whole.
 */
function describeVersions(corpusFile: string, storedLines: string[], versions: readonly Version[]): void {
  const corpus = readConformanceCorpus(path.join(__dirname, 'corpus', corpusFile));
  // By corpus position: a line may come twice (an apply that creates, then one that finds nothing to change).
  const baseline = new Map<number, string>();
  const stored = new Map<string, string>();

  describe(`${corpusFile}: kubectl 1.30 (the oracle)`, () => {
    const run = new VersionRun('1.30');
    beforeAll(() => run.start(), 90_000);
    afterAll(() => run.stop());

    corpus.forEach((entry, index) => {
      if ('advance' in entry) {
        it(`#${index + 1} advances by ${entry.advance} ms`, async () => {
          expect(await run.advance(entry.advance)).toBeGreaterThan(0);
        });
        return;
      }
      it(`#${index + 1} ${entry.line}`, async () => {
        baseline.set(index, render(await run.run(entry.line)));
      }, 30_000);
    });
    if (storedLines.length > 0)
      it('reads back the stored objects', async () => {
        for (const line of storedLines) stored.set(line, render(await run.run(line)));
      }, 60_000);
  });

  for (const version of versions)
    describe(`${corpusFile}: kubectl ${version}`, () => {
      const run = new VersionRun(version);
      beforeAll(() => run.start(), 90_000);
      afterAll(() => run.stop());

      corpus.forEach((entry, index) => {
        if ('advance' in entry) {
          it(`#${index + 1} advances by ${entry.advance} ms`, async () => {
            expect(await run.advance(entry.advance)).toBeGreaterThan(0);
          });
          return;
        }
        const { line } = entry;
        it(`#${index + 1} ${line}`, async () => {
          const outcome = render(await run.run(line));
          expect(baseline.has(index)).toBe(true);
          if (VERSION_DIFFERENCES[line]?.versions.includes(version))
            expect(outcome).not.toEqual(baseline.get(index));
          else expect(outcome).toEqual(baseline.get(index));
        }, 30_000);
      });

      if (storedLines.length > 0)
        it('stores the same objects as kubectl 1.30 did', async () => {
          for (const line of storedLines)
            expect([line, render(await run.run(line, '1.30'))]).toEqual([line, stored.get(line)]);
        }, 60_000);
    });
}

describe('conformance: kubectl 1.32 and 1.33 against engine serve', () => {
  describeVersions('newer-kubectl.lines', STORED, VERSIONS);
});
