/**
 * Example bodies of the API's answers for the OpenAPI document (/api/docs). Each is typed with the
 * response type of src/shared, so a change to a response that the examples miss fails the type-check.
 */
import type {
  AuthoringLabs,
  Draft,
  DraftSaved,
  DraftValidation,
  Proof,
  Regrade,
} from '../shared/authoring-api';
import type { GradingUpdate } from '../shared/events';
import type {
  Course,
  CourseStudent,
  Gradebook,
  GradingRequested,
  HealthReport,
  HomeAtRun,
  HomeConflict,
  HomeFile,
  HomeListing,
  HomeSaved,
  LabSessionView,
  LabView,
  PlatformLoad,
  Replay,
  StepResultView,
  User,
} from '../shared/http-api';
import type { KubeApiAccess } from '../shared/kube-api';
import type {
  CourseOverview,
  CourseSchedule,
  DueExtensionView,
  ScheduleEntryView,
} from '../shared/schedule-api';

const COURSE_ID = '3f1c2a9e-5b7d-4e21-9c0a-8d6f4b2e1a70';
const SESSION_ID = '8b2d7c41-0e9f-4a63-b5d8-1c7e9f3a2b64';
const STUDENT_ID = 'c5e8a1d2-7f34-4b9c-a6e0-2d1b8f7c3e95';
const TEACHER_ID = '1a9f3e7c-2b8d-4c60-9e15-7d4a0b6c8f23';
const DRAFT_ID = '6e4b1f8a-9c2d-4e73-8a5b-0f1d3c7e9a42';
const RUN_ID = 'f0a7c3e1-4d92-4b8e-b1c6-5e2a9d8f7b30';
const LAB_ID = 'lec7-k8s-basics';
const TITLE = { 'zh-CN': 'K8S 入门', en: 'Kubernetes basics' };

export const userExample: User = {
  id: STUDENT_ID,
  email: 'student1@kubelab.local',
  displayName: 'Maria Santos',
  role: 'student',
};

/** The header of a sign-in or a registration that starts a session. */
export const SESSION_COOKIE_SET = {
  'Set-Cookie': {
    description: 'The session cookie (HttpOnly)',
    example: 'kubelab_session=3q2-7wEiKf…; Path=/; HttpOnly; SameSite=Lax',
  },
};

export const courseExample: Course = {
  id: COURSE_ID,
  title: 'DevOps 导论',
  role: 'instructor',
  joinCode: 'K7M2QX9A',
  createdAt: '2026-12-01T08:00:00.000Z',
  timeZone: 'Asia/Shanghai',
};

/** What a student sees of the same course: no join code. */
export const studentCourseExample: Course = {
  id: courseExample.id,
  title: courseExample.title,
  role: 'student',
  createdAt: courseExample.createdAt,
  timeZone: courseExample.timeZone,
};

export const courseStudentsExample: CourseStudent[] = [
  {
    id: STUDENT_ID,
    email: 'student1@kubelab.local',
    displayName: 'Maria Santos',
    joinedAt: '2026-12-01T09:12:44.000Z',
  },
];

export const labExample: LabView = {
  id: LAB_ID,
  title: TITLE,
  description: {
    'zh-CN': '部署、扩容、暴露并回滚 yanwei.app。',
    en: 'Deploy, scale, expose and roll back yanwei.app.',
  },
  estimatedMinutes: 45,
  totalPoints: 100,
  steps: [
    {
      id: 'inspect-cluster',
      title: { 'zh-CN': '查看集群', en: 'Inspect the cluster' },
      instructions: { 'zh-CN': '运行 `kubectl get nodes`。', en: 'Run `kubectl get nodes`.' },
      points: 10,
      hints: [{ 'zh-CN': '试试 `kubectl get nodes -o wide`。', en: 'Try `kubectl get nodes -o wide`.' }],
    },
  ],
  schedule: {
    position: 1,
    opensAt: '2026-12-07T00:00:00.000Z',
    opensAtLocal: '2026-12-07T08:00',
    dueAt: '2026-12-11T15:59:00.000Z',
    dueAtLocal: '2026-12-11T23:59',
    timeZone: 'Asia/Shanghai',
    extended: false,
    weight: 1,
  },
};

