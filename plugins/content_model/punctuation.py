"""Full-width punctuation in Chinese text: "…" → “…”, (…) → （…）, and , . : ; ! ? after Chinese → ，。：；！？.

autocorrect changes a comma or full stop only right after a Chinese character; these rules also see a quote, a
bracket or a full stop after a closing bracket (小麦(郑麦369). → 小麦（郑麦369）。). Code, addresses, e-mail,
HTML and Markdown link targets are left as written, and so are numbers (3.5, 1,000, 9:30) and English phrases.
"""

from __future__ import annotations

import re

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_FULLWIDTH_PUNCTUATION = set("，。、；：！？“”‘’（）《》〈〉「」『』【】〔〕…—·")
_CLOSING = set("”’）》〉」』】〕")
# What a rule must not touch: inline code, link targets ](…), HTML tags and autolinks, addresses, e-mail, entities.
_PROTECTED = re.compile(
    r"(`+).+?\1"
    r"|\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*(?:\s+\"[^\"]*\")?\)"
    r"|\]\[[^\]]*\]"
    r"|<[^<>\n]*>"
    r"|(?:https?|ftp)://[^\s<>\"“”（）【】，。；！？]+"
    r"|www\.[A-Za-z0-9.-]+[^\s<>\"“”（）【】，。；！？]*"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|&#?\w+;"
)
_FULL = {",": "，", ".": "。", ":": "：", ";": "；", "!": "！", "?": "？"}
_EMPHASIS = set("*_~")
# 一. 二. at the start of a line count items, as 一、二、 do in Chinese (autocorrect would make it 一。).
_NUMBERED = re.compile(r"^(\s*(?:#+\s+|[-*+]\s+|>\s*)?[一二三四五六七八九十百]+)[.．]\s*(?=\S)")


def _chinese(char: str) -> bool:
    """A Chinese character or full-width punctuation: what makes the punctuation next to it Chinese."""
    return bool(char) and (char in _FULLWIDTH_PUNCTUATION or bool(_HAN.match(char)))


class _Line:
    """One line's characters, each replaceable by a string (empty: deleted), with protected spans marked."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.out = list(text)
        self.free = [True] * len(text)
        for match in _PROTECTED.finditer(text):
            for index in range(match.start(), match.end()):
                self.free[index] = False

    def at(self, index: int) -> str:
        """The character at index as the rules have made it so far ('' outside the line)."""
        return self.out[index][-1:] if 0 <= index < len(self.out) and self.out[index] else ""

    def before(self, index: int) -> int:
        """Index of the character a mark follows: spaces and Markdown emphasis (**, _, ~~) are looked through."""
        index -= 1
        while index >= 0 and (self.text[index] == " " or (self.text[index] in _EMPHASIS and self.free[index])):
            index -= 1
        return index

    def after(self, index: int) -> int:
        index += 1
        while index < len(self.text) and (
            self.text[index] == " " or (self.text[index] in _EMPHASIS and self.free[index])
        ):
            index += 1
        return index

    def next_to_chinese(self, start: int, end: int) -> bool:
        inner = "".join(self.out[start + 1 : end])
        return bool(_HAN.search(inner)) or _chinese(self.at(start - 1)) or _chinese(self.at(end + 1))

    def _apostrophe(self, index: int) -> bool:
        """A ' between two Latin letters (it's) is an apostrophe, not a quote."""
        before, after = self.text[index - 1 : index], self.text[index + 1 : index + 2]
        return self.text[index] == "'" and (before + after).isascii() and before.isalpha() and after.isalpha()

    def quotes(self) -> None:
        """Pairs of " " around or beside Chinese become “ ”, pairs of ' ' become ‘ ’ (nested: “河南‘最美’”).

        An odd count of a mark is left alone: no pairing of them is sure.
        """
        for mark, pair in (('"', "“”"), ("'", "‘’")):
            marks = [
                i
                for i, char in enumerate(self.text)
                if char == mark and self.free[i] and self.out[i] == mark and not self._apostrophe(i)
            ]
            if len(marks) % 2:
                continue
            for start, end in zip(marks[::2], marks[1::2], strict=True):
                if self.next_to_chinese(start, end):
                    self.out[start], self.out[end] = pair

    def brackets(self) -> None:
        """( ) around or beside Chinese become （ ）, innermost pairs first."""
        stack: list[int] = []
        for index, char in enumerate(self.text):
            if not self.free[index]:
                continue
            if char == "(":
                stack.append(index)
            elif char == ")" and stack:
                start = stack.pop()
                if index > start + 1 and self.out[start] == "(" and self.next_to_chinese(start, index):
                    self.out[start], self.out[index] = "（", "）"

    def marks(self) -> None:
        """, . : ; ! ? after Chinese (or a full-width closing mark) become full-width, without spaces around."""
        for index, char in enumerate(self.text):
            if char not in _FULL or not self.free[index] or self.out[index] != char:
                continue
            previous, following = self.before(index), self.after(index)
            left, right = self.at(previous), self.at(following)
            if char == "." and self.text[index : index + 3] == "...":
                if _chinese(left):
                    self.out[index : index + 3] = ["……", "", ""]
                continue
            if char == "." and (self.text[index - 1 : index] == "." or right == "."):
                continue  # the rest of an ellipsis, or .. in a path
            if _chinese(left):
                if char == "." and right and not (_chinese(right) or right in "\"'"):
                    continue  # 见附件.pdf, 科协.中国 … a full stop is only one before Chinese or at the end
                if char == ":" and right == "/":
                    continue
            elif not (
                char in ",;!?" and left.isalnum() and _HAN.match(right) and previous + 1 == index == following - 1
            ):
                continue  # AI,我们 → AI，我们; but "Hello, world! 你好" keeps its English marks
            self.out[index] = _FULL[char]
            for space in (*range(previous + 1, index), *range(index + 1, following)):
                if self.text[space] == " ":
                    self.out[space] = ""

    def result(self) -> str:
        return "".join(self.out)


def fullwidth(text: str) -> str:
    """The text with the ASCII punctuation of its Chinese sentences made full-width."""
    if not _HAN.search(text):
        return text
    text = _NUMBERED.sub(r"\1、", text)
    for _round in range(3):  # a quote made Chinese can make the colon after it Chinese, and the other way round
        line = _Line(text)
        line.quotes()
        line.brackets()
        line.marks()
        line.quotes()
        line.brackets()
        new = line.result()
        if new == text:
            break
        text = new
    return text
