/** Whether a lab grades the student's files: the platform then reads the home and regrades after every command. */
import { Check, Lab } from './types';

export function checkUsesFiles(check: Check): boolean {
  switch (check.type) {
    case 'file':
      return true;
    case 'all':
    case 'any':
      return check.checks.some(checkUsesFiles);
    case 'not':
      return checkUsesFiles(check.check);
    default:
      return false;
  }
}

export function labUsesFiles(lab: Lab): boolean {
  return (
    lab.steps.some((step) => step.checks.some(checkUsesFiles)) ||
    lab.diagnostics.some((diagnostic) => checkUsesFiles(diagnostic.when))
  );
}
