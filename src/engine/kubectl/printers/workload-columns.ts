/** Server-side table columns of DaemonSet, StatefulSet, ControllerRevision and HorizontalPodAutoscaler. */
import type { KubeObject, PodTemplateSpec } from '../../api/types';
import type {
  ControllerRevision,
  DaemonSet,
  HorizontalPodAutoscaler,
  StatefulSet,
} from '../../api/workload-types';
import { ageSince } from '../duration';
import type { Column } from './columns';
import { formatLabelSelector } from './format';

const name: Column<KubeObject> = { header: 'NAME', cell: (o) => o.metadata.name };
const age: Column<KubeObject> = {
  header: 'AGE',
  cell: (o, now) => ageSince(o.metadata.creationTimestamp, now),
};
const count = (n: number | undefined) => String(n ?? 0);
const containerNames = (t: PodTemplateSpec) => (t?.spec?.containers ?? []).map((c) => c.name).join(',');
const containerImages = (t: PodTemplateSpec) => (t?.spec?.containers ?? []).map((c) => c.image).join(',');

const daemonSetColumns: Column<DaemonSet>[] = [
  name,
  { header: 'DESIRED', cell: (d) => count(d.status?.desiredNumberScheduled) },
  { header: 'CURRENT', cell: (d) => count(d.status?.currentNumberScheduled) },
  { header: 'READY', cell: (d) => count(d.status?.numberReady) },
  { header: 'UP-TO-DATE', cell: (d) => count(d.status?.updatedNumberScheduled) },
  { header: 'AVAILABLE', cell: (d) => count(d.status?.numberAvailable) },
  {
    header: 'NODE SELECTOR',
    cell: (d) => {
      const sel = d.spec.template?.spec?.nodeSelector ?? {};
      const keys = Object.keys(sel).sort();
      return keys.length ? keys.map((k) => `${k}=${sel[k]}`).join(',') : '<none>';
    },
  },
  age,
  { header: 'CONTAINERS', wide: true, cell: (d) => containerNames(d.spec.template) },
  { header: 'IMAGES', wide: true, cell: (d) => containerImages(d.spec.template) },
  { header: 'SELECTOR', wide: true, cell: (d) => formatLabelSelector(d.spec.selector) },
];

const statefulSetColumns: Column<StatefulSet>[] = [
  name,
  { header: 'READY', cell: (s) => `${s.status?.readyReplicas ?? 0}/${s.spec.replicas ?? 1}` },
  age,
  { header: 'CONTAINERS', wide: true, cell: (s) => containerNames(s.spec.template) },
  { header: 'IMAGES', wide: true, cell: (s) => containerImages(s.spec.template) },
];

const controllerRevisionColumns: Column<ControllerRevision>[] = [
  name,
  {
    header: 'CONTROLLER',
    cell: (r) => {
      const ref = r.metadata.ownerReferences?.find((o) => o.controller);
      if (!ref) return '<none>';
      const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0] : '';
      return `${ref.kind.toLowerCase()}${group ? `.${group}` : ''}/${ref.name}`;
    },
  },
  { header: 'REVISION', cell: (r) => String(r.revision ?? 0) },
  age,
];

interface ResourceMetricStatus {
  type: string;
  resource?: { name: string; current: { averageUtilization?: number; averageValue?: string } };
}

/** formatHPAMetrics: `cpu: <current>/<target>` per metric, two at most then ` + N more...`. */
export function hpaTargets(hpa: HorizontalPodAutoscaler): string {
  const specs = hpa.spec.metrics ?? [];
  if (specs.length === 0) return '<none>';
  const current = (hpa.status?.currentMetrics ?? []) as ResourceMetricStatus[];
  const parts = specs.map((m, i) => {
    if (m.type !== 'Resource' || !m.resource) return '<unknown>/<unknown>';
    const status = current[i]?.resource?.current;
    const target = m.resource.target;
    if (target.type === 'Utilization') {
      const now = status?.averageUtilization !== undefined ? `${status.averageUtilization}%` : '<unknown>';
      return `${m.resource.name}: ${now}/${target.averageUtilization ?? '<auto>'}%`.replace(
        '<auto>%',
        '<auto>',
      );
    }
    const now = status?.averageValue ?? '<unknown>';
    return `${m.resource.name}: ${now}/${target.averageValue ?? target.value ?? '<auto>'}`;
  });
  const shown = parts.slice(0, 2).join(', ');
  return parts.length > 2 ? `${shown} + ${parts.length - 2} more...` : shown;
}

const hpaColumns: Column<HorizontalPodAutoscaler>[] = [
  name,
  { header: 'REFERENCE', cell: (h) => `${h.spec.scaleTargetRef.kind}/${h.spec.scaleTargetRef.name}` },
  { header: 'TARGETS', cell: hpaTargets },
  {
    header: 'MINPODS',
    cell: (h) => (h.spec.minReplicas === undefined ? '<unset>' : String(h.spec.minReplicas)),
  },
  { header: 'MAXPODS', cell: (h) => String(h.spec.maxReplicas) },
  { header: 'REPLICAS', cell: (h) => count(h.status?.currentReplicas) },
  age,
];

export const WORKLOAD_COLUMNS = {
  daemonsets: daemonSetColumns,
  statefulsets: statefulSetColumns,
  controllerrevisions: controllerRevisionColumns,
  horizontalpodautoscalers: hpaColumns,
};
