"""Two real Syncthing daemons (Debian's ``syncthing``; discovery, relays, NAT and usage reports
off; listening on 127.0.0.1 only) keep the sync folder of two libraries in step: a highlight
made in one appears in the other, and an edit comes back."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from sync_support import engine, hl, seed, state

from reader.core.library import Library

SYNCTHING = shutil.which("syncthing")
pytestmark = pytest.mark.skipif(
    SYNCTHING is None,
    reason="the syncthing package is not installed (./dev installs it: APT_TEST_PKGS)")

OPTIONS = {
    "globalAnnounceEnabled": "false", "localAnnounceEnabled": "false", "relaysEnabled": "false",
    "natEnabled": "false", "urAccepted": "-1", "autoUpgradeIntervalH": "0",
    "crashReportingEnabled": "false", "startBrowser": "false", "reconnectionIntervalS": "1",
    "setLowPriority": "false",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Node:
    def __init__(self, root: Path, name: str) -> None:
        self.home = root / f"st-{name}"
        self.folder = root / f"folder-{name}"
        self.folder.mkdir(parents=True)
        (self.folder / ".stfolder").mkdir()
        self.env = {**os.environ, "HOME": str(root), "STNODEFAULTFOLDER": "1",
                    "STNOUPGRADE": "1", "STNORESTART": "1", "all_proxy": "", "ALL_PROXY": ""}
        subprocess.run([SYNCTHING, "generate", "--home", str(self.home), "--no-default-folder",
                        "--skip-port-probing"], env=self.env, check=True, capture_output=True,
                       timeout=60)
        self.id = subprocess.run([SYNCTHING, "serve", "--home", str(self.home), "--device-id"],
                                 env=self.env, check=True, capture_output=True, text=True,
                                 timeout=60).stdout.strip()
        self.port, self.gui = free_port(), free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    def configure(self, other: Node) -> None:
        path = self.home / "config.xml"
        tree = ET.parse(path)
        cfg = tree.getroot()
        opts = cfg.find("options")
        assert opts is not None
        for key, value in OPTIONS.items():
            el = opts.find(key)
            if el is None:
                el = ET.SubElement(opts, key)
            el.text = value
        for el in opts.findall("listenAddress"):
            opts.remove(el)
        ET.SubElement(opts, "listenAddress").text = f"tcp://127.0.0.1:{self.port}"
        gui = cfg.find("gui")
        assert gui is not None
        addr = gui.find("address")
        assert addr is not None
        addr.text = f"127.0.0.1:{self.gui}"
        dev = ET.SubElement(cfg, "device", id=other.id, name="other", compression="metadata",
                            introducer="false", skipIntroductionRemovals="false",
                            introducedBy="")
        ET.SubElement(dev, "address").text = f"tcp://127.0.0.1:{other.port}"
        folder = ET.SubElement(cfg, "folder", id="pizhu-sync", label="pizhu",
                               path=str(self.folder), type="sendreceive", rescanIntervalS="1",
                               fsWatcherEnabled="false", fsWatcherDelayS="1",
                               ignorePerms="false", autoNormalize="true")
        ET.SubElement(folder, "filesystemType").text = "basic"
        for device_id in (self.id, other.id):
            ET.SubElement(folder, "device", id=device_id, introducedBy="")
        ET.SubElement(folder, "minDiskFree", unit="%").text = "0"
        tree.write(path)

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [SYNCTHING, "serve", "--home", str(self.home), "--no-browser", "--no-restart",
             "--no-upgrade", "--logfile", str(self.home / "log.txt")],
            env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)

    def log(self) -> str:
        p = self.home / "log.txt"
        return p.read_text(errors="replace")[-3000:] if p.exists() else "(no log)"


def wait_for(cond, timeout: float, what: str, nodes: list[Node]) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return
        time.sleep(0.5)
    pytest.fail(f"Syncthing did not {what} in {timeout:.0f} s; logs:\n"
                + "\n".join(n.log() for n in nodes))


def same_logs(a: Path, b: Path) -> bool:
    def names(p: Path) -> set[str]:
        d = p / "logs"
        return {f.name for f in d.iterdir() if not f.name.startswith(".")} if d.is_dir() else set()
    return bool(names(a)) and names(a) <= names(b)


def test_two_syncthing_daemons_carry_a_highlight(tmp_path):
    na, nb = Node(tmp_path, "a"), Node(tmp_path, "b")
    na.configure(nb)
    nb.configure(na)
    na.start()
    nb.start()
    a, b = Library.open(tmp_path / "lib-a"), Library.open(tmp_path / "lib-b")
    try:
        ids = seed(a, tmp_path / "in")
        h = hl(a, ids[0], "老板说茶价一分没涨", note="经由 Syncthing", tags=["茶馆"])
        ea, eb = engine(a, na.folder), engine(b, nb.folder)
        ea.sync()
        wait_for(lambda: same_logs(na.folder, nb.folder), 180, "carry a's logs to b", [na, nb])
        eb.sync()
        got = b.highlight(h.uuid)
        assert (got.note, got.tags) == ("经由 Syncthing", ["茶馆"])
        b.update_highlight(h.uuid, color="green")
        eb.sync()
        wait_for(lambda: same_logs(nb.folder, na.folder), 180, "carry b's logs to a", [na, nb])
        ea.sync()
        assert a.highlight(h.uuid).color == "green"
        assert state(a) == state(b)
        # no conflict copies: one writer per file
        assert not [p for p in (na.folder / "logs").iterdir() if "conflict" in p.name]
    finally:
        a.close()
        b.close()
        na.stop()
        nb.stop()
