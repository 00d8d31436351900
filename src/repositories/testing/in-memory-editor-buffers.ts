import type { CommandEditor } from '../../shared/events';
import type { EditorBuffersRepository } from '../editor-buffers.repository';

type Implements<T, K extends keyof T> = Pick<T, K>;

/** The open editor buffers by run, as Redis keeps them (expiry is not modelled: a buffer stays until closed). */
export class InMemoryEditorBuffersRepository implements Implements<
  EditorBuffersRepository,
  'open' | 'close' | 'find'
> {
  readonly buffers = new Map<string, CommandEditor>();

  async open(buffer: CommandEditor): Promise<void> {
    this.buffers.set(buffer.runId, { ...buffer });
  }

  async close(runId: string): Promise<void> {
    this.buffers.delete(runId);
  }

  async find(runId: string): Promise<CommandEditor | null> {
    const buffer = this.buffers.get(runId);
    return buffer ? { ...buffer } : null;
  }
}
