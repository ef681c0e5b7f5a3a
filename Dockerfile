# Production image: gunicorn serving the portal; static files collected at build time.
FROM python:3.12-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
# Pango/HarfBuzz/fontconfig for WeasyPrint, DejaVu as fallback font, pg_dump for backups.
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core postgresql-client \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml ./
COPY smartdelta ./smartdelta
COPY portfolio ./portfolio
COPY tables ./tables
COPY meetings ./meetings
COPY finance ./finance
RUN pip install --no-cache-dir .
COPY . .
RUN DJANGO_SECRET_KEY=build-only python manage.py collectstatic --noinput
# var/papers: the meeting papers' volume mounts here and takes this owner when first created.
RUN useradd --system portal && mkdir -p /app/var/papers && chown -R portal /app
USER portal
EXPOSE 8000
CMD ["gunicorn", "smartdelta.wsgi", "--config", "gunicorn.conf.py"]
