# The commands of the content model. `make html` sets everything up on first run.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PELICAN := $(BIN)/pelican
export PYTHONPATH := $(CURDIR)/plugins
export PYTHONDONTWRITEBYTECODE := 1

OUTPUTDIR := output
# The repository whose content/ is built and deployed (its own git repository for `make github`).
SITE_ROOT ?= .
PORT ?= 8000
FORMAT ?= text
FILES ?=
# The files a pull request changes (`git diff -z --name-only`): FORMAT=github annotates only them.
CHANGED ?=
SECTION ?= news
COLUMN ?=
TITLE ?=
PHOTOS ?=
DEPARTMENT ?=
GITHUB_PAGES_BRANCH ?= gh-pages
GITHUB_PAGES_REMOTE ?= origin
# The office's own web server, for `make rsync_upload` and `make release` (see docs/部署指南.md).
SSH_HOST ?= www.example.org
SSH_PORT ?= 22
SSH_USER ?= deploy
SSH_TARGET_DIR ?= /var/www/site
RSYNC_SHELL ?= ssh -p $(SSH_PORT)
DEPLOY ?= rsync_upload
# make release DRY_RUN=1: say what a release would do and check that it could, changing nothing.
DRY_RUN ?=
# The example server (and any reserved example domain, RFC 2606) is refused: a deploy there can only fail or leak.
REFUSE_EXAMPLE_HOST = case "$(SSH_HOST)" in ""|example.org|*.example.org|example.com|*.example.com|example.net|*.example.net|*.example|*.invalid|*.test) echo "SSH_HOST 还是示例服务器“$(SSH_HOST)”：请在 Makefile 中或命令行上设为本单位的服务器（make golive-check 列出全部待改设置，见 docs/部署指南.md）。 SSH_HOST is the example server: set it to the office's own."; exit 1;; esac
CMS_PORT ?= 8081
CMS_BACKEND ?= github
YEAR ?=
FEED ?=
# 三审: `make approve STAGE=… FILES=…`; `make check ATTEST=1 BASE=<commit>|deployed [APPROVALS=<file>]`
STAGE ?=
ATTEST ?=
BASE ?=
APPROVALS ?=
SIZES ?= 1000 5000
RUNS ?= 3

.PHONY: help setup setup-dev html publish check fix serve devserver new github rsync_upload release golive-check codeowners linkcheck report sync lighthouse screenshots cms cms-config bench test lint clean approve audit

help:
	@echo "make html      构建预览站点 build the preview site (sets up .venv on first run)"
	@echo "make publish   正式构建 production build (SITE_NOW='YYYY-MM-DD HH:MM' to set the time)"
	@echo "make check     检查稿件 check the content (FILES=… FORMAT=text|github|json)"
	@echo "make serve     本地预览 serve output/ on http://localhost:$(PORT)"
	@echo "make devserver 修改后自动更新预览 keep the site in memory, apply each change and serve"
	@echo "make new       新建稿件 new draft: make new TITLE=标题 DEPARTMENT=单位 [SECTION=news or COLUMN=id] [PHOTOS=\"a.jpg b.jpg\"]"
	@echo "make approve   签署审核 sign an approval: make approve STAGE=first|second|final FILES=…"
	@echo "make audit     三审记录 who approved what: make audit YEAR=2020 (writes audit-2020.csv)"
	@echo "make fix       修正中文排版 apply the safe copy-style fixes (FILES=…) and show the diff"
	@echo "make github    发布到 gh-pages deploy a publish build with ghp-import"
	@echo "make rsync_upload 发布到本单位服务器 deploy a publish build with rsync"
	@echo "make release   拉取、构建、发布（供定时任务） pull, publish and deploy, for cron (DRY_RUN=1: check only)"
	@echo "make golive-check 上线检查 list every setting still at its example value"
	@echo "make codeowners 为每个路径指定审核人 write .github/CODEOWNERS: editors, the office, the maintainers"
	@echo "make linkcheck 检查 output/ 中的站内链接 check the built site's links"
	@echo "make report    稿件统计 a year's statistics (YEAR=2020, default: the latest with data; FORMAT=csv|csv-zh)"
	@echo "make sync      同步下级网站稿件 import a sub-site feed as drafts: make sync FEED=<url> DEPARTMENT=<id> [SECTION=jiceng]"
	@echo "make test      运行全部测试 run every test"
	@echo "make lighthouse 对首页和稿件页运行 Lighthouse run Lighthouse over the built site"
	@echo "make screenshots 重新生成 docs/screenshots/ every page type at 375 and 1280 px, 长辈模式 too"
	@echo "make cms       网页编辑（本地）local web editor at http://127.0.0.1:$(PORT)/admin/"
	@echo "make cms-config 生成网页编辑器配置 write the editor's config (CMS_BACKEND=github|local)"

