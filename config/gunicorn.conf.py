"""gunicorn settings; override any of them with GUNICORN_CMD_ARGS."""

import os

bind = os.environ.get("REDRESS_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("REDRESS_WEB_WORKERS", "3"))
threads = int(os.environ.get("REDRESS_WEB_THREADS", "4"))
timeout = 120
accesslog = "-"
forwarded_allow_ips = os.environ.get("REDRESS_FORWARDED_ALLOW_IPS", "127.0.0.1")
