"""Packaging: the desktop entry, AppStream metainfo, icons, install/uninstall scripts, the
`pizhu` entry points and the self-test (from the source tree, and from a built bundle)."""

from __future__ import annotations

import configparser
import json
import os
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import reader
from reader.cli import selftest
from reader.cli.commands import files_to_open

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "packaging"
APP_ID = "io.github.pizhu.Pizhu"
DESKTOP = PKG / f"{APP_ID}.desktop"
METAINFO = PKG / f"{APP_ID}.metainfo.xml"
ICONS = ROOT / "resources" / "icons"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
BUNDLE = ROOT / "dist" / "pizhu" / "pizhu"


def _desktop_entry() -> configparser.SectionProxy:
    cp = configparser.ConfigParser(interpolation=None, strict=True)
    cp.optionxform = str  # keys are case-sensitive
    cp.read(DESKTOP, encoding="utf-8")
    return cp["Desktop Entry"]


def _list(value: str) -> list[str]:
    assert value.endswith(";"), f"{value!r}: a desktop-entry list ends with ';'"
    return value[:-1].split(";")


# ------------------------------------------------------------------ desktop entry and metainfo
def test_desktop_entry_keys() -> None:
    e = _desktop_entry()
    assert e["Type"] == "Application"
    assert e["Name"] == "Pizhu" and e["Name[zh_CN]"] == "批注"
    for key in ("GenericName", "Comment", "Keywords"):
        assert e[key] and e[f"{key}[zh_CN]"], key
    # files to import (several at once) and pizhu:// links to passages
    assert e["Exec"].split() == ["pizhu", "%U"]
    assert e["Icon"] == APP_ID
    assert e["Terminal"] == "false"
    mimes = _list(e["MimeType"])
    assert {"application/json", "text/plain", "text/markdown"} <= set(mimes)
    assert "x-scheme-handler/pizhu" in mimes
    assert "Office" in _list(e["Categories"])
    assert "微信" in _list(e["Keywords[zh_CN]"])


@pytest.mark.skipif(not shutil.which("desktop-file-validate"), reason="desktop-file-utils absent")
def test_desktop_entry_validates() -> None:
    r = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.strip() == "", r.stdout  # no warnings or hints either


def test_metainfo_elements() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("metadata_license") == "CC0-1.0"
    assert root.findtext("project_license") == "MIT"
    names = {n.get("{http://www.w3.org/XML/1998/namespace}lang"): n.text for n in root.iter("name")}
    assert names[None] == "Pizhu" and names["zh-CN"] == "批注"
    assert root.findtext("summary") and root.find("description/p") is not None
    launchable = root.find("launchable")
    assert launchable is not None and launchable.text == DESKTOP.name
    assert root.findtext("provides/binary") == "pizhu"
    mediatypes = {m.text for m in root.iter("mediatype")}
    file_types = {m for m in _list(_desktop_entry()["MimeType"]) if not m.startswith("x-scheme")}
    assert mediatypes == file_types
    assert root.find("content_rating") is not None
    releases = [r.get("version") for r in root.iter("release")]
    assert releases and releases[0] == reader.__version__  # newest release first


@pytest.mark.skipif(not shutil.which("appstreamcli"), reason="appstream absent")
def test_metainfo_validates() -> None:
    r = subprocess.run(
        ["appstreamcli", "validate", "--no-net", "--strict", str(METAINFO)],
        capture_output=True, text=True,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    issues = [ln for ln in r.stdout.splitlines() if ln[:2] in ("E:", "W:", "I:")]
    assert issues == []


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path}: not a PNG"
    return struct.unpack(">II", data[16:24])


def test_icons() -> None:
    svg = ET.parse(ICONS / "pizhu.svg").getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    assert not list(svg.iter("{http://www.w3.org/2000/svg}text")), "text needs a font: use paths"
    scalable = ICONS / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    assert scalable.read_bytes() == (ICONS / "pizhu.svg").read_bytes()
    for size in ICON_SIZES:
        png = ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        assert _png_size(png) == (size, size)


# ------------------------------------------------------------------ install.sh / uninstall.sh
FAKE_PIZHU = """#!/bin/sh
echo "pizhu fake-bundle $*"
"""


