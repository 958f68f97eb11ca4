"""A synthetic catalogue generator for benchmarks and tests.

``write_synthetic_project(path, entries=100_000, agencies=20, seed=1)`` writes a complete, valid
project: agencies, a guide each, and one file per entry, in the same format and similar size as the
sample catalogue. The same arguments always give byte-identical files.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar

from generator.checks.codes import org_check_char, uscc_check_char

TOPICS = [
    ("政务公开", "通知", "政务公开工作要点"),
    ("行政规范性文件", "办法", "管理办法"),
    ("规划计划", "规划", "专项规划"),
    ("财政预决算", "报告", "部门预算"),  # early: every agency-year of three entries has its budget
    ("行政许可", "公告", "行政许可事项清单"),
    ("行政处罚和行政强制", "决定", "行政处罚决定"),
    ("统计信息", "公报", "统计公报"),
    ("政府采购", "公告", "采购意向"),
    ("教育", "通知", "招生工作"),
    ("应急管理", "方案", "应急预案"),
    ("人事任免", "通知", "人事任免"),
    ("政策解读", "解读", "政策解读"),
    ("政府信息公开制度", "通知", "政府信息公开工作制度"),
]
SUBJECTS = [
    "城市更新",
    "营商环境",
    "数字政府",
    "乡村振兴",
    "生态环境保护",
    "安全生产",
    "住房保障",
    "义务教育",
    "公共卫生",
    "就业创业",
    "养老服务",
    "交通运输",
    "食品安全",
    "科技创新",
    "水利建设",
]
SENTENCES = [
    "为进一步做好相关工作，结合本地实际，制定本方案。",
    "各单位要高度重视，明确责任分工，确保各项任务按时完成。",
    "本通知自印发之日起施行。",
    "请各区人民政府、市政府各部门认真贯彻执行，执行中遇到的问题请及时反馈。",
    "坚持以人民为中心的发展思想，着力解决群众急难愁盼问题。",
    "加强统筹协调，完善工作机制，形成工作合力。",
    "依法依规推进，强化监督检查，确保政策落地见效。",
]


def _agency_code(i: int, rng: random.Random) -> str:
    org8 = f"MC{i:06d}"
    org = org8 + org_check_char(org8)
    head = "11449960" + org
    return head + uscc_check_char(head)


def _published(when: date, rng: random.Random) -> date:
    day = when
    for _ in range(rng.randint(1, 10)):
        day += timedelta(days=1)
        while not _is_workday(day):
            day += timedelta(days=1)
    return day


def _is_workday(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def _agencies_yaml(agencies: list[tuple[str, str, str]]) -> str:
    lines = ["agencies:"]
    for agency_id, name, code in agencies:
        lines += [
            f"  - id: {agency_id}",
            f"    name: {name}",
            "    kind: 部门",
            f"    code: {code}",
            "    office:",
            f"      name: {name}办公室",
            "      address: 示例市合成区测试路1号",
            "      hours: 工作日9:00—17:00",
            "      phone: 0999-80000000",
            "      fax: 0999-80000001",
            "      email: gk@synthetic.example",
            "    profile:",
            "      functions: 负责本机关职责范围内的行政管理工作。",
            "      departments: [办公室, 政策法规科]",
            "      head: 张三（局长）",
            "      address: 示例市合成区测试路1号",
            "      hours: 工作日9:00—17:00",
            "      phone: 0999-80000002",
        ]
    return "\n".join(lines) + "\n"


GUIDE = """updated: 2024-01-01
proactive:
  scope: 本机关主动公开条例第二十条规定的政府信息。
  arrangement: 按主题分类和体裁分类编排，每条信息有唯一的索引号。
  channels: 通过本门户网站公开。
  time_limit: 自信息形成或变更之日起20个工作日内公开。
