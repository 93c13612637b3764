"""deploy/ as an operator installs it: nginx (Debian's) checks and runs the example site in front of gunicorn with a
certificate made here, and systemd checks the unit files."""

import http.client
import http.cookiejar
import re
import shutil
import ssl
import subprocess
import urllib.parse
import urllib.request

import pytest

from portal.audit.models import AuditAction, AuditEvent

from .production_shape import environment, free_port, get, prepare, serve, wait_for
from .worker_process import BASE_DIR, stop

DEPLOY = BASE_DIR / "deploy"
SITE = DEPLOY / "nginx-portal.conf"


def nginx():
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    assert found, "nginx is not installed: scripts/setup.sh --dev installs nginx-light"
    return found


def certificate(folder):
    """A self-signed certificate for the site's name, as the operator's would be at /etc/ssl/portal."""
    key, chain = folder / "privkey.pem", folder / "fullchain.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=portal.example.gov.cn"]
        + ["-keyout", str(key), "-out", str(chain)],
        check=True,
        capture_output=True,
    )
    return chain, key


def replaced(text, pattern, replacement):
    changed, count = re.subn(pattern, replacement, text, flags=re.MULTILINE)
    assert count, f"deploy/nginx-portal.conf no longer has {pattern!r}: update this test with it"
    return changed


def site_with_certificate(folder):
    chain, key = certificate(folder)
    text = replaced(SITE.read_text(), r"/etc/ssl/portal/fullchain\.pem", str(chain))
    return replaced(text, r"/etc/ssl/portal/privkey\.pem", str(key))


def nginx_conf(folder, site):
    """A main nginx.conf around the site, as Debian's includes sites-enabled/ in its http block; everything nginx
    writes stays in `folder`, and it runs as one foreground process of the test's user."""
    (folder / "portal.conf").write_text(site)
    kinds = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    temp = "\n".join(f"    {kind}_temp_path {folder}/{kind};" for kind in kinds)
    conf = folder / "nginx.conf"
    conf.write_text(
        f"""daemon off;
master_process off;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{}}
http {{
    access_log {folder}/access.log;
{temp}
    include {folder}/portal.conf;
}}
"""
    )
    return ["-p", str(folder), "-c", str(conf), "-e", str(folder / "error.log")]


def test_the_example_site_passes_nginx_own_check(tmp_path):
    checked = subprocess.run(
        [nginx(), "-t", *nginx_conf(tmp_path, site_with_certificate(tmp_path))], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
    assert "syntax is ok" in checked.stderr and "test is successful" in checked.stderr


def test_the_unit_files_pass_systemd_own_check(tmp_path):
    for unit in [*DEPLOY.glob("*.service"), *DEPLOY.glob("*.target")]:
        (tmp_path / unit.name).write_text(unit.read_text().replace("/opt/portal", str(BASE_DIR)))
    units = sorted(str(path) for path in tmp_path.iterdir())
    verified = subprocess.run(["systemd-analyze", "verify", *units], capture_output=True, text=True, timeout=120)
    assert (verified.returncode, verified.stderr) == (0, ""), verified.stderr


def post_login(port, tls, forged_address):
    """A wrong password over HTTPS through the proxy, the client claiming another address."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(
        urllib.request.HTTPSHandler(context=tls), urllib.request.HTTPCookieProcessor(jar)
    )
    base = f"https://127.0.0.1:{port}"
    with opener.open(urllib.request.Request(f"{base}/login/", headers={"Host": "127.0.0.1"}), timeout=10) as page:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.read().decode()).group(1)
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": "jn_head", "password": "wrong-guess-1"})
    headers = {"Host": "127.0.0.1", "Referer": f"{base}/login/", "X-Forwarded-For": forged_address}
    with opener.open(urllib.request.Request(f"{base}/login/", form.encode(), headers), timeout=10) as answer:
        assert answer.status == 200 and "登录" in answer.read().decode()  # the form again, with its message


def upload_answer(port, tls, size):
    """What the proxy answers a POST announcing `size` bytes (it refuses by the announcement alone)."""
    connection = http.client.HTTPSConnection("127.0.0.1", port, context=tls, timeout=10)
    try:
        connection.putrequest("POST", "/login/", skip_host=True)
        connection.putheader("Host", "127.0.0.1")
        connection.putheader("Content-Type", "application/octet-stream")
        connection.putheader("Content-Length", str(size))
        connection.endheaders()
        if size < 2 * 1024 * 1024:
            connection.send(b"x" * size)
        return connection.getresponse().status
    finally:
        connection.close()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_example_site_proxies_to_gunicorn_with_the_client_address_and_the_upload_limit(tmp_path, people):
    """HTTPS only; the portal records the address the proxy saw, not the one a client wrote into X-Forwarded-For;
    a body over client_max_body_size (21 MB) is refused by the proxy, a smaller one reaches the portal."""
    web_port, https_port, http_port = free_port(), free_port(), free_port()
    # the site's own address, as the operator's https://portal.example.gov.cn would be
    origin = {"CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{https_port}"}
    shape = environment(tmp_path) | {"TRUSTED_PROXIES": "127.0.0.1"} | origin
    prepare(shape)
    site = site_with_certificate(tmp_path)
    site = replaced(site, r"^\s*listen \[::\]:.*\n", "")  # the test listens on 127.0.0.1 alone
    site = replaced(site, r"listen 80;", f"listen 127.0.0.1:{http_port};")
    site = replaced(site, r"listen 443 ", f"listen 127.0.0.1:{https_port} ")
    site = replaced(site, r"server 127\.0\.0\.1:8000;", f"server 127.0.0.1:{web_port};")
    web = serve("web", shape | {"PORTAL_BIND": f"127.0.0.1:{web_port}", "WEB_CONCURRENCY": "1"})
    proxy = subprocess.Popen(
        [nginx(), *nginx_conf(tmp_path, site)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=tmp_path
    )
    tls = ssl.create_default_context(cafile=str(tmp_path / "fullchain.pem"))
    tls.check_hostname = False
    try:
        assert wait_for(f"http://127.0.0.1:{web_port}/healthz/", web)[0] == 200
        assert wait_for(f"http://127.0.0.1:{http_port}/login/", proxy)[0] == 301  # plain HTTP: sent to HTTPS
        status, headers, page = get(f"https://127.0.0.1:{https_port}/login/", tls)
        assert status == 200 and "登录" in page, page  # X-Forwarded-Proto: https, from the proxy
        assert "Strict-Transport-Security" in headers
        assert get(f"https://127.0.0.1:{https_port}/readyz/", tls)[0] == 200  # the probes answer this machine

        post_login(https_port, tls, forged_address="203.0.113.9")
        failed = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).latest("at")
        assert failed.ip == "127.0.0.1"  # the address the proxy saw; the forged entry was replaced

        assert upload_answer(https_port, tls, 22 * 1024 * 1024) == 413  # over client_max_body_size 21m
        assert upload_answer(https_port, tls, 1024 * 1024) == 403  # passed on: the portal's CSRF check answers
    finally:
        proxy.terminate()
        proxy_log = proxy.communicate(timeout=30)[0].decode(errors="replace")
        web_log = stop(web)
    assert "[emerg]" not in proxy_log + (tmp_path / "error.log").read_text(), proxy_log
    forwarded = [line for line in web_log.splitlines() if '"POST /login/' in line]
    assert forwarded and all("203.0.113.9" not in line for line in forwarded), web_log
