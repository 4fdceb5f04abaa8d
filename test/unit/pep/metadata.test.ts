import { describe, expect, it } from 'vitest';
import { MetadataError, parseMetadata, projectUrls } from '../../../src/pep/metadata';

// A requests-like METADATA (Metadata-Version 2.1, description in the body).
const REQUESTS = `Metadata-Version: 2.1
Name: requests
Version: 2.32.3
Summary: Python HTTP for Humans.
Home-page: https://requests.readthedocs.io
Author: Kenneth Reitz
Author-email: me@kennethreitz.org
License: Apache-2.0
Project-URL: Documentation, https://requests.readthedocs.io
Project-URL: Source, https://github.com/psf/requests
Classifier: Development Status :: 5 - Production/Stable
Classifier: Programming Language :: Python :: 3
Requires-Python: >=3.8
Description-Content-Type: text/markdown
License-File: LICENSE
Requires-Dist: charset-normalizer<4,>=2
Requires-Dist: idna<4,>=2.5
Requires-Dist: urllib3<3,>=1.21.1
Requires-Dist: certifi>=2017.4.17
Provides-Extra: socks
Requires-Dist: PySocks!=1.5.7,>=1.5.6; extra == "socks"
Provides-Extra: use_chardet_on_py3
Requires-Dist: chardet<6,>=3.0.2; extra == "use-chardet-on-py3"

# Requests

**Requests** is a simple, yet elegant, HTTP library.

\`\`\`python
>>> import requests
\`\`\`
`;

describe('parseMetadata', () => {
  it('reads a requests-like METADATA', () => {
    const m = parseMetadata(REQUESTS);
    expect(m.metadataVersion).toBe('2.1');
    expect(m.name).toBe('requests');
    expect(m.version.toString()).toBe('2.32.3');
    expect(m.summary).toBe('Python HTTP for Humans.');
    expect(m.requiresPython?.contains('3.14.2')).toBe(true);
    expect(m.requiresPython?.contains('3.7')).toBe(false);
    expect(m.requiresDist.map((r) => r.name)).toEqual(['charset-normalizer', 'idna', 'urllib3', 'certifi', 'PySocks', 'chardet']);
    const socks = m.requiresDist[4]!;
    expect(socks.marker?.evaluate({ python_version: '3.14' }, 'socks')).toBe(true);
    expect(socks.marker?.evaluate({ python_version: '3.14' }, '')).toBe(false);
    expect(m.providesExtra).toEqual(['socks', 'use-chardet-on-py3']);
    expect(m.fields.get('classifier')).toEqual(['Development Status :: 5 - Production/Stable', 'Programming Language :: Python :: 3']);
    expect(m.fields.get('license-file')).toEqual(['LICENSE']);
    expect(projectUrls(m)).toEqual([
      ['Documentation', 'https://requests.readthedocs.io'],
      ['Source', 'https://github.com/psf/requests'],
    ]);
    expect(m.description).toBe('# Requests\n\n**Requests** is a simple, yet elegant, HTTP library.\n\n```python\n>>> import requests\n```\n');
    expect(m.warnings).toEqual([]);
  });

  it('reads a Metadata-Version 1.0 PKG-INFO with a folded Description (8-space indent)', () => {
    const m = parseMetadata(
      [
        'Metadata-Version: 1.0',
        'Name: simplejson',
        'Version: 2.0.9',
        'Summary: Simple, fast, extensible JSON encoder/decoder for Python',
        'Home-page: http://undefined.org/python/#simplejson',
        'Author: Bob Ippolito',
        'License: MIT License',
        'Description: simplejson is a simple, fast, complete, correct and extensible',
        '        JSON <http://json.org> encoder and decoder for Python 2.4+.',
        '        ',
        '            indented code',
        'Platform: any',
        '',
      ].join('\n'),
    );
    expect(m.metadataVersion).toBe('1.0');
    expect(m.requiresDist).toEqual([]);
    expect(m.requiresPython).toBeNull();
    expect(m.providesExtra).toEqual([]);
    expect(m.description).toBe(
      'simplejson is a simple, fast, complete, correct and extensible\nJSON <http://json.org> encoder and decoder for Python 2.4+.\n\n    indented code',
    );
    expect(m.fields.get('platform')).toEqual(['any']);
  });

  it("strips the spec's `|` continuation prefix of a Description field", () => {
    const m = parseMetadata(
      'Metadata-Version: 1.2\nName: x\nVersion: 1\nDescription: First line\n        |\n        |    code block\n        |last\n',
    );
    expect(m.description).toBe('First line\n\n    code block\nlast');
  });

  it('reads a 2.4 file with License-Expression, License-File, Dynamic', () => {
    const m = parseMetadata(
      [
        'Metadata-Version: 2.4',
        'Name: Foo.Bar',
        'Version: 1.0rc1',
        'License-Expression: MIT OR Apache-2.0',
        'License-File: LICENSE-MIT',
        'License-File: LICENSE-APACHE',
        'Dynamic: Requires-Dist',
        'Provides-Extra: Dev_Tools',
        'Provides-Extra: dev-tools',
        'Requires-Dist: pytest[testing]>=8; extra == "dev-tools"',
        '',
        'Body.',
      ].join('\r\n'),
    );
    expect(m.name).toBe('Foo.Bar');
    expect(m.version.isPrerelease).toBe(true);
    expect(m.fields.get('license-expression')).toEqual(['MIT OR Apache-2.0']);
    expect(m.fields.get('license-file')).toEqual(['LICENSE-MIT', 'LICENSE-APACHE']);
    expect(m.fields.get('dynamic')).toEqual(['Requires-Dist']);
    expect(m.providesExtra).toEqual(['dev-tools']);
    expect(m.requiresDist[0]?.extras).toEqual(['testing']);
    expect(m.description).toBe('Body.');
  });

  it('unfolds continuation lines of other fields and matches names case-insensitively', () => {
    const m = parseMetadata('metadata-version: 2.1\nNAME: x\nversion: 1.0\nSummary: a long\n  summary\nRequires-Dist: foo>=1;\n  python_version < "3.99"\n');
    expect(m.summary).toBe('a long  summary');
    expect(m.requiresDist[0]?.toString()).toBe('foo>=1; python_version < "3.99"');
  });

  it('has no description when the body is empty', () => {
    expect(parseMetadata('Metadata-Version: 2.1\nName: x\nVersion: 1\n\n').description).toBeNull();
    expect(parseMetadata('Metadata-Version: 2.1\nName: x\nVersion: 1').description).toBeNull();
  });

  it('treats a line that is no header as the start of the body, like the email parser', () => {
    const m = parseMetadata('Metadata-Version: 2.1\nName: x\nVersion: 1\nthis is not a header\nmore');
    expect(m.description).toBe('this is not a header\nmore');
  });

  it('keeps an invalid Requires-Python as a warning, as pip does', () => {
    const m = parseMetadata('Metadata-Version: 2.1\nName: x\nVersion: 1\nRequires-Python: >=3.6.*\n');
    expect(m.requiresPython).toBeNull();
    expect(m.warnings).toHaveLength(1);
    expect(m.warnings?.[0]).toMatch(/^Package 'x' has an invalid Requires-Python: /);
  });
});

