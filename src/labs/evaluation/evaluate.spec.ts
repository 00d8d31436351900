import { parseCheck } from '../loader/loader';
import { Lab, Step } from '../format/types';
import { EvaluationContext, HistoryEntry, KubeObjectJson } from './context';
import { evaluateCheck, evaluateStep } from './evaluate';
import { IMAGES, deployment, pod, replicaSet, runningV1, service, stuckOnV10 } from './fixture-objects';
import { readObjectsFromList } from './objects-from-list';

const VARS: Lab['vars'] = {
  deployment: { value: 'yanwei.app' },
  nodeIp: {
    select: { kind: 'Node', name: 'minikube' },
    field: '.status.addresses[?(@.type=="InternalIP")].address',
  },
  nodePort: {
    select: { kind: 'Service', namespace: 'default', name: 'yanwei' },
    field: '.spec.ports[0].nodePort',
  },
};

function contextOf(objects: KubeObjectJson[], history: HistoryEntry[] = []): EvaluationContext {
  return { readObjects: readObjectsFromList(objects), history };
}

async function verdict(yaml: string, objects: KubeObjectJson[], history: HistoryEntry[] = []) {
  return evaluateCheck(parseCheck(yaml, Object.keys(VARS)), contextOf(objects, history), VARS);
}

