"""An agency's annual report (政府信息公开工作年度报告): catalog/<agency>/reports/<YYYY>.yaml.

The national format (国办公开办函〔2021〕30号) fixes six sections and three tables. The tables are
declared here once, row by row, with their official labels as field titles: validation, the
report page, the PDF, the CSV and XLSX downloads and the JSON Schema all walk these models, so
the layout cannot drift between them. The 2019 trial format (国办公开办函〔2019〕60号) differs in
table 2 and in （六）其他处理; a report of earlier years may be a document only (prose and an
attachment).

A table row is written as a list of numbers in the official column order, e.g. table 3's
``[自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计]``; the total may be left out
and is then computed (``generator.annual``); when it is given it is checked.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema

from generator.models.base import IsoDate, Line, Model, Text, fail
from generator.models.entry import Attachment

NOT_APPLICABLE = "不适用"
"""Written in a table 2 cell that does not apply to the agency; distinct from 0."""

REQUEST_COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
"""Table 3's applicant columns; the five in the middle are 法人或其他组织."""
REVIEW_COLUMNS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")

_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def _count(value: object) -> int:
    text = str(value).strip()
    if _INTEGER.fullmatch(text):
        number = int(text)
        if number < 0:
            raise fail(f"件数不能为负数，实为“{text}”")
        return number
    if _DECIMAL.fullmatch(text):
        raise fail(f"件数应为整数，不能有小数，实为“{text}”")
    if text == NOT_APPLICABLE:
        raise fail("这一格不能填“不适用”：表三、表四的每一格都参与合计，没有就填 0")
    raise fail(f"应为非负整数（件数），实为“{text}”")


def _count_or_na(value: object) -> int | None:
    if str(value).strip() == NOT_APPLICABLE:
        return None
    return _count(value)


def _signed(value: object) -> int:
    text = str(value).strip()
    if _INTEGER.fullmatch(text):
        return int(text)
    if text == NOT_APPLICABLE:
        return None  # type: ignore[return-value]
    raise fail(f"应为整数（增加写正数，减少写负数，如 -3），实为“{text}”")


def _amount(value: object) -> Decimal | None:
    text = str(value).strip()
    if text == NOT_APPLICABLE:
        return None
    if not _DECIMAL.fullmatch(text):
        raise fail(f"应为金额（单位：万元，如 12.35），实为“{text}”")
    try:
        amount = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern only lets decimals through
        raise fail(f"应为金额（单位：万元），实为“{text}”") from None
    if amount < 0:
        raise fail(f"金额不能为负数，实为“{text}”")
    return amount


def _row_of(size: int, labels: tuple[str, ...], total_optional: bool):
    def check(values: list) -> list:
        allowed = (size - 1, size) if total_optional else (size,)
        if len(values) not in allowed:
            names = "、".join(labels)
            optional = "，最后的总计可以不写" if total_optional else ""
            raise fail(f"应有 {size} 个数（{names}）{optional}；实有 {len(values)} 个")
        return list(values)

    return check


def _schema(kind: dict, size: int, total_optional: bool) -> WithJsonSchema:
    low = size - 1 if total_optional else size
    return WithJsonSchema({"type": "array", "items": kind, "minItems": low, "maxItems": size})


_COUNT_SCHEMA = {"type": "integer", "minimum": 0}
_NA_SCHEMA = {"oneOf": [_COUNT_SCHEMA, {"const": NOT_APPLICABLE}]}
_AMOUNT_SCHEMA = {"oneOf": [{"type": "number", "minimum": 0}, {"const": NOT_APPLICABLE}]}

Count = Annotated[int, BeforeValidator(_count), WithJsonSchema(_COUNT_SCHEMA)]
"""A count of documents, decisions or requests: a non-negative integer."""
CountOrNA = Annotated[int | None, BeforeValidator(_count_or_na), WithJsonSchema(_NA_SCHEMA)]
"""A count, or 不适用 (not applicable, kept distinct from 0)."""
Amount = Annotated[Decimal | None, BeforeValidator(_amount), WithJsonSchema(_AMOUNT_SCHEMA)]
"""A non-negative amount in 万元, or 不适用."""
Signed = Annotated[int | None, BeforeValidator(_signed)]

