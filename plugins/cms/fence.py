"""What the local editor's backend may read and write: the files under content/, decided request by request."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from content_model.messages import MESSAGES
from content_model.schema import ATTACHMENT_SUFFIXES, IMAGE_SUFFIXES

CONTENT = "content"
# What the editor saves: entries, the notice's data file, and the media the content model accepts.
WRITABLE_SUFFIXES = (".md", ".yml", *IMAGE_SUFFIXES, *ATTACHMENT_SUFFIXES)
LONGEST_PATH = 1024

# Why a path is malformed, in both languages, for the cms-path message.
REASONS = {
    "type": ("不是文字", "is not text"),
    "empty": ("是空的", "is empty"),
    "long": (f"超过 {LONGEST_PATH} 个字符", f"is longer than {LONGEST_PATH} characters"),
    "control": ("含有控制字符（如 NUL）", "holds a control character (such as NUL)"),
    "backslash": ("含有反斜杠 \\", "holds a backslash"),
    "encoded": ("含有 %（网址编码）", "holds % (URL encoding)"),
    "absolute": ("是绝对路径", "is absolute"),
    "parent": ("含有 ..", "holds .."),
    "hidden": ("含有以点开头的隐藏文件或文件夹", "names a hidden file or folder (starting with a dot)"),
    "loop": ("的符号链接无法解析", "has a symbolic link that cannot be resolved"),
}


class Refused(Exception):
    """A request the guard turns away: an HTTP status and a catalogue message, Chinese first."""

    def __init__(self, status: int, code: str, **params: object) -> None:
        message = MESSAGES[code]
        self.status = status
        self.code = code
        self.zh = message.zh.format(**params)
        self.en = message.en.format(**params)
        super().__init__(f"{self.zh} {self.en}")

    def as_json(self) -> dict[str, str]:
        # Decap shows `error` in its notice; the code lets a program tell refusals apart.
        return {"error": f"{self.zh}\n{self.en}", "code": self.code}


def bad_request(detail_zh: str, detail: str) -> Refused:
    return Refused(403, "cms-request", detail_zh=detail_zh, detail=detail)


def _malformed(raw: object, reason: str) -> Refused:
    zh, en = REASONS[reason]
    shown = raw if isinstance(raw, str) else repr(raw)
    # Control characters are shown escaped, so that the message itself stays one clean line.
    shown = shown[:200].encode("unicode_escape").decode("ascii") if reason == "control" else shown[:200]
    return Refused(403, "cms-path", path=shown, reason_zh=zh, reason=en)


def _real(path: Path) -> Path:
    """Where `path` leads once every symbolic link on it is followed; the parts that do not exist yet are kept.

    decap-server itself follows links the same way before writing (its resolveNewRepoPath).
    """
    missing: list[str] = []
    existing = path
    while not os.path.lexists(existing):
        missing.insert(0, existing.name)
        existing = existing.parent
    return Path(os.path.realpath(existing, strict=True)).joinpath(*missing)


class Fence:
    """The files of one repository that the editor may touch: reads and writes under its content/ folder only."""

    def __init__(self, repo: Path) -> None:
        self.repo = Path(os.path.realpath(repo))
        self.content = Path(os.path.realpath(self.repo / CONTENT))

    def _parts(self, raw: object) -> list[str]:
        """The parts of a path as decap-server receives it, refusing anything but a plain relative path."""
        if not isinstance(raw, str):
            raise _malformed(raw, "type")
        if not raw:
            raise _malformed(raw, "empty")
        if len(raw) > LONGEST_PATH:
            raise _malformed(raw, "long")
        if any(ord(c) < 0x20 or ord(c) == 0x7F for c in raw):
            raise _malformed(raw, "control")
        if "\\" in raw:
            raise _malformed(raw, "backslash")  # a folder separator on Windows, a file name's letter here
        if "%" in raw:
            raise _malformed(raw, "encoded")  # decap-server does not decode it: %2e%2e would be a literal name
        if raw.startswith("/"):
            raise _malformed(raw, "absolute")
        parts = [part for part in raw.split("/") if part]
        if ".." in parts:
            raise _malformed(raw, "parent")
        if any(part.startswith(".") for part in parts):
            raise _malformed(raw, "hidden")
        return parts

    def _inside(self, raw: object, refusal: Callable[[], Refused], folder: bool) -> Path:
        """The real path `raw` names, when it lies in content/ (or is content/ itself, for a folder)."""
        parts = self._parts(raw)
        try:
            real = _real(self.repo.joinpath(*parts))
        except OSError:
            raise _malformed(raw, "loop") from None
        if real == self.content and folder:
            return real
        if not real.is_relative_to(self.content) or real == self.content:
            raise refusal()
        if any(part.startswith(".") for part in real.relative_to(self.content).parts):
            raise refusal()  # a link that leads to a hidden file inside content/
        return real

    def readable(self, raw: object, folder: bool = False) -> Path:
        return self._inside(raw, lambda: Refused(403, "cms-read", path=raw), folder)

    def writable(self, raw: object) -> Path:
        def refusal() -> Refused:
            return Refused(403, "cms-write", path=raw, suffixes=" ".join(WRITABLE_SUFFIXES))

        real = self._inside(raw, refusal, folder=False)
        if not (real.suffix.lower() in WRITABLE_SUFFIXES and Path(str(raw)).suffix.lower() in WRITABLE_SUFFIXES):
            raise refusal()
        return real


# decap-server's file-system actions (its localFs middleware) and the path parameters each reads or writes.


def _field(params: dict[str, Any], name: str, optional: bool = False) -> Any:
    if name not in params:
        if optional:
            return None
        raise bad_request(f"缺少参数 {name}", f"the parameter `{name}` is missing")
    return params[name]


def _objects(value: object, name: str) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise bad_request(f"参数 {name} 应是对象的列表", f"the parameter `{name}` must be a list of objects")
    return value


def _strings(value: object, name: str) -> list[object]:
    if not isinstance(value, list) or not value:
        raise bad_request(f"参数 {name} 应是路径的列表", f"the parameter `{name}` must be a list of paths")
    return value


def _data_file_paths(data_file: dict[str, Any]) -> list[object]:
    paths = [_field(data_file, "path")]
    if (new_path := _field(data_file, "newPath", optional=True)) is not None:
        paths.append(new_path)  # a renamed entry: its folder's files move along with it
    return paths


def _persisted(params: dict[str, Any]) -> list[object]:
    data_files = []
    if (entry := params.get("entry")) is not None:
        data_files += _objects([entry], "entry")
    if "dataFiles" in params:
        data_files += _objects(params["dataFiles"], "dataFiles")
    paths = [path for data_file in data_files for path in _data_file_paths(data_file)]
    paths += [_field(asset, "path") for asset in _objects(params.get("assets", []), "assets")]
    return paths


def _asset(params: dict[str, Any]) -> list[object]:
    asset = _field(params, "asset")
    return [_field(_objects([asset], "asset")[0], "path")]


# action → (paths read, whether they are folders); action → paths written or deleted
READS: dict[str, tuple[Callable[[dict[str, Any]], list[object]], bool]] = {
    "entriesByFolder": (lambda p: [_field(p, "folder")], True),
    "entriesByFiles": (lambda p: [_field(f, "path") for f in _objects(_field(p, "files"), "files")], False),
    "getEntry": (lambda p: [_field(p, "path")], False),
    "getMedia": (lambda p: [_field(p, "mediaFolder")], True),
    "getMediaFile": (lambda p: [_field(p, "path")], False),
}
WRITES: dict[str, Callable[[dict[str, Any]], list[object]]] = {
    "persistEntry": _persisted,
    "persistMedia": _asset,
    "deleteFile": lambda p: [_field(p, "path")],
    "deleteFiles": lambda p: _strings(_field(p, "paths"), "paths"),
}
# Actions that touch no file. The editorial-workflow actions of decap-server's git mode are not among them:
# `make cms` runs its file-system mode, which has none.
HARMLESS = ("info", "getDeployPreview")


def check_request(body: object, fence: Fence) -> str:
    """Refuse a request unless every path it reads or writes passes the fence; return its action."""
    if not isinstance(body, dict):
        raise bad_request("请求内容应是 JSON 对象", "the request body must be a JSON object")
    action = body.get("action")
    if not isinstance(action, str):
        raise bad_request("缺少 action", "the request names no `action`")
    if action not in READS and action not in WRITES and action not in HARMLESS:
        raise Refused(403, "cms-action", action=action[:100])
    if action in HARMLESS:
        return action
    params = body.get("params")
    if not isinstance(params, dict):
        raise bad_request("参数 params 应是 JSON 对象", "`params` must be a JSON object")
    if action in READS:
        paths, folders = READS[action]
        for path in paths(params):
            fence.readable(path, folder=folders)
    else:
        for path in WRITES[action](params):
            fence.writable(path)
    return action


def _listed_path(item: object, action: str) -> object:
    if not isinstance(item, dict):
        return None
    if action == "getMedia":
        return item.get("path")
    file = item.get("file")
    return file.get("path") if isinstance(file, dict) else None


def _passes(path: object, fence: Fence) -> bool:
    try:
        fence.readable(path)
    except Refused:
        return False
    return True


LISTINGS = ("entriesByFolder", "getMedia")


def visible(action: str, answer: object, fence: Fence) -> object:
    """A listing's answer without the files the fence refuses.

    decap-server lists a folder and reads every file in it, links included: a link in content/ to .git/config
    or to a file outside the repository would be read and sent. Such entries are dropped here.
    """
    if action not in LISTINGS or not isinstance(answer, list):
        return answer
    return [item for item in answer if _passes(_listed_path(item, action), fence)]