@pytest.fixture
def tarball_dir(tmp_path: Path) -> Path:
    """The unpacked tarball's layout, with a stand-in for the PyInstaller bundle."""
    t = tmp_path / "pizhu-0.0.0-linux-x86_64"
    (t / "pizhu" / "_internal").mkdir(parents=True)
    exe = t / "pizhu" / "pizhu"
    exe.write_text(FAKE_PIZHU)
    exe.chmod(0o755)
    (t / "pizhu" / "_internal" / "data.txt").write_text("bundle data")
    (t / "share" / "applications").mkdir(parents=True)
    (t / "share" / "metainfo").mkdir(parents=True)
    shutil.copy(DESKTOP, t / "share" / "applications")
    shutil.copy(METAINFO, t / "share" / "metainfo")
    shutil.copytree(ICONS / "hicolor", t / "share" / "icons" / "hicolor")
    for script in ("install.sh", "uninstall.sh"):
        shutil.copy(PKG / script, t / script)
    return t


def _run(cmd: list[str], home: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), **env}
    r = subprocess.run(cmd, capture_output=True, text=True, env=full)
    assert r.returncode == 0, r.stdout + r.stderr
    return r


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def test_install_and_uninstall(tarball_dir: Path, tmp_path: Path) -> None:
    home, prefix = tmp_path / "home", tmp_path / "prefix"
    home.mkdir()
    _run(["sh", str(tarball_dir / "install.sh")], home, PREFIX=str(prefix))
    first = _tree(prefix)
    lib = prefix / "lib" / "pizhu"
    assert (lib / "_internal" / "data.txt").read_text() == "bundle data"
    assert (lib / "uninstall.sh").is_file()
    link = prefix / "bin" / "pizhu"
    assert link.is_symlink() and os.readlink(link) == str(lib / "pizhu")
    assert _run([str(link), "--version"], home).stdout.strip() == "pizhu fake-bundle --version"
    desktop = (prefix / "share" / "applications" / DESKTOP.name).read_text()
    assert f"Exec={prefix}/bin/pizhu %U" in desktop.splitlines()
    assert (prefix / "share" / "metainfo" / METAINFO.name).is_file()
    for size in ICON_SIZES:
        assert (prefix / "share/icons/hicolor" / f"{size}x{size}/apps/{APP_ID}.png").is_file()
    assert not any(home.iterdir()), "install.sh wrote into HOME despite PREFIX"

    # idempotent: a second run gives the same files (and replaces the bundle)
    (tarball_dir / "pizhu" / "_internal" / "data.txt").write_text("new bundle data")
    _run(["sh", str(tarball_dir / "install.sh")], home, PREFIX=str(prefix))
    assert _tree(prefix) == first
    assert (lib / "_internal" / "data.txt").read_text() == "new bundle data"

    # the user's own files under the prefix survive an uninstall
    mine = prefix / "share" / "pizhu" / "library" / "library.db"
    mine.parent.mkdir(parents=True)
    mine.write_text("my notes")
    _run(["sh", str(lib / "uninstall.sh")], home)  # the installed copy finds its PREFIX
    assert mine.read_text() == "my notes"
    left = {p for p in _tree(prefix) if "pizhu" in p.lower() or APP_ID in p}
    assert left == {"share/pizhu", "share/pizhu/library", "share/pizhu/library/library.db"}


def test_install_refuses_to_replace_foreign_folder(tarball_dir: Path, tmp_path: Path) -> None:
    prefix = tmp_path / "prefix"
    foreign = prefix / "lib" / "pizhu"
    foreign.mkdir(parents=True)
    (foreign / "precious").write_text("x")
    r = subprocess.run(["sh", str(tarball_dir / "install.sh")], capture_output=True, text=True,
                       env={"PATH": os.environ["PATH"], "HOME": str(tmp_path),
                            "PREFIX": str(prefix)})
    assert r.returncode != 0 and "not a Pizhu installation" in r.stderr
    assert (foreign / "precious").read_text() == "x"