describe('object checks', () => {
  it('counts selected objects exactly, at least, or requires all of them', async () => {
    const pods = 'select: { kind: Pod, namespace: default, labelSelector: app=yanwei.app }';
    expect((await verdict(`${pods}\ncount: 3`, runningV1())).passed).toBe(true);
    expect((await verdict(`${pods}\ncount: 2`, runningV1())).passed).toBe(false);
    expect((await verdict(`${pods}\ncount: { atLeast: 2 }`, runningV1())).passed).toBe(true);
    expect((await verdict(`${pods}\ncount: { atLeast: 4 }`, runningV1())).passed).toBe(false);
    expect((await verdict(`${pods}\nwhere: [{ phase: Running }]\ncount: all`, runningV1())).passed).toBe(
      true,
    );
    expect((await verdict(`${pods}\nwhere: [{ phase: Running }]\ncount: all`, stuckOnV10())).passed).toBe(
      false,
    );
    expect((await verdict(`${pods}\ncount: all`, [])).passed).toBe(false);
  });

  it('defaults to "at least one" and explains what it found', async () => {
    const result = await verdict('select: { kind: Node, labelSelector: disktype=ssd }', runningV1());
    expect(result).toMatchObject({ passed: true, matched: ['minikube'] });
    expect(result.reason.en).toBe('Nodes with labels disktype=ssd: found 1 (minikube).');
    expect(result.reason['zh-CN']).toBe('标签为 disktype=ssd 的 Node：有 1 个（minikube）。');

    const missing = await verdict('select: { kind: Node, labelSelector: disktype=ssd }', stuckOnV10());
    expect(missing.passed).toBe(false);
    expect(missing.reason.en).toBe('Nodes with labels disktype=ssd: expected at least 1, found none.');
    expect(missing.reason['zh-CN']).toBe('标签为 disktype=ssd 的 Node：期望至少 1 个，一个也没有找到。');
  });

  it('names the objects that miss a condition and what they show instead', async () => {
    const objects = [
      deployment({ image: IMAGES.V1, replicas: 2 }),
      pod('yanwei.app-6b8f8d6c9d-x7tqz', '6b8f8d6c9d', IMAGES.V1, 'running'),
      pod('yanwei.app-6b8f8d6c9d-2xk4m', '6b8f8d6c9d', IMAGES.V1, 'creating'),
    ];
    const result = await verdict(
      'select: { kind: Pod, namespace: default, labelSelector: app=yanwei.app }\nwhere: [{ phase: Running }, { ready: true }]\ncount: 2',
      objects,
    );
    expect(result.passed).toBe(false);
    expect(result.matched).toEqual(['yanwei.app-6b8f8d6c9d-x7tqz']);
    expect(result.reason.en).toBe(
      'Pods with labels app=yanwei.app in namespace default: expected exactly 2 with phase Running and ready, ' +
        'found 1 of 2 (yanwei.app-6b8f8d6c9d-2xk4m: phase is Pending).',
    );
    expect(result.reason['zh-CN']).toContain('期望恰好 2 个满足「阶段为 Running，且已就绪」');
  });

  it('checks field values by JSONPath: equals, matches, atLeast, exists', async () => {
    const select = 'select: { kind: Deployment, namespace: default, name: yanwei.app }';
    const objects = runningV1();
    expect((await verdict(`${select}\nwhere: [{ field: .spec.replicas, equals: 3 }]`, objects)).passed).toBe(
      true,
    );
    const wrong = await verdict(`${select}\nwhere: [{ field: .spec.replicas, equals: 4 }]`, objects);
    expect(wrong.reason.en).toContain('(yanwei.app: .spec.replicas is 3)');
    expect(
      (await verdict(`${select}\nwhere: [{ field: .metadata.name, matches: '^yanwei\\.' }]`, objects)).passed,
    ).toBe(true);
    expect(
      (await verdict(`${select}\nwhere: [{ field: .status.readyReplicas, atLeast: 3 }]`, objects)).passed,
    ).toBe(true);
    expect(
      (await verdict(`${select}\nwhere: [{ field: .status.readyReplicas, atLeast: 4 }]`, objects)).passed,
    ).toBe(false);
    expect(
      (await verdict(`${select}\nwhere: [{ field: .spec.paused, exists: false }]`, objects)).passed,
    ).toBe(true);
    expect(
      (
        await verdict(
          `${select}\nwhere: [{ field: '.spec.template.spec.containers[*].name', equals: kubernetes-bootcamp }]`,
          objects,
        )
      ).passed,
    ).toBe(true);
  });

  it('compares a templated string with a number by its text', async () => {
    const check = `select: { kind: Service, namespace: default, name: yanwei }\nwhere: [{ field: '.spec.ports[0].nodePort', equals: '{{nodePort}}' }]`;
    expect((await verdict(check, runningV1())).passed).toBe(true);
  });

  it('compares images after Docker Hub normalisation and per container', async () => {
    const objects = [deployment({ image: `docker.io/${IMAGES.V2}`, replicas: 1 })];
    const select = 'select: { kind: Deployment, namespace: default, name: yanwei.app }';
    expect((await verdict(`${select}\nwhere: [{ image: '${IMAGES.V2}' }]`, objects)).passed).toBe(true);
    expect(
      (
        await verdict(
          `${select}\nwhere: [{ image: '${IMAGES.V2}', container: kubernetes-bootcamp }]`,
          objects,
        )
      ).passed,
    ).toBe(true);
    const wrongContainer = await verdict(
      `${select}\nwhere: [{ image: '${IMAGES.V2}', container: web }]`,
      objects,
    );
    expect(wrongContainer.reason.en).toContain('yanwei.app: has no container web');
    const wrongImage = await verdict(`${select}\nwhere: [{ image: '${IMAGES.V1}' }]`, objects);
    expect(wrongImage.reason.en).toContain(`yanwei.app: image is docker.io/${IMAGES.V2}`);
  });

  it('finds pods waiting on an image pull', async () => {
    const check =
      'select: { kind: Pod, namespace: default }\nwhere: [{ waitingReason: [ErrImagePull, ImagePullBackOff] }]';
    const stuck = await verdict(check, stuckOnV10());
    expect(stuck).toMatchObject({ passed: true, matched: ['yanwei.app-86f6cb97f5-l8x2p'] });
    const healthy = await verdict(check, runningV1());
    expect(healthy.passed).toBe(false);
    expect(healthy.reason.en).toContain('yanwei.app-6b8f8d6c9d-2xk4m: container states: running');
  });

  it('checks service type, ports and whether the selector reaches pods', async () => {
    const select = 'select: { kind: Service, namespace: default, name: yanwei }';
    const good = `${select}\nwhere: [{ serviceType: NodePort }, { port: 8080, targetPort: 8080, protocol: TCP }, { selectsPods: true }]`;
    expect((await verdict(good, runningV1())).passed).toBe(true);
    const wrongPort = await verdict(`${select}\nwhere: [{ port: 80 }]`, runningV1());
    expect(wrongPort.reason.en).toContain('yanwei: ports are 8080:31562/TCP -> 8080');

    const orphan = [
      ...runningV1().filter((object) => object.kind !== 'Service'),
      service({ selector: { app: 'yanwei' } }),
    ];
    const unselected = await verdict(`${select}\nwhere: [{ selectsPods: true }]`, orphan);
    expect(unselected.reason.en).toContain('yanwei: selector app=yanwei matches 0 pods');
    expect((await verdict(`${select}\nwhere: [{ selectsPods: false }]`, orphan)).passed).toBe(true);
    const selectorless = await verdict(
      'select: { kind: Service, namespace: default, name: kubernetes }\nwhere: [{ selectsPods: false }]',
      runningV1(),
    );
    expect(selectorless.reason.en).toContain('kubernetes: has no selector');
  });

  it('fills {{vars}} in selectors and reports a var it cannot capture', async () => {
    const check = "select: { kind: Deployment, namespace: default, name: '{{deployment}}' }\ncount: 1";
    expect((await verdict(check, runningV1())).passed).toBe(true);
    const captured = "ran: { command: ':{{nodePort}}$' }";
    const noService = await verdict(
      captured,
      stuckOnV10().filter((object) => object.kind !== 'Service'),
    );
    expect(noService.passed).toBe(false);
    expect(noService.reason).toEqual({
      en: 'Cannot determine {{nodePort}}: there is no Service yanwei in namespace default.',
      'zh-CN': '无法确定 {{nodePort}}：没有找到命名空间 default 中名为 yanwei 的 Service。',
    });
  });
});