RequestRow = Annotated[
    list[Count],
    AfterValidator(_row_of(7, REQUEST_COLUMNS, True)),
    _schema(_COUNT_SCHEMA, 7, True),
]
ReviewRow = Annotated[
    list[Count],
    AfterValidator(_row_of(5, REVIEW_COLUMNS, True)),
    _schema(_COUNT_SCHEMA, 5, True),
]
DOCUMENT_COLUMNS = ("本年制发件数", "本年废止件数", "现行有效件数")
DocumentRow = Annotated[
    list[CountOrNA], AfterValidator(_row_of(3, DOCUMENT_COLUMNS, False)), _schema(_NA_SCHEMA, 3, False)
]


def _row(title: str, columns: tuple[str, ...], description: str | None = None):
    return Field(title=title, description=description, json_schema_extra={"columns": list(columns)})


def _cell(title: str, column: str, description: str | None = None):
    return Field(title=title, description=description, json_schema_extra={"column": column})


# -- table 2 ------------------------------------------------------------------------------------


class Proactive2021(Model):
    """二、主动公开政府信息情况（2021 年格式）。“不适用”与 0 不同：本机关没有这项职权时填“不适用”。"""

    rules: DocumentRow = _row("规章", DOCUMENT_COLUMNS, "第二十条第（一）项。")
    normative: DocumentRow = _row("行政规范性文件", DOCUMENT_COLUMNS, "第二十条第（一）项。")
    licensing: CountOrNA = _cell("行政许可", "本年处理决定数量", "第二十条第（五）项。")
    penalty: CountOrNA = _cell("行政处罚", "本年处理决定数量", "第二十条第（六）项。")
    coercion: CountOrNA = _cell("行政强制", "本年处理决定数量", "第二十条第（六）项。")
    fees: Amount = _cell("行政事业性收费", "本年收费金额（单位：万元）", "第二十条第（八）项。")


DOCUMENT_COLUMNS_2019 = ("本年新制作数量", "本年新公开数量", "对外公开总数量")
ITEM_COLUMNS_2019 = ("上一年项目数量", "本年增/减", "处理决定数量")
FEE_COLUMNS_2019 = ("上一年项目数量", "本年增/减")
PROCUREMENT_COLUMNS_2019 = ("采购项目数量", "采购总金额（万元）")


def _mixed_row(size: int, labels: tuple[str, ...]):
    return AfterValidator(_row_of(size, labels, False))


DocumentRow2019 = Annotated[
    list[CountOrNA], _mixed_row(3, DOCUMENT_COLUMNS_2019), _schema(_NA_SCHEMA, 3, False)
]
ItemRow2019 = Annotated[
    list[Signed],
    _mixed_row(3, ITEM_COLUMNS_2019),
    WithJsonSchema({"type": "array", "minItems": 3, "maxItems": 3}),
]
FeeRow2019 = Annotated[
    list[Signed],
    _mixed_row(2, FEE_COLUMNS_2019),
    WithJsonSchema({"type": "array", "minItems": 2, "maxItems": 2}),
]
ProcurementRow2019 = Annotated[
    list[Amount],
    _mixed_row(2, PROCUREMENT_COLUMNS_2019),
    WithJsonSchema({"type": "array", "minItems": 2, "maxItems": 2}),
]


