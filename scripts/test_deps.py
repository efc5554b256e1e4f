"""`make test`, first step: install with apt-get the Debian packages the tests need and this machine lacks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

# Debian puts servers in /usr/sbin, which an ordinary user's PATH leaves out.
SEARCH_PATH = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])
POLICY = Path("/usr/sbin/policy-rc.d")  # invoke-rc.d(8): exit 101 means "do not start services now"


class Machine:
    """What the checks ask of this computer; the tests stand in a machine of their own."""

    def which(self, name: str) -> str | None:
        return shutil.which(name, path=SEARCH_PATH)

    def fonts(self) -> str:
        return subprocess.run(["fc-list"], capture_output=True, text=True, check=False).stdout

    def euid(self) -> int:
        return os.geteuid()

    def runs_systemd(self) -> bool:
        return Path("/run/systemd/system").is_dir()

    def run(self, command: list[str]) -> subprocess.CompletedProcess:
        """Run quietly: the output is kept, for when the command fails."""
        return subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)

    def makes_venvs(self) -> bool:
        # Debian's python3 makes a venv only with python3-venv, which brings ensurepip.
        check = [sys.executable, "-c", "import ensurepip"]
        return subprocess.run(check, capture_output=True, check=False).returncode == 0


@dataclass(frozen=True)
class Need:
    packages: tuple[str, ...]
    why: str
    present: Callable[[Machine], bool]


def _command(name: str) -> Callable[[Machine], bool]:
    return lambda machine: machine.which(name) is not None


def _cjk_fonts(machine: Machine) -> bool:
    return machine.which("fc-list") is not None and "noto sans cjk" in machine.fonts().lower()


NEEDS = (
    Need(("chromium",), "the browser tests drive Debian's Chromium", _command("chromium")),
    Need(("fonts-noto-cjk",), "Chinese text in the browser tests", _cjk_fonts),
    Need(("default-jre-headless",), "the Nu Html Checker", _command("java")),
    Need(("nodejs", "npm"), "the editor, decap-server and the checker's jar", _command("npm")),
    Need(("rsync",), "the deploy tests", _command("rsync")),
    Need(("openssh-client",), "real keys and signed commits for the approval tests", _command("ssh-keygen")),
    Need(("openssl",), "a certificate for the web server test", _command("openssl")),
    Need(("nginx",), "docs/nginx.conf is tested with Debian's nginx", _command("nginx")),
    Need(("python3-venv",), "the project's .venv", lambda machine: machine.makes_venvs()),
)


def missing(machine: Machine | None = None) -> list[Need]:
    """What this machine lacks, in the order of NEEDS."""
    machine = machine or Machine()
    return [need for need in NEEDS if not need.present(machine)]


def packages_of(needs: Sequence[Need]) -> list[str]:
    return [package for need in needs for package in need.packages]


class CannotInstall(Exception):
    def __init__(self, packages: Sequence[str], zh: str, en: str) -> None:
        names = " ".join(packages)
        super().__init__(
            f"make test 需要这些 Debian 软件包，但无法自动安装：{names}。{zh}\n"
            f"请先运行：sudo apt-get install {names}，再运行 make test。\n"
            f"make test needs these Debian packages and cannot install them: {names}. {en}\n"
            f"Run: sudo apt-get install {names}, then make test."
        )


def as_root(machine: Machine) -> list[str]:
    """The prefix that runs apt-get as root: none for root, `sudo -n` when it needs no password."""
    if machine.euid() == 0:
        return []
    if machine.which("sudo") is not None and machine.run(["sudo", "-n", "true"]).returncode == 0:
        return ["sudo", "-n"]
    raise PermissionError


APT_INSTALL = ["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-qq", "--no-install-recommends"]


def install(packages: Sequence[str], machine: Machine | None = None, policy: Path = POLICY) -> None:
    """apt-get update and install, quietly; their output is shown only when they fail."""
    machine = machine or Machine()
    if machine.which("apt-get") is None:
        raise CannotInstall(packages, "本机没有 apt-get。", "There is no apt-get here.")
    try:
        root = as_root(machine)
    except PermissionError:
        raise CannotInstall(
            packages, "安装需要管理员权限（root 或免密码的 sudo）。", "Installing needs root or a password-free sudo."
        ) from None
    # nginx is a test tool here, not this machine's web server: it is neither started on install nor at boot.
    hold_services = "nginx" in packages and not policy.exists()
    if hold_services:
        machine.run([*root, "sh", "-c", f"printf '#!/bin/sh\\nexit 101\\n' > {policy} && chmod 755 {policy}"])
    try:
        for step in ([*root, "apt-get", "update", "-qq"], [*root, *APT_INSTALL, *packages]):
            done = machine.run(step)
            if done.returncode != 0:
                sys.stderr.write(done.stdout)
                raise CannotInstall(packages, "apt-get 失败，见上面的输出。", "apt-get failed: see its output above.")
    finally:
        if hold_services:
            machine.run([*root, "rm", "-f", str(policy)])
    if "nginx" in packages and machine.runs_systemd():
        machine.run([*root, "systemctl", "disable", "--now", "--quiet", "nginx"])


def main() -> int:
    needs = missing()
    if not needs:
        return 0
    print("安装测试所需的软件包 Installing what the tests need:", flush=True)
    for need in needs:
        print(f"  {' '.join(need.packages)}: {need.why}", flush=True)
    try:
        install(packages_of(needs))
    except CannotInstall as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