describe('rollout checks', () => {
  const check =
    'select: { kind: Deployment, namespace: default, name: yanwei.app }\nwhere: [{ rolloutComplete: true }]';

  it('passes a finished rollout', async () => {
    expect((await verdict(check, runningV1())).passed).toBe(true);
  });

  it('explains each way a rollout can be unfinished', async () => {
    const cases: [KubeObjectJson, string][] = [
      [
        deployment({ image: IMAGES.V2, replicas: 3, generation: 2, observedGeneration: 1 }),
        'the controller has not observed',
      ],
      [
        deployment({ image: IMAGES.V2, replicas: 3, updated: 1 }),
        '1 out of 3 new replicas have been updated',
      ],
      [deployment({ image: IMAGES.V2, replicas: 3, total: 4 }), '1 old replicas are pending termination'],
      [deployment({ image: IMAGES.V2, replicas: 3, available: 2 }), '2 of 3 updated replicas are available'],
      [
        deployment({ image: IMAGES.V2, replicas: 3, deadlineExceeded: true }),
        'exceeded its progress deadline',
      ],
    ];
    for (const [object, message] of cases) {
      const result = await verdict(check, [object, replicaSet('7c95d8bd94', IMAGES.V2, 2, 3)]);
      expect(result.passed).toBe(false);
      expect(result.reason.en).toContain(message);
    }
  });

  it('is unfinished while pods of an older ReplicaSet remain, even terminating ones', async () => {
    const objects = [
      deployment({ image: IMAGES.V2, replicas: 1, generation: 2 }),
      replicaSet('6b8f8d6c9d', IMAGES.V1, 1, 0),
      replicaSet('7c95d8bd94', IMAGES.V2, 2, 1),
      pod('yanwei.app-7c95d8bd94-2xk4m', '7c95d8bd94', IMAGES.V2, 'running'),
      pod('yanwei.app-6b8f8d6c9d-x7tqz', '6b8f8d6c9d', IMAGES.V1, 'terminating'),
    ];
    const result = await verdict(check, objects);
    expect(result.passed).toBe(false);
    expect(result.reason.en).toContain(
      'pods of an older ReplicaSet are still present: yanwei.app-6b8f8d6c9d-x7tqz',
    );
    expect((await verdict(check, objects.slice(0, 4))).passed).toBe(true);
  });

  it('follows the highest revision after a rollback reuses an old ReplicaSet', async () => {
    const objects = [
      deployment({ image: IMAGES.V2, replicas: 1, generation: 4 }),
      replicaSet('7c95d8bd94', IMAGES.V2, 4, 1),
      replicaSet('86f6cb97f5', IMAGES.V10, 3, 0),
      pod('yanwei.app-7c95d8bd94-2xk4m', '7c95d8bd94', IMAGES.V2, 'running'),
    ];
    expect((await verdict(check, objects)).passed).toBe(true);
    const withStuckPod = [
      ...objects,
      pod('yanwei.app-86f6cb97f5-l8x2p', '86f6cb97f5', IMAGES.V10, 'terminating'),
    ];
    expect((await verdict(check, withStuckPod)).passed).toBe(false);
  });
});

