// A small progress display for the seed CLI. On a terminal it redraws one line per phase; in
// logs (CI, pipes) it prints a line about every 10 % so the output stays short.

export interface ProgressBar {
  update(phase: string, done: number, total: number): void;
  /** Ends the current line (call once at the end). */
  finish(): void;
}

interface Stream {
  write(text: string): unknown;
  isTTY?: boolean;
}

const WIDTH = 28;

function formatRate(done: number, ms: number): string {
  if (ms < 1 || done === 0) return '';
  const perSecond = (done / ms) * 1000;
  return perSecond >= 1000 ? `${(perSecond / 1000).toFixed(1)}k/s` : `${perSecond.toFixed(0)}/s`;
}

export function createProgressBar(stream: Stream = process.stderr): ProgressBar {
  const tty = Boolean(stream.isTTY);
  let phase = '';
  let phaseStart = 0;
  let lastDecile = -1;
  let lastDraw = 0;
  let open = false;

  const line = (done: number, total: number) => {
    const ratio = total > 0 ? Math.min(1, done / total) : 1;
    const filled = Math.round(ratio * WIDTH);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}`;
    const rate = formatRate(done, Date.now() - phaseStart);
    return `${phase.padEnd(14)} ${bar} ${done.toLocaleString('en')}/${total.toLocaleString('en')}${rate ? ` ${rate}` : ''}`;
  };

  return {
    update(nextPhase, done, total) {
      if (nextPhase !== phase) {
        if (open && tty) stream.write('\n');
        phase = nextPhase;
        phaseStart = Date.now();
        lastDecile = -1;
        lastDraw = 0;
      }
      open = true;
      if (tty) {
        const now = Date.now();
        // Redrawing more often than ~20 times a second only costs time.
        if (done < total && now - lastDraw < 50) return;
        lastDraw = now;
        stream.write(`\r${line(done, total)}\x1b[K`);
        if (done >= total) {
          stream.write('\n');
          open = false;
        }
      } else {
        const decile = total > 0 ? Math.floor((done / total) * 10) : 10;
        if (decile === lastDecile) return;
        lastDecile = decile;
        stream.write(`${line(done, total)}\n`);
      }
    },
    finish() {
      if (open && tty) stream.write('\n');
      open = false;
    },
  };
}
