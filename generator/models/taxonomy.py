"""Topic categories (主题分类) and genres (体裁分类): catalog/taxonomy.yaml.

An agency may add its own in catalog/<agency>/taxonomy.yaml (same format); they apply to that
agency's entries only.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from generator.models.base import Line, Model, Slug, Text

AgencyKind = Literal["政府", "部门"]

# The items of proactive disclosure of the 2019 regulation, in its order: Art. 20 (一)–(十五), then
# Art. 21 (what city and county governments add), then the 公开制度 column of the disclosure
# platform (国办公开办函〔2019〕61号), which is no statutory item but is kept and reported alike.
ARTICLE_20 = tuple(
    f"第二十条第（{n}）项"
    for n in (
        "一",
        "二",
        "三",
        "四",
        "五",
        "六",
        "七",
        "八",
        "九",
        "十",
        "十一",
        "十二",
        "十三",
        "十四",
        "十五",
    )
)
ARTICLE_21 = "第二十一条"
RULES_COLUMN = "公开制度"
ITEMS = (*ARTICLE_20, ARTICLE_21, RULES_COLUMN)
FUNCTIONS_ITEM = ARTICLE_20[1]
"""第二十条第（二）项: 机关职能、机构设置…, which an agency's ``profile`` in agencies.yaml covers."""
Item = Literal[ITEMS]  # type: ignore[valid-type]


class Category(Model):
    """一个主题分类，可以有下级分类。"""

    id: Slug = Field(title="分类标识", description="小写英文字母、数字和“-”，用于网址，全门户唯一。")
    name: Line = Field(title="分类名称", description="条目的 category 填写的就是这个名称，全门户唯一。")
    description: Text | None = Field(None, title="说明")
    item: Item | None = Field(
        None,
        title="公开事项",
        description=(
            "本分类对应的主动公开事项：第二十条第（一）项至第（十五）项、第二十一条（设区的市级、县级人民政府"
            "主动公开的市政建设、土地征收等信息），或 公开制度（政府信息公开制度，国办公开办函〔2019〕61号）。"
            "填写后，本分类列入机构页面的“法定主动公开内容”和 gongkai validate --summary 的统计。"
        ),
        examples=["第二十条第（七）项"],
    )
    kinds: list[AgencyKind] | None = Field(
        None,
        title="适用机构类型",
        description=(
            "只有这些类型的机构使用本分类，如 [政府]；其他类型机构的条目使用本分类时给出警告。"
            "不填则沿用上级分类的设置，都不填则适用于所有机构。"
        ),
    )
    required: list[AgencyKind] = Field(
        [],
        title="必须公开的机构类型",
        description=(
            "这些类型的每个机构都必须在本分类中有公开的信息，如 [政府, 部门]；没有时给出警告。"
            "确实没有这类信息的，公开一条主题词含“本机关无此类信息”的说明。"
        ),
    )
    update_months: int | None = Field(
        None,
        ge=1,
        le=120,
        title="更新周期（月）",
        description=(
            "机构在本分类中最近一次公开的信息早于构建日期这么多个月时给出警告（栏目长期未更新）。"
            "不填则不检查。"
        ),
        examples=[6],
    )
    children: list[Category] = Field([], title="下级分类")


class Genre(Model):
    """一个体裁。"""

    id: Slug = Field(title="体裁标识")
    name: Line = Field(title="体裁名称", description="条目的 genre 填写的就是这个名称。")


class TaxonomyFile(Model):
    """taxonomy.yaml：主题分类树和体裁列表。"""

    categories: list[Category] = Field([], title="主题分类")
    genres: list[Genre] = Field([], title="体裁分类")