# What builds the site (requirements.txt); the tests, linters and benchmark add requirements-dev.txt.
$(BIN)/.installed: requirements.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(BIN)/.installed-dev: $(BIN)/.installed requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

setup: $(BIN)/.installed

setup-dev: $(BIN)/.installed-dev

# A build needs only the web editor's bundle: decap-cms alone, checked against package-lock.json's integrity.
node_modules/.installed: package.json package-lock.json
	@$(PY) scripts/editor_bundle.py
	@touch $@

# make cms and make test need the rest of the lock: decap-server and the Nu Html Checker. npm ci starts from an empty
# node_modules and installs everything, the editor included. Its peer-dependency notes are warnings: left unsaid.
node_modules/.installed-dev: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch node_modules/.installed $@

html: setup node_modules/.installed
	$(PELICAN) $(SITE_ROOT)/content -s pelicanconf.py -o $(OUTPUTDIR)

# output/.publish.json marks a publish build for deployment (docs/部署指南.md). Every build removes it as it starts;
# it is sealed last, once every step before it succeeded.
publish: setup node_modules/.installed
	@$(BIN)/python -m publish_guard forget --output $(OUTPUTDIR)
	$(BIN)/python -m content_model.check --root $(SITE_ROOT) --format text
	$(PELICAN) $(SITE_ROOT)/content -s publishconf.py -o $(OUTPUTDIR)
	@$(BIN)/python -m publish_guard seal --output $(OUTPUTDIR)

fix: setup
	@$(BIN)/python -m content_model.fix --files "$(FILES)"

check: setup
	@GITHUB_PAGES_REMOTE=$(GITHUB_PAGES_REMOTE) GITHUB_PAGES_BRANCH=$(GITHUB_PAGES_BRANCH) $(BIN)/python -m content_model.check --format "$(FORMAT)" --files "$(FILES)" --changed "$(CHANGED)" --attest "$(ATTEST)" --base "$(BASE)" --approvals "$(APPROVALS)"

approve: setup
	@$(BIN)/python -m content_model.approve --root "$(SITE_ROOT)" --stage "$(STAGE)" --files "$(FILES)"

audit: setup
	@$(BIN)/python -m content_model.audit --root "$(SITE_ROOT)" --year "$(YEAR)" --approvals "$(APPROVALS)"

serve: setup
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory $(OUTPUTDIR)

devserver: setup node_modules/.installed
	$(BIN)/python -m devserver --content $(SITE_ROOT)/content --settings pelicanconf.py --output $(OUTPUTDIR) --port $(PORT)

new: setup
	@$(BIN)/python -m content_model.scaffold --root "$(SITE_ROOT)" --section "$(SECTION)" --column "$(COLUMN)" --department "$(DEPARTMENT)" --port "$(PORT)"

# Both deploy only a marked publish build of the commit the repository is at, whose content passes the check again.
github: setup
	$(BIN)/python -m publish_guard verify --output $(OUTPUTDIR) --root $(SITE_ROOT)
	message="发布 Publish: $$($(BIN)/python -m publish_guard describe --output $(OUTPUTDIR))" && cd $(SITE_ROOT) && \
	$(CURDIR)/$(BIN)/ghp-import -m "$$message" -b $(GITHUB_PAGES_BRANCH) -r $(GITHUB_PAGES_REMOTE) -p -n $(abspath $(OUTPUTDIR))

rsync_upload: setup
	@$(REFUSE_EXAMPLE_HOST)
	$(BIN)/python -m publish_guard verify --output $(OUTPUTDIR) --root $(SITE_ROOT)
	rsync -e "$(RSYNC_SHELL)" -P -rvzc --cvs-exclude --delete "$(OUTPUTDIR)"/ "$(SSH_USER)@$(SSH_HOST):$(SSH_TARGET_DIR)"