export const labSessionExample: LabSessionView = {
  id: SESSION_ID,
  courseId: COURSE_ID,
  labId: LAB_ID,
  userId: STUDENT_ID,
  status: 'active',
  startedAt: '2026-12-07T09:30:00.000Z',
  idleExpiresAt: '2026-12-07T10:30:00.000Z',
  hardDeadlineAt: '2026-12-07T17:30:00.000Z',
  cluster: {
    labSessionId: SESSION_ID,
    clusterId: '2c9e7b14-6a3f-4d85-9b0e-4f8a1c6d2e57',
    status: 'ready',
    idleExpiresAt: '2026-12-07T10:30:00.000Z',
    hardDeadlineAt: '2026-12-07T17:30:00.000Z',
  },
};

export const gradingRequestedExample: GradingRequested = { queued: true };

export const gradingUpdateExample: GradingUpdate = {
  labSessionId: SESSION_ID,
  userId: STUDENT_ID,
  courseId: COURSE_ID,
  labId: LAB_ID,
  steps: [
    {
      stepId: 'inspect-cluster',
      state: 'passed',
      points: 10,
      maxPoints: 10,
      firstPassedAt: '2026-12-07T09:31:05.000Z',
      attempts: 1,
    },
  ],
  totalPoints: 10,
  maxPoints: 100,
  newlyPassed: ['inspect-cluster'],
};

export const gradebookExample: Gradebook = {
  lab: {
    id: LAB_ID,
    title: TITLE,
    steps: [{ id: 'inspect-cluster', title: labExample.steps[0].title, points: 10 }],
  },
  rows: [
    {
      userId: STUDENT_ID,
      email: 'student1@kubelab.local',
      displayName: 'Maria Santos',
      labSessionId: SESSION_ID,
      totalPoints: 10,
      maxPoints: 100,
      completedAt: null,
      dueAt: '2026-12-11T15:59:00.000Z',
      late: false,
      labVersion: null,
      steps: {
        'inspect-cluster': {
          state: 'passed',
          points: 10,
          firstPassedAt: '2026-12-07T09:31:05.000Z',
          overridden: false,
          late: false,
        },
      },
    },
  ],
};

/** The CSV exports start with a UTF-8 byte-order mark (left out here) and end their lines with CRLF. */
export const gradebookCsvExample =
  'email,name,inspect-cluster (10),total,max,completed_at,due_at,late,late_steps,lab_version\r\n' +
  'student1@kubelab.local,Maria Santos,10,10,100,,2026-12-11T15:59:00.000Z,no,,\r\n';

export const replayExample: Replay = {
  session: labSessionExample,
  student: { id: STUDENT_ID, email: 'student1@kubelab.local', displayName: 'Maria Santos' },
  events: [
    {
      type: 'command',
      at: '2026-12-07T09:31:04.000Z',
      runId: RUN_ID,
      seq: 1,
      command: 'kubectl get nodes',
      output:
        'NAME       STATUS   ROLES           AGE   VERSION\nminikube   Ready    control-plane   60s   v1.30.0\n',
      exitCode: 0,
      status: 'completed',
    },
    {
      type: 'grading',
      at: '2026-12-07T09:31:05.000Z',
      stepId: 'inspect-cluster',
      state: 'passed',
      points: 10,
    },
  ],
};

export const stepResultExample: StepResultView = {
  id: '9d3e5f71-2a8c-4b06-8e4d-6c1f0a9b7e38',
  labSessionId: SESSION_ID,
  stepId: 'scale',
  state: 'failed',
  attempts: 3,
  points: 8,
  maxPoints: 10,
  firstPassedAt: null,
  lastCheckedAt: '2026-12-07T09:40:12.000Z',
  overridePoints: 8,
  overrideComment: 'Solved with a manifest instead of kubectl scale',
  overriddenById: TEACHER_ID,
  overriddenAt: '2026-12-08T10:02:00.000Z',
};

export const healthExample: HealthReport = {
  status: 'ok',
  down: [],
  checks: {
    database: { ok: true, detail: 'up', latencyMs: 2 },
    redis: { ok: true, detail: 'up', latencyMs: 1 },
    workers: { ok: true, detail: '2 workers alive', latencyMs: 1 },
    clusterDriver: { ok: true, detail: 'embedded: up', latencyMs: 0 },
  },
};

export const healthDegradedExample: HealthReport = {
  status: 'degraded',
  down: ['database'],
  checks: {
    ...healthExample.checks,
    database: { ok: false, detail: 'connect ECONNREFUSED 127.0.0.1:5432', latencyMs: 3 },
  },
};

