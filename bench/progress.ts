/**
 * One status line while the bench runs ("[4/8] ingest: 12 s left"), rewritten in place on a
 * terminal; elsewhere (CI logs, pipes) a line is printed only when the phase changes.
 */
export class Progress {
  private step = 0;
  private phaseName = "";
  private lastLine = "";
  private readonly tty: boolean;

  constructor(
    private readonly totalSteps: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.tty = Boolean(stream.isTTY);
  }

  phase(name: string, detail = ""): void {
    this.step += 1;
    this.phaseName = name;
    this.write(detail, true);
  }

  update(detail: string): void {
    this.write(detail, false);
  }

  /** Seconds left of a phase that runs for a known time, updated every second. */
  countdown(seconds: number, detail = ""): () => void {
    const endsAt = Date.now() + seconds * 1000;
    const tick = () => {
      const left = Math.max(0, Math.ceil((endsAt - Date.now()) / 1000));
      this.update(`${left} s left${detail ? `, ${detail}` : ""}`);
    };
    tick();
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }

  /** Clears the line so the report starts on a clean one. */
  done(): void {
    if (this.tty && this.lastLine) this.stream.write("\r\x1b[K");
    this.lastLine = "";
  }

  private write(detail: string, phaseChanged: boolean): void {
    const line = `[${this.step}/${this.totalSteps}] ${this.phaseName}${detail ? `: ${detail}` : ""}`;
    if (line === this.lastLine) return;
    this.lastLine = line;
    if (this.tty) this.stream.write(`\r\x1b[K${line.slice(0, (this.stream.columns ?? 100) - 1)}`);
    else if (phaseChanged) this.stream.write(`${line}\n`);
  }
}
