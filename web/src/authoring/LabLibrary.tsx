import { Alert, Anchor, Button, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { EmptyState, ErrorState, Loading } from '../layout/States';
import { errorMessage } from '../lib/api';
import { Link, navigate } from '../lib/router';
import { useAsync } from '../lib/use-async';
import { authoringApi } from './authoring-api';
import type { Draft } from './authoring-types';
import { NewLabForm } from './NewLabForm';
import { RegradeButton } from './RegradeButton';

const newestOf = (versions: { version: number }[]) => Math.max(...versions.map((entry) => entry.version));

/** A course's labs for its authors: built-in ones to copy, its drafts to edit, its published labs and versions. */
export function LabLibrary({ courseId }: { courseId: string }) {
  const { t, pick, formatDateTime } = useI18n();
  const [labs, reload] = useAsync(() => authoringApi.labs(courseId), [courseId]);
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();

  const openDraft = (key: string, create: () => Promise<Draft>) => {
    setBusy(key);
    setError(undefined);
    create()
      .then((draft) => navigate({ name: 'draft', draftId: draft.draftId }))
      .catch((caught: unknown) => setError(errorMessage(caught)))
      .finally(() => setBusy(undefined));
  };

  if (labs.status === 'loading' && !labs.data) return <Loading />;
  if (labs.status === 'error') return <ErrorState error={labs.error} onRetry={() => void reload()} />;
  const { builtIn, drafts, published } = labs.data ?? { builtIn: [], drafts: [], published: [] };
  return (
    <Stack gap="lg">
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      <NewLabForm
        courseId={courseId}
        onCreated={(draft) => navigate({ name: 'draft', draftId: draft.draftId })}
      />

      <section aria-labelledby="drafts-title">
        <Title order={2} size="h4" id="drafts-title" mb="xs">
          {t('author.drafts')}
        </Title>
        {drafts.length === 0 ? (
          <EmptyState>{t('author.noDrafts')}</EmptyState>
        ) : (
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            {drafts.map((draft) => (
              <Card
                key={draft.draftId}
                withBorder
                padding="sm"
                data-testid="draft-card"
                data-lab={draft.labId}
              >
                <Text fw={600}>{draft.title ? pick(draft.title) : draft.labId}</Text>
                <Text size="xs" c="dimmed">
                  {draft.labId} ·{' '}
                  {t('author.updated', {
                    revision: draft.revision,
                    time: formatDateTime(draft.updatedAt),
                    name: draft.updatedBy.displayName,
                  })}
                </Text>
                <Button
                  component={Link}
                  to={{ name: 'draft', draftId: draft.draftId }}
                  size="xs"
                  mt="xs"
                  w="fit-content"
                >
                  {t('author.open')}
                </Button>
              </Card>
            ))}
          </SimpleGrid>
        )}
      </section>

      <section aria-labelledby="published-title">
        <Title order={2} size="h4" id="published-title" mb="xs">
          {t('author.published')}
        </Title>
        {published.length === 0 ? (
          <EmptyState>{t('author.noPublished')}</EmptyState>
        ) : (
          <Stack gap="sm">
            {published.map((lab) => (
              <Card key={lab.labId} withBorder padding="sm" data-testid="published-card" data-lab={lab.labId}>
                <Text fw={600}>{pick(lab.title)}</Text>
                <Stack gap={4} mt={4}>
                  {lab.versions.map((version) => (
                    <Group key={version.version} gap="xs">
                      <Text size="sm">
                        {t('author.version', {
                          version: version.version,
                          time: formatDateTime(version.publishedAt),
                        })}
                      </Text>
                      <Anchor
                        size="sm"
                        href={authoringApi.exportUrl(lab.labId, courseId, version.version)}
                        download
                      >
                        {t('author.export')}
                      </Anchor>
                      <Button
                        size="compact-xs"
                        variant="light"
                        loading={busy === `${lab.labId}@${version.version}`}
                        onClick={() =>
                          openDraft(`${lab.labId}@${version.version}`, () =>
                            authoringApi.createDraft({
                              courseId,
                              copyFrom: { labId: lab.labId, version: version.version },
                            }),
                          )
                        }
                      >
                        {t('author.copyVersion', { version: version.version })}
                      </Button>
                      {version.version < newestOf(lab.versions) && (
                        <RegradeButton
                          courseId={courseId}
                          labId={lab.labId}
                          fromVersion={version.version}
                          toVersion={newestOf(lab.versions)}
                        />
                      )}
                    </Group>
                  ))}
                </Stack>
              </Card>
            ))}
          </Stack>
        )}
      </section>

      <section aria-labelledby="builtin-title">
        <Title order={2} size="h4" id="builtin-title">
          {t('author.builtIn')}
        </Title>
        <Text size="sm" c="dimmed" mb="xs">
          {t('author.builtInHint')}
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="sm">
          {builtIn.map((lab) => (
            <Card key={lab.labId} withBorder padding="sm" data-testid="builtin-card" data-lab={lab.labId}>
              <Text fw={600}>{pick(lab.title)}</Text>
              <Text size="xs" c="dimmed">
                {lab.labId}
              </Text>
              <Group gap="xs" mt="xs">
                <Button
                  size="xs"
                  loading={busy === lab.labId}
                  aria-label={`${t('author.copy')}: ${pick(lab.title)}`}
                  onClick={() =>
                    openDraft(lab.labId, () =>
                      authoringApi.createDraft({ courseId, copyFrom: { labId: lab.labId } }),
                    )
                  }
                >
                  {t('author.copy')}
                </Button>
                <Anchor size="xs" href={authoringApi.exportUrl(lab.labId, courseId)} download>
                  {t('author.export')}
                </Anchor>
              </Group>
            </Card>
          ))}
        </SimpleGrid>
      </section>
    </Stack>
  );
}