export const platformLoadExample: PlatformLoad = {
  workers: [{ worker: 'shared', waiting: 3, oldestWaitingMs: 40, active: 50, overloaded: false }],
  refusalsLastMinute: 0,
  bounds: { maxWaiting: 1000, maxWaitMs: 2000 },
  measuredAt: '2026-12-07T09:45:00.000Z',
};

export const homeListingExample: HomeListing = {
  version: 4,
  entries: [
    { path: 'manifests', kind: 'dir', size: 0, mtime: '2026-12-07T09:35:00.000Z' },
    { path: 'manifests/web.yaml', kind: 'file', size: 412, mtime: '2026-12-07T09:36:10.000Z' },
  ],
};

const WEB_YAML = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: yanwei.app\n';

export const homeFileExample: HomeFile = { path: 'manifests/web.yaml', text: WEB_YAML, version: 4 };

export const homeSavedExample: HomeSaved = { version: 5 };

export const homeConflictExample: HomeConflict = {
  statusCode: 409,
  message: 'the file changed since you opened it (saved elsewhere, or written by a command)',
  version: 6,
  text: WEB_YAML.replace('yanwei.app', 'yanwei-app'),
};

export const homeAtRunExample: HomeAtRun = {
  runId: RUN_ID,
  version: 3,
  entries: [
    {
      path: 'web.yaml',
      kind: 'file',
      size: WEB_YAML.length,
      mtime: '2026-12-07T09:36:10.000Z',
      text: WEB_YAML,
    },
  ],
};

export const kubeApiAccessExample: KubeApiAccess = {
  server: `https://127.0.0.1:6443/k8s/${SESSION_ID}`,
  caData: 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJ...',
  token: { id: 'tok_4f2a9c1e', createdAt: '2026-12-07T09:45:00.000Z', expiresAt: '2026-12-08T09:45:00.000Z' },
  namespace: 'default',
  setup: {
    linux: `mkdir -p ~/.kube && mv ~/Downloads/kubelab-8b2d7c41.kubeconfig ~/.kube/… && kubectl get nodes`,
    macos: `mkdir -p ~/.kube && mv ~/Downloads/kubelab-8b2d7c41.kubeconfig ~/.kube/… && kubectl get nodes`,
    windows: `New-Item -ItemType Directory -Force "$HOME\\.kube" | Out-Null; … kubectl get nodes`,
  },
};

export const kubeconfigExample = [
  'apiVersion: v1',
  'kind: Config',
  'clusters:',
  '- name: minikube',
  '  cluster:',
  `    server: https://127.0.0.1:6443/k8s/${SESSION_ID}`,
  '    certificate-authority-data: LS0tLS1CRUdJTi…',
  'users:',
  '- name: minikube',
  '  user:',
  '    token: klt1.…',
  'contexts:',
  '- name: minikube',
  '  context: { cluster: minikube, user: minikube, namespace: default }',
  'current-context: minikube',
  '',
].join('\n');

const scheduleEntryExample: ScheduleEntryView = {
  labId: LAB_ID,
  title: TITLE,
  position: 1,
  opensAt: '2026-12-07T00:00:00.000Z',
  opensAtLocal: '2026-12-07T08:00',
  dueAt: '2026-12-11T15:59:00.000Z',
  dueAtLocal: '2026-12-11T23:59',
  weight: 1,
  maxPoints: 100,
  stepCount: 9,
};

export const dueExtensionExample: DueExtensionView = {
  labId: LAB_ID,
  userId: STUDENT_ID,
  email: 'student1@kubelab.local',
  displayName: 'Maria Santos',
  dueAt: '2026-12-13T15:59:00.000Z',
  dueAtLocal: '2026-12-13T23:59',
};

export const scheduleExample: CourseSchedule = {
  courseId: COURSE_ID,
  timeZone: 'Asia/Shanghai',
  labs: [scheduleEntryExample],
  otherLabs: [{ labId: 'storage', title: { 'zh-CN': '存储', en: 'Storage' } }],
  extensions: [dueExtensionExample],
};

export const overviewExample: CourseOverview = {
  courseId: COURSE_ID,
  timeZone: 'Asia/Shanghai',
  labs: [scheduleEntryExample],
  students: [
    {
      userId: STUDENT_ID,
      email: 'student1@kubelab.local',
      displayName: 'Maria Santos',
      labs: {
        [LAB_ID]: {
          labSessionId: SESSION_ID,
          passedSteps: 4,
          totalSteps: 9,
          points: 45,
          maxPoints: 100,
          completedAt: null,
          dueAt: '2026-12-13T15:59:00.000Z',
          extended: true,
          late: false,
        },
      },
      weightedPercent: 45,
    },
  ],
};

