/**
 * The batch-jobs lab against real sessions in the embedded engine: other valid ways through each step pass, and
 * typical mistakes (a wait that gives up too early, logs read before the pod ran, a Job without a usable
 * restartPolicy, completions and parallelism swapped, the default back-off limit, a CronJob schedule typo, a
 * CronJob deleted instead of suspended, a Job deleted by hand instead of by its TTL) fail their step with a reason
 * that says what is missing, and the diagnostics give the hint the student needs.
 */
import { diagnose } from '../../src/labs';
import { LabSession } from '../../src/labs/runner/lab-session';
import { hereDoc, studentPaths } from './support/student-paths';

const { lab, play, failing, hintIds } = studentPaths('batch-jobs');

const PI = "kubectl create job pi --image=perl:5.34.0 -- perl -Mbignum=bpi -wle 'print bpi(100)'";
const HELLO =
  'kubectl create cronjob hello --image=busybox:1.36 --schedule="*/1 * * * *" -- sh -c \'date; echo Hello from the Kubernetes cluster\'';

/** A Job manifest: `spec` lines (indented for the Job's spec) and the pod's restartPolicy, if any. */
function jobYaml(name: string, spec: string[], restartPolicy: string | undefined, script: string): string {
  return [
    'apiVersion: batch/v1',
    'kind: Job',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    ...spec.map((line) => `  ${line}`),
    '  template:',
    '    spec:',
    ...(restartPolicy ? [`      restartPolicy: ${restartPolicy}`] : []),
    '      containers:',
    '      - name: work',
    '        image: busybox:1.36',
    `        command: ["sh", "-c", "${script}"]`,
  ].join('\n');
}

const THUMBNAIL = 'echo rendering one thumbnail; sleep 5; echo done';
const FLAKY =
  'echo fetching the daily report; echo ERROR: report server reports.internal is not reachable; exit 1';
const TIDY = 'echo removing temporary files; sleep 3; echo finished';

async function podOf(session: LabSession, job: string): Promise<string> {
  const [pod] = await session.context.readObjects({
    kind: 'Pod',
    namespace: 'default',
    labelSelector: `job-name=${job}`,
  });
  return pod.metadata.name;
}

describe('batch-jobs: other valid ways through the lab', () => {
  it('accepts flag orders, pod names, manifests instead of commands, OnFailure and another manual Job name', async () => {
    const session = new LabSession({ lab, seed: 5 });
    await play(session, [PI, 'kubectl wait job/pi --for condition=Complete --timeout 3m']);
    expect(await failing(session, 'run-pi')).toEqual([]);

    await play(session, [`kubectl logs ${await podOf(session, 'pi')}`]);
    expect(await failing(session, 'read-logs')).toEqual([]);

    await play(session, [
      hereDoc(
        'thumbnails.yaml',
        jobYaml('thumbnails', ['parallelism: 2', 'completions: 5'], 'OnFailure', THUMBNAIL),
      ),
      'kubectl create -f thumbnails.yaml',
      '+60s',
    ]);
    expect(await failing(session, 'completions')).toEqual([]);

    await play(session, [
      hereDoc('flaky.yaml', jobYaml('flaky', ['backoffLimit: 2'], 'Never', FLAKY)),
      'kubectl apply -f flaky.yaml',
      '+60s',
      'kubectl get job flaky -o yaml',
    ]);
    await play(session, [`kubectl logs ${await podOf(session, 'flaky')}`]);
    expect(await failing(session, 'backoff-limit')).toEqual([]);

    const cronJob = (suspend: boolean) =>
      [
        'apiVersion: batch/v1',
        'kind: CronJob',
        'metadata:',
        '  name: hello',
        'spec:',
        "  schedule: '* * * * *'",
        `  suspend: ${suspend}`,
        '  jobTemplate:',
        '    spec:',
        '      template:',
        '        spec:',
        '          restartPolicy: OnFailure',
        '          containers:',
        '          - name: hello',
        '            image: busybox:1.36',
        '            command: ["sh", "-c", "date; echo Hello from the Kubernetes cluster"]',
      ].join('\n');
    await play(session, [hereDoc('hello.yaml', cronJob(false)), 'kubectl apply -f hello.yaml', '+90s']);
    expect(await failing(session, 'cronjob')).toEqual([]);

    await play(session, [
      'kubectl create job manual-1 --from cronjob/hello',
      '+10s',
      'kubectl logs job/manual-1',
    ]);
    expect(await failing(session, 'run-now')).toEqual([]);

    await play(session, [
      hereDoc('hello.yaml', cronJob(true)),
      'kubectl apply -f hello.yaml',
      'kubectl get cj',
    ]);
    expect(await failing(session, 'suspend')).toEqual([]);

    await play(session, [
      hereDoc('cleanup.yaml', jobYaml('cleanup', ['ttlSecondsAfterFinished: 10'], 'Never', TIDY)),
      'kubectl apply -f cleanup.yaml',
      '+30s',
    ]);
    expect(await failing(session, 'ttl-cleanup')).toEqual([]);
    expect(await diagnose(lab, session.context)).toEqual([]);
  });
});

