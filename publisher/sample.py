"""``publisher sample``: a realistic synthetic content/ for benchmarks and scale tests.

Units are modelled on the seed documents (a full 部门决算 like seed 004 with a 部门整体
and a 项目 self-evaluation); figures vary by a seeded random generator but are
*consistent*: every table sums, cross-table identities hold and the 情况说明 restates
the tables, so the sample passes ``publisher check``.
"""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import yaml

CITIES = [
    ("changsha", "长沙市"),
    ("zhuzhou", "株洲市"),
    ("xiangtan", "湘潭市"),
    ("hengyang", "衡阳市"),
    ("shaoyang", "邵阳市"),
    ("yueyang", "岳阳市"),
    ("changde", "常德市"),
    ("zhangjiajie", "张家界市"),
    ("yiyang", "益阳市"),
    ("chenzhou", "郴州市"),
    ("yongzhou", "永州市"),
    ("huaihua", "怀化市"),
    ("loudi", "娄底市"),
    ("xiangxi", "湘西州"),
]
DISTRICTS = [
    ("d01", "城区"),
    ("d02", "新区"),
    ("d03", "东区"),
    ("d04", "西区"),
    ("d05", "南区"),
    ("d06", "北区"),
    ("d07", "高新区"),
    ("d08", "开发区"),
]
UNITS = [
    ("zhengfu-bangongshi", "人民政府办公室"),
    ("jiguan-shiwu", "机关事务服务中心"),
    ("caizheng", "财政局"),
    ("jiaoyu", "教育局"),
    ("weijian", "卫生健康局"),
    ("jiaotong", "交通运输局"),
    ("nongye", "农业农村局"),
    ("ziranziyuan", "自然资源局"),
    ("shenji", "审计局"),
    ("tongji", "统计局"),
    ("minzheng", "民政局"),
    ("sifa", "司法局"),
]
YEARS = [2023, 2022, 2021, 2020, 2019]
# 功能分类 (类, 款, 项) used by the sample, with names as in the seeds.
FUNCTIONS = [
    (
        "201",
        "一般公共服务支出",
        "20103",
        "政府办公厅（室）及相关机构事务",
        [("2010301", "行政运行"), ("2010302", "一般行政管理事务")],
    ),
    (
        "208",
        "社会保障和就业支出",
        "20805",
        "行政事业单位养老支出",
        [("2080505", "机关事业单位基本养老保险缴费支出")],
    ),
    ("210", "卫生健康支出", "21011", "行政事业单位医疗", [("2101101", "行政单位医疗")]),
    ("221", "住房保障支出", "22102", "住房改革支出", [("2210201", "住房公积金")]),
]
PERSONNEL = [
    ("30101", "基本工资"),
    ("30102", "津贴补贴"),
    ("30103", "奖金"),
    ("30108", "机关事业单位基本养老保险缴费"),
    ("30110", "职工基本医疗保险缴费"),
    ("30113", "住房公积金"),
]
FAMILY = [("30302", "退休费"), ("30305", "生活补助")]
PUBLIC = [
    ("30201", "办公费"),
    ("30205", "水费"),
    ("30206", "电费"),
    ("30211", "差旅费"),
    ("30215", "会议费"),
    ("30216", "培训费"),
    ("30217", "公务接待费"),
    ("30299", "其他商品和服务支出"),
]
CENT = Decimal("0.01")

# Sections of the default layout that the sample writes without figures.
OTHER_SECTIONS = [
    "四、财政拨款收入支出决算总体情况说明",
    "五、一般公共预算财政拨款支出决算情况说明",
    "八、政府性基金预算收入支出决算情况",
    "九、国有资本经营预算支出决算情况",
    "十一、一般性支出情况",
    "十二、关于政府采购支出说明",
    "十三、关于国有资产占用情况说明",
    "十四、重点项目预算的绩效评价结果等情况说明",
    "十五、其他重要事项情况说明",
]
SECTION_ORDER = "一 二 三 四 五 六 七 八 九 十 十一 十二 十三 十四 十五".split()


class Dumper(yaml.SafeDumper):
    """YAML dumper that writes Decimal amounts as plain numbers, and shared values out in
    full: content may not use aliases (publisher.source)."""

    def ignore_aliases(self, data):
        return True


Dumper.add_representer(
    Decimal, lambda d, v: d.represent_scalar("tag:yaml.org,2002:float", f"{v:f}")
)


def money(rng: random.Random, low: float, high: float) -> Decimal:
    return Decimal(str(rng.uniform(low, high))).quantize(CENT, ROUND_HALF_UP)


