import { resourceForKind } from '../api/resources';
import { checkFields } from './field-validation';

const webhookConfiguration = (rule: Record<string, unknown>) => ({
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'ValidatingWebhookConfiguration',
  metadata: { name: 'pod-policy.example.com' },
  webhooks: [
    {
      name: 'pod-policy.example.com',
      admissionReviewVersions: ['v1'],
      sideEffects: 'None',
      clientConfig: { url: 'https://example.com/validate' },
      rules: [rule],
    },
  ],
});

describe('field validation of admission webhook rules (issue 17)', () => {
  const kinds = ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'];

  it.each(kinds)('%s: a rule naming its resources and scope is no unknown field', (kind) => {
    const info = resourceForKind(kind)!;
    const obj = {
      ...webhookConfiguration({
        apiGroups: [''],
        apiVersions: ['v1'],
        operations: ['CREATE'],
        resources: ['pods', 'pods/status'],
        scope: 'Namespaced',
      }),
      kind,
    };
    expect(checkFields(obj, info, 'Strict', 'create')).toEqual([]);
    expect(obj.webhooks[0].rules[0]).toHaveProperty('resources', ['pods', 'pods/status']);
  });

  it('still refuses a misspelt rule field under Strict', () => {
    const info = resourceForKind('ValidatingWebhookConfiguration')!;
    const obj = webhookConfiguration({ apiGroups: [''], resource: ['pods'] });
    expect(() => checkFields(obj, info, 'Strict', 'create')).toThrow(
      'ValidatingWebhookConfiguration in version "v1" cannot be handled as a ValidatingWebhookConfiguration: ' +
        'strict decoding error: unknown field "webhooks[0].rules[0].resource"',
    );
  });
});
