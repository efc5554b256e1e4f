"""A deterministic Chinese news corpus from a seeded vocabulary: words, place names and person names."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Words of a provincial 科协's news, most frequent first (their weights fall off as in real text).
DOMAIN_WORDS = _words(
    "科技 工作 发展 创新 服务 科协 活动 建设 推进 组织 科普 专家 企业 技术 人才 会议 学会 基层 全省 开展 "
    "要求 提升 科学 学术 交流 平台 项目 研究 成果 转化 合作 培训 示范 农民 乡村 群众 青年 学生 教育 "
    "决策 咨询 智库 调研 报告 改革 政策 落实 机制 体系 能力 水平 质量 效益 产业 经济 社会 文化 "
    "党建 学习 思想 引领 宣传 报道 媒体 新闻 发布 解读 条例 修订 征求 意见 建议 评选 表彰 推荐 "
    "奖励 荣誉 志愿者 科技馆 展览 展品 体验 讲座 论坛 年会 峰会 座谈 调查 素质 公民 普及 传播 "
    "服务站 工作站 院士 教授 研究员 工程师 医生 教师 科研 团队 实验室 基地 园区 高校 医院 中学 "
    "小学 社区 农村 合作社 种植 养殖 小麦 玉米 大豆 花生 辣椒 食用菌 中药材 蔬菜 果树 畜牧 "
    "疫情 防控 复工 复产 健康 卫生 安全 应急 救援 环境 生态 保护 绿色 低碳 能源 水利 气象 "
    "信息化 数字 网络 数据 智能 制造 装备 材料 生物 医药 化工 电子 通信 软件 互联网 人工智能 "
    "全国 国家 省级 市级 县级 部门 单位 机关 系统 领导 主席 书记 副主席 委员 代表 会员 "
    "重要 重点 主要 全面 深入 积极 持续 不断 进一步 切实 有效 扎实 广泛 充分 明显 显著"
)
CAMPAIGNS = _words(
    "脱贫攻坚 乡村振兴 全面小康 科技工作者日 全国科普日 科普大篷车 创新驱动发展 科教兴国 "
    "人才强省 黄河流域生态保护 高质量发展 双创周 科技下乡 三下乡 院士专家工作站 "
    "最美科技工作者 青年科技奖 科学素质纲要 科技助力精准扶贫 一带一路"
)
PLACES = _words(
    "郑州 开封 洛阳 平顶山 安阳 鹤壁 新乡 焦作 濮阳 许昌 漯河 三门峡 南阳 商丘 信阳 周口 驻马店 济源 "
    "巩义 兰考 汝州 滑县 长垣 邓州 永城 固始 鹿邑 新蔡 登封 新郑 荥阳 中牟 偃师 孟津 栾川 嵩县 "
    "汝阳 宜阳 洛宁 伊川 郏县 宝丰 叶县 鲁山 舞钢 林州 内黄 汤阴 浚县 淇县 辉县 卫辉 获嘉 原阳 "
    "延津 封丘 修武 博爱 武陟 温县 沁阳 孟州 清丰 南乐 范县 台前 禹州 长葛 鄢陵 襄城 舞阳 临颍 "
    "渑池 卢氏 灵宝 义马 南召 方城 西峡 镇平 内乡 淅川 社旗 唐河 新野 桐柏 民权 睢县 宁陵 柘城 "
    "虞城 夏邑 罗山 光山 新县 商城 潢川 淮滨 息县 扶沟 西华 商水 沈丘 郸城 太康 项城 西平 上蔡 "
    "平舆 正阳 确山 泌阳 汝南 遂平"
)
PLACE_SUFFIXES = ("市", "县", "区", "市科协", "县科协")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = "明华建国军平伟芳娜敏静丽强磊洋勇艳杰娟涛超秀英霞刚桂兰玉萍红鹏飞宇浩然志远思雨雅婷立新振中海峰文博"
# Common characters for everyday words that no list above covers: they make the long tail of rare bigrams.
COMMON = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后"
    "多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合"
    "还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只"
    "没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边"
    "流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造"
    "百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例"
    "真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且"
)


@dataclass
class Article:
    """One generated article: its fields and a body made of paragraphs."""

    number: int
    title: str
    date: datetime
    section: str
    type: str
    paragraphs: list[str] = field(default_factory=list)

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


class Vocabulary:
    """Words with Zipf-like weights: domain words and campaigns, places, people and a long tail of rarer words."""

    def __init__(self, rng: random.Random, tail_words: int = 20000, people: int = 1500) -> None:
        self.places = [*PLACES, *(p + s for p in PLACES[:60] for s in PLACE_SUFFIXES)]
        names: dict[str, None] = {}
        while len(names) < people:
            given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
            names.setdefault(rng.choice(SURNAMES) + given, None)
        self.people = list(names)
        tail: dict[str, None] = {}
        while len(tail) < tail_words:
            tail.setdefault("".join(rng.choice(COMMON) for _ in range(rng.choice((2, 2, 2, 3, 4)))), None)
        self.words = [*DOMAIN_WORDS, *tail]
        # One mixture, cumulative weights computed once: random.choices would sum them again on every call.
        # Shares of all words, calibrated on the sample site scaled to 2,300 characters: the busiest city is in
        # about half of the articles, 洛阳 in a third, a campaign in a sixth, a well-known name in a fifth.
        parts = (
            (self.places, 0.01, 3),
            (self.people, 0.01, 5),
            (list(CAMPAIGNS), 0.004, 1000),
            (self.words, 0.976, 10),
        )
        self.vocabulary: list[str] = []
        weights: list[float] = []
        for words, share, offset in parts:
            zipf = [1.0 / (rank + offset) for rank in range(len(words))]
            total = sum(zipf)
            self.vocabulary.extend(words)
            weights.extend(share * w / total for w in zipf)
        self.cum_weights = list(itertools.accumulate(weights))
        self.place_weights = list(itertools.accumulate(1.0 / (rank + 3) for rank in range(len(self.places))))

    def place(self, rng: random.Random) -> str:
        return rng.choices(self.places, cum_weights=self.place_weights)[0]

    def draw(self, rng: random.Random, count: int) -> list[str]:
        return rng.choices(self.vocabulary, cum_weights=self.cum_weights, k=count)


SECTIONS = ("news", "notices", "jiceng", "xueshu", "kepu", "rencai", "zhiku", "fabu")
TYPES = ("news", "news", "news", "notice", "release", "profile", "event")


def paragraph(words: list[str], vocab: Vocabulary, rng: random.Random, chars: int) -> str:
    """Clauses of 3 to 8 words, one to three to a sentence, until `chars` characters; consumes `words`."""
    text: list[str] = []
    length = 0
    while length < chars:
        clauses = []
        for _ in range(rng.randint(1, 3)):
            take = rng.randint(3, 8)
            if len(words) < take:
                words.extend(vocab.draw(rng, 200))
            clauses.append("".join(words[-take:]))
            del words[-take:]
        sentence = "，".join(clauses) + "。"
        text.append(sentence)
        length += len(sentence)
    return "".join(text)


def articles(count: int, chars: int = 2300, seed: int = 2020, start: datetime | None = None) -> list[Article]:
    """`count` articles of about `chars` characters each; the same arguments always give the same articles."""
    rng = random.Random(seed)
    vocab = Vocabulary(rng)
    start = start or datetime(2018, 1, 1, 8, 0)
    titles: set[str] = set()
    result = []
    for number in range(count):
        while True:
            place = vocab.place(rng)
            title = place + "".join(vocab.draw(rng, rng.randint(2, 4)))
            if title not in titles:
                titles.add(title)
                break
        date = start + timedelta(minutes=number * 432 + rng.randint(0, 400))  # about 3 a day
        article = Article(number, title, date, rng.choice(SECTIONS), rng.choice(TYPES))
        words = vocab.draw(rng, chars // 2)  # about enough: a word has two characters or more
        written = 0
        while written < chars:
            para = paragraph(words, vocab, rng, rng.randint(120, 320))
            article.paragraphs.append(para)
            written += len(para)
        result.append(article)
    return result
