"""slugs, times and pins: ids, pinyin slugs, Asia/Shanghai times, and how long a pin holds."""

from __future__ import annotations

import datetime

import pytest

from content_model.publication import pin_active
from content_model.slugs import is_id, needs_pinyin, slug_from_filename, slugify
from content_model.times import SITE_TZ, BadTime, end_of_day, list_format, parse_time, site_now, text_format

# Slugs


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Hello World", "hello-world"),
        ("  --foo__bar--  ", "foo-bar"),
        ("Keji Gongzuozhe Ri 2020", "keji-gongzuozhe-ri-2020"),
        ("重庆", "chongqing"),
        ("银行", "yinhang"),
        ("科协要闻", "kexie-yaowen"),
    ],
)
def test_slugify(text, slug):
    assert slugify(text) == slug


def test_slugify_chinese_sentence():
    slug = slugify("与重庆市科协交流座谈")
    assert "chongqing" in slug
    assert is_id(slug)


@pytest.mark.parametrize(
    "text", ["与重庆市科协交流座谈", "扎根中原的“最美科技工作者”", "2020年全国科普日", "科普 AI 2020"], ids=range(4)
)
def test_slugify_always_gives_an_id(text):
    assert is_id(slugify(text))


@pytest.mark.parametrize(
    ("text", "word", "letters"),
    [
        ("2020年全国科普日", "2020", "2020nianquanguokepuri"),
        ("中国科协 CAST 年会", "cast", "zhongguokexiecastnianhui"),
        ("科普AI大赛", "ai", "kepuaidasai"),
    ],
    ids=["year", "latin-word", "latin-letters"],
)
def test_slugify_keeps_ascii_words_and_numbers_whole_among_chinese(text, word, letters):
    # Digits and Latin words inside a Chinese name stay as written (2020, cast), not split letter by letter.
    slug = slugify(text)
    assert word in slug.split("-"), slug
    assert slug.replace("-", "") == letters


def test_slugify_of_nothing_usable_is_empty():
    assert slugify("!!!") == ""
    assert slugify("") == ""


@pytest.mark.parametrize(
    ("stem", "slug"),
    [
        ("2020-07-20-foo-bar", "foo-bar"),
        ("2020-7-2_foo-bar", "foo-bar"),
        ("2020-07-20 Foo Bar", "foo-bar"),
        ("foo-2020-07-20", "foo-2020-07-20"),
        ("2020-07-20", "2020-07-20"),  # nothing left after the date: keep the date
        ("zuimei-li-ming", "zuimei-li-ming"),
    ],
)
def test_slug_from_filename(stem, slug):
    assert slug_from_filename(stem) == slug


def test_slug_from_filename_drops_the_date_before_chinese():
    slug = slug_from_filename("2020-07-20-与重庆市科协交流座谈")
    assert slug.startswith("yu-chongqing") or slug.startswith("yuchongqing")
    assert "2020" not in slug


@pytest.mark.parametrize("value", ["news", "li-ming", "a1-b2-c3", "2020"])
def test_is_id_accepts(value):
    assert is_id(value)


@pytest.mark.parametrize("value", ["News", "li_ming", "-a", "a-", "a--b", "a b", "", "李明", "a.b"])
def test_is_id_rejects(value):
    assert not is_id(value)


def test_needs_pinyin():
    assert needs_pinyin("与重庆市科协交流座谈")
    assert needs_pinyin("2020-科普")
    assert not needs_pinyin("2020-07-20-foo-bar")


# Times


def test_parse_time_with_minutes():
    moment = parse_time("2020-07-15 10:00")
    assert moment == datetime.datetime(2020, 7, 15, 10, 0, tzinfo=SITE_TZ)
    assert moment.utcoffset() == datetime.timedelta(hours=8)


def test_parse_time_date_only_is_midnight():
    assert parse_time("2020-07-15") == datetime.datetime(2020, 7, 15, 0, 0, tzinfo=SITE_TZ)


