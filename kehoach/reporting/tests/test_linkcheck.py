"""Evidence links: validation, SSRF refusals, redirects, titles. No real network: a fake
``resolve`` answers DNS and ``httpx.MockTransport`` answers HTTP."""

from __future__ import annotations

import socket

import httpx
import pytest

from kehoach.reporting.linkcheck import (
    USER_AGENT,
    LinkError,
    LinkResult,
    check_link,
    is_public_address,
    validate_url,
)

DNS = {
    "example.com": ["93.184.216.34"],
    "www.example.com": ["93.184.216.34"],
    "docs.example.org": ["151.101.65.69"],
    "xn--bcher-kva.example": ["151.101.1.69"],
    "v6.example.net": ["2606:2800:220:1:248:1893:25c8:1946"],
    "intranet.example.com": ["10.0.0.5"],
    "mixed.example.com": ["93.184.216.35", "192.168.1.10"],
    "metadata.example.com": ["169.254.169.254"],
    "mapped.example.com": ["::ffff:127.0.0.1"],
}


class FakeResolver:
    """``socket.getaddrinfo`` over the DNS table above; remembers what it was asked."""

    def __init__(self, table=None):
        self.table = DNS if table is None else table
        self.calls: list[tuple[str, int]] = []

    def __call__(self, host, port, family=0, type=0, proto=0, flags=0):
        self.calls.append((host, port))
        if host not in self.table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            (
                socket.AF_INET6 if ":" in ip else socket.AF_INET,
                socket.SOCK_STREAM,
                socket.IPPROTO_TCP,
                "",
                (ip, port, 0, 0) if ":" in ip else (ip, port),
            )
            for ip in self.table[host]
        ]


def no_dns(*args, **kwargs):
    raise AssertionError("a literal IP must not be resolved")


class Site:
    """A MockTransport handler: routes by the ``Host`` header and path, records every request."""

    def __init__(self, routes: dict[str, object]):
        self.routes = routes
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        key = f"{request.headers['host']}{request.url.raw_path.decode()}"
        route = self.routes.get(key)
        if route is None:
            return httpx.Response(404, html="<title>Không tìm thấy</title>")
        if callable(route):
            return route(request)
        return route

    def check(self, url, **kwargs) -> LinkResult:
        kwargs.setdefault("resolve", FakeResolver())
        return check_link(url, transport=httpx.MockTransport(self), **kwargs)


def page(title_html: str, *, status=200, content_type="text/html; charset=utf-8", body=None):
    if body is None:
        body = f"<!doctype html><html><head>{title_html}</head><body>x</body></html>".encode()
    return httpx.Response(status, headers={"Content-Type": content_type}, content=body)


def redirect(location: str, status=302):
    return httpx.Response(status, headers={"Location": location})


