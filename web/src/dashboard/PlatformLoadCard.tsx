import { Badge, Card, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect } from 'react';
import { useI18n } from '../i18n/i18n';
import { api } from '../lib/api';
import { useAsync } from '../lib/use-async';

/** Often enough to watch an overload come and go, rarely enough to cost the platform nothing. */
const LOAD_REFRESH_MS = 5000;

/** The platform's load (issue 21): each worker's queue, and how many commands were refused as busy. */
export function PlatformLoadCard() {
  const { t } = useI18n();
  const [load, reload] = useAsync(() => api.platformLoad(), []);
  useEffect(() => {
    const timer = setInterval(() => void reload(), LOAD_REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);
  const report = load.data;
  if (!report) return null;
  return (
    <Card withBorder padding="sm" radius="md" data-testid="platform-load">
      <Stack gap={6}>
        <Title order={2} size="h6">
          {t('load.title')}
        </Title>
        <Table fz="xs" verticalSpacing={2} horizontalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('load.worker')}</Table.Th>
              <Table.Th>{t('load.waiting')}</Table.Th>
              <Table.Th>{t('load.oldest')}</Table.Th>
              <Table.Th>{t('load.active')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.workers.map((worker) => (
              <Table.Tr key={worker.worker}>
                <Table.Td title={worker.worker}>
                  {worker.worker.slice(0, 8)}{' '}
                  {worker.overloaded && (
                    <Badge size="xs" color="red">
                      {t('load.overloaded')}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>{worker.waiting}</Table.Td>
                <Table.Td>{(worker.oldestWaitingMs / 1000).toFixed(1)} s</Table.Td>
                <Table.Td>{worker.active}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Text size="xs" c={report.refusalsLastMinute > 0 ? 'red.8' : 'dimmed'} data-testid="load-refusals">
          {t('load.refusals', { count: report.refusalsLastMinute })}
        </Text>
        <Text size="xs" c="dimmed">
          {t('load.bounds', {
            waiting: report.bounds.maxWaiting || '∞',
            seconds: report.bounds.maxWaitMs ? report.bounds.maxWaitMs / 1000 : '∞',
          })}
        </Text>
      </Stack>
    </Card>
  );
}
