/**
 * Copies text to the clipboard. The Clipboard API exists only in secure contexts (HTTPS or localhost); a
 * platform served over plain HTTP on a classroom network has none, so the old execCommand path is the fallback.
 * Resolves false when neither worked, so the caller can ask the student to copy by hand.
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // permission refused: try the fallback
  }
  const scratch = document.createElement('textarea');
  scratch.value = text;
  scratch.setAttribute('readonly', '');
  scratch.style.position = 'fixed';
  scratch.style.opacity = '0';
  const focused = document.activeElement as HTMLElement | null;
  // Beside the focused button, so a dialog's focus trap (the panel is a drawer) does not pull focus back out.
  (focused?.parentElement ?? document.body).append(scratch);
  scratch.select();
  let copied = false;
  try {
    copied = document.execCommand('copy');
  } catch {
    copied = false;
  }
  scratch.remove();
  focused?.focus();
  return copied;
}
