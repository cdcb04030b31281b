/* select.h — a selection and a sort with the order inline (internal).
 *
 * Why: qsort calls its comparison through a pointer for every step, and sorting a whole
 * array to keep its first k showed in profiles (the features' kept terms: a ninth of the
 * cleaning's processor time; the tallies' ties; docs/profile.md, "Nineteenth round").
 * These are for orders that are strict and total (no two elements equal), or whose equal
 * elements are alike (plain values): then the k first are one set whatever the algorithm,
 * and a sort gives the one array qsort gives. Neither is stable.
 *
 * SLI_DEFINE_SELECT(name, type, before) defines
 *     static void name(type *a, size_t n, size_t k)
 * which rearranges a[0..n) so that a[0..k) are the k first in the order (in no particular
 * order among themselves), k <= n: a quickselect, median of three.
 * SLI_DEFINE_SORT(name, type, before) defines
 *     static void name(type *a, size_t n)
 * which sorts a[0..n): a quicksort, median of three, insertion below 16 elements, the
 * smaller side first (a stack of log n).
 * `before(const type *x, const type *y)` says whether x comes before y. */
#ifndef SL_CORE_SELECT_H
#define SL_CORE_SELECT_H

#include <stddef.h>

/* Below this many elements both finish by insertion. */
#define SLI_SELECT_SMALL 16

/* The median of a[lo], a[mid], a[hi] moved to a[lo] (the pivot), the smallest of the three
 * to a[mid] and the largest to a[hi]: each side then holds one element it stops at. */
#define SLI_SELECT_PIVOT_(type, before, a, lo, mid, hi)                                    \
    do {                                                                                   \
        type t_;                                                                           \
        if (before(&(a)[mid], &(a)[lo])) {                                                 \
            t_ = (a)[mid], (a)[mid] = (a)[lo], (a)[lo] = t_;                               \
        }                                                                                  \
        if (before(&(a)[hi], &(a)[mid])) {                                                 \
            t_ = (a)[hi], (a)[hi] = (a)[mid], (a)[mid] = t_;                               \
        }                                                                                  \
        if (before(&(a)[mid], &(a)[lo])) {                                                 \
            t_ = (a)[mid], (a)[mid] = (a)[lo], (a)[lo] = t_;                               \
        }                                                                                  \
        t_ = (a)[lo], (a)[lo] = (a)[mid], (a)[mid] = t_;                                   \
    } while (0)

/* a[lo+1..hi) split around the pivot a[lo], which ends at *at: a[lo..*at) before it,
 * a(*at..hi) after it. */
#define SLI_SELECT_PARTITION_(type, before, a, lo, hi, at)                                 \
    do {                                                                                   \
        const type p_ = (a)[lo];                                                           \
        size_t i_ = (lo) + 1, j_ = (hi) - 1;                                               \
        type t_;                                                                           \
        for (;;) {                                                                         \
            while (i_ <= j_ && before(&(a)[i_], &p_))                                      \
                i_++;                                                                      \
            while (i_ <= j_ && before(&p_, &(a)[j_]))                                      \
                j_--;                                                                      \
            if (i_ >= j_)                                                                  \
                break;                                                                     \
            t_ = (a)[i_], (a)[i_] = (a)[j_], (a)[j_] = t_;                                 \
            i_++;                                                                          \
            j_--;                                                                          \
        }                                                                                  \
        /* a[lo+1..i_) not after the pivot, a[i_..hi) not before it (i_ is j_ + 1 when     \
         * no two elements are equal, as these orders have it) */                          \
        t_ = (a)[lo], (a)[lo] = (a)[i_ - 1], (a)[i_ - 1] = t_;                             \
        (at) = i_ - 1;                                                                     \
    } while (0)

/* a[lo..hi) in order, by insertion. */
#define SLI_SELECT_INSERTION_(type, before, a, lo, hi)                                     \
    do {                                                                                   \
        for (size_t i_ = (lo) + 1; i_ < (hi); i_++) {                                      \
            type x_ = (a)[i_];                                                             \
            size_t j_ = i_;                                                                \
            for (; j_ > (lo) && before(&x_, &(a)[j_ - 1]); j_--)                           \
                (a)[j_] = (a)[j_ - 1];                                                     \
            (a)[j_] = x_;                                                                  \
        }                                                                                  \
    } while (0)

#define SLI_DEFINE_SELECT(name, type, before)                                              \
    static void name(type *a, size_t n, size_t k)                                          \
    {                                                                                      \
        size_t lo = 0, hi = n; /* the k-th lies in [lo, hi) */                             \
        while (hi - lo > SLI_SELECT_SMALL) {                                               \
            size_t at;                                                                     \
            SLI_SELECT_PIVOT_(type, before, a, lo, lo + (hi - lo) / 2, hi - 1);            \
            SLI_SELECT_PARTITION_(type, before, a, lo, hi, at);                            \
            if (at == k || at + 1 == k)                                                    \
                return;                                                                    \
            if (k < at)                                                                    \
                hi = at;                                                                   \
            else                                                                           \
                lo = at + 1;                                                               \
        }                                                                                  \
        SLI_SELECT_INSERTION_(type, before, a, lo, hi);                                    \
    }

#define SLI_DEFINE_SORT(name, type, before)                                                \
    static void name(type *a, size_t n)                                                    \
    {                                                                                      \
        while (n > SLI_SELECT_SMALL) {                                                     \
            size_t at;                                                                     \
            SLI_SELECT_PIVOT_(type, before, a, 0, n / 2, n - 1);                           \
            SLI_SELECT_PARTITION_(type, before, a, 0, n, at);                              \
            /* a[0..at) and a(at..n) left to sort: the smaller by recursion */             \
            if (at < n - at - 1) {                                                         \
                name(a, at);                                                               \
                a += at + 1;                                                               \
                n -= at + 1;                                                               \
            } else {                                                                       \
                name(a + at + 1, n - at - 1);                                              \
                n = at;                                                                    \
            }                                                                              \
        }                                                                                  \
        SLI_SELECT_INSERTION_(type, before, a, 0, n);                                      \
    }

#endif
