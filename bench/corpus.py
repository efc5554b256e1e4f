"""Seeded corpora of Chinese news in our content contract, with stock-Pelican and Hugo twins of the same bodies."""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import re
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import images

ROOT = Path(__file__).resolve().parent.parent
# Tag slugs are made by the project's own slugify, as the build makes them.
if str(ROOT / "plugins") not in sys.path:
    sys.path.insert(0, str(ROOT / "plugins"))
BENCH = Path(__file__).resolve().parent
CACHE = ROOT / ".cache" / "bench"
SEED = 2020
SITE_NOW = "2021-01-01 00:00"
FIRST_DAY = dt.datetime(2018, 1, 1)
DAYS = (dt.datetime(2020, 12, 31) - FIRST_DAY).days  # every date before SITE_NOW: nothing is embargoed
IMAGE_SHARE = 0.20
MEAN_CHARS = 2300
# The files copied into the twins, and the project's word lists: a change to any of them regenerates the corpora.
TWIN_FILES = (BENCH / "stock_pelicanconf.py", BENCH / "hugo")
WORDLISTS = ("lexicon.yml", "sensitive.yml")


def _words(text: str) -> list[str]:
    """A word list written as one space-separated string: easier to read and extend than quoted items."""
    return text.split()


# Registries: 8 sections, 16 departments of the four kinds, 10 media of the four levels.
SECTIONS = (
    ("news", "科协要闻"),
    ("notices", "通知公告"),
    ("jiceng", "基层动态"),
    ("xueshu", "学术交流"),
    ("kepu", "科学普及"),
    ("rencai", "人才服务"),
    ("zhiku", "智库建设"),
    ("fabu", "新闻发布"),
)
SECTION_WEIGHTS = (22, 8, 25, 10, 14, 8, 6, 7)
DEPARTMENTS = (
    ("bgs", "办公室", "机关部室"),
    ("zzrsb", "组织人事部", "机关部室"),
    ("dyxcb", "调研宣传部", "机关部室"),
    ("xhxsb", "学会学术部", "机关部室"),
    ("kxpjb", "科学普及部", "机关部室"),
    ("rcfwzx", "科技人才服务中心", "直属单位"),
    ("skjg", "河南省科学技术馆", "直属单位"),
    ("zkzx", "科技智库研究中心", "直属单位"),
    ("zzskx", "郑州市科协", "市科协"),
    ("lyskx", "洛阳市科协", "市科协"),
    ("kfskx", "开封市科协", "市科协"),
    ("xxskx", "新乡市科协", "市科协"),
    ("nyskx", "南阳市科协", "市科协"),
    ("snxh", "河南省农学会", "省级学会"),
    ("syxh", "河南省医学会", "省级学会"),
    ("jxgcxh", "河南省机械工程学会", "省级学会"),
)
MEDIA = (
    ("people-daily", "人民日报", "中央", "https://www.people.com.cn/"),
    ("xinhua", "新华社", "中央", "https://www.xinhuanet.com/"),
    ("st-daily", "科技日报", "中央", "https://www.stdaily.com/"),
    ("henan-daily", "河南日报", "省级", "https://www.henandaily.cn/"),
    ("hntv", "河南广播电视台", "省级", "https://www.hntv.tv/"),
    ("dahe-daily", "大河报", "省级", "https://www.dahe.cn/"),
    ("zhengzhou-daily", "郑州日报", "市级", "https://www.zynews.cn/"),
    ("luoyang-daily", "洛阳日报", "市级", "https://www.lyd.com.cn/"),
    ("china-science-daily", "中国科学报", "行业", "https://news.sciencenet.cn/"),
    ("cast-voice", "中国科协之声", "行业", "https://www.cast.org.cn/"),
)
COLUMNS = (
    ("zuimei-keji-gongzuozhe", "河南最美科技工作者", "河南日报"),
    ("kepu-zhongyuan-xing", "科普中原行", ""),
    ("xuehui-fengcai", "学会风采", ""),
    ("jiceng-kexie-gushi", "基层科协故事", "大河报"),
)
# (id, title, layout)
TOPICS = (
    ("keji-gongzuozhe-ri", "全国科技工作者日", "sections"),
    ("kepu-ri", "全国科普日", "grid"),
    ("kejiguan-xinguan", "省科技馆新馆建设", "timeline"),
    ("xiangcun-zhenxing", "科技助力乡村振兴", "sections"),
)
# (id, name, unit, position, field, honour or "")
PEOPLE = (
    ("wang-jianhua", "王建华", "郑州大学", "教授", "作物遗传育种", "河南最美科技工作者"),
    ("li-xiuying", "李秀英", "河南农业大学", "研究员", "植物保护", "河南最美科技工作者"),
    ("zhang-zhiqiang", "张志强", "河南省人民医院", "主任医师", "呼吸与危重症医学", "河南青年科技奖"),
    ("liu-haiyan", "刘海燕", "河南理工大学", "教授", "矿业工程", ""),
    ("chen-guoping", "陈国平", "洛阳拖拉机研究所", "高级工程师", "农业装备", "中原英才计划"),
    ("yang-lihua", "杨丽华", "信阳农林学院", "副教授", "茶学", "河南最美科技工作者"),
    ("zhao-wenbo", "赵文博", "河南大学", "教授", "化学", "河南青年科技奖"),
    ("huang-xiaoming", "黄晓明", "新乡医学院", "研究员", "生物医药", ""),
    ("zhou-yaping", "周雅萍", "河南省科学技术馆", "副馆长", "科学传播", "中原英才计划"),
    ("wu-zhenyu", "吴振宇", "中原工学院", "教授", "纺织材料", ""),
    ("xu-fang", "徐芳", "南阳市农业科学院", "农艺师", "中药材栽培", "河南最美科技工作者"),
    ("sun-haifeng", "孙海峰", "郑州轻工业大学", "教授", "食品工程", "河南青年科技奖"),
)
PEOPLE_WITH_PHOTO = 4

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = "明华建国军平伟芳娜敏静丽强磊洋勇艳杰娟涛超秀英霞刚桂兰玉萍红鹏飞宇浩然志远思雨雅婷立新振中海峰文博"
PLACES = _words(
    "郑州 开封 洛阳 平顶山 安阳 鹤壁 新乡 焦作 濮阳 许昌 漯河 三门峡 南阳 商丘 信阳 周口 驻马店 济源 "
    "巩义 兰考 汝州 滑县 长垣 邓州 永城 固始 鹿邑 新蔡 登封 新郑 荥阳 中牟 偃师 栾川 嵩县 林州 辉县 "
    "西峡 淅川 光山 新县 商城 潢川 项城 遂平 灵宝 禹州 长葛"
)
PLACE_ORGS = ("市科协", "县科协", "市科技馆", "市农学会", "市医学会", "县农技协", "市科普志愿者协会")
PROVINCE_ORGS = ("省科协", "省科技馆", "省农学会", "省医学会", "省机械工程学会", "省科协党组", "省科协机关")
VERBS = (
    "举办",
    "召开",
    "启动",
    "组织开展",
    "扎实开展",
    "联合举办",
    "成功举办",
    "深入推进",
    "积极开展",
    "部署",
)
EVENTS = (
    "科普进社区活动",
    "院士专家报告会",
    "学术年会",
    "科技工作者座谈会",
    "青少年科技创新大赛",
    "科普大篷车巡展",
    "实用技术培训班",
    "科技志愿服务活动",
    "决策咨询专题调研",
    "科技成果对接会",
    "科学家精神宣讲活动",
    "全国科普日主场活动",
    "科技助力乡村振兴现场会",
    "学会党建工作推进会",
    "科技人才座谈会",
    "科普讲解大赛",
    "智库论坛",
    "基层科协组织建设推进会",
    "农村科普示范基地观摩活动",
    "科技馆公益讲座",
)
PURPOSES = (
    "助力乡村振兴",
    "提升公民科学素质",
    "推动科技成果转化",
    "服务创新驱动发展",
    "弘扬科学家精神",
    "服务科技工作者",
    "推进黄河流域生态保护",
    "促进产学研深度融合",
    "夯实基层科协组织基础",
    "营造崇尚科学的社会氛围",
    "为全省高质量发展贡献力量",
    "巩固脱贫攻坚成果",
)
AUDIENCES = ("基层群众", "青少年", "农民朋友", "科技工作者", "社区居民", "企业技术人员", "中小学教师", "学会会员")
TOPICS_OF_TALK = (
    "小麦绿色高产技术",
    "常态化疫情防控知识",
    "人工智能与智能制造",
    "食品安全常识",
    "防灾减灾知识",
    "中药材规范化种植",
    "健康生活方式",
    "节能低碳技术",
    "现代农业装备",
    "心理健康知识",
    "青少年近视防控",
    "应急救护技能",
)
ADVERBS = ("切实", "进一步", "持续", "积极", "扎实", "不断", "全面", "深入")
ACTIONS = (
    "加强科普阵地建设",
    "完善科技志愿服务体系",
    "提升学会服务能力",
    "深化院士专家工作站建设",
    "拓展科技服务渠道",
    "强化科技人才支撑",
    "做好科技工作者服务工作",
    "推动科普资源下沉基层",
    "健全决策咨询工作机制",
    "加强基层科协组织建设",
)
# Sentence patterns of a 科协 news item; every slot is filled from the lists above.
SENTENCES = (
    "{place}{porg}{verb}{event}，{purpose}。",
    "活动现场，{expert}为{audience}讲解{talk}，现场气氛热烈。",
    "据统计，活动期间共发放宣传资料{n1}余份，服务{audience}{n2}余人次。",
    "会议要求，各级科协组织要{adverb}{action}，{purpose}。",
    "“{talk}关系到千家万户，我们要把科学知识送到{audience}身边。”{expert}说。",
    "{porg2}负责同志介绍，近年来全省科协系统{adverb}{action}，取得了明显成效。",
    "参加活动的{audience}纷纷表示，此次{event}内容丰富、针对性强，收获很大。",
    "下一步，{porg2}将{adverb}{action}，努力{purpose}。",
    "本次{event}由{porg2}主办，{place}{porg}承办，共有{n3}家单位参加。",
    "{place}{porg}把{talk}作为重点内容，组织专家深入{place2}开展技术指导。",
    "与会专家围绕{talk}等议题进行了深入交流，提出了许多有价值的意见建议。",
    "{expert}表示，要发挥科技工作者的专业优势，{purpose}。",
    "截至目前，{place}已建成科普示范基地{n4}个，培育科普带头人{n1}余名。",
    "{date}，{place}{porg}{verb}{event}，{audience}代表{n3}余人参加。",
)
HEADINGS = ("精心组织", "突出特色", "服务基层", "成效明显", "专家支招", "群众点赞", "持续推进", "下一步工作")
TAG_WORDS = _words(
    "科普 科技工作者 乡村振兴 脱贫攻坚 学术交流 院士专家 科技馆 青少年 科普日 智库 人才 学会 基层科协 疫情防控 "
    "科技志愿者 农技推广 科学家精神 创新驱动 决策咨询 黄河流域 科技成果转化 产学研 科普基地 科普讲解 "
    "科技创新大赛 健康知识 应急科普 智能制造 人工智能 生物医药 新材料 现代农业 小麦育种 中药材 食用菌 茶产业 "
    "畜牧养殖 农机装备 数字经济 网络安全 气象科普 防灾减灾 节能环保 碳达峰 绿色发展 水利科普 地质科普 天文科普 "
    "海洋科普 航天科普 科学素质 科普信息化 科普中国 全民阅读 科学传播 科技期刊 学术年会 学术论坛 青年科学家 "
    "女科技工作者 科技奖励 人才举荐 院士工作站 企业科协 高校科协 农技协 科普大篷车 流动科技馆 科普e站 "
    "科普惠农 科技下乡 三下乡 志愿服务 党建引领 主题教育 理论学习 作风建设 基层组织 会员服务 科技社团 "
    "团体标准 科技评估 第三方评估 国际交流 对外合作 海智计划 一带一路 双创 创新创业 众创空间 孵化器 "
    "科技金融 知识产权 专利转化 标准化 质量提升 工匠精神 职业技能 技能竞赛 科技培训 农民培训 新型农民 "
    "乡村人才 返乡创业 电商扶贫 产业扶贫 消费扶贫 定点帮扶 驻村工作 防返贫 小康社会 十四五 规划编制 "
    "调研报告 建言献策 政协提案 人大建议 条例修订 法治宣传 政策解读 新闻发布 媒体报道 宣传工作 信息报送 "
    "网站建设 新媒体 短视频 直播 科普视频 科普图书 科普展览 科学实验 机器人 编程教育 创客 STEM教育 "
    "科学教育 校园科技节 科技辅导员 科技教师 科学营 夏令营 研学 博物馆 自然教育 生态保护 生物多样性 "
    "垃圾分类 健康中国 全民健身 营养健康 老年健康 心理健康 急救知识 传染病防控 疫苗 中医药 养生 "
    "安全生产 消防安全 交通安全 食品安全 用电安全 反诈骗 谣言粉碎 科学辟谣 伪科学 迷信 科学精神 "
    "工程师 医务工作者 农业专家 教师 大学生 研究生 博士后 留学人员 海外人才 高层次人才 人才计划 "
    "中原英才 最美科技工作者 青年科技奖 优秀学会 先进集体 表彰 评选 推荐 公示"
)
TAG_COUNT = 200
AUTHOR_COUNT = 30
EDITOR_COUNT = 8
REVIEWER_COUNT = 9
TYPES = (("news", 76), ("notice", 7), ("release", 4), ("interpretation", 2), ("profile", 5), ("event", 6))
STATUSES = (("published", 983), ("draft", 10), ("hidden", 5), ("withdrawn", 2))
LINK_SHARE = 0.05