on_request:
  channels:
    - {kind: 当面, address: 合成市政务大道1号, hours: 工作日9:00—17:00}
    - {kind: 邮寄, address: 合成市政务大道1号, postcode: "599001", recipient: 政务公开办公室}
    - {kind: 在线, url: "https://gk.synthetic.example/ysqgk/"}
  how_to_apply: 通过网上申请平台或信函提出申请。
  requirements: 写明申请人姓名或名称、联系方式和所需信息的描述。
  correction: 申请内容不明确的，7个工作日内一次性告知补正。
  deadline: 收到申请之日起20个工作日内答复，经批准可延长不超过20个工作日。
  fees: 依照国家规定收取信息处理费。
remedies: 可以向上一级主管部门投诉举报，也可以依法申请行政复议或者提起行政诉讼。
"""


# A portal's mix of disclosure: about one entry in twenty is disclosed on request (its body
# withheld) and about one in fifty withheld entirely; the rest are disclosed proactively.
DISCLOSURE = (
    ["主动公开"] * 18 + ["依申请公开"] + ["主动公开"] * 18 + ["不予公开"] + ["主动公开"] * 8 + ["依申请公开"]
)


NORMATIVE = "行政规范性文件"
BUDGET = "财政预决算"


def _reading_yaml(index_no: str, document: str, when: date, published: date, serial: int) -> str:
    """The 解读 published with a normative document (the validator asks for one)."""
    return (
        f"index_no: {index_no}\n"
        f"title: 关于第{serial - 1}号管理办法的政策解读\n"
        "summary: 解读管理办法的制定背景和主要内容。\n"
        f"date: {when.isoformat()}\n"
        "disclosure: 主动公开\n"
        f"published: {published.isoformat()}\n"
        "category: 政策解读\n"
        "genre: 解读\n"
        "related:\n"
        f"  - {{index_no: {document}, relation: 解读}}\n"
        "body: |\n"
        "  一、制定背景。为进一步做好相关工作，结合本地实际，制定本办法。\n\n"
        "  二、主要内容。明确主要任务和责任分工。\n"
    )


def _entry_yaml(
    index_no: str, when: date, rng: random.Random, serial: int, prefix: str, topic: tuple[str, str, str]
) -> tuple[str, date | None]:
    """The entry's file, and its 公开日期 when it is 主动公开."""
    category, genre, noun = topic
    subject = SUBJECTS[rng.randrange(len(SUBJECTS))]
    title = f"关于印发示例市{when.year}年{subject}{noun}的通知（第{serial}号）"
    body = "\n\n".join(rng.choice(SENTENCES) for _ in range(rng.randint(3, 6)))
    published = _published(when, rng)
    disclosure = DISCLOSURE[serial % len(DISCLOSURE)]
    if disclosure == "不予公开":
        title = f"{prefix}关于{when.year}年第{serial}号{subject}内部事务的请示"
    elif disclosure == "依申请公开":
        # Sentences of its own: the body is withheld, and the portal must show none of it.
        body = "\n\n".join(
            f"{prefix}第{serial}号{subject}事项的{part}涉及第三方商业信息，仅向申请人提供。"
            for part in ("审查意见", "核查记录", "处理过程")
        )
    lines = [
        f"index_no: {index_no}",
        f"title: {title}",
        f"summary: 印发{when.year}年{subject}{noun}，明确主要任务和责任分工。",
        f"date: {when.isoformat()}",
        f"disclosure: {disclosure}",
    ]
    if disclosure == "主动公开":
        lines.append(f"published: {published.isoformat()}")
    lines += [
        f"doc_no: {prefix}〔{when.year}〕{serial}号",
        f"category: {category}",
        f"genre: {genre}",
        f"keywords: [{subject}, {noun}]",
    ]
    if category == NORMATIVE:
        lines.append("validity: 有效")
    if disclosure == "不予公开":
        lines.append(
            "withheld_reason: 属于内部事务信息，依据《中华人民共和国政府信息公开条例》第十六条第一款不予公开。"
        )
        return "\n".join(lines) + "\n", None
    lines.append("body: |")
    lines += [f"  {line}" if line else "" for line in body.split("\n")]
    return "\n".join(lines) + "\n", published if disclosure == "主动公开" else None


_PREFIX_CHARACTERS = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉"


