"""Generate the source-format reference (docs/reference/records.md) from the models.

    python -m generator.devtools.refdocs            # rewrite docs/reference/records.md (run from the repo root)
    python -m generator.devtools.refdocs --check    # exit 1 if the committed page is stale

The page is for agency staff, in Chinese. Keys, labels, required-ness, formats and descriptions all
come from the pydantic models, so the reference cannot drift from what the validator accepts.
"""

from __future__ import annotations

import sys
import typing
from enum import Enum
from pathlib import Path

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from generator.checks.workdays import TIME_LIMIT_WORKING_DAYS
from generator.federation.registry import Federation
from generator.models import base
from generator.models.agency import AgenciesFile
from generator.models.entry import Entry
from generator.models.guide import Guide
from generator.models.privacy import AllowFile
from generator.models.report import (
    Report2019,
    Report2021,
    ReportDocument,
    _amount,
    _count,
    _count_or_na,
    _signed,
)
from generator.models.taxonomy import TaxonomyFile
from generator.records.yamlreader import MAX_DEPTH, MAX_FILE_BYTES

TARGET = Path("docs") / "reference" / "records.md"  # relative to the repository root

FILES = [
    ("目录条目", "catalog/<机构>/entries/**/*.yaml", Entry),
    ("发布机构", "catalog/agencies.yaml", AgenciesFile),
    ("主题分类和体裁分类", "catalog/taxonomy.yaml、catalog/<机构>/taxonomy.yaml", TaxonomyFile),
    ("政府信息公开指南", "catalog/<机构>/guide.yaml", Guide),
    ("年度报告（2021 年格式，2021 年度起）", "catalog/<机构>/reports/<YYYY>.yaml", Report2021),
    ("年度报告（2019 年试行格式，2019、2020 年度）", "catalog/<机构>/reports/<YYYY>.yaml", Report2019),
    ("年度报告（只有文件）", "catalog/<机构>/reports/<YYYY>.yaml", ReportDocument),
    ("个人信息检查的例外清单", "catalog/privacy-allow.yaml", AllowFile),
    ("联合门户的成员名单（gongkai federate）", "<联合门户目录>/federation.yaml", Federation),
]

_VALIDATOR_NAMES = {
    base._check_line: "一行文字",
    base._check_text: "文字，可多行",
    base._check_slug: "标识（小写英文字母、数字、-）",
    base.parse_iso_date: "日期 YYYY-MM-DD",
    _count: "件数（非负整数）",
    _count_or_na: "件数，或“不适用”",
    _signed: "整数（可为负数），或“不适用”",
    _amount: "金额（万元，非负），或“不适用”",
}

RULES = f"""\
## 通用规则

- 文件必须是 UTF-8 编码，不能含有空字符、控制字符；键和名称中不能有不可见的方向控制字符。
- 每个文件不超过 {MAX_FILE_BYTES // 1024} KB，嵌套不超过 {MAX_DEPTH} 层。
- 不能使用 YAML 标签（如 `!!python/object`）、锚点（`&`）和别名（`*`）；同一个键不能写两次。
- 日期、`no`、`on`、`0123` 等都按原样作为文字读入，再按下面各表的格式检查。
- 可选的键空着不写值（如 `doc_no:`），等于没有填写。
- 不认识的键是错误；写错的键会提示“你是不是想写……”。

## 条目之间的检查

- 索引号在整个门户中唯一，重复时同时指出两个文件。
- 索引号符合所属机构在 agencies.yaml 中配置的格式，其中的年份与成文日期的年份一致。
- 主动公开的条目必须有公开日期；公开日期不得早于成文日期；晚于成文日期超过 {TIME_LIMIT_WORKING_DAYS} 个工作日
  （按国务院办公厅公布的节假日和调休安排计算）时给出警告，注明实际的工作日数。
- 不予公开的条目必须有不公开理由；有效性为“已废止”的条目必须有废止日期。
- 主题分类、体裁分类必须是 taxonomy.yaml（及本机构 taxonomy.yaml）中的名称。
- 关联条目必须存在，不能关联自己，也不能关联不予公开的条目。
- 附件必须在本机构的 files/ 目录中，正文文件必须在 content/ 目录中；不能用绝对路径、`..` 或指向目录外的符号链接。
- 每个机构必须有公开指南 guide.yaml；catalog/ 下的每个文件夹必须是 agencies.yaml 中的机构。
- 机构代码须为 18 位统一社会信用代码或 9 位组织机构代码；校验位不符时给出警告。

## 年度报告的检查

年度报告 `catalog/<机构>/reports/<YYYY>.yaml` 用 `gongkai new report --agency <机构> --year <YYYY>` 新建：
每一格都已列出，上年结转按上一年度报告的“结转下年度继续办理”填好。表格的每一行写成一个列表，按官方表格的列顺序：
表三为 自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他、总计；表四为 结果维持、结果纠正、其他结果、
尚未审结、总计。总计可以不写，由各项相加得出；写了就核对。

- 错误（报告不会发布）：表三每一列 一 + 二 ≠ 三（七）总计 + 四；（七）总计 ≠（一）至（六）各项之和；
  每一行各列之和 ≠ 总计；表四各组 维持 + 纠正 + 其他 + 尚未审结 ≠ 总计；件数为负数或有小数；缺少或多出表格的行；
  文件名中的年份与 year 不一致；报告年度尚未结束；格式与年度不符（2021 年格式用于 2021 年度起，
  2019 年试行格式用于 2019、2020 年度）；索引号不符合本机构格式或与其他条目、报告重复。
- 警告：上年结转与上一年度报告的结转下年度不一致；现行有效件数不等于上一年度的现行有效件数加本年制发减本年废止；
  正文中引用的数字（如“新收政府信息公开申请36件”“予以公开19件”“行政复议3件”）与表格不一致；
  公开日期晚于规定期限（部门次年 1 月 31 日、人民政府次年 3 月 31 日）；2021 年度起的报告只有文件、没有表格。
- 表二中本机关没有该项职权的，填“不适用”，与 0 不同；表三、表四的每一格都要填数字。

## 发布前的安全检查

生成网站之前，Gongkai 检查所有将要公开的内容（公开条目的各项、正文、主动公开条目的附件 PDF/DOCX/XLSX、
公开指南、机构信息、分类、年度报告及其附件、content/ 中的页面），发现以下内容即报错，并隐去大部分数字：

- 个人信息：居民身份证号码（18 位和 15 位，校验位不对的也算）、手机号码、银行卡号、个人电子邮箱
  （QQ、163 等个人邮箱）、护照号码。全角数字、空格或短横线隔开、夹带不可见字符的写法都能识别。
- 不予公开条目的名称或索引号，依申请公开条目正文中的句子。

确需公开的号码（如值班手机），经审核后在 `catalog/privacy-allow.yaml` 中登记提示给出的 hash 和文件；
不再匹配任何内容的例外会给出警告。无法提取文字的附件（扫描件、加密文件）给出警告，`--strict` 时视为错误。
网站生成后还会重新读取全部输出文件再检查一遍，发现问题则不更新网站；`gongkai audit site/` 可以单独运行这一检查。

## 公开属性的含义

- **主动公开**：条目、正文和附件都在门户中发布。
- **依申请公开**：只发布目录信息（索引号、名称、日期等），正文和附件永远不发布；页面说明如何申请。
- **不予公开**：在门户的任何地方都不出现（页面、列表、搜索、订阅、网站地图、开放数据）。
"""


