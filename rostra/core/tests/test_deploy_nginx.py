"""Debian's nginx with deploy/nginx/rostra.conf in front of a real `rostra serve`.

The site file is used as shipped, with only its ports and paths changed (and nginx
listening on loopback). Readers connect from loopback addresses of their own, so the
address nginx forwards in X-Forwarded-For is theirs; Rostra trusts 127.0.0.1, where
nginx connects from, as deploy/rostra.env.example says.
"""

import functools
import http.client
import http.cookiejar
import json
import os
import re
import shutil
import subprocess
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from rostra.config.env import child_environment
from rostra.core.testing import (
    ROSTRA,
    csrf_token,
    free_port,
    multipart,
    rostra_setup,
    sign_in_to_admin,
    stop,
    wait_until_healthy,
)

pytestmark = pytest.mark.sqlite_site
REPO = Path(__file__).resolve().parents[3]
SITE_FILE = REPO / "deploy" / "nginx" / "rostra.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
ARTICLE = "/city/ferry-timetable-to-change-as-the-second-vessel-returns-from-refit/"
COMMENT_LIMIT = 2
UPLOAD_BYTES = 20 * 1024 * 1024


@dataclass
class Site:
    url: str  # nginx's address
    data_dir: Path
    admin_password: str


def render(text: str, replacements: dict[str, str]) -> str:
    for shipped, here in replacements.items():
        assert shipped in text, f"{shipped!r} is no longer in the file: update this test"
        text = text.replace(shipped, here)
    return text