@dataclass
class Article:
    """One generated article, in a form each of the three writers can render."""

    number: int
    slug: str
    title: str
    date: dt.datetime
    section: str
    type: str
    status: str
    department: str
    authors: list[str]
    editor: str
    review: tuple[str, str, str]
    tags: list[str]
    summary: str
    paragraphs: list[str]
    columns: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    adopted_by: list[tuple[str, dt.datetime, str]] = field(default_factory=list)
    event: tuple[dt.datetime, dt.datetime, str] | None = None
    interprets: str = ""
    image: int | None = None  # number in the image pool
    image_alt: str = ""
    link_to: Article | None = None
    pin: int | None = None
    pin_until: str = ""
    milestone: str = ""

    @property
    def folder(self) -> str:
        """Under content/articles/: a column's own folder, else the section's, by year."""
        if self.columns:
            return self.columns[0]
        return f"{self.section}/{self.date:%Y}"

    @property
    def url(self) -> str:
        return f"articles/{self.date:%Y}/{self.date:%m}/{self.slug}/"


@dataclass
class Corpus:
    """Everything generated for one size: the articles and the names they use."""

    size: int
    seed: int
    articles: list[Article]
    tags: list[str]
    authors: list[str]

    def counts(self) -> dict[str, int]:
        statuses: dict[str, int] = {}
        for a in self.articles:
            statuses[a.status] = statuses.get(a.status, 0) + 1
        return {
            "articles": len(self.articles),
            **{f"status_{k}": v for k, v in sorted(statuses.items())},
            "with_image": sum(a.image is not None for a in self.articles),
            "with_adoptions": sum(bool(a.adopted_by) for a in self.articles),
            "in_columns": sum(bool(a.columns) for a in self.articles),
            "in_topics": sum(bool(a.topics) for a in self.articles),
            "naming_people": sum(bool(a.people) for a in self.articles),
            "tags": len(self.tags),
            "authors": len(self.authors),
            "body_chars_mean": round(sum(len("".join(a.paragraphs)) for a in self.articles) / max(1, self.size)),
        }