def render() -> str:
    parts = [
        "<!-- 本页由 python -m generator.devtools.refdocs 根据数据模型生成，请勿手工修改。 -->",
        "",
        "# 源文件格式参考",
        "",
        "门户的全部内容保存在 catalog/ 下的 YAML 文件中。本页列出每种文件可以写的键、是否必填、格式和说明。",
        "运行 `gongkai validate` 检查全部文件；每个问题显示为 `文件:行:列: error: 说明`。",
        "",
        RULES,
    ]
    for title, where, model in FILES:
        parts.append(f"## {title}\n\n位置：`{where}`\n")
        parts.extend(_model_tables(model, set()))
    return "\n".join(parts).rstrip() + "\n"


def _model_tables(model: type[BaseModel], seen: set) -> list[str]:
    if model in seen:
        return []
    seen.add(model)
    doc = (model.__doc__ or "").strip()
    out = [
        f"### {model.__name__}\n",
        f"{doc}\n" if doc else "",
        "| 键 | 名称 | 必填 | 格式 | 说明 |",
        "|---|---|---|---|---|",
    ]
    nested: list[type[BaseModel]] = []
    for name, info in model.model_fields.items():
        kind, inner = _describe(info.annotation, info)
        nested.extend(inner)
        required = "必填" if info.is_required() else "可选"
        description = (info.description or "").replace("|", "\\|")
        if info.examples:
            description += f" 例：`{info.examples[0]}`"
        if not info.is_required() and info.default not in (None, [], ()):
            description += f" 默认：`{info.default}`"
        out.append(f"| `{name}` | {info.title or ''} | {required} | {kind} | {description.strip()} |")
    out.append("")
    for child in nested:
        out.extend(_model_tables(child, seen))
    return out


def _describe(annotation, info: FieldInfo | None = None) -> tuple[str, list[type[BaseModel]]]:
    metadata = list(info.metadata) if info is not None else []
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        annotation, *extra = typing.get_args(annotation)
        metadata += extra
        origin = typing.get_origin(annotation)
    for item in metadata:
        func = getattr(item, "func", None)
        if func in _VALIDATOR_NAMES:
            return _VALIDATOR_NAMES[func], []
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"映射，见 {annotation.__name__}", [annotation]
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return "以下之一：" + "、".join(m.value for m in annotation), []
    if origin is typing.Literal:
        return "以下之一：" + "、".join(typing.get_args(annotation)), []
    if origin is list:
        kind, inner = _describe(typing.get_args(annotation)[0])
        return f"列表，每项：{kind}", inner
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if len(args) == 1:  # X | None
        return _describe(args[0], info)
    return "文字", []


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if not TARGET.is_file() or TARGET.read_text(encoding="utf-8") != text:
            print(f"{TARGET.name} is stale: run python -m generator.devtools.refdocs", file=sys.stderr)
            return 1
        return 0
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
