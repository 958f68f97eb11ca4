"""Site-wide facts every page of a government website shows in its footer (国办发〔2017〕47号
《政府网站发展指引》): configuration under the gongkai plugin in mkdocs.yml, not records."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field

from generator.models.base import Line, Model, fail

POLICE_NUMBER = re.compile(r"公网安备\s*(\d{14})\s*号")


def _matching(pattern: re.Pattern, expected: str) -> AfterValidator:
    """A check that the value matches ``pattern`` (searched), saying what was ``expected`` otherwise."""

    def check(value: str) -> str:
        if not pattern.search(value):
            raise fail(f"{expected}，实为“{value}”")
        return value

    return AfterValidator(check)


SiteCode = Annotated[
    Line, _matching(re.compile(r"\A[0-9A-Z]{10}\Z"), "网站标识码应为全国政府网站信息报送系统分配的 10 位代码")
]
Icp = Annotated[
    Line, _matching(re.compile(r"ICP备\s*\d+\s*号(?:-\d+)?$"), "ICP备案号应形如“京ICP备12345678号”")
]
Police = Annotated[
    Line, _matching(POLICE_NUMBER, "公安备案号应形如“京公网安备 11010202000001号”（14 位数字）")
]
Url = Annotated[
    str, _matching(re.compile(r"\Ahttps?://[^\s\"'<>]+\Z"), "应为以 https:// 或 http:// 开头的网址")
]


class Footer(Model):
    """页脚：每个页面底部的网站信息。"""

    sponsor: Line | None = Field(None, title="主办单位", examples=["示例市人民政府办公室"])
    contact: Line | None = Field(
        None, title="联系方式", description="电话、电子邮箱或地址。", examples=["0999-81230001"]
    )
    site_code: SiteCode | None = Field(
        None, title="网站标识码", description="全国政府网站信息报送系统分配的 10 位代码。"
    )
    icp: Icp | None = Field(
        None,
        title="ICP备案号",
        description="链接到工业和信息化部备案管理系统。",
        examples=["示ICP备12345678号"],
    )
    police: Police | None = Field(
        None, title="公安备案号", description="链接到全国互联网安全管理服务平台的备案信息。"
    )
    police_url: Url | None = Field(None, title="公安备案链接", description="不填则按备案号生成。")
    correction_url: Url | None = Field(
        None, title="纠错地址", description="“我为政府网站找错”的网址（全国政府网站信息报送系统提供）。"
    )

    @property
    def missing(self) -> list[str]:
        """The titles of the facts a published government website must show and this one lacks."""
        return [
            info.title or key
            for key, info in type(self).model_fields.items()
            if key != "police_url" and getattr(self, key) is None
        ]
