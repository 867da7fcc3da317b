"""The portal's PDF signature: PAdES (pyHanko) with the key and certificate of the configuration.

``SIGNING_KEY`` and ``SIGNING_CERT`` are paths to PEM files. When neither file exists (the embedded
default, tests), a self-signed ECDSA P-256 pair is generated there once. An organization uses its own
certificate by pointing both settings at its files (README, "Approved packets"). Signing and checking
a signature read the files once per process and path.
"""

from __future__ import annotations

import asyncio
import fcntl
import io
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from flask import current_app

if TYPE_CHECKING:
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign import signers

# pyHanko and the cryptography it builds on are imported where they are used, not with this module:
# they weigh about 20 MB of a process's memory, and the processes that render documents (most of the
# workers') never sign or check one.

FIELD = "PortalApproval"

R = TypeVar("R")
SIGNATURE_BYTES = 8192  # room for the CMS object (an ECDSA or RSA-4096 signature and its certificate chain)
_lock = threading.Lock()


def outside_event_loop(fn: Callable[..., R], /, *args: Any, **kwargs: Any) -> R:
    """Call one of pyHanko's synchronous functions. They call ``asyncio.run()``, which refuses to
    start inside a thread that already runs an event loop (an async or gevent-style server worker,
    or Playwright's sync API in the same test process); there the call runs on a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pyhanko") as pool:
        return pool.submit(fn, *args, **kwargs).result()


def key_paths() -> tuple[Path, Path]:
    return Path(current_app.config["SIGNING_KEY"]), Path(current_app.config["SIGNING_CERT"])


def ensure_keypair(key_path: Path, cert_path: Path, *, common_name: str = "IMP Portal (self-signed)") -> None:
    """Generate a self-signed pair when neither file exists (one file alone is a configuration error).

    Every web and worker process may get here at once (the first approvals of a new deployment), so the
    pair is made under an exclusive lock on a file beside the key (``fcntl.flock``: the processes of one
    machine, or of containers sharing the volume), and each file is written whole under a temporary name
    then renamed: a process that finds both files reads a complete pair, one that finds only one waits
    for the lock and looks again. Without it, all but one of the processes failed (the key's exclusive
    create refused, or the key found without its certificate) and that approval answered 500."""
    if key_path.exists() and cert_path.exists():
        return
    key_path.parent.mkdir(parents=True, exist_ok=True)
    with _lock, open(key_path.with_name(key_path.name + ".lock"), "a") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)  # released when the file is closed
        if key_path.exists() and cert_path.exists():
            return  # made meanwhile by another process
        if key_path.exists() or cert_path.exists():
            raise FileNotFoundError(f"SIGNING_KEY and SIGNING_CERT must both exist: {key_path}, {cert_path}")
        key_pem, cert_pem = _self_signed_pair(common_name)
        cert_path.parent.mkdir(parents=True, exist_ok=True)
        _write_whole(key_path, key_pem, 0o600)
        _write_whole(cert_path, cert_pem, 0o644)


def _self_signed_pair(common_name: str) -> tuple[bytes, bytes]:
    """A new ECDSA P-256 key and its self-signed certificate (ten years), both as PEM."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return pem, cert.public_bytes(serialization.Encoding.PEM)


def _write_whole(path: Path, data: bytes, mode: int) -> None:
    """``data`` at ``path``, created with ``mode``, written and synced under a temporary name then renamed
    (never seen half-written); refused if ``path`` exists (``os.link`` does not replace)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.link(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


@lru_cache(maxsize=4)
def _signer(key_path: str, cert_path: str) -> signers.SimpleSigner:
    from pyhanko.sign import signers

    signer: signers.SimpleSigner | None = signers.SimpleSigner.load(key_path, cert_path)
    if signer is None:
        raise ValueError(f"cannot load the signing key {key_path} and certificate {cert_path}")
    return signer


@lru_cache(maxsize=4)
def _certificate(cert_path: str) -> asn1_x509.Certificate:
    from asn1crypto import x509 as asn1_x509
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    data = Path(cert_path).read_bytes()
    der = x509.load_pem_x509_certificate(data).public_bytes(serialization.Encoding.DER)
    return asn1_x509.Certificate.load(der)


def sign(data: bytes, *, name: str, reason: str, location: str = "") -> bytes:
    """``data`` signed (PAdES baseline B, the whole file covered) with the portal's key."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    key_path, cert_path = key_paths()
    ensure_keypair(key_path, cert_path)
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        name=name,
        reason=reason,
        location=location or None,
    )
    out: io.BytesIO = outside_event_loop(  # sign_pdf writes to a new BytesIO when given no output
        signers.sign_pdf,
        writer,
        meta,
        signer=_signer(str(key_path), str(cert_path)),
        bytes_reserved=SIGNATURE_BYTES,
    )
    return out.getvalue()


def verify(data: bytes) -> bool:
    """True when ``data`` carries the portal's signature, intact, valid against the configured
    certificate and covering the whole file (nothing added or changed after signing)."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko_certvalidator import ValidationContext

    _key, cert_path = key_paths()
    try:
        reader = PdfFileReader(io.BytesIO(data))
        signatures = reader.embedded_signatures
        if len(signatures) != 1:
            return False
        context = ValidationContext(trust_roots=[_certificate(str(cert_path))], allow_fetching=False)
        status = outside_event_loop(validate_pdf_signature, signatures[0], context)
    except (ValueError, KeyError, OSError, PdfReadError, SignatureValidationError):
        return False
    coverage = status.coverage  # None when pyHanko could not tell what the signature covers: not valid
    return bool(
        status.intact
        and status.valid
        and status.trusted
        and coverage is not None
        and coverage.name == "ENTIRE_FILE"
    )