describe('history checks', () => {
  const history: HistoryEntry[] = [
    { command: 'kubectl versoin', exitCode: 1, output: 'error: unknown command "versoin" for "kubectl"\n' },
    { command: 'curl $(minikube ip):31000', exitCode: 7, output: 'curl: (7) Failed to connect\n' },
    {
      command: 'kubectl scale deployments/yanwei.app --replicas=4',
      exitCode: 0,
      output: 'deployment.apps/yanwei.app scaled\n',
    },
    {
      command: 'curl 192.168.49.2:31562',
      exitCode: 0,
      output: 'Hello Kubernetes bootcamp! | Running on: x | v=1\n',
    },
    {
      command: 'kubectl scale deployments/yanwei.app --replicas=2',
      exitCode: 0,
      output: 'deployment.apps/yanwei.app scaled\n',
    },
  ];

  it('finds a successful command and says which one', async () => {
    const result = await verdict("ran: { command: '^kubectl\\s+scale\\s' }", [], history);
    expect(result).toMatchObject({
      passed: true,
      matched: ['kubectl scale deployments/yanwei.app --replicas=4'],
    });
    expect(result.reason.en).toBe('Ran `kubectl scale deployments/yanwei.app --replicas=4` (exit code 0).');
  });

  it('points at the closest command when none qualifies', async () => {
    const failed = await verdict("ran: { command: '^kubectl\\s+vers' }", [], history);
    expect(failed.passed).toBe(false);
    expect(failed.reason.en).toBe(
      'Your history has no command matching /^kubectl\\s+vers/ that succeeded. The closest one, `kubectl versoin`, exited with code 1.',
    );
    const wanted = await verdict("ran: { command: '^kubectl\\s+vers', status: failed }", [], history);
    expect(wanted.passed).toBe(true);
  });

  it('matches output, and fills captured vars escaped for regexes', async () => {
    const curl =
      "ran: { command: '^curl\\s+(\\$\\(minikube ip\\)|{{nodeIp}}):{{nodePort}}$', output: 'Hello Kubernetes' }";
    const result = await verdict(curl, runningV1(), history);
    expect(result).toMatchObject({ passed: true, matched: ['curl 192.168.49.2:31562'] });
    const otherIp = history.map((entry) => ({
      ...entry,
      command: entry.command.replace('192.168.49.2', '192.168.49x2'),
    }));
    expect((await verdict(curl, runningV1(), otherIp)).passed).toBe(false);
  });

  it('requires commands in order', async () => {
    const inOrder = `ranInOrder:\n  - command: 'replicas=4'\n  - command: 'replicas=2'`;
    expect((await verdict(inOrder, [], history)).passed).toBe(true);
    const reversed = `ranInOrder:\n  - command: 'replicas=2'\n  - command: 'replicas=4'`;
    const result = await verdict(reversed, [], history);
    expect(result.passed).toBe(false);
    expect(result.reason.en).toBe(
      'Expected 2 commands in order; missing step 2: a command matching /replicas=4/ that succeeded after `kubectl scale deployments/yanwei.app --replicas=2`.',
    );
  });

  it('treats a command that never finished as not succeeded', async () => {
    const aborted: HistoryEntry[] = [
      { command: 'kubectl rollout status deployments/yanwei.app', exitCode: null },
    ];
    const result = await verdict("ran: { command: 'rollout status' }", [], aborted);
    expect(result.passed).toBe(false);
    expect(result.reason.en).toContain('did not finish');
  });
});

describe('combinators', () => {
  it('all, any and not combine verdicts and keep the inner ones', async () => {
    const all = await verdict(
      `all:\n  - select: { kind: Node, labelSelector: disktype=ssd }\n  - select: { kind: Service, namespace: default, name: nope }`,
      runningV1(),
    );
    expect(all.passed).toBe(false);
    expect(all.children?.map((child) => child.passed)).toEqual([true, false]);
    expect(all.reason.en).toBe('Service nope in namespace default: expected at least 1, found none.');

    const any = await verdict(
      `any:\n  - select: { kind: Service, namespace: default, name: nope }\n  - select: { kind: Node, labelSelector: disktype=ssd }`,
      runningV1(),
    );
    expect(any).toMatchObject({ passed: true, matched: ['minikube'] });

    const not = await verdict(
      'not:\n  select: { kind: Service, namespace: default, name: nope }',
      runningV1(),
    );
    expect(not.passed).toBe(true);
    expect(not.reason.en).toBe(
      'As required, this is not the case: Service nope in namespace default: expected at least 1, found none.',
    );
    const notFailing = await verdict('not:\n  select: { kind: Node }', runningV1());
    expect(notFailing.passed).toBe(false);
    expect(notFailing.reason.en).toBe('This must not be the case, but it is: Nodes: found 1 (minikube).');
  });

  it('carries the author label', async () => {
    const result = await verdict('label: { zh-CN: 节点, en: Node }\nselect: { kind: Node }', runningV1());
    expect(result.label).toEqual({ 'zh-CN': '节点', en: 'Node' });
  });
});

