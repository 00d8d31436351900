import { Anchor, Badge, Progress, Table, Text, Tooltip } from '@mantine/core';
import { useI18n } from '../i18n/i18n';
import type { Gradebook, GradebookStepCell } from '@shared/http-api';
import { Link } from '../lib/router';

function cellLook(cell: GradebookStepCell | undefined): { className: string; glyph: string } {
  if (cell?.state === 'passed') return { className: 'cell-passed', glyph: '✓' };
  if (cell?.state === 'failed') return { className: 'cell-failed', glyph: '✗' };
  return { className: 'cell-pending', glyph: '·' };
}

/** Students × steps: who passed what, with points; each row links to the student's session replay. */
export function ClassMatrix({
  book,
  courseId,
  highlighted,
}: {
  book: Gradebook;
  courseId: string;
  highlighted: Set<string>;
}) {
  const { t, pick } = useI18n();
  const steps = book.lab.steps;
  const stateText = (cell: GradebookStepCell | undefined) =>
    cell?.state === 'passed'
      ? t('teach.legendPassed')
      : cell?.state === 'failed'
        ? t('teach.legendFailed')
        : t('teach.legendPending');

  return (
    <Table.ScrollContainer minWidth={720}>
      <Table striped highlightOnHover withTableBorder className="matrix" data-testid="class-matrix">
        <caption className="visually-hidden">{t('teach.matrix')}</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('teach.student')}</Table.Th>
            <Table.Th scope="col" style={{ minWidth: 140 }}>
              {t('teach.progress')}
            </Table.Th>
            {steps.map((step, index) => (
              <Table.Th key={step.id} scope="col" className="matrix-step">
                <Tooltip label={`${pick(step.title)} (${step.points})`}>
                  <abbr title={pick(step.title)}>{index + 1}</abbr>
                </Tooltip>
              </Table.Th>
            ))}
            <Table.Th scope="col">
              <span className="visually-hidden">{t('teach.replay')}</span>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {book.rows.map((row) => (
            <Table.Tr
              key={row.userId}
              data-testid={`row-${row.email}`}
              className={highlighted.has(row.userId) ? 'row-updated' : undefined}
            >
              <Table.Th scope="row">
                <Text size="sm" fw={500}>
                  {row.displayName}
                </Text>
                <Text size="xs" c="dimmed">
                  {row.email}
                </Text>
                {typeof row.labVersion === 'number' && (
                  <Text size="xs" c="dimmed" data-testid="row-version">
                    {t('teach.labVersion', { version: row.labVersion })}
                  </Text>
                )}
              </Table.Th>
              <Table.Td>
                <Text size="xs" fw={600} data-testid="row-total">
                  {t('common.points', { points: row.totalPoints, max: row.maxPoints })}
                </Text>
                <Progress
                  value={row.maxPoints ? (100 * row.totalPoints) / row.maxPoints : 0}
                  color={row.completedAt ? 'teal' : 'blue'}
                  size="sm"
                  aria-label={`${row.displayName}: ${row.totalPoints} / ${row.maxPoints}`}
                />
                {row.late && (
                  <Badge size="xs" color="orange" variant="light" mt={4} data-testid="row-late">
                    {t('teach.late')}
                  </Badge>
                )}
              </Table.Td>
              {steps.map((step) => {
                const cell = row.steps[step.id];
                const look = cellLook(cell);
                const label = `${pick(step.title)}: ${stateText(cell)}, ${cell?.points ?? 0}/${step.points}${cell?.overridden ? `, ${t('teach.overridden')}` : ''}${cell?.late ? `, ${t('teach.late')}` : ''}`;
                return (
                  <Table.Td key={step.id} className="matrix-cell">
                    <span
                      className={`cell ${look.className}${cell?.overridden ? ' cell-overridden' : ''}`}
                      // Late work: an orange ring around the mark (the label says it in words).
                      style={cell?.late ? { outline: '2px solid var(--mantine-color-orange-6)' } : undefined}
                      data-late={cell?.late ? 'true' : undefined}
                      role="img"
                      aria-label={label}
                      title={label}
                      data-step={step.id}
                      data-state={cell?.state ?? 'pending'}
                    >
                      {look.glyph}
                    </span>
                  </Table.Td>
                );
              })}
              <Table.Td>
                {row.labSessionId ? (
                  <Anchor
                    component={Link}
                    to={{ name: 'replay', courseId, labSessionId: row.labSessionId }}
                    size="sm"
                    aria-label={`${t('teach.replay')}: ${row.displayName}`}
                  >
                    {t('teach.replay')}
                  </Anchor>
                ) : null}
                {row.labSessionId ? (
                  <Anchor
                    component={Link}
                    to={{ name: 'live', courseId, labSessionId: row.labSessionId }}
                    size="sm"
                    ml="xs"
                    aria-label={`${t('teach.watchLive')}: ${row.displayName}`}
                  >
                    {t('teach.watchLive')}
                  </Anchor>
                ) : null}
                {row.labSessionId ? null : (
                  <Text size="xs" c="dimmed">
                    {t('teach.notStarted')}
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