# For a cron job on the office's server: a unified release time needs a clock better than GitHub's schedule.
# DEPLOY is one of the two targets above, which verify the build they deploy. Every item changed since the last
# deploy must carry its signed approvals; the deployed commit is then recorded beside the checkout. A run whose pull
# brought nothing, with nothing come due since the last deploy (publish_guard due), stops after the pull.
release:
ifdef DRY_RUN
	@$(MAKE) --no-print-directory setup
	@$(BIN)/python -m golive.release --root "$(SITE_ROOT)" --deploy "$(DEPLOY)" --ssh-host "$(SSH_HOST)" --ssh-user "$(SSH_USER)" --ssh-port "$(SSH_PORT)" --rsync-shell "$(RSYNC_SHELL)" --ssh-target-dir "$(SSH_TARGET_DIR)" --pages-remote "$(GITHUB_PAGES_REMOTE)" --pages-branch "$(GITHUB_PAGES_BRANCH)"
else
	@case "$(DEPLOY)" in github|rsync_upload) ;; *) echo "DEPLOY 只能是 github 或 rsync_upload，现在是“$(DEPLOY)”。 DEPLOY must be github or rsync_upload, not $(DEPLOY)."; exit 2;; esac
	@[ "$(DEPLOY)" != rsync_upload ] || { $(REFUSE_EXAMPLE_HOST) }
	flock -n .release.lock sh -c 'git pull --ff-only && { $(BIN)/python -m publish_guard due --root $(SITE_ROOT) --output $(OUTPUTDIR) --since deployed; due=$$?; [ $$due -ne 1 ] || exit 0; [ $$due -eq 0 ] || exit $$due; } && $(MAKE) check ATTEST=1 BASE=deployed && $(MAKE) publish && $(MAKE) $(DEPLOY) && $(BIN)/python -m content_model.deployed --root $(SITE_ROOT) --output $(OUTPUTDIR)'
endif

# Every setting still at the sample site's value, with its file and what to put there (docs/部署指南.md).
golive-check: setup
	@$(BIN)/python -m golive.check --deploy "$(DEPLOY)" --ssh-host "$(SSH_HOST)" --ssh-user "$(SSH_USER)" --ssh-target-dir "$(SSH_TARGET_DIR)"

codeowners: setup
	@$(BIN)/python -m content_model.codeowners

report: setup
	@$(BIN)/python -m stats.report --year "$(YEAR)" --format "$(FORMAT)"

# SECTION defaults to news for `make new`; imported items go to 基层动态 unless SECTION is given.
sync: setup
	@$(BIN)/python -m sync --feed "$(FEED)" --department "$(DEPARTMENT)" --section "$(if $(filter command line environment,$(origin SECTION)),$(SECTION),jiceng)" --root .

cms-config: setup
	@$(BIN)/python -m cms.config --root . --backend "$(CMS_BACKEND)" --out $(OUTPUTDIR)/admin/config.yml

# The preview beside the editor is the devserver's: edits applied in memory, a new build for new articles.
cms: setup node_modules/.installed-dev
	$(BIN)/python -m cms.local --root "$(SITE_ROOT)" --port $(CMS_PORT) --site-port $(PORT) --settings pelicanconf.py --output $(OUTPUTDIR)

# The benchmark: our build, stock Pelican and Hugo on the same generated corpora (bench/README.md).
bench: setup-dev
	$(BIN)/python -m bench.run --sizes $(SIZES) --runs $(RUNS) --runs-for 20000=1
	$(BIN)/python -m search.bench

lighthouse: setup
	$(BIN)/python scripts/lighthouse.py

# docs/screenshots/: every page type of a fresh publish build of the sample site, at 375 and 1280 px, 长辈模式 too.
screenshots: setup
	$(BIN)/python scripts/screenshots.py

linkcheck: setup
	@$(BIN)/python -m publishing.linkcheck $(OUTPUTDIR)

lint: setup-dev
	$(BIN)/ruff check plugins tests bench scripts pelicanconf.py publishconf.py

# What the tests need from Debian (Chromium, CJK fonts, Java, Node, nginx, …) is installed first when missing,
# before Node is needed for node_modules. Each test file runs in one worker, in order: a build test file shares
# one site between its tests.
test:
	@$(PY) scripts/test_deps.py
	@$(MAKE) --no-print-directory setup-dev node_modules/.installed-dev
	$(BIN)/python -m pytest -q -n 2 --dist loadfile tests

clean:
	rm -rf $(OUTPUTDIR) .pytest_cache
