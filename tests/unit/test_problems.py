"""Problems, the message catalogue, the three output formats, and `make check` (check.main)."""

from __future__ import annotations

import ast
import json
import string
from pathlib import Path

import pytest

import content_model
from content_model.body import FINDING_CODES
from content_model.check import main
from content_model.documents import REFUSAL_CODES
from content_model.messages import MESSAGES
from content_model.problems import Problems, format_github, format_json, format_text

from .conftest import has_chinese, mostly_ascii

JSON_KEYS = {"file", "line", "column", "field", "level", "code", "message_zh", "message_en"}


def sample() -> Problems:
    problems = Problems()
    problems.add(
        "unknown-field",
        "content/a.md",
        3,
        "colum",
        suggestion_zh="（是否想写“columns”？）",
        suggestion_en=" (did you mean `columns`?)",
    )
    problems.add("pin-until-without-pin", "content/b.md", 6, "pin_until")
    problems.add("misplaced-file", "content/foo.md", 0)
    problems.add("required", "content/a.md", 1, "title", label="标题", example="title: 科协要闻")
    return problems


# Problems


def test_add_formats_both_languages_and_takes_the_level_from_the_catalogue():
    problems = sample()
    first = problems.items[0]
    assert (first.file, first.line, first.field, first.code, first.level) == (
        "content/a.md",
        3,
        "colum",
        "unknown-field",
        "error",
    )
    assert "colum" in first.message_zh and "`columns`" in first.message_en
    assert [p.code for p in problems.warnings] == ["pin-until-without-pin"]
    assert len(problems.errors) == 3


def test_level_can_be_overridden():
    problems = Problems()
    problem = problems.add("made-slug", "content/a.md", 1, "slug", level="error", value="x")
    assert problem.level == "error"
    assert problems.errors == [problem]


def test_only_files():
    problems = sample().only_files({"content/a.md"})
    assert {p.file for p in problems.items} == {"content/a.md"}
    assert len(problems.items) == 2


def test_sorted_is_by_file_then_line():
    assert [(p.file, p.line) for p in sample().sorted()] == [
        ("content/a.md", 1),
        ("content/a.md", 3),
        ("content/b.md", 6),
        ("content/foo.md", 0),
    ]


# format_text


def test_format_text_groups_by_file_with_chinese_before_english():
    problems = sample()
    text = format_text(problems)
    lines = text.splitlines()
    for file in ("content/a.md", "content/b.md", "content/foo.md"):
        assert lines.count(file) == 1  # one heading per file
    heading_a, heading_b = lines.index("content/a.md"), lines.index("content/b.md")
    for problem in problems.items:
        zh, en = lines.index(f"    {problem.message_zh}"), lines.index(f"    {problem.message_en}")
        assert zh + 1 == en  # Chinese first, English right after it
        if problem.file == "content/a.md":
            assert heading_a < zh < heading_b  # under its own file's heading
    assert "第 3 行" in text and "line 3" in text
    assert "`colum`" in text
    assert "3 error(s), 1 warning(s)" in lines[-1]
    assert "3 个错误" in lines[-1]


def test_format_text_of_nothing():
    text = format_text(Problems())
    assert "0 error(s), 0 warning(s)" in text


# format_github


def test_format_github_lines():
    problems = Problems()
    problems.add(
        "unknown-field",
        "content/a.md",
        3,
        "colum",
        suggestion_zh="（是否想写“columns”？）",
        suggestion_en=" (did you mean `columns`?)",
    )
    [line] = format_github(problems).splitlines()
    problem = problems.items[0]
    assert line.startswith("::error file=content/a.md,line=3,title=unknown-field colum::")
    assert line == (
        "::error file=content/a.md,line=3,title=unknown-field colum::" + problem.message_zh + "%0A" + problem.message_en
    )


def test_format_github_escapes_newlines_percent_and_property_separators():
    problems = Problems()
    problems.add("yaml-syntax", "content/a,b:c.md", 4, column=7, detail="50%\nnext line", detail_zh="无法解析")
    problems.add("pin-until-without-pin", "content/b.md", 6, "pin_until")
    problems.add("misplaced-file", "content/foo.md", 0)
    lines = format_github(problems).splitlines()
    assert len(lines) == 3  # one line per problem: no raw newline inside a message
    assert lines[0].startswith("::error file=content/a%2Cb%3Ac.md,line=4,col=7,title=yaml-syntax::")
    assert "50%25%0Anext line" in lines[0]
    assert lines[1].startswith("::warning file=content/b.md,line=6,title=pin-until-without-pin pin_until::")
    assert lines[2].startswith("::error file=content/foo.md,title=misplaced-file::")  # no line when unknown


# format_json


