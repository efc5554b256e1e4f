"""`make test` installs what a fresh machine lacks, quietly, and says plainly when it cannot."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from scripts.test_deps import NEEDS, CannotInstall, Machine, install, missing, packages_of

from tests.sites import PROJECT

EVERYTHING = {"chromium", "fc-list", "java", "npm", "rsync", "ssh-keygen", "openssl", "nginx", "apt-get", "sudo"}


class FakeMachine(Machine):
    """A machine with the given commands, fonts and rights; it records what it is asked to run."""

    def __init__(
        self,
        commands: set[str] = EVERYTHING,
        fonts: str = "/usr/share/fonts/NotoSansCJK-Regular.ttc: Noto Sans CJK SC:style=Regular",
        euid: int = 0,
        venv: bool = True,
        fails: str = "",
    ) -> None:
        self.commands, self.font_list, self.uid, self.venv, self.fails = commands, fonts, euid, venv, fails
        self.ran: list[list[str]] = []

    def which(self, name: str) -> str | None:
        return f"/usr/bin/{name}" if name in self.commands else None

    def fonts(self) -> str:
        return self.font_list

    def euid(self) -> int:
        return self.uid

    def runs_systemd(self) -> bool:
        return True

    def makes_venvs(self) -> bool:
        return self.venv

    def run(self, command: list[str]) -> subprocess.CompletedProcess:
        self.ran.append(command)
        failed = self.fails and self.fails in command
        if command[:3] == ["sudo", "-n", "true"]:
            failed = "sudo-asks-password" in self.fails
        return subprocess.CompletedProcess(
            command, 100 if failed else 0, "E: Unable to locate package\n" if failed else ""
        )


def test_a_complete_machine_needs_nothing() -> None:
    assert missing(FakeMachine()) == []


def test_what_is_missing_is_found() -> None:
    machine = FakeMachine(commands=EVERYTHING - {"chromium", "nginx", "npm"}, fonts="DejaVu Sans", venv=False)
    assert packages_of(missing(machine)) == ["chromium", "fonts-noto-cjk", "nodejs", "npm", "nginx", "python3-venv"]
    assert packages_of(missing(FakeMachine(commands=EVERYTHING - {"fc-list"}))) == ["fonts-noto-cjk"]


def test_every_need_says_why() -> None:
    assert all(need.why and need.packages for need in NEEDS)


def test_root_installs_quietly_without_starting_nginx(tmp_path: Path) -> None:
    machine = FakeMachine()
    policy = tmp_path / "policy-rc.d"
    install(["chromium", "nginx"], machine, policy=policy)
    assert machine.ran[0][:2] == ["sh", "-c"] and str(policy) in machine.ran[0][2]  # services held during install
    assert machine.ran[1] == ["apt-get", "update", "-qq"]
    assert machine.ran[2] == [
        *("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-qq", "--no-install-recommends"),
        *("chromium", "nginx"),
    ]
    assert machine.ran[3] == ["rm", "-f", str(policy)]
    assert machine.ran[4] == ["systemctl", "disable", "--now", "--quiet", "nginx"]  # nor started at boot


def test_an_existing_service_policy_is_left_alone(tmp_path: Path) -> None:
    policy = tmp_path / "policy-rc.d"
    policy.write_text("#!/bin/sh\nexit 101\n")
    machine = FakeMachine()
    install(["nginx"], machine, policy=policy)
    assert [step[0] for step in machine.ran] == ["apt-get", "env", "systemctl"]
    assert policy.exists()


def test_a_user_with_password_free_sudo_installs_through_it(tmp_path: Path) -> None:
    machine = FakeMachine(euid=1000)
    install(["chromium"], machine, policy=tmp_path / "none")
    assert machine.ran[0] == ["sudo", "-n", "true"]
    assert machine.ran[1][:3] == ["sudo", "-n", "apt-get"] and machine.ran[2][:3] == ["sudo", "-n", "env"]


@pytest.mark.parametrize(
    ("machine", "reason"),
    [
        (FakeMachine(euid=1000, commands=EVERYTHING - {"sudo"}), "Installing needs root or a password-free sudo"),
        (FakeMachine(euid=1000, fails="sudo-asks-password"), "Installing needs root or a password-free sudo"),
        (FakeMachine(commands=EVERYTHING - {"apt-get"}), "There is no apt-get here"),
        (FakeMachine(fails="install"), "apt-get failed"),
    ],
)
def test_it_says_plainly_when_it_cannot_install(
    machine: FakeMachine, reason: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(CannotInstall) as caught:
        install(["chromium", "fonts-noto-cjk"], machine, policy=tmp_path / "none")
    message = str(caught.value)
    assert "无法自动安装：chromium fonts-noto-cjk" in message and reason in message
    assert "sudo apt-get install chromium fonts-noto-cjk" in message
    if reason == "apt-get failed":
        assert "Unable to locate package" in capsys.readouterr().err  # apt-get's own words, only on failure


def _recipe(target: str) -> list[str]:
    text = (PROJECT / "Makefile").read_text(encoding="utf-8")
    block = re.search(rf"^{target}:(.*)\n((?:\t.*\n)+)", text, re.MULTILINE)
    assert block, target
    return [block.group(1).strip(), *(line.strip() for line in block.group(2).splitlines())]


def test_make_test_installs_first() -> None:
    """Before anything that needs Node (node_modules) or the tools, and whatever -j does to prerequisites."""
    prerequisites, first, *rest = _recipe("test")
    assert prerequisites == ""
    assert first == "@$(PY) scripts/test_deps.py"
    assert any("pytest" in line for line in rest)


def test_ci_runs_exactly_make_test() -> None:
    lines = (PROJECT / ".ci/run").read_text(encoding="utf-8").splitlines()
    commands = [line for line in lines if line.strip() and not line.startswith("#")]
    assert commands == ["set -euo pipefail", 'cd "$(dirname "$0")/.."', "make test"]