def doc_prefix(agency: int) -> str:
    """The 文号 prefix of the agency numbered ``agency``: 示合 and one or two characters, as real
    prefixes are (示府办, 示教)."""
    first = _PREFIX_CHARACTERS[agency % len(_PREFIX_CHARACTERS)]
    second = (
        _PREFIX_CHARACTERS[agency // len(_PREFIX_CHARACTERS) - 1] if agency >= len(_PREFIX_CHARACTERS) else ""
    )
    return f"示合{first}{second}"


def write_synthetic_project(
    path: Path,
    *,
    entries: int = 1000,
    agencies: int = 5,
    seed: int = 1,
    years=(2019, 2025),
    first_agency: int = 0,
) -> Path:
    """``first_agency``: the number of the first agency (jg000 by default), so that several
    synthetic portals (a federation's members) have agencies and 索引号 of their own."""
    rng = random.Random(seed)
    catalog = path / "catalog"
    catalog.mkdir(parents=True, exist_ok=True)
    agency_list = [
        (f"jg{i:03d}", f"示例市合成机构{i:03d}", _agency_code(i, rng))
        for i in range(first_agency, first_agency + agencies)
    ]
    (catalog / "agencies.yaml").write_text(_agencies_yaml(agency_list), encoding="utf-8")
    serials: dict[tuple[str, int], int] = {}
    first, last = date(years[0], 1, 1), date(years[1], 12, 1)
    span = (last - first).days
    for agency_id, _, _ in agency_list:
        (catalog / agency_id).mkdir(exist_ok=True)
        (catalog / agency_id / "guide.yaml").write_text(GUIDE, encoding="utf-8")
    n = 0
    while n < entries:
        agency_id, _, code = agency_list[n % agencies]
        when = first + timedelta(days=rng.randrange(span))
        serial = serials[(agency_id, when.year)] = serials.get((agency_id, when.year), 0) + 1
        index_no = f"{code}/{when.year}-{serial:05d}"
        folder = catalog / agency_id / "entries" / str(when.year)
        folder.mkdir(parents=True, exist_ok=True)
        topic = TOPICS[serial % len(TOPICS)]
        if topic[0] == NORMATIVE and n + 1 == entries:
            topic = TOPICS[0]  # no room left for its 解读
        elif topic[0] == BUDGET:
            when = date(when.year, 2, 1) + timedelta(days=serial % 20)  # budgets come out each spring
        text, published = _entry_yaml(
            index_no, when, rng, serial, doc_prefix(first_agency + n % agencies), topic
        )
        (folder / f"{serial:05d}.yaml").write_text(text, encoding="utf-8")
        n += 1
        if topic[0] == NORMATIVE and published is not None:
            serial = serials[(agency_id, when.year)] = serial + 1
            reading = _reading_yaml(f"{code}/{when.year}-{serial:05d}", index_no, when, published, serial)
            (folder / f"{serial:05d}.yaml").write_text(reading, encoding="utf-8")
            n += 1
    return path


def add_entry(path: Path, *, agency: int = 0, when: date = date(2025, 12, 15)) -> Path:
    """Add one 主动公开 entry to agency ``agency`` of a synthetic project, dated ``when`` (by
    default after every synthetic entry, as the newest disclosure of a portal that publishes
    daily); returns its file."""
    entries = path / "catalog" / f"jg{agency:03d}" / "entries"
    first = next(entries.rglob("*.yaml")).read_text(encoding="utf-8")
    code = first.split("index_no: ", 1)[1].split("/", 1)[0]
    folder = entries / str(when.year)
    folder.mkdir(parents=True, exist_ok=True)
    serial = max((int(p.stem) for p in folder.glob("*.yaml")), default=0) + 1
    while DISCLOSURE[serial % len(DISCLOSURE)] != "主动公开":
        serial += 1
    text, _ = _entry_yaml(
        f"{code}/{when.year}-{serial:05d}", when, random.Random(serial), serial, doc_prefix(agency), TOPICS[0]
    )
    file = folder / f"{serial:05d}.yaml"
    file.write_text(text, encoding="utf-8")
    return file
