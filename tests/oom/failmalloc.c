/* failmalloc.c — an allocator that fails on request, for the out-of-memory tests.
 *
 * Linked into storyline_failmalloc (the command, built without sanitizers), it replaces
 * malloc and its kin for the whole process: storyline's own allocations and those of
 * SQLite, json-c, utf8proc, libstemmer and the C library (strdup, stdio buffers, scandir,
 * realpath) all pass through it. glibc lets an executable define these symbols; they
 * forward to glibc's allocator through its __libc_* entry points.
 *
 *   SL_FAIL_AT=N     the Nth allocation (counting from 1) returns NULL; every other succeeds.
 *   SL_FAIL_COUNT=F  at exit, write the number of allocations made to the file F.
 *   SL_FAIL_TRAP=1   raise SIGTRAP at the failing allocation (under gdb: its backtrace).
 *
 * An allocation is any call of malloc, calloc, realloc (with a non-zero size),
 * posix_memalign, aligned_alloc, memalign or valloc. free and realloc to size 0 are not
 * counted. Counting starts at the first call (before main) and is atomic, so threads
 * share one count; with several threads the order between them may vary from run to run.
 *
 * Nothing here may allocate: the count file is written with open/write.
 *
 * One exclusion. json-c's tokener (json_tokener_parse_ex; seen with json-c 0.16) does
 * not check its strdup of an object's key: a NULL key reaches the hash table's strlen
 * and the process dies inside json-c. No caller can prevent that, so the strdup calls
 * made while json_tokener_parse_ex runs are counted but never failed (every other
 * allocation of the tokener still can fail). Drop this when json-c checks it. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void *__libc_malloc(size_t size);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t size);
void *__libc_memalign(size_t align, size_t size);
void __libc_free(void *p);

#define TOKENER_STRDUP_UNCHECKED 1

static atomic_ulong calls;
static unsigned long fail_at;   /* 0: never */
static const char *count_file;
static int configured, trap;

#if TOKENER_STRDUP_UNCHECKED
struct json_tokener;
struct json_object;
typedef struct json_object *(*parse_fn)(struct json_tokener *, const char *, int);
static parse_fn real_parse;
static _Thread_local int in_tokener;

struct json_object *json_tokener_parse_ex(struct json_tokener *tok, const char *str, int len);
struct json_object *json_tokener_parse_ex(struct json_tokener *tok, const char *str, int len)
{
    in_tokener++;
    struct json_object *o = real_parse(tok, str, len);
    in_tokener--;
    return o;
}
#else
enum { in_tokener = 0 };
#endif

/* Read the settings without allocating (getenv does not allocate). Runs before main. */
__attribute__((constructor)) static void configure(void)
{
    const char *s = getenv("SL_FAIL_AT");
    unsigned long n = 0;
    for (; s && *s >= '0' && *s <= '9'; s++)
        n = n * 10 + (unsigned long)(*s - '0');
    fail_at = n;
    count_file = getenv("SL_FAIL_COUNT");
    trap = getenv("SL_FAIL_TRAP") != NULL;
#if TOKENER_STRDUP_UNCHECKED
    /* Looked up now: dlsym may allocate, and nothing fails before `configured`. */
    void *f = dlsym(RTLD_NEXT, "json_tokener_parse_ex");
    memcpy(&real_parse, &f, sizeof f);
#endif
    configured = 1;
}

__attribute__((destructor)) static void report(void)
{
    if (!count_file || !*count_file)
        return;
    char text[32];
    unsigned long n = atomic_load(&calls);
    int k = (int)sizeof text;
    text[--k] = '\n';
    do
        text[--k] = (char)('0' + n % 10);
    while ((n /= 10) && k > 0);
    int fd = open(count_file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return;
    ssize_t w = write(fd, text + k, sizeof text - (size_t)k);
    (void)w;
    close(fd);
}

/* 1 when this allocation is the one to fail. Calls before configure() are counted too
 * (the dynamic loader and early constructors allocate), but never failed. */
static int should_fail(void)
{
    unsigned long n = atomic_fetch_add(&calls, 1) + 1;
    if (!configured || !fail_at || n != fail_at)
        return 0;
    if (trap)
        raise(SIGTRAP);
    return 1;
}

void *malloc(size_t size)
{
    if (should_fail()) {
        errno = ENOMEM;
        return NULL;
    }
    return __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
    if (should_fail()) {
        errno = ENOMEM;
        return NULL;
    }
    return __libc_calloc(n, size);
}

void *realloc(void *p, size_t size)
{
    if (size && should_fail()) {
        errno = ENOMEM;
        return NULL;
    }
    return __libc_realloc(p, size);
}

void free(void *p)
{
    __libc_free(p);
}

void *memalign(size_t align, size_t size);
void *memalign(size_t align, size_t size)
{
    if (should_fail()) {
        errno = ENOMEM;
        return NULL;
    }
    return __libc_memalign(align, size);
}

void *aligned_alloc(size_t align, size_t size)
{
    return memalign(align, size);
}

int posix_memalign(void **out, size_t align, size_t size)
{
    if (align % sizeof(void *) || (align & (align - 1)))
        return EINVAL;
    void *p = memalign(align, size);
    if (!p)
        return ENOMEM;
    *out = p;
    return 0;
}

void *valloc(size_t size);
void *valloc(size_t size)
{
    return memalign((size_t)sysconf(_SC_PAGESIZE), size);
}

char *strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p;
    if (in_tokener) {
        atomic_fetch_add(&calls, 1); /* counted, never failed: see the top */
        p = __libc_malloc(n);
    } else {
        p = malloc(n);
    }
    if (p)
        memcpy(p, s, n);
    return p;
}
