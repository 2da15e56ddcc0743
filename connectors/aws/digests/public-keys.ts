import type { KeyObject } from 'node:crypto';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { awsCall } from '../aws-errors.js';
import { publicKeyFrom } from './signing.js';

/**
 * The keys CloudTrail publishes for signing digests in one region (ListPublicKeys), by fingerprint.
 * Asked once per region and run for the run's whole range: a key rotates rarely and every digest of the
 * window names one of the keys valid then.
 */
export class PublicKeys {
  private readonly byRegion = new Map<string, Promise<Map<string, KeyObject | Error>>>();

  constructor(
    private readonly cloudtrail: (region: string) => CloudTrailClient,
    private readonly range: { start: number; end: number },
  ) {}

  /** The key with this fingerprint, an Error when its value cannot be read as a key, or undefined. */
  async find(region: string, fingerprint: string): Promise<KeyObject | Error | undefined> {
    let keys = this.byRegion.get(region);
    if (!keys) {
      keys = this.load(region);
      this.byRegion.set(region, keys);
      keys.catch(() => this.byRegion.delete(region));
    }
    return (await keys).get(fingerprint);
  }

  private async load(region: string): Promise<Map<string, KeyObject | Error>> {
    const { ListPublicKeysCommand } = await import('@aws-sdk/client-cloudtrail');
    const found = new Map<string, KeyObject | Error>();
    let token: string | undefined;
    do {
      const page = await awsCall(`cloudtrail ListPublicKeys ${region}`, () =>
        this.cloudtrail(region).send(
          new ListPublicKeysCommand({
            StartTime: new Date(this.range.start),
            EndTime: new Date(this.range.end),
            ...(token ? { NextToken: token } : {}),
          }),
        ),
      );
      for (const key of page.PublicKeyList ?? []) {
        if (!key.Fingerprint || !key.Value) continue;
        try {
          found.set(key.Fingerprint, publicKeyFrom(key.Value));
        } catch (error) {
          found.set(key.Fingerprint, error as Error);
        }
      }
      token = page.NextToken;
    } while (token);
    return found;
  }
}