def _weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


class Writer:
    """Chinese copy from the seeded vocabulary; sentences that hit the house word lists are drawn again."""

    def __init__(self, rng: random.Random, banned: re.Pattern[str] | None) -> None:
        self.rng = rng
        self.banned = banned
        self.experts = [f"{p[1]}{p[3]}" for p in PEOPLE] + [self.name() + t for t in ("教授", "研究员", "高级农艺师")]

    def name(self) -> str:
        rng = self.rng
        return rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")

    def _fill(self, pattern: str, date: dt.datetime) -> str:
        rng = self.rng
        return pattern.format(
            place=rng.choice(PLACES),
            place2=rng.choice(PLACES),
            porg=rng.choice(PLACE_ORGS),
            porg2=rng.choice(PROVINCE_ORGS),
            verb=rng.choice(VERBS),
            event=rng.choice(EVENTS),
            purpose=rng.choice(PURPOSES),
            audience=rng.choice(AUDIENCES),
            talk=rng.choice(TOPICS_OF_TALK),
            expert=rng.choice(self.experts),
            adverb=rng.choice(ADVERBS),
            action=rng.choice(ACTIONS),
            n1=rng.randrange(2, 90) * 100,
            n2=rng.randrange(3, 60) * 100,
            n3=rng.randrange(12, 300),
            n4=rng.randrange(5, 80),
            date=f"{date.month}月{date.day}日",
        )

    def sentence(self, date: dt.datetime) -> str:
        """One sentence of 20 to 40 characters."""
        while True:
            text = self._fill(self.rng.choice(SENTENCES), date)
            if 20 <= len(text) <= 40 and not (self.banned and self.banned.search(text)):
                return text

    def title(self) -> str:
        """12 to 25 characters, as a 科协 headline reads."""
        rng = self.rng
        while True:
            shape = rng.random()
            if shape < 0.5:
                text = f"{rng.choice(PLACES)}{rng.choice(PLACE_ORGS)}{rng.choice(VERBS)}{rng.choice(EVENTS)}"
            elif shape < 0.8:
                text = f"{rng.choice(PROVINCE_ORGS)}{rng.choice(VERBS)}{rng.choice(EVENTS)}"
            else:
                text = f"{rng.choice(PURPOSES)}：{rng.choice(PLACES)}{rng.choice(PLACE_ORGS)}在行动"
            if 12 <= len(text) <= 25 and not (self.banned and self.banned.search(text)):
                return text

    def body(self, date: dt.datetime, chars: int) -> list[str]:
        """Paragraphs of three to seven sentences until `chars` characters; some articles have subheadings."""
        rng = self.rng
        paragraphs: list[str] = []
        headings = rng.random() < 0.4
        written = 0
        while written < chars:
            if headings and paragraphs and rng.random() < 0.18:
                paragraphs.append("## " + rng.choice(HEADINGS))
            text = "".join(self.sentence(date) for _ in range(rng.randint(3, 7)))
            paragraphs.append(text)
            written += len(text)
        return paragraphs


