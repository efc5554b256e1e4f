"""The schema: every field contributors may write, with its type, default, registry and an example."""

from __future__ import annotations

from dataclasses import dataclass

# Field kinds. Each is checked and normalised by validate.py.
TEXT = "text"  # one line of plain text
TEXTS = "texts"  # a list of plain texts; a single text is accepted
ID = "id"  # an id matching the id pattern
IDS = "ids"  # a list of ids; a single id is accepted
TIME = "time"  # YYYY-MM-DD or YYYY-MM-DD HH:MM, Asia/Shanghai
INT = "int"
BOOL = "bool"
URL = "url"
PATH = "path"  # a file relative to the content file, or /images/… from content/
CHOICE = "choice"
MAPPING = "mapping"
MAPPINGS = "mappings"  # a list of mappings


@dataclass(frozen=True)
class Field:
    """One field of a content file or registry entry."""

    name: str
    kind: str
    label: str  # its Chinese name, as contributors know it
    example: str
    required: bool = False
    registry: str | None = None  # the registry its ids must belong to
    choices: tuple[str, ...] = ()
    subfields: tuple[Field, ...] = ()


def _fields(*fields: Field) -> dict[str, Field]:
    return {f.name: f for f in fields}


ARTICLE_TYPES = ("news", "notice", "release", "interpretation", "profile", "event")
STATUSES = ("published", "draft", "hidden", "withdrawn")
# Every kind but the article, which may also be withdrawn: a draft or a time to come keeps it out (visibility.py).
ITEM_STATUSES = ("published", "draft", "hidden")
TOPIC_LAYOUTS = ("sections", "timeline", "grid")
DEPARTMENT_KINDS = ("机关部室", "直属单位", "市科协", "省级学会")
MEDIA_LEVELS = ("中央", "省级", "市级", "行业")

# Not required one by one: a draft may record the reviews done so far; a published item needs all three.
REVIEW = (
    Field("first", TEXT, "初审", "first: 陈静"),
    Field("second", TEXT, "复审", "second: 赵磊"),
    Field("final", TEXT, "终审", "final: 孙敏"),
)
ATTACHMENT = (
    Field("file", PATH, "附件文件", "file: tongzhi.pdf", required=True),
    Field("title", TEXT, "附件标题", "title: 2020年宣传工作要点", required=True),
)
EVENT = (
    Field("start", TIME, "开始时间", "start: 2020-09-19", required=True),
    Field("end", TIME, "结束时间", "end: 2020-09-25"),
    Field("location", TEXT, "地点", "location: 郑州", required=True),
)
ADOPTION = (
    Field("media", ID, "媒体", "media: henan-daily", required=True, registry="media"),
    Field("date", TIME, "采纳日期", "date: 2020-07-22", required=True),
    Field("url", URL, "采纳链接", 'url: "https://…"'),
)

