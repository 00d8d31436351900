import { ActionIcon, Group, Text, UnstyledButton } from '@mantine/core';
import { useI18n } from '../i18n/i18n';
import { displayName, TreeNode } from './home-files';

interface Props {
  nodes: TreeNode[];
  activePath?: string;
  downloadUrl(path: string): string;
  onOpen(path: string): void;
  onDelete(node: TreeNode): void;
}

/**
 * The home folder as nested lists: folders are <details> (Enter or Space opens one), files are buttons, and each
 * has labelled download and delete actions; everything is reached with Tab. Names are shown with their control
 * characters escaped.
 */
export function FileTree({ nodes, activePath, downloadUrl, onOpen, onDelete }: Props) {
  return (
    <ul className="file-tree" data-testid="file-tree">
      {nodes.map((node) => (
        <TreeItem
          key={node.path}
          node={node}
          activePath={activePath}
          downloadUrl={downloadUrl}
          onOpen={onOpen}
          onDelete={onDelete}
        />
      ))}
    </ul>
  );
}

function TreeItem({ node, ...props }: Omit<Props, 'nodes'> & { node: TreeNode }) {
  const { t } = useI18n();
  const name = displayName(node.name);
  const remove = (
    <ActionIcon
      variant="subtle"
      size="sm"
      color="red"
      aria-label={t('editor.delete', { name })}
      title={t('editor.delete', { name })}
      onClick={() => props.onDelete(node)}
    >
      ×
    </ActionIcon>
  );
  if (node.kind === 'dir') {
    return (
      <li>
        <details open>
          <summary>
            <Group gap={4} wrap="nowrap" className="file-row">
              <Text size="sm" fw={500} className="file-name" title={displayName(node.path)}>
                {name}/
              </Text>
              {remove}
            </Group>
          </summary>
          {node.children.length > 0 && <FileTree nodes={node.children} {...props} />}
        </details>
      </li>
    );
  }
  const active = props.activePath === node.path;
  return (
    <li>
      <Group gap={4} wrap="nowrap" className="file-row" data-active={active}>
        <UnstyledButton
          className="file-name"
          onClick={() => props.onOpen(node.path)}
          aria-label={t('editor.open', { name })}
          aria-current={active ? 'true' : undefined}
          title={displayName(node.path)}
          data-path={node.path}
        >
          <Text size="sm" span>
            {name}
          </Text>
        </UnstyledButton>
        <ActionIcon
          component="a"
          variant="subtle"
          size="sm"
          href={props.downloadUrl(node.path)}
          download
          aria-label={t('editor.download', { name })}
          title={t('editor.download', { name })}
        >
          ↓
        </ActionIcon>
        {remove}
      </Group>
    </li>
  );
}
