"""The reviewer registry: OpenSSH public keys read down to the bytes, unique names and keys, stages, editors."""

from __future__ import annotations

import base64
import struct
import subprocess
from pathlib import Path

import pytest

from content_model.reviewers import Registry, editors_of
from content_model.ssh_keys import BadKey, parse_public_key
from tests.unit.conftest import SiteBuilder, find, has_chinese, one


def _keygen(folder: Path, key_type: str, bits: int | None = None) -> str:
    """A new key pair in `folder`; its public key's line."""
    folder.mkdir(parents=True, exist_ok=True)
    name = folder / f"key-{len(list(folder.iterdir()))}"
    args = ["-t", key_type] + (["-b", str(bits)] if bits else [])
    subprocess.run(["ssh-keygen", "-q", *args, "-N", "", "-C", "reviewer", "-f", str(name)], check=True)
    return Path(f"{name}.pub").read_text(encoding="utf-8").strip()


def _fingerprint(folder: Path, public: str) -> str:
    path = folder / "shown.pub"
    path.write_text(public + "\n", encoding="utf-8")
    return subprocess.run(["ssh-keygen", "-lf", str(path)], capture_output=True, text=True, check=True).stdout.split()[
        1
    ]


def _blob(*parts: bytes) -> str:
    return base64.b64encode(b"".join(struct.pack(">I", len(p)) + p for p in parts)).decode("ascii")


@pytest.mark.parametrize(
    ("key_type", "bits"), [("ed25519", None), ("ecdsa", 256), ("ecdsa", 384), ("ecdsa", 521), ("rsa", 2048)]
)
def test_keys_ssh_keygen_makes_are_read_with_the_fingerprint_git_shows(tmp_path: Path, key_type: str, bits) -> None:
    public = _keygen(tmp_path, key_type, bits)
    key = parse_public_key(public)
    assert key.text == " ".join(public.split()[:2])
    assert key.comment == "reviewer"
    assert key.fingerprint == _fingerprint(tmp_path, public)
    assert parse_public_key("key::" + public) == key  # git's literal form of user.signingkey


def test_a_security_key_is_accepted() -> None:
    blob = _blob(b"sk-ssh-ed25519@openssh.com", bytes(range(32)), b"ssh:")
    assert parse_public_key(f"sk-ssh-ed25519@openssh.com {blob} yubikey").type == "sk-ssh-ed25519@openssh.com"


def test_short_rsa_dsa_and_broken_keys_are_refused_with_a_reason(tmp_path: Path) -> None:
    ed25519 = _keygen(tmp_path, "ed25519")
    kind, blob = ed25519.split()[:2]
    bad = {
        _keygen(tmp_path, "rsa", 1024): "1024",
        f"ssh-dss {_blob(b'ssh-dss', b'p', b'q', b'g', b'y')}": "ssh-dss",
        f"ssh-rsa {blob}": "ssh-ed25519",  # the blob says it is another type
        f"{kind} {blob[:-8]}": "",  # cut short
        f"{kind} {blob[:20]}!!{blob[22:]}": "base64",
        f"{kind} {_blob(b'ssh-ed25519', bytes(31))}": "32",
        f"{kind} {_blob(b'ssh-ed25519', bytes(32), b'extra')}": "",
        "AAAAC3NzaC1lZDI1NTE5AAAAIGc": "",
        f"ecdsa-sha2-nistp256 {_blob(b'ecdsa-sha2-nistp256', b'nistp384', bytes([4]) + bytes(64))}": "nistp384",
    }
    for text, said in bad.items():
        with pytest.raises(BadKey) as refused:
            parse_public_key(text)
        assert has_chinese(refused.value.zh) and said in refused.value.en, text


def _registry(site: SiteBuilder, text: str):
    site.write("content/data/reviewers.yml", text)
    return site.load()


def test_the_registry_is_checked_like_the_others(site: SiteBuilder, tmp_path: Path) -> None:
    one_key, two_key = _keygen(tmp_path, "ed25519"), _keygen(tmp_path, "ed25519")
    loaded = _registry(
        site,
        f'- {{name: 陈静, signing_key: "{one_key}", github: chenjing, stages: [first, second]}}\n'
        f'- {{name: 陈静, signing_key: "{two_key}"}}\n'
        f'- {{name: 赵磊, signing_key: "{one_key}"}}\n'
        '- {name: 孙敏, signing_key: "ssh-rsa AAAA"}\n'
        f'- {{name: 周涛, signing_key: "{two_key}", stages: [final, thrid]}}\n'
        f'- {{name: 王建国, signing_key: "{_keygen(tmp_path, "ed25519")}", colour: red}}\n',
    )
    assert one(loaded, "reviewer-duplicate-name").line == 2
    assert one(loaded, "reviewer-duplicate-key").line == 3
    bad_key = one(loaded, "reviewer-bad-key")
    assert (bad_key.line, bad_key.field) == (4, "signing_key") and "孙敏" in bad_key.message_zh
    stage = one(loaded, "bad-choice")
    assert (stage.line, stage.field) == (5, "stages") and "thrid" in stage.message_en
    assert [p.line for p in find(loaded, "unknown-field")] == [6]
    reviewers = loaded.registries["reviewers"]
    assert list(reviewers) == ["陈静", "周涛", "王建国"]
    assert reviewers["陈静"]["stages"] == ["first", "second"]
    assert reviewers["周涛"]["stages"] == ["final"]  # a mistyped stage grants nothing


def test_a_site_without_a_reviewer_registry_is_valid(site: SiteBuilder) -> None:
    site.article()
    loaded = site.load()
    assert loaded.registries["reviewers"] == {}
    assert not loaded.problems.errors


def test_reviewers_are_found_by_key_and_account_and_may_sign_every_stage_by_default(tmp_path: Path) -> None:
    keys = [parse_public_key(_keygen(tmp_path, "ed25519")) for _ in range(2)]
    registry = Registry.from_entries(
        {
            "陈静": {"key": keys[0], "github": "@ChenJing", "stages": ["first"], "line": 1},
            "孙敏": {"key": keys[1], "line": 2},
        }
    )
    assert registry.by_fingerprint[keys[1].fingerprint].name == "孙敏"
    assert registry.by_name["孙敏"].stages == ("first", "second", "final")
    assert registry.by_github["chenjing"].name == "陈静"
    signers = registry.allowed_signers().splitlines()
    assert signers == [f'reviewer-{i} namespaces="git" {k.text}' for i, k in enumerate(keys)]


def test_editors_of_an_article_come_from_its_section_and_columns(site: SiteBuilder) -> None:
    site.write(
        "content/data/sections.yml",
        "- {id: news, name: 科协要闻, editors: ['@hnast-sunmin']}\n- {id: notices, name: 通知公告}\n",
    )
    site.column("zuimei", editors="[hnast-zhang, Hnast-Duxy]")
    site.column("other")
    site.article("a", columns="[zuimei, other]")
    site.article("b", section="notices", slug="b")
    loaded = site.load()
    assert not loaded.problems.errors, loaded.problems.items
    articles = {a.rel: a for a in loaded.articles.values()}
    columns = loaded.items["column"]
    assert editors_of(articles["content/articles/a.md"], loaded.registries, columns) == {
        "hnast-sunmin",
        "hnast-zhang",
        "hnast-duxy",
    }
    assert editors_of(articles["content/articles/b.md"], loaded.registries, columns) == set()
