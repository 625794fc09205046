"""Fixture articles for the index tests (our own news-like sentences, not corpus text)."""

from __future__ import annotations

from index import IndexDoc

ARTICLES = [
    IndexDoc(
        id=1,
        title="京津冀协同发展迈出新步伐",
        subtitle="三地联合推进产业链协作",
        byline="记者 李明远",
        source="滨河日报",
        date="2026-01-15",
        body=(
            "本报讯 记者从市发展改革委获悉，京津冀协同发展今年取得一批标志性成果。\n"
            "三地共同培育新质生产力，推动制造业向高端化、智能化、绿色化方向转型。\n"
            "在滨海新区，一批人工智能企业集中落户，带动上下游配套项目加快建设。"
        ),
        tags=["区域发展", "经济"],
        notes="协同发展是重点\n值得跟进",
    ),
    IndexDoc(
        id=2,
        title="港口集装箱吞吐量创历史新高",
        subtitle="",
        byline="记者 王晓燕",
        source="滨河日报",
        date="2026-02-03",
        body=(
            "全年集装箱吞吐量突破两千三百万标准箱，同比增长百分之六。\n"
            "港口持续推进智慧码头建设，自动化岸桥数量位居全国前列。\n"
            "业内人士认为，协同发展为港口带来了更广阔的腹地。"
        ),
        tags=["港口"],
        notes="",
    ),
    IndexDoc(
        id=3,
        title="冬季安全生产检查全面展开",
        subtitle="",
        byline="",
        source="城市发布",
        date="2026-01-28",
        body=(
            "市应急管理局部署冬季安全生产大检查，重点排查燃气、消防和道路交通隐患。\n"
            "检查组深入企业一线，督促落实主体责任，确保群众过一个平安祥和的春节。"
        ),
        tags=[],
        notes="",
    ),
    IndexDoc(
        id=4,
        title="ＡＩ芯片产业园开园",
        subtitle="首批入驻企业二十家",
        byline="通讯员 赵琳",
        source="科技周刊",
        date="2025-12-30",
        body=(
            "园区聚焦ＡＩ芯片设计与封装测试，首期投资１２０亿元。"
            "负责人表示，将引进ＧＰＵ研发团队（含海外人才），打造5G与人工智能融合应用高地。\n"
            "Smart Factory 项目同步启动，iPhone15 配套线也在洽谈之中。"
        ),
        tags=["科技", "人工智能"],
        notes="注意：投资额需核实",
    ),
    IndexDoc(
        id=5,
        title="社区食堂让老人吃上热乎饭",
        subtitle="",
        byline="记者 陈静",
        source="城市发布",
        date="",
        body=(
            "家门口的社区食堂每天供应三餐，六十岁以上老人就餐享受优惠。\n"
            "街道负责人说，下一步将把助餐服务延伸到更多小区，让老人吃得放心。"
            "古籍中的𠀀字和𠀁字属于扩展字符，也应能够检索。"
        ),
        tags=["民生"],
        notes="",
    ),
]


def body_of(ids: list[int]) -> dict[int, str]:
    by_id = {a.id: a.body for a in ARTICLES}
    return {i: by_id[i] for i in ids if i in by_id}