class Proactive2019(Model):
    """二、主动公开政府信息情况（2019 年试行格式）。本年增/减可以为负数。"""

    rules: DocumentRow2019 = _row("规章", DOCUMENT_COLUMNS_2019, "第二十条第（一）项。")
    normative: DocumentRow2019 = _row("规范性文件", DOCUMENT_COLUMNS_2019, "第二十条第（一）项。")
    licensing: ItemRow2019 = _row("行政许可", ITEM_COLUMNS_2019, "第二十条第（五）项。")
    other_services: ItemRow2019 = _row("其他对外管理服务事项", ITEM_COLUMNS_2019, "第二十条第（五）项。")
    penalty: ItemRow2019 = _row("行政处罚", ITEM_COLUMNS_2019, "第二十条第（六）项。")
    coercion: ItemRow2019 = _row("行政强制", ITEM_COLUMNS_2019, "第二十条第（六）项。")
    fees: FeeRow2019 = _row("行政事业性收费", FEE_COLUMNS_2019, "第二十条第（八）项。")
    procurement: ProcurementRow2019 = _row("政府集中采购", PROCUREMENT_COLUMNS_2019, "第二十条第（九）项。")


# -- table 3 ------------------------------------------------------------------------------------


def _request(title: str):
    return _row(title, REQUEST_COLUMNS)


class Withheld(Model):
    """（三）不予公开。"""

    state_secret: RequestRow = _request("1.属于国家秘密")
    prohibited_by_law: RequestRow = _request("2.其他法律行政法规禁止公开")
    security_stability: RequestRow = _request("3.危及“三安全一稳定”")
    third_party: RequestRow = _request("4.保护第三方合法权益")
    internal_affairs: RequestRow = _request("5.属于三类内部事务信息")
    process_information: RequestRow = _request("6.属于四类过程性信息")
    enforcement_files: RequestRow = _request("7.属于行政执法案卷")
    inquiry_matters: RequestRow = _request("8.属于行政查询事项")


class Unavailable(Model):
    """（四）无法提供。"""

    not_held: RequestRow = _request("1.本机关不掌握相关政府信息")
    needs_creation: RequestRow = _request("2.没有现成信息需要另行制作")
    still_unclear: RequestRow = _request("3.补正后申请内容仍不明确")


class NotProcessed(Model):
    """（五）不予处理。"""

    petition: RequestRow = _request("1.信访举报投诉类申请")
    repeated: RequestRow = _request("2.重复申请")
    publications: RequestRow = _request("3.要求提供公开出版物")
    excessive: RequestRow = _request("4.无正当理由大量反复申请")
    confirmation: RequestRow = _request("5.要求行政机关确认或重新出具已获取信息")


class OtherHandling(Model):
    """（六）其他处理。"""

    no_correction: RequestRow = _request("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请")
    unpaid_fee: RequestRow = _request(
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    )
    other: RequestRow = _request("3.其他")


class Outcomes2021(Model):
    """三、本年度办理结果。"""

    disclosed: RequestRow = _request("（一）予以公开")
    partly_disclosed: RequestRow = _request("（二）部分公开（区分处理的，只计这一情形，不计其他情形）")
    withheld: Withheld = Field(title="（三）不予公开")
    unavailable: Unavailable = Field(title="（四）无法提供")
    not_processed: NotProcessed = Field(title="（五）不予处理")
    other: OtherHandling = Field(title="（六）其他处理")
    total: RequestRow | None = Field(
        None,
        title="（七）总计",
        description="可以不写，由各项相加得出；写了就核对。",
        json_schema_extra={"columns": list(REQUEST_COLUMNS)},
    )


class Outcomes2019(Outcomes2021):
    """三、本年度办理结果（2019 年试行格式：（六）其他处理不分小项）。"""

    other: RequestRow = _request("（六）其他处理")  # type: ignore[assignment]


class Requests2021(Model):
    """三、收到和处理政府信息公开申请情况。每行按 自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他、总计 的顺序填写；总计可以不写。"""

    received: RequestRow = _request("一、本年新收政府信息公开申请数量")
    carried_over: RequestRow = _request("二、上年结转政府信息公开申请数量")
    outcomes: Outcomes2021 = Field(title="三、本年度办理结果")
    carried_forward: RequestRow = _request("四、结转下年度继续办理")


