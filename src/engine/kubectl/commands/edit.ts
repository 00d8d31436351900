/**
 * `kubectl edit (TYPE NAME | TYPE/NAME | -f FILE)...`: kubectl's editoptions.go in its normal mode. The objects go to
 * the editor as one buffer (a `List` when there are several) under kubectl's header comment; each save is checked
 * as kubectl checks it (the client-side parse, then "no changes"), every changed object is sent as the two-way
 * strategic merge patch kubectl computes, and an object the server refuses reopens the buffer with the reasons in
 * the header. The editor is ctx.editor (terminal/text-editor.ts): the page's editor pane or KUBE_EDITOR.
 */
import type { ResourceInfo } from '../../api/resources';
import { isStatusError, type StatusError } from '../../api/status-error';
import type { KubeObject } from '../../api/types';
import { strategicMerge } from '../../http/patch';
import { writeStatus } from '../../http/subresources';
import { isAbortError } from '../../terminal/input';
import { EditorError } from '../../terminal/text-editor';
import type { FlagSpec, ParsedArgs } from '../argv';
import { CommandDef, flag, namespaceFlag } from '../command';
import { CommandError, InterruptedError, KubectlContext } from '../context';
import { asKubectlRequest } from '../impersonation';
import { parseOutputFormat, printObjects, successLine } from '../output';
import { toGoJson } from '../printers/json';
import { toGoYaml } from '../printers/yaml';
import { parseResourceArgs } from '../resource-args';
import { appliedConfiguration, LAST_APPLIED } from './apply';
import { patchText, twoWayMergePatch } from './apply-patch';
import {
  editedFileProblem,
  editHeader,
  EditReason,
  hasContent,
  manualStrip,
  parseYaml,
  stripComments,
  withWindowsLineEndings,
} from './edit-buffer';
import { FILENAME_FLAG, fileTargets, RECURSIVE_FLAG } from './metadata-update';
import { recordCommand, RECORD_FLAG } from './record';
import { deepEqual, resolveTargets, type Target } from './shared';
import { VALIDATE_FLAG, validateFields, validationDirective } from './validate-flag';

const bool = (name: string, description: string): FlagSpec => flag.bool(name, undefined, false, description);

export const editCommand: CommandDef = {
  path: ['edit'],
  short: 'Edit a resource on the server',
  usage: 'kubectl edit (RESOURCE/NAME | -f FILENAME)',
  flags: [
    { ...FILENAME_FLAG, description: 'Filename, directory, or URL to files to use to edit the resource' },
    RECURSIVE_FLAG,
    flag.output(),
    bool('output-patch', 'Output the patch if the resource is edited.'),
    bool('windows-line-endings', 'Defaults to the line ending native to your platform.'),
    bool('save-config', 'If true, the configuration of current object will be saved in its annotation.'),
    flag.string(
      'subresource',
      undefined,
      '',
      'If specified, edit will operate on the subresource of the requested object.',
    ),
    flag.string(
      'field-manager',
      undefined,
      'kubectl-edit',
      'Name of the manager used to track field ownership.',
    ),
    RECORD_FLAG,
    VALIDATE_FLAG,
  ],
  async run(ctx, args) {
    validationDirective(args);
    const files = args.flags.filename as string[];
    if (files.length > 0 && args.positional.length > 0)
      throw new CommandError(
        'when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well',
      );
    const found = files.length > 0 ? await fileTargets(ctx, args, files, false) : editTargets(ctx, args);
    const subresource = args.flags.subresource as string;
    if (subresource !== '' && subresource !== 'status')
      throw new CommandError(`invalid subresource value: "${subresource}". Must be one of [status]`);
    if (found.errors.length > 0) {
      for (const error of found.errors) ctx.stderr(error + '\n');
      return 1;
    }
    const output = args.flags.output as string;
    if (output !== '' && output !== 'yaml' && output !== 'json')
      throw new CommandError(
        `unable to match a printer suitable for the output format "${output}", allowed formats are: json,yaml`,
      );
    if (found.targets.length === 0) throw new CommandError('edit cancelled, no objects found');
    if (!ctx.editor) throw new CommandError(NO_EDITOR);
    return new EditSession(ctx, args, found.targets, output === 'json' ? 'json' : 'yaml').run();
  },
};

