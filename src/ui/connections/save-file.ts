/** Save a document the worker wrote as a file the browser downloads (nothing leaves the machine). */
export function saveFile(file: Blob, fileName: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(file);
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}
