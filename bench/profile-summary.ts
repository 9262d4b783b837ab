/**
 * Reads a `node --cpu-prof` profile and prints where the time went: by package (the service's own
 * code, each node_modules package, node internals, GC, idle), the functions with the most self
 * time, and the service's own functions by inclusive time.
 *
 *   npx tsx bench/profile-summary.ts bench/tmp/profiles/<run>/CPU.*.cpuprofile [--top=25] [--callers=writev]
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

function packageOf(url: string, functionName: string): string {
  if (functionName === "(garbage collector)") return "(gc)";
  if (functionName === "(idle)") return "(idle)";
  if (functionName === "(program)") return "(program)";
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1]!;
  const own = /\/(dist|src)\/(.+)$/.exec(url);
  if (own) return `service: ${own[2]!.replace(/\.js$/, "")}`;
  if (url.startsWith("node:") || url === "") return "(node internals)";
  return url;
}

function label(frame: CallFrame): string {
  const file = frame.url.replace(/^.*\/(node_modules|dist|src)\//, "$1/").replace(/^file:\/\//, "");
  return `${frame.functionName || "(anonymous)"} ${file}:${frame.lineNumber + 1}`;
}

function table(title: string, entries: Array<[string, number]>, totalMs: number, top: number): string {
  const lines = entries
    .sort(([, a], [, b]) => b - a)
    .slice(0, top)
    .map(
      ([name, ms]) =>
        `${((ms / totalMs) * 100).toFixed(1).padStart(5)}%  ${ms.toFixed(0).padStart(7)} ms  ${name}`,
    );
  return [`\n${title}`, ...lines].join("\n");
}

export async function summarizeProfile(path: string, top: number, callersOf: string[] = []): Promise<string> {
  const profile = JSON.parse(await readFile(path, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

  const selfMs = new Map<number, number>();
  profile.samples.forEach((id, index) => {
    selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000);
  });
  const totalMs = [...selfMs.values()].reduce((sum, ms) => sum + ms, 0);
  const idleMs = [...selfMs.entries()]
    .filter(([id]) => byId.get(id)?.callFrame.functionName === "(idle)")
    .reduce((sum, [, ms]) => sum + ms, 0);
  const busyMs = totalMs - idleMs;

  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const ownInclusive = new Map<string, number>();
  for (const [id, ms] of selfMs) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === "(idle)") continue;
    const pkg = packageOf(frame.url, frame.functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + ms);
    byFunction.set(label(frame), (byFunction.get(label(frame)) ?? 0) + ms);
    // Every service function on the stack gets this sample's time, once per stack.
    const seen = new Set<string>();
    for (let node: number | undefined = id; node !== undefined; node = parentOf.get(node)) {
      const callFrame = byId.get(node)!.callFrame;
      if (!/\/(dist|src)\//.test(callFrame.url) || /node_modules/.test(callFrame.url)) continue;
      const name = label(callFrame);
      if (seen.has(name)) continue;
      seen.add(name);
      ownInclusive.set(name, (ownInclusive.get(name) ?? 0) + ms);
    }
  }
  // For native leaves such as writev: the nearest caller outside node's internals says who wrote.
  const callerTables = callersOf.map((leafName) => {
    const callers = new Map<string, number>();
    for (const [id, ms] of selfMs) {
      if (byId.get(id)!.callFrame.functionName !== leafName) continue;
      let caller = "(only node internals on the stack)";
      for (let node = parentOf.get(id); node !== undefined; node = parentOf.get(node)) {
        const frame = byId.get(node)!.callFrame;
        if (frame.url.startsWith("node:") || frame.url === "") continue;
        caller = `${packageOf(frame.url, frame.functionName)} · ${label(frame)}`;
        break;
      }
      callers.set(caller, (callers.get(caller) ?? 0) + ms);
    }
    return table(`Callers of ${leafName} (nearest frame outside node internals)`, [...callers], busyMs, top);
  });
  const wallMs = (profile.endTime - profile.startTime) / 1000;
  return [
    `${path}`,
    `wall ${wallMs.toFixed(0)} ms, busy ${busyMs.toFixed(0)} ms (${((busyMs / wallMs) * 100).toFixed(0)}% of one core), idle ${idleMs.toFixed(0)} ms; percentages are of busy time`,
    table("By package (self time)", [...byPackage], busyMs, top),
    table("Functions by self time", [...byFunction], busyMs, top),
    table("The service's own functions by inclusive time", [...ownInclusive], busyMs, top),
    ...callerTables,
  ].join("\n");
}

const isMain =
  process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/bench\//, "/bench/"));
if (isMain) {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2),
    options: { top: { type: "string", default: "25" }, callers: { type: "string", multiple: true } },
    allowPositionals: true,
  });
  for (const path of positionals)
    process.stdout.write(`${await summarizeProfile(path, Number(values.top), values.callers ?? [])}\n\n`);
}
