/** Starts the providers process and asks it for receipts. */
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ProviderPorts, ProvidersReply, ProvidersRequest, ProvidersSnapshot } from "./protocol.js";

const ENTRY = fileURLToPath(new URL("./providers-process.ts", import.meta.url));

export class LoopbackProviders {
  private nextId = 1;
  private readonly waiting = new Map<number, (reply: ProvidersSnapshot) => void>();

  private constructor(
    private readonly child: ChildProcess,
    readonly ports: ProviderPorts,
  ) {
    child.on("message", (message: ProvidersReply) => {
      if (message.type !== "snapshot") return;
      this.waiting.get(message.id)?.(message);
      this.waiting.delete(message.id);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Forks the providers under the same loader as the bench (tsx), so the .ts entry runs as is. */
  static async start(): Promise<LoopbackProviders> {
    const child = fork(ENTRY, [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    const ports = await new Promise<ProviderPorts>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error("the loopback providers did not start within 15 s")),
        15_000,
      );
      child.once("exit", (code) => reject(new Error(`the loopback providers exited with code ${code}`)));
      child.on("message", (message: ProvidersReply) => {
        if (message.type !== "ready") return;
        clearTimeout(timer);
        resolve(message.ports);
      });
    });
    return new LoopbackProviders(child, ports);
  }

  snapshot(phase: string, withTimes = false): Promise<ProvidersSnapshot> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error("the loopback providers did not answer within 10 s"));
      }, 10_000);
      this.waiting.set(id, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      this.send({ type: "snapshot", id, phase, withTimes });
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.send({ type: "stop" });
    const killed = setTimeout(() => this.child.kill("SIGKILL"), 3_000);
    await exited;
    clearTimeout(killed);
  }

  private send(message: ProvidersRequest): void {
    if (this.child.connected) this.child.send(message);
  }
}
