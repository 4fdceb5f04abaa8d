/**
 * The distribution to offer when Python says `ModuleNotFoundError: No module named 'x'`.
 * Most projects install the module of their name; a few well-known ones don't, and pip can't
 * know which, so we keep the common ones (the import name is not the PyPI name).
 */
const DISTRIBUTION_OF_IMPORT: Readonly<Record<string, string>> = {
  yaml: 'pyyaml',
  PIL: 'pillow',
  sklearn: 'scikit-learn',
  bs4: 'beautifulsoup4',
  cv2: 'opencv-python',
  dateutil: 'python-dateutil',
  attr: 'attrs',
  jwt: 'pyjwt',
  magic: 'python-magic',
  Crypto: 'pycryptodome',
  dotenv: 'python-dotenv',
  google: 'protobuf',
  serial: 'pyserial',
  skimage: 'scikit-image',
  docx: 'python-docx',
  pptx: 'python-pptx',
};

/** Ex) "ModuleNotFoundError: No module named 'yaml'" -> { module: 'yaml', distribution: 'pyyaml' }; null when no such error. */
export function missingImport(errorText: string): { module: string; distribution: string } | null {
  const m = /ModuleNotFoundError: No module named '([^'.]+)(?:\.[^']*)?'/.exec(errorText);
  if (!m) return null;
  const module = m[1]!;
  return { module, distribution: DISTRIBUTION_OF_IMPORT[module] ?? module.replace(/_/g, '-').toLowerCase() };
}

/** Ex) "ModuleNotFoundError: No module named 'yaml'" -> "pyyaml"; null when no such error. */
export function missingDistribution(errorText: string): string | null {
  return missingImport(errorText)?.distribution ?? null;
}
