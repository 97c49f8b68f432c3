/**
 * Copies `text` to the clipboard from a user's click or key press. The desktop app denies every permission request
 * (src/main/window/security.ts), the async clipboard's write included, so the first way is a `copy` event inside the
 * user's gesture, which needs none; navigator.clipboard is the fallback (a browser host).
 */
export async function copyText(text: string): Promise<boolean> {
  let copied = false;
  const onCopy = (e: ClipboardEvent): void => {
    if (!e.clipboardData) return;
    e.clipboardData.setData('text/plain', text);
    e.preventDefault();
    copied = true;
  };
  document.addEventListener('copy', onCopy, true);
  try {
    // Deprecated, but the one clipboard write that needs no permission.
    document.execCommand('copy');
  } catch {
    // not supported: the fallback below
  } finally {
    document.removeEventListener('copy', onCopy, true);
  }
  if (copied) return true;
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
