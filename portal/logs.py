"""One JSON object a line for every log record (Django, Celery and gunicorn use the same formatter)."""

JSON_LOG_FORMATTER = {
    "()": "pythonjsonlogger.json.JsonFormatter",
    "fmt": "%(levelname)s %(name)s %(process)d %(message)s",
    "rename_fields": {"levelname": "level", "name": "logger", "process": "pid"},
    "timestamp": "time",  # ISO 8601 in UTC, whatever the process's time zone
    "json_ensure_ascii": False,
}