# --- validate_url -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "normalised", "host"),
    [
        ("https://example.com", "https://example.com/", "example.com"),
        ("  HTTPS://Example.COM/a?b=1#c \n", "https://example.com/a?b=1#c", "example.com"),
        ("http://example.com:80/x", "http://example.com/x", "example.com"),
        ("https://example.com:443/x", "https://example.com/x", "example.com"),
        ("http://example.com:8080/x", "http://example.com:8080/x", "example.com"),
        (
            "https://bücher.example/Trảng_Bàng?q=kế hoạch".replace(" ", "%20"),
            "https://xn--bcher-kva.example/Tr%E1%BA%A3ng_B%C3%A0ng?q=k%E1%BA%BF%20ho%E1%BA%A1ch",
            "bücher.example",
        ),
        ("https://xn--bcher-kva.example/", "https://xn--bcher-kva.example/", "bücher.example"),
        (
            "https://ubnd.tayninh.gov.vn/a%20b",
            "https://ubnd.tayninh.gov.vn/a%20b",
            "ubnd.tayninh.gov.vn",
        ),
        ("http://2130706433/", "http://127.0.0.1/", "127.0.0.1"),
        ("http://0x7f.1/", "http://127.0.0.1/", "127.0.0.1"),
        ("http://0177.0.0.1/", "http://127.0.0.1/", "127.0.0.1"),
        ("http://[::1]:8000/", "http://[::1]:8000/", "::1"),
        ("http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/", "::ffff:7f00:1"),
    ],
)
def test_validate_url_accepts_and_normalises(url, normalised, host):
    assert validate_url(url) == (normalised, host)


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("javascript:alert(1)", "scheme"),
        ("JavaScript://example.com/%0aalert(1)", "scheme"),
        ("data:text/html,<script>alert(1)</script>", "scheme"),
        ("file:///etc/passwd", "scheme"),
        ("ftp://example.com/a.pdf", "scheme"),
        ("mailto:vanphong@example.com", "scheme"),
        ("example.com/bao-cao", "scheme"),
        ("//example.com/bao-cao", "scheme"),
        ("https://user:pass@example.com/", "credentials"),
        ("https://user@example.com/", "credentials"),
        ("https://example.com@evil.example/", "credentials"),
        ("http://", "no_host"),
        ("http:///etc/passwd", "no_host"),
        ("https://:443/", "no_host"),
        ("https://example.com/" + "a" * 2000, "too_long"),
        ("https://exa mple.com/", "bad_characters"),
        ("https://example.com/a\tb", "bad_characters"),
        ("https://example.com/\x00", "bad_characters"),
        ("https://example.com/\x7f", "bad_characters"),
        ("https://example.com/\u202egpj.exe", "bad_characters"),
        ("https://exam\u200bple.com/", "bad_characters"),
        ("https://example.com\\@evil.example/", "bad_characters"),
        ("https://example.com:99999/", "bad_port"),
        ("https://example.com:0/", "bad_port"),
        ("https://example.com:http/", "bad_port"),
        ("https://[::1/", "bad_host"),
        ("https://[fe80::1%25eth0]/", "bad_host"),
        ("https://exa..mple.com/", "bad_host"),
        ("https://1.2.3.256/", "bad_host"),
        ("https://example.123/", "bad_host"),
        ("https://" + "a" * 64 + ".com/", "bad_host"),
        ("https://exa<mple.com/", "bad_host"),
    ],
)
def test_validate_url_refuses(url, code):
    with pytest.raises(LinkError) as caught:
        validate_url(url)
    assert caught.value.code == code
    assert caught.value.message == str(caught.value)
    assert caught.value.message[0].isupper()


# --- addresses --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ip", "public"),
    [
        ("93.184.216.34", True),
        ("8.8.8.8", True),
        ("2606:4700::1111", True),
        ("::ffff:8.8.8.8", True),
        ("127.0.0.1", False),
        ("127.8.9.10", False),
        ("10.0.0.5", False),
        ("172.16.0.1", False),
        ("172.31.255.254", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("100.127.255.254", False),
        ("0.0.0.0", False),  # noqa: S104 - an address under test, not a bind
        ("255.255.255.255", False),
        ("224.0.0.251", False),
        ("240.0.0.1", False),
        ("192.0.2.1", False),
        ("::1", False),
        ("::", False),
        ("fc00::1", False),
        ("fd12:3456::1", False),
        ("fe80::1", False),
        ("fe80::1%eth0", False),
        ("ff02::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:10.0.0.5", False),
        ("::ffff:169.254.169.254", False),
        ("64:ff9b::a00:5", False),
        ("2002:a00:5::1", False),
        ("2001:db8::1", False),
        ("not an ip", False),
        ("", False),
    ],
)
def test_is_public_address(ip, public):
    assert is_public_address(ip) is public


# --- check_link -------------------------------------------------------------------------------


def test_ok_with_title_and_the_request_is_pinned_to_the_checked_ip():
    site = Site({"example.com/bao-cao": page("<title>  Báo cáo\n  tháng &amp; quý </title>")})
    resolver = FakeResolver()
    result = site.check("https://example.com/bao-cao", resolve=resolver)
    assert result == LinkResult(
        ok=True,
        status=200,
        final_url="https://example.com/bao-cao",
        title="Báo cáo tháng & quý",
        error=None,
        code=None,
    )
    assert resolver.calls == [("example.com", 443)]
    (request,) = site.requests
    assert request.url.host == "93.184.216.34"  # connect to the address that was checked...
    assert request.headers["host"] == "example.com"  # ...asking for the real site
    assert request.extensions["sni_hostname"] == "example.com"  # TLS checks the real name
    assert request.headers["user-agent"] == USER_AGENT


