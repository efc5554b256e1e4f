"""Content problems: one record per error or warning, collected across a run and printed in three formats."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field

from .messages import MESSAGES

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One finding about one place in one file, with its message in Chinese and English."""

    file: str
    line: int
    column: int
    field: str
    level: str
    code: str
    message_zh: str
    message_en: str

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Problems:
    """Collects every problem of a run, so that a contributor sees them all at once."""

    items: list[Problem] = field(default_factory=list)

    def add(
        self,
        code: str,
        file: str,
        line: int = 0,
        field: str = "",
        *,
        column: int = 0,
        level: str | None = None,
        **params: object,
    ) -> Problem:
        """Record the message `code` from the catalogue, formatted with `params`."""
        template = MESSAGES[code]
        params = {"field": field, **params}
        problem = Problem(
            file=file,
            line=line,
            column=column,
            field=field,
            level=level or template.level,
            code=code,
            message_zh=template.zh.format(**params),
            message_en=template.en.format(**params),
        )
        self.items.append(problem)
        return problem

    def extend(self, other: Problems) -> None:
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.level == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.level == WARNING]

    def only_files(self, files: set[str]) -> Problems:
        """The problems of the given files; cross-file rules were already judged on the whole site."""
        return Problems([p for p in self.items if p.file in files])

    def sorted(self) -> list[Problem]:
        return sorted(set(self.items))


def format_text(problems: Problems) -> str:
    """Human-readable report: grouped by file, Chinese first, then English."""
    by_file: dict[str, list[Problem]] = defaultdict(list)
    for problem in problems.sorted():
        by_file[problem.file].append(problem)
    out: list[str] = []
    for file, items in by_file.items():
        out.append(file)
        for p in items:
            level = "错误 error" if p.level == ERROR else "提醒 warning"
            where = f"第 {p.line} 行 line {p.line}" if p.line else "整个文件 whole file"
            field_part = f" · 字段 field `{p.field}`" if p.field else ""
            out.append(f"  {where}{field_part} · {level} [{p.code}]")
            out.append(f"    {p.message_zh}")
            out.append(f"    {p.message_en}")
        out.append("")
    errors, warnings = len(problems.errors), len(problems.warnings)
    out.append(f"共 {errors} 个错误、{warnings} 个提醒。 {errors} error(s), {warnings} warning(s).")
    return "\n".join(out)


def _github_escape(text: str, *, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(problems: Problems) -> str:
    """GitHub Actions workflow commands, which show as annotations on the pull request's lines."""
    out = []
    for p in problems.sorted():
        props = [f"file={_github_escape(p.file, property_value=True)}"]
        if p.line:
            props.append(f"line={p.line}")
        if p.column:
            props.append(f"col={p.column}")
        title = f"{p.code} {p.field}".strip()
        props.append(f"title={_github_escape(title, property_value=True)}")
        message = _github_escape(f"{p.message_zh}\n{p.message_en}")
        out.append(f"::{p.level} {','.join(props)}::{message}")
    return "\n".join(out)


def format_github_changed(problems: Problems, changed: set[str]) -> str:
    """Annotations on the files a pull request changes; one summary line for the problems of every other file.

    GitHub shows at most ten annotations of each level per step: the pull request's own must not be lost
    behind those of files it did not touch. Errors anywhere still fail the check, and the summary says so.
    """
    own = Problems([p for p in problems.items if p.file in changed])
    others = Problems([p for p in problems.items if p.file not in changed])
    out = [format_github(own)] if own.items else []
    errors: dict[str, int] = defaultdict(int)
    for problem in others.errors:
        errors[problem.file] += 1
    if errors:
        files_zh = "、".join(f"{file}（{count} 个错误）" for file, count in sorted(errors.items()))
        files_en = ", ".join(f"{file} ({count})" for file, count in sorted(errors.items()))
        message = (
            f"本拉取请求没有改动的 {len(errors)} 个文件有 {len(others.errors)} 个错误：{files_zh}。"
            "这些错误同样使检查失败（也可能是本次改动引起的，例如改了别的文件引用的 slug）。"
            "请运行 make check 查看详情。\n"
            f"{len(errors)} file(s) this pull request does not change have {len(others.errors)} error(s): {files_en}. "
            "They fail the check too (a change here may have caused them, e.g. a slug another file refers to). "
            "Run make check to see them."
        )
        title = _github_escape("其他文件的错误 Errors in other files", property_value=True)
        out.append(f"::error title={title}::{_github_escape(message)}")
    if others.warnings:
        count = len(others.warnings)
        out.append(
            f"本拉取请求没有改动的文件另有 {count} 个提醒，未在此标注；运行 make check 可查看。 "
            f"{count} warning(s) in files this pull request does not change are not annotated; "
            "run make check to see them."
        )
    return "\n".join(out)


def format_json(problems: Problems) -> str:
    return json.dumps([p.as_dict() for p in problems.sorted()], ensure_ascii=False, indent=2)


FORMATTERS = {"text": format_text, "github": format_github, "json": format_json}
