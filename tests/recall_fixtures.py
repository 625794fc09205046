"""Fixture articles for recall (issue 17): our own news-like texts, with the tags a careful reader
would give each (GOLD, for precision@5 of suggested tags) and news boilerplate on purpose
(本报讯, 记者 + name, 日电, 同比, numbers and dates) that must never be suggested."""

from __future__ import annotations

from pathlib import Path

ARTICLES: list[dict[str, str]] = [
    {
        "title": "天津港集装箱吞吐量再创新高",
        "source": "滨海日报", "date": "2026-01-12",
        "body": (
            "本报讯（记者 周海涛）1月11日，记者从天津港集团获悉，2025年天津港集装箱吞吐量"
            "突破2300万标准箱，同比增长5.2%。\n"
            "天津港持续推进智慧港口建设，自动化码头岸桥和无人驾驶集卡投入运营，码头作业效率"
            "明显提升。港口还新开通多条外贸航线，连接东南亚和欧洲的主要港口。\n"
            "业内人士表示，集装箱航线加密让京津冀的外贸企业出货更快，港口对腹地经济的带动"
            "作用进一步显现。"
        ),
    },
    {
        "title": "宁波舟山港开通新航线 港口物流提速",
        "source": "东海商报", "date": "2026-02-03",
        "body": (
            "新华社宁波2月2日电 宁波舟山港今天开通一条通往南美的集装箱航线，这是今年以来"
            "该港新增的第五条外贸航线。\n"
            "港口方面介绍，新航线每周一班，集装箱船从宁波出发，途经新加坡，全程约三十五天。"
            "港口物流企业表示，航线开通后，出口货物的运输时间缩短了一周。\n"
            "今年前两个月，宁波舟山港集装箱吞吐量同比增长百分之八。"
        ),
    },
    {
        "title": "社区食堂开进老旧小区 老人吃饭不再难",
        "source": "滨海日报", "date": "2026-01-20",
        "body": (
            "本报讯（记者 李晓梅 通讯员 王涛）走进河西区一处老旧小区，社区食堂里飘出饭菜香。"
            "每天中午，六十多位老人在这里吃上热乎饭，一荤两素只要十二元。\n"
            "社区食堂由街道和养老服务中心共同运营，为高龄老人和独居老人提供送餐上门服务。"
            "社区还在食堂旁设立了健康小屋，志愿者定期为老人测量血压。\n"
            "街道负责人介绍，今年将在辖区再建三家社区食堂，让更多老人享受养老服务。"
        ),
    },
    {
        "title": "养老服务中心试点智能手环 独居老人更安心",
        "source": "城市晚报", "date": "2026-03-05",
        "body": (
            "记者3月4日从市民政局了解到，全市已有二十个养老服务中心试点为独居老人配发智能手环。"
            "手环能监测心率，老人跌倒时自动报警，社区网格员五分钟内上门查看。\n"
            "民政部门表示，智能养老设备让独居老人的子女更放心，也减轻了社区的照护压力。"
            "下一步，养老服务中心将把试点范围扩大到所有街道。"
        ),
    },
    {
        "title": "人工智能芯片企业集中落户高新区",
        "source": "科技周刊", "date": "2025-12-18",
        "body": (
            "本报讯 12月17日，高新区举行重点项目签约仪式，八家人工智能芯片企业集中落户。"
            "这些企业主要从事芯片设计、封装测试和算力服务，总投资约一百二十亿元。\n"
            "高新区负责人表示，园区将为芯片企业提供人才公寓和研发补贴，打造人工智能产业集群。"
            "一家芯片设计企业的创始人说，看中的是这里完整的产业链和充足的算力资源。"
        ),
    },
    {
        "title": "大模型走进政务大厅 办事等候时间缩短一半",
        "source": "科技周刊", "date": "2026-02-26",
        "body": (
            "在市政务服务中心，市民可以通过人工智能助手查询办事指南、预约窗口。"
            "上线两个月来，政务大厅平均等候时间由四十分钟缩短到二十分钟。\n"
            "政务服务管理办公室介绍，人工智能助手基于大模型开发，能听懂方言，"
            "还能帮助老人填写表格。下一步将把大模型应用扩展到公积金和社保业务。"
        ),
    },
    {
        "title": "冬季燃气安全大检查全面展开",
        "source": "城市晚报", "date": "2026-01-08",
        "body": (
            "本报讯（记者 陈立新）1月7日起，市应急管理局联合燃气公司开展冬季燃气安全大检查，"
            "重点排查餐饮店、老旧小区的燃气管道和报警装置。\n"
            "检查组在一家餐馆发现燃气软管老化，当场责令整改。应急管理局提醒市民，"
            "使用燃气时注意通风，发现燃气泄漏要立即关闭阀门并报警。\n"
            "截至目前，全市已检查燃气用户一万两千户，整改隐患三百余处。"
        ),
    },
    {
        "title": "京津冀协同发展 三地共建产业链",
        "source": "滨海日报", "date": "2026-02-14",
        "body": (
            "新华社北京2月13日电 京津冀协同发展十二年来，三地产业链协作不断深化。"
            "北京的研发成果在天津和河北转化落地，一批制造业项目在三地之间形成配套。\n"
            "京津冀三地还共同推进港口群建设，天津港和河北的港口联手开通环渤海航线。"
            "专家认为，产业链协同是京津冀协同发展的关键，区域交通一体化为协作打下基础。"
        ),
    },
]

#: Hand-chosen tags (what a reader would file each article under), for precision@5.
GOLD: list[set[str]] = [
    {"天津港", "港口", "集装箱", "航线", "京津冀", "外贸", "码头"},
    {"宁波舟山港", "港口", "航线", "集装箱", "物流", "外贸"},
    {"社区食堂", "老人", "养老服务", "养老", "社区", "老旧小区", "食堂"},
    {"养老服务", "独居老人", "智能手环", "老人", "养老", "民政"},
    {"人工智能", "芯片", "高新区", "算力", "产业链", "芯片设计"},
    {"大模型", "人工智能", "政务", "政务服务", "政务大厅"},
    {"燃气", "燃气安全", "安全检查", "应急管理", "老旧小区", "应急管理局"},
    {"京津冀", "协同发展", "产业链", "港口", "区域"},
]

#: Words that must never be suggested (news boilerplate and names of reporters).
BOILERPLATE = {"记者", "本报", "本报讯", "日电", "新华社", "同比", "同比增长", "周海涛", "李晓梅",
               "王涛", "陈立新", "负责人", "表示", "介绍", "今年", "下一步"}


def write_markdown(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, a in enumerate(ARTICLES, 1):
        p = folder / f"recall-{i:02d}.md"
        p.write_text(
            f"---\ntitle: {a['title']}\nsource: {a['source']}\ndate: {a['date']}\n---\n\n"
            + "\n\n".join(a["body"].split("\n")) + "\n",
            encoding="utf-8",
        )
        paths.append(p)
    return paths


def recall_library(root: Path):  # -> tuple[Library, dict[str, int]]
    """A library of the fixture articles; returns it and {title: article id}."""
    from reader.core.library import Library

    lib = Library.open(root / "lib")
    lib.import_paths(write_markdown(root / "src"))
    ids = {a.title: a.id for a in lib.articles(limit=None)}
    assert len(ids) == len(ARTICLES), ids
    return lib, ids
