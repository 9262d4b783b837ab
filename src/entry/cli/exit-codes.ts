/** The CLI's exit codes, as docs/api.md (Command line) documents them. */
export const EXIT_OK = 0;
/** The command ran and failed: invalid input, not found, a dependency down, bad configuration. */
export const EXIT_FAILURE = 1;
/** The command line itself is wrong: unknown command or option, missing or malformed argument. */
export const EXIT_USAGE = 2;
