// Markdown for assistant messages, loaded after the first paint: marked and
// DOMPurify are a third of the first page's JavaScript, and nothing needs them
// before an answer is on screen. Until they arrive (a moment after start-up,
// from the service worker's precache), messages show as plain text.
type Render = (src: string) => string;

let render = $state<Render | null>(null);
let loading: Promise<void> | null = null;

/** Starts loading the renderer (main.ts calls it right after mounting); safe to call again. */
export function loadMarkdown(): Promise<void> {
  loading ??= import('./markdown-render').then(
    (m) => {
      render = m.renderMarkdown;
    },
    () => {
      loading = null; // a later call tries again; plain text meanwhile
    },
  );
  return loading;
}

/** Sanitized HTML for `src`, or null while the renderer is still loading (show plain text then). */
export function markdownHtml(src: string): string | null {
  if (!render) {
    void loadMarkdown();
    return null;
  }
  return render(src);
}