def test_non_default_port_and_ipv6_pin():
    site = Site({"v6.example.net:8443/": page("<title>IPv6</title>")})
    result = site.check("https://v6.example.net:8443/")
    assert (result.ok, result.title) == (True, "IPv6")
    assert site.requests[0].url.host == "2606:2800:220:1:248:1893:25c8:1946"
    assert site.requests[0].url.port == 8443


def test_idn_host_is_requested_in_punycode():
    site = Site({"xn--bcher-kva.example/": page("<title>Sách</title>")})
    result = site.check("https://bücher.example")
    assert (result.ok, result.final_url) == (True, "https://xn--bcher-kva.example/")


def test_literal_public_ip_is_not_resolved_and_has_no_sni():
    site = Site({"93.184.216.34/": page("<title>IP</title>")})
    result = site.check("https://93.184.216.34/", resolve=no_dns)
    assert result.ok
    assert "sni_hostname" not in site.requests[0].extensions


def test_title_is_truncated_and_missing_titles_are_none():
    site = Site(
        {
            "example.com/long": page("<title>" + "dài " * 200 + "</title>"),
            "example.com/none": page("<meta charset=utf-8>"),
            "example.com/empty": page("<title>   </title>"),
            "example.com/attrs": page('<TITLE lang="vi">Có thuộc tính</TITLE >'),
        }
    )
    assert len(site.check("https://example.com/long").title) == 300
    assert site.check("https://example.com/none").title is None
    assert site.check("https://example.com/empty").title is None
    assert site.check("https://example.com/attrs").title == "Có thuộc tính"


@pytest.mark.parametrize(
    ("content_type", "body", "title"),
    [
        (
            "text/html; charset=windows-1258",
            # Windows-1258 writes tones as combining marks; the title comes back composed (NFC).
            "<title>Tra\u0309ng Ba\u0300ng, Tây Ninh</title>".encode("cp1258"),
            "Trảng Bàng, Tây Ninh",
        ),
        (
            "text/html; charset=ISO-8859-1",
            "<title>Café</title>".encode("latin-1"),
            "Café",
        ),
        (
            "text/html",
            b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
            + "<title>Café</title>".encode("cp1252"),
            "Café",
        ),
        ("text/html", b"<meta charset='latin-1'><title>Caf\xe9</title>", "Café"),
        ("text/html", "<title>Kế hoạch</title>".encode(), "Kế hoạch"),
        ("text/html", b"\xef\xbb\xbf<title>BOM</title>", "BOM"),
        ("text/html", b"<title>bad \xff byte</title>", "bad \ufffd byte"),
        ("text/html; charset=rot13", b"<title>plain</title>", "plain"),
        ("text/html; charset=no-such-codec", b"<title>plain</title>", "plain"),
        ("application/xhtml+xml", b"<title>XHTML</title>", "XHTML"),
    ],
)
def test_charset_handling(content_type, body, title):
    site = Site({"example.com/": page("", content_type=content_type, body=body)})
    assert site.check("https://example.com/").title == title


def test_non_html_is_ok_without_reading_the_body():
    served = []

    def body():
        for _ in range(1000):
            served.append(1)
            yield b"%PDF-" + b"\x00" * 65536

    site = Site(
        {
            "example.com/a.pdf": lambda r: httpx.Response(
                200, headers={"Content-Type": "application/pdf"}, content=body()
            )
        }
    )
    result = site.check("https://example.com/a.pdf")
    assert (result.ok, result.status, result.title) == (True, 200, None)
    assert len(served) <= 1


@pytest.mark.parametrize("status", [404, 410, 500, 503])
def test_http_errors(status):
    site = Site({"example.com/": page("<title>Lỗi</title>", status=status)})
    result = site.check("https://example.com/")
    assert (result.ok, result.status, result.title, result.code) == (
        False,
        status,
        None,
        "http_error",
    )
    assert result.error == f"Liên kết trả về mã lỗi {status}."
    assert result.final_url == "https://example.com/"


