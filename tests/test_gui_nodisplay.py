"""Without a display the GUI says so in one line, before any set-up or Qt (issue 14, item 10);
``./dev run`` installs only what running needs."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from reader.ui.app import no_display_message

ROOT = Path(__file__).resolve().parent.parent
NO_DISPLAY = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")


def _env_without_display() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in NO_DISPLAY}


def test_no_display_message_only_without_any_display():
    msg = no_display_message({}, "linux")
    assert msg and "\n" not in msg and "--self-test" in msg
    for key in NO_DISPLAY:
        assert no_display_message({key: "x"}, "linux") is None
    assert no_display_message({}, "win32") is None
    assert no_display_message({}, "darwin") is None


def test_pizhu_without_display_says_so_in_one_line(tmp_path):
    env = _env_without_display()
    env["PIZHU_LIBRARY"] = str(tmp_path / "lib")
    r = subprocess.run([sys.executable, "-m", "reader", "--library", str(tmp_path / "lib")],
                       env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 1
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "no display" in lines[0], r.stderr
    assert "xcb" not in r.stderr


@pytest.mark.skipif(sys.platform != "linux", reason="the dev script is for Linux")
def test_dev_run_without_display_stops_before_set_up(tmp_path):
    # a dpkg that says "installed" keeps apt away whatever happens
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "dpkg").write_text("#!/bin/sh\nexit 0\n")
    (fake / "dpkg").chmod(0o755)
    env = _env_without_display()
    env["PATH"] = f"{fake}:{env.get('PATH', '/usr/bin:/bin')}"
    env["PYTHON"] = "/nonexistent/python3"  # no venv could be made either
    r = subprocess.run(["bash", str(ROOT / "dev"), "run"], env=env, capture_output=True,
                       text=True, timeout=120, cwd=ROOT)
    assert r.returncode == 1
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "no display" in lines[0], r.stderr


def test_dev_run_installs_without_test_and_bundle_extras():
    text = (ROOT / "dev").read_text(encoding="utf-8")
    run = re.search(r"^  run\)(.*?);;", text, re.S | re.M).group(1)
    test = re.search(r"^  test\)(.*?);;", text, re.S | re.M).group(1)
    assert re.findall(r"venv_setup[^;\n]*", run) == ["venv_setup"]  # no extras
    assert "venv_setup test,bundle" in test
