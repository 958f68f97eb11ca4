"""An agency's disclosure guide (政府信息公开指南): catalog/<agency>/guide.yaml.

The items are those the 2019 regulation (Art. 12) requires, plus what real guides cover. The
disclosure office's name, address, hours, telephone, fax and internet contact come from the
agency's ``office`` in agencies.yaml, so they are kept in one place.
"""

from __future__ import annotations

from pydantic import Field

from generator.models.base import IsoDate, Line, Model, Text


class ProactiveSection(Model):
    """一、主动公开。"""

    scope: Text = Field(title="公开范围", description="主动公开的内容范围。")
    arrangement: Text = Field(
        title="分类与编排体系", description="目录的分类方法和编排方式（索引号、主题分类等）。"
    )
    channels: Text = Field(title="获取方式", description="门户网站、公报、查阅场所等。")
    time_limit: Text = Field(title="公开时限", description="自形成或变更之日起 20 个工作日内公开。")


class RequestSection(Model):
    """二、依申请公开。"""

    how_to_apply: Text = Field(title="申请方式", description="网上、信函、当面提交等方式及地址。")
    application_form: Line | None = Field(
        None, title="申请表", description="申请表文件，路径相对于 catalog/<机构>/files/。"
    )
    requirements: Text = Field(
        title="申请内容要求", description="申请人身份、所需信息的名称、文号或便于查询的描述等。"
    )
    correction: Text = Field(title="补正", description="申请内容不明确时的补正程序（7 个工作日内告知）。")
    deadline: Text = Field(
        title="答复期限", description="20 个工作日内答复，经批准可延长不超过 20 个工作日。"
    )
    fees: Text = Field(title="收费", description="是否收取信息处理费及标准。")


class Guide(Model):
    """政府信息公开指南。"""

    title: Line | None = Field(None, title="标题", description="不填则为“<机构名称>政府信息公开指南”。")
    updated: IsoDate = Field(title="更新日期")
    preface: Text | None = Field(None, title="前言")
    proactive: ProactiveSection = Field(title="主动公开")
    on_request: RequestSection = Field(title="依申请公开")
    remedies: Text = Field(title="监督和救济", description="投诉举报、行政复议、行政诉讼的途径。")
