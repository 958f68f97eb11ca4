"""``federation.yaml``: the federation's own site and its members, one schema declared once.

Errors are located (file, line, column) and worded as the record validator's are
(:mod:`generator.records.locate`); every problem of the file is reported at once.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, Field, model_validator

from generator.diagnostics import Diagnostic
from generator.errors import GongkaiError, ProjectError
from generator.models.base import Line, Model, Slug, fail
from generator.models.site import Url
from generator.records.locate import validate_document
from generator.records.yamlreader import YamlError, load_yaml

REGISTRY = "federation.yaml"
_KEY = re.compile(
    r"\A(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(?:256|384|521)|sk-ssh-ed25519@openssh\.com)\s+[A-Za-z0-9+/=]+(\s.*)?\Z"
)


def _check_key(value: str) -> str:
    if not _KEY.match(value):
        raise fail("应为一行 OpenSSH 公钥（.pub 文件的内容，形如“ssh-ed25519 AAAA... 注释”）")
    return value


PublicKey = Annotated[Line, AfterValidator(_check_key)]


class Member(Model):
    """一个成员门户：各地各部门用 Gongkai 生成并发布的政务公开门户。"""

    id: Slug = Field(title="成员代码", description="在联合门户内唯一，用作网址的一部分，如 dongcheng。")
    name: Line = Field(title="成员名称", examples=["示例市东城区人民政府"])
    url: Url | None = Field(
        None,
        title="门户网址",
        description="成员门户的发布地址（站点根目录），从这里读取它发布的文件。与 path 二选一。",
    )
    path: Line | None = Field(
        None,
        title="本地目录",
        description="成员门户已生成网站所在的目录（相对于 federation.yaml 所在目录），与 url 二选一。",
    )
    site_url: Url | None = Field(
        None,
        title="公开网址",
        description="读者访问成员门户的网址；用 url 时默认与 url 相同，用 path 时必填。",
    )
    public_key: PublicKey | None = Field(
        None,
        title="签名公钥",
        description="成员用 gongkai sign 签名时所用密钥的 OpenSSH 公钥；填写后，签名不符的成员不予收录。",
    )

    @model_validator(mode="after")
    def _one_source(self) -> Member:
        if (self.url is None) == (self.path is None):
            raise fail("url（门户网址）和 path（本地目录）要填一个，且只能填一个")
        if self.path is not None and self.site_url is None:
            raise fail("用 path（本地目录）时要填 site_url（公开网址）：联合门户的链接指向成员自己的页面")
        return self

    @property
    def public_url(self) -> str:
        """Where readers find the member's pages, ending with ``/``."""
        return (self.site_url or self.url or "").rstrip("/") + "/"


class Federation(Model):
    """联合门户：省级（或市级）平台汇集各成员门户的目录、搜索和开放数据。"""

    name: Line = Field(title="平台名称", examples=["示例省政府信息公开平台"])
    description: Line | None = Field(None, title="平台简介")
    site_url: Url | None = Field(None, title="平台网址", description="联合门户自己的发布地址。")
    members: list[Member] = Field(title="成员", min_length=1)


def load_registry(folder: Path) -> Federation:
    """The registry in ``folder``, or a GongkaiError listing every located problem."""
    path = folder / REGISTRY
    if not path.is_file():
        raise ProjectError(f"{folder} 中没有 {REGISTRY}：联合门户的成员名单写在这个文件里")
    try:
        doc = load_yaml(path, REGISTRY)
    except YamlError as exc:
        raise RegistryError([exc.diagnostic]) from None
    federation, problems = validate_document(Federation, doc)
    if federation is not None:
        problems = _duplicates(federation, doc)
    if problems:
        raise RegistryError(problems)
    return federation


def _duplicates(federation: Federation, doc) -> list[Diagnostic]:
    seen: dict[str, int] = {}
    problems = []
    for i, member in enumerate(federation.members):
        if member.id in seen:
            line = doc.position(("members", seen[member.id], "id"))[0]
            problems.append(
                doc.error(("members", i, "id"), f"成员代码“{member.id}”重复：第 {line} 行已经有这个成员")
            )
        seen.setdefault(member.id, i)
    return problems


class RegistryError(GongkaiError):
    def __init__(self, problems: list[Diagnostic]) -> None:
        self.problems = sorted(problems)
        lines = [p.format_text() for p in self.problems]
        super().__init__(f"{REGISTRY} 有 {len(lines)} 处问题：\n" + "\n".join(lines))
