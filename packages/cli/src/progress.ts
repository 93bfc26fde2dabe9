// A progress bar on a terminal; one line per batch when the output is a file or a pipe (cron).

export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean | undefined;
}

/** Returns an `onProgress` callback that draws on `out`, and `done()` to end the line. */
export function progressBar(out: ProgressOutput, label: (processed: number, total: number, batches: number) => string, width = 30) {
  let drawn = false;
  return {
    update({ processed, total, batches }: { processed: number; total: number; batches: number }): void {
      const share = total === 0 ? 1 : processed / total;
      const text = `${String(Math.round(share * 100)).padStart(3)}%  ${label(processed, total, batches)}`;
      if (out.isTTY) {
        const filled = Math.round(share * width);
        out.write(`\r[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${text}`);
        drawn = true;
      } else {
        out.write(`${text}\n`);
      }
    },
    done(): void {
      if (drawn) out.write('\n');
      drawn = false;
    },
  };
}