ARTICLE = _fields(
    Field("title", TEXT, "标题", "title: 扎根中原的科技工作者", required=True),
    Field("date", TIME, "发布时间", "date: 2020-07-20 09:30", required=True),
    Field("slug", ID, "网址标识", "slug: zuimei-li-ming"),
    Field("section", ID, "栏目", "section: news", registry="sections"),
    Field("columns", IDS, "专栏", "columns: [zuimei-2020]", registry="columns"),
    Field("topics", IDS, "专题", "topics: [keji-gongzuozhe-ri-2020]", registry="topics"),
    Field("tags", TEXTS, "标签", "tags: [科技工作者, 脱贫攻坚]"),
    Field("people", IDS, "人物", "people: [li-ming]", registry="people"),
    Field("type", CHOICE, "稿件类型", "type: news", choices=ARTICLE_TYPES),
    Field("department", ID, "报送单位", "department: dyxcb", required=True, registry="departments"),
    Field("authors", TEXTS, "作者", "authors: [张华]"),
    Field("photographers", TEXTS, "摄影", "photographers: [王强]"),
    Field("source", TEXT, "来源", "source: 河南省科协"),
    Field("source_url", URL, "原文链接", 'source_url: "https://…"'),
    Field("source_id", TEXT, "订阅源条目标识", 'source_id: "tag:zz.example,2020:article-42"'),
    Field("editor", TEXT, "责任编辑", "editor: 刘洋"),
    Field("review", MAPPING, "三审", "review: {first: 陈静, second: 赵磊, final: 孙敏}", subfields=REVIEW),
    Field("summary", TEXT, "摘要", "summary: 一句话摘要。"),
    Field("cover", PATH, "封面图", "cover: li-ming.jpg"),
    Field("cover_alt", TEXT, "封面图说明", "cover_alt: 李明在实验室指导青年科研人员"),
    Field("pin", INT, "置顶顺序", "pin: 1"),
    Field("pin_until", TIME, "置顶截止", "pin_until: 2020-08-01"),
    Field("gallery", ID, "图集", "gallery: kepu-dabaoche-2020", registry="galleries"),
    Field("attachments", MAPPINGS, "附件", "attachments: [{file: tongzhi.pdf, title: 通知}]", subfields=ATTACHMENT),
    Field("doc_number", TEXT, "文号", "doc_number: 豫科协办〔2020〕15号"),
    Field("event", MAPPING, "活动", "event: {start: 2020-09-19, end: 2020-09-25, location: 郑州}", subfields=EVENT),
    Field("interprets", ID, "所解读的发布稿", "interprets: tiaoli-xiuding-fabuhui", registry="articles"),
    Field(
        "adopted_by",
        MAPPINGS,
        "媒体采纳",
        'adopted_by: [{media: henan-daily, date: 2020-07-22, url: "https://…"}]',
        subfields=ADOPTION,
    ),
    Field("status", CHOICE, "状态", "status: published", choices=STATUSES),
    Field("withdrawn_reason", TEXT, "撤稿原因", "withdrawn_reason: 内容有误，已更正"),
    Field("aliases", TEXTS, "旧网址", "aliases: [/old/url/]"),
    Field("corrected_by", ID, "更正稿件", "corrected_by: xuehui-zuotanhui-gengzheng", registry="articles"),
    Field("milestone", TEXT, "时间线节点", "milestone: 主体结构封顶"),
)

COLUMN = _fields(
    Field("title", TEXT, "标题", "title: 决战脱贫攻坚的河南科协人", required=True),
    Field("description", TEXT, "简介", "description: 一句话介绍"),
    Field("banner", PATH, "横幅图", "banner: banner.jpg"),
    Field("banner_alt", TEXT, "横幅图说明", "banner_alt: 专栏横幅"),
    Field("partner", TEXT, "合办媒体", "partner: 河南日报"),
    Field("start", TIME, "开办日期", "start: 2020-03-01"),
    Field("end", TIME, "结束日期", "end: 2020-12-31"),
    Field("order", INT, "排序", "order: 10"),
    Field("editors", TEXTS, "专栏编辑", "editors: [github-user]"),
    Field("status", CHOICE, "状态", "status: draft", choices=ITEM_STATUSES),
)

TOPIC_SECTION = (
    Field("title", TEXT, "区块标题", "title: 媒体聚焦", required=True),
    Field("type", CHOICE, "稿件类型", "type: news", choices=ARTICLE_TYPES),
    Field("section", ID, "栏目", "section: news", registry="sections"),
    Field("column", ID, "专栏", "column: zuimei-2020", registry="columns"),
    Field("tag", TEXT, "标签", "tag: 科普"),
    Field("person", ID, "人物", "person: li-ming", registry="people"),
    Field("galleries", BOOL, "图集", "galleries: true"),
    Field("limit", INT, "条数上限", "limit: 6"),
)

