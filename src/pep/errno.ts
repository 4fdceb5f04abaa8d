/**
 * Filesystem errors in words. Pyodide's filesystem is Emscripten's: it throws `FS.ErrnoError`
 * objects that are not `Error`s and carry only an errno number, in Emscripten's own numbering
 * (WASI's: ENOENT is 44, not Linux's 2). Printed as they are, they read `[object Object]`.
 * This is the one place that turns such an error (or Node's `{ code: 'ENOENT' }`) into what a
 * person on Linux reads: strerror's text (`No such file or directory`) and, where Python's
 * OSError is being reproduced (pip's messages), `[Errno 2] No such file or directory: 'x'`
 * with Linux's number, as pip prints it.
 *
 * The table: Emscripten's `ERRNO_CODES` (read from the bundled Pyodide) against CPython's
 * `errno` module and glibc's `strerror` on Linux.
 */
import { pyRepr } from './python-repr';

/** One errno: its symbolic name, Linux's number for it, and glibc's strerror text. */
export interface Errno {
  readonly code: string;
  readonly errno: number;
  readonly message: string;
}

// Emscripten errno -> [name, Linux errno, strerror]. Ex) 44 -> ENOENT, 2, "No such file or directory".
const EMSCRIPTEN: ReadonlyMap<number, readonly [string, number, string]> = new Map([
  [1, ['E2BIG', 7, "Argument list too long"]],
  [2, ['EACCES', 13, "Permission denied"]],
  [3, ['EADDRINUSE', 98, "Address already in use"]],
  [4, ['EADDRNOTAVAIL', 99, "Cannot assign requested address"]],
  [5, ['EAFNOSUPPORT', 97, "Address family not supported by protocol"]],
  [6, ['EAGAIN', 11, "Resource temporarily unavailable"]],
  [7, ['EALREADY', 114, "Operation already in progress"]],
  [8, ['EBADF', 9, "Bad file descriptor"]],
  [9, ['EBADMSG', 74, "Bad message"]],
  [10, ['EBUSY', 16, "Device or resource busy"]],
  [11, ['ECANCELED', 125, "Operation canceled"]],
  [12, ['ECHILD', 10, "No child processes"]],
  [13, ['ECONNABORTED', 103, "Software caused connection abort"]],
  [14, ['ECONNREFUSED', 111, "Connection refused"]],
  [15, ['ECONNRESET', 104, "Connection reset by peer"]],
  [16, ['EDEADLK', 35, "Resource deadlock avoided"]],
  [17, ['EDESTADDRREQ', 89, "Destination address required"]],
  [18, ['EDOM', 33, "Numerical argument out of domain"]],
  [19, ['EDQUOT', 122, "Disk quota exceeded"]],
  [20, ['EEXIST', 17, "File exists"]],
  [21, ['EFAULT', 14, "Bad address"]],
  [22, ['EFBIG', 27, "File too large"]],
  [23, ['EHOSTUNREACH', 113, "No route to host"]],
  [24, ['EIDRM', 43, "Identifier removed"]],
  [25, ['EILSEQ', 84, "Invalid or incomplete multibyte or wide character"]],
  [26, ['EINPROGRESS', 115, "Operation now in progress"]],
  [27, ['EINTR', 4, "Interrupted system call"]],
  [28, ['EINVAL', 22, "Invalid argument"]],
  [29, ['EIO', 5, "Input/output error"]],
  [30, ['EISCONN', 106, "Transport endpoint is already connected"]],
  [31, ['EISDIR', 21, "Is a directory"]],
  [32, ['ELOOP', 40, "Too many levels of symbolic links"]],
  [33, ['EMFILE', 24, "Too many open files"]],
  [34, ['EMLINK', 31, "Too many links"]],
  [35, ['EMSGSIZE', 90, "Message too long"]],
  [36, ['EMULTIHOP', 72, "Multihop attempted"]],
  [37, ['ENAMETOOLONG', 36, "File name too long"]],
  [38, ['ENETDOWN', 100, "Network is down"]],
  [39, ['ENETRESET', 102, "Network dropped connection on reset"]],
  [40, ['ENETUNREACH', 101, "Network is unreachable"]],
  [41, ['ENFILE', 23, "Too many open files in system"]],
  [42, ['ENOBUFS', 105, "No buffer space available"]],
  [43, ['ENODEV', 19, "No such device"]],
  [44, ['ENOENT', 2, "No such file or directory"]],
  [45, ['ENOEXEC', 8, "Exec format error"]],
  [46, ['ENOLCK', 37, "No locks available"]],
  [47, ['ENOLINK', 67, "Link has been severed"]],
  [48, ['ENOMEM', 12, "Cannot allocate memory"]],
  [49, ['ENOMSG', 42, "No message of desired type"]],
  [50, ['ENOPROTOOPT', 92, "Protocol not available"]],
  [51, ['ENOSPC', 28, "No space left on device"]],
  [52, ['ENOSYS', 38, "Function not implemented"]],
  [53, ['ENOTCONN', 107, "Transport endpoint is not connected"]],
  [54, ['ENOTDIR', 20, "Not a directory"]],
  [55, ['ENOTEMPTY', 39, "Directory not empty"]],
  [56, ['ENOTRECOVERABLE', 131, "State not recoverable"]],
  [57, ['ENOTSOCK', 88, "Socket operation on non-socket"]],
  [59, ['ENOTTY', 25, "Inappropriate ioctl for device"]],
  [60, ['ENXIO', 6, "No such device or address"]],
  [61, ['EOVERFLOW', 75, "Value too large for defined data type"]],
  [62, ['EOWNERDEAD', 130, "Owner died"]],
  [63, ['EPERM', 1, "Operation not permitted"]],
  [64, ['EPIPE', 32, "Broken pipe"]],
  [65, ['EPROTO', 71, "Protocol error"]],
  [66, ['EPROTONOSUPPORT', 93, "Protocol not supported"]],
  [67, ['EPROTOTYPE', 91, "Protocol wrong type for socket"]],
  [68, ['ERANGE', 34, "Numerical result out of range"]],
  [69, ['EROFS', 30, "Read-only file system"]],
  [70, ['ESPIPE', 29, "Illegal seek"]],
  [71, ['ESRCH', 3, "No such process"]],
  [72, ['ESTALE', 116, "Stale file handle"]],
  [73, ['ETIMEDOUT', 110, "Connection timed out"]],
  [74, ['ETXTBSY', 26, "Text file busy"]],
  [75, ['EXDEV', 18, "Invalid cross-device link"]],
  [100, ['ENOSTR', 60, "Device not a stream"]],
  [101, ['EBFONT', 59, "Bad font file format"]],
  [102, ['EBADSLT', 57, "Invalid slot"]],
  [103, ['EBADRQC', 56, "Invalid request code"]],
  [104, ['ENOANO', 55, "No anode"]],
  [105, ['ENOTBLK', 15, "Block device required"]],
  [106, ['ECHRNG', 44, "Channel number out of range"]],
  [107, ['EL3HLT', 46, "Level 3 halted"]],
  [108, ['EL3RST', 47, "Level 3 reset"]],
  [109, ['ELNRNG', 48, "Link number out of range"]],
  [110, ['EUNATCH', 49, "Protocol driver not attached"]],
  [111, ['ENOCSI', 50, "No CSI structure available"]],
  [112, ['EL2HLT', 51, "Level 2 halted"]],
  [113, ['EBADE', 52, "Invalid exchange"]],
  [114, ['EBADR', 53, "Invalid request descriptor"]],
  [115, ['EXFULL', 54, "Exchange full"]],
  [116, ['ENODATA', 61, "No data available"]],
  [117, ['ETIME', 62, "Timer expired"]],
  [118, ['ENOSR', 63, "Out of streams resources"]],
  [119, ['ENONET', 64, "Machine is not on the network"]],
  [120, ['ENOPKG', 65, "Package not installed"]],
  [121, ['EREMOTE', 66, "Object is remote"]],
  [122, ['EADV', 68, "Advertise error"]],
  [123, ['ESRMNT', 69, "Srmount error"]],
  [124, ['ECOMM', 70, "Communication error on send"]],
  [125, ['EDOTDOT', 73, "RFS specific error"]],
  [126, ['ENOTUNIQ', 76, "Name not unique on network"]],
  [127, ['EBADFD', 77, "File descriptor in bad state"]],
  [128, ['EREMCHG', 78, "Remote address changed"]],
  [129, ['ELIBACC', 79, "Can not access a needed shared library"]],
  [130, ['ELIBBAD', 80, "Accessing a corrupted shared library"]],
  [131, ['ELIBSCN', 81, ".lib section in a.out corrupted"]],
  [132, ['ELIBMAX', 82, "Attempting to link in too many shared libraries"]],
  [133, ['ELIBEXEC', 83, "Cannot exec a shared library directly"]],
  [135, ['ESTRPIPE', 86, "Streams pipe error"]],
  [136, ['EUSERS', 87, "Too many users"]],
  [137, ['ESOCKTNOSUPPORT', 94, "Socket type not supported"]],
  [138, ['EOPNOTSUPP', 95, "Operation not supported"]],
  [139, ['EPFNOSUPPORT', 96, "Protocol family not supported"]],
  [140, ['ESHUTDOWN', 108, "Cannot send after transport endpoint shutdown"]],
  [141, ['ETOOMANYREFS', 109, "Too many references: cannot splice"]],
  [142, ['EHOSTDOWN', 112, "Host is down"]],
  [148, ['ENOMEDIUM', 123, "No medium found"]],
  [156, ['EL2NSYNC', 45, "Level 2 not synchronized"]],
]);

