// storyline's web page: one script, no build step, no dependency (docs/web.md).
// Every view has its own URL (/, /events/E1, /storylines/S1, /articles/<id>, /search?q=);
// links are real <a href> and navigation goes through history.pushState.
// Scraped text is hostile: every piece of data reaches the page through textContent,
// createTextNode or setAttribute on attributes that cannot run code; never as HTML.
'use strict';

(function () {
  const SVGNS = 'http://www.w3.org/2000/svg';
  const PAGE = 50;
  const SHOW_ROWS = 100;   // outlets drawn before "Show all"
  const SHOW_PRINTED = 12; // articles printing a wording drawn before "Show all"
  const QUOTES_PAGE = 50;  // quotes fetched at a time
  const main = document.getElementById('main');
  let generation = 0; // the navigation a fetch belongs to: a later one wins

  // ---- DOM helpers ----------------------------------------------------------------

  // el('p', {class: 'x'}, 'text', child...): an element; strings become text nodes.
  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    setAttrs(e, attrs);
    append(e, kids);
    return e;
  }

  function sv(tag, attrs, ...kids) {
    const e = document.createElementNS(SVGNS, tag);
    setAttrs(e, attrs);
    append(e, kids);
    return e;
  }

  function setAttrs(e, attrs) {
    if (!attrs) return;
    for (const k of Object.keys(attrs)) {
      const v = attrs[k];
      if (v === null || v === undefined || v === false) continue;
      e.setAttribute(k, String(v));
    }
  }

  function append(e, kids) {
    for (const k of kids) {
      if (k === null || k === undefined || k === false) continue;
      if (Array.isArray(k)) append(e, k);
      else if (typeof k === 'string' || typeof k === 'number') e.appendChild(document.createTextNode(String(k)));
      else e.appendChild(k);
    }
  }

  // ---- URLs -------------------------------------------------------------------------

  const enc = encodeURIComponent;
  const eventHref = (id) => '/events/' + enc(id);
  const storylineHref = (id) => '/storylines/' + enc(id);
  const articleHref = (id) => '/articles/' + enc(id);

  // An outside link only when it is plain http(s): a scraped "javascript:" stays text.
  function safeUrl(u) {
    if (typeof u !== 'string') return null;
    try {
      const p = new URL(u);
      return p.protocol === 'http:' || p.protocol === 'https:' ? p.href : null;
    } catch (e) {
      return null;
    }
  }

  // ---- data -------------------------------------------------------------------------

  async function api(path) {
    let r;
    try {
      r = await fetch(path, {headers: {Accept: 'application/json'}});
    } catch (e) {
      return {status: 0, data: null, headers: null};
    }
    let data = null;
    try {
      data = await r.json();
    } catch (e) {
      data = null;
    }
    return {status: r.status, data: data, headers: r.headers};
  }

  class NotFound extends Error {}
  class Failed extends Error {}

  function need(res) {
    if (res.status === 404) throw new NotFound();
    if (res.status !== 200 || res.data === null) {
      const msg = res.data && typeof res.data.error === 'string' ? res.data.error : 'status ' + res.status;
      throw new Failed(msg);
    }
    return res.data;
  }

  const day = (d) => (typeof d === 'string' && d.length >= 10 ? d.slice(0, 10) : null);

  function dateRange(a, b) {
    const x = day(a), y = day(b);
    if (!x && !y) return 'undated';
    if (!y || x === y) return x || y;
    if (!x) return y;
    return x + ' – ' + y;
  }

  const plural = (n, one, many) => n + ' ' + (n === 1 ? one : many);

  function distinctSources(ev) {
    const s = new Set();
    if (Array.isArray(ev.timeline)) for (const t of ev.timeline) s.add(t.source);
    else if (Array.isArray(ev.sources)) for (const x of ev.sources) s.add(x);
    return s.size;
  }

  function articleCount(ev) {
    if (Array.isArray(ev.articles)) return ev.articles.length;
    if (Array.isArray(ev.timeline)) return ev.timeline.length;
    return 0;
  }

  const dayMs = 86400000;
  function dayNum(d) {
    const t = Date.parse(d + 'T00:00:00Z');
    return Number.isNaN(t) ? null : Math.round(t / dayMs);
  }
  const dayStr = (n) => new Date(n * dayMs).toISOString().slice(0, 10);

  // A list of ITEMS drawn MAKE(item) each: the first SHOW at once, the rest behind a
  // "Show all" button (an event of thousands of articles stays quick to draw).
  function capped(list, items, show, make, noun) {
    append(list, items.slice(0, show).map(make));
    if (items.length <= show) return list;
    const more = el('button', {type: 'button', class: 'more'},
      'Show all ' + items.length.toLocaleString('en') + ' ' + noun + ' (' + (items.length - show).toLocaleString('en') + ' more)');
    const li = el('li', {class: 'more-row'}, more);
    more.addEventListener('click', () => {
      li.remove();
      const frag = document.createDocumentFragment();
      append(frag, items.slice(show).map(make));
      list.appendChild(frag);
    });
    list.appendChild(li);
    return list;
  }

  // ---- charts -----------------------------------------------------------------------

  // Articles per day of an event, from its timeline: a bar a day (a bar a few days for
  // long events, at most 60 bars).
  function barChart(ev) {
    const counts = new Map();
    for (const t of ev.timeline || []) {
      const d = day(t.date);
      const n = d ? dayNum(d) : null;
      if (n !== null) counts.set(n, (counts.get(n) || 0) + 1);
    }
    if (counts.size === 0) return el('p', {class: 'chart-none muted'}, 'no dated articles');
    const days = [...counts.keys()];
    const lo = days.reduce((x, y) => Math.min(x, y)), hi = days.reduce((x, y) => Math.max(x, y));
    const span = hi - lo + 1;
    const step = Math.max(1, Math.ceil(span / 60));
    const nb = Math.ceil(span / step);
    const bins = new Array(nb).fill(0);
    for (const [d, c] of counts) bins[Math.floor((d - lo) / step)] += c;
    const max = bins.reduce((x, y) => Math.max(x, y), 1);
    const W = 120, H = 24, bw = W / nb;
    const parts = [];
    const words = [];
    bins.forEach((c, i) => {
      const from = dayStr(lo + i * step);
      const label = (step === 1 ? from : from + ' +' + (step - 1) + 'd') + ': ' + plural(c, 'article', 'articles');
      if (c) words.push(label);
      const h = c ? Math.max(2, (c / max) * (H - 2)) : 0;
      parts.push(sv('rect', {class: 'bar', x: (i * bw + bw * 0.1).toFixed(2), y: (H - h).toFixed(2),
        width: (bw * 0.8).toFixed(2), height: h.toFixed(2)}, sv('title', null, label)));
    });
    const label = 'Articles per ' + (step === 1 ? 'day' : step + ' days') + ': ' + words.join('; ');
    return sv('svg', {class: 'bars', viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': label,
      preserveAspectRatio: 'none'}, sv('title', null, label), sv('line', {class: 'axis', x1: 0, y1: H - 0.25, x2: W, y2: H - 0.25}), parts);
  }

  function clip(s, n) {
    s = String(s == null ? '' : s);
    return s.length > n ? s.slice(0, n - 1) + '…' : s;
  }

  // A storyline's events along time: a row each (label, then a bar from its first to its
  // last day), the current event marked, each a link.
  function storylineChart(sl, current) {
    const rows = (sl.timeline || []).slice();
    const W = 640, pad = 8, rowH = 38, axisH = 22;
    const nums = [];
    for (const r of rows) {
      const a = day(r.date_first), b = day(r.date_last) || a;
      r._a = a ? dayNum(a) : null;
      r._b = b ? dayNum(b) : r._a;
      if (r._a !== null) nums.push(r._a, r._b);
    }
    const lo = nums.length ? nums.reduce((x, y) => Math.min(x, y)) : 0;
    const hi = nums.length ? nums.reduce((x, y) => Math.max(x, y)) : 1;
    const span = Math.max(1, hi - lo + 1);
    const x = (n) => pad + ((n - lo) / span) * (W - 2 * pad);
    const H = rows.length * rowH + axisH;
    const svg = sv('svg', {class: 'timeline', viewBox: '0 0 ' + W + ' ' + H, role: 'group',
      'aria-label': 'Timeline of the storyline: ' + plural(rows.length, 'event', 'events') + ' in date order'});
    rows.forEach((r, i) => {
      const y = i * rowH;
      const cur = r.event === current;
      const link = sv('a', {href: eventHref(r.event), class: cur ? 'tl-row current' : 'tl-row',
        'aria-current': cur ? 'page' : null});
      const when = dateRange(r.date_first, r.date_last);
      link.appendChild(sv('title', null, (r.headline || r.event) + ' (' + when + ', ' +
        plural(r.articles || 0, 'article', 'articles') + ')'));
      link.appendChild(sv('rect', {class: 'tl-hit', x: 0, y: y, width: W, height: rowH}));
      link.appendChild(sv('text', {class: 'tl-label', x: pad, y: y + 14},
        (cur ? '▶ ' : '') + when + ' · ' + clip(r.headline || r.event, 52)));
      if (r._a !== null) {
        const x1 = x(r._a), x2 = Math.max(x(r._b + 1), x1 + 6);
        link.appendChild(sv('rect', {class: 'tl-bar', x: x1.toFixed(1), y: y + 20, width: (x2 - x1).toFixed(1),
          height: 10, rx: 3}));
      }
      svg.appendChild(link);
    });
    const ay = rows.length * rowH + 4;
    svg.appendChild(sv('line', {class: 'axis', x1: pad, y1: ay, x2: W - pad, y2: ay}));
    if (nums.length) {
      svg.appendChild(sv('text', {class: 'tl-axis', x: pad, y: ay + 15}, dayStr(lo)));
      svg.appendChild(sv('text', {class: 'tl-axis', x: W - pad, y: ay + 15, 'text-anchor': 'end'}, dayStr(hi)));
    }
    return el('div', {class: 'chart-wrap'}, svg);
  }

  // ---- views ------------------------------------------------------------------------

  function heading(text) {
    return el('h1', {id: 'view-title'}, text);
  }

  function pager(prevHref, nextHref, label) {
    if (!prevHref && !nextHref) return null;
    return el('nav', {class: 'pager', 'aria-label': label},
      prevHref ? el('a', {href: prevHref, rel: 'prev'}, '← Newer') : null,
      nextHref ? el('a', {href: nextHref, rel: 'next', class: 'older'}, 'Older →') : null);
  }

  function total(res, fallback) {
    const t = res.headers && res.headers.get('X-Total-Count');
    const n = t === null || t === undefined ? NaN : Number(t);
    return Number.isFinite(n) ? n : fallback;
  }

  function offsetOf(params) {
    const n = Number(params.get('offset') || 0);
    return Number.isInteger(n) && n > 0 ? n : 0;
  }

  function eventCard(ev) {
    const n = distinctSources(ev);
    return el('li', {class: 'card event-card'},
      el('h2', {class: 'headline'}, el('a', {href: eventHref(ev.id)}, ev.headline || ev.id)),
      el('p', {class: 'meta'},
        el('span', {class: 'dates'}, dateRange(ev.date_first, ev.date_last)), ' · ',
        el('span', {class: 'outlets'}, plural(n, 'outlet', 'outlets')), ' · ',
        el('span', {class: 'count'}, plural(articleCount(ev), 'article', 'articles'))),
      barChart(ev));
  }

  async function viewList(params) {
    const off = offsetOf(params);
    const res = await api('/api/events?limit=' + PAGE + '&offset=' + off);
    const evs = need(res);
    const n = total(res, off + evs.length);
    const link = res.headers && res.headers.get('Link');
    const more = (link && /rel="?next"?/.test(link)) || off + evs.length < n;
    const head = [heading('Events'),
      el('p', {class: 'muted'}, evs.length ? 'Newest first: ' + (off + 1) + '–' + (off + evs.length) + ' of ' + n
        : 'No events' + (off ? ' on this page.' : ' yet: add articles to the store.'))];
    const prev = off > 0 ? (off - PAGE > 0 ? '/?offset=' + (off - PAGE) : '/') : null;
    const next = more && evs.length ? '/?offset=' + (off + PAGE) : null;
    return {title: 'Events', view: 'list', nodes: [head, el('ol', {class: 'cards events'}, evs.map(eventCard)),
      pager(prev, next, 'Pages of events')]};
  }

  function relationLabel(t) {
    if (!t.relation) return 'own story';
    return t.relation;
  }

  function outletsSection(ev) {
    const tl = ev.timeline || [];
    const row = (t) => el('li', {class: 'outlet rel-' + (t.relation || 'none')},
      el('span', {class: 'o-date'}, day(t.date) || 'undated'),
      el('a', {class: 'o-source', href: articleHref(t.article)}, t.source || t.article),
      el('span', {class: 'tag rel'}, relationLabel(t)),
      t.family ? el('span', {class: 'tag fam'}, 'family ' + t.family) : null);
    return el('section', {class: 'outlets', 'aria-labelledby': 'h-outlets'},
      el('h2', {id: 'h-outlets'}, 'Outlets (' + distinctSources(ev) + ')'),
      el('p', {class: 'muted'}, 'When each outlet published, in date order; in a family of syndicated copies the origin comes first.'),
      tl.length ? capped(el('ol', {class: 'outlet-list'}), tl, SHOW_ROWS, row, 'articles') : el('p', null, 'No articles.'));
  }

  function quoteBlock(q) {
    const variants = (q.variants || []).map((v, i) => {
      const printed = v.printed || (v.articles || []).map((a, j) => ({article: a, source: (v.sources || [])[j] || a, date: null}));
      const item = (p) => el('li', null, el('a', {href: articleHref(p.article)}, p.source || p.article),
        p.date ? ' ' + day(p.date) : '');
      return el('li', {class: 'variant'},
        el('q', null, v.text), i === 0 ? el('span', {class: 'tag'}, 'earliest') : null,
        capped(el('ul', {class: 'printed', 'aria-label': 'printed by'}), printed, SHOW_PRINTED, item, 'articles'));
    });
    return el('li', {class: 'quote card'},
      el('blockquote', null, el('p', null, q.text)),
      el('p', {class: 'speaker'}, q.speaker ? '— ' + q.speaker : '— unattributed',
        q.kind && q.kind !== 'speech' ? el('span', {class: 'tag'}, q.kind) : null),
      variants.length > 1
        ? el('details', {open: ''},
          el('summary', null, plural(variants.length, 'wording', 'wordings') + ': who printed which, when'),
          el('ol', {class: 'variants'}, variants))
        : el('div', {class: 'printed-one'}, 'Printed by: ', variants.length ? variants[0].lastChild : 'no article'));
  }

  // The event's quotes, QUOTES_PAGE at a time: "More quotes" fetches the next page.
  function quotesSection(id, first, n) {
    const list = el('ol', {class: 'quote-list'}, first.map(quoteBlock));
    const sec = el('section', {class: 'quotes', 'aria-labelledby': 'h-quotes'},
      el('h2', {id: 'h-quotes'}, 'Quotes (' + n.toLocaleString('en') + ')'),
      first.length ? list : el('p', {class: 'muted'}, 'No quotes.'));
    let have = first.length;
    if (have < n) {
      const more = el('button', {type: 'button', class: 'more'}, 'More quotes');
      const status = el('span', {class: 'muted', role: 'status'});
      const row = el('p', {class: 'more-row'}, more, ' ', status);
      more.addEventListener('click', async () => {
        more.disabled = true;
        const r = await api('/api/quotes?event=' + enc(id) + '&limit=' + QUOTES_PAGE + '&offset=' + have);
        more.disabled = false;
        if (r.status !== 200 || !Array.isArray(r.data)) {
          status.textContent = 'could not load more quotes (status ' + r.status + ')';
          return;
        }
        append(list, r.data.map(quoteBlock));
        have += r.data.length;
        status.textContent = have + ' of ' + n + ' shown';
        if (have >= n || !r.data.length) row.remove();
      });
      sec.appendChild(row);
    }
    return sec;
  }

  function entitiesSection(ents) {
    if (!ents || !ents.length) return null;
    return el('section', {class: 'entities', 'aria-labelledby': 'h-entities'},
      el('h2', {id: 'h-entities'}, 'Entities'),
      el('ul', {class: 'chips'}, ents.map((e) => el('li', {class: 'chip ent-' + (e.type || 'other')},
        el('span', {class: 'ent-name'}, e.name), ' ', el('span', {class: 'ent-type'}, e.type || ''),
        ' ', el('span', {class: 'ent-count'}, '×' + e.count)))));
  }

  async function viewEvent(id) {
    const [er, qr] = await Promise.all([api('/api/events/' + enc(id)),
      api('/api/quotes?event=' + enc(id) + '&limit=' + QUOTES_PAGE)]);
    const ev = need(er);
    const quotes = qr.status === 200 && Array.isArray(qr.data) ? qr.data : [];
    const slId = ev.storyline || (/^E\d+$/.test(ev.id) ? 'S' + ev.id.slice(1) : null);
    // The storyline comes after the rest of the page is drawn (a long storyline takes the
    // server longer): its section waits with data-state=loading, then holds the chart.
    const slSec = el('section', {class: 'storyline', 'aria-labelledby': 'h-storyline', 'data-state': 'loading'},
      el('h2', {id: 'h-storyline'}, 'Storyline'), el('p', {class: 'muted'}, 'Loading the storyline…'));
    const after = async (mine) => {
      const sr = slId ? await api('/api/storylines/' + enc(slId)) : {status: 404, data: null};
      if (mine !== generation) return;
      const sl = sr.status === 200 && sr.data && Array.isArray(sr.data.timeline) ? sr.data : null;
      if (sl) {
        slSec.replaceChildren(el('h2', {id: 'h-storyline'}, 'Storyline: ', el('a', {href: storylineHref(sl.id)}, sl.title || sl.id)),
          storylineChart(sl, ev.id));
      } else {
        slSec.replaceChildren(el('h2', {id: 'h-storyline'}, 'Storyline'),
          el('p', {class: 'muted'}, sr.status === 404 ? 'This event is in no storyline.' : 'The storyline could not be loaded (status ' + sr.status + ').'));
      }
      slSec.dataset.state = 'ready';
      window.slStorylineAt = performance.now();
    };
    const nodes = [
      el('article', {class: 'event'},
        heading(ev.headline || ev.id),
        el('p', {class: 'meta'}, el('span', {class: 'dates'}, dateRange(ev.date_first, ev.date_last)), ' · ',
          plural(distinctSources(ev), 'outlet', 'outlets'), ' · ', plural(articleCount(ev), 'article', 'articles'),
          ' · ', el('span', {class: 'eid'}, ev.id)),
        barChart(ev),
        el('section', {class: 'summary', 'aria-labelledby': 'h-summary'},
          el('h2', {id: 'h-summary'}, 'Summary'),
          (ev.summary && ev.summary.length) ? (ev.summary.map((s) => el('p', null, s))) : el('p', {class: 'muted'}, 'No summary.')),
        slSec,
        outletsSection(ev),
        quotesSection(ev.id, quotes, total(qr, quotes.length)),
        entitiesSection(ev.entities))];
    return {title: ev.headline || ev.id, view: 'event', nodes: nodes, after: after};
  }

  async function viewStoryline(id) {
    const sl = need(await api('/api/storylines/' + enc(id)));
    const tl = sl.timeline || [];
    return {title: sl.title || sl.id, view: 'storyline', nodes: [
      el('article', {class: 'storyline-page'},
        heading(sl.title || sl.id),
        el('p', {class: 'meta'}, dateRange(sl.date_first, sl.date_last), ' · ', plural(tl.length, 'event', 'events'),
          ' · ', el('span', {class: 'eid'}, sl.id)),
        storylineChart(sl, null),
        el('ol', {class: 'cards'}, tl.map((t) => el('li', {class: 'card'},
          el('h2', {class: 'headline'}, el('a', {href: eventHref(t.event)}, t.headline || t.event)),
          el('p', {class: 'meta'}, dateRange(t.date_first, t.date_last), ' · ', plural(t.articles || 0, 'article', 'articles'))))))]};
  }

  function factsSection(f) {
    if (!f) return null;
    const parts = [];
    if (f.quotes && f.quotes.length)
      parts.push(el('h3', null, 'Quotes'), el('ul', {class: 'fact-quotes'}, f.quotes.map((q) =>
        el('li', null, el('q', null, q.text), q.speaker ? ' — ' + q.speaker : ''))));
    if (f.entities && f.entities.length)
      parts.push(el('h3', null, 'Entities'), el('ul', {class: 'chips'}, f.entities.map((e) =>
        el('li', {class: 'chip ent-' + (e.type || 'other')}, el('span', {class: 'ent-name'}, e.name), ' ',
          el('span', {class: 'ent-type'}, e.type || ''), ' ', el('span', {class: 'ent-count'}, '×' + e.count)))));
    if (f.amounts && f.amounts.length)
      parts.push(el('h3', null, 'Amounts'), el('ul', {class: 'plain'}, f.amounts.map((a) =>
        el('li', null, a.text, a.unit ? ' (' + a.value + ' ' + a.unit + ')' : ''))));
    if (f.dates && f.dates.length)
      parts.push(el('h3', null, 'Dates'), el('ul', {class: 'plain'}, f.dates.map((d) =>
        el('li', null, d.text, d.date ? ' → ' + d.date : ''))));
    if (!parts.length) return null;
    return el('section', {class: 'facts', 'aria-labelledby': 'h-facts'}, el('h2', {id: 'h-facts'}, 'Facts'), parts);
  }

  async function viewArticle(id) {
    const a = need(await api('/api/articles/' + enc(id)));
    const url = safeUrl(a.url);
    const paras = String(a.text || '').split(/\n+/).filter((s) => s.trim() !== '');
    return {title: a.title || a.id, view: 'article', nodes: [
      el('article', {class: 'article'},
        heading(a.title || '(untitled)'),
        el('p', {class: 'meta'}, el('span', {class: 'source'}, a.source || ''), ' · ', day(a.date) || 'undated',
          a.byline ? ' · by ' + a.byline : '', a.credit ? ' · ' + a.credit : ''),
        el('p', {class: 'meta'},
          a.event ? ['Event ', el('a', {href: eventHref(a.event)}, a.event)] : 'No event',
          a.family ? ' · family ' + a.family : '',
          url ? [' · ', el('a', {href: url, rel: 'noopener noreferrer nofollow', class: 'ext'}, 'original')] : ''),
        el('p', {class: 'muted id'}, a.id),
        el('div', {class: 'text'}, paras.map((p) => el('p', null, p))),
        factsSection(a.facts))]};
  }

  // A snippet's matched words lie between U+0002 and U+0003: text pieces, the marked ones
  // in <mark>.
  function snippet(s) {
    const out = el('p', {class: 'snippet'});
    const str = String(s || '');
    let i = 0, inMark = false;
    while (i <= str.length) {
      const j = str.indexOf(inMark ? '\u0003' : '\u0002', i);
      const end = j < 0 ? str.length : j;
      const piece = str.slice(i, end).replace(/[\u0002\u0003]/g, '');
      if (piece) out.appendChild(inMark ? el('mark', null, piece) : document.createTextNode(piece));
      if (j < 0) break;
      inMark = !inMark;
      i = j + 1;
    }
    return out;
  }

  async function viewSearch(params) {
    const q = (params.get('q') || '').trim();
    const input = document.getElementById('q');
    if (input && document.activeElement !== input) input.value = q;
    if (!q) return {title: 'Search', view: 'search', nodes: [heading('Search'),
      el('p', {class: 'muted'}, 'Type words in the search box: articles with all of them, best first.')]};
    const off = offsetOf(params);
    const res = await api('/api/search?q=' + enc(q) + '&limit=' + PAGE + '&offset=' + off);
    if (res.status === 400 || res.status === 501) return {title: 'Search', view: 'search', nodes: [heading('Search: ' + q),
      el('p', {class: 'error'}, 'That search cannot be run: ' + (res.data && res.data.error ? res.data.error : 'bad query'))]};
    const hits = need(res);
    const n = total(res, off + hits.length);
    const link = res.headers && res.headers.get('Link');
    const more = (link && /rel="?next"?/.test(link)) || off + hits.length < n;
    const base = '/search?q=' + enc(q);
    const items = hits.map((h) => el('li', {class: 'card hit'},
      el('h2', {class: 'headline'}, el('a', {href: articleHref(h.id)}, h.title || h.id)),
      el('p', {class: 'meta'}, h.source || '', ' · ', day(h.date) || 'undated',
        h.event ? [' · event ', el('a', {href: eventHref(h.event)}, h.event)] : ''),
      snippet(h.snippet)));
    return {title: 'Search: ' + q, view: 'search', nodes: [heading('Search: ' + q),
      el('p', {class: 'muted'}, hits.length ? plural(n, 'article', 'articles') + ' found' : 'Nothing found.'),
      el('ol', {class: 'cards hits'}, items),
      pager(off > 0 ? base + (off - PAGE > 0 ? '&offset=' + (off - PAGE) : '') : null,
        more && hits.length ? base + '&offset=' + (off + PAGE) : null, 'Pages of results')]};
  }

  function viewNotFound(what) {
    return {title: 'Not found', view: 'notfound', nodes: [heading('Not found'),
      el('p', {class: 'notfound'}, what ? 'There is no ' + what + ' here.' : 'There is no such page.'),
      el('p', null, el('a', {href: '/'}, 'Back to the events'))]};
  }

  function viewFailed(msg) {
    return {title: 'Error', view: 'error', nodes: [heading('Something went wrong'),
      el('p', {class: 'error'}, 'The server could not answer: ' + msg), el('p', null, el('a', {href: '/'}, 'Back to the events'))]};
  }

  // ---- router -----------------------------------------------------------------------

  function route(loc) {
    const path = loc.pathname;
    const params = new URLSearchParams(loc.search);
    if (path === '/' || path === '/index.html') return () => viewList(params);
    if (path === '/search') return () => viewSearch(params);
    const m = /^\/(events|storylines|articles)\/(.+)$/.exec(path);
    if (m) {
      let id;
      try {
        id = decodeURIComponent(m[2]);
      } catch (e) {
        return () => viewNotFound(null);
      }
      if (m[1] === 'events') return () => viewEvent(id).catch(nf('event ' + id));
      if (m[1] === 'storylines') return () => viewStoryline(id).catch(nf('storyline ' + id));
      return () => viewArticle(id).catch(nf('article ' + id));
    }
    return () => viewNotFound(null);
  }

  const nf = (what) => (e) => {
    if (e instanceof NotFound) return viewNotFound(what);
    throw e;
  };

  async function render(focus) {
    const mine = ++generation;
    main.dataset.state = 'loading';
    main.setAttribute('aria-busy', 'true');
    let v;
    try {
      v = await route(window.location)();
    } catch (e) {
      v = e instanceof NotFound ? viewNotFound(null) : viewFailed(e instanceof Failed ? e.message : String(e));
    }
    if (mine !== generation) return;
    const frag = document.createDocumentFragment();
    append(frag, v.nodes);
    main.replaceChildren(frag);
    document.title = clip(v.title, 120) + ' — storyline';
    main.dataset.view = v.view;
    main.dataset.state = 'ready';
    main.removeAttribute('aria-busy');
    window.slRenderedAt = performance.now();
    if (focus) {
      const h = document.getElementById('view-title');
      if (h) {
        h.setAttribute('tabindex', '-1');
        h.focus({preventScroll: true});
      }
      window.scrollTo(0, 0);
    }
    if (v.after) v.after(mine).catch(() => {});
  }

  function go(href) {
    history.pushState(null, '', href);
    render(true);
  }

  document.addEventListener('click', (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = e.target.closest ? e.target.closest('a') : null;
    if (!a) return;
    const raw = a.getAttribute('href');
    if (!raw || raw.charAt(0) !== '/' || raw.startsWith('//') || raw.startsWith('/api/') ||
        raw.startsWith('/static/') || a.getAttribute('target')) return;
    e.preventDefault();
    go(raw);
  });

  document.querySelector('form.search').addEventListener('submit', (e) => {
    e.preventDefault();
    const q = document.getElementById('q').value.trim();
    go('/search?q=' + enc(q));
  });

  window.addEventListener('popstate', () => render(true));
  render(false);
})();
