/* partition.h — two partitions of the same items compared (score_events, scale_bench).
 *
 * BCubed (per item: the share of its predicted cluster that shares its gold cluster, and
 * of its gold cluster that it was put with; means over items) and pairwise precision and
 * recall (over unordered pairs: together in both, in the prediction only, in the gold
 * only), from the contingency table: a sort, so linear-logarithmic in the items. */
#ifndef SL_BENCH_PARTITION_H
#define SL_BENCH_PARTITION_H

typedef struct partition_scores {
    double bcubed_p, bcubed_r, pair_p, pair_r;
    long clusters; /* distinct predicted labels */
} partition_scores;

/* pred[i], gold[i]: item i's label in each partition (any ints). 0, or -1 when out of
 * memory. */
int partition_compare(const int *pred, const int *gold, long n, partition_scores *out);

/* The harmonic mean of p and r (0 when both are). */
double partition_f1(double p, double r);

#endif
