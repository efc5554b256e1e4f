"""golive: every setting still at the sample site's value is found, with its file and what to put there."""

from __future__ import annotations

import re
from typing import Any

import pytest

from content_model.check import read_publish_settings
from golive.check import report
from golive.examples import SAMPLE, Server, findings, is_example_host
from tests.sites import PROJECT

SAMPLE_SERVER = Server("rsync_upload", "www.example.org", "deploy", "/var/www/site")
LIVE_SERVER = Server("rsync_upload", "web1.hast.org.cn", "fabu", "/srv/www/hast")


def live_settings() -> dict[str, Any]:
    """The sample's settings with every example value replaced, as an office would before going live."""
    settings = dict(read_publish_settings())
    settings.update(
        SITEURL="https://www.hast.org.cn",
        FEED_DOMAIN="https://www.hast.org.cn",
        SITE_ABSOLUTE_URL="https://www.hast.org.cn",
        SITE_DOMAIN="www.hast.org.cn",
        CMS_REPO="hast-press/site",
        CMS_AUTH_URL="https://cms-auth.hast.org.cn",
    )
    settings["SITE_FOOTER"] = {
        **settings["SITE_FOOTER"],
        "host": "某省科学技术协会",
        "email": "xuanchuan@hast.org.cn",
        "icp": "豫ICP备12345678号-1",
        "police": "豫公网安备 41010502001234号",
        "site_code": "4100000123",
        "party_mark": {**settings["SITE_FOOTER"]["party_mark"], "image": "theme/img/party-mark.png"},
    }
    settings["ERROR_REPORT_EMAIL"] = "zhaocuo@hast.org.cn"
    return settings


def test_the_sample_settings_are_all_found() -> None:
    found = {f.setting: f for f in findings(read_publish_settings(), SAMPLE_SERVER)}
    assert set(found) >= {
        "SITEURL",
        "SITE_DOMAIN",
        'SITE_FOOTER["host"]（主办单位）',
        'SITE_FOOTER["icp"]（ICP备案号）',
        'SITE_FOOTER["police"]（公安备案号）',
        'SITE_FOOTER["site_code"]（网站标识码）',
        'SITE_FOOTER["party_mark"]（党政机关标识）',
        "ERROR_REPORT_EMAIL",
        "CMS_REPO",
        "CMS_AUTH_URL",
        'SITE_FOOTER["email"]',
        "SSH_HOST",
        "SSH_USER",
        "SSH_TARGET_DIR",
    }
    assert found["SITEURL"].value == "https://www.hnast.example" and "publishconf.py" in found["SITEURL"].where
    assert found["SITE_DOMAIN"].where == "pelicanconf.py" and "Makefile" in found["SSH_HOST"].where
    assert not any(f.value == found["SITEURL"].value for name, f in found.items() if name != "SITEURL")


def test_the_sample_values_are_the_ones_the_project_ships() -> None:
    settings = read_publish_settings()
    assert settings["SITE_FOOTER"]["host"] == SAMPLE["host"] and settings["CMS_REPO"] == SAMPLE["cms_repo"]
    assert settings["SITE_FOOTER"]["party_mark"]["image"] == SAMPLE["party_mark"]
    makefile = (PROJECT / "Makefile").read_text(encoding="utf-8")
    for key, variable in (("ssh_host", "SSH_HOST"), ("ssh_user", "SSH_USER"), ("ssh_target_dir", "SSH_TARGET_DIR")):
        assert re.search(rf"^{variable} \?= {re.escape(SAMPLE[key])}$", makefile, re.MULTILINE), variable


def test_a_site_ready_to_go_live_passes() -> None:
    assert findings(live_settings(), LIVE_SERVER) == []
    assert "上线检查通过" in report([])


def test_a_gh_pages_site_is_not_asked_for_a_server() -> None:
    found = findings(live_settings(), Server("github", "www.example.org", "deploy", "/var/www/site"))
    assert found == []


def test_confirmed_values_pass_but_an_example_domain_never_does() -> None:
    settings = live_settings()
    settings["SITE_FOOTER"] = {**settings["SITE_FOOTER"], "host": SAMPLE["host"], "site_code": ""}
    assert {f.key for f in findings(settings, LIVE_SERVER)} == {"host", "site_code"}
    settings["GOLIVE_CONFIRMED"] = ["host", "site_code", "siteurl"]
    assert findings(settings, LIVE_SERVER) == []
    settings["SITEURL"] = "https://www.hnast.example"
    assert [f.key for f in findings(settings, LIVE_SERVER)] == ["siteurl"]


def test_any_other_setting_with_an_example_address_is_found() -> None:
    settings = live_settings()
    settings["ERROR_REPORT_EMAIL"] = "jiucuo@hnast.example"
    settings["SITE_LINKS"] = [{"name": "郑州市科协", "url": "https://www.zzast.example.org/"}]
    found = {f.setting: f.value for f in findings(settings, LIVE_SERVER)}
    assert found == {
        "ERROR_REPORT_EMAIL": "jiucuo@hnast.example",
        'SITE_LINKS[0]["url"]': "https://www.zzast.example.org/",
    }


def test_the_domain_must_be_the_siteurl_domain() -> None:
    settings = {**live_settings(), "SITE_DOMAIN": "hast.org.cn"}
    [finding] = findings(settings, LIVE_SERVER)
    assert finding.setting == "SITE_DOMAIN" and "www.hast.org.cn" in finding.todo_zh


def test_the_report_names_file_setting_value_and_fix_in_both_languages() -> None:
    found = findings(read_publish_settings(), SAMPLE_SERVER)
    text = report(found)
    assert len(found) >= 14
    assert text.startswith(f"上线检查未通过：还有 {len(found)} 项设置是示例值")
    assert f"Go-live check failed: {len(found)} setting(s)" in text
    assert "1. SITEURL · publishconf.py" in text and "现在 now: https://www.hnast.example" in text
    assert '在 pelicanconf.py 的 GOLIVE_CONFIRMED 中加上 "host"' in text
    assert text.count("   改为：") == text.count("   Put: ") == len(found)


@pytest.mark.parametrize(
    ("host", "example"),
    [
        ("www.example.org", True),
        ("www.hnast.example", True),
        ("example.com", True),
        ("site.test", True),
        ("localhost", True),
        ("", True),
        ("www.hast.org.cn", False),
        ("example.hast.org.cn", False),
        ("203.0.113.10", False),
    ],
)
def test_example_hosts(host: str, example: bool) -> None:
    assert is_example_host(host) is example
