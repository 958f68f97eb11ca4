"""Topic categories (主题分类) and genres (体裁分类): catalog/taxonomy.yaml.

An agency may add its own in catalog/<agency>/taxonomy.yaml (same format); they apply to that
agency's entries only.
"""

from __future__ import annotations

from pydantic import Field

from generator.models.base import Line, Model, Slug, Text


class Category(Model):
    """一个主题分类，可以有下级分类。"""

    id: Slug = Field(title="分类标识", description="小写英文字母、数字和“-”，用于网址，全门户唯一。")
    name: Line = Field(title="分类名称", description="条目的 category 填写的就是这个名称，全门户唯一。")
    description: Text | None = Field(None, title="说明")
    children: list[Category] = Field([], title="下级分类")


class Genre(Model):
    """一个体裁。"""

    id: Slug = Field(title="体裁标识")
    name: Line = Field(title="体裁名称", description="条目的 genre 填写的就是这个名称。")


class TaxonomyFile(Model):
    """taxonomy.yaml：主题分类树和体裁列表。"""

    categories: list[Category] = Field([], title="主题分类")
    genres: list[Genre] = Field([], title="体裁分类")