def test_unknown_path_is_404():
    result = Site({}).check("https://example.com/khong-co")
    assert (result.ok, result.status, result.error) == (False, 404, "Liên kết trả về mã lỗi 404.")


def test_redirect_chain_to_a_public_url():
    site = Site(
        {
            "example.com/old": redirect("/step", 301),
            "example.com/step": redirect("https://www.example.com/new?x=1", 307),
            "www.example.com/new?x=1": redirect("//docs.example.org/final", 308),
            "docs.example.org/final": page("<title>Đích</title>"),
        }
    )
    resolver = FakeResolver()
    result = site.check("http://example.com/old", resolve=resolver)
    assert (result.ok, result.status, result.title) == (True, 200, "Đích")
    assert result.final_url == "https://docs.example.org/final"
    assert [r.headers["host"] for r in site.requests] == [
        "example.com",
        "example.com",
        "www.example.com",
        "docs.example.org",
    ]
    assert [host for host, _port in resolver.calls] == [
        "example.com",
        "example.com",
        "www.example.com",
        "docs.example.org",
    ]
    assert "sni_hostname" not in site.requests[0].extensions  # plain http
    assert site.requests[-1].extensions["sni_hostname"] == "docs.example.org"


@pytest.mark.parametrize(
    "location",
    [
        "http://127.0.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://2130706433/admin",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://intranet.example.com/",
        "http://metadata.example.com/",
    ],
)
def test_redirect_to_an_internal_address_is_refused(location):
    site = Site({"example.com/": redirect(location)})
    result = site.check("https://example.com/")
    assert (result.ok, result.code, result.status) == (False, "private_address", None)
    assert "địa chỉ nội bộ" in result.error
    assert len(site.requests) == 1  # the internal address was never contacted
    assert result.final_url == validate_url(location)[0]


@pytest.mark.parametrize(
    ("location", "code"),
    [
        ("file:///etc/passwd", "scheme"),
        ("javascript:alert(1)", "scheme"),
        ("gopher://example.com/", "scheme"),
        ("https://user:pw@example.com/", "credentials"),
    ],
)
def test_redirect_to_a_bad_scheme_is_refused(location, code):
    site = Site({"example.com/": redirect(location)})
    result = site.check("https://example.com/")
    assert (result.ok, result.code) == (False, code)
    assert len(site.requests) == 1


def test_too_many_redirects():
    site = Site({f"example.com/{i}": redirect(f"/{i + 1}") for i in range(10)})
    result = site.check("https://example.com/0", max_redirects=3)
    assert (result.ok, result.code, result.status) == (False, "too_many_redirects", 302)
    assert len(site.requests) == 4  # the first request and three redirects
    assert result.final_url == "https://example.com/3"
    assert "3" in result.error


def test_redirect_loop_ends():
    site = Site({"example.com/a": redirect("/b"), "example.com/b": redirect("/a")})
    assert site.check("https://example.com/a").code == "too_many_redirects"
    assert len(site.requests) == 6


def test_cookies_are_kept_across_redirects():
    def login_wall(request):
        if "seen=1" in request.headers.get("cookie", ""):
            return page("<title>Vào được</title>")
        return httpx.Response(302, headers={"Location": "/", "Set-Cookie": "seen=1; Path=/"})

    site = Site({"example.com/": login_wall})
    assert site.check("https://example.com/").title == "Vào được"


@pytest.mark.parametrize(
    ("exception", "code", "words"),
    [
        (httpx.ReadTimeout("slow"), "timeout", "giây"),
        (httpx.ConnectTimeout("slow"), "timeout", "giây"),
        (httpx.ConnectError("refused"), "connect", "Không kết nối được"),
        (httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED]"), "tls", "Chứng chỉ"),
        (httpx.RemoteProtocolError("garbage"), "protocol", "Không đọc được"),
    ],
)
def test_network_problems_never_raise(exception, code, words):
    def fail(request):
        raise exception

    site = Site({"example.com/": fail})
    result = site.check("https://example.com/", timeout=3)
    assert (result.ok, result.status, result.code) == (False, None, code)
    assert words in result.error
    assert result.final_url == "https://example.com/"


