import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { jsonApiRootFor } from '../../../src/index/pypi-json';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { harness, requestsTo } from './helpers';

let server: IndexServer;
beforeAll(async () => {
  server = await startIndexServer({
    projects: [
      {
        name: 'Jinja2',
        version: '3.1.3',
        summary: 'A very fast and expressive template engine.',
        vulnerabilities: [
          {
            id: 'GHSA-h75v-3vvj-5mfj',
            aliases: ['CVE-2024-34064'],
            summary: 'Jinja vulnerable to HTML attribute injection',
            details: 'The xmlattr filter accepts keys containing non-attribute characters.',
            fixed_in: ['3.1.4'],
          },
        ],
      },
      {
        name: 'Jinja2',
        version: '3.1.4',
        summary: 'A very fast and expressive template engine.',
        homePage: 'https://palletsprojects.com/p/jinja/',
        license: 'BSD-3-Clause',
        requiresPython: '>=3.7',
        projectUrls: { Source: 'https://github.com/pallets/jinja/' },
      },
    ],
  });
});
afterAll(() => server.close());
beforeEach(() => server.resetRequests());

describe('PyPI JSON API (project info for the UI)', () => {
  it('derives the API root from a simple index URL', () => {
    expect(jsonApiRootFor('https://pypi.org/simple/')).toBe('https://pypi.org/pypi/');
    expect(jsonApiRootFor('https://pypi.org/simple')).toBe('https://pypi.org/pypi/');
    expect(jsonApiRootFor('https://example.org/repo/')).toBeNull();
  });

  it('gives the latest release with summary, links and license', async () => {
    const { source } = harness(server);
    const info = await source.projectInfo('jinja2');
    expect(info).toMatchObject({
      name: 'Jinja2',
      version: '3.1.4',
      summary: 'A very fast and expressive template engine.',
      homePage: 'https://palletsprojects.com/p/jinja/',
      license: 'BSD-3-Clause',
      requiresPython: '>=3.7',
      projectUrls: { Source: 'https://github.com/pallets/jinja/' },
      yanked: false,
      vulnerabilities: [],
    });
    expect(requestsTo(server, /^\/pypi\//).map((r) => r.path)).toEqual(['/pypi/jinja2/json']);
  });

  it('gives the vulnerabilities of one version', async () => {
    const { source } = harness(server);
    const info = await source.projectInfo('Jinja2', { version: '3.1.3' });
    expect(info?.version).toBe('3.1.3');
    expect(info?.vulnerabilities).toEqual([
      {
        id: 'GHSA-h75v-3vvj-5mfj',
        aliases: ['CVE-2024-34064'],
        summary: 'Jinja vulnerable to HTML attribute injection',
        details: 'The xmlattr filter accepts keys containing non-attribute characters.',
        fixedIn: ['3.1.4'],
        link: 'https://osv.dev/vulnerability/GHSA-h75v-3vvj-5mfj',
        source: 'osv',
        withdrawn: null,
      },
    ]);
  });

  it('answers null for an unknown project, and caches answers for 10 minutes', async () => {
    const { source } = harness(server);
    expect(await source.projectInfo('no-such-thing')).toBeNull();
    await source.projectInfo('jinja2');
    await source.projectInfo('jinja2');
    expect(await source.projectInfo('no-such-thing')).toBeNull();
    expect(requestsTo(server, /^\/pypi\//)).toHaveLength(2);
  });

  it('reports a malformed answer as invalid-response', async () => {
    server.setFaults({ invalidJson: /^\/pypi\// });
    try {
      const { source } = harness(server);
      await expect(source.projectInfo('jinja2')).rejects.toMatchObject({ code: 'invalid-response' });
    } finally {
      server.setFaults({});
    }
  });

  it('answers null when no index has a JSON API', async () => {
    const { source } = harness(server, { indexUrls: [`${server.url}/other-layout/`] });
    expect(await source.projectInfo('jinja2')).toBeNull();
    expect(server.requests).toEqual([]);
  });
});
