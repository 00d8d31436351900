/**
 * Server-side table columns (printers.go, kube-aggregator, apiextensions) of the kinds of ClusterResourceName: the
 * API machinery's objects, flow control, node and storage plumbing, PodTemplates and ReplicationControllers.
 */
import type {
  APIService,
  CertificateSigningRequest,
  ComponentStatus,
  CSIDriver,
  CSINode,
  CSIStorageCapacity,
  FlowSchema,
  PodTemplate,
  PriorityLevelConfiguration,
  ReplicationController,
  RuntimeClass,
  ValidatingAdmissionPolicy,
  ValidatingAdmissionPolicyBinding,
  VolumeAttachment,
  WebhookConfiguration,
} from '../../api/cluster-types';
import type { KubeObject, PodTemplateSpec } from '../../api/types';
import { ageSince, humanDuration } from '../duration';
import type { Column } from './columns';
import { formatLabels } from './format';
import { defaultTableColumns } from './policy-columns';

const name: Column<KubeObject> = { header: 'NAME', cell: (o) => o.metadata.name };
const age: Column<KubeObject> = {
  header: 'AGE',
  cell: (o, now) => ageSince(o.metadata.creationTimestamp, now),
};

const containerNames = (t: PodTemplateSpec | undefined) =>
  (t?.spec?.containers ?? []).map((c) => c.name).join(',');
const containerImages = (t: PodTemplateSpec | undefined) =>
  (t?.spec?.containers ?? []).map((c) => c.image).join(',');

const podTemplateColumns: Column<PodTemplate>[] = [
  name,
  { header: 'CONTAINERS', cell: (p) => containerNames(p.template) },
  { header: 'IMAGES', cell: (p) => containerImages(p.template) },
  { header: 'POD LABELS', cell: (p) => formatLabels(p.template?.metadata?.labels) },
];

const replicationControllerColumns: Column<ReplicationController>[] = [
  name,
  { header: 'DESIRED', cell: (r) => String(r.spec.replicas ?? 1) },
  { header: 'CURRENT', cell: (r) => String(r.status?.replicas ?? 0) },
  { header: 'READY', cell: (r) => String(r.status?.readyReplicas ?? 0) },
  age,
  { header: 'CONTAINERS', wide: true, cell: (r) => containerNames(r.spec.template) },
  { header: 'IMAGES', wide: true, cell: (r) => containerImages(r.spec.template) },
  { header: 'SELECTOR', wide: true, cell: (r) => formatLabels(r.spec.selector) },
];

/** printComponentStatus: the Healthy condition decides STATUS; MESSAGE and ERROR come from it. */
function healthy(c: ComponentStatus): { status: string; message: string; error: string } {
  const condition = c.conditions?.find((x) => x.type === 'Healthy');
  if (!condition) return { status: 'Unknown', message: '', error: '' };
  return {
    status: condition.status === 'True' ? 'Healthy' : 'Unhealthy',
    message: condition.message ?? '',
    error: condition.error ?? '',
  };
}

const componentStatusColumns: Column<ComponentStatus>[] = [
  name,
  { header: 'STATUS', cell: (c) => healthy(c).status },
  { header: 'MESSAGE', cell: (c) => healthy(c).message },
  { header: 'ERROR', cell: (c) => healthy(c).error },
];

const webhookColumns: Column<WebhookConfiguration>[] = [
  name,
  { header: 'WEBHOOKS', cell: (w) => String(w.webhooks?.length ?? 0) },
  age,
];

const validatingAdmissionPolicyColumns: Column<ValidatingAdmissionPolicy>[] = [
  name,
  { header: 'VALIDATIONS', cell: (p) => String(p.spec?.validations?.length ?? 0) },
  {
    header: 'PARAMKIND',
    cell: (p) =>
      p.spec?.paramKind ? `${p.spec.paramKind.apiVersion ?? ''}/${p.spec.paramKind.kind ?? ''}` : '<unset>',
  },
  age,
];

const validatingAdmissionPolicyBindingColumns: Column<ValidatingAdmissionPolicyBinding>[] = [
  name,
  { header: 'POLICYNAME', cell: (b) => b.spec?.policyName ?? '' },
  {
    header: 'PARAMREF',
    cell: (b) => {
      const ref = b.spec?.paramRef;
      if (!ref) return '<unset>';
      return ref.namespace ? `${ref.namespace}/${ref.name ?? ''}` : (ref.name ?? '');
    },
  },
  age,
];

/** kube-aggregator's table: `Local` for the API server's own groups; AVAILABLE from the Available condition. */
function apiServiceAvailable(a: APIService): string {
  const condition = a.status?.conditions?.find((c) => c.type === 'Available');
  if (!condition) return 'Unknown';
  if (condition.status === 'True') return 'True';
  return condition.reason ? `${condition.status} (${condition.reason})` : condition.status;
}

const apiServiceColumns: Column<APIService>[] = [
  name,
  {
    header: 'SERVICE',
    cell: (a) =>
      a.spec.service ? `${a.spec.service.namespace ?? ''}/${a.spec.service.name ?? ''}` : 'Local',
  },
  { header: 'AVAILABLE', cell: apiServiceAvailable },
  age,
];

/** printCertificateSigningRequest's CONDITION: Denied, Approved or Pending, then Failed and Issued. */
function csrCondition(csr: CertificateSigningRequest & { status?: { certificate?: string } }): string {
  const types = new Set((csr.status?.conditions ?? []).map((c) => c.type));
  let out = types.has('Denied') ? 'Denied' : types.has('Approved') ? 'Approved' : 'Pending';
  if (types.has('Failed')) out += ',Failed';
  if (csr.status?.certificate) out += ',Issued';
  return out;
}

