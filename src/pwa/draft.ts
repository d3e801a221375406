// Nothing typed is lost across an update reload: the composer's text is saved
// in sessionStorage (this tab only) right before the reload and put back once
// the new version's composer exists. Works on the DOM (the composer's textarea,
// accessible name "Message") so the composer itself needs no changes.

const KEY = 'edgewise:draft-before-reload';
const SELECTOR = 'textarea[aria-label="Message"]';

function composer(doc: Document): HTMLTextAreaElement | null {
  return doc.querySelector<HTMLTextAreaElement>(SELECTOR);
}

/** Saves the composer's text (if any). Returns what was saved. */
export function saveDraftBeforeReload(doc: Document = document, store: Storage = sessionStorage): string {
  const text = composer(doc)?.value ?? '';
  try {
    if (text) store.setItem(KEY, text);
    else store.removeItem(KEY);
  } catch {
    /* storage full or disabled: nothing more we can do */
  }
  return text;
}

/**
 * Puts a saved draft back into the composer, waiting (up to `timeoutMs`) for
 * the composer to appear. Fires an `input` event so bound state (Svelte's
 * bind:value) sees it. Resolves with the restored text, or null.
 */
export function restoreDraft(doc: Document = document, store: Storage = sessionStorage, timeoutMs = 15_000): Promise<string | null> {
  let text: string | null = null;
  try {
    text = store.getItem(KEY);
  } catch {
    text = null;
  }
  if (!text) return Promise.resolve(null);
  const put = (el: HTMLTextAreaElement) => {
    // Never overwrite something the user already typed in the new page.
    if (!el.value) {
      el.value = text!;
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }
    try {
      store.removeItem(KEY);
    } catch {
      /* ignore */
    }
    return text;
  };
  const now = composer(doc);
  if (now) return Promise.resolve(put(now));
  return new Promise((resolve) => {
    const obs = new MutationObserver(() => {
      const el = composer(doc);
      if (!el) return;
      obs.disconnect();
      clearTimeout(timer);
      resolve(put(el));
    });
    const timer = setTimeout(() => {
      obs.disconnect();
      resolve(null);
    }, timeoutMs);
    obs.observe(doc.body, { childList: true, subtree: true });
  });
}