def test_install_with_destdir(tarball_dir: Path, tmp_path: Path) -> None:
    stage = tmp_path / "stage"
    _run(["sh", str(tarball_dir / "install.sh")], tmp_path, PREFIX="/usr/local", DESTDIR=str(stage))
    assert (stage / "usr/local/lib/pizhu/pizhu").is_file()
    assert os.readlink(stage / "usr/local/bin/pizhu") == "/usr/local/lib/pizhu/pizhu"
    assert "Exec=/usr/local/bin/pizhu %U" in (
        stage / "usr/local/share/applications" / DESKTOP.name
    ).read_text()
    _run(["sh", str(tarball_dir / "uninstall.sh")], tmp_path, PREFIX="/usr/local",
         DESTDIR=str(stage))
    assert not [p for p in stage.rglob("*") if p.is_file() or p.is_symlink()]


# ------------------------------------------------------------------ entry points
def test_files_to_open() -> None:
    cmds = {"import", "list", "search"}
    existing = str(DESKTOP)
    assert files_to_open([existing], cmds) == ([], [existing])
    assert files_to_open(["--library", "/lib", existing, "/gone"], cmds) == (
        ["--library", "/lib"], [existing, "/gone"])
    assert files_to_open(["--", existing], cmds) == ([], [existing])
    assert files_to_open(["list"], cmds) is None  # a command wins
    assert files_to_open(["import", existing], cmds) is None
    assert files_to_open(["/no/such/file"], cmds) is None  # argparse reports it
    assert files_to_open(["--self-test"], cmds) is None
    assert files_to_open([], cmds) is None


def test_version() -> None:
    r = subprocess.run([sys.executable, "-m", "reader", "--version"], capture_output=True,
                       text=True, cwd=ROOT)
    assert r.returncode == 0 and r.stdout.strip() == f"pizhu {reader.__version__}"


def test_open_with_imports_the_files(tmp_path: Path) -> None:
    """The desktop entry runs `pizhu FILE…`: the GUI starts and imports the files."""
    doc = tmp_path / "文章.json"
    shutil.copy(ROOT / "resources" / "selftest" / "selftest_wechat.json", doc)
    env = _self_test_env(tmp_path)
    env.update(QT_QPA_PLATFORM="offscreen", PIZHU_EXIT_AFTER_SHOW="import",
               PIZHU_CACHE=str(tmp_path / "cache"), XDG_CONFIG_HOME=str(tmp_path / "config"))
    lib = tmp_path / "library"
    r = subprocess.run([sys.executable, "-m", "reader", "--library", str(lib), str(doc)],
                       capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    markers = [ln.split()[1:] for ln in r.stdout.splitlines() if ln.startswith("pizhu-startup:")]
    assert [m[0] for m in markers] == ["qt-loaded", "shown", "interactive", "imported"]
    assert markers[-1][1] == "2"
    r = subprocess.run([sys.executable, "-m", "reader", "--library", str(lib), "list", "--json"],
                       capture_output=True, text=True, cwd=ROOT, env=env)
    assert sorted(a["title"] for a in json.loads(r.stdout)) == sorted([
        selftest.SAMPLE_TITLE, selftest.SAMPLE_OTHER_TITLE])


def test_self_test_names_the_failed_check(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setattr(selftest.pathsmod, "resources_dir", lambda: tmp_path / "nothing")
    before = dict(os.environ)
    assert selftest.run_self_test() == 1
    out = capsys.readouterr().out
    assert "FAIL resources:" in out and "self-test FAILED (resources)" in out
    assert dict(os.environ) == before  # the isolation is undone


def _self_test_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("XDG_", "PIZHU_", "QT_QPA"))}
    (tmp_path / "home").mkdir()
    (tmp_path / "tmp").mkdir()
    env.update(HOME=str(tmp_path / "home"), TMPDIR=str(tmp_path / "tmp"))
    return env


