/** Hand a downloaded file to the browser to save (a plain link could not carry the session's token). */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  // revoked after the click has started the download
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
