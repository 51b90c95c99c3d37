/**
 * A wheelhouse of tiny wheels for tests that install Python requirements without PyPI: each wheel
 * is a real one (a zip with `<name>-<version>.dist-info/{METADATA,WHEEL,RECORD}`, hashes in RECORD)
 * written by Python's own `zipfile`, tagged for any platform — `py3-none-any` for pure Python, or a
 * Linux platform tag, so a test sees that the right platform's wheel was chosen.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

export interface TinyWheel {
  /** Distribution and import name (letters, digits, _). */
  name: string;
  version?: string;
  /** @default 'py3-none-any' */
  tag?: string;
  /** Files inside the package, by path relative to it; `__init__.py` gets a `WHEEL_TAG` constant. */
  files?: Record<string, string>;
}

const WRITE_WHEELS = `
import base64, hashlib, json, os, sys, zipfile
out, wheels = sys.argv[1], json.loads(sys.argv[2])
for wheel in wheels:
    name, version, tag = wheel["name"], wheel.get("version", "1.0.0"), wheel.get("tag", "py3-none-any")
    info = f"{name}-{version}.dist-info"
    files = {f"{name}/{path}": text for path, text in wheel.get("files", {}).items()}
    files.setdefault(f"{name}/__init__.py", f"WHEEL_TAG = {tag!r}\\n")
    files[f"{info}/METADATA"] = f"Metadata-Version: 2.1\\nName: {name}\\nVersion: {version}\\n"
    files[f"{info}/WHEEL"] = f"Wheel-Version: 1.0\\nGenerator: gatehouse-tests\\nRoot-Is-Purelib: {'true' if tag.endswith('-any') else 'false'}\\nTag: {tag}\\n"
    record = []
    for path, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(text.encode())}")
    record.append(f"{info}/RECORD,,")
    files[f"{info}/RECORD"] = "\\n".join(record) + "\\n"
    with zipfile.ZipFile(os.path.join(out, f"{name}-{version}-{tag}.whl"), "w") as archive:
        for path, text in files.items():
            archive.writestr(path, text)
`;

/** Writes the wheels into `dir` (created) and returns it, for `PIP_FIND_LINKS` with `PIP_NO_INDEX`. */
export function buildWheelhouse(dir: string, wheels: readonly TinyWheel[], python = 'python3'): string {
  mkdirSync(dir, { recursive: true });
  execFileSync(python, ['-c', WRITE_WHEELS, dir, JSON.stringify(wheels)], { stdio: ['ignore', 'ignore', 'pipe'] });
  return dir;
}
