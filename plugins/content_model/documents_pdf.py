"""A PDF rewritten without what runs or leaks: scripts, automatic and outside actions, embedded files, metadata.

What stays is what a reader of a notice needs: the pages and their text, bookmarks and links inside the document,
and links to web addresses. Everything is judged on the document as pypdf reads it, and only what pypdf read is
written back, so an object hidden from the reader by a broken cross-reference table cannot survive either.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject

from .documents_base import Finding, Refused

SCRIPTS = Finding("脚本（JavaScript）", "scripts (JavaScript)")
AUTOMATIC = Finding("打开或操作文档时自动执行的动作", "actions run on opening or using the document")
LAUNCH = Finding("启动其他程序的动作", "actions that launch programs")
FORMS = Finding("提交或导入表单数据的动作", "actions that submit or import form data")
OTHER_FILES = Finding("跳转到其他文件的链接", "links into other files")
EMBEDDED = Finding("嵌入的文件", "embedded files")
XFA = Finding("XFA 动态表单", "XFA forms")
MEDIA = Finding("多媒体和三维内容", "rich media and 3D content")
OTHER_LINKS = Finding("指向网址以外的链接", "links to other than web addresses")
OTHER_ACTIONS = Finding("其他动作", "other actions")

# Actions a reader may keep: moving inside the document, opening a web page, turning pages.
SAFE_NAMED = {"/NextPage", "/PrevPage", "/FirstPage", "/LastPage"}
LINK_SCHEMES = ("http://", "https://", "mailto:")
ACTION_FINDINGS = {
    "/JavaScript": SCRIPTS,
    "/Launch": LAUNCH,
    "/SubmitForm": FORMS,
    "/ImportData": FORMS,
    "/ResetForm": FORMS,
    "/GoToR": OTHER_FILES,
    "/GoToE": OTHER_FILES,
    "/Rendition": MEDIA,
    "/Movie": MEDIA,
    "/Sound": MEDIA,
    "/RichMediaExecute": MEDIA,
    "/GoTo3DView": MEDIA,
}
# Keys removed wherever they are, with what their removal means to the contributor (None: metadata, said nowhere).
REMOVED_KEYS: dict[str, Finding | None] = {
    "/AA": AUTOMATIC,  # additional actions: on page open, on focus, on keystroke, on close …
    "/JS": SCRIPTS,
    "/JavaScript": SCRIPTS,  # the document-level name tree of scripts
    "/EmbeddedFiles": EMBEDDED,
    "/EF": EMBEDDED,  # a file specification's embedded file streams
    "/AF": EMBEDDED,  # associated files (PDF 2.0)
    "/Collection": EMBEDDED,  # a portfolio's view of its embedded files
    "/XFA": XFA,
    "/RichMediaContent": MEDIA,
    "/Metadata": None,  # XMP packets, on the catalog, pages and images
    "/PieceInfo": None,  # application private data
}
REMOVED_ANNOTATIONS: dict[str, Finding] = {
    "/FileAttachment": EMBEDDED,
    "/RichMedia": MEDIA,
    "/Movie": MEDIA,
    "/Sound": MEDIA,
    "/Screen": MEDIA,
    "/3D": MEDIA,
}
ACTION_KEYS = ("/A", "/OpenAction", "/Next")


def _uri(action: DictionaryObject) -> str:
    value = action.get("/URI")
    value = value.get_object() if value is not None else ""
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


class _Cleaner:
    """One pass over every object of the writer, removing in place and noting what it removed."""

    def __init__(self) -> None:
        self.found: list[Finding] = []

    def _note(self, finding: Finding | None) -> None:
        if finding is not None and finding not in self.found:
            self.found.append(finding)

    def action_problem(self, value: PdfObject) -> Finding | None:
        """Why an action (or a chain of them) may not stay; None for a destination or a safe action."""
        action = value.get_object() if isinstance(value, IndirectObject) else value
        if isinstance(action, ArrayObject):
            # a destination ([page /XYZ …]) for /OpenAction; a list of actions for /Next
            for part in action:
                resolved = part.get_object() if isinstance(part, IndirectObject) else part
                if isinstance(resolved, DictionaryObject):
                    problem = self.action_problem(resolved)
                    if problem:
                        return problem
            return None
        if not isinstance(action, DictionaryObject):
            return None
        if "/S" not in action:
            return None  # not an action: a destination, or a structure element's attributes (also under /A)
        # Only this action is judged: the actions chained after it (/Next) are judged where they are written.
        kind = action.get("/S")
        if kind == "/GoTo" or (kind == "/Named" and action.get("/N") in SAFE_NAMED):
            return None
        if kind == "/URI":
            return None if _uri(action).strip().lower().startswith(LINK_SCHEMES) else OTHER_LINKS
        return ACTION_FINDINGS.get(str(kind), OTHER_ACTIONS)

    def dictionary(self, node: DictionaryObject) -> None:
        for key in list(node.keys()):
            if key in REMOVED_KEYS:
                self._note(REMOVED_KEYS[key])
                del node[key]
            elif key in ACTION_KEYS:
                problem = self.action_problem(node[key])
                if problem:
                    self._note(problem)
                    del node[key]
            elif key == "/Annots":
                self._annotations(node)

    def _annotations(self, page: DictionaryObject) -> None:
        annotations = page["/Annots"].get_object()
        if not isinstance(annotations, ArrayObject):
            del page["/Annots"]
            return
        kept = ArrayObject()
        for reference in annotations:
            annotation = reference.get_object()
            subtype = annotation.get("/Subtype") if isinstance(annotation, DictionaryObject) else None
            if str(subtype) in REMOVED_ANNOTATIONS:
                self._note(REMOVED_ANNOTATIONS[str(subtype)])
            else:
                kept.append(reference)
        page[NameObject("/Annots")] = kept

    def walk(self, root: PdfObject) -> None:
        """Every dictionary inside one object, without following references: each object is walked on its own."""
        stack: list[PdfObject] = [root]
        while stack:
            node = stack.pop()
            if isinstance(node, DictionaryObject):
                self.dictionary(node)
                stack.extend(v for v in node.values() if isinstance(v, (DictionaryObject, ArrayObject)))
            elif isinstance(node, ArrayObject):
                stack.extend(v for v in node if isinstance(v, (DictionaryObject, ArrayObject)))


def _references(node: PdfObject) -> Iterator[int]:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, IndirectObject):
            yield current.idnum
        elif isinstance(current, DictionaryObject):
            stack.extend(current.values())
        elif isinstance(current, ArrayObject):
            stack.extend(current)


def _drop_unreachable(writer: PdfWriter) -> None:
    """Objects nothing points to any more (a removed script's stream, the old information dictionary) are dropped."""
    objects: list[Any] = writer._objects
    seen: set[int] = set()
    pending = [writer.root_object.indirect_reference.idnum]
    while pending:
        number = pending.pop()
        if number in seen or not 0 < number <= len(objects) or objects[number - 1] is None:
            continue
        seen.add(number)
        pending.extend(_references(objects[number - 1]))
    for index in range(len(objects)):
        if index + 1 not in seen:
            objects[index] = None


def clean_pdf(source: Path, target: Path) -> list[Finding]:
    """Write the cleaned PDF to `target`; return what active content was removed. Raises Refused."""
    reader = PdfReader(source)
    if reader.is_encrypted:
        raise Refused("attachment-encrypted", Finding("PDF 设有密码或加密", "the PDF is encrypted or has a password"))
    if len(reader.pages) < 1:
        raise Refused("attachment-unreadable", Finding("没有页面", "no pages"))
    writer = PdfWriter(clone_from=reader)
    writer.metadata = None  # the document information dictionary: Author, Creator, Producer, Company …
    writer._ID = None
    cleaner = _Cleaner()
    for obj in writer._objects:
        if obj is not None:
            cleaner.walk(obj)
    _drop_unreachable(writer)
    with target.open("wb") as handle:
        writer.write(handle)
    return cleaner.found
