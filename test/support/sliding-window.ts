/** The most events that fall in any half-open window [t, t + width) starting at an event. */
export function mostInAnyWindow(times: readonly number[], width: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let start = 0, end = 0; start < sorted.length; start += 1) {
    while (end < sorted.length && sorted[end]! < sorted[start]! + width) end += 1;
    most = Math.max(most, end - start);
  }
  return most;
}
