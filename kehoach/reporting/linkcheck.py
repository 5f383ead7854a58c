"""Validate and check an evidence link (liên kết kiểm chứng) without server-side request forgery.

``validate_url`` is pure syntax: http/https only, no credentials, a real host. ``check_link``
fetches the page the way a careful crawler would:

* it resolves the host itself (``resolve``, ``socket.getaddrinfo`` by default) and refuses the
  link when **any** address is not public (loopback, private, link-local incl. cloud metadata,
  CGNAT, multicast, reserved, unspecified, IPv4-mapped/NAT64/6to4 forms of those);
* it **pins the IP**: the request goes to ``scheme://<validated ip>:port/path`` with the real
  ``Host`` header and, for HTTPS, the real name as SNI and for certificate verification (httpx's
  documented ``sni_hostname`` request extension). The address that was checked is the address
  that is connected to, so DNS rebinding between check and connect is not possible. Each hop gets
  a fresh connection pool, so a TLS connection verified for one name is never reused for another;
* redirects are followed by hand (at most ``max_redirects``), each hop validated and resolved
  again; environment proxies are not used (the transport is driven directly);
* only HTML bodies are read, at most ``max_bytes``, to find the ``<title>``.

Residual risks: a public address that forwards to internal services (an open proxy) is out of
reach of any address check; with a caller-supplied ``transport`` the caller owns connecting.
``check_link`` blocks for up to about ``(max_redirects + 1) × 3 × timeout`` seconds: call it from a
background task, never inside a request or a database transaction.
"""

from __future__ import annotations

import codecs
import html
import ipaddress
import re
import socket
import time
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit

import httpx
import idna
from django.utils.translation import gettext as _

MAX_URL_LENGTH = 2000
MAX_TITLE_LENGTH = 300
USER_AGENT = "kehoach-linkcheck/1.0"
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
HTML_TYPES = {"text/html", "application/xhtml+xml"}

_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_ASCII_HOST = re.compile(r"[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?")
_NUMBER_LABEL = re.compile(r"(0[xX][0-9a-fA-F]*|[0-9]+)")
_SPACES = re.compile(r"\s+")
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
# Percent-encode what may not appear in a URL; keep what is already encoded and the delimiters.
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_QUERY_SAFE = _PATH_SAFE + "?"


class LinkError(Exception):
    """A refused link. ``message`` is Vietnamese for the user; ``code`` is for programs.

    Codes: ``too_long``, ``bad_characters``, ``scheme``, ``no_host``, ``credentials``,
    ``bad_host``, ``bad_port``.
    """

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass
class LinkResult:
    ok: bool
    status: int | None  # HTTP status of the last response received
    final_url: str | None  # the last URL reached (or refused) after redirects
    title: str | None  # the HTML <title>, unescaped and folded
    error: str | None  # Vietnamese message, None when ok
    # Machine code when not ok. Temporary (worth retrying later): "timeout", "connect", "dns",
    # "http_error" for 5xx. Permanent: LinkError codes, "private_address", "too_many_redirects",
    # "http_error" for 4xx, "tls", "protocol".
    code: str | None = None


# --- addresses --------------------------------------------------------------------------------