def split(rng: random.Random, total: Decimal, parts: int) -> list[Decimal]:
    """``total`` split into ``parts`` positive amounts that add up exactly."""
    weights = [rng.uniform(0.5, 1.5) for _ in range(parts)]
    shares = [(total * Decimal(str(w / sum(weights)))).quantize(CENT) for w in weights]
    shares[-1] = total - sum(shares[:-1])
    return shares


def pct(part: Decimal, whole: Decimal) -> str:
    return f"{(part / whole * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)}" if whole else "0"


def generate(out: Path, units: int, seed: int = 1) -> int:
    """Write ``units`` unit-years under ``out``; returns the number written."""
    rng = random.Random(seed)
    written = 0
    slots = [(c, d, u) for c in CITIES for d in DISTRICTS for u in UNITS]
    for index in range(units):
        (city, city_name), (district, district_name), (unit, unit_name) = slots[
            (index // len(YEARS)) % len(slots)
        ]
        year = YEARS[index % len(YEARS)]
        lap = index // (len(YEARS) * len(slots))
        unit_slug = unit if lap == 0 else f"{unit}-{lap}"
        region_dir = out / city / district
        unit_dir = region_dir / unit_slug
        unit_dir.mkdir(parents=True, exist_ok=True)
        write_yaml(out / city / "region.yml", {"name": city_name})
        write_yaml(
            region_dir / "region.yml",
            {
                "name": f"{city_name}{district_name}",
                "short_name": district_name,
                "parent": city_name,
            },
        )
        full_name = f"{city_name}{district_name}{unit_name}"
        write_yaml(unit_dir / "unit.yml", {"name": full_name, "short_name": unit_name})
        write_yaml(unit_dir / f"{year}.yml", disclosure(rng, full_name, year))
        written += 1
    return written


def write_yaml(path: Path, data: dict) -> None:
    if path.name != "region.yml" or not path.exists():
        path.write_text(
            yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=1000),
            encoding="utf-8",
        )