const NO_EDITOR =
  'kubectl edit opens the object in the editor pane of the lab page, and none is attached to this terminal.\n' +
  'Edit without it: save the object (kubectl get TYPE NAME -o yaml > FILE), change FILE and kubectl apply -f FILE, ' +
  'or export KUBE_EDITOR="cp FILE" to have kubectl edit save FILE over the object';

/** `TYPE NAME`, `TYPE/NAME`, and a bare TYPE for every object of that type in the namespace. */
function editTargets(ctx: KubectlContext, args: ParsedArgs): { targets: Target[]; errors: string[] } {
  const found = resolveTargets(ctx, args, args.positional, { requireName: false });
  const namespace = namespaceFlag(args);
  for (const { info, names } of parseResourceArgs(ctx.cluster.api, args.positional))
    if (names.length === 0)
      for (const obj of ctx.cluster.api.list(info.resource, {
        namespace: info.namespaced ? namespace : undefined,
      }))
        found.targets.push({ info, obj });
  return found;
}

/** resource.Info's resource and group, as kubectl names an object in edit's messages (`deployments.apps`). */
function resourceString(info: ResourceInfo): string {
  return info.group ? `${info.resource}.${info.group}` : info.resource;
}

/** What one save did: the reasons to reopen with, and the objects that could not be saved for good. */
interface SaveResults {
  reasons: EditReason[];
  invalid: number;
  notFound: number;
  retryable: number;
}

/** A failed step that ends the edit; kubectl keeps the saved text (preservedFile) when there is one. */
class EditFailure extends Error {}

class EditSession {
  private readonly originals: Target[];
  private readonly namespace: string;
  /** The lab's copy of the saved text, once kubectl would have kept its temporary file. */
  private copyPath: string | undefined;

  constructor(
    private readonly ctx: KubectlContext,
    private readonly args: ParsedArgs,
    targets: Target[],
    private readonly format: 'yaml' | 'json',
  ) {
    // extractManagedFields: the editor never shows managedFields.
    this.originals = targets.map(({ info, obj }) => {
      const copy = JSON.parse(JSON.stringify(obj)) as KubeObject;
      delete (copy.metadata as { managedFields?: unknown }).managedFields;
      return { info, obj: copy };
    });
    this.namespace = namespaceFlag(args);
  }

  async run(): Promise<number> {
    const editor = this.ctx.editor!;
    const windows = this.args.flags['windows-line-endings'] === true;
    const fileName = `kubectl-edit-${this.ctx.cluster.clock.now() % 1_000_000_000}.${this.format}`;
    let reasons: EditReason[] = [];
    let containsError = false;
    let original = '';
    let edited = '';
    for (;;) {
      const header = this.format === 'yaml' ? editHeader(reasons) : '';
      let buffer: string;
      if (!containsError) {
        buffer = (windows ? withWindowsLineEndings : (t: string) => t)(header + this.printed());
        original = buffer;
      } else buffer = (windows ? withWindowsLineEndings(header) : header) + manualStrip(edited);
      const previous = edited;
      try {
        edited = await editor.edit({ name: fileName, text: buffer }, this.ctx.signal);
      } catch (error) {
        if (error instanceof EditorError) return this.fail(error.message);
        // Ctrl-C while the editor is open ends kubectl, as SIGINT does.
        if (isAbortError(error)) throw new InterruptedError();
        throw error;
      }
      if (containsError && stripComments(previous) === stripComments(edited))
        return this.fail('Edit cancelled, no valid changes were saved.', edited);
      // The client-side check of the saved text (the header and other comments stripped).
      const stripped = 'error' in parseYaml(edited) ? manualStrip(edited) : edited;
      const problem = editedFileProblem(stripped);
      if (problem !== undefined) {
        const { info, obj } = this.originals[0];
        reasons = [
          {
            head: `${resourceString(info)} "${obj.metadata.name}" was not valid`,
            causes: [`<nil>: Invalid value: "The edited file failed validation": ${problem}`],
          },
        ];
        this.ctx.stderr(`error: ${resourceString(info)} "${obj.metadata.name}" is invalid\n`);
        containsError = true;
        continue;
      }
      if (stripComments(original) === stripComments(edited)) {
        this.ctx.stderr('Edit cancelled, no changes made.\n');
        return 0;
      }
      if (!hasContent(edited)) {
        this.ctx.stderr('Edit cancelled, saved file was empty.\n');
        return 0;
      }
      const updated = this.parseEdited(edited);
      if (typeof updated === 'string') {
        reasons = [{ head: `The edited file had a syntax error: ${updated}`, causes: [] }];
        containsError = true;
        continue;
      }
      containsError = false;
      let results: SaveResults;
      try {
        results = this.save(updated);
      } catch (error) {
        if (error instanceof EditFailure) return this.fail(error.message, edited);
        throw error;
      }
      if (results.retryable > 0) {
        this.ctx.stderr(
          `You can run \`kubectl replace -f ${this.keep(edited)}\` to try this update again.\n`,
        );
        return 1;
      }
      if (results.notFound > 0) {
        this.ctx.stderr(
          `The edits you made on deleted resources have been saved to "${this.keep(edited)}"\n`,
        );
        return 1;
      }
      if (results.invalid === 0) return 0;
      reasons = results.reasons;
      containsError = true;
    }
  }

