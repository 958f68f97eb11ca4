"""The agencies of a portal (catalog/agencies.yaml)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from generator.models.base import Line, Model, Slug, Text

DEFAULT_INDEX_PATTERN = "{code}/{year}-{serial:5}"


class Office(Model):
    """政府信息公开工作机构：指南中公布的联系方式。"""

    name: Line = Field(title="机构名称", examples=["示例市人民政府办公室政务公开科"])
    address: Line = Field(title="办公地址")
    postcode: Line | None = Field(None, title="邮政编码", pattern=r"^\d{6}$")
    hours: Line = Field(title="办公时间", examples=["工作日 9:00—12:00，14:00—17:30"])
    phone: Line = Field(title="联系电话")
    fax: Line = Field(title="传真")
    email: Line | None = Field(
        None, title="电子邮箱", description="与 website 至少填一项（互联网联系方式）。"
    )
    website: Line | None = Field(None, title="网上申请地址", description="与 email 至少填一项。")


class Profile(Model):
    """机构概况：条例第二十条第（二）项要求主动公开的机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名。
    门户据此生成本机构的“机构职能”页面。"""

    functions: Text = Field(
        title="机构职能", description="本机关的主要职责，Markdown，可写多段或列表（依据“三定”规定）。"
    )
    departments: list[Line] = Field(
        min_length=1, title="内设机构", description="内设机构（科室）名称的列表，如 [办公室, 政策法规科]。"
    )
    head: Line = Field(title="负责人", description="负责人姓名和职务，如 张三（局长）。")
    address: Line = Field(title="办公地址")
    hours: Line = Field(title="办公时间", examples=["工作日 9:00—12:00，14:00—17:30"])
    phone: Line = Field(title="联系电话", description="对外办公电话。")


class Agency(Model):
    """一个发布机构。"""

    id: Slug = Field(title="机构标识", description="小写英文字母、数字和“-”，也是 catalog/ 下的文件夹名。")
    name: Line = Field(title="机构名称", examples=["示例市发展和改革委员会"])
    short_name: Line | None = Field(None, title="简称", examples=["市发展改革委"])
    kind: Literal["政府", "部门"] = Field(
        title="机构类型",
        description="政府：人民政府（年度报告 3 月 31 日前公布）；部门：政府工作部门（1 月 31 日前公布）。",
    )
    code: Line = Field(
        title="机构代码",
        description="18 位统一社会信用代码或 9 位组织机构代码，用于索引号。",
        examples=["11449950MB2C93010F"],
    )
    index_pattern: Line = Field(
        DEFAULT_INDEX_PATTERN,
        title="索引号格式",
        description=(
            "由文字和占位符组成：{code} 机构代码，{year} 四位年份（须与成文日期一致），"
            "{serial} 流水号（{serial:5} 表示固定 5 位），{num:2} 其他固定位数的数字。"
            "如 {code}-{num:2}-{year}-{serial} 对应 007482532-03-2014-1194357。"
        ),
    )
    parent: Slug | None = Field(None, title="上级机构", description="上级机构的机构标识。")
    office: Office = Field(title="政府信息公开工作机构")
    profile: Profile | None = Field(
        None,
        title="机构概况",
        description=(
            "条例第二十条第（二）项的机构信息，门户据此生成“机构职能”页面。不填时，"
            "应在主题分类“机构职能”中公开这些信息，否则 gongkai validate 给出警告。"
        ),
    )


class AgenciesFile(Model):
    """catalog/agencies.yaml：门户中的全部发布机构。"""

    agencies: list[Agency] = Field(min_length=1, title="机构列表")
