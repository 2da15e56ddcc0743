import type { TrailFile } from './trail-files.js';
import { s3Error, xml, type SandboxResponse } from './protocols.js';
import { el } from './xml.js';

/** S3 ListObjectsV2 and GetObject, path style (/bucket/key), over the trail files. */
/** An object of the bucket; `metadata` is served as `x-amz-meta-*` headers (digest signatures). */
export type BucketObject = TrailFile & { readonly metadata?: Readonly<Record<string, string>> };

/**
 * `files(key)` gives the objects that may hold `key` (or every object under a listing prefix): the trail's
 * digests are built only when something under CloudTrail-Digest/ is asked for.
 */
export function s3Api(bucket: string, files: (key: string) => readonly BucketObject[], pageSize: number) {
  const indexes = new WeakMap<readonly BucketObject[], Map<string, BucketObject>>();
  return (url: URL): SandboxResponse => {
    const [, name, ...rest] = url.pathname.split('/');
    if (name !== bucket) return s3Error(404, 'NoSuchBucket', 'The specified bucket does not exist');
    const key = decodeURIComponent(rest.join('/'));
    if (key) {
      const objects = files(key);
      let index = indexes.get(objects);
      if (!index) {
        index = new Map(objects.map((file) => [file.key, file]));
        indexes.set(objects, index);
      }
      const file = index.get(key);
      if (!file) return s3Error(404, 'NoSuchKey', 'The specified key does not exist.');
      const metadata = Object.entries(file.metadata ?? {}).map(([k, v]) => [`x-amz-meta-${k}`, v]);
      return {
        status: 200,
        headers: {
          'content-type': 'application/octet-stream',
          etag: '"sandbox"',
          ...Object.fromEntries(metadata),
        },
        body: file.body,
      };
    }
    if (url.searchParams.get('list-type') !== '2')
      return s3Error(400, 'NotImplemented', 'only ListObjectsV2');
    const prefix = url.searchParams.get('prefix') ?? '';
    const size = Math.min(pageSize, Number(url.searchParams.get('max-keys') ?? '1000'));
    const after = url.searchParams.get('continuation-token');
    const matching = files(prefix)
      .filter((file) => file.key.startsWith(prefix))
      .map((file) => file.key)
      .sort();
    const offset = after ? Number(Buffer.from(after, 'base64url').toString()) : 0;
    const page = matching.slice(offset, offset + size);
    const truncated = offset + size < matching.length;
    const contents = page
      .map(
        (k) =>
          `<Contents>${el('Key', k)}${el('LastModified', '2025-01-01T00:00:00.000Z')}${el('ETag', '"sandbox"')}${el('Size', 1)}${el('StorageClass', 'STANDARD')}</Contents>`,
      )
      .join('');
    return xml(
      200,
      `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${el('Name', bucket)}${el('Prefix', prefix)}${el('KeyCount', page.length)}${el('MaxKeys', size)}${el('IsTruncated', truncated)}${contents}${truncated ? el('NextContinuationToken', Buffer.from(String(offset + size)).toString('base64url')) : ''}</ListBucketResult>`,
    );
  };
}