def _nginx_conf(root: Path, site_file: Path) -> str:
    """The main configuration Debian's /etc/nginx/nginx.conf would be, kept in `root`."""
    temp = "\n".join(
        f"    {kind}_temp_path {root / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""
{"user root;" if os.geteuid() == 0 else ""}
worker_processes 1;
pid {root / "nginx.pid"};
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
{temp}
    include {site_file};
}}
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    if not Path(NGINX).exists():
        pytest.fail("Debian's nginx is missing: run `make test` or apt-get install nginx")
    root = tmp_path_factory.mktemp("behind-nginx")
    data_dir = root / "data"
    rostra_port, nginx_port = free_port(), free_port()
    url = f"http://127.0.0.1:{nginx_port}"
    child_env = child_environment(
        ROSTRA_DATA_DIR=str(data_dir),
        ROSTRA_BASE_URL=url,
        EMAIL_URL="dummy:",
        ROSTRA_TRUSTED_PROXIES="127.0.0.1",
        ROSTRA_COMMENT_RATE_LIMIT=f"{COMMENT_LIMIT}/600",
        ROSTRA_COMMENT_MIN_SECONDS="0",
    )
    password = rostra_setup(child_env, "--demo")

    site_file = root / "rostra.conf"
    site_file.write_text(
        render(
            SITE_FILE.read_text(),
            {
                "127.0.0.1:8000": f"127.0.0.1:{rostra_port}",
                "listen 80;": f"listen 127.0.0.1:{nginx_port};",
                "/var/lib/rostra": str(data_dir),
            },
        )
    )
    (root / "nginx.conf").write_text(_nginx_conf(root, site_file))

    serve_log, nginx_log = root / "serve.log", root / "nginx.log"
    with open(serve_log, "w") as log:
        server = subprocess.Popen(
            [*ROSTRA, "serve", "--no-worker", "--port", str(rostra_port)],
            env=child_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    nginx = None
    try:
        wait_until_healthy(f"http://127.0.0.1:{rostra_port}", server, serve_log)
        with open(nginx_log, "w") as log:
            nginx = subprocess.Popen(
                [NGINX, "-p", root, "-c", root / "nginx.conf", "-e", "stderr", "-g", "daemon off;"],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_until_healthy(url, nginx, nginx_log)
        yield Site(url, data_dir, password)
    finally:
        if nginx is not None:
            stop(nginx)
        stop(server)


class _FromAddress(urllib.request.HTTPHandler):
    """Connects from a loopback address of its own, as a reader on another machine."""

    def __init__(self, source: str):
        super().__init__()
        self.source = source

    def http_open(self, req):
        connection = functools.partial(http.client.HTTPConnection, source_address=(self.source, 0))
        return self.do_open(connection, req)


def reader(source: str = "127.0.0.1") -> urllib.request.OpenerDirector:
    """A browser of its own (cookies) at the address `source`."""
    jar = urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    return urllib.request.build_opener(_FromAddress(source), jar)


def _live_box(site: Site, browser) -> tuple[str, str]:
    """(article id, last event id) of the article's live box."""
    html = browser.open(site.url + ARTICLE).read().decode()
    return (
        re.search(r'data-article="(\d+)"', html).group(1),
        re.search(r'data-since="([^"]*)"', html).group(1),
    )


def _post_comment(site: Site, browser, article: str, body: str) -> tuple[int, dict]:
    token = json.load(browser.open(site.url + "/api/csrf"))["csrf_token"]
    request = urllib.request.Request(
        site.url + "/api/comments",
        json.dumps({"thread": f"article:{article}", "body": body, "name": "Reader"}).encode(),
        {"Content-Type": "application/json", "X-CSRFToken": token},
    )
    try:
        with browser.open(request) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_pages_and_static_files_are_served_through_nginx(site):
    """Pages come from Rostra; static files from nginx, hashed names cached for a year."""
    with reader().open(site.url + ARTICLE) as response:
        assert response.status == 200
        page = response.read().decode()
    assert "data-live" in page
    stylesheet = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', page).group(1)
    with reader().open(site.url + stylesheet) as response:
        assert response.status == 200
        assert "immutable" in response.headers["Cache-Control"]
        assert response.headers["Server"].startswith("nginx")


def test_live_events_pass_through_nginx_unbuffered(site):
    """A comment posted after the stream opened arrives while the stream is still open."""
    article, since = _live_box(site, reader())
    port = int(site.url.rsplit(":", 1)[1])
    stream = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        stream.request("GET", f"/live/articles/{article}/", headers={"Last-Event-ID": since})
        response = stream.getresponse()
        assert response.status == 200
        assert response.readline() == b"retry: 2000\n"

        status, comment = _post_comment(site, reader("127.0.0.13"), article, "Live via nginx")
        assert status == 201, comment
        while True:
            line = response.readline().decode()  # times out after 10 s if nginx buffers
            if line.startswith("data: ") and json.loads(line[6:])["comment"] == comment["id"]:
                break
    finally:
        stream.close()


def test_each_readers_address_reaches_the_comment_rate_limit(site):
    """Two readers at different addresses each get their own limit; a reader at an
    address that used it up is limited, even with a new cookie."""
    article, _ = _live_box(site, reader())
    first, second, first_again = reader("127.0.0.11"), reader("127.0.0.12"), reader("127.0.0.11")
    statuses = [
        _post_comment(site, first, article, f"First reader, comment {n}")[0]
        for n in range(COMMENT_LIMIT + 1)
    ]
    assert statuses == [201] * COMMENT_LIMIT + [429]
    assert _post_comment(site, second, article, "Second reader")[0] == 201
    assert _post_comment(site, first_again, article, "First reader, new cookie")[0] == 429


def test_a_20_mb_import_upload_passes_nginx(site):
    """The admin's import form takes a 20 MB export through the proxy (kept, unimported:
    this server runs no worker)."""
    admin = reader()
    sign_in_to_admin(admin, site.url, site.admin_password)
    import_page = admin.open(site.url + "/admin/import/").read().decode()
    body, content_type = multipart(
        {"csrfmiddlewaretoken": csrf_token(import_page)},
        name="file",
        filename="big-export.xml",
        content=b"<rss>" + b" " * UPLOAD_BYTES + b"</rss>",
    )
    upload = urllib.request.Request(
        site.url + "/admin/import/", body, {"Content-Type": content_type}
    )
    with admin.open(upload) as response:
        assert re.search(r"/admin/import/\d+/$", response.url), response.url
    [stored] = (site.data_dir / "private").rglob("big-export*.xml")
    assert stored.stat().st_size > UPLOAD_BYTES
