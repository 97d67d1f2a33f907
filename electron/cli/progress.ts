import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number, total: number, stage: string): void;
  stop(): void;
}

/** A progress bar on a terminal; silent when stderr is piped or JSON is asked for. */
export function createProgress(enabled: boolean): Progress {
  if (!enabled || !process.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: '{stage} [{bar}] {percentage}% | ETA {eta_formatted}', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total, stage) {
      if (!started) {
        bar.start(total, done, { stage });
        started = true;
      }
      bar.setTotal(total);
      bar.update(done, { stage });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
