/**
 * Validates a lab given as a file map exactly as the platform validates labs/ at start-up: the files
 * are written into a private temporary folder named after the lab id and the lab loader reads them
 * from there. The loader reads from disk in several places (lab.yaml, prose files, object files, the
 * files/ folder); a temporary folder reuses every rule it has unchanged, where a second file source
 * threaded through all of them could drift from it. Paths are checked first (lab-files.ts), so nothing is
 * written outside the folder, and the folder is removed afterwards.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { Lab, LabLoadError, loadLabFile } from '../../labs';
import type { LabIssue } from '../../labs/loader/reader';
import type { LabFileMap, LabPreview, LabProblem } from '../../shared/authoring-api';
import { BundleError, checkLabFiles } from '../bundle/lab-files';

export interface LabFilesVerdict {
  problems: LabProblem[];
  /** The loaded lab, when it has no problems. */
  lab?: Lab;
}

export function validateLabFiles(labId: string, files: LabFileMap): LabFilesVerdict {
  try {
    checkLabFiles(files);
  } catch (error) {
    if (error instanceof BundleError) return { problems: [{ file: 'lab.yaml', message: error.message }] };
    throw error;
  }
  const root = mkdtempSync(join(tmpdir(), 'kubelab-draft-'));
  const labDir = join(root, labId);
  try {
    for (const [path, text] of Object.entries(files)) {
      const target = join(labDir, path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, text, 'utf8');
    }
    try {
      // The temporary path means nothing once the folder is gone: name the file as labs/ would.
      return { problems: [], lab: { ...loadLabFile(join(labDir, 'lab.yaml')), file: `${labId}/lab.yaml` } };
    } catch (error) {
      if (!(error instanceof LabLoadError)) throw error;
      return { problems: error.issues.map((issue) => toProblem(issue, labDir, root)) };
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const STEP_SCOPE = /^step "(.*)"$/;

function toProblem(issue: LabIssue, labDir: string, root: string): LabProblem {
  const file = relative(labDir, issue.file);
  const stepId = issue.scope ? STEP_SCOPE.exec(issue.scope)?.[1] : undefined;
  const field = [stepId === undefined ? issue.scope : undefined, issue.path].filter(Boolean).join(' ');
  return {
    file: file === '' || file.startsWith('..') ? 'lab.yaml' : file,
    ...(stepId !== undefined ? { step: stepId } : {}),
    ...(field ? { field } : {}),
    ...(issue.line !== undefined ? { line: issue.line } : {}),
    // The temporary folder means nothing to an author.
    message: issue.message.split(`${labDir}/`).join('').split(root).join(''),
  };
}

/** What a student sees of a lab: titles, description and instructions, in both languages. */
export function previewOf(lab: Lab): LabPreview {
  return {
    labId: lab.id,
    title: lab.title,
    description: lab.description,
    steps: lab.steps.map((step) => ({
      id: step.id,
      title: step.title,
      points: step.points,
      instructions: step.instructions,
    })),
  };
}
