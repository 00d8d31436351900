/** Server-side table columns of ServiceAccount, ConfigMap and Secret (printers.go). */
import type { ConfigMap, KubeObject, Secret, ServiceAccount } from '../../api/types';
import { ageSince } from '../duration';
import type { Column } from './columns';

const name: Column<KubeObject> = { header: 'NAME', cell: (o) => o.metadata.name };
const age: Column<KubeObject> = {
  header: 'AGE',
  cell: (o, now) => ageSince(o.metadata.creationTimestamp, now),
};
const count = (map: Record<string, unknown> | undefined) => Object.keys(map ?? {}).length;

export const CONFIG_COLUMNS = {
  /** SECRETS counts `.secrets`: 0 for every account since 1.24 (no token Secrets are made). */
  serviceaccounts: [
    name,
    { header: 'SECRETS', cell: (sa) => String(sa.secrets?.length ?? 0) },
    age,
  ] as Column<ServiceAccount>[],
  /** DATA counts the keys of `data` and `binaryData`. */
  configmaps: [
    name,
    { header: 'DATA', cell: (cm) => String(count(cm.data) + count(cm.binaryData)) },
    age,
  ] as Column<ConfigMap>[],
  secrets: [
    name,
    { header: 'TYPE', cell: (s) => s.type ?? '' },
    { header: 'DATA', cell: (s) => String(count(s.data)) },
    age,
  ] as Column<Secret>[],
};
