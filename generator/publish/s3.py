"""An S3-compatible bucket as a deploy target (AWS S3, Aliyun OSS, Tencent COS, Huawei OBS, MinIO,
Ceph): ``s3://bucket/prefix``. Each PUT replaces an object whole, so no reader sees half a file.

Credentials are boto3's usual chain: ``AWS_ACCESS_KEY_ID`` / ``AWS_SECRET_ACCESS_KEY`` (and
``AWS_SESSION_TOKEN``), a ``--profile`` of ``~/.aws/credentials``, or the machine's role. They are
never taken as command-line flags, which other users of the machine can read. The endpoint is
``--endpoint-url`` or ``AWS_ENDPOINT_URL``.

Request checksums are sent only where the S3 API requires them: boto3's default since 1.36 (CRC32
on every upload) is refused by several S3-compatible services.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import boto3
import botocore.exceptions as boto_errors
from boto3.s3.transfer import TransferConfig
from botocore.config import Config

from generator.errors import GongkaiError, UsageError
from generator.publish import headers

MULTIPART = 64 << 20  # larger files (the site archive) go up in parts, which S3 needs above 5 GB
_NO_CREDENTIALS = (
    "找不到 S3 访问凭据：请设置环境变量 AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY，"
    "或用 --profile 指定 ~/.aws/credentials 中的配置"
)


class S3Target:
    def __init__(
        self, url: str, *, endpoint_url: str | None, region: str | None, profile: str | None, jobs: int
    ) -> None:
        bucket, _, prefix = url.removeprefix("s3://").partition("/")
        if not bucket:
            raise UsageError(f"{url}: 缺少存储桶名称：应形如 s3://存储桶/前缀")
        self.name, self.bucket = url, bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        with self._errors():
            session = boto3.session.Session(profile_name=profile, region_name=region)
            if session.get_credentials() is None:
                raise GongkaiError(f"{url}: {_NO_CREDENTIALS}")
            config = Config(
                retries={"max_attempts": 3, "mode": "standard"},
                connect_timeout=10,
                read_timeout=120,
                max_pool_connections=jobs + 2,
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
            )
            self.client = session.client("s3", endpoint_url=endpoint_url, config=config)
        self.transfer = TransferConfig(multipart_threshold=MULTIPART, multipart_chunksize=MULTIPART)

    def read(self, path: str) -> bytes | None:
        with self._errors():
            try:
                return self.client.get_object(Bucket=self.bucket, Key=self.prefix + path)["Body"].read()
            except self.client.exceptions.NoSuchKey:
                return None

    def put(self, path: str, source: Path) -> None:
        extra = {"ContentType": headers.content_type(path), "CacheControl": headers.cache_control(path)}
        with self._errors():
            if source.stat().st_size >= MULTIPART:
                self.client.upload_file(
                    str(source), self.bucket, self.prefix + path, ExtraArgs=extra, Config=self.transfer
                )
                return
            with source.open("rb") as body:
                self.client.put_object(Bucket=self.bucket, Key=self.prefix + path, Body=body, **extra)

    def put_bytes(self, path: str, data: bytes) -> None:
        with self._errors():
            self.client.put_object(
                Bucket=self.bucket,
                Key=self.prefix + path,
                Body=data,
                ContentType=headers.content_type(path),
                CacheControl="no-store",
            )

    def delete(self, path: str) -> None:
        with self._errors():
            self.client.delete_object(Bucket=self.bucket, Key=self.prefix + path)

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """boto3's exceptions as one line that says what to do."""
        try:
            yield
        except boto_errors.NoCredentialsError:
            raise GongkaiError(f"{self.name}: {_NO_CREDENTIALS}") from None
        except boto_errors.ProfileNotFound as exc:
            raise GongkaiError(f"{self.name}: 找不到 AWS 配置 {exc.kwargs.get('profile')}") from None
        except boto_errors.EndpointConnectionError:
            raise GongkaiError(f"{self.name}: 无法连接存储服务 {self.client.meta.endpoint_url}") from None
        except boto_errors.ClientError as exc:
            raise GongkaiError(f"{self.name}: {_client_error(exc, self.bucket)}") from None
        except boto_errors.BotoCoreError as exc:
            raise GongkaiError(f"{self.name}: 存储服务出错：{exc}") from None


def _client_error(exc: boto_errors.ClientError, bucket: str) -> str:
    error = exc.response.get("Error", {})
    code, status = error.get("Code", ""), exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    if code == "NoSuchBucket":
        return f"存储桶 {bucket} 不存在"
    if code in ("AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "403"):
        return f"没有权限（{code}）：请检查访问凭据和存储桶的权限设置"
    return f"存储服务返回错误 {code or status}：{error.get('Message') or '（无说明）'}"
