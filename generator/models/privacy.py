"""The reviewed exceptions to the personal-data gate: catalog/privacy-allow.yaml."""

from __future__ import annotations

from pydantic import Field

from generator.models.base import IsoDate, Line, Model, Text


class AllowEntry(Model):
    """一条经审核的例外：允许在指定文件中公开某个看似个人信息的值（如办公电话）。"""

    hash: str = Field(
        pattern=r"^[0-9a-f]{64}$",
        title="值的哈希",
        description="检查提示中给出的 hash（该值的 SHA-256），不写值本身。",
    )
    file: Line = Field(title="文件", description="出现该值的文件，路径相对于项目根目录。")
    reason: Text = Field(title="理由", description="为什么可以公开，如“市长热线，依法公开”。")
    reviewer: Line = Field(title="审核人")
    date: IsoDate = Field(title="审核日期")


class AllowFile(Model):
    """catalog/privacy-allow.yaml：个人信息检查的例外清单。"""

    allow: list[AllowEntry] = Field([], title="例外")
