"""gunicorn's settings for `make serve` (read from the working directory by gunicorn).

Every value can be overridden from the environment (the names below) or gunicorn's own
command line. See the README, "Production server".
"""

import multiprocessing
import os

wsgi_app = "archive_corpus.wsgi:application"
bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")

# Synchronous workers, two per core and one more (gunicorn's own advice): each holds one
# request at a time, so a slow client or page never blocks another worker's visitors.
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"

# A worker silent for this long is killed and replaced. Database statements stop at
# DJANGO_STATEMENT_TIMEOUT_MS (5 s) long before; the margin is for the CSV export of a
# whole large list, which streams for longer than any page.
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 120)
graceful_timeout = 30
keepalive = 5

# Recycle workers now and then, so a slow leak can never grow without bound.
max_requests = 2000
max_requests_jitter = 200

# Requests: gunicorn's defaults bound the request line (4094 bytes) and headers.
limit_request_line = 4094
limit_request_fields = 100

# Access log on standard output with the time each request took (microseconds, %(D)s);
# errors and tracebacks on standard error.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(D)sus "%(a)s"'

# No control socket: it would sit in the home directory, shared by every gunicorn there.
control_socket_disable = True

# Behind a reverse proxy on this host: trust its X-Forwarded-Proto (see the README on
# SECURE_PROXY_SSL_HEADER). Set FORWARDED_ALLOW_IPS to the proxy's address otherwise.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
