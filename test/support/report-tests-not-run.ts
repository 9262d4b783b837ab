/**
 * Vitest global setup whose teardown, after the summary, lists the files vitest.config.ts left
 * out because a service they need is missing here, so a green run never hides what it skipped.
 */
export default function setup(): () => void {
  return () => {
    const skipped = JSON.parse(process.env.NS_TESTS_NOT_RUN ?? "[]") as { file: string; reason: string }[];
    if (skipped.length === 0) return;
    const byReason = new Map<string, string[]>();
    for (const { file, reason } of skipped) byReason.set(reason, [...(byReason.get(reason) ?? []), file]);
    const lines = [
      `\n${skipped.length} test file(s) NOT RUN (set TEST_REQUIRE_SERVICES=1 to make this fail):`,
    ];
    for (const [reason, files] of byReason) {
      lines.push(`  because ${reason}:`, ...files.map((file) => `    ${file}`));
    }
    process.stderr.write(`${lines.join("\n")}\n`);
  };
}
