"""The automatic summary: the first sentences of the body's opening paragraphs, never a heading, list or caption."""

from __future__ import annotations

import markdown
import pytest
from pelicanconf import MARKDOWN

from content_model import sanitize
from publishing.summary import SUMMARY_CHARS, plain_summary, shorten


def body(text: str) -> str:
    """A body as the reader makes it: our Markdown dialect, then the sanitiser."""
    converter = markdown.Markdown(
        extensions=MARKDOWN["extensions"], extension_configs=MARKDOWN["extension_configs"], output_format="html5"
    )
    return sanitize.sanitize(converter.convert(text), ())


LONG = "省科协组织专家服务团深入全省十八个省辖市的农业产业园区和企业生产一线，" * 6


@pytest.mark.parametrize(
    ("markdown_text", "summary"),
    [
        # A heading first: its words are not a sentence of the summary.
        (
            "## 调查概况\n\n调查显示，我省公民具备科学素质的比例达到9.46%。",
            "调查显示，我省公民具备科学素质的比例达到9.46%。",
        ),
        # A list first, then the story.
        ("- 时间：7月1日\n- 地点：郑州\n\n会议在郑州召开。", "会议在郑州召开。"),
        # An image first: its alt text is not read.
        ("![专家在田间查看小麦长势](a.jpg)\n\n专家走进田间地头。", "专家走进田间地头。"),
        # A paragraph with only an image, between two of the lead: it neither speaks nor ends the lead.
        ("第一段。\n\n![图片说明文字](a.jpg)\n\n第二段。", "第一段。第二段。"),
        # A table is skipped, and ends the lead that came before it.
        ("| 项目 | 数量 |\n|---|---|\n| 报送 | 3 |\n\n正文一句。", "正文一句。"),
        ("正文一句。\n\n| 项目 | 数量 |\n|---|---|\n| 报送 | 3 |\n\n表后一句。", "正文一句。"),
        # The lead ends at the next heading: 专家服务团走进产业一线 and what follows it are another section.
        ("导语一句。\n\n## 专家服务团走进产业一线\n\n后文一句。", "导语一句。"),
        # A caption in a figure, a block quote and a code block are never read.
        (
            '<figure markdown="1">\n![x](a.jpg)\n<figcaption>图为活动现场</figcaption>\n</figure>\n\n正文。',
            "正文。",
        ),
        ("> 引用的话。\n\n记者的话。", "记者的话。"),
        ("```\nprint(1)\n```\n\n正文。", "正文。"),
        # A salutation, a bold pseudo-heading and a bracketed note end no sentence: skipped before the lead.
        ("各省辖市科协：\n\n为做好宣传工作，现将有关事项通知如下。", "为做好宣传工作，现将有关事项通知如下。"),
        ("**一、调查概况**\n\n调查共收回问卷300份。", "调查共收回问卷300份。"),
        ("（作者系郑州大学法学院教授）\n\n新修订的条例值得关注。", "新修订的条例值得关注。"),
        # Inline formatting and links are part of the sentence; footnote marks and struck-out text are not.
        ("省科协**组织**[专家](https://example.org/)开展服务[^1]。\n\n[^1]: 注释。", "省科协组织专家开展服务。"),
        ("会议<del>原定</del>于今日召开。", "会议于今日召开。"),
        # Quotes: the closing quote after 。 belongs to the sentence.
        ("他说：“我们一定会做好。”大家鼓掌。", "他说：“我们一定会做好。”大家鼓掌。"),
        # A line wrapped in the source between two Chinese characters is no space; a space in the text stays.
        (
            "科普进社区\n健康伴我行。“科普进社区 健康伴我行”活动启动。",
            "科普进社区健康伴我行。“科普进社区 健康伴我行”活动启动。",
        ),
        # A body with nothing but headings and lists has no summary to give.
        ("## 标题\n\n- 一\n- 二", ""),
        ("", ""),
    ],
)
def test_summary_of_tricky_bodies(markdown_text: str, summary: str) -> None:
    assert plain_summary(body(markdown_text)) == summary


def test_it_ends_at_the_last_sentence_that_fits() -> None:
    sentences = ["第一句话讲了会议的时间和地点。", "第二句话讲了参会的人员。", "第三句话很长，" + "内容" * 60 + "。"]
    summary = plain_summary(body("".join(sentences)))
    assert summary == sentences[0] + sentences[1]


def test_a_first_sentence_longer_than_the_limit_is_cut_at_a_clause() -> None:
    summary = plain_summary(body(LONG + "最后结束。"))
    assert summary.endswith("一线……") and "，……" not in summary
    assert len(summary) <= SUMMARY_CHARS + 2
    assert LONG.startswith(summary.removesuffix("……"))


def test_a_sentence_with_no_clause_in_reach_is_cut_at_the_limit() -> None:
    summary = plain_summary(body("科" * 300 + "。"))
    assert summary == "科" * SUMMARY_CHARS + "……"


def test_english_sentences_end_at_a_period_before_a_space_not_in_a_number_or_a_name() -> None:
    text = "Version 3.5 of the tool is out at example.org today. " + "It is fast and it is free to use. " * 5
    summary = plain_summary(body(text))
    assert summary.startswith("Version 3.5 of the tool is out at example.org today.")
    assert summary.endswith("free to use.") and len(summary) <= SUMMARY_CHARS
    assert plain_summary(body("价格为3.5元，" + "比去年上涨" * 30 + "。")).startswith("价格为3.5元，比去年上涨")


def test_an_ellipsis_and_its_closing_quote_end_a_sentence() -> None:
    text = "他说：“路还很长……”" + "随后" * 70 + "。"
    assert plain_summary(body(text)) == "他说：“路还很长……”"


def test_a_sentence_inside_an_open_quote_is_no_end() -> None:
    # 。 inside “…” does not end the summary: the quote would be left open.
    text = "专家说：“第一点很重要。第二点" + "更重要" * 40 + "。”"
    summary = plain_summary(body(text))
    assert summary.endswith("……") and summary != "专家说：“第一点很重要。"


def test_english_paragraphs_are_joined_with_a_space() -> None:
    assert plain_summary(body("First one.\n\nSecond one.")) == "First one. Second one."


def test_only_the_beginning_of_a_long_body_is_read() -> None:
    # A broken end of a long body can't change the summary: parsing stops once the summary is known.
    html = body("第一段正文。" * 30) + "<p>" + "<b>" * 5000
    assert plain_summary(html).startswith("第一段正文。")


def test_shorten_keeps_a_text_that_fits() -> None:
    assert shorten("短句", 10) == "短句"
    assert shorten("一句。二句。三句。", 6) == "一句。二句。"
