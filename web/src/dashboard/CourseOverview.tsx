import { Badge, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import type { Course } from '@shared/http-api';
import { useI18n } from '../i18n/i18n';
import { EmptyState, ErrorState, Loading } from '../layout/States';
import { api } from '../lib/api';
import { useAsync } from '../lib/use-async';

/**
 * Students × labs for the whole course: steps passed per lab with late work marked (the server
 * decides lateness, extensions included), and the course total weighted by the labs' weights.
 */
export function CourseOverview({ course }: { course: Course }) {
  const { t, pick } = useI18n();
  const [overview, reload] = useAsync(() => api.overview(course.id), [course.id]);
  const data = overview.data;
  if (!data)
    return overview.status === 'error' ? (
      <ErrorState error={overview.error} onRetry={() => void reload()} />
    ) : (
      <Loading />
    );
  return (
    <Card withBorder radius="md" padding="md" component="section" aria-labelledby="overview-title">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h5" id="overview-title">
            {t('overview.title')}
          </Title>
          <Group gap="xs">
            <Button
              size="xs"
              variant="default"
              onClick={() => void reload()}
              loading={overview.status === 'loading'}
            >
              {t('teach.refresh')}
            </Button>
            <Button
              component="a"
              size="xs"
              href={api.overviewCsvUrl(course.id)}
              download
              data-testid="overview-csv"
            >
              {t('overview.csv')}
            </Button>
          </Group>
        </Group>
        <Text size="sm" c="dimmed">
          {t('overview.help')}
        </Text>
        {data.labs.length === 0 ? (
          <EmptyState>{t('overview.noLabs')}</EmptyState>
        ) : data.students.length === 0 ? (
          <EmptyState>{t('teach.noStudents', { code: course.joinCode ?? '' })}</EmptyState>
        ) : (
          <Table.ScrollContainer minWidth={640}>
            <Table striped withTableBorder data-testid="course-overview">
              <caption className="visually-hidden">{t('overview.title')}</caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('teach.student')}</Table.Th>
                  {data.labs.map((lab) => (
                    <Table.Th key={lab.labId} scope="col">
                      <Text size="sm" fw={600}>
                        {pick(lab.title)}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {t('overview.weight', { weight: lab.weight })}
                        {lab.dueAtLocal
                          ? ` · ${t('overview.due', { time: lab.dueAtLocal.replace('T', ' ') })}`
                          : ''}
                      </Text>
                    </Table.Th>
                  ))}
                  <Table.Th scope="col">{t('overview.total')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.students.map((student) => (
                  <Table.Tr key={student.userId} data-testid={`overview-${student.email}`}>
                    <Table.Th scope="row">
                      <Text size="sm" fw={500}>
                        {student.displayName}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {student.email}
                      </Text>
                    </Table.Th>
                    {data.labs.map((lab) => {
                      const cell = student.labs[lab.labId];
                      return (
                        <Table.Td key={lab.labId} data-lab={lab.labId} data-late={cell.late}>
                          <Text size="sm" c={cell.completedAt ? 'teal.8' : undefined}>
                            {t('overview.steps', { passed: cell.passedSteps, total: cell.totalSteps })}
                          </Text>
                          <Group gap={4}>
                            {cell.late && (
                              <Badge size="xs" color="orange" variant="light">
                                {t('overview.late')}
                              </Badge>
                            )}
                            {cell.extended && (
                              <Badge size="xs" color="grape" variant="light">
                                {t('overview.extended')}
                              </Badge>
                            )}
                          </Group>
                        </Table.Td>
                      );
                    })}
                    <Table.Td data-testid="weighted-total">{student.weightedPercent.toFixed(1)}%</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Card>
  );
}
