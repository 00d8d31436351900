import { Alert, List, Text, UnstyledButton } from '@mantine/core';
import { useI18n } from '../i18n/i18n';
import type { PlacedProblem } from './problem-lines';

/** Every problem of the draft with its file, line, step and field; picking one shows it in the editor. */
export function ProblemList({
  problems,
  onPick,
}: {
  problems: PlacedProblem[];
  onPick(placed: PlacedProblem): void;
}) {
  const { t } = useI18n();
  if (problems.length === 0)
    return (
      <Text size="sm" c="teal.8" data-testid="no-problems">
        {t('author.noProblems')}
      </Text>
    );
  return (
    <Alert color="red" p="xs" title={t('author.problems', { count: problems.length })}>
      <List size="sm" spacing={4} data-testid="problems">
        {problems.map((placed, index) => {
          const { problem } = placed;
          const where = [
            t('author.problemAt', { file: placed.path, line: placed.line }),
            problem.step ? t('author.problemStep', { step: problem.step }) : undefined,
            problem.field ? t('author.problemField', { field: problem.field }) : undefined,
          ]
            .filter(Boolean)
            .join(' · ');
          return (
            <List.Item key={index} data-testid="problem" data-file={placed.path} data-line={placed.line}>
              <UnstyledButton onClick={() => onPick(placed)} className="problem-link">
                <Text size="xs" c="dimmed" component="span" display="block">
                  {where}
                </Text>
                <Text size="sm" component="span">
                  {problem.message}
                </Text>
              </UnstyledButton>
            </List.Item>
          );
        })}
      </List>
    </Alert>
  );
}
