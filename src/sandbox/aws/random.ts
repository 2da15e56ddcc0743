export { seededRandom } from '../seeded-random.js';

/** A UUID-shaped id drawn from the generator (CloudTrail eventIDs look like this). */
export function seededUuid(random: () => number): string {
  let hex = '';
  for (let n = 0; n < 4; n += 1)
    hex += Math.floor(random() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}