class Requests2019(Requests2021):
    outcomes: Outcomes2019 = Field(title="三、本年度办理结果")  # type: ignore[assignment]


# -- table 4 ------------------------------------------------------------------------------------


class Reviews(Model):
    """四、政府信息公开行政复议、行政诉讼情况。每组按 结果维持、结果纠正、其他结果、尚未审结、总计 的顺序填写；总计可以不写。"""

    review: ReviewRow = _row("行政复议", REVIEW_COLUMNS)
    direct_litigation: ReviewRow = _row("行政诉讼·未经复议直接起诉", REVIEW_COLUMNS)
    litigation_after_review: ReviewRow = _row("行政诉讼·复议后起诉", REVIEW_COLUMNS)


# -- the report ---------------------------------------------------------------------------------

FORMATS = ("2021", "2019", "文件")
Format = Literal["2021", "2019", "文件"]


class _ReportBase(Model):
    year: Annotated[int, BeforeValidator(lambda v: _year(v)), WithJsonSchema({"type": "integer"})] = Field(
        title="报告年度", description="与文件名中的年份一致，如 2024.yaml 中写 2024。"
    )
    format: Format = Field(
        title="格式",
        description="2021：国办公开办函〔2021〕30号格式（2021 年度起）；2019：2019 年试行格式（2019、2020 年度）；文件：只有正文和附件（更早的年度）。",
    )
    index_no: Line = Field(
        title="索引号",
        description="年度报告也是一条目录信息：与目录条目一样全门户唯一，须符合本机构的索引号格式。",
    )
    title: Line | None = Field(
        None, title="标题", description="不填则为“<机构名称><年度>年政府信息公开工作年度报告”。"
    )
    date: IsoDate = Field(title="成文日期")
    published: IsoDate = Field(
        title="公开日期", description="部门应在次年 1 月 31 日前、人民政府应在次年 3 月 31 日前公布。"
    )
    attachments: list[Attachment] = Field(
        [], title="附件", description="如盖章的报告扫描件；路径相对于 catalog/<机构>/files/。"
    )


def _year(value: object) -> int:
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}", text):
        raise fail(f"应为四位年份（如 2024），实为“{text}”")
    return int(text)


class Report2021(_ReportBase):
    """年度报告（2021 年格式）：六个部分，三张表。"""

    preface: Text | None = Field(None, title="引言", description="报告开头的说明，Markdown。")
    overview: Text = Field(title="一、总体情况", description="Markdown。")
    proactive: Proactive2021 = Field(title="二、主动公开政府信息情况")
    requests: Requests2021 = Field(title="三、收到和处理政府信息公开申请情况")
    reviews: Reviews = Field(title="四、政府信息公开行政复议、行政诉讼情况")
    problems: Text = Field(title="五、存在的主要问题及改进情况", description="Markdown。")
    other_matters: Text = Field(
        title="六、其他需要报告的事项", description="Markdown；包括收取信息处理费的情况。"
    )


class Report2019(Report2021):
    """年度报告（2019 年试行格式）：用于 2019、2020 年度。"""

    proactive: Proactive2019 = Field(title="二、主动公开政府信息情况")  # type: ignore[assignment]
    requests: Requests2019 = Field(title="三、收到和处理政府信息公开申请情况")  # type: ignore[assignment]


class ReportDocument(_ReportBase):
    """只有正文和附件的年度报告：用于没有按统一格式填报表格的早期年度。"""

    body: Text | None = Field(None, title="正文", description="报告全文或说明，Markdown。")
    attachments: list[Attachment] = Field(
        min_length=1,
        title="附件",
        description="报告文件（如 PDF），至少一个；路径相对于 catalog/<机构>/files/。",
    )


REPORT_MODELS: dict[str, type[_ReportBase]] = {"2021": Report2021, "2019": Report2019, "文件": ReportDocument}
AnyReport = Report2021 | Report2019 | ReportDocument