describe('MetadataError', () => {
  function error(text: string): MetadataError {
    try {
      parseMetadata(text);
    } catch (e) {
      expect(e).toBeInstanceOf(MetadataError);
      return e as MetadataError;
    }
    throw new Error('no error');
  }

  it('names a missing Name', () => {
    const e = error('Metadata-Version: 2.1\nVersion: 1.0\n');
    expect(e.field).toBe('Name');
    expect(e.value).toBeNull();
    expect(e.message).toBe("Metadata field 'Name' is missing; it is required in every METADATA / PKG-INFO file");
  });

  it('names a missing Version and Metadata-Version', () => {
    expect(error('Metadata-Version: 2.1\nName: x\n').field).toBe('Version');
    expect(error('Name: x\nVersion: 1\n').field).toBe('Metadata-Version');
  });

  it('names an invalid Version with its value', () => {
    const e = error('Metadata-Version: 2.1\nName: x\nVersion: 1.0-beta-final\n');
    expect(e.field).toBe('Version');
    expect(e.value).toBe('1.0-beta-final');
    expect(e.message).toMatch(/^Metadata field 'Version' has an invalid value '1\.0-beta-final': /);
  });

  it('names an invalid Requires-Dist with its value and a caret', () => {
    const e = error('Metadata-Version: 2.1\nName: x\nVersion: 1\nRequires-Dist: idna\nRequires-Dist: foo==\n');
    expect(e.field).toBe('Requires-Dist');
    expect(e.value).toBe('foo==');
    expect(e.code).toBe('invalid-metadata');
    const lines = e.message.split('\n');
    expect(lines[0]).toMatch(/^Metadata field 'Requires-Dist' has an invalid value 'foo==': /);
    expect(lines[1]).toBe('    foo==');
    expect(lines[2]).toMatch(/^ {4} *\^+$/);
  });

  it('rejects an invalid Name and a repeated single field', () => {
    expect(error('Metadata-Version: 2.1\nName: -x-\nVersion: 1\n').field).toBe('Name');
    const e = error('Metadata-Version: 2.1\nName: x\nName: y\nVersion: 1\n');
    expect(e.message).toBe("Metadata field 'Name' appears 2 times ('x', 'y'); it may appear once");
  });
});
