"""A guide's application channels (on_request.channels): each says what citizens need to use it,
the basic ones are there, and no text of the guide promises a channel the agency does not keep.

Every channel a guide announces is an obligation (国办公开办函〔2017〕19号): 当面 and 邮寄 are the
basic channels; 在线, 传真 and 电子邮件 may be offered, and then only when they are real.
"""

from __future__ import annotations

import re

from generator.diagnostics import Diagnostic
from generator.models.guide import CHANNEL_KEYS, REQUIRED_CHANNELS, Channel, Guide
from generator.records.yamlreader import Document

# What, in a guide's text, promises a channel: the ways guides word "apply by ...". A mere mention
# (information sent by e-mail, a fax number for enquiries) is not a promise.
PROMISES = {
    "在线": re.compile(r"网上申请|网上提交|网络申请|在线(?:填写|提交|申请)|互联网(?:申请|提交)"),
    "传真": re.compile(r"传真申请|传真至|传真发送|传真方式|通过传真"),
    "电子邮件": re.compile(
        r"(?:电子邮件|电子邮箱|邮件)(?:申请|发送至|提交)|通过电子邮件|发送至[^。；\n]{0,12}电子邮箱"
    ),
}
PLACEHOLDER_POSTCODE = "000000"  # what a new portal's guide holds until the agency writes its own
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_URL = re.compile(r"https?://\S+")


def check_channels(guide: Guide, doc: Document) -> list[Diagnostic]:
    channels = guide.on_request.channels
    where = ("on_request", "channels")
    if channels is None:
        return [
            doc.warning(
                ("on_request",),
                "公开指南没有列出申请渠道（on_request.channels）：请列出本机关真正受理申请的渠道，"
                "当面和邮寄必填，在线、传真、电子邮件开通了才写",
            )
        ]
    found = []
    kinds: dict[str, int] = {}
    for i, channel in enumerate(channels):
        if channel.kind in kinds:
            found.append(doc.error((*where, i, "kind"), f"申请渠道“{channel.kind}”写了两次"))
        kinds.setdefault(channel.kind, i)
        found.extend(_check_channel(channel, doc, (*where, i)))
    missing = [kind for kind in REQUIRED_CHANNELS if kind not in kinds]
    if missing:
        found.append(
            doc.error(
                where,
                f"申请渠道缺少{'、'.join(missing)}：当面和邮寄是每个机关都应提供的基本渠道"
                "（国办公开办函〔2017〕19号）",
            )
        )
    found.extend(_check_promises(guide, doc, set(kinds)))
    return found


def _check_channel(channel: Channel, doc: Document, loc: tuple) -> list[Diagnostic]:
    found = []
    needed = CHANNEL_KEYS[channel.kind]
    fields = type(channel).model_fields
    for key in needed:
        if getattr(channel, key) is None:
            found.append(doc.error(loc, f"{channel.kind}渠道缺少 {key}（{fields[key].title}）"))
    for key in fields:
        if key != "kind" and key not in needed and getattr(channel, key) is not None:
            found.append(
                doc.error(
                    (*loc, key),
                    f"{channel.kind}渠道不用写 {key}（{fields[key].title}），"
                    f"应写 {'、'.join(f'{k}（{fields[k].title}）' for k in needed)}",
                )
            )
    if channel.postcode == PLACEHOLDER_POSTCODE:
        found.append(
            doc.warning(
                (*loc, "postcode"),
                f"邮寄渠道的邮政编码还是 {PLACEHOLDER_POSTCODE}：请改成真实的邮政编码",
            )
        )
    if channel.kind == "在线" and channel.url is not None and not _URL.fullmatch(channel.url):
        found.append(doc.error((*loc, "url"), f"在线申请的网址应以 https:// 开头，实为“{channel.url}”"))
    if channel.kind == "电子邮件" and channel.address is not None and not _EMAIL.fullmatch(channel.address):
        found.append(doc.error((*loc, "address"), f"应为电子邮箱地址，实为“{channel.address}”"))
    return found


def _texts(model, loc: tuple = ()):
    """``(loc, text)`` of every free text of the guide (nested sections included, channels not)."""
    for key in type(model).model_fields:
        value = getattr(model, key)
        if isinstance(value, str) and key not in ("title", "application_form"):
            yield (*loc, key), value
        elif hasattr(type(value), "model_fields"):
            yield from _texts(value, (*loc, key))


def _check_promises(guide: Guide, doc: Document, kept: set[str]) -> list[Diagnostic]:
    found = []
    for loc, text in _texts(guide):
        for kind, pattern in PROMISES.items():
            if kind in kept:
                continue
            match = pattern.search(text)
            if match:
                found.append(
                    doc.error(
                        loc,
                        f"“{loc[-1]}”写了“{match.group()}”，但申请渠道（on_request.channels）中没有{kind}："
                        f"不要承诺没有开通的渠道；确已开通的，在 channels 中加上{kind}渠道",
                    )
                )
    return found