describe('batch-jobs: typical mistakes', () => {
  it('explains logs read before the pod ran and a wait that gave up after its default 30 s', async () => {
    const session = new LabSession({ lab });
    const logs = 'kubectl logs job/pi';
    const wait = 'kubectl wait --for=condition=complete job/pi';
    await play(session, [PI, logs, wait], [logs, wait]);
    const hints = await diagnose(lab, session.context, { stepId: 'run-pi' });
    expect(hints.map((hint) => hint.id)).toEqual(['wait-timed-out', 'logs-before-start']);
    expect(hints[0].hint.en).toContain('Wait again with `--timeout=120s`');
    expect(await failing(session, 'run-pi')).toEqual([
      'Job pi in namespace default: expected exactly 1 with image perl:5.34.0 and .status.conditions[?(@.type=="Complete")].status equal to True and .status.succeeded equal to 1, found 0 of 1 (pi: .status.conditions[?(@.type=="Complete")].status is not set).',
      'Your history has no command like `kubectl wait --for=condition=complete job/pi --timeout=120s` that succeeded with output matching /condition met/. The closest one, `kubectl wait --for=condition=complete job/pi`, exited with code 1.',
    ]);
    expect(await failing(session, 'read-logs')).toEqual([
      'Your history has no command like `kubectl logs job/pi` that succeeded with output matching /3\\.14159265358979323846/. The closest one, `kubectl logs job/pi`, exited with code 1.',
    ]);

    await play(session, ['kubectl wait --for=condition=complete job/pi --timeout=120s', logs]);
    expect(await failing(session, 'run-pi')).toEqual([]);
    expect(await failing(session, 'read-logs')).toEqual([]);
    // The failed attempts stay in the history, but their hints go once the student got it right.
    expect(await hintIds(session, 'run-pi')).toEqual([]);
    expect(await hintIds(session, 'read-logs')).toEqual([]);
  });

  it('explains an image that cannot be pulled, naming the pod', async () => {
    const session = new LabSession({ lab });
    await play(session, [PI.replace('perl:5.34.0', 'perl:5.34.O'), '+30s']);
    const hints = await diagnose(lab, session.context, { stepId: 'run-pi' });
    expect(hints.map((hint) => hint.id)).toEqual(['job-image-pull-failure']);
    expect(hints[0].hint.en).toMatch(/^Pod pi-\S+ cannot pull its image; check the image name and tag/);
    const [jobReason] = await failing(session, 'run-pi');
    expect(jobReason).toContain('(pi: image is perl:5.34.O)');
  });

  it('explains a Job whose pods would restart for ever, and completions swapped with parallelism', async () => {
    const session = new LabSession({ lab });
    const apply = 'kubectl apply -f thumbnails.yaml';
    // The starter file as it comes, with its TODOs: no restartPolicy, so the default Always is refused.
    await play(session, [apply], [apply]);
    expect(await hintIds(session, 'completions')).toEqual(['restart-policy-always']);
    expect(await failing(session, 'completions')).toEqual([
      'Job thumbnails in namespace default: expected exactly 1 with .spec.completions equal to 5 and .spec.parallelism equal to 2, found none.',
      'Job thumbnails in namespace default: expected exactly 1 with .status.succeeded equal to 5 and .status.conditions[?(@.type=="Complete")].status equal to True, found none.',
    ]);

    await play(
      session,
      [
        hereDoc(
          'thumbnails.yaml',
          jobYaml('thumbnails', ['completions: 5', 'parallelism: 2'], 'Always', THUMBNAIL),
        ),
        apply,
      ],
      [apply],
    );
    expect(session.history.at(-1)?.output).toContain('Unsupported value: "Always"');
    expect(await hintIds(session, 'completions')).toEqual(['restart-policy-always']);
    expect(await failing(session, 'completions')).toHaveLength(2);

    await play(session, [
      hereDoc(
        'thumbnails.yaml',
        jobYaml('thumbnails', ['completions: 2', 'parallelism: 5'], 'Never', THUMBNAIL),
      ),
      apply,
      '+60s',
    ]);
    expect(await hintIds(session, 'completions')).toEqual(['thumbnails-wrong-completions']);
    expect(await failing(session, 'completions')).toEqual([
      'Job thumbnails in namespace default: expected exactly 1 with .spec.completions equal to 5 and .spec.parallelism equal to 2, found 0 of 1 (thumbnails: .spec.completions is 2).',
      'Job thumbnails in namespace default: expected exactly 1 with .status.succeeded equal to 5 and .status.conditions[?(@.type=="Complete")].status equal to True, found 0 of 1 (thumbnails: .status.succeeded is 2).',
    ]);

    await play(session, [
      'kubectl delete job thumbnails',
      hereDoc(
        'thumbnails.yaml',
        jobYaml('thumbnails', ['completions: 5', 'parallelism: 2'], 'Never', THUMBNAIL),
      ),
      apply,
      '+60s',
    ]);
    expect(await failing(session, 'completions')).toEqual([]);
    expect(await hintIds(session, 'completions')).toEqual([]);
  });

  it('explains parallelism left at 1', async () => {
    const session = new LabSession({ lab });
    await play(session, [
      hereDoc('thumbnails.yaml', jobYaml('thumbnails', ['completions: 5'], 'Never', THUMBNAIL)),
      'kubectl apply -f thumbnails.yaml',
      '+60s',
    ]);
    expect(await hintIds(session, 'completions')).toEqual(['thumbnails-wrong-parallelism']);
    expect(await failing(session, 'completions')).toEqual([
      'Job thumbnails in namespace default: expected exactly 1 with .spec.completions equal to 5 and .spec.parallelism equal to 2, found 0 of 1 (thumbnails: .spec.parallelism is 1).',
    ]);
  });

  it('explains a Job left with the default back-off limit, and describe before it failed', async () => {
    const session = new LabSession({ lab });
    await play(session, [
      'kubectl apply -f flaky.yaml',
      '+60s',
      'kubectl describe job flaky',
      'kubectl logs job/flaky',
    ]);
    expect(await hintIds(session, 'backoff-limit')).toEqual(['flaky-default-backoff']);
    // Still retrying after a minute: the Job has not failed, so describe cannot show BackoffLimitExceeded yet.
    expect(await failing(session, 'backoff-limit')).toEqual([
      'Job flaky in namespace default: expected exactly 1 with .spec.backoffLimit equal to 2 and .status.conditions[?(@.type=="Failed")].reason equal to BackoffLimitExceeded and .status.failed equal to 3, found 0 of 1 (flaky: .spec.backoffLimit is 6).',
      'Your history has no command like `kubectl describe job flaky` that succeeded with output matching /BackoffLimitExceeded/. The closest one, `kubectl describe job flaky`, succeeded but its output does not match.',
    ]);

    await play(session, [
      'kubectl delete job flaky',
      hereDoc('flaky.yaml', jobYaml('flaky', ['backoffLimit: 2'], 'Never', FLAKY)),
      'kubectl apply -f flaky.yaml',
      '+60s',
      'kubectl describe job flaky',
    ]);
    expect(await hintIds(session, 'backoff-limit')).toEqual([]);
    expect(await failing(session, 'backoff-limit')).toEqual([]);
  });

  it('explains a schedule typo, a schedule that is not every minute and create job without a name', async () => {
    const session = new LabSession({ lab });
    const typo = HELLO.replace('*/1 * * * *', '*/1 * * *');
    await play(session, [typo], [typo]);
    expect(await hintIds(session, 'cronjob')).toEqual(['bad-cron-schedule']);
    expect(await failing(session, 'cronjob')).toEqual([
      'CronJob hello in namespace default: expected exactly 1 with .spec.schedule matching /^(\\*|\\*/1) \\* \\* \\* \\*$/ and image busybox:1.36, found none.',
      `Jobs in namespace default: expected at least 1 with .metadata.ownerReferences[?(@.kind=="CronJob")].name equal to hello and .metadata.annotations['cronjob.kubernetes.io/instantiate'] unset and .status.succeeded equal to 1, found none.`,
    ]);

    // A valid schedule, but the nightly one of the example: it will not run during the lab.
    await play(session, [HELLO.replace('*/1 * * * *', '30 2 * * *'), '+90s']);
    expect(await hintIds(session, 'cronjob')).toEqual(['cron-not-every-minute']);
    expect(await failing(session, 'cronjob')).toEqual([
      'CronJob hello in namespace default: expected exactly 1 with .spec.schedule matching /^(\\*|\\*/1) \\* \\* \\* \\*$/ and image busybox:1.36, found 0 of 1 (hello: .spec.schedule is 30 2 * * *).',
      `Jobs in namespace default: expected at least 1 with .metadata.ownerReferences[?(@.kind=="CronJob")].name equal to hello and .metadata.annotations['cronjob.kubernetes.io/instantiate'] unset and .status.succeeded equal to 1, found none.`,
    ]);

    await play(session, ['kubectl delete cronjob hello', HELLO, '+70s']);
    expect(await failing(session, 'cronjob')).toEqual([]);
    expect(await hintIds(session, 'cronjob')).toEqual([]);

    const unnamed = 'kubectl create job --from=cronjob/hello';
    await play(session, [unnamed], [unnamed]);
    expect(await hintIds(session, 'run-now')).toEqual(['job-name-missing']);
    const [manualReason, logsReason] = await failing(session, 'run-now');
    // The scheduled Job is there, but nobody started it by hand.
    expect(manualReason).toMatch(
      /found 0 of 1 \(hello-\d+: \.metadata\.annotations\['cronjob\.kubernetes\.io\/instantiate'\] is not set\)\.$/,
    );
    expect(logsReason).toBe(
      'Your history has no command like `kubectl logs job/hello-manual` that succeeded with output matching /Hello from the Kubernetes cluster/.',
    );

    await play(session, [
      'kubectl create job hello-manual --from=cronjob/hello',
      '+10s',
      'kubectl logs job/hello-manual',
    ]);
    expect(await failing(session, 'run-now')).toEqual([]);
    expect(await hintIds(session, 'run-now')).toEqual([]);
  });

  it('explains a CronJob deleted instead of suspended', async () => {
    const session = new LabSession({ lab });
    await play(session, [HELLO, '+70s', 'kubectl delete cronjob hello', 'kubectl get cronjobs']);
    expect(await hintIds(session, 'suspend')).toEqual(['cronjob-deleted']);
    expect(await failing(session, 'suspend')).toEqual([
      'CronJob hello in namespace default: expected exactly 1 with .spec.suspend equal to true, found none.',
      'Your history has no command like `kubectl get cronjob hello` that succeeded with output matching /\\sTrue\\s/. The closest one, `kubectl get cronjobs`, succeeded but its output does not match.',
    ]);

    await play(session, [
      HELLO,
      `kubectl patch cronjob hello -p '{"spec":{"suspend":true}}'`,
      'kubectl get cronjobs',
    ]);
    expect(await hintIds(session, 'suspend')).toEqual([]);
    expect(await failing(session, 'suspend')).toEqual([]);
  });

  it('explains a Job deleted by hand instead of by its TTL', async () => {
    const session = new LabSession({ lab });
    await play(session, ['kubectl apply -f cleanup.yaml', '+10s', 'kubectl delete job cleanup']);
    expect(await hintIds(session, 'ttl-cleanup')).toEqual(['cleanup-deleted-by-hand']);
    // The Job ran and is gone, but not by its TTL: the manifest still lacks ttlSecondsAfterFinished.
    expect(await failing(session, 'ttl-cleanup')).toEqual([
      '~/cleanup.yaml: expected .spec.ttlSecondsAfterFinished at most 60, but .spec.ttlSecondsAfterFinished is not set.',
    ]);

    await play(session, [
      hereDoc('cleanup.yaml', jobYaml('cleanup', ['ttlSecondsAfterFinished: 30'], 'Never', TIDY)),
      'kubectl apply -f cleanup.yaml',
      'kubectl wait --for=condition=complete job/cleanup --timeout=60s',
      '+40s',
    ]);
    expect(await hintIds(session, 'ttl-cleanup')).toEqual([]);
    expect(await failing(session, 'ttl-cleanup')).toEqual([]);
  });
});