def test_format_json():
    problems = sample()
    data = json.loads(format_json(problems))
    assert isinstance(data, list)
    assert len(data) == 4
    for entry in data:
        assert set(entry) == JSON_KEYS
        assert entry["level"] in ("error", "warning")
        assert isinstance(entry["line"], int) and isinstance(entry["column"], int)
    assert data[0]["message_zh"] == problems.sorted()[0].message_zh
    assert "未知字段" in format_json(problems)  # Chinese as itself, not \\u escapes


def test_format_json_of_nothing():
    assert json.loads(format_json(Problems())) == []


# The catalogue


def test_every_message_is_bilingual_and_well_formed():
    for code, message in MESSAGES.items():
        assert message.level in ("error", "warning"), code
        assert has_chinese(message.zh), code
        assert mostly_ascii(message.en), code
        names_zh = {name for _, name, _, _ in string.Formatter().parse(message.zh) if name}
        names_en = {name for _, name, _, _ in string.Formatter().parse(message.en) if name}
        params = {name: "x" for name in names_zh | names_en}
        zh, en = message.zh.format(**params), message.en.format(**params)
        assert len(zh) > 10 and len(en) > 20, code


def _add_calls() -> list[tuple[str, int, ast.Call]]:
    """Every `….add(…)` on Problems in the package, with its file and line."""
    package = Path(content_model.__file__).parent
    calls = []
    for path in sorted(package.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "add"
                and (
                    (isinstance(node.func.value, ast.Attribute) and node.func.value.attr == "problems")
                    or (isinstance(node.func.value, ast.Name) and node.func.value.id == "problems")
                )
            ):
                calls.append((path.name, node.lineno, node))
    return calls


IMAGE_CODES = ("image-unreadable", "image-too-large", "image-format")
CALLS = _add_calls()


def test_the_package_has_problem_calls_to_check():
    assert len(CALLS) >= 40


def _literal_codes(first: ast.expr) -> list[str] | None:
    """The code of a call, or both codes of `"a" if … else "b"`; None when it is not written out."""
    if isinstance(first, ast.Constant):
        return [first.value]
    if isinstance(first, ast.IfExp) and isinstance(first.body, ast.Constant) and isinstance(first.orelse, ast.Constant):
        return [first.body.value, first.orelse.value]
    return None


def _call_id(where: str, call: ast.Call) -> str:
    codes = _literal_codes(call.args[0]) if call.args else None
    return f"{where}-{'|'.join(codes) if codes else 'dynamic'}"


@pytest.mark.parametrize(("where", "line", "call"), CALLS, ids=[_call_id(w, c) for w, _, c in CALLS])
def test_every_call_formats_its_message(where, line, call):
    """Call Problems.add exactly as the package does (same positional count, same keywords)."""
    first = call.args[0]
    # a code that is not a literal is bad.code from vet_image, refused.code from cleaning an attachment,
    # or a finding of the body rules with its parameters
    codes = _literal_codes(first)
    if not codes:
        if ast.unparse(first) == "refused.code":
            codes = list(REFUSAL_CODES)
        elif where == "body.py":
            codes = list(FINDING_CODES)
        else:
            codes = list(IMAGE_CODES)
    for code in codes:
        assert code in MESSAGES, f"{where}:{line} uses unknown code {code}"
        positional = ["content/articles/a.md", 3, "field"][: len(call.args) - 1]
        keywords = {kw.arg: "值" for kw in call.keywords if kw.arg is not None}
        if code in FINDING_CODES:
            keywords.update(value="值", tag="值")
        problem = Problems().add(code, *positional, **keywords)
        assert has_chinese(problem.message_zh)
        assert mostly_ascii(problem.message_en)


# check.main: `make check`


@pytest.fixture
def clean_env(monkeypatch):
    for name in ("FORMAT", "FILES", "SITE_NOW", "SITE_ROOT"):
        monkeypatch.delenv(name, raising=False)