TOPIC = _fields(
    *COLUMN.values(),
    Field("layout", CHOICE, "版式", "layout: sections", choices=TOPIC_LAYOUTS),
    Field("featured", IDS, "推荐稿件", "featured: [slug-a, slug-b]", registry="articles"),
    Field("sections", MAPPINGS, "区块", "sections: [{title: 媒体聚焦, type: news}]", subfields=TOPIC_SECTION),
)

HONOR = (
    Field("award", TEXT, "荣誉", "award: 河南最美科技工作者", required=True),
    Field("year", INT, "年份", "year: 2020", required=True),
)

PERSON = _fields(
    Field("name", TEXT, "姓名", "name: 李明", required=True),
    Field("photo", PATH, "照片", "photo: li-ming.jpg"),
    Field("photo_alt", TEXT, "照片说明", "photo_alt: 李明"),
    Field("unit", TEXT, "工作单位", "unit: 郑州大学"),
    Field("position", TEXT, "职务/职称", "position: 教授"),
    Field("field", TEXT, "领域", "field: 作物遗传育种"),
    Field("honors", MAPPINGS, "荣誉", "honors: [{award: 河南最美科技工作者, year: 2020}]", subfields=HONOR),
    Field("status", CHOICE, "状态", "status: draft", choices=ITEM_STATUSES),
)

GALLERY_PHOTO = (
    Field("file", PATH, "图片文件", "file: 001.jpg", required=True),
    Field("caption", TEXT, "图片说明", "caption: 学生体验科普展品"),
    Field("alt", TEXT, "替代文字", "alt: 小学生围观机器人展品", required=True),
)

GALLERY = _fields(
    Field("title", TEXT, "标题", "title: 2020年科普大篷车进基层", required=True),
    Field("date", TIME, "日期", "date: 2020-09-20", required=True),
    Field("photographers", TEXTS, "摄影", "photographers: [王强]"),
    Field("photos", MAPPINGS, "图片", "photos: [{file: 001.jpg, caption: …, alt: …}]", subfields=GALLERY_PHOTO),
    Field("status", CHOICE, "状态", "status: draft", choices=ITEM_STATUSES),
)

PAGE = _fields(
    Field("title", TEXT, "标题", "title: 关于我们", required=True),
    Field("summary", TEXT, "摘要", "summary: 一句话摘要。"),
    Field("order", INT, "排序", "order: 1"),
    Field("status", CHOICE, "状态", "status: published", choices=ITEM_STATUSES),
)

SECTION_ENTRY = _fields(
    Field("id", ID, "标识", "id: news", required=True),
    Field("name", TEXT, "名称", "name: 科协要闻", required=True),
    Field("order", INT, "排序", "order: 1"),
    Field("editors", TEXTS, "栏目编辑", "editors: [github-user]"),
)
DEPARTMENT_ENTRY = _fields(
    Field("id", ID, "标识", "id: dyxcb", required=True),
    Field("name", TEXT, "名称", "name: 调研宣传部", required=True),
    Field("kind", CHOICE, "类别", "kind: 机关部室", required=True, choices=DEPARTMENT_KINDS),
)
MEDIA_ENTRY = _fields(
    Field("id", ID, "标识", "id: henan-daily", required=True),
    Field("name", TEXT, "名称", "name: 河南日报", required=True),
    Field("level", CHOICE, "级别", "level: 省级", required=True, choices=MEDIA_LEVELS),
    Field("url", URL, "网址", 'url: "https://…"'),
)
# 科协系统网站: the links at the foot of the home page, shown by group in file order.
LINK_ENTRY = _fields(
    Field("id", ID, "标识", "id: zzskx", required=True),
    Field("name", TEXT, "名称", "name: 郑州市科协", required=True),
    Field("url", URL, "网址", 'url: "https://www.zzast.example.cn/"', required=True),
    Field("group", TEXT, "分组", "group: 市科协", required=True),
)

