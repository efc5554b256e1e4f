"""The search index without a build: tokens, the written files, and queries checked against a plain-text truth."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from search import index as search_index
from search.corpus import articles
from search.index import Document, IndexBuilder, term_hash
from search.query import IndexReader
from search.tokenize import doc_terms, html_text, needs_check, normalize, query_words, word_terms

# Terms whose hashes search.js must reproduce (tests/browser/test_search.py checks the same values in Chromium).
HASHES = {"洛阳": term_hash("洛阳"), "科": term_hash("科"), "covid": term_hash("covid"), "𠀋𠀋": term_hash("𠀋𠀋")}


def test_normalize_folds_full_width_and_case() -> None:
    assert normalize("ＡＢＣ２０２０年，Covid") == "abc2020年,covid"


def test_html_text_keeps_words_whole_across_inline_tags_and_soft_wraps() -> None:
    html = "<h2>标题</h2><p>洛阳<strong>市</strong>科协&amp;专家</p><p>洛阳\n市科协<br>下一行</p><!-- 注释 -->"
    assert html_text(html) == "标题\n洛阳市科协&专家\n洛阳市科协\n下一行"


def test_doc_terms_counts_bigrams_within_runs_and_every_character() -> None:
    counts, chars = doc_terms("洛阳市，洛阳。Covid-19 和ＡＩ")
    assert counts["洛阳"] == 2
    assert counts["阳市"] == 1
    assert "市洛" not in counts  # the comma ends a run: no bigram across it
    assert counts["covid"] == 1 and counts["19"] == 1 and counts["ai"] == 1
    assert chars == {"洛", "阳", "市", "和"}
    assert "和" not in counts  # a lone character is in `chars` only, never counted twice


def test_query_words_and_their_terms() -> None:
    assert query_words("李明  洛阳市，李明") == ["李明", "洛阳市"]
    assert word_terms("洛阳市科协") == ["洛阳", "阳市", "市科", "科协"]
    assert word_terms("科") == ["科"]
    assert word_terms("2020年") == ["2020", "年"]
    assert word_terms("𠀋𠀋字") == ["𠀋𠀋", "𠀋字"]  # code points, not UTF-16 units
    assert not needs_check("洛阳") and not needs_check("科") and needs_check("洛阳市")


def test_term_hash_is_fnv1a_over_code_points() -> None:
    assert term_hash("") == 0x811C9DC5
    assert HASHES["洛阳"] == ((((0x811C9DC5 ^ ord("洛")) * 0x01000193 & 0xFFFFFFFF) ^ ord("阳")) * 0x01000193) & (
        0xFFFFFFFF
    )


# An index of generated articles, queried like search.js does.

CORPUS_SIZE = 240


@pytest.fixture(scope="module")
def corpus() -> list[Document]:
    start = datetime.datetime(2019, 1, 1, 8, 0)
    docs = []
    for a in articles(CORPUS_SIZE, chars=600, seed=11):
        date = start + datetime.timedelta(days=a.number * 3)
        docs.append(
            Document(
                url=f"articles/{date:%Y}/{date:%m}/a{a.number}/",
                title=a.title,
                text=a.body,
                date=date,
                facets={
                    "section": [a.section],
                    "type": [a.type],
                    "year": [f"{date:%Y}"],
                    "column": ["zuimei"] if a.number % 5 == 0 else [],
                    "topic": ["kejiri", "kepuri"] if a.number % 7 == 0 else [],
                },
            )
        )
    # A fixed page: no date, no section.
    docs.append(Document(url="about/", title="关于我们", text="本站由调研宣传部维护。", facets={"type": ["page"]}))
    return docs


@pytest.fixture(scope="module")
def built(corpus: list[Document], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("index") / "index"
    builder = IndexBuilder({"section": {"news": "科协要闻"}, "column": {"zuimei": "最美科技工作者"}}, workers=1)
    builder.extend(corpus)
    builder.write(out)
    return out


QUERIES = (
    # single words, names, places, multi-word phrases, several words, single characters
    ("科技", "科普", "专家", "合作社"),
    ("李明", "王建国"),
    ("洛阳", "郑州", "驻马店", "洛阳市"),
    ("脱贫攻坚", "乡村振兴", "洛阳市科协", "科技工作者日"),
    ("洛阳 专家", "脱贫攻坚 科技"),
    ("洛", "科", "豫"),
)


def truth(docs: list[Document], query: str) -> set[str]:
    words = query.split()
    return {d.url for d in docs if all(w in d.title + "\n" + d.text for w in words)}


@pytest.mark.parametrize("query", [q for group in QUERIES for q in group])
def test_every_document_with_the_query_is_found_and_nothing_else(
    corpus: list[Document], built: Path, query: str
) -> None:
    answer = IndexReader(built).search(query, limit=10**6)
    found = [r.url for r in answer.results]
    assert len(found) == len(set(found))
    assert set(found) == truth(corpus, query)
    assert answer.exact and answer.total == len(found)


def test_an_exact_title_ranks_its_own_article_first(corpus: list[Document], built: Path) -> None:
    reader = IndexReader(built)
    for doc in corpus[::20]:
        assert reader.search(doc.title).results[0].url == doc.url, doc.title


def test_a_page_of_results_fetches_only_what_it_shows(built: Path) -> None:
    reader = IndexReader(built)
    answer = reader.search("洛阳")
    assert len(answer.results) == 10
    docs = [name for name in answer.fetched if name.startswith("docs/")]
    assert len(docs) == 10  # "洛阳" is one bigram: nothing to check, nothing rejected
    shards = [name for name in answer.fetched if name.startswith("shards/")]
    assert len(shards) == 1
    assert "meta.json" in answer.fetched


def test_filters_narrow_the_results_and_count_the_chips(corpus: list[Document], built: Path) -> None:
    reader = IndexReader(built)
    everything = reader.search("科技", limit=10**6)
    assert everything.facets["column"]["zuimei"] == sum(1 for d in corpus if d.facets.get("column"))
    for filters, keep in (
        ({"section": ["news"]}, lambda d: d.facets.get("section") == ["news"]),
        ({"year": ["2020"]}, lambda d: d.facets.get("year") == ["2020"]),
        ({"column": ["zuimei"]}, lambda d: "zuimei" in d.facets.get("column", [])),
        ({"topic": ["kepuri"], "type": ["news"]}, lambda d: "kepuri" in d.facets.get("topic", []) and keep_news(d)),
        ({"type": ["page"]}, lambda d: d.url == "about/"),
    ):
        answer = reader.search("科技" if "page" not in filters.get("type", []) else "调研", filters, limit=10**6)
        expected = {d.url for d in corpus if keep(d) and ("科技" in d.text or d.url == "about/")}
        assert {r.url for r in answer.results} == expected, filters


def keep_news(doc: Document) -> bool:
    return doc.facets.get("type") == ["news"]


def test_the_same_documents_give_the_same_bytes(corpus: list[Document], built: Path, tmp_path: Path) -> None:
    again = IndexBuilder({"section": {"news": "科协要闻"}, "column": {"zuimei": "最美科技工作者"}}, workers=1)
    again.extend(reversed(corpus))  # the order documents arrive in does not matter
    again.write(tmp_path / "index")
    assert _files(tmp_path / "index") == _files(built)


def test_parallel_workers_write_the_same_index(
    corpus: list[Document], built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_index, "MIN_DOCS_PER_WORKER", 50)
    builder = IndexBuilder({"section": {"news": "科协要闻"}, "column": {"zuimei": "最美科技工作者"}}, workers=2)
    builder.extend(corpus)
    stats = builder.write(tmp_path / "index")
    assert stats.worker_cpu > 0  # the work really went to two processes
    assert _files(tmp_path / "index") == _files(built)


def test_four_byte_ids_read_the_same(corpus: list[Document], tmp_path: Path) -> None:
    builder = IndexBuilder(workers=1)
    builder.extend(corpus)
    builder.write(tmp_path / "index", id_bytes=4)
    reader = IndexReader(tmp_path / "index")
    assert reader.meta["idBytes"] == 4
    for query in ("洛阳市科协", "科", "李明 科技"):
        assert {r.url for r in reader.search(query, limit=10**6).results} == truth(corpus, query)


def test_dense_terms_are_stored_as_the_documents_without_them(built: Path) -> None:
    reader = IndexReader(built)
    term = reader.term("科")
    assert term is not None and term.missing is not None  # in nearly every document
    assert term.df + len(term.missing) == reader.meta["docs"]
    rare = reader.term("洛阳")
    assert rare is not None and rare.missing is None and len(rare.ids) == rare.df


def test_files_are_plain_and_relative(built: Path) -> None:
    meta = json.loads((built / "meta.json").read_text(encoding="utf-8"))
    assert meta["facets"]["values"]["section"][0] == ["news", "科协要闻"]
    assert meta["facets"]["values"]["year"][0][0] == "2020"  # newest first
    doc = json.loads((built / "docs/0.json").read_text(encoding="utf-8"))
    assert doc["u"] == "about/" and doc["d"] == ""  # undated pages sort first
    first_article = json.loads((built / "docs/1.json").read_text(encoding="utf-8"))
    assert first_article["d"] == "2019-01-01 08:00"
    assert not first_article["u"].startswith(("/", "http"))


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
