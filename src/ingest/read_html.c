/* read_html.c — HTML pages: files (.html, .htm, gzip-compressed or not) and pages handed
 * over by other readers (JSON Lines `html`, WARC records), through the front end (html.h)
 * into records. */
#include "ingest.h"

#include <errno.h>
#include <unistd.h> /* dup */
#include <string.h>

#include <zlib.h>

#include "html.h"
#include "url.h"

/* --- a rough language guess, for pages that do not say theirs --- */

/* A few of the most frequent words of each language (lower case, ASCII or UTF-8). A
 * page's text votes: each word found counts for its language. */
static const struct lang_words {
    const char *lang;
    const char *words[12];
} lang_words[] = {
    {"en", {"the", "and", "of", "to", "is", "that", "was", "for", "with", "said", "have", "this"}},
    {"de", {"der", "die", "und", "das", "ist", "nicht", "mit", "sich", "auf", "ein", "dem", "den"}},
    {"fr", {"le", "les", "et", "des", "est", "une", "dans", "que", "pour", "pas", "qui", "sur"}},
    {"es", {"el", "los", "las", "del", "que", "por", "una", "con", "para", "como", "pero", "fue"}},
    {"it", {"il", "della", "che", "di", "per", "non", "sono", "una", "gli", "nel", "con", "anche"}},
    {"pt", {"o", "os", "do", "da", "que", "não", "uma", "para", "com", "em", "dos", "foi"}},
    {"nl", {"de", "het", "een", "van", "en", "niet", "op", "zijn", "met", "voor", "dat", "ook"}},
    {"sv", {"och", "att", "det", "som", "en", "på", "är", "för", "med", "inte", "av", "har"}},
};
#define N_LANGS (sizeof lang_words / sizeof *lang_words)

/* A byte of a word: an ASCII letter, a Latin-1 letter's lead byte, a continuation byte. */
static int word_byte(unsigned char c)
{
    return ((c | 32) >= 'a' && (c | 32) <= 'z') || (c >= 0xC3 && c < 0xC6) || (c & 0xC0) == 0x80;
}

/* The language of text, "" when unsure: by script for Japanese (kana), Korean (hangul),
 * Chinese (han without kana), Russian (Cyrillic), Arabic, Greek, Hebrew, Thai; else by
 * frequent words, the winner needing 8 words and twice the runner-up's count. Reads the
 * first 64 kB. */
static const char *guess_lang(const char *text, size_t n)
{
    if (n > 65536)
        n = 65536;
    size_t kana = 0, hangul = 0, han = 0, cyr = 0, arabic = 0, greek = 0, hebrew = 0, thai = 0,
           latin = 0;
    long votes[N_LANGS] = {0};
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)text[i];
        if (c < 0x80) {
            if ((c | 32) >= 'a' && (c | 32) <= 'z') {
                /* a word: letters, ASCII or not */
                size_t w = i;
                while (i < n && word_byte((unsigned char)text[i]))
                    i++;
                latin++;
                size_t k = i - w;
                if (k > 12)
                    continue;
                char lw[16];
                for (size_t j = 0; j < k; j++)
                    lw[j] = (char)((unsigned char)text[w + j] >= 'A' &&
                                           (unsigned char)text[w + j] <= 'Z'
                                       ? text[w + j] + 32
                                       : text[w + j]);
                lw[k] = '\0';
                for (size_t l = 0; l < N_LANGS; l++)
                    for (size_t j = 0; j < 12 && lang_words[l].words[j]; j++)
                        if (!strcmp(lw, lang_words[l].words[j]))
                            votes[l]++;
                continue;
            }
            i++;
            continue;
        }
        unsigned cp = 0;
        size_t len = 1;
        if ((c & 0xE0) == 0xC0 && i + 1 < n)
            cp = ((c & 0x1Fu) << 6) | ((unsigned char)text[i + 1] & 0x3Fu), len = 2;
        else if ((c & 0xF0) == 0xE0 && i + 2 < n)
            cp = ((c & 0x0Fu) << 12) | (((unsigned char)text[i + 1] & 0x3Fu) << 6) |
                 ((unsigned char)text[i + 2] & 0x3Fu),
            len = 3;
        else if ((c & 0xF8) == 0xF0)
            len = 4;
        i += len;
        if (cp >= 0x3040 && cp <= 0x30FF)
            kana++;
        else if (cp >= 0xAC00 && cp <= 0xD7AF)
            hangul++;
        else if (cp >= 0x4E00 && cp <= 0x9FFF)
            han++;
        else if (cp >= 0x0400 && cp <= 0x04FF)
            cyr++;
        else if (cp >= 0x0600 && cp <= 0x06FF)
            arabic++;
        else if (cp >= 0x0370 && cp <= 0x03FF)
            greek++;
        else if (cp >= 0x0590 && cp <= 0x05FF)
            hebrew++;
        else if (cp >= 0x0E00 && cp <= 0x0E7F)
            thai++;
    }
    size_t script = kana + hangul + han + cyr + arabic + greek + hebrew + thai;
    if (script >= 12 && script > latin * 2) {
        if (kana * 10 > han && kana >= hangul)
            return "ja";
        if (hangul >= han && hangul >= cyr)
            return "ko";
        if (han >= cyr && han >= arabic)
            return "zh";
        if (cyr >= arabic && cyr >= greek)
            return "ru";
        if (arabic >= greek && arabic >= hebrew)
            return "ar";
        if (greek >= hebrew && greek >= thai)
            return "el";
        return hebrew >= thai ? "he" : "th";
    }
    size_t best = 0, second = N_LANGS;
    for (size_t l = 1; l < N_LANGS; l++)
        if (votes[l] > votes[best])
            best = l;
    for (size_t l = 0; l < N_LANGS; l++)
        if (l != best && (second == N_LANGS || votes[l] > votes[second]))
            second = l;
    if (votes[best] >= 8 && votes[best] >= 2 * votes[second])
        return lang_words[best].lang;
    return "";
}

