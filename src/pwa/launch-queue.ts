/**
 * Files the operating system hands to the installed app (manifest `file_handlers`) arrive through
 * `window.launchQueue`; the first one is opened like a dropped file.
 * @see https://wicg.github.io/manifest-incubations/#launchqueue-interface
 */

/** The parts of the Launch Handler API we use (not yet in TypeScript's DOM library). */
export interface LaunchParamsLike {
  readonly files: readonly { getFile(): Promise<File> }[];
}
export interface LaunchQueueLike {
  setConsumer(consumer: (params: LaunchParamsLike) => void | Promise<void>): void;
}

/**
 * Open the first file of every launch with `open`; a file that cannot be had (deleted, or permission
 * refused) is said with `fail`. Returns false where the browser has no launch queue (not installed,
 * or not Chromium).
 */
export function consumeLaunchQueue(
  open: (file: File, name: string) => void,
  fail: (message: string) => void,
  queue: LaunchQueueLike | undefined = (globalThis as { launchQueue?: LaunchQueueLike }).launchQueue,
): boolean {
  if (!queue) return false;
  queue.setConsumer(async (params) => {
    const handle = params.files[0];
    if (!handle) return;
    let file: File;
    try {
      file = await handle.getFile();
    } catch (err) {
      const reason = err instanceof Error && err.message ? ` (${err.message.split('\n', 1)[0]})` : '';
      fail(`The file the system asked Resetscope to open could not be read${reason}. Open it again, or drop it here.`);
      return;
    }
    open(file, file.name);
  });
  return true;
}