def run(capsys, root: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--root", str(root), "--site-now", "2020-07-25 12:00", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_check_exit_0_on_a_clean_site(site, capsys, clean_env):
    site.article("a")
    code, out, _ = run(capsys, site.root, "--format", "json")
    assert code == 0
    assert json.loads(out) == []


def test_check_exit_0_with_warnings_only(site, capsys, clean_env):
    site.article("a", pin_until="2020-08-01")
    code, out, _ = run(capsys, site.root, "--format", "json")
    assert code == 0
    assert [p["code"] for p in json.loads(out)] == ["pin-until-without-pin"]


def test_check_exit_1_on_a_content_error(site, capsys, clean_env):
    site.article("a", colums="[zuimei-2020]")
    code, out, _ = run(capsys, site.root, "--format", "json")
    assert code == 1
    [problem] = json.loads(out)
    assert set(problem) == JSON_KEYS
    assert (problem["file"], problem["line"], problem["field"], problem["code"]) == (
        "content/articles/a.md",
        6,
        "colums",
        "unknown-field",
    )


def test_check_text_format(site, capsys, clean_env):
    site.article("a", colums="[zuimei-2020]")
    code, out, _ = run(capsys, site.root)
    assert code == 1
    assert "content/articles/a.md" in out
    assert out.index("未知字段") < out.index("Unknown field")


def test_check_github_format(site, capsys, clean_env):
    site.article("a", colums="[zuimei-2020]")
    code, out, _ = run(capsys, site.root, "--format", "github")
    assert code == 1
    assert out.startswith("::error file=content/articles/a.md,line=6,title=unknown-field colums::")


def test_check_usage_error_bad_format(site, capsys, clean_env):
    site.article("a")
    code, out, err = run(capsys, site.root, "--format", "xml")
    assert code == 2
    assert "xml" in err
    assert out == ""


def test_check_usage_error_format_from_environment(site, capsys, clean_env, monkeypatch):
    site.article("a")
    monkeypatch.setenv("FORMAT", "xml")
    code, _, _ = run(capsys, site.root)
    assert code == 2


def test_check_usage_error_missing_file(site, capsys, clean_env):
    site.article("a")
    code, _, err = run(capsys, site.root, "--files", "content/articles/nope.md")
    assert code == 2
    assert "content/articles/nope.md" in err


@pytest.mark.parametrize("now", ["2020-07-25 25:00", "tomorrow", "2020/07/25 12:00"])
def test_check_usage_error_bad_site_now(site, capsys, clean_env, now):
    site.article("a")
    code = main(["--root", str(site.root), "--site-now", now])
    _, err = capsys.readouterr()
    assert code == 2
    assert "SITE_NOW" in err


def test_check_bad_site_now_from_the_environment(site, capsys, clean_env, monkeypatch):
    site.article("a")
    monkeypatch.setenv("SITE_NOW", "2020/07/25")
    code = main(["--root", str(site.root)])
    capsys.readouterr()
    assert code == 2


def test_check_files_limits_what_is_reported(site, capsys, clean_env):
    site.article("a")
    site.article("c", colums="x")
    code, out, _ = run(capsys, site.root, "--format", "json", "--files", "content/articles/a.md")
    assert code == 0
    assert json.loads(out) == []
    code, out, _ = run(capsys, site.root, "--format", "json", "--files", "content/articles/a.md content/articles/c.md")
    assert code == 1
    assert [p["file"] for p in json.loads(out)] == ["content/articles/c.md"]


def test_check_files_still_sees_references_to_other_files(site, capsys, clean_env):
    site.article("b", type="news")
    site.article("a", type="interpretation", interprets="b")
    code, out, _ = run(capsys, site.root, "--format", "json", "--files", "content/articles/a.md")
    assert code == 1
    assert [p["code"] for p in json.loads(out)] == ["interprets-not-release"]


def test_check_files_reports_a_duplicate_slug_in_the_named_file(site, capsys, clean_env):
    site.article("a", slug="same")
    site.article("b", slug="same")
    code, out, _ = run(capsys, site.root, "--format", "json", "--files", "content/articles/a.md")
    problems = json.loads(out)
    assert code == 1
    assert "duplicate-slug" in [p["code"] for p in problems]
    assert all(p["file"] == "content/articles/a.md" for p in problems)


def test_check_files_reports_a_duplicate_slug_in_the_other_named_file(site, capsys, clean_env):
    site.article("a", slug="same")
    site.article("b", slug="same")
    code, out, _ = run(capsys, site.root, "--format", "json", "--files", "content/articles/b.md")
    assert code == 1
    [problem] = json.loads(out)
    assert problem["code"] == "duplicate-slug"
    assert "content/articles/a.md" in problem["message_en"]


def test_check_files_reports_an_alias_that_takes_the_named_files_url(site, capsys, clean_env):
    # b.md (already on the site) has an alias equal to a.md's URL: a pull request adding a.md must fail.
    site.article("a")
    site.article("b", aliases="[/articles/2020/07/a/]")
    code, out, _ = run(capsys, site.root, "--format", "json", "--files", "content/articles/a.md")
    assert code == 1
    assert "duplicate-url" in [p["code"] for p in json.loads(out)]


def test_check_never_shows_a_traceback_for_bad_content(site, capsys, clean_env):
    site.write("content/articles/a.md", "---\ntitle: [\n---\n")
    site.write("content/articles/b.md", b"---\ntitle: \xb2\xe2\n---\n")
    code, out, err = run(capsys, site.root, "--format", "json")
    assert code == 1
    assert "Traceback" not in err
    assert "内部出错" not in err  # content problems are reported as problems, not as a checker failure
    problems = json.loads(out)
    # The unreadable title line is reported, and the rest of that front matter is still checked.
    assert {p["code"] for p in problems} == {"yaml-syntax", "not-utf8", "required", "review-missing"}
    assert {p["field"] for p in problems if p["code"] == "required"} == {"date", "department"}
