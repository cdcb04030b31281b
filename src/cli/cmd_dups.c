/* cmd_dups.c — `dups`: syndication families, origin first. */
#include "cli.h"

static int print_family(void *user, const char *family, const sl_family_member *m, size_t n)
{
    (void)user;
    printf("%s  %zu articles\n", family, n);
    for (size_t i = 0; i < n; i++) {
        printf("  %-9s J %.2f  C %.2f  ", m[i].relation, m[i].jaccard, m[i].containment);
        cli_print_cell(stdout, m[i].article, 90, 0);
        putchar('\n');
    }
    return 0;
}

static sl_error print_families(sl_store *st)
{
    return sl_store_each_family(st, print_family, NULL);
}

int cmd_dups(cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: storyline [--db PATH] dups [--json]\n"
        "Syndication families: copies of one text across outlets, the origin first (the\n"
        "earliest dated), each member with its Jaccard similarity (J) and containment (C)\n"
        "against the origin and its relation: copy, contained (the text of one inside the\n"
        "other) or rewrite. --json: the family objects of docs/output.md.\n";
    return cli_list(c, argc, argv, help, "families", sl_write_families, print_families);
}