def disclosure(rng: random.Random, name: str, year: int) -> dict:
    personnel_items = [money(rng, 5, 120) for _ in PERSONNEL]
    family_items = [money(rng, 0.5, 20) for _ in FAMILY]
    public_items = [money(rng, 0.2, 15) for _ in PUBLIC]
    personnel = sum(personnel_items, Decimal(0)) + sum(family_items, Decimal(0))
    public = sum(public_items, Decimal(0))
    basic = personnel + public
    project_items = split(rng, money(rng, 20, 400), 2)
    project = sum(project_items, Decimal(0))
    other = money(rng, 0, 30)
    fiscal = basic + project
    total = fiscal + other
    # 功能分类: basic spending to 行政运行 and the personnel-related 项,
    # project to 一般行政管理事务.
    basic_by_item = split(rng, basic, 4)
    rows_02, rows_03, rows_05 = [], [], []
    for (code, cname, kcode, kname, items), amount in zip(FUNCTIONS, basic_by_item, strict=True):
        project_part = project if code == "201" else Decimal(0)
        item_amounts = (
            [(amount, project_part)]
            if len(items) == 1
            else [(amount, Decimal(0)), (Decimal(0), project_part)]
        )
        spend = amount + project_part
        for c, n in ((code, cname), (kcode, kname)):
            rows_02.append({"code": c, "name": n, "total": spend, "fiscal": spend})
            rows_03.append(
                {"code": c, "name": n, "total": spend, "basic": amount, "project": project_part}
            )
            rows_05.append(
                {"code": c, "name": n, "total": spend, "basic": amount, "project": project_part}
            )
        for (c, n), (b, p) in zip(items, item_amounts, strict=True):
            rows_02.append({"code": c, "name": n, "total": b + p, "fiscal": b + p})
            rows_03.append({"code": c, "name": n, "total": b + p, "basic": b, "project": p})
            rows_05.append({"code": c, "name": n, "total": b + p, "basic": b, "project": p})
    rows_02 += [
        {"code": "229", "name": "其他支出", "total": other, "other": other},
        {"code": "22999", "name": "其他支出", "total": other, "other": other},
        {"code": "2299901", "name": "其他支出", "total": other, "other": other},
    ]
    rows_03 += [
        {"code": "229", "name": "其他支出", "total": other, "basic": other},
        {"code": "22999", "name": "其他支出", "total": other, "basic": other},
        {"code": "2299901", "name": "其他支出", "total": other, "basic": other},
    ]
    spend_by_class = [
        (code, cname, a + (project if code == "201" else 0))
        for (code, cname, *_), a in zip(FUNCTIONS, basic_by_item, strict=True)
    ]
    reception = public_items[6]
    vehicles = money(rng, 0, 20)
    sangong_actual = reception + vehicles
    sangong_budget = (sangong_actual * Decimal("1.1")).quantize(CENT)
    budget_split = split(rng, sangong_budget, 2)
    t06_rows = (
        [{"code": "301", "name": "工资福利支出", "amount": sum(personnel_items)}]
        + [
            {"code": c, "name": n, "amount": a}
            for (c, n), a in zip(PERSONNEL, personnel_items, strict=True)
        ]
        + [{"code": "303", "name": "对个人和家庭的补助", "amount": sum(family_items)}]
        + [
            {"code": c, "name": n, "amount": a}
            for (c, n), a in zip(FAMILY, family_items, strict=True)
        ]
        + [{"code": "302", "name": "商品和服务支出", "amount": public}]
        + [
            {"code": c, "name": n, "amount": a}
            for (c, n), a in zip(PUBLIC, public_items, strict=True)
        ]
    )
    tables = {
        "t01": {
            "income": [
                {"line": 1, "name": "一、一般公共预算财政拨款收入", "amount": fiscal},
                {"line": 8, "name": "八、其他收入", "amount": other},
            ],
            "income_total": {"line": 28, "name": "本年收入合计", "amount": total},
            "income_grand_total": {"line": 31, "name": "总计", "amount": total},
            "expenditure": [
                {"line": 32 + i, "name": f"{cname}", "amount": a}
                for i, (_, cname, a) in enumerate(spend_by_class)
            ]
            + [{"line": 54, "name": "二十三、其他支出", "amount": other}],
            "expenditure_total": {"line": 58, "name": "本年支出合计", "amount": total},
            "expenditure_grand_total": {"line": 61, "name": "总计", "amount": total},
            "note": "1.本表反映部门本年度的总收支和年末结转结余情况。\n\n"
            "2.本套报表金额单位转换时可能存在尾数误差。",
        },
        "t02": {
            "total": {"name": "合计", "total": total, "fiscal": fiscal, "other": other},
            "rows": rows_02,
            "note": "本表反映部门本年度取得的各项收入情况。",
        },
        "t03": {
            "total": {"name": "合计", "total": total, "basic": basic + other, "project": project},
            "rows": rows_03,
            "note": "本表反映部门本年度各项支出情况。",
        },
        "t04": {
            "income": [
                {"line": 1, "name": "一、一般公共预算财政拨款", "amount": fiscal},
                {"line": 2, "name": "二、政府性基金预算财政拨款", "amount": Decimal(0)},
                {"line": 3, "name": "三、国有资本经营预算财政拨款", "amount": Decimal(0)},
            ],
            "income_total": {"line": 27, "name": "本年收入合计", "amount": fiscal},
            "income_grand_total": {"line": 32, "name": "总计", "amount": fiscal},
            "expenditure": [
                {"line": 33 + i, "name": cname, "total": a, "general": a}
                for i, (_, cname, a) in enumerate(spend_by_class)
            ],
            "expenditure_total": {
                "line": 59,
                "name": "本年支出合计",
                "total": fiscal,
                "general": fiscal,
            },
            "expenditure_grand_total": {
                "line": 64,
                "name": "总计",
                "total": fiscal,
                "general": fiscal,
            },
            "note": "本表反映部门本年度一般公共预算财政拨款、政府性基金预算财政拨款"
            "和国有资本经营预算财政拨款的总收支和年末结转结余情况。",
        },
        "t05": {
            "total": {"name": "合计", "total": fiscal, "basic": basic, "project": project},
            "rows": rows_05,
            "note": "本表反映部门本年度一般公共预算财政拨款支出情况。",
        },
        "t06": {
            "rows": t06_rows,
            "personnel_total": personnel,
            "public_total": public,
            "note": "本表反映部门本年度一般公共预算财政拨款基本支出明细情况。",
        },
        "t07": {
            "budget": {
                "total": sangong_budget,
                "vehicles": budget_split[0],
                "vehicle_operation": budget_split[0],
                "reception": budget_split[1],
            },
            "actual": {
                "total": sangong_actual,
                "vehicles": vehicles,
                "vehicle_operation": vehicles,
                "reception": reception,
            },
            "note": "本表反映部门本年度“三公”经费支出预决算情况。",
        },
        "t08": {
            "total": {"name": "合计"},
            "note": "本表反映部门本年度政府性基金预算财政拨款收入、支出及结转和结余情况",
            "statement": "本单位没有政府性基金收入，也没有使用政府性基金安排的支出，故本表无数据。",
        },
        "t09": {
            "total": {"name": "合计"},
            "note": "本表反映部门本年度国有资本经营预算财政拨款支出情况。",
            "statement": f"本单位{year}年度无国有资本经营预算支出。",
        },
    }
    explanations = [
        {
            "title": "一、收入支出决算总体情况说明",
            "body": f"{year} 年度收、支总计 {total} 万元。主要是因为人员变动及新增项目。",
        },
        {
            "title": "二、收入决算情况说明",
            "body": f"本年收入合计 {total} 万元，其中：财政拨款收入 {fiscal} 万元，"
            f"占 {pct(fiscal, total)}%；"
            f"其他收入 {other} 万元，占 {pct(other, total)}%。",
        },
        {
            "title": "三、支出决算情况说明",
            "body": f"本年支出合计 {total} 万元，其中：基本支出 {basic + other} 万元，"
            f"占 {pct(basic + other, total)}%；"
            f"项目支出 {project} 万元，占 {pct(project, total)}%。",
        },
        {
            "title": "六、一般公共预算财政拨款基本支出决算情况说明",
            "body": f"{year} 年度财政拨款基本支出 {basic} 万元，其中：人员经费 {personnel} 万元，"
            f"占基本支出的 {pct(personnel, basic)}%；公用经费 {public} 万元，"
            f"占基本支出的 {pct(public, basic)}%。",
        },
        {
            "title": "七、一般公共预算财政拨款三公经费支出决算情况说明",
            "body": f"{year} 年度“三公”经费财政拨款支出决算中，"
            f"公务接待费支出决算 {reception} 万元，占 {pct(reception, sangong_actual)}%，"
            f"公务用车购置费及运行维护费支出决算 {vehicles} 万元，"
            f"占 {pct(vehicles, sangong_actual)}%。全年共接待来访团组 {rng.randint(2, 30)} 个。",
        },
        {
            "title": "十、关于机关运行经费支出说明",
            "body": f"本部门 {year} 年度机关运行经费支出 {public} 万元，"
            "主要原因是：厉行节约，压缩机关运行经费支出。",
        },
    ]
    explanations += [
        {"title": title, "body": "本部门按规定公开，详见相关决算表。"} for title in OTHER_SECTIONS
    ]
    explanations.sort(key=lambda e: SECTION_ORDER.index(e["title"].split("、")[0]))
    return {
        "year": year,
        "title": f"{year}年度{name}部门决算",
        "source": "publisher sample: synthetic data for benchmarks",
        "overview": [
            {
                "title": "一、部门职责",
                "body": f"{name}的主要职责是：负责本部门职责范围内的各项工作。",
            },
            {"title": "二、机构设置", "body": f"{name}内设机构{rng.randint(3, 12)}个。"},
        ],
        "final_accounts": {"department": name, "tables": tables, "explanations": explanations},
        "self_evaluations": [
            evaluation(rng, year, "部门整体", f"{year} 年度部门整体支出绩效自评表", None, fiscal),
            evaluation(
                rng,
                year,
                "项目",
                f"{year} 年度项目支出绩效自评表",
                "综合业务工作经费",
                project_items[0],
            ),
        ],
    }