const BY_CODE: ReadonlyMap<string, Errno> = new Map([...EMSCRIPTEN.values()].map(([code, errno, message]) => [code, { code, errno, message }]));

/** Emscripten's number for an errno name (to throw `new FS.ErrnoError(n)`). Ex) 'ENOENT' -> 44 */
export function emscriptenErrno(code: string): number {
  for (const [n, [name]] of EMSCRIPTEN) if (name === code) return n;
  throw new RangeError(`unknown errno name ${code}`);
}

/**
 * The errno a thrown value carries, or null: Emscripten's ErrnoError (a positive `errno`),
 * Node's system errors (`code: 'ENOENT'`; their `errno` is negative), and plain objects
 * shaped like either.
 */
export function errnoOf(error: unknown): Errno | null {
  if (typeof error !== 'object' || error === null) return null;
  const { code, errno } = error as { code?: unknown; errno?: unknown };
  if (typeof code === 'string' && BY_CODE.has(code)) return BY_CODE.get(code)!;
  if (typeof errno === 'number' && errno > 0) {
    const row = EMSCRIPTEN.get(errno);
    return row ? { code: row[0], errno: row[1], message: row[2] } : { code: `E${errno}`, errno, message: `Unknown error ${errno}` };
  }
  return null;
}

/**
 * What went wrong, in the words a Linux tool prints after the file's name: strerror's text for
 * a filesystem error, else the error's own message. Never `[object Object]`.
 * Ex) `cat: /dev/tty: ${describeFsError(e)}` -> `cat: /dev/tty: Operation not supported`
 */
export function describeFsError(error: unknown): string {
  const found = errnoOf(error);
  if (found) return found.message;
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null) {
    const { message, name } = error as { message?: unknown; name?: unknown };
    if (typeof message === 'string' && message !== '') return message;
    if (typeof name === 'string' && name !== '') return name;
  }
  return String(error);
}

/**
 * Python's `str(OSError)`, as pip prints it: `[Errno 2] No such file or directory: 'x.txt'`
 * (the file name as `repr()` shows it, when given); an error without errno is its message.
 */
export function describeOsError(error: unknown, path?: string): string {
  const found = errnoOf(error);
  if (!found) return describeFsError(error);
  return `[Errno ${found.errno}] ${found.message}${path !== undefined ? `: ${pyRepr(path)}` : ''}`;
}
