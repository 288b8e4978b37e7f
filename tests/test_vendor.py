"""The vendored npm packages (static/vendor/, made by scripts/vendor_npm.py) match their
manifest, offline; and nothing in the templates loads a script or style from another host."""

import base64
import hashlib
import importlib.util
import io
import re
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("vendor_npm", ROOT / "scripts" / "vendor_npm.py")
vendor_npm = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(vendor_npm)


def test_every_vendored_file_matches_the_manifest():
    assert vendor_npm.check(vendor_npm.load_manifest()) == []


def test_the_manifest_pins_exact_versions_sha512_and_licenses():
    packages = {p["name"]: p for p in vendor_npm.load_manifest()}
    assert set(packages) == {"leaflet", "axe-core"}
    assert packages["leaflet"]["version"].startswith("1.9.")
    assert packages["axe-core"]["version"].startswith("4.")
    for package in packages.values():
        assert re.fullmatch(r"\d+\.\d+\.\d+", package["version"])
        assert package["integrity"].startswith("sha512-")
        assert "LICENSE" in package["files"]
        assert all(re.fullmatch(r"[0-9a-f]{64}", sha) for sha in package["files"].values())
    assert {"dist/leaflet.js", "dist/leaflet.css", "dist/images/marker-icon.png"} <= set(packages["leaflet"]["files"])
    assert "axe.min.js" in packages["axe-core"]["files"]


def test_a_changed_file_is_reported(tmp_path, monkeypatch):
    package = {"name": "demo", "version": "1.0.0", "integrity": "", "files": {"a.js": vendor_npm.sha256_of(b"ok")}}
    monkeypatch.setattr(vendor_npm, "VENDOR_DIR", tmp_path)
    monkeypatch.setattr(vendor_npm, "MANIFEST", tmp_path / "manifest.json")
    (tmp_path / "demo-1.0.0").mkdir()
    (tmp_path / "demo-1.0.0" / "a.js").write_bytes(b"ok")
    assert vendor_npm.check([package]) == []
    (tmp_path / "demo-1.0.0" / "a.js").write_bytes(b"tampered")
    (tmp_path / "demo-1.0.0" / "extra.js").write_bytes(b"")
    problems = vendor_npm.check([package])
    assert [p.split(": ", 1)[1] for p in problems] == ["sha256 differs from the manifest", "not in the manifest"]


def _tarball(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def test_a_tarball_with_the_wrong_integrity_is_refused(monkeypatch):
    tarball = _tarball({"a.js": b"ok"})
    good = "sha512-" + base64.b64encode(hashlib.sha512(tarball).digest()).decode()
    assert vendor_npm.integrity_matches(tarball, good)
    assert not vendor_npm.integrity_matches(tarball + b"x", good)

    class Response(io.BytesIO):
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(vendor_npm.urllib.request, "urlopen", lambda url, timeout: Response(tarball + b"x"))
    with pytest.raises(SystemExit, match="integrity"):
        vendor_npm.download({"name": "demo", "version": "1.0.0", "integrity": good})


def test_only_the_listed_files_are_extracted():
    tarball = _tarball({"dist/a.js": b"a", "dist/b.js": b"b", "LICENSE": b"MIT"})
    package = {"name": "demo", "files": {"dist/a.js": "", "LICENSE": ""}}
    assert vendor_npm.extract(package, tarball) == {"dist/a.js": b"a", "LICENSE": b"MIT"}


def test_the_tarball_url_is_the_registry_one():
    assert vendor_npm.tarball_url({"name": "leaflet", "version": "1.9.4"}) == \
        "https://registry.npmjs.org/leaflet/-/leaflet-1.9.4.tgz"


REMOTE_ASSET = re.compile(r"""<(script|link)\b[^>]*\b(src|href)\s*=\s*["']?(https?:)?//""", re.I)


def test_no_template_loads_a_script_or_style_from_another_host():
    offenders = [str(path.relative_to(ROOT)) for path in (ROOT / "templates").rglob("*.html")
                 if REMOTE_ASSET.search(path.read_text())]
    assert offenders == []
    assert REMOTE_ASSET.search('<script src="https://unpkg.com/leaflet.js"></script>')
    assert REMOTE_ASSET.search('<link rel="stylesheet" href="//cdn.example/x.css">')


def test_every_source_map_a_static_file_names_is_there():
    """The production storage (whitenoise's manifest) follows `sourceMappingURL` comments at
    collectstatic and stops on one whose file is missing: `make serve` could not start when
    leaflet.js named a leaflet.js.map that was not vendored."""
    named = []
    for path in (ROOT / "static").rglob("*"):
        if path.suffix in (".js", ".css") and path.is_file():
            for target in re.findall(r"sourceMappingURL=([^\s*]+)", path.read_text(errors="replace")):
                named.append((path, path.parent / target))
    assert named, "leaflet.js names its source map"
    assert [str(target) for _, target in named if not target.is_file()] == []


def test_the_manifest_storage_post_processes_leaflet(tmp_path):
    from django.contrib.staticfiles.storage import ManifestStaticFilesStorage

    storage = ManifestStaticFilesStorage(location=tmp_path)
    for path in (ROOT / "static").rglob("*"):
        if path.is_file():
            with path.open("rb") as handle:
                storage.save(str(path.relative_to(ROOT / "static")), handle)
    dist = "vendor/leaflet-1.9.4/dist"
    paths = {f"{dist}/{name}": (storage, f"{dist}/{name}") for name in storage.listdir(dist)[1]}
    errors = [processed for _, _, processed in storage.post_process(paths) if isinstance(processed, Exception)]
    assert errors == []