def is_public_address(ip: str) -> bool:
    """True only for a globally routable unicast address; False for anything unparsable.

    IPv4-mapped (``::ffff:a.b.c.d``), NAT64 (``64:ff9b::/96``) and 6to4 (``2002::/16``) IPv6
    addresses are judged by the IPv4 address they carry.
    """
    try:
        address = ipaddress.ip_address(str(ip).split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return is_public_address(str(embedded))
        if address.is_site_local:
            return False
    elif address in _CGNAT:
        return False
    return address.is_global and not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def _parse_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """The IPv4 address a browser (WHATWG URL) or ``inet_aton`` reads in ``host``, if any.

    ``2130706433``, ``0x7f.1``, ``0177.0.0.1`` and ``127.1`` are all 127.0.0.1. Returns None when
    the host is a domain name; raises ``LinkError`` for a number that is not a valid address.
    """
    labels = host.split(".")
    if labels[-1] == "" and len(labels) > 1:
        labels.pop()
    if not _NUMBER_LABEL.fullmatch(labels[-1]):
        return None
    numbers = []
    for label in labels:
        if not _NUMBER_LABEL.fullmatch(label) or len(labels) > 4:
            raise _bad_host()
        if label[:2].lower() == "0x":
            numbers.append(int(label[2:] or "0", 16))
        elif len(label) > 1 and label.startswith("0"):
            if not set(label) <= set("01234567"):
                raise _bad_host()
            numbers.append(int(label, 8))
        else:
            numbers.append(int(label))
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 256 ** (5 - len(numbers)):
        raise _bad_host()
    value = last
    for i, n in enumerate(head):
        value += n << (8 * (3 - i))
    return ipaddress.IPv4Address(value)


# --- validation -------------------------------------------------------------------------------


def _bad_host() -> LinkError:
    return LinkError(_("Tên miền trong liên kết không hợp lệ."), "bad_host")


def _host(raw: str, bracketed: bool) -> tuple[str, str]:
    """(ASCII host for the request, host to show) from the host part of a URL."""
    if bracketed:
        if "%" in raw:
            raise _bad_host()  # no zone ids: they only name link-local addresses
        try:
            address = ipaddress.IPv6Address(raw)
        except ValueError as exc:
            raise _bad_host() from exc
        return f"[{address.compressed}]", address.compressed
    ipv4 = _parse_ipv4(raw)
    if ipv4 is not None:
        return str(ipv4), str(ipv4)
    try:
        if raw.isascii():
            ascii_host = raw.lower()
            if not _ASCII_HOST.fullmatch(ascii_host):
                raise _bad_host()
        else:
            ascii_host = idna.encode(raw, uts46=True).decode("ascii")
        display = ascii_host
        if "xn--" in ascii_host:
            display = idna.decode(ascii_host)
    except idna.IDNAError as exc:
        raise _bad_host() from exc
    except UnicodeError as exc:
        raise _bad_host() from exc
    if len(ascii_host.rstrip(".")) > 253 or any(len(label) > 63 for label in ascii_host.split(".")):
        raise _bad_host()
    return ascii_host, display


@dataclass(frozen=True)
class _Link:
    url: str  # normalised
    scheme: str
    host: str  # ASCII: punycode, dotted-quad IPv4 or bracketed IPv6
    port: int
    display: str  # the host as a person reads it (Unicode for IDN)

    @property
    def host_header(self) -> str:
        default = {"http": 80, "https": 443}[self.scheme]
        return self.host if self.port == default else f"{self.host}:{self.port}"


def _parse(url: str) -> _Link:
    url = str(url).strip()
    if len(url) > MAX_URL_LENGTH:
        raise LinkError(
            _("Liên kết quá dài (tối đa %(limit)d ký tự).") % {"limit": MAX_URL_LENGTH},
            "too_long",
        )
    if any(unicodedata.category(ch)[0] in "CZ" or ch == "\\" for ch in url):
        raise LinkError(
            _("Liên kết có khoảng trắng hoặc ký tự không hợp lệ: hãy dán lại đúng liên kết."),
            "bad_characters",
        )
    try:
        parts = urlsplit(url)
    except ValueError as exc:  # e.g. an unclosed "[" in the host
        raise _bad_host() from exc
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"}:
        raise LinkError(
            _("Chỉ nhận liên kết trang web bắt đầu bằng http:// hoặc https://."), "scheme"
        )
    if "@" in parts.netloc:
        raise LinkError(_("Liên kết không được chứa tên đăng nhập hoặc mật khẩu."), "credentials")
    hostport = parts.netloc
    bracketed = hostport.startswith("[")
    if bracketed:
        raw_host, closed, rest = hostport[1:].partition("]")
        if not closed or (rest and not rest.startswith(":")):
            raise _bad_host()
        port_text = rest[1:]
    else:
        raw_host, _colon, port_text = hostport.partition(":")
    if not raw_host:
        raise LinkError(_("Liên kết thiếu tên miền."), "no_host")
    port = {"http": 80, "https": 443}[scheme]
    if port_text:
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise LinkError(_("Cổng (port) trong liên kết không hợp lệ."), "bad_port")
        port = int(port_text)
    host, display = _host(raw_host, bracketed)
    link = _Link(url="", scheme=scheme, host=host, port=port, display=display)
    normalised = f"{scheme}://{link.host_header}{quote(parts.path, safe=_PATH_SAFE) or '/'}"
    if parts.query:
        normalised += "?" + quote(parts.query, safe=_QUERY_SAFE)
    if parts.fragment:
        normalised += "#" + quote(parts.fragment, safe=_QUERY_SAFE)
    return _Link(url=normalised, scheme=scheme, host=host, port=port, display=display)


def validate_url(url: str) -> tuple[str, str]:
    """``(normalised URL, host to show)`` for an http(s) link; raises ``LinkError``.

    Surrounding white space is trimmed (pasted links often carry it); any other white space,
    control or format character, or a backslash, is refused. The normalised URL has a lower-case
    scheme, the host in ASCII (punycode for IDN, dotted quad for numeric IPv4 forms such as
    ``2130706433``, compressed IPv6), no default port, ``/`` for an empty path and non-ASCII
    characters percent-encoded; the fragment is kept. The host to show is Unicode for IDN.
    """
    link = _parse(url)
    return link.url, link.display


# --- checking ---------------------------------------------------------------------------------


def _failure(code: str, message: str, *, status=None, final_url=None) -> LinkResult:
    return LinkResult(
        ok=False, status=status, final_url=final_url, title=None, error=message, code=code
    )


def _addresses(host: str, port: int, resolve) -> list[str]:
    """The addresses to check for ``host`` (an ASCII host, IPv6 in brackets)."""
    if host.startswith("["):
        return [host[1:-1]]
    try:
        ipaddress.IPv4Address(host)
        return [host]
    except ValueError:
        pass
    infos = resolve(host.rstrip("."), port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def _decode(body: bytes, content_type: str) -> str:
    """Body text using the charset of the header, else of a ``<meta>``, else UTF-8."""
    charset = None
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type, re.I)
    if match:
        charset = match.group(1)
    elif body.startswith(codecs.BOM_UTF8):
        charset = "utf-8-sig"
    else:
        meta = _META_CHARSET.search(body[:4096])
        if meta:
            charset = meta.group(1).decode("ascii")
    try:
        return body.decode(charset or "utf-8", errors="replace")
    except (LookupError, TypeError, ValueError):  # unknown or non-text codec ("rot13", "base64")
        return body.decode("utf-8", errors="replace")


def extract_title(body: bytes, content_type: str = "") -> str | None:
    """The page's ``<title>``: unescaped, NFC, white space folded, at most 300 characters."""
    match = _TITLE.search(_decode(body, content_type))
    if not match:
        return None
    title = unicodedata.normalize("NFC", html.unescape(match.group(1)))
    title = _SPACES.sub(" ", title).strip()
    return title[:MAX_TITLE_LENGTH] or None


def check_link(
    url: str,
    *,
    timeout: float = 10.0,
    max_redirects: int = 5,
    max_bytes: int = 512 * 1024,
    resolve=socket.getaddrinfo,
    transport: httpx.BaseTransport | None = None,
) -> LinkResult:
    """Fetch ``url`` safely and report whether it works, with the page title.

    Never raises for a bad link or a network problem: the answer is a ``LinkResult`` with
    ``ok=False`` and a Vietnamese ``error``. ``resolve`` is called as
    ``resolve(host, port, type=socket.SOCK_STREAM)`` and returns ``getaddrinfo`` tuples.
    ``transport`` (tests: ``httpx.MockTransport``) receives the pinned request: its URL host is
    the checked IP, its ``Host`` header the real name.
    """
    cookies = httpx.Cookies()  # kept across redirects: some sites set a cookie, then redirect
    current = url
    status = None
    final_url = None
    for hop in range(max_redirects + 1):
        try:
            link = _parse(current)
        except LinkError as exc:
            return _failure(exc.code, exc.message, final_url=final_url)
        final_url = link.url
        try:
            addresses = _addresses(link.host, link.port, resolve)
        except (OSError, UnicodeError):
            addresses = []
        if not addresses:
            return _failure(
                "dns",
                _("Không tìm thấy tên miền %(host)s: hãy kiểm tra lại liên kết.")
                % {"host": link.display},
                final_url=link.url,
            )
        if not all(is_public_address(a) for a in addresses):
            return _failure(
                "private_address",
                _(
                    "Liên kết trỏ tới địa chỉ nội bộ (%(host)s), không được phép kiểm tra. Hãy "
                    "dùng liên kết công khai trên Internet."
                )
                % {"host": link.display},
                final_url=link.url,
            )
        try:
            status, location, title = _fetch_any(
                link,
                addresses,
                timeout=timeout,
                max_bytes=max_bytes,
                cookies=cookies,
                transport=transport,
            )
        except httpx.TimeoutException:
            return _failure(
                "timeout",
                _("Trang không phản hồi kịp (quá %(seconds)s giây): hãy thử lại sau.")
                % {"seconds": f"{timeout:g}".replace(".", ",")},
                final_url=link.url,
            )
        except httpx.ConnectError as exc:
            if "CERTIFICATE" in str(exc).upper():
                return _failure(
                    "tls",
                    _("Chứng chỉ bảo mật (HTTPS) của trang %(host)s không hợp lệ.")
                    % {"host": link.display},
                    final_url=link.url,
                )
            return _failure(
                "connect",
                _("Không kết nối được tới %(host)s: hãy kiểm tra lại liên kết hoặc thử lại sau.")
                % {"host": link.display},
                final_url=link.url,
            )
        except (httpx.HTTPError, httpx.InvalidURL, OSError, UnicodeError, ValueError):
            return _failure(
                "protocol",
                _("Không đọc được phản hồi từ %(host)s.") % {"host": link.display},
                final_url=link.url,
            )
        if status in REDIRECT_STATUSES and location:
            if hop == max_redirects:
                break
            current = urljoin(link.url, location.strip())
            continue
        if 200 <= status < 400:
            return LinkResult(ok=True, status=status, final_url=link.url, title=title, error=None)
        return _failure(
            "http_error",
            _("Liên kết trả về mã lỗi %(status)d.") % {"status": status},
            status=status,
            final_url=link.url,
        )
    return _failure(
        "too_many_redirects",
        _("Liên kết chuyển hướng quá nhiều lần (hơn %(count)d lần).") % {"count": max_redirects},
        status=status,
        final_url=final_url,
    )


def _fetch_any(link: _Link, addresses: list[str], **kwargs):
    """``_fetch`` on the first of (at most 3) checked addresses that accepts a connection."""
    candidates = list(dict.fromkeys(a.split("%", 1)[0] for a in addresses))[:3]
    for ip in candidates[:-1]:
        try:
            return _fetch(link, ip, **kwargs)
        except (httpx.ConnectError, httpx.ConnectTimeout):
            continue  # e.g. an IPv6 address on a server without IPv6: try the next one
    return _fetch(link, candidates[-1], **kwargs)


def _fetch(link: _Link, ip: str, *, timeout, max_bytes, cookies, transport):
    """One GET of ``link`` connected to ``ip``: (status, Location header, title).

    The transport is driven directly, not through ``httpx.Client``: the client would parse every
    ``Location`` header itself (and fail on odd ones) and would read proxies from the environment.
    """
    extensions = {"timeout": httpx.Timeout(timeout).as_dict()}
    if link.scheme == "https" and not link.host.startswith("[") and not _is_ip(link.host):
        extensions["sni_hostname"] = link.host.rstrip(".")  # SNI and certificate name
    request = httpx.Request(
        "GET",
        httpx.URL(link.url).copy_with(host=ip, fragment=None),
        headers={
            "Host": link.host_header,
            "User-Agent": USER_AGENT,
            "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
            "Accept-Language": "vi,en;q=0.8",
            "Accept-Encoding": "gzip, deflate",
        },
        extensions=extensions,
    )
    cookies.set_cookie_header(request)
    owned = transport is None
    if owned:
        transport = httpx.HTTPTransport(retries=0)  # a fresh pool: no connection reuse across hops
    try:
        response = transport.handle_request(request)
        response.request = request
        try:
            cookies.extract_cookies(response)
            content_type = response.headers.get("content-type", "")
            media_type = content_type.split(";", 1)[0].strip().lower()
            title = None
            if 200 <= response.status_code < 300 and media_type in HTML_TYPES:
                title = extract_title(_read_limited(response, max_bytes, timeout), content_type)
            return response.status_code, response.headers.get("location"), title
        finally:
            response.close()
    finally:
        if owned:
            transport.close()


def _read_limited(response: httpx.Response, max_bytes: int, timeout: float) -> bytes:
    """At most ``max_bytes`` of the (decoded) body, within ``timeout`` seconds overall."""
    deadline = time.monotonic() + timeout
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) >= max_bytes or time.monotonic() > deadline:
            break
    return bytes(body[:max_bytes])


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
