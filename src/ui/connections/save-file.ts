/** Save a document the worker wrote as a file the browser downloads (nothing leaves the machine). */
export function saveFile(parts: BlobPart[], mime: string, fileName: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob(parts, { type: mime }));
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}
