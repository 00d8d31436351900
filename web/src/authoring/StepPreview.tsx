import { Badge, Group, SegmentedControl, Select, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useI18n } from '../i18n/i18n';
import type { Language } from '../i18n/messages';
import { renderMarkdown } from '../lib/markdown';
import type { LabPreview } from './authoring-types';

/**
 * The lab as a student reads it — title, description, each step's title, points and instructions — rendered
 * with the students' Markdown renderer, in either language whatever the page's own.
 */
export function StepPreview({ lab }: { lab?: LabPreview }) {
  const { t, language } = useI18n();
  const [shownLanguage, setShownLanguage] = useState<Language>(language);
  const [part, setPart] = useState('description');
  if (!lab) return <Text size="sm">{t('author.previewUnavailable')}</Text>;
  const text = (value: Partial<Record<Language, string>>) => value[shownLanguage] ?? '';
  const step = lab.steps.find((candidate) => candidate.id === part);
  const index = step ? lab.steps.indexOf(step) : -1;
  return (
    <Stack gap="xs" data-testid="preview" lang={shownLanguage}>
      <Group gap="xs" wrap="nowrap">
        <SegmentedControl
          size="xs"
          value={shownLanguage}
          onChange={(value) => setShownLanguage(value as Language)}
          aria-label={t('author.previewLanguage')}
          data={[
            { value: 'zh-CN', label: '中文' },
            { value: 'en', label: 'English' },
          ]}
        />
        <Select
          size="xs"
          aria-label={t('author.previewPick')}
          value={step ? step.id : 'description'}
          onChange={(value) => setPart(value ?? 'description')}
          allowDeselect={false}
          data={[
            { value: 'description', label: t('lab.description') },
            ...lab.steps.map((candidate, i) => ({
              value: candidate.id,
              label: `${i + 1}. ${text(candidate.title)}`,
            })),
          ]}
        />
      </Group>
      <Title order={3} size="h5">
        {text(lab.title)}
      </Title>
      {step ? (
        <>
          <Group justify="space-between" wrap="nowrap">
            <Text fw={500} size="sm">
              {index + 1}. {text(step.title)}
            </Text>
            <Badge variant="light">{t('common.points', { points: 0, max: step.points })}</Badge>
          </Group>
          <div
            className="markdown"
            dangerouslySetInnerHTML={{ __html: renderMarkdown(text(step.instructions)) }}
          />
        </>
      ) : (
        <div
          className="markdown"
          dangerouslySetInnerHTML={{ __html: renderMarkdown(text(lab.description)) }}
        />
      )}
    </Stack>
  );
}
