import type { Endpoints, Service } from '../../api/types';
import { alignTabs, DESCRIBE_OPTIONS } from '../printers/tabwriter';
import { describeService } from './service-node';

describe('describeService (reference §5.9, a real minikube transcript)', () => {
  it('prints the tutorial service byte for byte, endpoints cut after three', () => {
    const service: Service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kubernetes-bootcamp', namespace: 'default', labels: { app: 'kubernetes-bootcamp' } },
      spec: {
        type: 'NodePort',
        selector: { app: 'kubernetes-bootcamp' },
        ipFamilyPolicy: 'SingleStack',
        ipFamilies: ['IPv4'],
        clusterIP: '10.106.15.197',
        clusterIPs: ['10.106.15.197'],
        ports: [{ protocol: 'TCP', port: 8080, targetPort: 8080, nodePort: 31264 }],
        sessionAffinity: 'None',
        externalTrafficPolicy: 'Cluster',
      },
    };
    const endpoints: Endpoints = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'kubernetes-bootcamp', namespace: 'default' },
      subsets: [
        {
          addresses: ['10.244.0.10', '10.244.0.7', '10.244.0.8', '10.244.0.9'].map((ip) => ({ ip })),
          ports: [{ port: 8080, protocol: 'TCP' }],
        },
      ],
    };
    const text = describeService(service, endpoints, [], 0)
      .chunks.map((chunk) => alignTabs(chunk, DESCRIBE_OPTIONS))
      .join('');
    expect(text).toBe(
      [
        'Name:                     kubernetes-bootcamp',
        'Namespace:                default',
        'Labels:                   app=kubernetes-bootcamp',
        'Annotations:              <none>',
        'Selector:                 app=kubernetes-bootcamp',
        'Type:                     NodePort',
        'IP Family Policy:         SingleStack',
        'IP Families:              IPv4',
        'IP:                       10.106.15.197',
        'IPs:                      10.106.15.197',
        'Port:                     <unset>  8080/TCP',
        'TargetPort:               8080/TCP',
        'NodePort:                 <unset>  31264/TCP',
        'Endpoints:                10.244.0.10:8080,10.244.0.7:8080,10.244.0.8:8080 + 1 more...',
        'Session Affinity:         None',
        'External Traffic Policy:  Cluster',
        'Events:                   <none>',
        '',
      ].join('\n'),
    );
  });
});
