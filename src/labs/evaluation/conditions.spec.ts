import { parseCheck } from '../loader/loader';
import { Lab } from '../format/types';
import { KubeObjectJson } from './context';
import { evaluateCheck } from './evaluate';
import { readObjectsFromList } from './objects-from-list';

const VARS: Lab['vars'] = {
  key: { value: 'mode' },
  sidecar: { value: 'log-shipper' },
  app: { value: 'web' },
  image: { value: 'nginx:1.27' },
};

const pod: KubeObjectJson = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default', labels: { app: 'web', tier: 'front' } },
  spec: {
    containers: [
      { name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] },
      { name: 'log-shipper', image: 'busybox' },
    ],
    volumes: [],
  },
};
const config: KubeObjectJson = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'web-config', namespace: 'default' },
  data: { mode: 'blue', 'web.properties': 'a=1\nb=2' },
};
const cronJob: KubeObjectJson = {
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'report', namespace: 'default' },
  spec: {
    jobTemplate: { spec: { template: { spec: { containers: [{ name: 'r', image: 'busybox:1.36' }] } } } },
  },
};

async function check(yaml: string, objects: KubeObjectJson[] = [pod, config, cronJob]) {
  return evaluateCheck(
    parseCheck(yaml, Object.keys(VARS)),
    { readObjects: readObjectsFromList(objects), history: [] },
    VARS,
  );
}

describe('length conditions', () => {
  const onPod = (condition: string) =>
    check(`select: { kind: Pod, name: web }\nwhere: [{ length: ${condition} }]`);

  it('measure the list, map or string one path names', async () => {
    expect((await onPod('{ path: .spec.containers, equals: 2 }')).passed).toBe(true);
    expect((await onPod('{ path: .spec.containers, atLeast: 3 }')).passed).toBe(false);
    expect((await onPod('{ path: .metadata.labels, atMost: 2 }')).passed).toBe(true);
    expect((await onPod('{ path: .metadata.name, equals: 3 }')).passed).toBe(true);
  });

  it('count 0 for an unset path and the matches of a path that selects several values', async () => {
    expect((await onPod('{ path: .spec.initContainers, equals: 0 }')).passed).toBe(true);
    expect((await onPod('{ path: .spec.volumes, equals: 0 }')).passed).toBe(true);
    expect((await onPod('{ path: \'.spec.containers[?(@.image=="busybox")]\', equals: 1 }')).passed).toBe(
      true,
    );
    expect((await onPod("{ path: '.spec.containers[*].ports', equals: 1 }")).passed).toBe(true);
  });

  it('say what they found, and refuse numbers', async () => {
    const failed = await onPod('{ path: .spec.containers, equals: 3 }');
    expect(failed.reason.en).toBe(
      'Pod web: expected at least 1 with .spec.containers of length 3, found 0 of 1 (web: .spec.containers has length 2).',
    );
    const number = await onPod("{ path: '.spec.containers[0].ports[0].containerPort', equals: 1 }");
    expect(number.reason.en).toContain(
      '.spec.containers[0].ports[0].containerPort is 80, which has no length',
    );
  });

  it('are validated when loading', () => {
    expect(() =>
      parseCheck('select: { kind: Pod }\nwhere: [{ length: { path: .spec.containers } }]'),
    ).toThrow('a length condition needs exactly one of equals, atLeast, atMost');
    expect(() => parseCheck('select: { kind: Pod }\nwhere: [{ length: { path: .a, equals: -1 } }]')).toThrow(
      'expected a non-negative integer',
    );
  });
});

describe('{{vars}} in conditions', () => {
  it('are filled inside JSONPath fields and filters', async () => {
    const data = await check(
      "select: { kind: ConfigMap, name: web-config }\nwhere: [{ field: '.data.{{key}}', equals: blue }]",
    );
    expect(data.passed).toBe(true);
    const filter = await check(
      'select: { kind: Pod, name: web }\nwhere: [{ field: \'.spec.containers[?(@.name=="{{sidecar}}")].image\', equals: busybox }]',
    );
    expect(filter.passed).toBe(true);
    const quotedKey = await check(
      "select: { kind: ConfigMap }\nwhere: [{ field: \"['data']['{{app}}.properties']\", matches: 'a=1' }]",
    );
    expect(quotedKey.passed).toBe(true);
  });

  it('are shown filled in failure reasons and labels', async () => {
    const failed = await check(
      [
        'select: { kind: Pod, name: web }',
        "where: [{ image: '{{image}}-alpine', container: '{{sidecar}}' }]",
        "label: { zh-CN: '{{sidecar}} 的镜像', en: 'image of {{sidecar}}' }",
      ].join('\n'),
    );
    expect(failed.reason.en).toBe(
      'Pod web: expected at least 1 with image nginx:1.27-alpine in container log-shipper, found 0 of 1 (web: image is busybox).',
    );
    expect(failed.label).toEqual({ 'zh-CN': 'log-shipper 的镜像', en: 'image of log-shipper' });
  });
});

describe('field atMost and the image of pod-template owners', () => {
  it('compare numbers from above', async () => {
    const port = (bound: number) =>
      check(
        `select: { kind: Pod }\nwhere: [{ field: '.spec.containers[*].ports[*].containerPort', atMost: ${bound} }]`,
      );
    expect((await port(80)).passed).toBe(true);
    expect((await port(79)).passed).toBe(false);
  });

  it('read a CronJob container through its job template', async () => {
    expect((await check('select: { kind: CronJob }\nwhere: [{ image: busybox:1.36 }]')).passed).toBe(true);
    expect(() => parseCheck('select: { kind: ConfigMap }\nwhere: [{ image: busybox }]')).toThrow(
      'condition image applies to Pod, Deployment, ReplicaSet, DaemonSet, StatefulSet, Job, CronJob, ReplicationController, PodTemplate, not to ConfigMap',
    );
  });
});
