import { expect, test } from 'vitest';
import { installationReport, metadataToJson } from '../../../src/pip/report';

test("METADATA as pip's JSON: field order, lists for multiple-use fields, keywords split, body as description", () => {
  const text = [
    'Metadata-Version: 2.1',
    'Name: Demo',
    'Version: 1.0',
    'Summary: A demo',
    'Keywords: web,http, json',
    'Classifier: Programming Language :: Python',
    'Classifier: License :: OSI Approved',
    'Requires-Dist: idna>=2',
    'Requires-Python: >=3.8',
    'Project-URL: Homepage, https://example.org',
    'Provides-Extra: fast',
    '',
    'Long description.',
    '',
  ].join('\n');
  const json = metadataToJson(text);
  expect(Object.keys(json)).toEqual(['metadata_version', 'name', 'version', 'summary', 'keywords', 'classifier', 'requires_dist', 'requires_python', 'project_url', 'provides_extra', 'description']);
  expect(json['keywords']).toEqual(['web', 'http', 'json']);
  expect(json['classifier']).toEqual(['Programming Language :: Python', 'License :: OSI Approved']);
  expect(json['description']).toBe('Long description.\n');
  expect(metadataToJson('Metadata-Version: 2.1\nName: x\nVersion: 1\nKeywords: a b  c\n')['keywords']).toEqual(['a', 'b', 'c']);
});

test('the installation report (format version 1)', () => {
  const report = installationReport(
    [{ url: 'https://h/x-1.0-py3-none-any.whl', sha256: 'ab', isDirect: false, isYanked: false, requested: true, requestedExtras: ['b', 'a'], metadataText: 'Metadata-Version: 2.1\nName: x\nVersion: 1.0\n' }],
    '25.3',
    { sys_platform: 'emscripten' },
  );
  expect(report).toEqual({
    version: '1',
    pip_version: '25.3',
    install: [
      {
        download_info: { url: 'https://h/x-1.0-py3-none-any.whl', archive_info: { hash: 'sha256=ab', hashes: { sha256: 'ab' } } },
        is_direct: false,
        is_yanked: false,
        requested: true,
        metadata: { metadata_version: '2.1', name: 'x', version: '1.0' },
        requested_extras: ['a', 'b'],
      },
    ],
    environment: { sys_platform: 'emscripten' },
  });
});
