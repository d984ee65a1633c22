import { describe, expect, it } from 'vitest';
import { isMetadataAddress } from '../../../src/net/http.ts';

/** Host names as `new URL(...).hostname` gives them (IPv6 in brackets, numbers normalised). */
const host = (url: string): string => new URL(url).hostname;

describe('isMetadataAddress', () => {
  it('knows link-local and metadata addresses in every spelling a URL allows', () => {
    for (const url of [
      'http://169.254.169.254/',
      'http://169.254.170.2/',
      'http://2852039166/',
      'http://0xa9.0xfe.0xa9.0xfe/',
      'http://[::ffff:169.254.169.254]/',
      'http://[fd00:ec2::254]/',
      'http://[FE80::1]/',
      'http://[febf::1]/',
      'http://metadata.google.internal/',
      'http://METADATA.google.internal./',
      'http://instance-data/',
      'http://100.100.100.200/',
    ]) {
      expect([url, isMetadataAddress(host(url))]).toEqual([url, true]);
    }
  });

  it('lets everything else through', () => {
    for (const url of [
      'http://127.0.0.1/',
      'http://10.0.0.1/',
      'http://169.255.0.1/',
      'http://[fec0::1]/',
      'http://[fd00:ec2::253]/',
      'http://metadata.example.com/',
      'http://chef.example.com/',
    ]) {
      expect([url, isMetadataAddress(host(url))]).toEqual([url, false]);
    }
  });
});