def evaluation(
    rng: random.Random, year: int, scope: str, title: str, project: str | None, amount: Decimal
) -> dict:
    groups = [
        (
            "产出指标",
            50,
            [
                ("数量指标", "完成年度工作任务"),
                ("质量指标", "工作质量达标"),
                ("时效指标", "按时完成"),
            ],
        ),
        (
            "效益指标",
            30,
            [("社会效益指标", "服务水平不断提高"), ("可持续影响指标", "持续发挥作用")],
        ),
        ("满意度指标", 10, [("服务对象满意度指标", "社会公众综合满意度")]),
    ]
    indicators, lost_total = [], Decimal(0)
    for name, points, kids in groups:
        shares = split(rng, Decimal(points), len(kids))
        children = []
        for (kid, leaf), share in zip(kids, shares, strict=True):
            lost = min(share, Decimal(rng.choice([0, 0, 0.5, 1])))
            children.append(
                {
                    "name": kid,
                    "children": [
                        {
                            "name": leaf,
                            "target": "完成",
                            "actual": "完成",
                            "points": share,
                            "score": share - lost,
                        }
                    ],
                }
            )
            lost_total += lost
        indicators.append({"name": name, "points": Decimal(points), "children": children})
    total = Decimal(100) - lost_total
    result = {
        "scope": scope,
        "title": title,
        "funds": {
            "rows": [
                {"name": "合计", "initial_budget": amount, "budget": amount, "executed": amount}
            ],
            "points": Decimal(10),
            "rate": "100%",
            "score": Decimal(10),
        },
        "goals": {"expected": "完成年度工作目标。", "achieved": "较好完成了年度工作目标。"},
        "indicators": indicators,
        "total_points": Decimal(100),
        "total_score": total,
        "grade": "优" if total >= 90 else "良",
    }
    if project:
        result["project"] = {
            "name": project,
            "total_investment": amount,
            "fiscal_investment": amount,
            "period": f"{year}年",
        }
    return result
