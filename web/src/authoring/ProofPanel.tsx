import { Alert, Button, Group, List, Progress, Stack, Text, ThemeIcon } from '@mantine/core';
import { useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { errorMessage } from '../lib/api';
import type { ProofProgress } from './proof-state';

/** "Prove it" and the proof's per-step results as they stream in over the websocket. */
export function ProofPanel({
  proof,
  disabled,
  onProve,
}: {
  proof?: ProofProgress;
  disabled: boolean;
  onProve(): Promise<void>;
}) {
  const { t } = useI18n();
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string>();
  const running = proof?.state === 'queued' || proof?.state === 'running';
  const prove = () => {
    setStarting(true);
    setError(undefined);
    onProve()
      .catch((caught: unknown) => setError(errorMessage(caught)))
      .finally(() => setStarting(false));
  };
  const total = proof?.total ?? proof?.steps[0]?.total ?? 0;
  const summary = !proof
    ? t('author.proofNone')
    : proof.state === 'queued'
      ? t('author.proofQueued', { revision: proof.revision })
      : proof.state === 'running'
        ? t('author.proofRunning', {
            revision: proof.revision,
            done: proof.steps.length,
            total: total || '?',
          })
        : proof.state === 'passed'
          ? t('author.proofPassed', { revision: proof.revision })
          : t('author.proofFailed', { revision: proof.revision });
  return (
    <Stack
      gap="xs"
      data-testid="proof"
      data-proof-id={proof?.proofId}
      data-state={proof?.state ?? 'none'}
      data-revision={proof?.revision}
    >
      <Group justify="space-between">
        <Text size="sm" fw={600} role="status" aria-live="polite">
          {summary}
        </Text>
        <Button size="xs" onClick={prove} loading={starting || running} disabled={disabled}>
          {t('author.prove')}
        </Button>
      </Group>
      {error && (
        <Alert color="red" p={6} role="alert">
          {error}
        </Alert>
      )}
      {proof && total > 0 && (
        <Progress
          value={(100 * proof.steps.length) / total}
          color={proof.state === 'failed' ? 'red' : 'teal'}
          aria-label={t('author.proof')}
        />
      )}
      {proof?.message && (
        <Text size="sm" c="red.8">
          {proof.message}
        </Text>
      )}
      {proof && proof.steps.length > 0 && (
        <List size="sm" spacing={2}>
          {proof.steps.map((step) => (
            <List.Item
              key={step.index}
              data-testid={`proof-step-${step.id}`}
              data-outcome={step.outcome}
              icon={
                <ThemeIcon size={16} radius="xl" color={step.outcome === 'passed' ? 'teal' : 'red'}>
                  <span aria-hidden="true">{step.outcome === 'passed' ? '✓' : '✗'}</span>
                </ThemeIcon>
              }
            >
              {step.index + 1}. {step.id} —{' '}
              {step.outcome === 'passed' ? t('author.stepPassed') : t('author.stepFailed')}
              {step.message && (
                <Text size="xs" c="dimmed">
                  {step.message}
                </Text>
              )}
            </List.Item>
          ))}
        </List>
      )}
    </Stack>
  );
}
