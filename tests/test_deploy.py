"""The production configuration: docker-compose and `check --deploy` (no Docker engine here)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "x" * 20 + "-production-like-secret-key-with-enough-entropy-0123456789",
    "DJANGO_DEBUG": "0",
    "DJANGO_HTTPS": "1",
    "DJANGO_ALLOWED_HOSTS": "portaal.example.nl",
    "DJANGO_PORTAL_URL": "https://portaal.example.nl",
}


def test_compose_runs_postgres_and_gunicorn_with_required_settings():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    always = {name for name, service in services.items() if "profiles" not in service}
    assert always == {"db", "migrate", "web", "worker", "proxy"}
    assert services["db"]["image"].startswith("postgres:")
    web = services["web"]
    env = web["environment"]
    for name in ["DATABASE_URL", "DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"]:
        assert name in env
    assert env["DATABASE_URL"].startswith("postgres://") and "@db:5432/" in env["DATABASE_URL"]
    assert env["DJANGO_DEBUG"] == "0" and env["DJANGO_HTTPS"] == "1"
    assert "gunicorn smartdelta.wsgi" in web["command"] and "check --deploy" in web["command"]
    # Migrations run once, before the app servers and the worker, never by two replicas at once.
    migrate = services["migrate"]
    assert "migrate --noinput" in migrate["command"] and "migrate" not in web["command"]
    assert migrate["depends_on"]["db"]["condition"] == "service_healthy"
    for name in ["web", "worker"]:
        assert services[name]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"
        )
        assert services[name]["environment"] == env
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "collectstatic --noinput" in dockerfile


def test_compose_scales_web_behind_a_proxy_with_a_task_worker():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert services["web"]["deploy"]["replicas"] == 2
    assert "ports" not in services["web"]  # only the proxy is published
    assert "db_worker" in services["worker"]["command"]
    assert "--no-reload" in services["worker"]["command"]
    proxy_conf = compose["configs"]["proxy_conf"]["content"]
    assert "server web:8000 resolve;" in proxy_conf and "proxy_buffering off;" in proxy_conf
    # Compose substitutes $name itself; nginx variables must be written $$name.
    assert "$host" not in proxy_conf.replace("$$host", "")
    assert services["proxy"]["ports"] == ["127.0.0.1:8000:8000"]


def test_check_deploy_is_clean_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for themselves; production never does.
        env={
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            **PRODUCTION_ENV,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_vendored_front_end_files_carry_their_licences():
    for folder in ["vendor/utrecht", "vendor/voorbeeld-design-tokens", "vendor/noto-sans"]:
        path = ROOT / "static" / folder
        assert any(p.name.startswith("LICENSE") for p in path.iterdir()), folder
    assert (ROOT / "tests/browser/vendor/axe-core/LICENSE").exists()


def test_check_deploy_refuses_production_without_two_factor():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            **PRODUCTION_ENV,
            "DJANGO_OTP_REQUIRED": "0",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "smartdelta.E001" in result.stderr + result.stdout


@pytest.mark.parametrize("portal_url", [None, "", "http://portaal.example.nl", "https://"])
def test_check_deploy_refuses_production_without_its_https_address_for_mails(portal_url):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        **PRODUCTION_ENV,
    }
    if portal_url is None:
        del env["DJANGO_PORTAL_URL"]
    else:
        env["DJANGO_PORTAL_URL"] = portal_url
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "smartdelta.E002" in result.stderr + result.stdout
    assert "DJANGO_PORTAL_URL" in result.stderr + result.stdout


def test_compose_and_make_run_give_the_portal_its_own_address():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    env = compose["services"]["web"]["environment"]
    assert env["DJANGO_PORTAL_URL"] == "${DJANGO_PORTAL_URL:?set DJANGO_PORTAL_URL}"
    assert compose["services"]["worker"]["environment"] == env
    assert "DJANGO_PORTAL_URL" in (ROOT / "Makefile").read_text()
    assert "DJANGO_PORTAL_URL" in (ROOT / "README.md").read_text()


def test_meeting_papers_live_on_a_shared_volume_that_nginx_does_not_serve():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    web = compose["services"]["web"]
    root = web["environment"]["PAPERS_ROOT"]
    assert f"papers:{root}" in web["volumes"] and "papers" in compose["volumes"]
    proxy_conf = compose["configs"]["proxy_conf"]["content"]
    # nginx only proxies: no alias or root that could hand out the papers' folder.
    assert "alias" not in proxy_conf and "root " not in proxy_conf
    # A 20 MB paper plus its form gets through the proxy.
    assert "client_max_body_size 25m;" in proxy_conf
    assert "mkdir -p /app/var/papers" in (ROOT / "Dockerfile").read_text()
    # The folder is the default; the object store is chosen, not fallen into.
    assert web["environment"]["PAPERS_STORAGE"] == "${PAPERS_STORAGE:-local}"


def test_papers_can_live_in_minio_behind_the_s3_profile():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    env = services["web"]["environment"]
    assert services["minio"]["profiles"] == ["s3"] == services["minio-bucket"]["profiles"]
    assert "ports" not in services["minio"]  # only the portal reaches it
    assert env["AWS_S3_ENDPOINT_URL"] == "${AWS_S3_ENDPOINT_URL:-http://minio:9000}"
    minio_env = services["minio"]["environment"]
    assert minio_env["MINIO_ROOT_USER"] == env["AWS_ACCESS_KEY_ID"]
    assert minio_env["MINIO_ROOT_PASSWORD"] == env["AWS_SECRET_ACCESS_KEY"]
    # Without the profile the web servers start as before; with it, after the bucket exists.
    bucket = services["web"]["depends_on"]["minio-bucket"]
    assert bucket == {"condition": "service_completed_successfully", "required": False}
    assert "mc mb --ignore-existing" in services["minio-bucket"]["entrypoint"]


def storage_settings(**env) -> subprocess.CompletedProcess:
    """The "papers" storage and the model field's, as a fresh process configures them."""
    script = (
        "import django; django.setup()\n"
        "from django.core.files.storage import storages\n"
        "from meetings.models import MeetingPaper\n"
        "papers = storages['papers']\n"
        "field = MeetingPaper._meta.get_field('file').storage\n"
        "print(type(papers).__name__, field._wrapped is papers,"
        " getattr(papers, 'endpoint_url', None), getattr(papers, 'bucket_name', None),"
        " getattr(papers, 'addressing_style', None))\n"
    )
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "smartdelta.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_papers_storage_is_the_folder_by_default_and_s3_when_chosen():
    local = storage_settings()
    assert local.stdout.split() == ["PapersStorage", "True", "None", "None", "None"], local.stderr
    s3 = storage_settings(
        PAPERS_STORAGE="s3",
        AWS_S3_ENDPOINT_URL="http://minio:9000",
        AWS_STORAGE_BUCKET_NAME="stukken",
        AWS_S3_ADDRESSING_STYLE="path",
    )
    assert s3.stdout.split() == ["S3Storage", "True", "http://minio:9000", "stukken", "path"], (
        s3.stderr
    )
    wrong = storage_settings(PAPERS_STORAGE="minio")
    assert wrong.returncode != 0 and "PAPERS_STORAGE is 'local' or 's3'" in wrong.stderr
    # The field's storage is a callable: no backend in the migrations, whichever is chosen.
    for env in ({}, {"PAPERS_STORAGE": "s3"}):
        result = subprocess.run(
            [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
            cwd=ROOT,
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stdout + result.stderr
