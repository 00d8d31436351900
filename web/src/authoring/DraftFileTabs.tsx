import { Badge } from '@mantine/core';
import { useI18n } from '../i18n/i18n';

interface Props {
  paths: string[];
  active: string;
  unsaved: string[];
  problemCounts: Map<string, number>;
  onSelect(path: string): void;
}

/** The draft's files as tabs: ● marks unsaved text, a red count the file's problems. */
export function DraftFileTabs({ paths, active, unsaved, problemCounts, onSelect }: Props) {
  const { t } = useI18n();
  return (
    <div role="tablist" aria-label={t('author.files')} className="editor-tabs">
      {paths.map((path) => {
        const problems = problemCounts.get(path) ?? 0;
        return (
          <div key={path} className="editor-tab" data-active={path === active}>
            <button
              type="button"
              role="tab"
              aria-selected={path === active}
              data-path={path}
              data-unsaved={unsaved.includes(path)}
              onClick={() => onSelect(path)}
            >
              {path}
              {unsaved.includes(path) && <span aria-label={t('author.unsaved')}> ●</span>}
              {problems > 0 && (
                <Badge
                  size="xs"
                  color="red"
                  ml={4}
                  aria-label={t('author.problemCount', { count: problems })}
                  data-testid="tab-problems"
                >
                  {problems}
                </Badge>
              )}
            </button>
          </div>
        );
      })}
    </div>
  );
}