  /** The objects as the editor shows them: one alone, several in a List. */
  private printed(): string {
    const objects = this.originals.map((t) => t.obj);
    const value =
      objects.length === 1 ? objects[0] : { apiVersion: 'v1', items: objects, kind: 'List', metadata: {} };
    return this.format === 'json' ? toGoJson(value) : toGoYaml(value);
  }

  /** The saved objects (a List's items), or the syntax error that stops them being read. */
  private parseEdited(text: string): KubeObject[] | string {
    const parsed = parseYaml(text);
    if ('error' in parsed) return parsed.error;
    const value = parsed.value as KubeObject & { items?: KubeObject[] };
    const objects = value.kind?.endsWith('List') && Array.isArray(value.items) ? value.items : [value];
    for (const obj of objects)
      if (typeof obj !== 'object' || obj === null || !obj.kind || !obj.apiVersion)
        return "Object 'Kind' is missing in 'edited-file'";
    return objects;
  }

  /** visitAnnotation and visitToPatch for every saved object, in the buffer's order. */
  private save(updated: KubeObject[]): SaveResults {
    const results: SaveResults = { reasons: [], invalid: 0, notFound: 0, retryable: 0 };
    for (const obj of updated) {
      obj.metadata ??= { name: '' };
      const info = this.ctx.cluster.api.resourceFor(obj.kind);
      if (!info)
        throw new EditFailure(
          `resource mapping not found for name: "${obj.metadata.name}" namespace: "${obj.metadata.namespace ?? ''}" from "edited-file": no matches for kind "${obj.kind}" in version "${obj.apiVersion}"`,
        );
      if (info.namespaced) this.requireNamespace(obj);
    }
    for (const obj of updated) {
      if (this.args.flags['save-config'] === true) saveConfig(obj);
      recordCommand(obj, ['edit'], this.args);
    }
    for (const obj of updated) this.patchOne(obj, results);
    return results;
  }

  /** resource.RequireNamespace: an object moved to another namespace than the command's is refused. */
  private requireNamespace(obj: KubeObject): void {
    const namespace = obj.metadata.namespace;
    if (!namespace) obj.metadata.namespace = this.namespace;
    else if (namespace !== this.namespace)
      throw new EditFailure(
        `the namespace from the provided object "${namespace}" does not match the namespace "${this.namespace}". You must pass '--namespace=${namespace}' to perform this operation.`,
      );
  }

