"""An agency's disclosure guide (政府信息公开指南): catalog/<agency>/guide.yaml.

The items are those the 2019 regulation (Art. 12) requires, plus what real guides cover. The
disclosure office's name, address, hours, telephone, fax and internet contact come from the
agency's ``office`` in agencies.yaml, so they are kept in one place.
"""

from __future__ import annotations

from typing import Literal

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


ChannelKind = Literal["当面", "邮寄", "在线", "传真", "电子邮件"]
REQUIRED_CHANNELS = ("当面", "邮寄")  # the basic channels every agency keeps (国办公开办函〔2017〕19号)
# What each kind of channel needs written: the rules check it (generator.checks.rules.check_guide).
CHANNEL_KEYS: dict[str, tuple[str, ...]] = {
    "当面": ("address", "hours"),
    "邮寄": ("address", "postcode", "recipient"),
    "在线": ("url",),
    "传真": ("number",),
    "电子邮件": ("address",),
}


class Channel(Model):
    """一个申请渠道：当面、邮寄是基本渠道；在线、传真、电子邮件真正开通了才写。"""

    kind: ChannelKind = Field(title="渠道", description="当面 | 邮寄 | 在线 | 传真 | 电子邮件。")
    address: Line | None = Field(
        None, title="地址", description="当面：受理地点；邮寄：收件地址；电子邮件：邮箱地址。"
    )
    hours: Line | None = Field(None, title="受理时间", description="当面申请的受理时间。")
    postcode: Line | None = Field(None, title="邮政编码", pattern=r"^\d{6}$")
    recipient: Line | None = Field(None, title="收件人", description="邮寄申请的收件人或收件部门。")
    url: Line | None = Field(None, title="网址", description="在线申请的网址（https://）。")
    number: Line | None = Field(None, title="传真号码")


class RequestSection(Model):
    """二、依申请公开。"""

    channels: list[Channel] | None = Field(
        None,
        title="申请渠道",
        description="本机关受理申请的渠道，当面和邮寄必填；指南其他部分不得提到这里没有的渠道。",
    )
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
