# The README's two commands: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
STAMP := $(VENV)/.installed
SPEC := $(VENV)/share/commonmark/spec.json
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint bench bench-latency bench-search bench-mail bench-digest browser-deps messages

$(STAMP): setup.cfg pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=23.2"
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Links in mail and the printed log-in address follow HOST and PORT (forum/config.py), unless FORUM_BASE_URL is set.
run: export FORUM_HOST = $(HOST)
run: export FORUM_PORT = $(PORT)
run: $(STAMP)
	$(FLASK) db upgrade
	$(FLASK) forum load-demo --if-empty
	$(FLASK) forum search-reindex --if-missing
	$(FLASK) forum serve --host $(HOST) --port $(PORT)

# The CommonMark spec examples ship in markdown-it-py's source archive, not in its wheel.
$(SPEC): $(STAMP)
	@mkdir -p $(dir $@)
	-@$(PY) tests/tools/fetch_commonmark_spec.py $@

# Browser tests drive Debian's Chromium; install it when we can (root on Debian), else they skip.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || \
		echo "Chromium is not installed and cannot be installed here: browser tests will be skipped."; }

test: $(STAMP) $(SPEC) browser-deps
	$(VENV)/bin/ruff check forum tests bench
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check forum tests bench
	$(VENV)/bin/lint-imports --no-cache

bench: $(STAMP)
	$(PY) bench/topic_pages.py

# Topic page p50/p99 under gunicorn -w 2 (and the worker) while members post (about 4 minutes with the index build).
bench-latency: $(STAMP)
	$(PY) bench/latency.py

# Search at 100,000 posts: reindex, query latency, incremental indexing (about 17 minutes).
bench-search: $(STAMP)
	$(PY) bench/search.py

# Outbox delivery to a local aiosmtpd server: messages/second for 2,000 messages (DATABASE_URL for PostgreSQL).
bench-mail: $(STAMP)
	$(PY) bench/outbox.py

# A digest run for 5,000 members over 20,000 posts: time and SQL statements (DATABASE_URL for PostgreSQL).
bench-digest: $(STAMP)
	$(PY) bench/digest.py

# Extract user-facing text for translators (forum/translations/messages.pot).
messages: $(STAMP)
	@mkdir -p forum/translations
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -o forum/translations/messages.pot forum