# 三审: who may sign which stage, with the SSH key their approvals are signed with (content/data/reviewers.yml).
REVIEW_STAGES = tuple(f.name for f in REVIEW)
REVIEWER_ENTRY = _fields(
    Field("name", TEXT, "姓名", "name: 陈静", required=True),
    Field("signing_key", TEXT, "签名公钥", 'signing_key: "ssh-ed25519 AAAAC3Nza… chenjing"', required=True),
    Field("github", TEXT, "GitHub 账号", "github: chenjing"),
    Field("stages", TEXTS, "可签审级", "stages: [first, second]"),
)

LEXICON_ENTRY = _fields(
    Field("wrong", TEXT, "错误写法", "wrong: 攻府", required=True),
    Field("right", TEXT, "正确写法", "right: 政府", required=True),
    Field("note", TEXT, "依据", "note: 常见错字"),
)
SENSITIVE_LEVELS = ("error", "warning")
SENSITIVE_ENTRY = _fields(
    Field("word", TEXT, "词语", "word: 史上最", required=True),
    Field("level", CHOICE, "级别", "level: warning", choices=SENSITIVE_LEVELS),
    Field("advice", TEXT, "建议", "advice: 改用客观表述"),
    Field("note", TEXT, "依据", "note: 《广告法》第九条"),
)
NOTICE_LEVELS = ("info", "warning", "urgent")
NOTICE = _fields(
    Field("text", TEXT, "通知内容", "text: 受台风影响，省科技馆今日闭馆。", required=True),
    Field("link", TEXT, "链接", "link: /articles/2020/07/bi-guan-tongzhi/"),
    Field("level", CHOICE, "级别", "level: urgent", choices=NOTICE_LEVELS),
    Field("expires", TIME, "截止时间", "expires: 2020-07-26 18:00", required=True),
)

# What each registry is called in messages, and where a contributor adds an entry.
REGISTRY_NAMES: dict[str, tuple[str, str, str]] = {
    "sections": ("栏目登记表", "section registry", "content/data/sections.yml"),
    "departments": ("报送单位登记表", "department registry", "content/data/departments.yml"),
    "media": ("媒体登记表", "media registry", "content/data/media.yml"),
    "links": ("网站链接登记表", "links registry", "content/data/links.yml"),
    "columns": ("专栏列表", "list of columns", "content/columns/"),
    "topics": ("专题列表", "list of topics", "content/topics/"),
    "people": ("人物列表", "list of people", "content/people/"),
    "galleries": ("图集列表", "list of galleries", "content/galleries/"),
    "articles": ("稿件 slug 列表", "list of article slugs", "content/articles/"),
}

REGISTRY_FILES = {
    "sections": ("data/sections.yml", SECTION_ENTRY),
    "departments": ("data/departments.yml", DEPARTMENT_ENTRY),
    "media": ("data/media.yml", MEDIA_ENTRY),
    "links": ("data/links.yml", LINK_ENTRY),
}
# Registries a site may go without: a missing file is an empty registry.
OPTIONAL_REGISTRIES = frozenset({"links"})

# First path segments that belong to the site itself; no section or page may take one.
RESERVED_NAMES = frozenset(
    [
        "articles",
        "columns",
        "topics",
        "people",
        "honours",
        "galleries",
        "events",
        "tags",
        "archives",
        "stats",
        "search",
        "pagefind",
        "api",
        "wechat",
        "admin",
        "images",
        "theme",
        "feeds",
        "drafts",
        "sitemap",
    ]
)

# The alt text `make new PHOTOS=…` writes for each photo: the check asks for a real description in its place.
ALT_PLACEHOLDER = "请填写图片说明"
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".heic", ".heif")
ATTACHMENT_SUFFIXES = (".pdf", ".docx", ".xlsx", ".doc", ".xls", ".txt", ".ofd", ".wps")
OLD_OFFICE_SUFFIXES = (".doc", ".xls", ".wps")
