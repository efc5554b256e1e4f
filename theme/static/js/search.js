/* 站内搜索 Site search: reads the bigram index under search/index/, fetching only the shards a query needs.
   The same steps as plugins/search/query.py, which the benchmark runs: change both together.
   API: window.siteSearch.search(query, filters, {limit}) → Promise<[{url, path, title, date, snippet, score}]>. */
(function () {
  "use strict";

  // The CJK ranges of plugins/search/tokenize.py: runs of these are cut into overlapping bigrams.
  var CJK = "[\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\uac00-\\ud7af\\u{20000}-\\u{3134f}]";
  var RUN = new RegExp("(" + CJK + "+)|((?:(?!" + CJK + ")[\\p{L}\\p{N}])+)", "gu");
  var SEPARATOR = /[^\p{L}\p{N}]+/u;
  var PAGE_SIZE = 10;
  var BATCH = 24; // document files fetched at once when every result is wanted
  var EXACT_TITLE_BONUS = 1000;
  var TITLE_BIT = 0x80;
  var FILTERS = ["section", "type", "year", "column", "topic"];

  function normalize(text) {
    return text.normalize("NFKC").toLowerCase();
  }

  function unique(items) {
    var seen = new Set();
    return items.filter(function (item) {
      if (seen.has(item)) return false;
      seen.add(item);
      return true;
    });
  }

  /* The words of a query: normalised, without repeats; spaces and punctuation separate them. */
  function queryWords(query) {
    return unique(normalize(query).split(SEPARATOR).filter(Boolean));
  }

  /* The index terms a word needs: bigrams of its CJK runs (a lone character stands for itself), other words whole. */
  function wordTerms(word) {
    var terms = [];
    var match;
    RUN.lastIndex = 0;
    while ((match = RUN.exec(word)) !== null) {
      if (match[1]) {
        var chars = Array.from(match[1]);
        if (chars.length === 1) terms.push(chars[0]);
        for (var i = 0; i + 1 < chars.length; i++) terms.push(chars[i] + chars[i + 1]);
      } else {
        terms.push(match[2]);
      }
    }
    return unique(terms);
  }

  /* FNV-1a over code points, as index.term_hash: the shard a term lives in. */
  function termHash(term) {
    var h = 0x811c9dc5;
    for (var ch of term) h = Math.imul(h ^ ch.codePointAt(0), 0x01000193) >>> 0;
    return h;
  }

  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  /* ---- The index ---- */

  function Index(base, root) {
    this.base = base;
    this.root = root;
    this.files = new Map();
    this.meta = null;
    this.transferred = 0;
  }

  Index.prototype.fetch = function (path, kind) {
    var self = this;
    if (!this.files.has(path)) {
      var url = this.base + path + (this.meta ? "?v=" + this.meta.version : "");
      var request = fetch(url, path === "meta.json" ? { cache: "no-cache" } : {}).then(function (response) {
        if (!response.ok) throw new Error(path + ": HTTP " + response.status);
        return kind === "json" ? response.text() : response.arrayBuffer();
      }).then(function (body) {
        self.transferred += kind === "json" ? new TextEncoder().encode(body).length : body.byteLength;
        return kind === "json" ? JSON.parse(body) : body;
      });
      request.catch(function () { self.files.delete(path); }); // a failed file may be fetched again later
      this.files.set(path, request);
    }
    return this.files.get(path);
  };

  Index.prototype.load = function () {
    var self = this;
    if (!this.loading) {
      this.loading = this.fetch("meta.json", "json").then(function (meta) {
        self.meta = meta;
        var facets = meta.facets, combo = facets.combo;
        self.combos = [];
        for (var i = 0; i < combo.codes.length; i += combo.width) {
          var value = 0;
          for (var k = 0; k < combo.width; k++) {
            value = value * 64 + "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".indexOf(combo.codes[i + k]);
          }
          self.combos.push(value);
        }
        self.listed = {}; // filter → document id → value indexes
        Object.keys(facets.lists).forEach(function (name) {
          var byDoc = new Map();
          facets.lists[name].forEach(function (ids, valueIndex) {
            ids.forEach(function (id) {
              if (!byDoc.has(id)) byDoc.set(id, []);
              byDoc.get(id).push(valueIndex);
            });
          });
          self.listed[name] = byDoc;
        });
        return meta;
      });
      this.loading.catch(function () { self.loading = null; });
    }
    return this.loading;
  };

  Index.prototype.shard = function (number) {
    var cache = this.shardCache || (this.shardCache = new Map());
    if (!cache.has(number)) {
      cache.set(number, this.fetch("shards/" + number + ".bin", "binary").then(function (buffer) {
        var view = new DataView(buffer);
        var size = view.getUint32(0, true);
        var header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 4, size)));
        return { view: view, header: header, base: 4 + size };
      }));
      cache.get(number).catch(function () { cache.delete(number); });
    }
    return cache.get(number);
  };

  /* One term's postings: ids and impact bytes, or for a term in most documents the ids without it. */
  Index.prototype.term = function (term) {
    var meta = this.meta;
    return this.shard(termHash(term) % meta.shards).then(function (shard) {
      var entry = shard.header[term];
      if (!entry) return null;
      var view = shard.view, start = shard.base + entry[0], df = entry[1], width = meta.idBytes;
      var read = width === 2
        ? function (at) { return view.getUint16(at, true); }
        : function (at) { return view.getUint32(at, true); };
      var i;
      if (entry.length > 2) {
        var missingCount = meta.docs - df, missing = new Set(), titles = new Set();
        for (i = 0; i < missingCount; i++) missing.add(read(start + i * width));
        for (i = 0; i < entry[2]; i++) titles.add(read(start + (missingCount + i) * width));
        return { df: df, missing: missing, titles: titles };
      }
      var record = width + 1, ids = new Array(df), impacts = new Uint8Array(df);
      for (i = 0; i < df; i++) {
        ids[i] = read(start + i * record);
        impacts[i] = view.getUint8(start + i * record + width);
      }
      return { df: df, ids: ids, impacts: impacts };
    });
  };

  Index.prototype.document = function (id) {
    return this.fetch("docs/" + id + ".json", "json");
  };

  /* The value indexes of filter `name` that a document has. */
  Index.prototype.valuesOf = function (id, name) {
    var facets = this.meta.facets;
    var comboField = facets.combo.fields.indexOf(name);
    if (comboField >= 0) {
      var index = facets.combo.combos[this.combos[id]][comboField];
      return index >= 0 ? [index] : [];
    }
    if (name === "year") {
      var year = -1;
      for (var i = 0; i < facets.years.length && facets.years[i][1] <= id; i++) year = facets.years[i][0];
      return year >= 0 ? [year] : [];
    }
    return (this.listed[name] && this.listed[name].get(id)) || [];
  };

  /* BM25 over all terms, each required: lists first, rarest first; terms in most documents then filter. */
  Index.prototype.scores = function (terms) {
    var meta = this.meta, n = meta.docs, k1 = meta.k1;
    terms = terms.slice().sort(function (a, b) {
      return (a.missing ? 1 : 0) - (b.missing ? 1 : 0) || a.df - b.df;
    });
    var scores = null;
    terms.forEach(function (term) {
      var idf = Math.max(meta.idfFloor, Math.log(1 + (n - term.df + 0.5) / (term.df + 0.5)));
      var next = new Map();
      if (!term.missing) {
        for (var i = 0; i < term.ids.length; i++) {
          var id = term.ids[i], impact = term.impacts[i];
          if (scores && !scores.has(id)) continue;
          var weight = idf * ((impact & 0x7f) / meta.impactMax * (k1 + 1) + (impact & TITLE_BIT ? meta.titleWeight : 0));
          next.set(id, (scores ? scores.get(id) : 0) + weight);
        }
      } else {
        var add = function (score, id) {
          if (!term.missing.has(id)) {
            next.set(id, score + idf * (meta.denseScore + (term.titles.has(id) ? meta.titleWeight : 0)));
          }
        };
        if (scores) scores.forEach(add);
        else for (var d = 0; d < n; d++) add(0, d);
      }
      scores = next;
    });
    return scores || new Map();
  };

  /* {results, total, exact, facets}: `total` is exact when `exact`, else an upper bound (unchecked phrases). */
  Index.prototype.query = function (query, filters, options) {
    var self = this;
    var limit = options && options.limit !== undefined ? options.limit : PAGE_SIZE;
    filters = filters || {};
    return this.load().then(function (meta) {
      var words = queryWords(query);
      var terms = unique([].concat.apply([], words.map(wordTerms)));
      if (!terms.length) return { results: [], total: 0, exact: true, facets: {} };
      return Promise.all(terms.map(function (t) { return self.term(t); })).then(function (found) {
        if (found.some(function (t) { return t === null; })) return { results: [], total: 0, exact: true, facets: {} };
        var scores = self.scores(found);
        var active = FILTERS.filter(function (name) { return filters[name] && filters[name].length; });
        var wanted = {};
        active.forEach(function (name) {
          var ids = meta.facets.values[name].map(function (v) { return v[0]; });
          wanted[name] = new Set(filters[name].map(function (v) { return ids.indexOf(String(v)); }));
        });
        var counts = {};
        FILTERS.forEach(function (name) { counts[name] = new Map(); });
        var candidates = [];
        scores.forEach(function (score, id) {
          var values = {}, failing = [];
          FILTERS.forEach(function (name) { values[name] = self.valuesOf(id, name); });
          active.forEach(function (name) {
            if (!values[name].some(function (v) { return wanted[name].has(v); })) failing.push(name);
          });
          FILTERS.forEach(function (name) {
            // A filter's own chips count as if it were off, so that other values stay choosable.
            if (failing.length === 0 || (failing.length === 1 && failing[0] === name)) {
              values[name].forEach(function (v) { counts[name].set(v, (counts[name].get(v) || 0) + 1); });
            }
          });
          if (!failing.length) candidates.push(id);
        });
        candidates.sort(function (a, b) { return scores.get(b) - scores.get(a) || b - a; });
        var facets = {};
        FILTERS.forEach(function (name) {
          facets[name] = meta.facets.values[name].map(function (v, i) {
            return { id: v[0], label: v[1], count: counts[name].get(i) || 0, selected: !!(wanted[name] && wanted[name].has(i)) };
          });
        });
        return self.check(candidates, scores, words, limit).then(function (checked) {
          checked.facets = facets;
          return checked;
        });
      });
    });
  };

  /* Fetch documents in rank order until `limit` pass; a word of several terms must occur in the text as typed. */
  Index.prototype.check = function (candidates, scores, words, limit) {
    var self = this;
    var checked = words.filter(function (w) { return wordTerms(w).length > 1; });
    var whole = words.join("");
    var results = [], rejected = 0, next = 0;
    function batch() {
      var want = Math.min(limit - results.length, BATCH, candidates.length - next);
      if (want <= 0) {
        results.sort(function (a, b) { return b.score - a.score || b.id - a.id; });
        var exact = !checked.length || results.length + rejected === candidates.length;
        return { results: results, total: exact ? candidates.length - rejected : candidates.length, exact: exact };
      }
      var ids = candidates.slice(next, next + want);
      next += want;
      return Promise.all(ids.map(function (id) { return self.document(id); })).then(function (records) {
        records.forEach(function (record, i) {
          var text = normalize(record.t + "\n" + record.x);
          if (checked.some(function (w) { return text.indexOf(w) < 0; })) {
            rejected++;
            return;
          }
          var score = scores.get(ids[i]);
          if (queryWords(record.t).join("") === whole) score += EXACT_TITLE_BONUS;
          results.push(self.result(ids[i], record, words, score));
        });
        return batch();
      });
    }
    return batch();
  };

  Index.prototype.result = function (id, record, words, score) {
    var sections = this.valuesOf(id, "section");
    return {
      section: sections.length ? this.meta.facets.values.section[sections[0]][1] : "",
      id: id,
      path: record.u,
      url: this.root + record.u,
      title: record.t,
      titleHtml: highlight(record.t, words, 0, record.t.length),
      date: record.d,
      image: record.i ? this.root + record.i : "",
      snippet: snippet(record.x, words, record.s || ""),
      score: score,
    };
  };

  /* ---- Highlighting: match on normalised text, mark the characters as written ---- */

  function normalizedMap(raw) {
    var norm = "", starts = [], ends = [];
    for (var i = 0; i < raw.length;) {
      var ch = String.fromCodePoint(raw.codePointAt(i));
      var n = normalize(ch);
      for (var k = 0; k < n.length; k++) {
        starts.push(i);
        ends.push(i + ch.length);
      }
      norm += n;
      i += ch.length;
    }
    return { norm: norm, starts: starts, ends: ends };
  }

  function spans(raw, words) {
    var map = normalizedMap(raw), found = [];
    words.forEach(function (word) {
      for (var at = map.norm.indexOf(word); at >= 0; at = map.norm.indexOf(word, at + word.length)) {
        found.push([map.starts[at], map.ends[at + word.length - 1]]);
      }
    });
    found.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var merged = [];
    found.forEach(function (span) {
      var last = merged[merged.length - 1];
      if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
      else merged.push(span.slice());
    });
    return merged;
  }

  function highlight(raw, words, from, to) {
    var html = "", at = from;
    spans(raw, words).forEach(function (span) {
      var start = Math.max(span[0], from), end = Math.min(span[1], to);
      if (start >= end) return;
      html += escapeHtml(raw.slice(at, start)) + "<mark>" + escapeHtml(raw.slice(start, end)) + "</mark>";
      at = end;
    });
    return (html + escapeHtml(raw.slice(at, to))).replace(/\n/g, " ");
  }

  /* About 120 characters of the body around the first match, with every query word marked; the page's summary
     when the body holds none of the words (they are in the title), rather than its first lines, a heading. */
  function snippet(text, words, summary) {
    var first = spans(text, words)[0];
    if (!first && summary) return escapeHtml(summary);
    var from = first ? Math.max(0, first[0] - 30) : 0;
    if (from > 0 && /[\udc00-\udfff]/.test(text[from])) from--;
    var to = Math.min(text.length, from + 120);
    if (to < text.length && /[\udc00-\udfff]/.test(text[to])) to++;
    return (from > 0 ? "…" : "") + highlight(text, words, from, to) + (to < text.length ? "…" : "");
  }

  /* ---- The page ---- */

  function filtersFrom(params) {
    var filters = {};
    FILTERS.forEach(function (name) {
      var values = params.getAll(name).filter(Boolean);
      if (values.length) filters[name] = values;
    });
    return filters;
  }

  function Page(root, index) {
    this.root = root;
    this.index = index;
    this.input = root.querySelector("#search-q");
    this.status = root.querySelector("#search-status");
    this.list = root.querySelector("#search-results");
    this.filterBox = root.querySelector("#search-filters");
    this.chips = root.querySelector("#search-chips");
    this.more = root.querySelector("#search-more");
    this.limit = PAGE_SIZE;
    this.run = 0;
    var self = this;
    root.querySelector("form").addEventListener("submit", function (event) {
      event.preventDefault();
      self.go(self.input.value.trim(), {}, true);
    });
    this.more.addEventListener("click", function () {
      var shown = self.list.children.length;
      self.limit += PAGE_SIZE;
      self.render().then(function () {
        var link = self.list.children[shown] && self.list.children[shown].querySelector("a");
        if (link) link.focus(); // keyboard users continue where the new results begin
      });
    });
    window.addEventListener("popstate", function () { self.fromUrl(); });
    document.addEventListener("keydown", function (event) {
      var tag = event.target && event.target.tagName;
      if (event.key === "/" && tag !== "INPUT" && tag !== "TEXTAREA" && !event.target.isContentEditable) {
        event.preventDefault();
        self.input.focus();
        self.input.select(); // typing replaces the last query
      }
    });
  }

  Page.prototype.fromUrl = function () {
    var params = new URLSearchParams(window.location.search);
    this.query = (params.get("q") || "").trim();
    this.filters = filtersFrom(params);
    this.input.value = this.query;
    this.limit = PAGE_SIZE;
    return this.render();
  };

  /* A new query or filter: into the address bar, so that the results can be shared and Back works. */
  Page.prototype.go = function (query, filters, fresh) {
    this.query = query;
    this.filters = filters;
    this.limit = PAGE_SIZE;
    var params = new URLSearchParams();
    if (query) params.set("q", query);
    FILTERS.forEach(function (name) {
      (filters[name] || []).forEach(function (value) { params.append(name, value); });
    });
    var url = window.location.pathname + (params.toString() ? "?" + params.toString() : "");
    window.history[fresh ? "pushState" : "replaceState"](null, "", url);
    return this.render();
  };

  Page.prototype.render = function () {
    var self = this, run = ++this.run;
    if (!this.query) {
      this.list.innerHTML = "";
      this.filterBox.hidden = true;
      this.more.hidden = true;
      this.status.textContent = "";
      document.title = document.title.replace(/^“.*?”的搜索结果 - /, "");
      return Promise.resolve();
    }
    this.list.setAttribute("aria-busy", "true");
    return this.index.query(this.query, this.filters, { limit: this.limit }).then(function (answer) {
      if (run !== self.run) return; // a newer query has started
      self.show(answer);
    }, function (error) {
      if (run !== self.run) return;
      self.list.innerHTML = "";
      self.more.hidden = true;
      self.status.textContent = "搜索暂时无法使用：索引文件未能加载，请稍后再试。";
      if (window.console) window.console.warn(error);
    }).then(function () {
      self.list.removeAttribute("aria-busy");
    });
  };

  Page.prototype.show = function (answer) {
    var self = this, results = answer.results;
    var filtered = Object.keys(this.filters).length > 0;
    document.title = "“" + this.query + "”的搜索结果 - " + document.title.replace(/^“.*?”的搜索结果 - /, "");
    if (!results.length) {
      this.status.textContent = "没有找到包含“" + this.query + "”的内容。" +
        (filtered ? "可以清除筛选条件再试。" : "请检查用字，或换一个、减少几个词语再试。");
    } else {
      this.status.textContent = (answer.exact ? "找到 " : "找到约 ") + answer.total + " 条结果";
    }
    this.list.innerHTML = results.map(function (r) {
      var meta = [];
      if (r.date) meta.push('<span><time datetime="' + escapeHtml(r.date.replace(" ", "T")) + '">' + escapeHtml(r.date) + "</time></span>");
      if (r.section) meta.push("<span>" + escapeHtml(r.section) + "</span>");
      return '<li class="search-result"><h2 class="search-result__title"><a href="' + escapeHtml(r.url) + '">' +
        r.titleHtml + "</a></h2>" + (meta.length ? '<p class="search-result__meta">' + meta.join("") + "</p>" : "") +
        '<p class="search-result__snippet">' + r.snippet + "</p></li>";
    }).join("");
    this.more.hidden = !(results.length >= this.limit && (!answer.exact || answer.total > results.length));
    this.showFilters(answer.facets || {});
  };

  Page.prototype.showFilters = function (facets) {
    var self = this, labels = this.index.meta.facets.labels, html = "";
    var active = Object.keys(this.filters).length > 0;
    FILTERS.forEach(function (name) {
      var values = (facets[name] || []).filter(function (v) { return v.count > 0 || v.selected; });
      // One value shared by every result filters nothing: no chips for it.
      if (!values.length || (values.length === 1 && !values[0].selected)) return;
      html += '<div class="search-filter" role="group" aria-labelledby="filter-' + name + '">' +
        '<span class="search-filter__label" id="filter-' + name + '">' + escapeHtml(labels[name]) + "</span>";
      values.forEach(function (v) {
        html += '<button type="button" class="search-chip" aria-pressed="' + v.selected + '" data-filter="' + name +
          '" data-value="' + escapeHtml(v.id) + '">' + escapeHtml(v.label) +
          '<span class="search-chip__count">' + v.count + "</span></button>";
      });
      html += "</div>";
    });
    if (active) {
      html += '<div class="search-filter"><button type="button" class="search-chip search-chip--clear" data-clear>清除筛选</button></div>';
      this.filterBox.open = true;
    }
    this.chips.innerHTML = html;
    this.filterBox.hidden = !html;
    Array.prototype.forEach.call(this.chips.querySelectorAll("button"), function (button) {
      button.addEventListener("click", function () {
        var name = button.getAttribute("data-filter"), value = button.getAttribute("data-value");
        var filters = {};
        if (!button.hasAttribute("data-clear")) {
          Object.keys(self.filters).forEach(function (k) { filters[k] = self.filters[k].slice(); });
          var current = filters[name] || [];
          filters[name] = current.indexOf(value) >= 0
            ? current.filter(function (v) { return v !== value; })
            : current.concat([value]);
          if (!filters[name].length) delete filters[name];
        }
        self.go(self.query, filters, false).then(function () {
          // Keep the keyboard where it was: the same chip, drawn anew.
          var again = button.hasAttribute("data-clear") ? self.input
            : self.chips.querySelector('[data-filter="' + name + '"][data-value="' + CSS.escape(value) + '"]');
          if (again) again.focus();
        });
      });
    });
  };

  /* ---- Wiring ---- */

  var index = null;

  function configure(base, root) {
    index = new Index(base, root || "");
    return index;
  }

  window.siteSearch = {
    configure: configure,
    query: function (query, filters, options) { return index.query(query, filters, options); },
    search: function (query, filters, options) {
      return index.query(query, filters, options).then(function (answer) {
        var results = answer.results;
        results.total = answer.total;
        results.exact = answer.exact;
        return results;
      });
    },
    transferred: function () { return index ? index.transferred : 0; },
    tokens: { normalize: normalize, queryWords: queryWords, wordTerms: wordTerms, termHash: termHash },
  };

  function start() {
    var root = document.querySelector("[data-search-index]");
    if (!root) return;
    configure(root.getAttribute("data-search-index"), root.getAttribute("data-search-root"));
    var page = new Page(root, index);
    if (root.hasAttribute("data-search-skipped")) {
      page.status.textContent = "本次为预览构建，未生成搜索索引（SEARCH_INDEX = False）。正式发布的网站可以搜索。";
      window.siteSearch.ready = Promise.resolve();
      return;
    }
    window.siteSearch.ready = page.fromUrl();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
