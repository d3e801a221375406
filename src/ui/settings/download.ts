// Saves a text as a file download (browser only).
export function downloadText(filename: string, text: string, type = 'application/x-ndjson'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** edgewise-traces-2026-01-05.jsonl */
export function tracesFilename(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `edgewise-traces-${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}.jsonl`;
}
