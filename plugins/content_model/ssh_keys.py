"""OpenSSH public keys as reviewers register them: the key types git can sign with, checked down to the bytes."""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
from dataclasses import dataclass

# The curve each ECDSA key type must name inside its blob.
_ECDSA_CURVES = {
    "ecdsa-sha2-nistp256": "nistp256",
    "ecdsa-sha2-nistp384": "nistp384",
    "ecdsa-sha2-nistp521": "nistp521",
    "sk-ecdsa-sha2-nistp256@openssh.com": "nistp256",
}
KEY_TYPES = ("ssh-ed25519", "sk-ssh-ed25519@openssh.com", "ssh-rsa", *_ECDSA_CURVES)
RSA_MIN_BITS = 2048


class BadKey(ValueError):
    """A signing key that is not a well-formed OpenSSH public key of an accepted type; says why in both languages."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en


@dataclass(frozen=True)
class PublicKey:
    """One OpenSSH public key: its type, its base64 blob, and the fingerprint ssh-keygen and git show."""

    type: str
    blob: str
    comment: str = ""

    @property
    def fingerprint(self) -> str:
        digest = hashlib.sha256(base64.b64decode(self.blob)).digest()
        return "SHA256:" + base64.b64encode(digest).decode("ascii").rstrip("=")

    @property
    def text(self) -> str:
        """`type blob`, as an allowed-signers file and git's `key::` form take it."""
        return f"{self.type} {self.blob}"


class _Reader:
    """The SSH wire format (RFC 4253): length-prefixed strings."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.at = 0

    def string(self) -> bytes:
        if self.at + 4 > len(self.data):
            raise BadKey("公钥数据不完整", "the key data is truncated")
        (length,) = struct.unpack(">I", self.data[self.at : self.at + 4])
        start = self.at + 4
        if start + length > len(self.data):
            raise BadKey("公钥数据不完整", "the key data is truncated")
        self.at = start + length
        return self.data[start : self.at]

    def done(self) -> None:
        if self.at != len(self.data):
            raise BadKey("公钥数据末尾有多余内容", "the key data has bytes left over")


def parse_public_key(text: str) -> PublicKey:
    """`type base64 [comment]`, as in a .pub file or git's `key::` form; raise BadKey on anything else."""
    text = text.strip()
    if text.startswith("key::"):
        text = text[len("key::") :].strip()
    parts = text.split(None, 2)
    if len(parts) < 2:
        raise BadKey(
            "应为一行“类型 公钥 备注”，即 .pub 文件的全部内容",
            "it must be one line `type key comment`, a .pub file's content",
        )
    key_type, blob = parts[0], parts[1]
    if key_type not in KEY_TYPES:
        raise BadKey(
            f"不接受的密钥类型“{key_type}”，请用 ssh-ed25519（推荐）、ecdsa 或 2048 位以上的 ssh-rsa",
            f"the key type `{key_type}` is not accepted: use ssh-ed25519 (recommended), ecdsa or ssh-rsa of 2048 "
            "bits or more",
        )
    try:
        data = base64.b64decode(blob, validate=True)
    except (binascii.Error, ValueError) as error:
        raise BadKey(
            "公钥不是有效的 base64 编码，可能复制时缺了字符", "the key is not valid base64: was it cut?"
        ) from error
    reader = _Reader(data)
    embedded = reader.string().decode("ascii", "replace")
    if embedded != key_type:
        raise BadKey(
            f"公钥内部的类型是“{embedded}”，与开头写的“{key_type}”不符",
            f"the key says it is `{embedded}`, not `{key_type}`",
        )
    _check_body(key_type, reader)
    return PublicKey(key_type, blob, parts[2].strip() if len(parts) > 2 else "")


def _check_body(key_type: str, reader: _Reader) -> None:
    if key_type in ("ssh-ed25519", "sk-ssh-ed25519@openssh.com"):
        if len(reader.string()) != 32:
            raise BadKey("ed25519 公钥长度不对", "an ed25519 key must be 32 bytes")
    elif key_type == "ssh-rsa":
        reader.string()  # the public exponent
        modulus = reader.string().lstrip(b"\0")
        bits = int.from_bytes(modulus, "big").bit_length()
        if bits < RSA_MIN_BITS:
            raise BadKey(
                f"RSA 密钥只有 {bits} 位，至少需要 {RSA_MIN_BITS} 位；建议改用 ssh-ed25519",
                f"the RSA key has {bits} bits; at least {RSA_MIN_BITS} are needed (ssh-ed25519 is better)",
            )
    else:
        curve = reader.string().decode("ascii", "replace")
        if curve != _ECDSA_CURVES[key_type]:
            raise BadKey(f"公钥的曲线“{curve}”与类型不符", f"the key's curve `{curve}` does not match its type")
        point = reader.string()
        if not point or point[0] != 4:
            raise BadKey("ecdsa 公钥的点格式不对", "the ecdsa key's point is malformed")
    if key_type.startswith("sk-"):
        reader.string()  # the security key's application, usually ssh:
    reader.done()