def _check_self_test(r: subprocess.CompletedProcess[str], tmp_path: Path) -> None:
    assert r.returncode == 0, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    assert not [ln for ln in lines if ln.startswith("FAIL")]
    for check in ("import sample", "search", "highlight", "render main window"):
        assert any(ln.startswith(f"ok   {check}:") for ln in lines), check
    assert lines[-1].startswith("self-test passed")
    # nothing left in the temp folder; in HOME only jieba's cache
    assert list((tmp_path / "tmp").iterdir()) == []
    home_files = {p.relative_to(tmp_path / "home").parts[:2]
                  for p in (tmp_path / "home").rglob("*") if p.is_file()}
    assert home_files <= {(".cache", "pizhu")}, home_files


def test_self_test_from_source(tmp_path: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "reader", "--self-test"], capture_output=True,
                       text=True, cwd=ROOT, env=_self_test_env(tmp_path))
    _check_self_test(r, tmp_path)


# ------------------------------------------------------------------ the PyInstaller spec
def _spec_list(name: str) -> list[str]:
    """A list of string literals assigned to ``name`` in packaging/pizhu.spec."""
    import ast

    tree = ast.parse((PKG / "pizhu.spec").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return [c.value for c in ast.walk(node.value)
                    if isinstance(c, ast.Constant) and isinstance(c.value, str)]
    raise AssertionError(f"{name} not found in pizhu.spec")


def test_spec_keeps_what_the_code_imports() -> None:
    """The bundle leaves out Qt modules and stdlib packages: none may be imported by the app."""
    import re

    excluded_qt = set(_spec_list("QT_UNUSED"))
    excluded = [e for e in _spec_list("excludes") if not e.startswith("PySide6.")]
    problems = []
    for path in [*ROOT.glob("reader/**/*.py"), *ROOT.glob("index/**/*.py")]:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for qt in re.findall(r"\bPySide6\.(Qt\w+)", line):
                if qt in excluded_qt:
                    problems.append(f"{path.relative_to(ROOT)}:{n}: PySide6.{qt}")
            m = re.match(r"\s*(?:from|import)\s+([\w.]+)", line)
            if m and any(m.group(1) == e or m.group(1).startswith(e + ".") for e in excluded):
                problems.append(f"{path.relative_to(ROOT)}:{n}: {m.group(1)}")
    assert problems == [], "excluded from the bundle by packaging/pizhu.spec: " + str(problems)


# ------------------------------------------------------------------ the built bundle
def _sources_newer_than(path: Path) -> bool:
    stamp = path.stat().st_mtime
    return any(
        p.stat().st_mtime > stamp
        for d in ("reader", "index", "resources") for p in (ROOT / d).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    )


def _run_bundle(tmp_path: Path) -> None:
    r = subprocess.run([str(BUNDLE), "--version"], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.strip() == f"pizhu {reader.__version__}"
    r = subprocess.run([str(BUNDLE), "--self-test"], capture_output=True, text=True,
                       env=_self_test_env(tmp_path))
    _check_self_test(r, tmp_path)
    assert "(bundle:" in r.stdout.splitlines()[0]


def test_existing_bundle_self_test(tmp_path: Path) -> None:
    """Cheap: checks dist/pizhu when packaging/build.sh has built it from the current sources."""
    if not BUNDLE.exists():
        pytest.skip("no bundle in dist/pizhu (build it with packaging/build.sh)")
    if _sources_newer_than(BUNDLE):
        pytest.skip("dist/pizhu is older than the sources (rebuild with packaging/build.sh)")
    _run_bundle(tmp_path)


@pytest.mark.slow
def test_build_bundle_and_self_test(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """Builds the bundle with PyInstaller (a minute or two), then runs its self-test.
    Runs in CI (CI=true) and when asked for: `pytest -m slow tests/test_packaging.py`."""
    if "slow" not in (request.config.getoption("markexpr") or "") and os.environ.get("CI") != "true":
        pytest.skip("builds the bundle: run with -m slow (CI always does)")
    pytest.importorskip("PyInstaller")
    r = subprocess.run(["bash", str(PKG / "build.sh")], capture_output=True, text=True, cwd=ROOT,
                       env={**os.environ, "PYTHON": sys.executable})
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    tarball = ROOT / "dist" / f"pizhu-{reader.__version__}-linux-{os.uname().machine}.tar.gz"
    assert tarball.is_file()
    _run_bundle(tmp_path)
