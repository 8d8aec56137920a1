/**
 * For a supervisor started as `npm start` / `npm run …`: npm runs the script under `sh -c`, and a SIGTERM sent to
 * npm (by a service manager, `timeout`, a CI runner) kills npm and the shell, which does not pass the signal on.
 * The script is left alone with every service it started. Its parent process changing (it is re-parented to
 * init or a subreaper) is the only sign it gets; `whenOrphaned` turns that into a call, as a signal would be.
 */
export function whenOrphaned(onOrphaned: () => void, intervalMs = 500): () => void {
  const parentAtStart = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parentAtStart) return;
    clearInterval(timer);
    onOrphaned();
  }, intervalMs);
  timer.unref(); // never what keeps the process alive
  return () => clearInterval(timer);
}
