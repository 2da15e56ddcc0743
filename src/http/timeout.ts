/**
 * Rejects when `promise` has not settled within `ms`. Redis commands on the service's connection wait
 * forever while Redis is down (BullMQ needs maxRetriesPerRequest: null), and a probe must answer anyway.
 */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