def banned_pattern(content_root: Path) -> re.Pattern[str] | None:
    """Every term of the project's lexicon and sensitive-word lists: generated copy never contains one."""
    terms: list[str] = []
    for name in WORDLISTS:
        path = content_root / "data" / name
        if path.is_file():
            terms += re.findall(r"(?:wrong|word): ([^,}]+)", path.read_text(encoding="utf-8"))
    terms = sorted({t.strip() for t in terms if t.strip()}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, terms))) if terms else None


def make_tags(rng: random.Random) -> list[str]:
    """200 tags with distinct pinyin slugs (同音 tags would share a URL)."""
    from content_model.slugs import slugify

    words = list(dict.fromkeys(TAG_WORDS))
    rng.shuffle(words)
    tags: list[str] = []
    slugs: set[str] = set()
    candidates = iter(words + [f"{a}{b}" for a in words[:40] for b in ("科普", "服务", "研究", "论坛", "培训")])
    while len(tags) < TAG_COUNT:
        tag = next(candidates)
        slug = slugify(tag)
        if slug and slug not in slugs:
            slugs.add(slug)
            tags.append(tag)
    return tags


def generate(size: int, seed: int = SEED, wordlists: Path | None = None) -> Corpus:
    """`size` articles; the same size and seed always give the same corpus."""
    rng = random.Random(f"{seed}-{size}")
    writer = Writer(rng, banned_pattern(wordlists or ROOT / "content"))
    tags = make_tags(rng)
    tag_weights = [1.0 / (rank + 4) for rank in range(len(tags))]  # a few tags are on many articles, most on few
    authors = list(dict.fromkeys(writer.name() for _ in range(AUTHOR_COUNT * 2)))[:AUTHOR_COUNT]
    editors = list(dict.fromkeys(writer.name() for _ in range(EDITOR_COUNT * 2)))[:EDITOR_COUNT]
    reviewers = list(dict.fromkeys(writer.name() for _ in range(REVIEWER_COUNT * 2)))[:REVIEWER_COUNT]
    dates = sorted(
        FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS + 1), hours=rng.randint(8, 19), minutes=rng.randrange(60))
        for _ in range(size)
    )
    articles: list[Article] = []
    releases: list[Article] = []
    for number, date in enumerate(dates):
        section = rng.choices([s[0] for s in SECTIONS], weights=SECTION_WEIGHTS)[0]
        kind = _weighted(rng, TYPES)
        if kind == "interpretation" and not releases:
            kind = "release"
        if kind in ("release", "interpretation"):
            section = "fabu"
        elif kind == "notice":
            section = "notices"
        status = _weighted(rng, STATUSES)
        title = writer.title()
        # A body stops at the paragraph that passes its length: aim below the mean by half a paragraph.
        paragraphs = writer.body(date, rng.randint(MEAN_CHARS - 900, MEAN_CHARS + 700))
        review = tuple(rng.sample(reviewers, 3))
        article = Article(
            number=number,
            slug=f"{section}-{date:%Y}-{number:05d}",
            title=title,
            date=date,
            section=section,
            type=kind,
            status=status,
            department=rng.choice(DEPARTMENTS)[0],
            authors=rng.sample(authors, rng.choice((1, 1, 1, 2))),
            editor=rng.choice(editors),
            review=review,  # type: ignore[arg-type]
            tags=list(dict.fromkeys(rng.choices(tags, weights=tag_weights, k=rng.randint(1, 4)))),
            summary=writer.sentence(date) + writer.sentence(date),
            paragraphs=paragraphs,
        )
        if rng.random() < 0.10:
            article.columns = [rng.choice(COLUMNS)[0]]
        if rng.random() < 0.08:
            article.topics = [rng.choice(TOPICS)[0]]
            if article.topics[0] == "kejiguan-xinguan" and rng.random() < 0.5:
                article.milestone = rng.choice(("开工奠基", "主体封顶", "展陈布展", "开馆试运行"))
        if kind == "profile" or rng.random() < 0.05:
            article.people = [rng.choice(PEOPLE)[0]]
        if status == "published" and rng.random() < 0.15:
            for _ in range(rng.randint(1, 3)):
                media = rng.choice(MEDIA)
                when = date + dt.timedelta(days=rng.randint(0, 10))
                when = min(when, dt.datetime(2020, 12, 31, 23, 0))
                article.adopted_by.append((media[0], when, f"{media[3]}article/{number:05d}.html"))
        if kind == "event":
            start = date + dt.timedelta(days=rng.randint(1, 20))
            start = start.replace(hour=0, minute=0)
            article.event = (start, start + dt.timedelta(days=rng.randint(0, 3)), rng.choice(PLACES))
        if kind == "interpretation":
            article.interprets = rng.choice(releases).slug
        if kind == "release" and status == "published":
            releases.append(article)
        if rng.random() < IMAGE_SHARE:
            article.image = number
            article.image_alt = f"{rng.choice(PLACES)}{rng.choice(EVENTS)}现场，{rng.choice(AUDIENCES)}认真听讲"
        if articles and rng.random() < LINK_SHARE:
            target = rng.choice(articles[-200:])
            if target.status == "published":
                article.link_to = target
        articles.append(article)
    # One headline pinned through SITE_NOW, one whose pin has expired.
    published = [a for a in articles if a.status == "published"]
    if len(published) >= 2:
        published[-1].pin, published[-1].pin_until = 1, "2021-01-31"
        published[len(published) // 2].pin, published[len(published) // 2].pin_until = 2, "2020-06-01"
    return Corpus(size=size, seed=seed, articles=articles, tags=tags, authors=authors)


# Our contract


def _yaml_text(text: str) -> str:
    """A plain YAML scalar; the generated copy has no character YAML would read specially, except the colon."""
    return f'"{text}"' if ":" in text or "：" in text or text[:1] in "\"'[{&*!|>%@`#" else text


def _flow(values: list[str]) -> str:
    return "[" + ", ".join(_yaml_text(v) for v in values) + "]"


def _when(moment: dt.datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M}"


def our_front_matter(a: Article) -> list[str]:
    lines = [
        f"title: {_yaml_text(a.title)}",
        f"date: {_when(a.date)}",
        f"slug: {a.slug}",
        f"section: {a.section}",
        f"type: {a.type}",
        f"department: {a.department}",
        f"authors: {_flow(a.authors)}",
        f"editor: {a.editor}",
        f"review: {{first: {a.review[0]}, second: {a.review[1]}, final: {a.review[2]}}}",
        f"tags: {_flow(a.tags)}",
        f"summary: {a.summary}",
    ]
    if a.columns:
        lines.append(f"columns: {_flow(a.columns)}")
    if a.topics:
        lines.append(f"topics: {_flow(a.topics)}")
    if a.milestone:
        lines.append(f"milestone: {a.milestone}")
    if a.people:
        lines.append(f"people: {_flow(a.people)}")
    if a.image is not None:
        lines += ["cover: photo.jpg", f"cover_alt: {_yaml_text(a.image_alt)}"]
    if a.event:
        start, end, place = a.event
        lines.append(f"event: {{start: {start:%Y-%m-%d}, end: {end:%Y-%m-%d}, location: {place}}}")
    if a.interprets:
        lines.append(f"interprets: {a.interprets}")
    if a.adopted_by:
        lines.append("adopted_by:")
        lines += [f'  - {{media: {m}, date: {d:%Y-%m-%d}, url: "{u}"}}' for m, d, u in a.adopted_by]
    if a.pin is not None:
        lines += [f"pin: {a.pin}", f"pin_until: {a.pin_until}"]
    if a.status != "published":
        lines.append(f"status: {a.status}")
    if a.status == "withdrawn":
        lines.append("withdrawn_reason: 内容有误，已撤回")
    return lines


def body_text(a: Article, image: str, link: str) -> str:
    """The body every twin shares; only the image and link addresses differ, as each tool spells them."""
    out = []
    for index, paragraph in enumerate(a.paragraphs):
        out.append(paragraph)
        if index == 0 and a.image is not None:
            out.append(f"![{a.image_alt}]({image})")
        if index == 1 and a.link_to is not None:
            out.append(f"相关报道：[{a.link_to.title}]({link})")
    return "\n\n".join(out) + "\n"


def write_ours(corpus: Corpus, root: Path, pool: Path) -> None:
    content = root / "content"
    data = content / "data"
    data.mkdir(parents=True)
    (data / "sections.yml").write_text(
        "".join(f"- {{id: {i}, name: {n}, order: {k}}}\n" for k, (i, n) in enumerate(SECTIONS, 1)), encoding="utf-8"
    )
    (data / "departments.yml").write_text(
        "".join(f"- {{id: {i}, name: {n}, kind: {k}}}\n" for i, n, k in DEPARTMENTS), encoding="utf-8"
    )
    (data / "media.yml").write_text(
        "".join(f'- {{id: {i}, name: {n}, level: {lv}, url: "{u}"}}\n' for i, n, lv, u in MEDIA), encoding="utf-8"
    )
    for name in WORDLISTS:
        source = ROOT / "content" / "data" / name
        if source.is_file():
            shutil.copyfile(source, data / name)
    _write(
        content / "pages/about.md", "---\ntitle: 关于我们\norder: 1\n---\n河南省科学技术协会是科技工作者的群众组织。\n"
    )
    _write(content / "pages/contact.md", "---\ntitle: 联系我们\norder: 2\n---\n地址：郑州市金水区政七街25号。\n")
    for order, (column_id, title, partner) in enumerate(COLUMNS, 1):
        lines = [f"title: {title}", f"description: {title}专栏，集中展示全省科协系统的典型经验。", f"order: {order}"]
        lines += [f"partner: {partner}"] if partner else []
        lines += ["start: 2018-01-01", f"editors: [editor-{order}]"]
        _write(content / f"columns/{column_id}.md", _doc(lines, f"{title}专栏由省科协调研宣传部主办。\n"))
    topic_articles = {
        t[0]: [a for a in corpus.articles if t[0] in a.topics and a.status == "published"] for t in TOPICS
    }
    for order, (topic_id, title, layout) in enumerate(TOPICS, 1):
        lines = [f"title: {title}", f"description: {title}专题报道。", f"order: {order}", f"layout: {layout}"]
        featured = [a.slug for a in topic_articles[topic_id][:2]]
        if featured:
            lines.append(f"featured: {_flow(featured)}")
        if layout == "sections":
            lines += [
                "sections:",
                "  - {title: 媒体聚焦, type: news, limit: 12}",
                "  - {title: 人物风采, type: profile}",
            ]
            lines += [f"  - {{title: 专栏报道, column: {COLUMNS[0][0]}}}"]
        _write(content / f"topics/{topic_id}.md", _doc(lines, f"{title}专题集中展示全省科协系统的相关报道。\n"))
    for index, (person_id, name, unit, position, field_, honour) in enumerate(PEOPLE):
        lines = [f"name: {name}", f"unit: {unit}", f"position: {position}", f"field: {field_}"]
        if honour:
            lines += ["honors:", f"  - {{award: {honour}, year: {2018 + index % 3}}}"]
        bio = f"{name}，{unit}{position}，长期从事{field_}研究，扎根中原、服务基层。\n"
        if index < PEOPLE_WITH_PHOTO:
            lines += ["photo: photo.jpg", f"photo_alt: {name}的工作照"]
            _write(content / f"people/{person_id}/index.md", _doc(lines, bio))
            images.place(images.pool_path(pool, 1_000_000 + index), content / f"people/{person_id}/photo.jpg")
        else:
            _write(content / f"people/{person_id}.md", _doc(lines, bio))
    for a in corpus.articles:
        link = f"/{a.link_to.url}" if a.link_to else ""
        text = _doc(our_front_matter(a), body_text(a, "photo.jpg", link))
        if a.image is None:
            _write(content / "articles" / a.folder / f"{a.slug}.md", text)
        else:
            folder = content / "articles" / a.folder / a.slug
            _write(folder / "index.md", text)
            images.place(images.pool_path(pool, a.image), folder / "photo.jpg")


def _doc(lines: list[str], body: str) -> str:
    return "---\n" + "\n".join(lines) + "\n---\n" + body


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# The stock Pelican twin: Pelican's own `Key: value` metadata, its default theme, its own settings file.

SECTION_NAMES = dict(SECTIONS)


def write_stock(corpus: Corpus, root: Path, pool: Path) -> None:
    content = root / "content"
    content.mkdir(parents=True)
    shutil.copyfile(BENCH / "stock_pelicanconf.py", root / "pelicanconf.py")
    _write(content / "pages/about.md", "Title: 关于我们\n\n河南省科学技术协会是科技工作者的群众组织。\n")
    for a in corpus.articles:
        meta = [
            f"Title: {a.title}",
            f"Date: {_when(a.date)}",
            f"Slug: {a.slug}",
            f"Category: {SECTION_NAMES[a.section]}",
            f"Tags: {', '.join(a.tags)}",
            f"Authors: {', '.join(a.authors)}",
            f"Summary: {a.summary}",
        ]
        if a.status in ("draft", "hidden"):
            meta.append(f"Status: {a.status}")
        link = f"{{filename}}/articles/{a.link_to.slug}.md" if a.link_to else ""
        image = f"{{static}}/images/{a.slug}.jpg"
        _write(content / "articles" / f"{a.slug}.md", "\n".join(meta) + "\n\n" + body_text(a, image, link))
        if a.image is not None:
            images.place(images.pool_path(pool, a.image), content / "images" / f"{a.slug}.jpg")


# The Hugo twin: front matter with the summary, minimal layouts of our own (bench/hugo).


def write_hugo(corpus: Corpus, root: Path, pool: Path) -> None:
    shutil.copytree(BENCH / "hugo", root, dirs_exist_ok=True)
    content = root / "content"
    _write(content / "about.md", '---\ntitle: "关于我们"\n---\n河南省科学技术协会是科技工作者的群众组织。\n')
    for a in corpus.articles:
        lines = [
            f'title: "{a.title}"',
            f"date: {a.date:%Y-%m-%dT%H:%M:00}+08:00",
            f"slug: {a.slug}",
            f"categories: [{SECTION_NAMES[a.section]}]",
            f"tags: {_flow(a.tags)}",
            f"authors: {_flow(a.authors)}",
            f'summary: "{a.summary}"',
        ]
        if a.status == "draft":
            lines.append("draft: true")
        elif a.status == "hidden":
            lines += ["build:", "  list: never"]
        link = f"/{a.link_to.url}" if a.link_to else ""
        text = _doc(lines, body_text(a, f"/images/{a.slug}.jpg", link))
        _write(content / "articles" / f"{a.slug}.md", text)
        if a.image is not None:
            images.place(images.pool_path(pool, a.image), root / "static" / "images" / f"{a.slug}.jpg")


# Cache: each size in its own folder, remade only when its key changes.


def _files(path: Path) -> Iterator[Path]:
    if path.is_file():
        yield path
    else:
        yield from sorted(p for p in path.rglob("*") if p.is_file())


def corpus_key(size: int, seed: int) -> str:
    """What the corpus depends on: this code, the twins' files, the word lists, the image generator, pypinyin."""
    import pypinyin

    digest = hashlib.sha256(f"{size}-{seed}-{images.IMAGE_KEY}-{pypinyin.__version__}".encode())
    for path in (Path(__file__), *TWIN_FILES, *(ROOT / "content/data" / n for n in WORDLISTS)):
        for file in _files(path):
            digest.update(file.relative_to(ROOT).as_posix().encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


@dataclass
class Paths:
    """Where one size's corpus and twins live."""

    root: Path

    @property
    def ours(self) -> Path:
        return self.root / "ours"

    @property
    def stock(self) -> Path:
        return self.root / "stock"

    @property
    def hugo(self) -> Path:
        return self.root / "hugo"

    @property
    def manifest(self) -> Path:
        return self.root / "corpus.json"


def write_corpus(corpus: Corpus, target: Path, pool: Path) -> None:
    """All three twins of `corpus` into `target` (which must not exist)."""
    numbers = [a.image for a in corpus.articles if a.image is not None]
    images.ensure(pool, numbers + [1_000_000 + i for i in range(PEOPLE_WITH_PHOTO)])
    paths = Paths(target)
    write_ours(corpus, paths.ours, pool)
    write_stock(corpus, paths.stock, pool)
    write_hugo(corpus, paths.hugo, pool)


def ensure_corpus(size: int, seed: int = SEED, cache: Path = CACHE, log: bool = True) -> Paths:
    """The corpus of `size` articles under .cache/bench/corpora/, generated if missing or out of date."""
    key = corpus_key(size, seed)
    paths = Paths(cache / "corpora" / str(size))
    if paths.manifest.is_file() and json.loads(paths.manifest.read_text())["key"] == key:
        return paths
    if log:
        print(f"generating the {size}-article corpus (key {key}) …", flush=True)
    tmp = paths.root.with_name(f"{size}.part")
    shutil.rmtree(tmp, ignore_errors=True)
    corpus = generate(size, seed)
    write_corpus(corpus, tmp, cache / "images" / images.IMAGE_KEY)
    # The key is written last and the folder renamed into place: an interrupted run is redone, never half-used.
    manifest = {"key": key, "size": size, "seed": seed, "site_now": SITE_NOW, "counts": corpus.counts()}
    edit = edit_target(corpus)
    manifest["edit"] = {
        "ours": str((paths.ours / "content/articles" / edit.folder / f"{edit.slug}.md").relative_to(paths.root)),
        "stock": f"stock/content/articles/{edit.slug}.md",
        "slug": edit.slug,
    }
    (tmp / "corpus.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    shutil.rmtree(paths.root, ignore_errors=True)
    tmp.rename(paths.root)
    return paths


def edit_target(corpus: Corpus) -> Article:
    """The article the one-file edit changes: a published one, without an image, from the middle of the corpus."""
    middle = len(corpus.articles) // 2
    for a in corpus.articles[middle:] + corpus.articles[:middle]:
        if a.status == "published" and a.image is None and not a.columns and not a.topics:
            return a
    raise ValueError("no article to edit")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, default=None, help="write here instead of the cache (must not exist)")
    args = parser.parse_args(argv)
    for size in args.sizes:
        if args.out:
            write_corpus(generate(size, args.seed), args.out / str(size), CACHE / "images" / images.IMAGE_KEY)
        else:
            print(ensure_corpus(size, args.seed).root)
    return 0


if __name__ == "__main__":
    sys.exit(main())
