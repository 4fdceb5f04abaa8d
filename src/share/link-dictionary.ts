/**
 * The fixed dictionary of share links of format v2: tokens a link names by number (an index
 * URL, a wheel's tag set), and the preset dictionary its DEFLATE stream starts from (RFC 1951
 * back-references into text both sides already hold: popular project names, Pyodide's tags,
 * what a main.py begins with).
 *
 * A v2 link decodes only with these exact bytes and lists: never edit, reorder or extend them.
 * A better dictionary is a new format (v3), read beside this one.
 */

/** Index URLs by number (1-based in a link; 0 means the URL is written out). */
export const INDEX_TOKENS: readonly string[] = ['https://pypi.org/simple/'];

/**
 * A wheel's tag set (the file name's last three fields) by number (1-based; 0: written out).
 * The platform tags are Pyodide 314's (PEP 783, and the two older spellings it accepts).
 */
export const TAG_TOKENS: readonly string[] = [
  'py3-none-any',
  'py2.py3-none-any',
  'cp314-cp314-pyemscripten_2026_0_wasm32',
  'cp314-cp314-pyodide_2026_0_wasm32',
  'cp314-cp314-emscripten_5_0_3_wasm32',
  'py3-none-pyemscripten_2026_0_wasm32',
];

/**
 * Project names among the most downloaded from PyPI, and Pyodide's own, in the spelling a
 * lock carries (METADATA's). The most likely last: DEFLATE reaches the end of a dictionary
 * with the shortest distances.
 */
const NAMES = [
  'zipp', 'importlib-metadata', 'tomli', 'exceptiongroup', 'iniconfig', 'pluggy', 'pytest', 'coverage', 'mock',
  'greenlet', 'SQLAlchemy', 'alembic', 'Mako', 'psycopg2-binary', 'redis', 'celery', 'kombu', 'vine', 'amqp', 'billiard',
  'Django', 'asgiref', 'sqlparse', 'djangorestframework', 'gunicorn', 'uvicorn', 'fastapi', 'starlette', 'websockets',
  'httpx', 'httpcore', 'h11', 'anyio', 'sniffio', 'aiohttp', 'aiosignal', 'frozenlist', 'multidict', 'yarl', 'propcache',
  'aiohappyeyeballs', 'async-timeout', 'boto3', 'botocore', 's3transfer', 'jmespath', 'awscli', 'rsa', 'pyasn1',
  'pyasn1-modules', 'cachetools', 'google-auth', 'google-api-core', 'googleapis-common-protos', 'protobuf', 'grpcio',
  'cryptography', 'cffi', 'pycparser', 'PyJWT', 'oauthlib', 'requests-oauthlib', 'isodate', 'lxml', 'openpyxl',
  'et-xmlfile', 'beautifulsoup4', 'soupsieve', 'html5lib', 'webencodings', 'bleach', 'tinycss2', 'docutils', 'Sphinx',
  'babel', 'snowballstemmer', 'imagesize', 'alabaster', 'tqdm', 'regex', 'tokenizers', 'filelock', 'fsspec',
  'platformdirs', 'virtualenv', 'distlib', 'tomlkit', 'shellingham', 'typer', 'wrapt', 'decorator', 'more-itertools',
  'sortedcontainers', 'tzdata', 'pytz', 'psutil', 'pyparsing', 'cycler', 'kiwisolver', 'fonttools', 'contourpy',
  'matplotlib', 'pillow', 'scipy', 'scikit-learn', 'joblib', 'threadpoolctl', 'networkx', 'mpmath', 'sympy', 'pyarrow',
  'pandas', 'numpy', 'PyYAML', 'setuptools', 'wheel', 'pip', 'Werkzeug', 'itsdangerous', 'blinker', 'Flask',
  'jsonschema', 'jsonschema-specifications', 'referencing', 'rpds-py', 'pydantic-core', 'pydantic', 'annotated-types',
  'typing-extensions', 'typing_extensions', 'pygments', 'markdown-it-py', 'mdurl', 'rich', 'click', 'colorama', 'MarkupSafe',
  'Jinja2', 'attrs', 'packaging', 'python-dateutil', 'six', 'charset-normalizer', 'certifi', 'idna', 'urllib3', 'requests',
];

/** The preset DEFLATE dictionary of v2 links (UTF-8 of this text). */
export const DEFLATE_DICTIONARY: Uint8Array = new TextEncoder().encode(
  [
    'https://cdn.jsdelivr.net/pyodide/v314.0.7/full/ https://files.pythonhosted.org/packages/ https://pypi.org/simple/',
    'requirements.txt README.md data.csv app.py main.py',
    'import numpy as np\nimport pandas as pd\nimport matplotlib.pyplot as plt\n',
    'def main():\n    \nif __name__ == "__main__":\n    main()\n',
    'from . import \nprint(',
    ...NAMES,
    'pyemscripten_2026_0_wasm32 314.0.7 3.14.2',
  ].join(' '),
);
