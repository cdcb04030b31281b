/* partition.c — BCubed and pairwise scores of one partition against another. */
#include "partition.h"

#include <stdlib.h>

typedef struct cell {
    int a, b; /* sorted by a, then b */
} cell;

static int by_cell(const void *x, const void *y)
{
    const cell *p = x, *q = y;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    return (p->b > q->b) - (p->b < q->b);
}

static double pairs(long n)
{
    return (double)n * (double)(n - 1) / 2;
}

/* Over groups of equal a: sum of m^2 / group size for each (a, b) cell of m items, and
 * the pairs within groups (*group_pairs) and within cells (*cell_pairs); *groups. */
static double group_sums(cell *c, long n, double *group_pairs, double *cell_pairs, long *groups)
{
    qsort(c, (size_t)n, sizeof *c, by_cell);
    double sum = 0;
    *group_pairs = *cell_pairs = 0;
    *groups = 0;
    for (long i = 0; i < n;) {
        long j = i;
        while (j < n && c[j].a == c[i].a)
            j++;
        double cells = 0;
        for (long k = i; k < j;) {
            long m = k;
            while (m < j && c[m].b == c[k].b)
                m++;
            cells += (double)(m - k) * (double)(m - k);
            *cell_pairs += pairs(m - k);
            k = m;
        }
        sum += cells / (double)(j - i);
        *group_pairs += pairs(j - i);
        ++*groups;
        i = j;
    }
    return sum;
}

int partition_compare(const int *pred, const int *gold, long n, partition_scores *out)
{
    cell *c = malloc((size_t)(n ? n : 1) * sizeof *c);
    if (!c)
        return -1;
    double pred_pairs, gold_pairs, tp;
    long gold_groups;
    for (long i = 0; i < n; i++)
        c[i] = (cell){pred[i], gold[i]};
    double bp = group_sums(c, n, &pred_pairs, &tp, &out->clusters);
    for (long i = 0; i < n; i++)
        c[i] = (cell){gold[i], pred[i]};
    double br = group_sums(c, n, &gold_pairs, &tp, &gold_groups);
    free(c);
    out->bcubed_p = n ? bp / (double)n : 0;
    out->bcubed_r = n ? br / (double)n : 0;
    out->pair_p = pred_pairs ? tp / pred_pairs : 1;
    out->pair_r = gold_pairs ? tp / gold_pairs : 1;
    return 0;
}

double partition_f1(double p, double r)
{
    return p + r > 0 ? 2 * p * r / (p + r) : 0;
}
