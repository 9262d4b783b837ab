/**
 * Preloaded into a service process by fatal-errors.test.ts and embedded-mode.test.ts (`node
 * --import`), as a bug elsewhere in the process would be: on SIGUSR2 it throws from a timer (or, with FATAL_ERROR_KIND=rejection,
 * rejects a promise nobody awaits), and again a moment later, while the process is stopping. The
 * message quotes the configured SMS.ru api_id, as a provider error quoting its request URL might:
 * it must never reach the output.
 */
const apiId = process.env.SMS_RU_API_ID ?? "";
const kind = process.env.FATAL_ERROR_KIND === "rejection" ? "rejection" : "exception";

const fail = (count: number) => {
  const error = new Error(`request to https://sms.ru/sms/send?api_id=${apiId} failed (${count})`);
  if (kind === "rejection") {
    void Promise.reject(error);
  } else {
    setTimeout(() => {
      throw error;
    }, 0);
  }
};

process.on("SIGUSR2", () => {
  fail(1);
  setTimeout(() => fail(2), 100);
});