sl_error sli_ingest_html(sl_batch *b, const ingest_html *h)
{
    html_page page;
    sli_html_page_init(&page);
    const char *why = NULL;
    sl_error err = sli_html_page_read(&page, h->bytes, h->n, h->content_type, h->url, &why);
    if (err == SL_ERR_NOMEM) {
        sli_html_page_free(&page);
        return err;
    }
    if (err) {
        sli_ingest_report(b, err, h->path, h->line, h->offset, "%s",
                          why ? why : sl_strerror(err));
        sli_html_page_free(&page);
        return SL_OK;
    }
    const html_meta *m = &page.meta;
    /* The canonical URL is the page's own address (resolved against the fetched one). */
    const char *url = m->canonical.len ? m->canonical.data : h->url;
    /* The date: the input's, else the page's; else the text's (the cleaner's, at commit),
     * else the fetch date (WARC-Date): stored apart, used only when no other is found. */
    const char *date = h->date ? h->date : (m->date.len ? m->date.data : NULL);
    const char *title = h->title ? h->title : (m->title.len ? m->title.data : NULL);
    const char *lang = m->lang.len ? m->lang.data : guess_lang(page.text.data, page.text.len);
    store_page sp = {
        .hints = (const unsigned char *)page.hints.data,
        .n_hints = page.hints.len,
        .charset = page.charset,
        .title = {title, h->title ? "input" : m->title_from},
        .date = {date, h->date ? "input" : m->date_from},
        .author = {m->author.len ? m->author.data : NULL, m->author_from},
        .site_name = {m->site_name.len ? m->site_name.data : NULL, m->site_name_from},
        .canonical = {m->canonical.len ? m->canonical.data : NULL, m->canonical_from},
        .lang = {*lang ? lang : NULL, m->lang.len ? m->lang_from : "detected"},
        .description = {m->description.len ? m->description.data : NULL, m->description_from},
        .fetch_date = h->date || m->date.len ? NULL : h->fetch_date,
    };
    /* The source (DESIGN.md): the input's, else the host of the article's URL (the
     * canonical one when the page names it), else the folder's name. */
    char host[256];
    const char *source = h->source;
    if (!source && url && sli_ingest_url_host(url, host, sizeof host))
        source = host;
    if (!source)
        source = h->fallback_source;
    ingest_record r = {
        .id = h->id,
        .source = source,
        .url = url,
        .date = date,
        .title = title,
        .text = page.text.data,
        .text_len = page.text.len,
        .meta = h->meta,
        .path = h->path,
        .line = h->line,
        .offset = h->offset,
        .page = &sp,
    };
    err = sli_ingest_put(b, &r);
    sli_html_page_free(&page);
    return err;
}

sl_error sli_ingest_html_file(sl_batch *b, const char *path, const char *id, const char *source)
{
    FILE *f;
    sl_error err = sli_ingest_open(b, path, &f);
    if (err || !f)
        return err; /* out of memory, or reported and skipped */
    /* zlib reads plain files as they are, and gzip ones decompressed. */
    int fd = dup(fileno(f));
    int dup_errno = errno;
    fclose(f);
    if (fd < 0) {
        sli_ingest_report(b, SL_ERR_IO, path, 0, -1, "cannot open: %s", strerror(dup_errno));
        return SL_OK;
    }
    gzFile gz = gzdopen(fd, "rb");
    if (!gz) {
        close(fd);
        return SL_ERR_NOMEM;
    }
    buf data;
    sli_buf_init(&data, HTML_PAGE_MAX_BYTES);
    char chunk[65536];
    int got;
    while ((got = gzread(gz, chunk, sizeof chunk)) > 0) {
        err = sli_buf_append(&data, chunk, (size_t)got);
        if (err)
            break;
    }
    /* A gzip stream cut short ends gzread with 0, not -1: its state says so
     * (Z_BUF_ERROR, "unexpected end of file"). The message lives in gz: copied. */
    int zerr = Z_OK;
    char zbuf[128];
    const char *zmsg = NULL;
    if (!err) {
        const char *m = gzerror(gz, &zerr);
        if (zerr != Z_OK) {
            /* zlib names the stream "<fd:N>: ": our report names the file. */
            const char *colon = m && !strncmp(m, "<fd:", 4) ? strstr(m, ": ") : NULL;
            snprintf(zbuf, sizeof zbuf, "%s",
                     colon ? colon + 2 : m ? m : "decompression failed");
            zmsg = zbuf;
        }
    }
    gzclose(gz);
    b->sum.files++;
    b->sum.bytes += (long long)data.len;
    if (err == SL_ERR_TOO_BIG) {
        sli_ingest_report(b, SL_ERR_TOO_BIG, path, 0, (long long)data.len,
                          "page is over the limit of %zu bytes", (size_t)HTML_PAGE_MAX_BYTES);
        err = SL_OK;
    } else if (!err && zmsg) {
        sli_ingest_report(b, SL_ERR_IO, path, 0, (long long)data.len,
                          "read error after %zu bytes of page: %s", data.len, zmsg);
    } else if (!err && data.len == 0) {
        sli_ingest_report(b, SL_ERR_EMPTY, path, 0, 0, "empty file");
    } else if (!err) {
        ingest_html h = {.path = path, .offset = 0, .id = id, .fallback_source = source,
                         .bytes = data.data, .n = data.len};
        err = sli_ingest_html(b, &h);
    }
    sli_buf_free(&data);
    sli_ingest_progress(b, path, 1);
    return err;
}