def test_timeout_message_names_the_seconds():
    def slow(request):
        raise httpx.ReadTimeout("slow", request=request)

    result = Site({"example.com/": slow}).check("https://example.com/", timeout=2.5)
    assert result.error == "Trang không phản hồi kịp (quá 2,5 giây): hãy thử lại sau."


def test_huge_body_is_read_only_up_to_max_bytes():
    served = []

    def endless():
        yield "<html><head><title>Trang lớn</title></head><body>".encode()
        for _ in range(10_000):  # 640 MB if anyone read it all
            served.append(65536)
            yield b"x" * 65536

    site = Site({"example.com/": lambda r: page("", body=endless())})
    result = site.check("https://example.com/", max_bytes=200_000)
    assert (result.ok, result.title) == (True, "Trang lớn")
    assert sum(served) <= 200_000 + 65536


def test_title_beyond_max_bytes_is_not_seen():
    body = b"<html>" + b" " * 5000 + "<title>Muộn</title>".encode()
    site = Site({"example.com/": page("", body=body)})
    assert site.check("https://example.com/", max_bytes=1000).title is None
    assert site.check("https://example.com/", max_bytes=10_000).title == "Muộn"


@pytest.mark.parametrize(
    "url",
    ["https://intranet.example.com/", "https://mixed.example.com/", "https://mapped.example.com/"],
)
def test_private_resolution_is_refused_before_connecting(url):
    site = Site({})
    result = site.check(url)
    assert (result.ok, result.code, result.status) == (False, "private_address", None)
    assert "địa chỉ nội bộ" in result.error
    assert site.requests == []


@pytest.mark.parametrize(
    "url",
    [
        "http://2130706433/",
        "http://0x7f.1/",
        "http://0177.0.0.1/",
        "http://127.1/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:7f00:1]/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.1.2.3/",
        "http://100.64.0.1/",
        "http://0.0.0.0/",
        "http://[fe80::1]/",
        "http://[fd00::1]/",
    ],
)
def test_literal_internal_ips_are_refused_without_dns_or_connection(url):
    site = Site({})
    result = site.check(url, resolve=no_dns)
    assert (result.ok, result.code) == (False, "private_address")
    assert site.requests == []


def test_unknown_host_and_resolver_failures():
    site = Site({})
    result = site.check("https://khong-ton-tai.example/")
    assert (result.ok, result.code) == (False, "dns")
    assert "khong-ton-tai.example" in result.error

    def broken(*args, **kwargs):
        raise OSError("resolver down")

    assert site.check("https://example.com/", resolve=broken).code == "dns"
    assert site.check("https://example.com/", resolve=lambda *a, **k: []).code == "dns"
    assert site.requests == []


def test_invalid_url_is_a_result_not_an_exception():
    result = check_link("javascript:alert(1)", resolve=no_dns)
    assert (result.ok, result.code, result.final_url) == (False, "scheme", None)
    assert "http://" in result.error


def test_next_address_is_tried_when_the_first_refuses_connections():
    def handler(request):
        if request.url.host == "2606:2800:220:1:248:1893:25c8:1946":
            raise httpx.ConnectError("Network is unreachable")
        return page("<title>IPv4</title>")

    table = {"dual.example.com": ["2606:2800:220:1:248:1893:25c8:1946", "93.184.216.34"]}
    site = Site({"dual.example.com/": handler})
    result = site.check("https://dual.example.com/", resolve=FakeResolver(table))
    assert (result.ok, result.title) == (True, "IPv4")
    assert [r.url.host for r in site.requests] == [
        "2606:2800:220:1:248:1893:25c8:1946",
        "93.184.216.34",
    ]


def test_a_3xx_without_location_is_final():
    site = Site({"example.com/": httpx.Response(304)})
    result = site.check("https://example.com/")
    assert (result.ok, result.status) == (True, 304)