  private patchOne(obj: KubeObject, results: SaveResults): void {
    const uid = obj.metadata.uid ?? '';
    const original = this.originals.find((t) => (t.obj.metadata.uid ?? '') === uid);
    if (!original)
      throw new EditFailure(`no original object found for ${obj.kind}/${obj.metadata.name ?? ''}`);
    const { info } = original;
    if (deepEqual(original.obj, obj)) {
      this.print(info, obj, 'skipped');
      return;
    }
    // CreateTwoWayMergePatch's preconditions.
    const changed = (a: unknown, b: unknown) => JSON.stringify(a) !== JSON.stringify(b);
    if (
      changed(original.obj.apiVersion, obj.apiVersion) ||
      changed(original.obj.kind, obj.kind) ||
      changed(original.obj.metadata.name, obj.metadata.name)
    )
      throw new EditFailure('At least one of apiVersion, kind and name was changed');
    const patch = twoWayMergePatch(original.obj, obj);
    if (this.args.flags['output-patch'] === true) this.ctx.stdout(`Patch: ${patchText(patch)}\n`);
    try {
      this.print(info, this.send(original, patch), 'edited');
    } catch (error) {
      if (!isStatusError(error)) throw error;
      this.ctx.stderr(addError(error, info, obj.metadata.name, results) + '\n');
    }
  }

  /** The PATCH: onto the live object, or onto its status alone with --subresource=status. */
  private send(original: Target, patch: Record<string, unknown>): KubeObject {
    const { info, obj } = original;
    const namespace = info.namespaced ? obj.metadata.namespace : undefined;
    const subresource = (this.args.flags.subresource as string) || undefined;
    const patcher = asKubectlRequest(this.ctx, {
      verb: 'patch',
      resource: info.resource,
      namespace,
      name: obj.metadata.name,
      subresource,
    });
    const current = patcher.get<KubeObject>(info.resource, namespace, obj.metadata.name);
    const next = strategicMerge(current, patch) as KubeObject;
    if (subresource === 'status') return writeStatus(this.ctx.cluster, current, next, false);
    validateFields(this.ctx, next, info, validationDirective(this.args), 'patch');
    return deepEqual(current, next) ? current : patcher.update(next);
  }

  /** kubectl's printer for the outcome: `TYPE/NAME edited`, or the object with -o yaml|json. */
  private print(info: ResourceInfo, obj: KubeObject, operation: string): void {
    const output = this.args.flags.output as string;
    if (!output) this.ctx.stdout(successLine(info, obj.metadata.name, operation));
    else this.ctx.stdout(printObjects([obj], parseOutputFormat(output, false), true, () => info));
  }

  /** preservedFile: kubectl's error, after saying where the saved text was kept. */
  private fail(message: string, edited?: string): number {
    if (edited !== undefined || this.copyPath)
      this.ctx.stderr(`A copy of your changes has been stored to "${this.keep(edited ?? '')}"\n`);
    this.ctx.stderr(message.startsWith('error: ') ? `${message}\n` : `error: ${message}\n`);
    return 1;
  }

  /**
   * Where the saved text is kept: kubectl leaves its temporary file in /tmp; the lab has only the home, so the
   * copy goes there (`/home/student/kubectl-edit-N.yaml`), where `kubectl replace -f` can read it.
   */
  private keep(text: string): string {
    const home = this.ctx.files.home;
    if (!this.copyPath) {
      let n = 1;
      while (home.stat(`kubectl-edit-${n}.${this.format}`)) n++;
      this.copyPath = `/home/student/kubectl-edit-${n}.${this.format}`;
    }
    try {
      home.writeFile(this.copyPath, text);
    } catch {
      // A full home keeps no copy; the message still names where kubectl would have put it.
    }
    return this.copyPath;
  }
}

/** --save-config: the object's last-applied annotation, as kubectl create --save-config writes it. */
function saveConfig(obj: KubeObject): void {
  const copy = JSON.parse(JSON.stringify(obj)) as KubeObject;
  const applied = appliedConfiguration(copy);
  obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [LAST_APPLIED]: applied + '\n' };
}

/** editResults.addError: the line printed, and what the error means for the edit. */
function addError(error: StatusError, info: ResourceInfo, name: string, results: SaveResults): string {
  const what = `${resourceString(info)} "${name}"`;
  if (error.status.reason === 'Invalid') {
    results.invalid++;
    const causes = (error.status.details?.causes ?? []).map((c) => `${c.field}: ${c.message}`);
    results.reasons.push({ head: `${what} was not valid`, causes });
    return `error: ${what} is invalid`;
  }
  if (error.status.reason === 'NotFound') {
    results.notFound++;
    return `error: ${what} could not be found on the server`;
  }
  results.retryable++;
  // Go's %v of the API error is its message.
  return `error: ${what} could not be patched: ${error.status.message}`;
}
