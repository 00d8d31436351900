import {
  Accordion,
  Badge,
  Button,
  Group,
  List,
  Progress,
  Stack,
  Text,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import type { GradingUpdate, StepStatus } from '@shared/events';
import { useI18n } from '../i18n/i18n';
import type { LabView } from '@shared/http-api';
import { renderInlineMarkdown, renderMarkdown } from '../lib/markdown';

interface Props {
  lab: LabView;
  grading: GradingUpdate | null;
  checking: boolean;
  onCheck(): void;
  /** Steps that just passed, to draw attention to their ticks. */
  recentlyPassed: string[];
}

function StateIcon({ status, label }: { status: StepStatus['state']; label: string }) {
  const look =
    status === 'passed'
      ? { color: 'teal', glyph: '✓' }
      : status === 'failed'
        ? { color: 'orange', glyph: '!' }
        : { color: 'gray', glyph: '○' };
  return (
    <ThemeIcon
      color={look.color}
      radius="xl"
      size="md"
      variant={status === 'passed' ? 'filled' : 'light'}
      aria-label={label}
      role="img"
    >
      <span aria-hidden="true">{look.glyph}</span>
    </ThemeIcon>
  );
}

export function StepList({ lab, grading, checking, onCheck, recentlyPassed }: Props) {
  const { t, pick, language } = useI18n();
  const statusOf = (stepId: string) => grading?.steps.find((step) => step.stepId === stepId);
  const firstOpen = lab.steps.find((step) => statusOf(step.id)?.state !== 'passed')?.id ?? null;
  const [open, setOpen] = useState<string | null>(firstOpen);
  const [hintsShown, setHintsShown] = useState<Record<string, number>>({});
  const total = grading?.totalPoints ?? 0;
  const max = grading?.maxPoints ?? lab.totalPoints;
  const allPassed = lab.steps.every((step) => statusOf(step.id)?.state === 'passed');

  // When a step passes, move on to the next one that is still open.
  useEffect(() => {
    if (recentlyPassed.length > 0) setOpen(firstOpen);
  }, [recentlyPassed, firstOpen]);

  const stateLabel = (state: StepStatus['state'] | undefined) =>
    state === 'passed' ? t('lab.passed') : state === 'failed' ? t('lab.failed') : t('lab.pending');

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="center">
        <Title order={2} size="h4">
          {t('lab.steps')}
        </Title>
        <Button size="xs" variant="light" onClick={onCheck} loading={checking} data-testid="check-progress">
          {t('lab.checkNow')}
        </Button>
      </Group>
      <div aria-label={t('lab.total')} role="group">
        <Group justify="space-between" mb={4}>
          <Text size="sm" fw={600}>
            {t('lab.total')}
          </Text>
          <Text size="sm" fw={600} data-testid="score">
            {t('common.points', { points: total, max })}
          </Text>
        </Group>
        <Progress value={max ? (100 * total) / max : 0} color="teal" aria-label={t('lab.total')} />
      </div>
      {allPassed && (
        <Text c="teal.8" fw={600} role="status">
          {t('lab.complete')}
        </Text>
      )}
      <Accordion value={open} onChange={setOpen} variant="separated" chevronPosition="right">
        {lab.steps.map((step, index) => {
          const status = statusOf(step.id);
          const state = status?.state ?? 'pending';
          const reasons = status && state !== 'passed' ? (status.reasons ?? []) : [];
          const shown = hintsShown[step.id] ?? 0;
          return (
            <Accordion.Item
              key={step.id}
              value={step.id}
              data-testid={`step-${step.id}`}
              data-state={state}
              className={recentlyPassed.includes(step.id) ? 'step just-passed' : 'step'}
            >
              <Accordion.Control icon={<StateIcon status={state} label={stateLabel(state)} />}>
                <Group justify="space-between" wrap="nowrap" gap="xs">
                  <Text fw={500} size="sm">
                    {index + 1}. {pick(step.title)}
                  </Text>
                  <Badge
                    variant={state === 'passed' ? 'filled' : 'light'}
                    color={state === 'passed' ? 'teal' : 'gray'}
                    style={{ flexShrink: 0 }}
                  >
                    {t('common.points', { points: status?.points ?? 0, max: step.points })}
                  </Badge>
                </Group>
              </Accordion.Control>
              <Accordion.Panel>
                <div
                  className="markdown"
                  dangerouslySetInnerHTML={{ __html: renderMarkdown(pick(step.instructions)) }}
                />
                {reasons.length > 0 && (
                  <div className="reasons" role="note">
                    <Text size="sm" fw={600}>
                      {t('lab.notYet')}
                    </Text>
                    <List size="sm">
                      {reasons.map((reason, i) => (
                        <List.Item key={i}>
                          <span
                            className="markdown"
                            dangerouslySetInnerHTML={{
                              __html: renderInlineMarkdown(language === 'zh-CN' ? reason.zh : reason.en),
                            }}
                          />
                        </List.Item>
                      ))}
                    </List>
                  </div>
                )}
                {step.hints.slice(0, shown).map((hint, i) => (
                  <div key={i} className="hint" role="note" aria-label={t('lab.hintN', { n: i + 1 })}>
                    <span
                      className="markdown"
                      dangerouslySetInnerHTML={{ __html: renderMarkdown(pick(hint)) }}
                    />
                  </div>
                ))}
                {shown < step.hints.length && state !== 'passed' && (
                  <Button
                    size="xs"
                    variant="subtle"
                    mt="xs"
                    onClick={() => setHintsShown({ ...hintsShown, [step.id]: shown + 1 })}
                  >
                    {shown === 0 ? t('lab.hint') : t('lab.moreHint')} ({shown + 1}/{step.hints.length})
                  </Button>
                )}
              </Accordion.Panel>
            </Accordion.Item>
          );
        })}
      </Accordion>
    </Stack>
  );
}