describe('evaluateStep', () => {
  it('evaluates every check of a step with the lab vars', async () => {
    const step: Step = {
      id: 'expose',
      title: { en: 'Expose', 'zh-CN': '暴露' },
      instructions: { en: 'x', 'zh-CN': 'x' },
      points: 15,
      hints: [],
      solution: ['kubectl expose deployment/yanwei.app --type=NodePort --port 8080 --name yanwei'],
      vars: VARS,
      checks: [
        parseCheck(
          'select: { kind: Service, namespace: default, name: yanwei }\nwhere: [{ serviceType: NodePort }]',
        ),
        parseCheck("ran: { command: '^curl\\s+\\S+:{{nodePort}}$' }", ['nodePort']),
      ],
    };
    const result = await evaluateStep(step, contextOf(runningV1(), []));
    expect(result).toMatchObject({ stepId: 'expose', passed: false, points: 15 });
    expect(result.checks.map((check) => check.passed)).toEqual([true, false]);
    const after = await evaluateStep(
      step,
      contextOf(runningV1(), [{ command: 'curl 192.168.49.2:31562', exitCode: 0, output: 'Hello' }]),
    );
    expect(after.passed).toBe(true);
  });
});

describe('near misses in history reasons', () => {
  it('names a command with the right beginning but the wrong form', async () => {
    const history: HistoryEntry[] = [
      { command: 'kubectl get pods', exitCode: 0, output: '' },
      { command: 'kubectl  rollout undo deployment/other', exitCode: 1, output: 'not found' },
    ];
    const result = await verdict(
      "ran: { command: '^kubectl\\s+rollout\\s+undo\\s+deployments?/yanwei\\.app' }",
      [],
      history,
    );
    expect(result.reason.en).toBe(
      'Your history has no command matching /^kubectl\\s+rollout\\s+undo\\s+deployments?\\/yanwei\\.app/ that succeeded. ' +
        'Your closest attempt, `kubectl  rollout undo deployment/other`, does not have the expected form (exit code 1).',
    );
  });

  it('does not call every kubectl command close', async () => {
    const history: HistoryEntry[] = [{ command: 'kubectl get nodes', exitCode: 0, output: '' }];
    const result = await verdict("ran: { command: '^kubectl(?=.*\\s-n\\s*kube-system)' }", [], history);
    expect(result.reason.en).toBe(
      'Your history has no command matching /^kubectl(?=.*\\s-n\\s*kube-system)/ that succeeded.',
    );
  });

  it('shows captured values in the pattern it asks for', async () => {
    const result = await verdict("ran: { command: '^curl\\s+{{nodeIp}}:{{nodePort}}$' }", runningV1(), []);
    expect(result.reason.en).toBe(
      'Your history has no command matching /^curl\\s+192\\.168\\.49\\.2:31562$/ that succeeded.',
    );
  });
});

describe('captured values that break a selector', () => {
  it('fails the check with the reason instead of a read error', async () => {
    const vars: Lab['vars'] = { owner: { value: 'two words' } };
    const check = parseCheck("select: { kind: Pod, labelSelector: 'owner={{owner}}' }", ['owner']);
    const result = await evaluateCheck(check, contextOf(runningV1()), vars);
    expect(result.passed).toBe(false);
    expect(result.reason.en).toBe(
      `Cannot select objects: bad label selector "owner=two words": found 'words', expected: ',' or 'end of string'.`,
    );
  });
});

describe('examples in history checks', () => {
  it('shows the example, with captured values, instead of the regex', async () => {
    const check =
      "ran: { command: '^curl\\s+.+:{{nodePort}}$', example: 'curl $(minikube ip):{{nodePort}}' }";
    const result = await verdict(check, runningV1(), []);
    expect(result.reason).toEqual({
      en: 'Your history has no command like `curl $(minikube ip):31562` that succeeded.',
      'zh-CN': '历史记录中没有类似 `curl $(minikube ip):31562` 且执行成功的命令。',
    });
  });

  it('rejects at load time an example its regex does not accept', () => {
    expect(() => parseCheck("ran: { command: '^kubectl\\s+version', example: kubectl versoin }")).toThrow(
      '<check>: ran.example: does not match the command regex /^kubectl\\s+version/',
    );
  });
});
