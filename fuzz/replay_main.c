/* replay_main — runs a fuzz harness over files (the seed corpus, or crashes found), so
 * every harness is exercised by ctest with any compiler, without libFuzzer. */
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int main(int argc, char **argv)
{
    int failed = 0;
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) {
            perror(argv[i]);
            failed = 1;
            continue;
        }
        unsigned char *data = NULL;
        size_t len = 0, cap = 0, got;
        unsigned char chunk[65536];
        while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
            if (len + got > cap) {
                cap = (len + got) * 2;
                unsigned char *p = realloc(data, cap);
                if (!p)
                    return 1;
                data = p;
            }
            for (size_t k = 0; k < got; k++)
                data[len + k] = chunk[k];
            len += got;
        }
        fclose(f);
        LLVMFuzzerTestOneInput(data ? data : (const unsigned char *)"", len);
        free(data);
    }
    printf("replayed %d inputs\n", argc - 1);
    return failed;
}