def test_parse_time_accepts_yaml_values():
    assert parse_time(datetime.date(2020, 7, 15)) == datetime.datetime(2020, 7, 15, tzinfo=SITE_TZ)
    assert parse_time(datetime.datetime(2020, 7, 15, 10, 0)) == datetime.datetime(2020, 7, 15, 10, 0, tzinfo=SITE_TZ)


def test_parse_time_single_digit_month_and_day():
    assert parse_time("2020-7-5 9:30") == datetime.datetime(2020, 7, 5, 9, 30, tzinfo=SITE_TZ)


@pytest.mark.parametrize(
    "value", ["2020/07/01", "2020-13-01", "2020-02-30", "2020-07-15 25:00", "2020-07-15 10:60", "15 July 2020", ""]
)
def test_parse_time_rejects(value):
    with pytest.raises(BadTime):
        parse_time(value)


def test_site_now_from_text():
    assert site_now("2020-07-25 12:00") == datetime.datetime(2020, 7, 25, 12, 0, tzinfo=SITE_TZ)


def test_site_now_from_the_environment(monkeypatch):
    monkeypatch.setenv("SITE_NOW", "2020-07-25 12:00")
    assert site_now() == datetime.datetime(2020, 7, 25, 12, 0, tzinfo=SITE_TZ)


def test_site_now_bad_value(monkeypatch):
    with pytest.raises(BadTime):
        site_now("tomorrow")
    monkeypatch.setenv("SITE_NOW", "2020/07/25")
    with pytest.raises(BadTime):
        site_now()


def test_site_now_defaults_to_the_real_time_in_shanghai(monkeypatch):
    monkeypatch.delenv("SITE_NOW", raising=False)
    now = site_now()
    real = datetime.datetime.now(datetime.UTC)
    assert now.utcoffset() == datetime.timedelta(hours=8)
    assert abs((now - real).total_seconds()) < 5


def test_list_format():
    assert list_format(parse_time("2020-07-15 10:00")) == "2020-07-15 10:00"


def test_text_format():
    assert text_format(parse_time("2020-07-15 10:00")) == "2020年7月15日"
    assert text_format(parse_time("2020-01-05")) == "2020年1月5日"


def test_formats_convert_to_shanghai_time():
    utc = datetime.datetime(2020, 7, 14, 18, 30, tzinfo=datetime.UTC)  # 02:30 next day in Shanghai
    assert list_format(utc) == "2020-07-15 02:30"
    assert text_format(utc) == "2020年7月15日"


def test_end_of_day():
    assert end_of_day(parse_time("2020-08-01")).strftime("%Y-%m-%d %H:%M:%S") == "2020-08-01 23:59:59"


# Pins


NOW = parse_time("2020-07-25 12:00")
PIN = {"pin": 1, "pin_until": parse_time("2020-08-01")}


@pytest.mark.parametrize(
    ("now", "active"),
    [
        ("2020-07-25 12:00", True),
        ("2020-08-01 00:00", True),
        ("2020-08-01 12:00", True),
        ("2020-08-01 23:59", True),
        ("2020-08-02 00:00", False),
        ("2020-09-01 00:00", False),
    ],
)
def test_pin_holds_through_the_whole_pin_until_day(now, active):
    assert pin_active(PIN, parse_time(now)) is active


def test_pin_without_pin_until_holds():
    assert pin_active({"pin": 1}, parse_time("2030-01-01"))


def test_pin_zero_is_a_pin():
    assert pin_active({"pin": 0}, NOW)


def test_no_pin_is_not_pinned():
    assert not pin_active({"pin_until": parse_time("2020-08-01")}, NOW)
    assert not pin_active({}, NOW)


def test_pin_until_read_from_a_file(site):
    site.article("a", pin="1", pin_until="2020-08-01")
    item = site.load().articles["a"]
    assert pin_active(item.values, parse_time("2020-08-01 23:59"))
    assert not pin_active(item.values, parse_time("2020-08-02 00:00"))
