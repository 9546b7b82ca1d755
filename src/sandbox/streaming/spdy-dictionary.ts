/**
 * The SPDY/3 header-compression dictionary (SPDY Protocol draft 3, section
 * 2.6.10.1 "Compression"). Both peers prime their zlib streams with these
 * exact 1423 bytes; a single differing byte changes its Adler-32 and the peer's
 * inflate fails with "bad dictionary".
 *
 * The spec prints it as a C byte array. Its structure is simple: a run of
 * length-prefixed (uint32, big-endian) lower-case tokens — header names,
 * methods and a few values — followed by an unprefixed tail of status codes,
 * reason phrases, date fragments and common header values. It is built here
 * from that structure rather than transcribed byte by byte.
 */

/** Tokens that appear in the dictionary as `uint32 length` + bytes, in spec order. */
const PREFIXED_TOKENS: readonly string[] = [
  'options', 'head', 'post', 'put', 'delete', 'trace',
  'accept', 'accept-charset', 'accept-encoding', 'accept-language', 'accept-ranges',
  'age', 'allow', 'authorization', 'cache-control', 'connection',
  'content-base', 'content-encoding', 'content-language', 'content-length',
  'content-location', 'content-md5', 'content-range', 'content-type',
  'date', 'etag', 'expect', 'expires', 'from', 'host',
  'if-match', 'if-modified-since', 'if-none-match', 'if-range', 'if-unmodified-since',
  'last-modified', 'location', 'max-forwards', 'pragma',
  'proxy-authenticate', 'proxy-authorization', 'range', 'referer', 'retry-after',
  'server', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'user-agent',
  'vary', 'via', 'warning', 'www-authenticate',
  'method', 'get', 'status', '200 OK', 'version', 'HTTP/1.1', 'url',
  'public', 'set-cookie', 'keep-alive', 'origin',
];

/** The unprefixed tail, in spec order (concatenated without separators). */
const TAIL_PIECES: readonly string[] = [
  // bare status codes
  '100', '101', '201', '202', '205', '206',
  '300', '302', '303', '304', '305', '306', '307',
  '402', '405', '406', '407', '408', '409', '410', '411', '412', '413',
  '414', '415', '416', '417', '502', '504', '505',
  // status lines
  '203 Non-Authoritative Information', '204 No Content', '301 Moved Permanently',
  '400 Bad Request', '401 Unauthorized', '403 Forbidden', '404 Not Found',
  '500 Internal Server Error', '501 Not Implemented', '503 Service Unavailable',
  // date fragments
  'Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 ',
  'Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMT',
  // common values
  'chunked,text/html,image/png,image/jpg,image/gif,application/xml,',
  'application/xhtml+xml,text/plain,text/javascript,',
  'public', 'private', 'max-age=', 'gzip,deflate,sdch',
  'charset=utf-8', 'charset=iso-8859-1,', 'utf-,', '*,', 'enq=0.',
];

function buildDictionary(): Buffer {
  const parts: Buffer[] = [];
  for (const token of PREFIXED_TOKENS) {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(token.length, 0);
    parts.push(len, Buffer.from(token, 'latin1'));
  }
  parts.push(Buffer.from(TAIL_PIECES.join(''), 'latin1'));
  return Buffer.concat(parts);
}

/** The SPDY/3 zlib dictionary (1423 bytes, Adler-32 0xe3c6a7c2). */
export const SPDY3_DICTIONARY: Buffer = buildDictionary();
