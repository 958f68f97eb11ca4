"""A catalogue entry (目录条目): one file under ``catalog/<agency>/entries/``.

The keys are fixed by the source format (records.md). Rules that need more than one field, other
files or the agency's configuration live in ``generator.checks.rules``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field

from generator.models.base import IsoDate, Line, Model, Text


class Disclosure(StrEnum):
    PROACTIVE = "主动公开"
    ON_REQUEST = "依申请公开"
    WITHHELD = "不予公开"


Validity = Literal["有效", "已修改", "已废止", "失效"]
Relation = Literal["解读", "修改", "废止", "替代", "相关"]
Result = Literal["继续有效", "修改", "废止", "宣布失效"]


class Related(Model):
    """A link to another entry of the portal."""

    index_no: Line = Field(title="关联条目索引号", description="被关联条目的索引号，须在本门户中存在。")
    relation: Relation = Field(
        "相关",
        title="关联关系",
        description="解读：本条目是对方的政策解读；修改、废止、替代：本条目修改、废止或替代了对方；相关：其他关联。",
    )


class Decision(Model):
    """What a clean-up (清理) decided for one document."""

    index_no: Line = Field(title="文件索引号", description="被清理文件的索引号，须在本门户中存在。")
    result: Result = Field(
        title="清理结果",
        description="继续有效、修改、废止 或 宣布失效；须与该文件的 validity（有效性）一致。",
    )


class Attachment(Model):
    """A file published with the entry."""

    file: Line = Field(
        title="附件文件",
        description="相对于 catalog/<机构>/files/ 的路径，如 2024/gongkai-yaodian.pdf；不能超出该目录。",
    )
    title: Line | None = Field(None, title="附件名称", description="下载链接上显示的名称；不填则用文件名。")


class Entry(Model):
    """目录条目：一个文件一条。所在文件夹决定发布机构。"""

    index_no: Line = Field(
        title="索引号",
        description="全门户唯一、永不改变；须符合本机构在 agencies.yaml 中配置的格式，其中的年份与成文日期一致。",
        examples=["11449950MB2C93010F/2024-00017"],
    )
    title: Line = Field(title="名称", description="文件或信息的完整名称，只能写一行。")
    summary: Text = Field(title="内容概述", description="一两句话概括主要内容。")
    date: IsoDate = Field(title="成文日期", description="生成日期（成文日期），格式 YYYY-MM-DD。")
    disclosure: Disclosure = Field(
        title="公开属性",
        description="主动公开：全文公开；依申请公开：只公开目录信息，不公开正文和附件；不予公开：不出现在门户任何地方，须填写不公开理由。",
    )
    published: IsoDate | None = Field(
        None,
        title="公开日期",
        description="主动公开的条目必填，不得早于成文日期；晚于成文日期超过 20 个工作日时给出警告。",
    )
    doc_no: Line | None = Field(
        None, title="文号", description="如 示府办〔2024〕12号。", examples=["示府办〔2024〕12号"]
    )
    category: Line | None = Field(None, title="主题分类", description="须是 taxonomy.yaml 中的一个分类名称。")
    genre: Line | None = Field(
        None, title="体裁分类", description="须是 taxonomy.yaml 中的一个体裁名称，如 通知、决定、公告。"
    )
    keywords: list[Line] = Field([], title="主题词", description="列表，如 [政务公开, 工作要点]。")
    validity: Validity | None = Field(
        None, title="有效性", description="规范性文件填写：有效、已修改、已废止、失效。"
    )
    effective: IsoDate | None = Field(None, title="施行日期")
    repealed: IsoDate | None = Field(None, title="废止日期", description="有效性为已废止时必填。")
    expires: IsoDate | None = Field(
        None,
        title="有效期至",
        description="有有效期的规章、规范性文件填写有效期的最后一天；过了这一天，门户显示为失效。",
        examples=["2026-05-31"],
    )
    reg_no: Line | None = Field(
        None,
        title="登记号",
        description="规范性文件统一登记号。",
        examples=["示规登〔2021〕3号"],
    )
    co_issuers: list[Line] = Field(
        [],
        title="联合发文机关",
        description="联合发文的其他机关：本门户的机构标识（如 czj），或机关全称。",
        examples=[["czj", "示例市财政局"]],
    )
    decisions: list[Decision] = Field(
        [],
        title="清理结果",
        description="清理结果公告填写：对每份被清理文件的决定，须与该文件的有效性一致。",
    )
    withheld_reason: Text | None = Field(
        None, title="不公开理由", description="不予公开的条目必填，说明依据的法律条款。不会发布。"
    )
    review_by: IsoDate | None = Field(
        None,
        title="复核日期",
        description=(
            "只用于不予公开的条目：到这一天应复核是否仍不予公开（条例第十八条：定期评估审查不予公开的信息）。"
            "过了这一天 gongkai validate 给出警告；复核后更新日期，或改为公开。不会发布。"
        ),
    )
    related: list[Related] = Field(
        [], title="关联条目", description="与其他条目的关联，如政策解读与被解读的文件。"
    )
    attachments: list[Attachment] = Field([], title="附件")
    body: Text | None = Field(None, title="正文", description="全文，Markdown 格式。与 body_file 二选一。")
    body_file: Line | None = Field(
        None, title="正文文件", description="全文所在的 Markdown 文件，路径相对于 content/。与 body 二选一。"
    )