const certificateSigningRequestColumns: Column<CertificateSigningRequest>[] = [
  name,
  age,
  { header: 'SIGNERNAME', cell: (c) => c.spec?.signerName ?? '' },
  { header: 'REQUESTOR', cell: (c) => c.spec?.username ?? '' },
  {
    header: 'REQUESTEDDURATION',
    cell: (c) =>
      c.spec?.expirationSeconds === undefined ? '<none>' : humanDuration(c.spec.expirationSeconds * 1000),
  },
  { header: 'CONDITION', cell: csrCondition },
];

const flowSchemaColumns: Column<FlowSchema>[] = [
  name,
  { header: 'PRIORITYLEVEL', cell: (f) => f.spec.priorityLevelConfiguration.name },
  { header: 'MATCHINGPRECEDENCE', cell: (f) => String(f.spec.matchingPrecedence ?? 0) },
  { header: 'DISTINGUISHERMETHOD', cell: (f) => f.spec.distinguisherMethod?.type ?? '<none>' },
  age,
  {
    header: 'MISSINGPL',
    cell: (f) => f.status?.conditions?.find((c) => c.type === 'Dangling')?.status ?? '?',
  },
];

const queuing = (p: PriorityLevelConfiguration) => p.spec.limited?.limitResponse?.queuing;
const orNone = (v: number | undefined) => (v === undefined ? '<none>' : String(v));

const priorityLevelColumns: Column<PriorityLevelConfiguration>[] = [
  name,
  { header: 'TYPE', cell: (p) => p.spec.type },
  {
    header: 'NOMINALCONCURRENCYSHARES',
    cell: (p) => (p.spec.limited ? String(p.spec.limited.nominalConcurrencyShares ?? 0) : '<none>'),
  },
  { header: 'QUEUES', cell: (p) => orNone(queuing(p)?.queues) },
  { header: 'HANDSIZE', cell: (p) => orNone(queuing(p)?.handSize) },
  { header: 'QUEUELENGTHLIMIT', cell: (p) => orNone(queuing(p)?.queueLengthLimit) },
  age,
];

const runtimeClassColumns: Column<RuntimeClass>[] = [
  name,
  { header: 'HANDLER', cell: (r) => r.handler ?? '' },
  age,
];

const csiDriverColumns: Column<CSIDriver>[] = [
  name,
  { header: 'ATTACHREQUIRED', cell: (d) => String(d.spec?.attachRequired ?? true) },
  { header: 'PODINFOONMOUNT', cell: (d) => String(d.spec?.podInfoOnMount ?? false) },
  { header: 'STORAGECAPACITY', cell: (d) => String(d.spec?.storageCapacity ?? false) },
  {
    header: 'TOKENREQUESTS',
    cell: (d) =>
      d.spec?.tokenRequests?.length ? d.spec.tokenRequests.map((t) => t.audience).join(',') : '<unset>',
  },
  { header: 'REQUIRESREPUBLISH', cell: (d) => String(d.spec?.requiresRepublish ?? false) },
  { header: 'MODES', cell: (d) => d.spec?.volumeLifecycleModes?.join(',') || '<none>' },
  age,
];

const csiNodeColumns: Column<CSINode>[] = [
  name,
  { header: 'DRIVERS', cell: (n) => String(n.spec?.drivers?.length ?? 0) },
  age,
];

const csiStorageCapacityColumns: Column<CSIStorageCapacity>[] = [
  name,
  { header: 'STORAGECLASSNAME', cell: (c) => c.storageClassName ?? '' },
  { header: 'CAPACITY', cell: (c) => c.capacity ?? '<unset>' },
];

const volumeAttachmentColumns: Column<VolumeAttachment>[] = [
  name,
  { header: 'ATTACHER', cell: (v) => v.spec?.attacher ?? '' },
  { header: 'PV', cell: (v) => v.spec?.source?.persistentVolumeName ?? '' },
  { header: 'NODE', cell: (v) => v.spec?.nodeName ?? '' },
  { header: 'ATTACHED', cell: (v) => String(v.status?.attached ?? false) },
  age,
];

/** Binding is create-only: never listed, so it has no printer of its own. */
const unlisted: Column<KubeObject>[] = [name, age];

export const CLUSTER_COLUMNS = {
  bindings: unlisted,
  componentstatuses: componentStatusColumns,
  podtemplates: podTemplateColumns,
  replicationcontrollers: replicationControllerColumns,
  mutatingwebhookconfigurations: webhookColumns,
  validatingadmissionpolicies: validatingAdmissionPolicyColumns,
  validatingadmissionpolicybindings: validatingAdmissionPolicyBindingColumns,
  validatingwebhookconfigurations: webhookColumns,
  customresourcedefinitions: defaultTableColumns,
  apiservices: apiServiceColumns,
  certificatesigningrequests: certificateSigningRequestColumns,
  flowschemas: flowSchemaColumns,
  prioritylevelconfigurations: priorityLevelColumns,
  runtimeclasses: runtimeClassColumns,
  csidrivers: csiDriverColumns,
  csinodes: csiNodeColumns,
  csistoragecapacities: csiStorageCapacityColumns,
  volumeattachments: volumeAttachmentColumns,
} as const;

/**
 * Tables whose rows the API server orders itself: FlowSchemas by matching precedence, then name (printers.go sorts
 * a FlowSchemaList as the apiserver's flow control evaluates it). Other lists keep etcd order.
 */
export const TABLE_ORDER: Partial<
  Record<keyof typeof CLUSTER_COLUMNS, (a: KubeObject, b: KubeObject) => number>
> = {
  flowschemas: (a, b) =>
    ((a as FlowSchema).spec.matchingPrecedence ?? 0) - ((b as FlowSchema).spec.matchingPrecedence ?? 0) ||
    (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0),
};