export const overviewCsvExample =
  'email,name,lec7-k8s-basics steps (9),lec7-k8s-basics points (100),lec7-k8s-basics late,weighted_total_percent\r\n' +
  'student1@kubelab.local,Maria Santos,4,45,no,45.00\r\n';

const AUTHOR = { id: TEACHER_ID, displayName: 'Teacher' };
const LAB_YAML = 'id: web-basics\ntitle:\n  en: Web basics\n  zh-CN: Web 入门\nsteps: []\n';

export const authoringLabsExample: AuthoringLabs = {
  builtIn: [{ labId: LAB_ID, title: TITLE, version: '1' }],
  drafts: [
    {
      draftId: DRAFT_ID,
      labId: 'web-basics',
      courseId: COURSE_ID,
      title: { 'zh-CN': 'Web 入门', en: 'Web basics' },
      revision: 3,
      updatedAt: '2026-12-06T14:20:00.000Z',
      updatedBy: AUTHOR,
    },
  ],
  published: [
    {
      labId: 'web-basics',
      courseId: COURSE_ID,
      title: { 'zh-CN': 'Web 入门', en: 'Web basics' },
      shared: false,
      versions: [{ version: 1, publishedAt: '2026-12-05T10:00:00.000Z', publishedBy: AUTHOR }],
    },
  ],
};

export const draftExample: Draft = {
  draftId: DRAFT_ID,
  labId: 'web-basics',
  courseId: COURSE_ID,
  revision: 3,
  files: { 'lab.yaml': LAB_YAML, 'steps/01-deploy.md': '# Deploy\n\nCreate the `web` deployment.\n' },
  updatedAt: '2026-12-06T14:20:00.000Z',
  updatedBy: AUTHOR,
  problems: [],
};

export const draftSavedExample: DraftSaved = {
  revision: 4,
  problems: [{ file: 'lab.yaml', line: 5, field: 'steps', message: 'a lab needs at least one step' }],
};

export const draftValidationExample: DraftValidation = {
  problems: [],
  lab: {
    labId: 'web-basics',
    title: { 'zh-CN': 'Web 入门', en: 'Web basics' },
    description: { 'zh-CN': '部署一个 Web 服务。', en: 'Deploy a web service.' },
    steps: [
      {
        id: 'deploy',
        title: { 'zh-CN': '部署', en: 'Deploy' },
        points: 10,
        instructions: { 'zh-CN': '创建 `web` 部署。', en: 'Create the `web` deployment.' },
      },
    ],
  },
};

export const proofRequestedExample = { proofId: '4b7e2d9c-1f3a-4c58-a0e6-9d2b8c1f5e73' };

export const proofExample: Proof = {
  proofId: proofRequestedExample.proofId,
  draftId: DRAFT_ID,
  revision: 3,
  state: 'running',
  steps: [{ id: 'deploy', index: 1, total: 2, outcome: 'passed' }],
};

export const publishedExample = { labId: 'web-basics', version: 2 };

export const trialExample = { labSessionId: SESSION_ID };

export const regradeRequestedExample = { regradeId: '7c1d9e3b-5a2f-4e86-b4d0-3f8a6e2c9b15' };

export const regradeExample: Regrade = {
  regradeId: regradeRequestedExample.regradeId,
  labId: 'web-basics',
  fromVersion: 1,
  toVersion: 2,
  state: 'running',
  done: 12,
  total: 30,
};

export const sharedExample = { labId: 'web-basics', shared: true };

export const schemaRootExample = {
  paths: {
    'api/v1': { serverRelativeURL: '/api/schema/openapi/v3/api/v1?hash=4B3A…' },
    'apis/apps/v1': { serverRelativeURL: '/api/schema/openapi/v3/apis/apps/v1?hash=91C0…' },
  },
};

/** The head of a document (the whole is the engine's, as `kubectl explain` reads it). */
export const schemaDocumentExample = {
  openapi: '3.0.0',
  info: { title: 'Kubernetes', version: 'v1.30.0' },
  paths: {
    '/apis/apps/v1/namespaces/{namespace}/deployments': {
      get: { operationId: 'listAppsV1NamespacedDeployment' },
    },
  },
  components: {
    schemas: {
      'io.k8s.api.apps.v1.Deployment': {
        type: 'object',
        description: 'Deployment enables declarative updates for Pods and ReplicaSets.',
      },
    },
  },
};
