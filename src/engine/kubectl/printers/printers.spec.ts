import type { Pod } from '../../api/types';
import { renderGoTemplate } from './go-template';
import { renderJsonPath } from './jsonpath';
import { toGoJson } from './json';
import { podRowState } from './pod-status';
import { toGoYaml } from './yaml';

describe('toGoYaml (sigs.k8s.io/yaml output)', () => {
  it('folds a long plain or single-quoted mapping value at a space past column 80, as go-yaml v2 does', () => {
    const words = 'one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen';
    expect(toGoYaml({ data: { long: words, quoted: `x: ${words}`, 'no-spaces': 'y'.repeat(90) } })).toBe(
      'data:\n' +
        '  long: one two three four five six seven eight nine ten eleven twelve thirteen fourteen\n' +
        '    fifteen\n' +
        '  no-spaces: ' +
        'y'.repeat(90) +
        '\n' +
        "  quoted: 'x: one two three four five six seven eight nine ten eleven twelve thirteen\n" +
        "    fourteen fifteen'\n",
    );
  });

  it('sorts keys, keeps sequences at the parent indentation and quotes strings that read as other types', () => {
    const doc = {
      metadata: {
        name: 'yanwei.app',
        annotations: { 'deployment.kubernetes.io/revision': '1' },
        creationTimestamp: '2024-06-03T02:15:00Z',
      },
      apiVersion: 'apps/v1',
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'kubernetes-bootcamp',
                image: 'gcr.io/google-samples/kubernetes-bootcamp:v1',
                resources: {},
              },
            ],
          },
        },
        paused: false,
        labels: { 'node-role.kubernetes.io/control-plane': '' },
        message: 'a: b',
        empty: [],
      },
    };
    expect(toGoYaml(doc)).toBe(
      [
        'apiVersion: apps/v1',
        'metadata:',
        '  annotations:',
        '    deployment.kubernetes.io/revision: "1"',
        '  creationTimestamp: "2024-06-03T02:15:00Z"',
        '  name: yanwei.app',
        'spec:',
        '  empty: []',
        '  labels:',
        '    node-role.kubernetes.io/control-plane: ""',
        "  message: 'a: b'",
        '  paused: false',
        '  template:',
        '    spec:',
        '      containers:',
        '      - image: gcr.io/google-samples/kubernetes-bootcamp:v1',
        '        name: kubernetes-bootcamp',
        '        resources: {}',
        '',
      ].join('\n'),
    );
  });
});

describe('toGoJson', () => {
  it('sorts keys, indents with 4 spaces and escapes HTML characters like Go', () => {
    expect(toGoJson({ b: 1, a: ['<none>'] })).toBe(
      '{\n    "a": [\n        "\\u003cnone\\u003e"\n    ],\n    "b": 1\n}\n',
    );
  });
});

describe('renderJsonPath', () => {
  const list = {
    items: [{ metadata: { name: 'a' }, spec: { ports: [{ nodePort: 31000 }] } }, { metadata: { name: 'b' } }],
  };
  it('evaluates paths, wildcards, ranges and literals; missing keys print nothing', () => {
    expect(renderJsonPath('{.items[*].metadata.name}', list)).toBe('a b');
    expect(renderJsonPath('{.items[0].spec.ports[0].nodePort}', list)).toBe('31000');
    expect(renderJsonPath('{range .items[*]}{.metadata.name}{"\\n"}{end}', list)).toBe('a\nb\n');
    expect(renderJsonPath('{.items[1].spec.ports}', list)).toBe('');
    expect(renderJsonPath("x={.items[0]['metadata'].name}", list)).toBe('x=a');
  });
});

describe('podRowState (reference §6)', () => {
  const pod = (status: Pod['status'], deleting = false): Pod => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', ...(deleting ? { deletionTimestamp: '2024-06-03T02:16:00Z' } : {}) },
    spec: { containers: [{ name: 'c', image: 'i' }] },
    status,
  });
  const waiting = (reason: string) => ({
    phase: 'Pending' as const,
    containerStatuses: [
      {
        name: 'c',
        state: { waiting: { reason } },
        lastState: {},
        ready: false,
        restartCount: 0,
        image: 'i',
        imageID: '',
        started: false,
      },
    ],
  });
  const now = Date.parse('2024-06-03T02:20:00Z');

  it('shows the waiting reason, Running with READY 1/1, and Terminating over everything', () => {
    expect(podRowState(pod({ phase: 'Pending' }), now)).toEqual({
      ready: '0/1',
      status: 'Pending',
      restarts: '0',
    });
    expect(podRowState(pod(waiting('ImagePullBackOff')), now).status).toBe('ImagePullBackOff');
    const running = {
      phase: 'Running' as const,
      containerStatuses: [
        {
          name: 'c',
          state: { running: { startedAt: '2024-06-03T02:15:00Z' } },
          lastState: { terminated: { exitCode: 1, finishedAt: '2024-06-03T02:18:23Z' } },
          ready: true,
          restartCount: 1,
          image: 'i',
          imageID: '',
          started: true,
        },
      ],
    };
    expect(podRowState(pod(running), now)).toEqual({
      ready: '1/1',
      status: 'Running',
      restarts: '1 (97s ago)',
    });
    expect(podRowState(pod(running, true), now).status).toBe('Terminating');
  });
});

describe('renderGoTemplate (the tutorial forms)', () => {
  const list = {
    items: [
      { metadata: { name: 'a' }, status: { phase: 'Running' }, spec: { ports: [{ nodePort: 31000 }] } },
      { metadata: { name: 'b' }, status: { phase: 'Pending' } },
    ],
  };
  it('ranges, indexes, compares and prints <no value> for missing keys', () => {
    expect(renderGoTemplate('{{range .items}}{{.metadata.name}}{{"\\n"}}{{end}}', list)).toBe('a\nb\n');
    expect(renderGoTemplate('{{(index .spec.ports 0).nodePort}}', list.items[0])).toBe('31000');
    expect(renderGoTemplate('{{len .items}} {{.nothing}}', list)).toBe('2 <no value>');
    expect(
      renderGoTemplate(
        '{{range .items}}{{if eq .status.phase "Pending"}}{{.metadata.name}}{{end}}{{end}}',
        list,
      ),
    ).toBe('b');
    expect(renderGoTemplate('{{- range .items }} {{ .metadata.name -}} {{ end }}', list)).toBe(' a b');
  });

  it('reports undefined functions and unclosed actions', () => {
    expect(() => renderGoTemplate('{{foo .x}}', list)).toThrow('function "foo" not defined');
    expect(() => renderGoTemplate('{{.x', list)).toThrow('unclosed action');
    expect(() => renderGoTemplate('{{range .items}}', list)).toThrow('unexpected EOF');
  });
});
