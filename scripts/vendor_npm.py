"""Vendor JavaScript packages from the npm registry into static/vendor/ (`make vendor`).

static/vendor/manifest.json pins each package's exact version, the registry's
`dist.integrity` (sha512 of the tarball) and the files to copy with their sha256. This
downloads https://registry.npmjs.org/<name>/-/<name>-<version>.tgz, refuses a tarball whose
sha512 differs, and writes only the listed files into static/vendor/<name>-<version>/,
refusing any whose sha256 differs from the manifest. The result is checked in, so running
and testing Flightline never needs the network; tests/test_vendor.py checks it offline.

    python scripts/vendor_npm.py            # re-create static/vendor/ byte for byte
    python scripts/vendor_npm.py --check    # offline: the files on disk match the manifest
    python scripts/vendor_npm.py --record   # after pinning a new version: record its hashes

Python only (no node or npm), so a fresh machine can run it.
"""

import argparse
import base64
import hashlib
import io
import json
import shutil
import sys
import tarfile
import urllib.request
from pathlib import Path

VENDOR_DIR = Path(__file__).resolve().parent.parent / "static" / "vendor"
MANIFEST = VENDOR_DIR / "manifest.json"
REGISTRY = "https://registry.npmjs.org"
TIMEOUT_SECONDS = 60


def load_manifest() -> list[dict]:
    return json.loads(MANIFEST.read_text())["packages"]


def package_dir(package: dict) -> Path:
    return VENDOR_DIR / f"{package['name']}-{package['version']}"


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def tarball_url(package: dict) -> str:
    # Scoped packages (@scope/name) keep only the bare name in the tarball's file name.
    bare = package["name"].rsplit("/", 1)[-1]
    return f"{REGISTRY}/{package['name']}/-/{bare}-{package['version']}.tgz"


def integrity_matches(data: bytes, integrity: str) -> bool:
    algorithm, _, expected = integrity.partition("-")
    if algorithm != "sha512":
        raise SystemExit(f"Only sha512 integrity is accepted, not {algorithm!r}.")
    return base64.b64encode(hashlib.sha512(data).digest()).decode() == expected


def download(package: dict) -> bytes:
    url = tarball_url(package)
    with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (fixed https URL)
        data = response.read()
    if not integrity_matches(data, package["integrity"]):
        raise SystemExit(f"{url}: the tarball does not match the manifest's integrity; refusing it.")
    return data


def extract(package: dict, tarball: bytes) -> dict[str, bytes]:
    """The listed files' contents (npm tarballs put everything under package/)."""
    contents = {}
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        for path in package["files"]:
            member = archive.getmember(f"package/{path}")
            if not member.isfile():
                raise SystemExit(f"{package['name']}: {path} is not a regular file in the tarball.")
            contents[path] = archive.extractfile(member).read()
    return contents


def vendor(package: dict, *, record: bool) -> None:
    contents = extract(package, download(package))
    for path, data in contents.items():
        expected = package["files"][path]
        if record:
            package["files"][path] = sha256_of(data)
        elif sha256_of(data) != expected:
            raise SystemExit(f"{package['name']}: {path} differs from the manifest's sha256; refusing it.")
    target = package_dir(package)
    shutil.rmtree(target, ignore_errors=True)
    for path, data in contents.items():
        (target / path).parent.mkdir(parents=True, exist_ok=True)
        (target / path).write_bytes(data)
    print(f"{package['name']}@{package['version']}: {len(contents)} files in {target}")


def check(packages: list[dict]) -> list[str]:
    """Problems with the files on disk: missing, changed, or present but not in the manifest."""
    problems = []
    listed = set()
    for package in packages:
        for path, expected in package["files"].items():
            file = package_dir(package) / path
            listed.add(file)
            if not file.is_file():
                problems.append(f"{file}: missing (run `make vendor`)")
            elif sha256_of(file.read_bytes()) != expected:
                problems.append(f"{file}: sha256 differs from the manifest")
    for file in VENDOR_DIR.rglob("*"):
        if file.is_file() and file != MANIFEST and file not in listed:
            problems.append(f"{file}: not in the manifest")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="offline: compare the files on disk with the manifest")
    mode.add_argument("--record", action="store_true", help="write the downloaded files' sha256 into the manifest")
    args = parser.parse_args()
    packages = load_manifest()
    if args.check:
        problems = check(packages)
        print("\n".join(problems) or "static/vendor matches the manifest.")
        sys.exit(1 if problems else 0)
    for package in packages:
        vendor(package, record=args.record)
    if args.record:
        manifest = json.loads(MANIFEST.read_text())
        manifest["packages"] = packages
        MANIFEST.write_text(json.dumps(manifest, indent=2) + "\n")


if __name__ == "__main__":
    main()
