"""Deterministic synthetic libraries for the search benchmark.

Articles are assembled from paragraphs: those of ``../shared/corpus`` when that folder exists
(the reference figures of issue 5 use them), else the fixture paragraphs below (our own text).
The same seed and size always give the same articles.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SHARED_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"

FIXTURE_PARAGRAPHS = [
    "本报讯 记者从市发展改革委获悉，今年以来全市重大项目建设提速，一季度新开工项目一百二十个，总投资超过八百亿元，其中先进制造业项目占比接近四成。",
    "京津冀协同发展持续走深走实，三地在交通一体化、生态环境联防联治和产业升级转移等领域取得一批标志性成果，区域创新链和产业链加速融合。",
    "在滨海新区的一家智能工厂里，自动化生产线高速运转，机械臂精准抓取零件，每天有上万个控制器从这里下线，产品销往全国二十多个省份。",
    "市应急管理局近日部署冬季安全生产大检查，重点排查燃气、消防、道路交通和建筑施工等领域隐患，督促企业落实安全生产主体责任。",
    "港口集装箱吞吐量再创新高，全年突破两千三百万标准箱，同比增长百分之六。智慧码头建设持续推进，自动化岸桥数量位居全国前列。",
    "社区食堂每天供应三餐，六十岁以上老人就餐可享受优惠。街道负责人表示，下一步将把助餐服务延伸到更多小区，让老年人吃得放心、吃得舒心。",
    "专家认为，培育新质生产力关键在于科技创新，要加快推动人工智能、生物制造、新能源等战略性新兴产业发展，以创新驱动高质量发展。",
    "据介绍，新建成的城市公园占地约三十公顷，园内设有健身步道、儿童游乐区和湿地景观，预计五一假期前向市民免费开放。",
    "在昨天举行的新闻发布会上，相关负责人介绍了今年民生实事的进展情况：老旧小区改造已完成年度计划的七成，新增普惠托育托位两千个。",
    "近年来，我市持续优化营商环境，推行企业开办“一网通办”，平均办理时间压缩到一个工作日以内，市场主体数量稳步增长。",
    "农业农村部门组织农技人员深入田间地头，指导农户做好春耕备耕工作。目前全市小麦长势良好，化肥、种子等农资供应充足。",
    "文旅市场持续升温，春节假期全市接待游客超过五百万人次，旅游收入同比增长百分之十二，夜间经济、冰雪旅游成为新的消费热点。",
    "教育部门表示，将继续扩大优质教育资源供给，新建、改扩建中小学和幼儿园四十所，新增学位三万个，缓解部分区域入学压力。",
    "医疗卫生服务体系不断完善，全市二级以上公立医院全部实现检查检验结果互认，群众就医更加便捷，重复检查费用明显减少。",
    "生态环境持续改善，全年细颗粒物平均浓度下降到每立方米三十八微克，优良天数比例达到百分之七十，创有监测记录以来最好水平。",
    "为推动消费回暖，多部门联合发放消费券，覆盖餐饮、零售、文旅等行业，带动相关消费超过十亿元，商户和市民普遍反映效果明显。",
    "科技型中小企业数量突破一万家，高新技术企业超过一万一千家。研发经费投入强度持续提升，创新主体活力不断增强。",
    "交通运输部门介绍，地铁新线路年内将开通运营，届时轨道交通运营里程将超过三百公里，进一步方便市民绿色出行。",
    "河道综合治理工程全面完工，沿岸建成滨水绿道二十公里。周边居民说，过去的臭水沟变成了风景带，傍晚散步的人越来越多。",
    "面对复杂多变的外部环境，外贸企业积极开拓新兴市场，跨境电商进出口额增长迅速，成为稳外贸的重要力量。",
    "会议强调，要坚持以人民为中心的发展思想，着力解决群众急难愁盼问题，把各项惠民政策落到实处，不断增强群众获得感。",
    "Smart Factory 项目负责人表示，工厂引入 AI 质检系统后，产品不良率下降了三成，5G 专网让设备联网率达到百分之九十五。",
    "截至3月底，全市新能源汽车保有量达到42.6万辆，公共充电桩超过5.8万个，换电站120座，基本形成城市十五分钟充电圈。",
    "读者来信反映，部分老旧小区加装电梯推进缓慢。对此，住建部门回应称，将简化审批流程，并对符合条件的项目给予资金补贴。",
]


@dataclass
class BenchArticle:
    id: int
    title: str
    subtitle: str
    byline: str
    source: str
    date: str
    body: str


def corpus_paragraphs(use_shared: bool = True) -> list[str]:
    """Paragraphs of at least 20 characters, in a fixed order."""
    paras: list[str] = []
    if use_shared and SHARED_CORPUS.is_dir():
        for path in sorted(SHARED_CORPUS.glob("*.txt")):
            raw = path.read_text(encoding="utf-8-sig", errors="replace")
            texts: list[str] = []
            try:
                data = json.loads(raw)
                if isinstance(data, list):
                    for item in data:
                        if isinstance(item, dict):
                            for v in item.values():
                                if isinstance(v, str) and len(v) > 200:
                                    texts.append(v)
            except ValueError:
                texts.append(raw)
            for t in texts:
                for line in t.replace("\r", "\n").split("\n"):
                    line = " ".join(line.replace("## ", "").split())
                    if len(line) >= 20:
                        paras.append(line)
    if not paras:
        paras = list(FIXTURE_PARAGRAPHS)
    return paras


SOURCES = ["滨河日报", "城市发布", "科技周刊", "晨光晚报", "政务服务网", "经济观察"]
BYLINES = ["记者 李明远", "记者 王晓燕", "通讯员 赵琳", "记者 陈静", "", ""]


def synthesize(n: int, *, seed: int = 20260115, use_shared: bool = True) -> Iterator[BenchArticle]:
    """``n`` articles, ~1,100 characters of body on average."""
    paras = corpus_paragraphs(use_shared)
    rng = random.Random(seed)
    for i in range(1, n + 1):
        target = rng.randint(250, 1650)
        parts: list[str] = []
        size = 0
        while size < target:
            p = paras[rng.randrange(len(paras))]
            parts.append(p)
            size += len(p) + 1
        body = "\n".join(parts)
        head = paras[rng.randrange(len(paras))]
        cut = min((k for k in (head.find("，"), head.find(","), 24) if k > 0), default=24)
        title = head[: max(6, min(cut, 28))]
        year = 2024 + rng.randrange(3)
        date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        yield BenchArticle(
            id=i,
            title=title,
            subtitle="",
            byline=BYLINES[rng.randrange(len(BYLINES))],
            source=SOURCES[rng.randrange(len(SOURCES))],
            date=date,
            body=body,
        )
